package zohoterritory_test

import (
	"context"
	"fmt"
	"log"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Create a territory, move it under another parent, and delete it with
// transfer: its child moves to the territory named as the target.
func ExampleClient_CreateTerritories() {
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

	// Pacific under North America, managed by Dev.
	res, err := client.CreateTerritories(ctx, zohoterritory.NewTerritory{
		Name: "Pacific", ReportingTo: northAmerica, PermissionType: zohoterritory.ReadWriteDelete, ManagerID: dev,
	})
	if err != nil {
		log.Fatal(err)
	}
	pacific := res.Items[0].ID
	fmt.Println(res)

	// Pacific moves under the organization territory; its permission type
	// is read and sent back as it is. West Coast moves under Pacific.
	res, err = client.UpdateTerritories(ctx,
		zohoterritory.TerritoryUpdate{ID: pacific, ReportingTo: zohoterritory.SetField(acmeOrg)},
		zohoterritory.TerritoryUpdate{ID: westCoast, ReportingTo: zohoterritory.SetField(pacific)})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res)

	// Pacific goes; its child, West Coast, moves back to North America.
	res, err = client.TransferAndDeleteTerritories(ctx, zohoterritory.Transfer{ID: pacific, TransferTo: northAmerica})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res)
	for t, err := range client.ChildTerritories(ctx, northAmerica) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("under North America:", t.Name)
	}
	// Output:
	// 1 created, 0 failed, 0 unknown (1 call)
	// 2 updated, 0 failed, 0 unknown (1 call)
	// 1 deleted, 0 failed, 0 unknown (1 call)
	// under North America: West Coast
	// under North America: Key Accounts
}
