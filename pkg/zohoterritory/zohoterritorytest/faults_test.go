package zohoterritorytest

import (
	"context"
	"encoding/json"
	"errors"
	"io"

	"net/http"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// rawAnswer is what a plain net/http client got for one request.
type rawAnswer struct {
	status  int
	header  http.Header
	body    []byte
	doErr   error // no response at all
	readErr error // the response's body could not be read in full
	elapsed time.Duration
}

// rawDelete sends a DELETE with the server's token and reads the answer
// without failing the test, so that faults can be looked at.
func rawDelete(t *testing.T, srv *Server, rawURL string, timeout time.Duration) rawAnswer {
	t.Helper()
	return rawDeleteCtx(t, t.Context(), srv, rawURL, timeout, nil)
}

// rawDeleteCtx is rawDelete under ctx; afterHeaders, if set, is called once
// the status line and headers have arrived, before the body is read.
func rawDeleteCtx(t *testing.T, ctx context.Context, srv *Server, rawURL string, timeout time.Duration, afterHeaders func()) rawAnswer {
	t.Helper()
	hc := &http.Client{Timeout: timeout, Transport: &http.Transport{DisableKeepAlives: true}}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, rawURL, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Zoho-oauthtoken "+srv.AccessToken())
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		return rawAnswer{doErr: err, elapsed: time.Since(start)}
	}
	defer resp.Body.Close()
	if afterHeaders != nil {
		afterHeaders()
	}
	body, err := io.ReadAll(resp.Body)
	return rawAnswer{status: resp.StatusCode, header: resp.Header, body: body, readErr: err, elapsed: time.Since(start)}
}

// Points at which a test's client gives up on its request.
const (
	giveUpOnArrival = "arrival" // once the server has the request, before it answers
	giveUpOnHeaders = "headers" // once the status line and headers are in
)

// deleteAndGiveUp sends a DELETE and cancels it at the point when says,
// with no guess about timing: on arrival, the server's Arrived hook holds
// the request until the client has given up.
func deleteAndGiveUp(t *testing.T, srv *Server, rawURL, when string, arrived <-chan struct{}, release chan<- struct{}) rawAnswer {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	if when == giveUpOnHeaders {
		return rawDeleteCtx(t, ctx, srv, rawURL, time.Minute, cancel)
	}
	done := make(chan rawAnswer, 1)
	go func() { done <- rawDeleteCtx(t, ctx, srv, rawURL, time.Minute, nil) }()
	<-arrived
	cancel()
	a := <-done
	close(release)
	return a
}

const (
	okDevFromNA  = `{"users":[{"code":"SUCCESS","details":{"id":"` + dev + `"},"message":"` + msgUserRemoved + `","status":"success"}]}`
	notMemberDev = `{"users":[{"code":"INVALID_DATA","details":{},"message":"` + msgUserNotAMember + `","status":"error"}]}`
)

