package zohoterritorytest

import (
	"net/http"
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
