package zohoterritory_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// BenchmarkResolveDirectory states what resolving references costs in an
// org of 10,000 users and 2,000 territories: "read" reads the whole
// directory from the sandbox (calls/op: ceil(10,000/200) + ceil(2,000/200)
// = 60), "index" builds the index from the values and resolves 1,000
// e-mail addresses and 100 territory names and paths (the client's CPU,
// no I/O).
func BenchmarkResolveDirectory(b *testing.B) {
	seed := bigDirectory(10000, 2000)
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed))
	require.NoError(b, err)
	b.Cleanup(srv.Close)
	c, err := srv.Client()
	require.NoError(b, err)
	q := zohoterritory.DirectoryQuery{Users: true, Territories: true}
	var emails []zohoterritory.UserRef
	for i := 0; i < 10000; i += 10 {
		r, err := zohoterritory.ParseUserRef(fmt.Sprintf("Person%d@acme.com", i))
		require.NoError(b, err)
		emails = append(emails, r)
	}
	var names []zohoterritory.TerritoryRef
	for i := 10; i < 110; i++ {
		ref := fmt.Sprintf("East/Region %d", i)
		if i%2 == 1 {
			ref = fmt.Sprintf("West/Region %d", i)
		}
		r, err := zohoterritory.ParseTerritoryRef(ref)
		require.NoError(b, err)
		names = append(names, r)
	}

	b.Run("read", func(b *testing.B) {
		before := len(srv.Requests())
		for b.Loop() {
			dir, err := c.ReadDirectory(b.Context(), q)
			require.NoError(b, err)
			require.Len(b, dir.Users(), 10000)
		}
		b.ReportMetric(float64(len(srv.Requests())-before)/float64(b.N), "calls/op")
	})
	dir, err := c.ReadDirectory(b.Context(), q)
	require.NoError(b, err)
	users, territories := dir.Users(), dir.Territories()
	b.Run("index", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			d := zohoterritory.NewDirectory(users, territories)
			for _, r := range emails {
				if _, err := d.User(r); err != nil {
					b.Fatal(err)
				}
			}
			for _, r := range names {
				if _, err := d.Territory(r); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
