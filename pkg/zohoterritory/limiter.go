package zohoterritory

import (
	"context"
	"net/http"
	"strconv"
	"sync"
)

// This file is the client's concurrency limit: every attempt [Client.do]
// sends holds one slot of the Client's limiter while it is in flight, so
// the limit is shared by every batch of a change, every page of a listing
// and every call made at once on one Client.
//
// Zoho refuses calls beyond an organization's limit of concurrent calls
// (5 to 25 by edition) with 429 and does nothing for them. The adaptive
// limit finds that limit as TCP's congestion control finds a path's
// capacity (RFC 5681: slow start, then a decrease on a loss, at most one
// decrease a window), with changes that fit a server that counts calls
// rather than queueing them:
//
//   - A 429 for a call sent with n in flight says the limit is below n, so
//     the limit becomes n-1 at once (not half), and that value is kept as
//     the ceiling. Answers to calls sent before that decrease (under the
//     old, higher limit) are not counted again, as TCP reacts once per
//     window of losses.
//   - Above the ceiling the limit grows only by probes: one more slot after
//     a number of windows of successes at the ceiling, a number that
//     doubles after each probe Zoho refuses (exponential backoff of the
//     probing, as Netflix's concurrency-limits library spaces its probes).
//     A probe passes when a whole window of calls at the higher limit
//     passes; it then becomes the ceiling (additive increase).
//   - The limit does not grow while the window is not full (RFC 7661): a
//     slot that was never used says nothing about Zoho's limit.
//
// A call refused with 429 without a Retry-After while it was sent above
// what the limit has come down to is sent again as soon as a slot frees;
// such a retry spends neither the retry budget nor an attempt of
// [RetryPolicy.MaxAttempts], because it is the limiter's own cost. Any
// other 429 (one sent within the limit, or one asking for a wait) is
// retried as the policy says.

// DefaultConcurrencyCap is the most calls an adaptive [Client] has in flight
// at once, unless [WithConcurrencyCap] says otherwise: the limit of Zoho's
// largest edition (Ultimate).
const DefaultConcurrencyCap = 25

const (
	// initialConcurrency is where the adaptive limit starts: under the
	// smallest edition's limit of 5, so a Free org sees a 429 only when
	// the limit probes past it.
	initialConcurrency = 4
	// probeRounds is how many windows of successes at the ceiling come
	// before the first probe; each refused probe doubles it, up to
	// maxProbeRounds.
	probeRounds    = 4
	maxProbeRounds = 256
	// maxFreeRetries bounds the limiter's own retries of one call, a
	// guard against a server that refuses everything: each one needs the
	// limit to have come down.
	maxFreeRetries = 8
)

// limiter bounds the attempts a Client has in flight.
type limiter struct {
	adaptive bool
	cap      int
	// onChange, if set, is called (without the lock) when the adaptive
	// limit changes, with the new limit and why.
	onChange func(limit int, why string)

	mu       sync.Mutex
	limit    int // slots now
	inflight int
	waiters  []chan slot // FIFO; each is sent the slot it was admitted to
	// ceiling is the most calls in flight Zoho is believed to accept: cap
	// until a 429 says less.
	ceiling int
	learned bool // a 429 has set the ceiling
	// epoch counts the decreases; a slot remembers the epoch it was
	// admitted in, and only answers of the current epoch move the limit.
	epoch int
	// passed counts the successes of the current epoch at the limit: at
	// the ceiling, rounds windows of them start a probe; during a probe
	// (limit = ceiling+1), one window of them ends it.
	passed, rounds  int
	peak, overLimit int
}

func newFixedLimiter(n int) *limiter {
	return &limiter{cap: n, limit: n, ceiling: n}
}

func newAdaptiveLimiter(ceiling int) *limiter {
	return &limiter{adaptive: true, cap: ceiling, limit: min(initialConcurrency, ceiling), ceiling: ceiling, rounds: probeRounds}
}

// slot is one admitted attempt; release it once its answer is read.
type slot struct {
	l *limiter
	// n is how many were in flight with it when it was admitted; epoch
	// the limiter's epoch then.
	n, epoch int
}

// acquire waits for a slot, until ctx ends or stop is closed (then the
// error is the context's cause, or [ErrStopped]).
func (l *limiter) acquire(ctx context.Context, stop <-chan struct{}) (slot, error) {
	l.mu.Lock()
	if len(l.waiters) == 0 && l.inflight < l.limit {
		sl := l.admitLocked()
		l.mu.Unlock()
		return sl, nil
	}
	w := make(chan slot, 1)
	l.waiters = append(l.waiters, w)
	l.mu.Unlock()

	var cause error
	select {
	case sl := <-w:
		return sl, nil
	case <-ctx.Done():
		cause = context.Cause(ctx)
	case <-stop:
		cause = ErrStopped
	}
	l.mu.Lock()
	for i, x := range l.waiters {
		if x == w {
			l.waiters = append(l.waiters[:i], l.waiters[i+1:]...)
			l.mu.Unlock()
			return slot{}, cause
		}
	}
	l.mu.Unlock()
	// Admitted meanwhile: give the slot back unused.
	(<-w).release(signalNone)
	return slot{}, cause
}

