package zohoterritory_test

import (
	"context"
	"fmt"
	"log"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Move Chloe, Ben and Dev from North America to Europe's Key Accounts,
// which has room for one more user: Chloe is there already, so she leaves
// North America; Ben is added, but Zoho refuses to remove him from North
// America (he manages it); Dev's add is refused (the territory is full), so
// Dev is kept where he was, never left in neither. Users and territories
// are found by e-mail and path first, with one read of the directory.
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

	dir, err := client.ReadDirectory(ctx, zohoterritory.DirectoryQuery{Users: true, Territories: true})
	if err != nil {
		log.Fatal(err)
	}
	ref := func(s string) zohoterritory.TerritoryRef { r, _ := zohoterritory.ParseTerritoryRef(s); return r }
	from, _ := dir.Territory(ref("North America"))
	to, _ := dir.Territory(ref("Europe/Key Accounts"))
	var users []string
	for _, email := range []string{"chloe@acme.com", "ben@acme.com", "dev@acme.com"} {
		r, _ := zohoterritory.ParseUserRef(email)
		u, err := dir.User(r)
		if err != nil {
			log.Fatal(err)
		}
		users = append(users, u.ID)
	}

	move, err := zohoterritory.Move(from.ID, to.ID, users...)
	if err != nil {
		log.Fatal(err)
	}
	res, err := client.ApplySet(ctx, move)
	if err != nil {
		log.Fatal(err)
	}
	for i, r := range res.Results {
		for _, it := range r.Items {
			u, _ := dir.UserByID(it.ID)
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
