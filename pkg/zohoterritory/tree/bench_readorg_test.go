package tree_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// readLatency is what the sandbox adds to every request of
// BenchmarkReadOrgAtScale, as BenchmarkPlanAtScale's (package
// zohoterritory) does: a Zoho call's time, about.
const readLatency = 40 * time.Millisecond

// BenchmarkReadOrgAtScale reads an org of 2,000 territories of 50 users
// each (and 5,000 users) with ReadOrg and the default (adaptive) client,
// against a sandbox that adds 40 ms to every request and answers 429
// beyond 20 requests at once, as an Enterprise org does: the settings of
// BenchmarkPlanAtScale. Its reads are the users' 26 pages, the
// territories' 11, the counts' 2 (2,000 a page) and the 2,001 members'
// listings (the root's included); the floor is reads ÷ 20 × 40 ms. x_floor
// is the wall time over it, 429-% the share of calls answered 429, calls
// the calls made (429s included). Each territory's manager is a member: 51 a territory.
func BenchmarkReadOrgAtScale(b *testing.B) {
	const territories, perTerritory, users, limit = 2000, 50, 5000, 20
	seed := zohoterritorytest.Seed{CallerID: "1", DefaultTerritoryID: "100000"}
	seed.Users = append(seed.Users, zohoterritorytest.User{ID: "1", FullName: "Caller"})
	for i := range users {
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: fmt.Sprint(10000 + i), FullName: fmt.Sprint("U", i)})
	}
	seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: "100000", Name: "Org", ManagerID: "1"})
	for t := range territories {
		tr := zohoterritorytest.Territory{ID: fmt.Sprint(100001 + t), Name: fmt.Sprint("T", t), ManagerID: "1", ReportingTo: "100000"}
		for k := range perTerritory {
			tr.Members = append(tr.Members, fmt.Sprint(10000+(t*7+k)%users))
		}
		seed.Territories = append(seed.Territories, tr)
	}
	pages := func(n, size int) int { return (n + size - 1) / size }
	reads := (territories + 1) + pages(territories+1, zohoterritory.PageSize) + pages(users+1, zohoterritory.PageSize) +
		pages(territories+1, zohoterritory.UsersCountsPageSize)
	floor := time.Duration(pages(reads, limit)) * readLatency
	var total time.Duration
	var sent, refused int
	for b.Loop() {
		b.StopTimer()
		srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithConcurrencyLimit(limit),
			zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: readLatency}))
		if err != nil {
			b.Fatal(err)
		}
		c, err := srv.Client()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		org, err := tree.ReadOrg(b.Context(), c)
		total += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if len(org.Territories) != territories+1 || len(org.Users) != users+1 {
			b.Fatalf("read %d territories and %d users", len(org.Territories), len(org.Users))
		}
		for _, tr := range org.Territories[1:] {
			if n := len(org.Members[tr.ID]); n != perTerritory+1 {
				b.Fatalf("territory %s: %d members read", tr.ID, n)
			}
		}
		st := srv.Stats()
		sent, refused = sent+st.Calls, refused+st.Refused
		srv.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
	b.ReportMetric(float64(total)/float64(b.N)/float64(floor), "x_floor")
	b.ReportMetric(100*float64(refused)/float64(sent), "429-%")
	b.ReportMetric(float64(sent)/float64(b.N), "calls")
}
