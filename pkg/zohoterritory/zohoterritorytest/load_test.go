package zohoterritorytest

import (
	"context"
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

// loadReq is one request of the load test's mix.
type loadReq struct {
	method, target, body string
	auth                 bool
}

// loadRequest is one request of the mix: removals (bulk and single, of
// members, non-members, managers and the default territory) from
// territories 1 to 200, adds (bulk and single, of members already, new
// members and unknown ids) to territories 201 to 300, reads (of the
// memberships and of the directory), and bad input
// (ids that are not ids, too many ids, an add without its body, no token,
// an unknown version or path). Removals and adds touch different
// territories, so that the final state does not depend on the order:
// removals commute, and so do adds.
func loadRequest(r *rand.Rand) loadReq {
	ids := func(n, from, to int) []string {
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprint(from + r.IntN(to-from+1))
		}
		return s
	}
	refs := func(key string, ids []string) string {
		s := make([]string, len(ids))
		for i, id := range ids {
			s[i] = `{"id":"` + id + `"}`
		}
		return `{"` + key + `":[` + strings.Join(s, ",") + `]}`
	}
	u, t, added := 1+r.IntN(200), 1+r.IntN(200), 201+r.IntN(100)
	req := func(method, target string) loadReq { return loadReq{method: method, target: target, auth: true} }
	switch k := r.IntN(100); {
	case k < 22:
		return req("DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories?ids=%s", u, strings.Join(ids(1+r.IntN(100), 1, 200), ",")))
	case k < 35:
		return req("DELETE", fmt.Sprintf("/crm/v7/settings/territories/%d/users?ids=%s", t, strings.Join(ids(1+r.IntN(40), 1, 200), ",")))
	case k < 39:
		return req("DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories/%d", u, t))
	case k < 43:
		return req("DELETE", fmt.Sprintf("/crm/v8/settings/territories/%d/users/%d", t, u))
	case k < 51:
		q := req("PUT", fmt.Sprintf("/crm/v8/settings/territories/%d/users", added))
		q.body = refs("users", ids(1+r.IntN(40), 1, 220))
		return q
	case k < 57:
		q := req("PUT", fmt.Sprintf("/crm/v8/users/%d/territories", u))
		q.body = refs("territories", ids(1+r.IntN(60), 201, 320))
		return q
	case k < 60:
		return req("PUT", fmt.Sprintf("/crm/v7/settings/territories/%d/users/%d", added, u))
	case k < 72:
		return req("GET", fmt.Sprintf("/crm/v8/Users/%d/territories?page=%d&per_page=%d", u, 1+r.IntN(3), 1+r.IntN(200)))
	case k < 78:
		return req("GET", fmt.Sprintf("/crm/v8/settings/territories/%d/users", t))
	case k < 79:
		types := UserTypes()
		return req("GET", fmt.Sprintf("/crm/v8/users?type=%s&page=%d&per_page=%d", types[r.IntN(len(types))], 1+r.IntN(2), 50+r.IntN(151)))
	case k < 80:
		return req("GET", fmt.Sprintf("/crm/v7/Users/%d", u))
	case k < 81:
		return req("GET", fmt.Sprintf("/crm/v8/settings/territories?page=%d&per_page=%d", 1+r.IntN(3), 100+r.IntN(101)))
	case k < 82:
		return req("GET", fmt.Sprintf("/crm/v8/settings/territories?ids=%s", strings.Join(ids(1+r.IntN(100), 1, 320), ",")))
	case k < 86:
		return req("GET", fmt.Sprintf("/crm/v8/Users/%d/territories/%d", u, t))
	case k < 88:
		return req("DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories?ids=1,abc,%d", u, t))
	case k < 90:
		return req("DELETE", fmt.Sprintf("/crm/v8/Users/%d/territories?ids=%s", u, strings.Join(ids(101, 1, 200), ",")))
	case k < 92:
		q := req("PUT", fmt.Sprintf("/crm/v8/settings/territories/%d/users", added))
		q.body = refs("users", ids(101, 1, 200))
		return q
	case k < 93:
		return req("PUT", fmt.Sprintf("/crm/v8/users/%d/territories", u))
	case k < 95:
		return loadReq{method: "DELETE", target: fmt.Sprintf("/crm/v8/Users/%d/territories/%d", u, t)}
	case k < 98:
		return req("GET", fmt.Sprintf("/crm/v9/Users/%d/territories", u))
	default:
		return req("DELETE", fmt.Sprintf("/crm/v8/Territories/%d", t))
	}
}

// newLoadRequest makes q's HTTP request against base.
func newLoadRequest(ctx context.Context, base string, q loadReq, token string) (*http.Request, error) {
	var body io.Reader
	if q.body != "" {
		body = strings.NewReader(q.body)
	}
	hr, err := http.NewRequestWithContext(ctx, q.method, base+q.target, body)
	if err != nil {
		return nil, err
	}
	if q.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	if q.auth {
		hr.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	}
	return hr, nil
}

// TestLoad: 200 clients send 50,000 mixed requests at once to one sandbox
// (10,000 with -short or -race): removals, adds, reads and bad input. None
// is answered 5xx (no fault is set), and the org's final state equals that
// of a second sandbox given the same requests one after another:
// concurrency changes nothing but the order, and removals commute, as do
// adds (they touch other territories).
func TestLoad(t *testing.T) {
	t.Parallel()
	const clients = 200
	total := 50000
	if testing.Short() || raceEnabled {
		total = 10000 // the race detector makes each request ~10× dearer
	}
	seed, token := loadOrg()
	srv := newServer(t, WithSeed(seed))

	reqs := make([][]loadReq, clients)
	for c := range clients {
		r := rand.New(rand.NewPCG(uint64(c), 42))
		for range total / clients {
			reqs[c] = append(reqs[c], loadRequest(r))
		}
	}

	var mu sync.Mutex
	var fives []string
	var ok2xx, bad4xx, adds2xx int
	var wg sync.WaitGroup
	for c := range clients {
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}}
		wg.Go(func() {
			defer hc.CloseIdleConnections()
			for _, q := range reqs[c] {
				hr, err := newLoadRequest(t.Context(), srv.URL(), q, token)
				if !assert.NoError(t, err) {
					return
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
					if q.method == http.MethodPut {
						adds2xx++
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Empty(t, fives, "5xx answers without a fault")
	assert.Greater(t, ok2xx, total/5, "the mix does work")
	assert.Greater(t, bad4xx, total/10, "and has bad input")
	assert.Greater(t, adds2xx, total/20, "and adds")

	model := newServer(t, WithSeed(seed))
	for c := range clients {
		for _, q := range reqs[c] {
			hr, err := newLoadRequest(t.Context(), "http://127.0.0.1", q, token)
			require.NoError(t, err)
			if hr.Body == nil {
				hr.Body = http.NoBody // as a server's request has
			}
			model.serveHTTP(httptest.NewRecorder(), hr)
		}
	}
	grew, shrank := 0, 0
	for _, terr := range seed.Territories {
		require.Equal(t, sorted(model.Members(terr.ID)), sorted(srv.Members(terr.ID)), "members of territory %s", terr.ID)
		switch n := len(srv.Members(terr.ID)); {
		case n > len(terr.Members):
			grew++
		case n < len(terr.Members):
			shrank++
		}
	}
	assert.Greater(t, grew, 50, "the adds added")
	assert.Greater(t, shrank, 50, "the removals removed")
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
					hr, err := newLoadRequest(context.Background(), srv.URL(), loadRequest(r), token)
					if err != nil {
						b.Error(err)
						return
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