// TestFaultKinds sends one request under each fault and checks what the
// client sees, and whether the removal was done: the work is done before
// the answer breaks for 500, reset during the body, truncation and a slow
// body, and not at all for 429, 503, reset before, and the proxy's 502.
func TestFaultKinds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault    Fault
		giveUp   string // when the client gives up (giveUpOnArrival, giveUpOnHeaders); "": it waits
		done     bool   // the removal was carried out
		check    func(t *testing.T, a rawAnswer)
		recorded int // Request.Status
	}{
		{Fault{Kind: FaultLatency, Count: 1, Delay: 80 * time.Millisecond}, "", true, func(t *testing.T, a rawAnswer) {
			assert.Equal(t, http.StatusOK, a.status)
			assert.JSONEq(t, okDevFromNA, string(a.body))
			assert.GreaterOrEqual(t, a.elapsed, 80*time.Millisecond)
		}, 200},
		{Fault{Kind: FaultLatency, Count: 1, Delay: 50 * time.Millisecond}, giveUpOnArrival, true, func(t *testing.T, a rawAnswer) {
			require.ErrorIs(t, a.doErr, context.Canceled, "the client gave up first")
		}, 200},
		{Fault{Kind: FaultRateLimit, Count: 1, RetryAfter: 2 * time.Second}, "", false, func(t *testing.T, a rawAnswer) {
			assert.Equal(t, http.StatusTooManyRequests, a.status)
			assert.Equal(t, "2", a.header.Get("Retry-After"))
			assert.JSONEq(t, topError("TOO_MANY_REQUESTS", msgTooManyRequests, `{"retry_after":2,"trace_id":"sandbox-1"}`), string(a.body))
		}, 429},
		{Fault{Kind: FaultServerError, Count: 1}, "", true, func(t *testing.T, a rawAnswer) {
			assert.Equal(t, http.StatusInternalServerError, a.status)
			assert.JSONEq(t, topError("INTERNAL_SERVER_ERROR", msgInternalError, ""), string(a.body))
		}, 500},
		{Fault{Kind: FaultResetBefore, Count: 1}, "", false, func(t *testing.T, a rawAnswer) {
			require.Error(t, a.doErr)
			assert.ErrorIs(t, a.doErr, syscall.ECONNRESET)
		}, 0},
		{Fault{Kind: FaultResetDuring, Count: 1}, "", true, func(t *testing.T, a rawAnswer) {
			require.NoError(t, a.doErr, "the status line and headers arrive")
			assert.Equal(t, http.StatusOK, a.status)
			assert.Equal(t, strconv.Itoa(len(okDevFromNA)), a.header.Get("Content-Length"))
			require.Error(t, a.readErr)
			assert.True(t, errors.Is(a.readErr, syscall.ECONNRESET) || errors.Is(a.readErr, io.ErrUnexpectedEOF), "%v", a.readErr)
			assert.Equal(t, okDevFromNA[:len(a.body)], string(a.body), "a prefix of the real answer")
		}, 200},
		{Fault{Kind: FaultTruncate, Count: 1}, "", true, func(t *testing.T, a rawAnswer) {
			require.NoError(t, a.readErr, "a complete HTTP response")
			assert.Equal(t, http.StatusOK, a.status)
			assert.Equal(t, okDevFromNA[:len(okDevFromNA)/2], string(a.body))
			assert.False(t, json.Valid(a.body))
			assert.Equal(t, "application/json", a.header.Get("Content-Type"))
		}, 200},
		{Fault{Kind: FaultHTML502, Count: 1}, "", false, func(t *testing.T, a rawAnswer) {
			assert.Equal(t, http.StatusBadGateway, a.status)
			assert.Equal(t, "text/html", a.header.Get("Content-Type"))
			assert.Contains(t, string(a.body), "<title>502 Bad Gateway</title>")
		}, 502},
		{Fault{Kind: FaultSlowBody, Count: 1, Delay: 100 * time.Millisecond}, "", true, func(t *testing.T, a rawAnswer) {
			require.NoError(t, a.readErr)
			assert.JSONEq(t, okDevFromNA, string(a.body))
			assert.GreaterOrEqual(t, a.elapsed, 90*time.Millisecond)
		}, 200},
		{Fault{Kind: FaultSlowBody, Count: 1, Delay: 20 * time.Second}, giveUpOnHeaders, true, func(t *testing.T, a rawAnswer) {
			require.NoError(t, a.doErr, "the headers arrive at once")
			assert.Equal(t, http.StatusOK, a.status)
			require.Error(t, a.readErr, "giving up ends the read")
			assert.Less(t, len(a.body), len(okDevFromNA))
		}, 200},
		{Fault{Kind: FaultHang, Count: 1}, giveUpOnArrival, true, func(t *testing.T, a rawAnswer) {
			require.ErrorIs(t, a.doErr, context.Canceled, "no answer ever comes")
		}, 0},
		{Fault{Kind: FaultExtraItems, Count: 1}, "", true, func(t *testing.T, a rawAnswer) {
			assert.Equal(t, http.StatusMultiStatus, a.status)
			extra := `{"code":"INVALID_DATA","details":{},"message":"` + msgUserIsManager + `","status":"error"}`
			assert.JSONEq(t, `{"users":[{"code":"SUCCESS","details":{"id":"`+dev+`"},"message":"`+msgUserRemoved+`","status":"success"},`+extra+`,`+extra+`]}`, string(a.body))
		}, 207},
		{Fault{Kind: FaultStall, Count: 1}, giveUpOnHeaders, true, func(t *testing.T, a rawAnswer) {
			require.NoError(t, a.doErr, "the headers arrive")
			assert.Equal(t, http.StatusOK, a.status)
			assert.Equal(t, strconv.Itoa(len(okDevFromNA)), a.header.Get("Content-Length"))
			require.Error(t, a.readErr, "the body stops halfway")
			assert.Equal(t, okDevFromNA[:len(a.body)], string(a.body), "a prefix of the real answer")
		}, 200},
	}
	require.Len(t, tests, len(FaultKinds())+2, "every fault kind, and latency and a slow body given up on")
	for _, tt := range tests {
		t.Run(string(tt.fault.Kind)+"/"+tt.fault.Delay.String(), func(t *testing.T) {
			t.Parallel()
			arrived, release := make(chan struct{}, 1), make(chan struct{})
			hooks := Hooks{Arrived: func(*http.Request) {
				select {
				case arrived <- struct{}{}:
					<-release // the first request waits until its client gave up
				default:
				}
			}}
			if tt.giveUp != giveUpOnArrival {
				hooks = Hooks{}
			}
			srv := newServer(t, WithContractCheck(checker(t)), WithFaults(tt.fault), WithHooks(hooks))
			url := usersURL(srv, "v8", na, "", "ids="+dev)
			if tt.giveUp == "" {
				tt.check(t, rawDelete(t, srv, url, time.Minute))
			} else {
				tt.check(t, deleteAndGiveUp(t, srv, url, tt.giveUp, arrived, release))
			}
			// The sandbox goes on after a client gave up; wait for it.
			require.NoError(t, srv.WaitIdle(t.Context()))

			want := []string{ben, chloe, dev}
			if tt.done {
				want = []string{ben, chloe}
			}
			assert.Equal(t, want, srv.Members(na), "the work was done: %v", tt.done)

			// Count 1: the next request is answered normally, and shows
			// whether the first one did the work.
			a := rawDelete(t, srv, usersURL(srv, "v8", na, "", "ids="+dev), 5*time.Second)
			if tt.done {
				assert.Equal(t, http.StatusBadRequest, a.status)
				assert.JSONEq(t, notMemberDev, string(a.body))
			} else {
				assert.Equal(t, http.StatusOK, a.status)
				assert.JSONEq(t, okDevFromNA, string(a.body))
			}

			require.NoError(t, srv.WaitIdle(t.Context()))
			reqs := srv.Requests()
			require.Len(t, reqs, 2)
			if reqs[1].Fault != "" || reqs[1].Latency != 0 {
				reqs[0], reqs[1] = reqs[1], reqs[0]
			}
			first := reqs[0]
			if tt.fault.Kind == FaultLatency {
				assert.Equal(t, FaultKind(""), first.Fault)
				assert.Equal(t, tt.fault.Delay, first.Latency)
			} else {
				assert.Equal(t, tt.fault.Kind, first.Fault)
			}
			assert.Equal(t, tt.recorded, first.Status)
			assert.Equal(t, Request{Method: "DELETE", Path: reqs[1].Path, RawQuery: "ids=" + dev, Status: reqs[1].Status}, reqs[1], "no fault on the second")
			assert.Empty(t, srv.Violations(), "what the handler answered before the fault broke it matches the spec")
		})
	}
}

