package journal_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Journal a removal, then undo it from the journal: what restore does.
func Example() {
	srv, err := zohoterritorytest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	client, err := srv.Client()
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "journal-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	const northAmerica, chloe, dev = "5725767000000452002", "5725767000000411003", "5725767000000411004"

	path := filepath.Join(dir, "remove.jsonl")
	j, err := journal.Create(path, journal.Options{Command: "example"})
	if err != nil {
		log.Fatal(err)
	}
	res, err := client.Apply(context.Background(), zohoterritory.Change{
		Op: zohoterritory.OpRemoveUsers, Owner: northAmerica, IDs: []string{chloe, dev}, Journal: j})
	if err != nil {
		log.Fatal(err)
	}
	_ = j.Close()
	fmt.Println(res)

	// Later, perhaps in another process:
	run, err := journal.Read(path)
	if err != nil {
		log.Fatal(err)
	}
	undo, _, _ := run.Undo()
	set, err := client.ApplySet(context.Background(), undo)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(undo.Changes[0].Op, set.Results[0])
	fmt.Println(len(srv.Members(northAmerica)), "members again")
	// Output:
	// 2 removed, 0 failed, 0 unknown (1 call)
	// add-users 2 added, 0 already present, 0 failed, 0 unknown (1 call)
	// 3 members again
}
