package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// simResult is what a simulated run of calls through a limiter came to.
type simResult struct {
	sent, refused, peak int
	// serverPeak is the most calls the server was serving at once.
	serverPeak int
}

// simulate runs calls calls through l against a server that serves at most
// serverLimit at once and answers 429 at once beyond it, as Zoho does. It
// is a deterministic event loop, not goroutines: the limiter admits while
// it can, a refused call's answer comes back first, then the oldest
// accepted call's. A call the limiter says to send again goes back to the
// queue; one it does not is given up (the test counts those as failures).
func simulate(t *testing.T, l *limiter, serverLimit, calls int) (r simResult, givenUp int) {
	t.Helper()
	type flight struct {
		s        slot
		accepted bool
	}
	var refusedQ, acceptedQ []flight
	pending, serving := calls, 0
	for pending > 0 || len(refusedQ)+len(acceptedQ) > 0 {
		for pending > 0 && l.canAdmit() {
			s, err := l.acquire(context.Background(), nil)
			require.NoError(t, err)
			pending--
			r.sent++
			r.peak = max(r.peak, s.n)
			if serving < serverLimit {
				serving++
				r.serverPeak = max(r.serverPeak, serving)
				acceptedQ = append(acceptedQ, flight{s, true})
			} else {
				r.refused++
				refusedQ = append(refusedQ, flight{s, false})
			}
		}
		var f flight
		if len(refusedQ) > 0 {
			f, refusedQ = refusedQ[0], refusedQ[1:]
		} else {
			f, acceptedQ = acceptedQ[0], acceptedQ[1:]
		}
		if f.accepted {
			serving--
			f.s.release(signalAccepted)
			continue
		}
		if f.s.release(signalOverLimit) {
			pending++
		} else {
			givenUp++
		}
	}
	return r, givenUp
}

// canAdmit reports whether acquire would return at once.
func (l *limiter) canAdmit() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.waiters) == 0 && l.inflight < l.limit
}

// TestAdaptiveLimitFindsZohosLimit: against every edition's limit (and
// limits below and above them) the adaptive limiter never has more than
// its cap in flight, settles on the server's limit (or the cap), and has
// at most 5% of its calls refused; when the server allows the cap, none.
func TestAdaptiveLimitFindsZohosLimit(t *testing.T) {
	t.Parallel()
	const calls = 1000
	for _, serverLimit := range []int{1, 2, 5, 10, 15, 20, 25, 40} {
		t.Run(fmt.Sprint(serverLimit), func(t *testing.T) {
			t.Parallel()
			l := newAdaptiveLimiter(DefaultConcurrencyCap)
			r, givenUp := simulate(t, l, serverLimit, calls)
			want := min(serverLimit, DefaultConcurrencyCap)
			st := l.stats()

			assert.LessOrEqual(t, r.peak, DefaultConcurrencyCap, "never above the cap")
			assert.Equal(t, calls, r.sent-r.refused, "every call accepted once")
			assert.LessOrEqual(t, r.refused*100, 5*r.sent, "at most 5%% of calls refused: %d of %d", r.refused, r.sent)
			assert.Equal(t, want, r.serverPeak, "the server was kept busy up to its limit")
			assert.Equal(t, r.refused, st.TooManyRequests)
			if serverLimit >= DefaultConcurrencyCap {
				assert.Zero(t, r.refused, "no 429 when Zoho allows the cap")
				assert.Equal(t, DefaultConcurrencyCap, st.Limit)
				assert.False(t, st.Learned)
			} else {
				assert.True(t, st.Learned)
				assert.Contains(t, []int{want, want + 1}, st.Limit, "the limit sits at Zoho's, or one probe above")
				assert.Equal(t, want, l.ceiling)
			}
			if serverLimit > 1 {
				assert.Zero(t, givenUp, "with more than one in flight, every 429 is the limiter's to resend")
			}
		})
	}
}

// TestAdaptiveLimitBacksOff: a 429 for a call sent with n in flight brings
// the limit to n-1 at once and asks for the call again; a 429 with one in
// flight, or one asking for a wait, is the retry policy's.
func TestAdaptiveLimitBacksOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		inFlight  int
		sig       signal
		wantLimit int
		wantAgain bool
	}{
		{"429 with 4 in flight", 4, signalOverLimit, 3, true},
		{"429 with 2 in flight", 2, signalOverLimit, 1, true},
		{"429 with 1 in flight", 1, signalOverLimit, 1, false},
		{"429 asking for a wait", 4, signalRateLimited, 3, false},
		{"server fault", 4, signalNone, 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newAdaptiveLimiter(DefaultConcurrencyCap)
			slots := make([]slot, tt.inFlight)
			for i := range slots {
				s, err := l.acquire(context.Background(), nil)
				require.NoError(t, err)
				slots[i] = s
			}
			last := slots[tt.inFlight-1]
			require.Equal(t, tt.inFlight, last.n)
			assert.Equal(t, tt.wantAgain, last.release(tt.sig))
			assert.Equal(t, tt.wantLimit, l.stats().Limit)
			for _, s := range slots[:tt.inFlight-1] {
				s.release(signalAccepted)
			}
			if tt.sig == signalOverLimit || tt.sig == signalRateLimited {
				assert.LessOrEqual(t, l.stats().Limit, tt.wantLimit, "successes after a 429 do not undo it")
			}
		})
	}
}

