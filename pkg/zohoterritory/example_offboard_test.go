package zohoterritory_test

import (
	"context"
	"fmt"
	"log"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Offboard Chloe: list her territories, leave alone the default territory
// and the one she manages (Zoho would refuse both), then remove the rest.
func ExampleClient_PlanOffboardUser() {
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

	plan, err := client.PlanOffboardUser(ctx, chloe)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range plan.Skipped {
		fmt.Println(s)
	}
	fmt.Println("calls:", len(plan.Calls))
	res, err := client.RemoveTerritoriesFromUser(ctx, chloe, plan.IDs...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Removed())
	fmt.Println("left:", srv.TerritoriesOf(chloe))
	// Output:
	// 5725767000000452001 skipped (default_territory)
	// 5725767000000452006 skipped (manager)
	// calls: 1
	// [5725767000000452002 5725767000000452003 5725767000000452004 5725767000000452005]
	// left: [5725767000000452001 5725767000000452006]
}

// Empty a territory but for its manager, whom Zoho refuses to remove, and
// one user kept on purpose.
func ExampleClient_PlanEmptyTerritory() {
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

	plan, err := client.PlanEmptyTerritory(ctx, northAmerica, chloe)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("remove:", plan.IDs, "skipped:", plan.Skipped)
	res, err := client.RemoveUsersFromTerritory(ctx, northAmerica, plan.IDs...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res)
	fmt.Println("left:", srv.Members(northAmerica))
	// Output:
	// remove: [5725767000000411004] skipped: [5725767000000411002 skipped (manager) 5725767000000411003 skipped (excepted)]
	// 1 removed, 0 failed, 0 unknown (1 call)
	// left: [5725767000000411002 5725767000000411003]
}
