package zohoterritory_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Reorganise from a file: West Coast should hold Chloe and Eve (Dev manages
// it, so he stays), North America's Key Accounts only Ben (its manager).
// After the file is read, one call plans it: the names and addresses are
// resolved with one read of the directory, the memberships read, nothing
// sent. The plan is then applied as one set: adds first, then removals.
func ExamplePlan() {
	srv, err := zohoterritorytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	rows, err := zohoterritory.ReadMemberships(strings.NewReader(
		"territory,user\nWest Coast,chloe@acme.com\nWest Coast,eve@acme.com\nNorth America/Key Accounts,ben@acme.com\n"), "reorg.csv")
	if err != nil {
		log.Fatal(err)
	}
	plan, dir, err := client.PlanRows(ctx, rows, zohoterritory.PlanOptions{})
	if err != nil {
		log.Fatal(err) // an unknown or ambiguous name is named by its line
	}
	name := func(id string) string { u, _ := dir.UserByID(id); return u.FullName }
	for _, g := range plan.Groups {
		fmt.Printf("%s:", dir.Path(g.Owner))
		for _, id := range g.Add {
			fmt.Printf(" +%s", name(id))
		}
		for _, id := range g.Remove {
			fmt.Printf(" -%s", name(id))
		}
		fmt.Println()
	}
	fmt.Println(plan.Totals())

	res, err := client.ApplySet(ctx, plan.ChangeSet())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res)
	again, _, _ := client.PlanRows(ctx, rows, zohoterritory.PlanOptions{})
	fmt.Println(again.Totals())
	// Output:
	// North America/West Coast: +Eve Evans
	// North America/Key Accounts: -Chloe Chen
	// Plan: 1 to add, 1 to remove, 3 unchanged, 0 skipped
	// 1 added, 0 already present, 1 removed, 0 kept, 0 failed, 0 unknown (2 calls)
	// Plan: 0 to add, 0 to remove, 4 unchanged, 0 skipped
}
