package zohoterritory

import (
	"context"
	"errors"
	"math"
	"sync/atomic"
	"time"
)

// RetryPolicy says when and how a request is sent again. Only failures that
// may pass are retried: transport errors, 429 and 5xx, and a 200, 207 or 400
// whose body was cut off. Other 4xx answers are never retried. Reads and
// changes share one attempt loop, so the policy means the same for both.
type RetryPolicy struct {
	// MaxAttempts is the most times one request is sent, the first
	// included; 1 disables retries.
	MaxAttempts int
	// BaseDelay is the wait before the first retry; each further retry
	// doubles it, up to MaxDelay, with full jitter.
	BaseDelay time.Duration
	// MaxDelay caps one wait, whether computed (the first one included,
	// when BaseDelay is above it) or asked for by the server with
	// Retry-After.
	MaxDelay time.Duration
	// Budget is the most retries one bulk removal (or one listing) may
	// spend across all its calls, so that an outage is not multiplied by
	// the number of batches or pages. 0 leaves retries bounded by
	// MaxAttempts alone.
	Budget int
	// AttemptTimeout bounds each attempt, even when the caller's context
	// has no deadline.
	AttemptTimeout time.Duration
}

// DefaultRetryPolicy returns the policy a [Client] uses unless
// [WithRetryPolicy] says otherwise: 4 attempts, 500 ms doubling to at most
// 30 s, a budget of 20 retries per removal, and 30 s per attempt.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{
		MaxAttempts:    4,
		BaseDelay:      500 * time.Millisecond,
		MaxDelay:       30 * time.Second,
		Budget:         20,
		AttemptTimeout: 30 * time.Second,
	}
}

// validate returns an [*OptionError] of WithRetryPolicy naming the first
// field that breaks its rule. A BaseDelay above MaxDelay is no error:
// every wait, the first included, is capped by MaxDelay.
func (p RetryPolicy) validate() error {
	bad := func(field string, value any, rule string) error {
		return &OptionError{Option: "WithRetryPolicy", Field: field, Value: value, Err: errors.New(rule)}
	}
	switch {
	case p.MaxAttempts < 1:
		return bad("MaxAttempts", p.MaxAttempts, "must be at least 1")
	case p.BaseDelay < 0:
		return bad("BaseDelay", p.BaseDelay, "must not be negative")
	case p.MaxDelay < 0:
		return bad("MaxDelay", p.MaxDelay, "must not be negative")
	case p.Budget < 0:
		return bad("Budget", p.Budget, "must not be negative")
	case p.AttemptTimeout <= 0:
		return bad("AttemptTimeout", p.AttemptTimeout, "must be positive")
	}
	return nil
}

// backoff returns the wait before retry number n (1 for the first retry):
// full jitter over an exponentially growing ceiling.
func (p RetryPolicy) backoff(n int, rnd func() float64) time.Duration {
	ceiling := float64(p.BaseDelay) * math.Pow(2, float64(n-1))
	if ceiling > float64(p.MaxDelay) {
		ceiling = float64(p.MaxDelay)
	}
	return time.Duration(rnd() * ceiling)
}

// budget is the retry budget shared by the batches of one removal.
type budget struct{ left atomic.Int64 }

func newBudget(n int) *budget {
	b := &budget{}
	if n == 0 {
		n = math.MaxInt32
	}
	b.left.Store(int64(n))
	return b
}

// take spends one retry, reporting false when none is left.
func (b *budget) take() bool {
	for {
		n := b.left.Load()
		if n <= 0 {
			return false
		}
		if b.left.CompareAndSwap(n, n-1) {
			return true
		}
	}
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
