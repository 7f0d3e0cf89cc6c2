package zohoterritory_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testorg"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// BenchmarkUnderZohosLimit removes a user from 100,000 territories (1,000
// calls) through a sandbox that adds 20 ms to every request and answers
// 429 beyond its concurrency limit, as Zoho does, for the default
// (adaptive) client and for fixed concurrencies of 4 and 25. The floor is
// calls ÷ limit × 20 ms; x_floor is the wall time over it, 429-% the share
// of calls answered 429, removed-% the share of ids removed (a fixed 25
// above the limit runs out of retries).
func BenchmarkUnderZohosLimit(b *testing.B) {
	ids := atScale(100000, 10000)
	seed, terrs := testorg.UserInTerritories(ids)
	clients := []struct {
		name string
		opts []zohoterritory.Option
	}{
		{"default", nil},
		{"fixed4", []zohoterritory.Option{zohoterritory.WithConcurrency(4)}},
		{"fixed25", []zohoterritory.Option{zohoterritory.WithConcurrency(25)}},
	}
	for _, limit := range []int{5, 10, 20} {
		for _, cl := range clients {
			b.Run(fmt.Sprintf("limit=%d/client=%s", limit, cl.name), func(b *testing.B) {
				calls := (ids + 99) / 100
				floor := time.Duration((calls+limit-1)/limit) * latency
				var total time.Duration
				var sent, refused, removed int
				for b.Loop() {
					b.StopTimer()
					srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed),
						zohoterritorytest.WithConcurrencyLimit(limit),
						zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: latency}))
					if err != nil {
						b.Fatal(err)
					}
					c, err := srv.Client(cl.opts...)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					start := time.Now()
					res, _ := c.RemoveTerritoriesFromUser(b.Context(), testorg.Rep, terrs...)
					total += time.Since(start)
					b.StopTimer()
					st := srv.Stats()
					sent, refused, removed = sent+st.Calls, refused+st.Refused, removed+len(res.Removed())
					if cl.opts == nil && !res.AllRemoved() {
						b.Fatalf("the default client left ids: %v", res)
					}
					srv.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
				b.ReportMetric(float64(total)/float64(b.N)/float64(floor), "x_floor")
				b.ReportMetric(100*float64(refused)/float64(sent), "429-%")
				b.ReportMetric(100*float64(removed)/float64(b.N*ids), "removed-%")
			})
		}
	}
}

// preEncoded is a server that answers each batch of a removal with its
// envelope encoded in advance, after 20 ms, so that what is measured is
// the client's own cost and the latency, not the sandbox's.
func preEncoded(b *testing.B, terrs []string) *httptest.Server {
	b.Helper()
	bodies := map[string][]byte{}
	for start := 0; start < len(terrs); start += 100 {
		batch := terrs[start:min(start+100, len(terrs))]
		items := make([]map[string]any, len(batch))
		q := ""
		for i, id := range batch {
			items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "Territory removed from the user successfully", "status": "success"}
			if i > 0 {
				q += ","
			}
			q += id
		}
		body, err := json.Marshal(map[string]any{"territories": items})
		if err != nil {
			b.Fatal(err)
		}
		bodies[q] = body
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := bodies[r.URL.Query().Get("ids")]
		// The server's latency, as in the sandbox; a client that gives up
		// frees the handler.
		select {
		case <-time.After(latency):
		case <-r.Context().Done():
			return
		}
		if !ok {
			http.Error(w, "unexpected batch", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkClientCost removes a user from 10,000 territories at a fixed
// concurrency of 10 with 20 ms per request (floor 200 ms), against a
// server of pre-encoded answers (server=pre-encoded: the client's own
// cost) and against the full sandbox (server=sandbox).
func BenchmarkClientCost(b *testing.B) {
	const ids, concurrency = 10000, 10
	seed, terrs := testorg.UserInTerritories(ids)
	floor := time.Duration(ids/100/concurrency) * latency
	for _, server := range []string{"pre-encoded", "sandbox"} {
		b.Run("server="+server, func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				b.StopTimer()
				var c *zohoterritory.Client
				var close func()
				switch server {
				case "pre-encoded":
					srv := preEncoded(b, terrs)
					var err error
					c, err = zohoterritory.New(zohoterritory.WithAPIDomain(srv.URL), zohoterritory.WithAccessToken("1000.bench"),
						zohoterritory.WithConcurrency(concurrency))
					if err != nil {
						b.Fatal(err)
					}
					close = srv.Close
				default:
					srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed),
						zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: latency}))
					if err != nil {
						b.Fatal(err)
					}
					c, err = srv.Client(zohoterritory.WithConcurrency(concurrency))
					if err != nil {
						b.Fatal(err)
					}
					close = srv.Close
				}
				b.StartTimer()
				start := time.Now()
				res, err := c.RemoveTerritoriesFromUser(b.Context(), testorg.Rep, terrs...)
				total += time.Since(start)
				b.StopTimer()
				if err != nil || len(res.Removed()) != ids {
					b.Fatalf("removed %d of %d: %v", len(res.Removed()), ids, err)
				}
				close()
				b.StartTimer()
			}
			b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
			b.ReportMetric(float64(total)/float64(b.N)/float64(floor), "x_floor")
		})
	}
}
