package zohoterritory_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// planLatency is what the sandbox adds to every request of
// BenchmarkPlanAtScale: a Zoho call's time, about.
const planLatency = 40 * time.Millisecond

// BenchmarkPlanAtScale plans a file of 2,000 territories of 50 users each
// (100,000 memberships, a tenth of them to change) with the default
// (adaptive) client against a sandbox that adds 40 ms to every request
// and answers 429 beyond 20 requests at once, as an Enterprise org does.
// Its reads are the 2,000 territories' users and the 10 pages of the
// territories' listing; the floor is reads ÷ 20 × 40 ms. x_floor is the
// wall time over it, 429-% the share of calls answered 429.
func BenchmarkPlanAtScale(b *testing.B) {
	const perTerritory, users, limit = 50, 5000, 20
	territories := atScale(2000, 200)
	seed := zohoterritorytest.Seed{CallerID: "1", DefaultTerritoryID: "100000"}
	seed.Users = append(seed.Users, zohoterritorytest.User{ID: "1", FullName: "Caller"})
	for i := range users {
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: fmt.Sprint(10000 + i), FullName: fmt.Sprint("U", i)})
	}
	seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: "100000", Name: "Org", ManagerID: "1"})
	var desired []zohoterritory.Membership
	for t := range territories {
		id := fmt.Sprint(100001 + t)
		tr := zohoterritorytest.Territory{ID: id, Name: fmt.Sprint("T", t), ManagerID: "1", ReportingTo: "100000"}
		for k := range perTerritory {
			u := fmt.Sprint(10000 + (t*7+k)%users)
			tr.Members = append(tr.Members, u)
			if k >= 5 { // the file drops five of each territory's users, and adds five
				desired = append(desired, zohoterritory.Membership{TerritoryID: id, UserID: u})
			}
		}
		for k := perTerritory; k < perTerritory+5; k++ {
			desired = append(desired, zohoterritory.Membership{TerritoryID: id, UserID: fmt.Sprint(10000 + (t*7+k)%users)})
		}
		seed.Territories = append(seed.Territories, tr)
	}
	reads := territories + (territories+1+zohoterritory.PageSize-1)/zohoterritory.PageSize
	floor := time.Duration((reads+limit-1)/limit) * planLatency
	var total time.Duration
	var sent, refused int
	for b.Loop() {
		b.StopTimer()
		srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithConcurrencyLimit(limit),
			zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: planLatency}))
		if err != nil {
			b.Fatal(err)
		}
		c, err := srv.Client()
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		plan, err := c.PlanMemberships(b.Context(), desired, nil, zohoterritory.PlanOptions{})
		total += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if tot := plan.Totals(); tot.Add != territories*5 || tot.Remove != territories*5 {
			b.Fatalf("plan: %v", tot)
		}
		st := srv.Stats()
		sent, refused = sent+st.Calls, refused+st.Refused
		srv.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
	b.ReportMetric(float64(total)/float64(b.N)/float64(floor), "x_floor")
	b.ReportMetric(100*float64(refused)/float64(sent), "429-%")
}
