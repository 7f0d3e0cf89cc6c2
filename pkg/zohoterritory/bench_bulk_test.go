package zohoterritory_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testorg"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// latency is the delay the sandbox adds to every API request in the
// throughput benchmarks.
const latency = 20 * time.Millisecond

// BenchmarkBulkThroughput removes a user from n territories through the
// sandbox with 20 ms added to every request. The floor is
// ceil(n/100 batches / concurrency) × 20 ms; x_floor is the wall time over
// that floor.
func BenchmarkBulkThroughput(b *testing.B) {
	cases := []struct{ ids, concurrency int }{
		{10000, 10}, {10000, 1}, {10000, 4}, {10000, 25}, {1000, 10}, {100000, 10},
	}
	for _, bc := range cases {
		bc.ids = atScale(bc.ids, bc.ids/10)
		b.Run(fmt.Sprintf("ids=%d/concurrency=%d", bc.ids, bc.concurrency), func(b *testing.B) {
			seed, ids := testorg.UserInTerritories(bc.ids)
			rep := testorg.Rep
			batches := (bc.ids + 99) / 100
			waves := (batches + bc.concurrency - 1) / bc.concurrency
			floor := time.Duration(waves) * latency
			var total time.Duration
			for b.Loop() {
				b.StopTimer()
				srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed),
					zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: latency}))
				if err != nil {
					b.Fatal(err)
				}
				c, err := srv.Client(zohoterritory.WithConcurrency(bc.concurrency))
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				res, err := c.RemoveTerritoriesFromUser(b.Context(), rep, ids...)
				total += time.Since(start)
				b.StopTimer()
				if err != nil || len(res.Removed()) != bc.ids {
					b.Fatalf("removed %d of %d: %v", len(res.Removed()), bc.ids, err)
				}
				srv.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
			b.ReportMetric(float64(total)/float64(b.N)/float64(floor), "x_floor")
		})
	}
}
