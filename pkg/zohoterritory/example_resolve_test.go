package zohoterritory_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Resolve what a person named, wherever they named it: one read of the
// directory answers them all, or names every one that names nothing or
// more than one thing, each by where it was given.
func ExampleClient_Resolve() {
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

	found, err := client.Resolve(ctx, []zohoterritory.Reference{
		zohoterritory.TerritoryReference("North America/Key Accounts", "--territory"),
		zohoterritory.UserReference("CHLOE@acme.com", "argument 1"),
	}, zohoterritory.DirectoryQuery{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(found.IDs)

	_, err = client.Resolve(ctx, []zohoterritory.Reference{
		zohoterritory.TerritoryReference("Asia", "--territory"),
		zohoterritory.UserReference("zoe@acme.com", "users.txt, line 2"),
	}, zohoterritory.DirectoryQuery{})
	var bad *zohoterritory.ResolveError
	if errors.As(err, &bad) {
		for _, r := range bad.Refs {
			fmt.Printf("%s %q: %T\n", r.Ref.Where, r.Ref.Raw, r.Err)
		}
	}
	// Output:
	// [5725767000000452005 5725767000000411003]
	// --territory "Asia": *zohoterritory.UnknownRefError
	// users.txt, line 2 "zoe@acme.com": *zohoterritory.UnknownRefError
}