// TestServerErrorBurstAlternates: odd hits do the work and answer 500, even
// hits answer 503 without doing it.
func TestServerErrorBurstAlternates(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithFaults(Fault{Kind: FaultServerError, Count: 2}))
	a := rawDelete(t, srv, usersURL(srv, "v8", na, dev, ""), 5*time.Second)
	assert.Equal(t, http.StatusInternalServerError, a.status)
	b := rawDelete(t, srv, usersURL(srv, "v8", na, chloe, ""), 5*time.Second)
	assert.Equal(t, http.StatusServiceUnavailable, b.status)
	assert.JSONEq(t, topError("INTERNAL_ERROR", msgUnavailable, ""), string(b.body))
	assert.Equal(t, []string{ben, chloe}, srv.Members(na), "the 500 removed Dev, the 503 left Chloe")
	c := rawDelete(t, srv, usersURL(srv, "v8", na, chloe, ""), 5*time.Second)
	assert.Equal(t, http.StatusOK, c.status, "the burst is over")
}

// TestFaultSelection: faults hit requests by number (Every) up to Count,
// in the order given, and latency adds to another fault.
func TestFaultSelection(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithFaults(
		Fault{Kind: FaultLatency, Count: 1, Delay: time.Millisecond},
		Fault{Kind: FaultRateLimit, Count: 2, Every: 2},
		Fault{Kind: FaultHTML502, Count: 2},
	))
	var statuses []int
	for range 7 {
		// An unknown territory: 400 when no fault hits.
		statuses = append(statuses, rawDelete(t, srv, usersURL(srv, "v8", unknownID, dev, ""), 5*time.Second).status)
	}
	assert.Equal(t, []int{502, 429, 502, 429, 400, 400, 400}, statuses)
	reqs := srv.Requests()
	assert.Equal(t, time.Millisecond, reqs[0].Latency)
	assert.Equal(t, FaultHTML502, reqs[0].Fault)
	assert.Zero(t, reqs[1].Latency)
}