// TestFixedLimitNeverMoves: with WithConcurrency the limit is what was
// given, whatever Zoho answers.
func TestFixedLimitNeverMoves(t *testing.T) {
	t.Parallel()
	l := newFixedLimiter(25)
	r, givenUp := simulate(t, l, 5, 200)
	assert.Equal(t, 25, l.stats().Limit)
	assert.False(t, l.stats().Adaptive)
	assert.Equal(t, 25, r.peak)
	assert.Greater(t, r.refused, 0, "25 at once against a limit of 5 is refused")
	assert.Equal(t, r.refused, givenUp, "a fixed limit leaves 429s to the retry policy")
}

// TestLimiterWaits: a caller past the limit waits, in arrival order, until
// a slot frees, its context ends or the client stops; a slot handed to a
// caller that gave up meanwhile is not lost.
func TestLimiterWaits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		l := newFixedLimiter(1)
		first, err := l.acquire(t.Context(), nil)
		require.NoError(t, err)

		var order []int
		done := make(chan int, 3)
		for i := range 3 {
			go func() {
				s, err := l.acquire(t.Context(), nil)
				if err != nil {
					done <- -1
					return
				}
				order = append(order, i) // one slot: never two at once
				s.release(signalAccepted)
				done <- i
			}()
			synctest.Wait() // queue them in order
		}
		first.release(signalAccepted)
		for range 3 {
			require.NotEqual(t, -1, <-done)
		}
		assert.Equal(t, []int{0, 1, 2}, order, "first come, first served")

		held, err := l.acquire(t.Context(), nil)
		require.NoError(t, err)
		ctx, cancel := context.WithCancelCause(t.Context())
		cause := errors.New("operator gave up")
		errc := make(chan error, 1)
		go func() { _, err := l.acquire(ctx, nil); errc <- err }()
		synctest.Wait()
		cancel(cause)
		assert.ErrorIs(t, <-errc, cause)

		stop := make(chan struct{})
		go func() { _, err := l.acquire(t.Context(), stop); errc <- err }()
		synctest.Wait()
		close(stop)
		assert.ErrorIs(t, <-errc, ErrStopped)

		held.release(signalAccepted)
		assert.Zero(t, l.stats().InFlight, "no slot left behind")
		again, err := l.acquire(t.Context(), nil)
		require.NoError(t, err)
		again.release(signalAccepted)
	})
}

// TestAdaptiveLimitReactsOncePerWindow: several 429s for calls sent under
// the same limit lower it once (as TCP halves once per window of losses);
// each of them is sent again for free; a refused probe goes back to the
// ceiling that passed, not below it.
func TestAdaptiveLimitReactsOncePerWindow(t *testing.T) {
	t.Parallel()
	l := newAdaptiveLimiter(DefaultConcurrencyCap)
	var slots []slot
	for range 4 {
		s, err := l.acquire(context.Background(), nil)
		require.NoError(t, err)
		slots = append(slots, s)
	}
	assert.True(t, slots[3].release(signalOverLimit))
	assert.Equal(t, 3, l.stats().Limit)
	assert.True(t, slots[2].release(signalOverLimit), "sent under the old limit: free")
	assert.True(t, slots[1].release(signalOverLimit), "sent under the old limit: free")
	assert.Equal(t, 3, l.stats().Limit, "one decrease for one window")
	slots[0].release(signalAccepted)

	// Fill windows at the ceiling of 3 until a probe starts.
	for l.stats().Limit == 3 {
		var w []slot
		for range 3 {
			s, err := l.acquire(context.Background(), nil)
			require.NoError(t, err)
			w = append(w, s)
		}
		for _, s := range w {
			s.release(signalAccepted)
		}
	}
	require.Equal(t, 4, l.stats().Limit, "probing one above the ceiling")
	var w []slot
	for range 4 {
		s, err := l.acquire(context.Background(), nil)
		require.NoError(t, err)
		w = append(w, s)
	}
	assert.True(t, w[1].release(signalOverLimit), "the probe's cost: free") // its arrival took another call's place
	assert.Equal(t, 3, l.stats().Limit, "back to the ceiling that passed")
	for _, s := range []slot{w[0], w[2], w[3]} {
		s.release(signalAccepted)
	}
	assert.Equal(t, 3, l.stats().Limit)
	assert.Equal(t, 2*probeRounds, l.rounds, "probes half as often")
}
