package zohoterritorytest

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrencyLimit: with two requests being served, a third is
// answered 429 at once and does nothing; the counts say so.
func TestConcurrencyLimit(t *testing.T) {
	t.Parallel()
	held, release := make(chan struct{}, 2), make(chan struct{})
	srv := newServer(t, WithContractCheck(checker(t)), WithConcurrencyLimit(2), WithHooks(Hooks{
		Answering: func(*http.Request, int) {
			held <- struct{}{}
			<-release
		},
	}))
	tok := srv.AccessToken()
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, id := range []string{chloe, dev} {
		wg.Go(func() { statuses[i], _ = send(t, http.MethodDelete, usersURL(srv, "v8", na, id, ""), tok) })
	}
	<-held
	<-held // both are being served
	status, body := call(t, http.MethodDelete, territoriesURL(srv, "v8", "Users", dev, west, ""), tok)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.JSONEq(t, topError("TOO_MANY_REQUESTS", msgTooManyRequests, ""), body)
	close(release)
	wg.Wait()
	assert.Equal(t, []int{200, 200}, statuses)
	assert.Equal(t, Stats{Calls: 3, Refused: 1, PeakInFlight: 2}, srv.Stats())
	assert.Contains(t, srv.TerritoriesOf(dev), west, "the refused call did nothing")
	var over int
	for _, r := range srv.Requests() {
		if r.OverLimit {
			over++
			assert.Equal(t, http.StatusTooManyRequests, r.Status)
		}
	}
	assert.Equal(t, 1, over)
	assert.Empty(t, srv.Violations())

	_, err := NewServer(WithConcurrencyLimit(0))
	require.ErrorContains(t, err, "concurrency limit 0: must be at least 1")
}

// TestCloseLetsRequestsInFlightFinish: a request being answered when Close
// starts is answered in full, and Close returns only after it.
func TestCloseLetsRequestsInFlightFinish(t *testing.T) {
	t.Parallel()
	held, release := make(chan struct{}), make(chan struct{})
	srv := newServer(t, WithHooks(Hooks{
		Answering: func(*http.Request, int) {
			close(held)
			<-release
		},
	}))
	statusc := make(chan int, 1)
	go func() {
		status, _ := send(t, http.MethodDelete, usersURL(srv, "v8", na, chloe, ""), srv.AccessToken())
		statusc <- status
	}()
	<-held
	closed := make(chan struct{})
	go func() {
		srv.Close()
		close(closed)
	}()
	<-srv.closing // Close has begun
	select {
	case <-closed:
		t.Fatal("Close returned while a request was being answered")
	default:
	}
	close(release)
	assert.Equal(t, http.StatusOK, <-statusc, "the request in flight was answered")
	<-closed
	assert.NotContains(t, srv.Members(na), chloe, "and its work was done")
}

// TestServerLimits: a request line and headers past 64 kB are refused with
// 431, and a seed file past MaxSeedBytes before it is decoded.
func TestServerLimits(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL()+"/crm/v8/Users/1/territories", nil)
	require.NoError(t, err)
	req.Header.Set("X-Padding", strings.Repeat("x", 100<<10))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)

	big := filepath.Join(t.TempDir(), "big.json")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(MaxSeedBytes+1))
	require.NoError(t, f.Close())
	_, err = NewServer(WithSeedFile(big))
	require.ErrorContains(t, err, "larger than 64 MiB")
}
