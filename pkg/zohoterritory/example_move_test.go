package zohoterritory_test

import (
	"context"
	"fmt"
	"log"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Move Chloe, Ben and Dev from North America to Key Accounts Europe,
// which has room for one more user: Chloe is there already, so she leaves
// North America; Ben is added, but Zoho refuses to remove him from North
// America (he manages it); Dev's add is refused (the territory is full), so
// Dev is kept where he was, never left in neither. Users and territories
// are found by e-mail and path first, with one call: one read of the
// directory.
func ExampleMove() {
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithTerritoryUserLimit(3))
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	refs := []zohoterritory.Reference{
		zohoterritory.TerritoryReference("North America", "from"),
		zohoterritory.TerritoryReference("Europe/Key Accounts Europe", "to"),
	}
	for _, email := range []string{"chloe@acme.com", "ben@acme.com", "dev@acme.com"} {
		refs = append(refs, zohoterritory.UserReference(email, "users"))
	}
	found, err := client.Resolve(ctx, refs, zohoterritory.DirectoryQuery{})
	if err != nil {
		log.Fatal(err) // every unknown or ambiguous reference, each named
	}
	move, err := zohoterritory.Move(found.IDs[0], found.IDs[1], found.IDs[2:]...)
	if err != nil {
		log.Fatal(err)
	}
	res, err := client.ApplySet(ctx, move)
	if err != nil {
		log.Fatal(err)
	}
	for i, r := range res.Results {
		for _, it := range r.Items {
			u, _ := found.Directory.UserByID(it.ID)
			fmt.Printf("%s %s: %s", move.Changes[i].Op, u.FullName, it.Outcome)
			if it.Reason != "" {
				fmt.Printf(" (%s)", it.Reason)
			}
			fmt.Println()
		}
	}
	fmt.Println(res)
	// Output:
	// add-users Chloe Chen: already_present
	// add-users Ben Brooks: added
	// add-users Dev Patel: failed (limit_exceeded)
	// remove-users Chloe Chen: removed
	// remove-users Ben Brooks: failed (manager)
	// remove-users Dev Patel: failed (kept)
	// 1 added, 1 already present, 1 removed, 1 kept, 2 failed, 0 unknown (2 calls)
}