func (l *limiter) admitLocked() slot {
	l.inflight++
	l.peak = max(l.peak, l.inflight)
	return slot{l: l, n: l.inflight, epoch: l.epoch}
}

// signal is what an attempt's answer says about the limit.
type signal int

const (
	// signalNone: nothing (no answer, a server fault, or not sent).
	signalNone signal = iota
	// signalAccepted: Zoho answered the call itself.
	signalAccepted
	// signalOverLimit: 429 without a wait asked for.
	signalOverLimit
	// signalRateLimited: 429 with a wait asked for (Retry-After, or
	// details.retry_after): credits rather than concurrency, probably.
	signalRateLimited
)

// signalOf reads an attempt's answer for the limiter.
func signalOf(a answer) signal {
	switch {
	case a.resp == nil || a.kind == kindUnreadable:
		return signalNone
	case a.resp.StatusCode == http.StatusTooManyRequests && a.retryAfter > 0:
		return signalRateLimited
	case a.resp.StatusCode == http.StatusTooManyRequests:
		return signalOverLimit
	case a.resp.StatusCode >= 500:
		return signalNone
	}
	return signalAccepted
}

// release frees the slot and adapts the limit to what its answer said.
// again reports that the answer was a 429 the lowered limit explains, to
// be sent again without waiting or spending the retry budget.
func (s slot) release(sig signal) (again bool) {
	l := s.l
	if l == nil {
		return false
	}
	l.mu.Lock()
	var why string
	before := l.limit
	if sig == signalOverLimit || sig == signalRateLimited {
		l.overLimit++
	}
	if l.adaptive {
		// Sent under a higher limit than the one the answer leaves
		// (an older one, a probe's, or above the new ceiling): the
		// limiter's own cost, sent again for free.
		above := s.epoch != l.epoch || (l.learned && l.limit > l.ceiling)
		why = l.adaptLocked(s, sig)
		again = sig == signalOverLimit && s.n > 1 && (above || s.n > l.ceiling)
	}
	l.inflight--
	for len(l.waiters) > 0 && l.inflight < l.limit {
		w := l.waiters[0]
		l.waiters = l.waiters[1:]
		w <- l.admitLocked()
	}
	after, onChange := l.limit, l.onChange
	l.mu.Unlock()
	if after != before && onChange != nil {
		onChange(after, why)
	}
	return again
}

// adaptLocked moves the adaptive limit after the answer to s, and says why
// it moved ("" if it did not).
func (l *limiter) adaptLocked(s slot, sig signal) (why string) {
	if s.epoch != l.epoch {
		return "" // sent under an older, higher limit: already reacted to
	}
	probing := l.learned && l.limit > l.ceiling
	switch sig {
	case signalOverLimit, signalRateLimited:
		if probing {
			// A refused probe: back to the ceiling, which whole
			// windows passed at (the 429 may have come to another
			// call than the probe's, which arrived first), and probe
			// half as often.
			l.rounds = min(maxProbeRounds, 2*l.rounds)
		} else {
			l.ceiling = max(1, min(s.n-1, l.ceiling))
		}
		l.learned = true
		l.limit, l.passed = l.ceiling, 0
		l.epoch++
		return "429 with " + strconv.Itoa(s.n) + " in flight"
	case signalAccepted:
	default:
		return ""
	}
	if len(l.waiters) == 0 && l.inflight < l.limit {
		// The window was not full: growing it would not be used, and
		// would only let a later burst past Zoho's limit (RFC 7661).
		return ""
	}
	switch {
	case !l.learned:
		if l.limit < l.cap {
			l.limit++ // slow start: one more a success, twice as many a round trip
			return "slow start"
		}
	case probing:
		if l.passed++; l.passed >= l.limit {
			l.ceiling, l.passed = l.limit, 0
			if l.ceiling < l.cap {
				l.limit++ // keep probing while probes pass: one a window
				return "a probe passed"
			}
		}
	case l.ceiling < l.cap:
		if l.passed++; l.passed >= l.rounds*l.ceiling {
			l.limit, l.passed = l.ceiling+1, 0
			return "probing"
		}
	}
	return ""
}

// ConcurrencyStats says what a [Client]'s concurrency limit has come to; see
// [Client.Concurrency].
type ConcurrencyStats struct {
	// Adaptive says the limit is found by the client ([WithConcurrency]
	// was not given).
	Adaptive bool
	// Limit is how many calls may be in flight now; Cap the most it may
	// ever be.
	Limit, Cap int
	// Learned says a 429 has shown Zoho's limit: Limit is then at most
	// what Zoho accepted, plus a probe.
	Learned bool
	// InFlight is how many calls are in flight now; Peak the most that
	// were at once.
	InFlight, Peak int
	// TooManyRequests counts the answers with status 429.
	TooManyRequests int
}

// Concurrency returns what the client's concurrency limit has come to, for
// reports such as the CLI's verbose summary.
func (c *Client) Concurrency() ConcurrencyStats { return c.limiter.stats() }

func (l *limiter) stats() ConcurrencyStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return ConcurrencyStats{
		Adaptive: l.adaptive, Limit: l.limit, Cap: l.cap, Learned: l.learned,
		InFlight: l.inflight, Peak: l.peak, TooManyRequests: l.overLimit,
	}
}
