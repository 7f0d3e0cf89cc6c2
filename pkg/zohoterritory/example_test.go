package zohoterritory_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Ids of zohoterritorytest.DefaultSeed.
const (
	acmeOrg       = "5725767000000452001" // the default territory
	northAmerica  = "5725767000000452002" // managed by Ben
	westCoast     = "5725767000000452004" // managed by Dev
	keyAccountsNA = "5725767000000452005" // Key Accounts under North America, managed by Ben
	keyAccountsEU = "5725767000000452006" // Key Accounts Europe, under Europe, managed by Chloe
	ben           = "5725767000000411002"
	chloe         = "5725767000000411003"
	dev           = "5725767000000411004"
)

// Remove two users from a territory. Ben manages North America, so Zoho
// refuses to remove him; Dev is removed.
func ExampleClient_RemoveUsersFromTerritory() {
	srv, err := zohoterritorytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	// In production: zohoterritory.New(zohoterritory.WithDataCenter(zohoterritory.EU),
	// zohoterritory.WithRefreshToken(clientID, clientSecret, refreshToken)).
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}

	res, err := client.RemoveUsersFromTerritory(context.Background(), northAmerica, dev, ben)
	if err != nil {
		log.Fatal(err)
	}
	for _, it := range res.Items {
		if it.Outcome == zohoterritory.Failed {
			fmt.Println(it.ID, it.Outcome, "because:", it.Reason)
			continue
		}
		fmt.Println(it.ID, it.Outcome)
	}
	// Output:
	// 5725767000000411004 removed
	// 5725767000000411002 failed because: manager
}

// Remove territories from a user, and tell request-level errors from
// per-id outcomes.
func ExampleClient_RemoveTerritoriesFromUser() {
	srv, err := zohoterritorytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client(zohoterritory.WithAPIVersion("v8"))
	if err != nil {
		log.Fatal(err)
	}

	res, err := client.RemoveTerritoriesFromUser(context.Background(), chloe, northAmerica, keyAccountsEU, acmeOrg)
	var apiErr *zohoterritory.APIError
	switch {
	case errors.As(err, &apiErr):
		log.Fatalf("the whole request failed: %d %s", apiErr.StatusCode, apiErr.Code)
	case err != nil:
		log.Fatal(err)
	}
	fmt.Println("removed:", res.Removed())
	for _, it := range res.Failed() {
		fmt.Printf("not removed: %s (%s: %s)\n", it.ID, it.Reason, it.Message)
	}
	// Output:
	// removed: [5725767000000452002]
	// not removed: 5725767000000452006 (manager: The territory given cannot be removed from the user)
	// not removed: 5725767000000452001 (default_territory: Organization Territory cannot be removed from the user)
}