// TestSetFaults changes the faults of a running server, numbering requests
// afresh.
func TestSetFaults(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	assert.Equal(t, http.StatusOK, rawDelete(t, srv, usersURL(srv, "v8", na, dev, ""), 5*time.Second).status)

	require.NoError(t, srv.SetFaults(Fault{Kind: FaultRateLimit, Count: 1, Every: 2}))
	assert.Equal(t, http.StatusOK, rawDelete(t, srv, usersURL(srv, "v8", na, chloe, ""), 5*time.Second).status, "request 1 of the new faults")
	assert.Equal(t, http.StatusTooManyRequests, rawDelete(t, srv, usersURL(srv, "v8", eu, chloe, ""), 5*time.Second).status, "request 2")

	err := srv.SetFaults(Fault{Kind: "meteor"})
	require.ErrorContains(t, err, `fault kind "meteor"`)
	require.NoError(t, srv.SetFaults(Fault{Kind: FaultResetBefore}))
	assert.Error(t, rawDelete(t, srv, usersURL(srv, "v8", eu, chloe, ""), 5*time.Second).doErr)
	require.NoError(t, srv.SetFaults())
	assert.Equal(t, http.StatusOK, rawDelete(t, srv, usersURL(srv, "v8", eu, chloe, ""), 5*time.Second).status, "faults off")
}

func TestFaultValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		fault Fault
		want  string
	}{
		{"unknown kind", Fault{Kind: "flood"}, `fault kind "flood"`},
		{"no kind", Fault{}, `fault kind ""`},
		{"negative count", Fault{Kind: FaultTruncate, Count: -1}, "Count -1 is negative"},
		{"negative every", Fault{Kind: FaultTruncate, Every: -2}, "Every -2 is negative"},
		{"latency without delay", Fault{Kind: FaultLatency}, "latency fault: Delay 0s"},
		{"slow body too slow", Fault{Kind: FaultSlowBody, Delay: time.Hour}, "at most 30s"},
		{"delay on a reset", Fault{Kind: FaultResetBefore, Delay: time.Second}, "Delay is only for latency and slow_body"},
		{"retry-after on a 502", Fault{Kind: FaultHTML502, RetryAfter: time.Second}, "RetryAfter is only for rate_limit"},
		{"fractional retry-after", Fault{Kind: FaultRateLimit, RetryAfter: 1500 * time.Millisecond}, "whole seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, err := NewServer(WithFaults(Fault{Kind: FaultLatency, Delay: time.Millisecond}, tt.fault))
			require.Error(t, err)
			assert.Nil(t, srv)
			assert.Contains(t, err.Error(), tt.want)
			assert.Contains(t, err.Error(), "(fault 1)")
		})
	}
}

// TestTokenEndpointHasNoFaults: faults hit CRM API requests only.
func TestTokenEndpointHasNoFaults(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithFaults(Fault{Kind: FaultResetBefore}))
	c := srv.OAuthClient()
	status, body := postToken(t, srv, map[string][]string{"grant_type": {"refresh_token"}, "client_id": {c.ClientID},
		"client_secret": {c.ClientSecret}, "refresh_token": {c.RefreshToken}})
	assert.Equal(t, http.StatusOK, status)
	assert.NotEmpty(t, body["access_token"])
	assert.Error(t, rawDelete(t, srv, usersURL(srv, "v8", na, dev, ""), 5*time.Second).doErr)
}

// TestFaultsUnderConcurrency: hits are counted under the server's lock, so
// concurrent requests see exactly Count faults.
func TestFaultsUnderConcurrency(t *testing.T) {
	t.Parallel()
	seed, ids := bigSeed(100)
	srv := newServer(t, WithSeed(seed), WithFaults(Fault{Kind: FaultRateLimit, Count: 10}, Fault{Kind: FaultTruncate, Count: 5, Every: 3}))
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for _, id := range ids {
		wg.Go(func() {
			a := rawDelete(t, srv, usersURL(srv, "v8", "20", id, ""), 5*time.Second)
			mu.Lock()
			statuses[a.status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	assert.Equal(t, map[int]int{429: 10, 200: 90}, statuses)
	faults := map[FaultKind]int{}
	for _, r := range srv.Requests() {
		faults[r.Fault]++
	}
	assert.Equal(t, map[FaultKind]int{FaultRateLimit: 10, FaultTruncate: 5, "": 85}, faults)
	assert.Len(t, srv.Members("20"), 11, "the manager and the ten rate-limited users are left")
}

// TestCloseCutsFaultDelaysShort: Close does not wait out a long latency,
// and the request it cuts short is not carried out.
func TestCloseCutsFaultDelaysShort(t *testing.T) {
	t.Parallel()
	arrived := make(chan struct{})
	srv, err := NewServer(WithFaults(Fault{Kind: FaultLatency, Delay: 20 * time.Second}),
		WithHooks(Hooks{Arrived: func(*http.Request) { close(arrived) }}))
	require.NoError(t, err)
	done := make(chan rawAnswer, 1)
	go func() { done <- rawDelete(t, srv, usersURL(srv, "v8", na, dev, ""), 30*time.Second) }()
	<-arrived
	start := time.Now()
	srv.Close()
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Error(t, (<-done).doErr)
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na))
}
