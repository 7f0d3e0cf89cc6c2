package zohoterritorytest

import (
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loadOrg is the org of the load test: 200 users, 300 territories, each
// user in 40 of them; user 1 is the caller, territory 1 the default one,
// and each territory is managed by one of the first 20 users.
func loadOrg() (Seed, string) {
	const token = "1000.load-test-token"
	seed := Seed{CallerID: "1", DefaultTerritoryID: "1",
		AccessTokens: []Token{{AccessToken: token, Scopes: AllScopes()}}}
	for u := 1; u <= 200; u++ {
		seed.Users = append(seed.Users, User{ID: fmt.Sprint(u), FullName: fmt.Sprint("U", u)})
	}
	for t := 1; t <= 300; t++ {
		terr := Territory{ID: fmt.Sprint(t), Name: fmt.Sprint("T", t), ManagerID: fmt.Sprint(1 + t%20)}
		if t > 1 {
			terr.ReportingTo = "1"
		}
		for u := 1; u <= 200; u++ {
			if t == 1 || (u*7+t*13)%300 < 40 {
				terr.Members = append(terr.Members, fmt.Sprint(u))
			}
		}
		seed.Territories = append(seed.Territories, terr)
	}
	return seed, token
}

// loadRequest is one request of the mix: removals (bulk and single, of
// members, non-members, managers and the default territory), reads, and
// bad input (ids that are not ids, too many ids, no token, an unknown
// version or path).
func loadRequest(r *rand.Rand) (method, target string, auth bool) {
	ids := func(n, max int) string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprint(1 + r.IntN(max))
		}
		return strings.Join(s, ",")
	}
	u, t := 1+r.IntN(200), 1+r.IntN(300)
	switch k := r.IntN(100); {
	case k < 25:
		return "DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories?ids=%s", u, ids(1+r.IntN(100), 300)), true
	case k < 40:
		return "DELETE", fmt.Sprintf("/crm/v7/settings/territories/%d/users?ids=%s", t, ids(1+r.IntN(40), 200)), true
	case k < 45:
		return "DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories/%d", u, t), true
	case k < 50:
		return "DELETE", fmt.Sprintf("/crm/v8/settings/territories/%d/users/%d", t, u), true
	case k < 65:
		return "GET", fmt.Sprintf("/crm/v8/Users/%d/territories?page=%d&per_page=%d", u, 1+r.IntN(3), 1+r.IntN(200)), true
	case k < 80:
		return "GET", fmt.Sprintf("/crm/v8/settings/territories/%d/users", t), true
	case k < 85:
		return "GET", fmt.Sprintf("/crm/v8/Users/%d/territories/%d", u, t), true
	case k < 88:
		return "DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories?ids=1,abc,%d", u, t), true
	case k < 91:
		return "DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories?ids=%s", u, ids(101, 300)), true
	case k < 94:
		return "DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories/%d", u, t), false
	case k < 97:
		return "GET", fmt.Sprintf("/crm/v9/Users/%d/territories", u), true
	default:
		return "DELETE", fmt.Sprintf("/crm/v8/Territories/%d", t), true
	}
}

// TestLoad: 200 clients send 50,000 mixed requests at once to one sandbox
// (10,000 with -short or -race). None is answered 5xx (no fault is set), and the
// org's final state equals that of a second sandbox given the same
// requests one after another: concurrency changes nothing but the order,
// and removals commute.
func TestLoad(t *testing.T) {
	t.Parallel()
	const clients = 200
	total := 50000
	if testing.Short() || raceEnabled {
		total = 10000 // the race detector makes each request ~10× dearer
	}
	seed, token := loadOrg()
	srv := newServer(t, WithSeed(seed))

	type req struct {
		method, target string
		auth           bool
	}
	reqs := make([][]req, clients)
	for c := range clients {
		r := rand.New(rand.NewPCG(uint64(c), 42))
		for range total / clients {
			m, tg, a := loadRequest(r)
			reqs[c] = append(reqs[c], req{m, tg, a})
		}
	}

	var mu sync.Mutex
	var fives []string
	var ok2xx, bad4xx int
	var wg sync.WaitGroup
	for c := range clients {
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		wg.Go(func() {
			defer hc.CloseIdleConnections()
			for _, q := range reqs[c] {
				hr, err := http.NewRequestWithContext(t.Context(), q.method, srv.URL()+q.target, nil)
				if !assert.NoError(t, err) {
					return
				}
				if q.auth {
					hr.Header.Set("Authorization", "Zoho-oauthtoken "+token)
				}
				resp, err := hc.Do(hr)
				if !assert.NoError(t, err, "%s %s", q.method, q.target) {
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				_ = resp.Body.Close()
				mu.Lock()
				switch {
				case resp.StatusCode >= 500:
					fives = append(fives, fmt.Sprintf("%s %s: %d", q.method, q.target, resp.StatusCode))
				case resp.StatusCode >= 400:
					bad4xx++
				default:
					ok2xx++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Empty(t, fives, "5xx answers without a fault")
	assert.Greater(t, ok2xx, total/5, "the mix does work")
	assert.Greater(t, bad4xx, total/10, "and has bad input")

	model := newServer(t, WithSeed(seed))
	for c := range clients {
		for _, q := range reqs[c] {
			hr := httptest.NewRequest(q.method, q.target, nil)
			if q.auth {
				hr.Header.Set("Authorization", "Zoho-oauthtoken "+token)
			}
			model.serveHTTP(httptest.NewRecorder(), hr)
		}
	}
	for _, terr := range seed.Territories {
		require.Equal(t, sorted(model.Members(terr.ID)), sorted(srv.Members(terr.ID)), "members of territory %s", terr.ID)
	}
	assert.Equal(t, total, len(srv.Requests()))
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// BenchmarkLoad is TestLoad's traffic, measured: requests a second, the
// 99th percentile of a request's latency, and the memory the process took
// from the system.
func BenchmarkLoad(b *testing.B) {
	const clients, total = 200, 50000
	seed, token := loadOrg()
	for b.Loop() {
		b.StopTimer()
		srv, err := NewServer(WithSeed(seed))
		if err != nil {
			b.Fatal(err)
		}
		lat := make([][]time.Duration, clients)
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		for c := range clients {
			hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(c), 42))
				for range total / clients {
					m, tg, a := loadRequest(r)
					hr, _ := http.NewRequest(m, srv.URL()+tg, nil)
					if a {
						hr.Header.Set("Authorization", "Zoho-oauthtoken "+token)
					}
					t0 := time.Now()
					resp, err := hc.Do(hr)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
					lat[c] = append(lat[c], time.Since(t0))
				}
				hc.CloseIdleConnections()
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		b.StopTimer()
		all := slices.Concat(lat...)
		slices.Sort(all)
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(total)/elapsed.Seconds(), "req/s")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(ms.Sys)/(1<<20), "sys-MiB")
		srv.Close()
		b.StartTimer()
	}
}
