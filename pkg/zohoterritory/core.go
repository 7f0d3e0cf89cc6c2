package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// This file is the request core: every HTTP request the client makes, read
// or change, goes through [Client.do], one attempt loop with one set of
// rules (backoff with jitter, Retry-After, the deadline rule, the retry
// budget, the per-attempt timeout), and every response is read by
// [Client.classify].

// sendFunc sends one request through the generated client.
type sendFunc func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error)

// call is one request of an operation, sent and retried by [Client.do]
// until it settles.
type call struct {
	op string
	// envelopeKey is the key of a change's envelope, or "" for a read.
	envelopeKey string
	// creates says the call makes territories: its 201 bears the envelope
	// as a 200 does. No other change is answered 201 by Zoho; a 201 to
	// one breaks the contract, and its ids are not guessed at.
	creates bool
	send    sendFunc
	// budget is the retry budget shared by the calls of one listing or
	// one change.
	budget *budget
	// stop, once closed, keeps further attempts from being sent: the call
	// settles with the answer it has.
	stop <-chan struct{}
	// beforeSend, if set, is called before each attempt is sent; an error
	// keeps the attempt from being sent and ends the call.
	beforeSend func(attempt int) error
	// afterAttempt, if set, is called with each attempt's answer before
	// the retry decision: the per-attempt hook.
	afterAttempt func(attempt int, a answer)
	// prepare, if set, is called before each attempt waits for its slot
	// of the concurrency limit, with the attempt's number and the last
	// answer (the zero answer before the first). Unlike beforeSend it
	// holds no slot, so it may make calls of its own: a create looks up
	// the names of a lost answer there before it sends them again. An
	// error ends the call as beforeSend's does.
	prepare func(attempt int, last answer) error
}

// settled is what a call came to.
type settled struct {
	// last is the last attempt's answer; meaningless when attempts is 0.
	last     answer
	attempts int
	// uncertain is set once an attempt may have been carried out without
	// the client learning its outcome (a lost connection after sending, a
	// 5xx, a cut-off or unreadable success) and a later attempt followed.
	uncertain bool
	// cause is why the call stopped before its answer settled it: the
	// context's cause, [ErrStopped], or beforeSend's error; nil when the
	// last answer is the call's own end.
	cause error
	// hookFailed says that cause came from beforeSend.
	hookFailed bool
}

// ErrStopped is the cause of the ids a [Change] left unsent, or unretried,
// because its Stop channel was closed; the error [Client.Apply] returns then
// matches it with errors.Is.
var ErrStopped = errors.New("zohoterritory: stopped before it was sent")

// do sends c, retrying what may pass as the client's [RetryPolicy] says.
// It never sleeps past the caller's deadline: when the wait before a retry
// would outlast it, the last answer stands, so that a 429 is reported as a
// [*RateLimitError] rather than as a deadline.
//
// Each attempt holds a slot of the client's concurrency limit while it is
// in flight (see limiter.go); a 429 that the adaptive limit explains is sent
// again once a slot frees, without spending an attempt or the budget.
func (c *Client) do(ctx context.Context, cl *call) settled {
	var s settled
	free := 0 // the limiter's own retries, not counted as attempts
	for n := 1; ; n++ {
		if ctx.Err() != nil {
			s.cause = context.Cause(ctx)
			return s
		}
		if n > 1 && isClosed(cl.stop) {
			s.cause = ErrStopped
			return s
		}
		if cl.prepare != nil {
			if err := cl.prepare(n, s.last); err != nil {
				s.cause, s.hookFailed = err, true
				return s
			}
		}
		sl, err := c.limiter.acquire(ctx, cl.stop)
		if err != nil {
			s.cause = err
			return s
		}
		if cl.beforeSend != nil {
			if err := cl.beforeSend(n); err != nil {
				sl.release(signalNone)
				s.cause, s.hookFailed = err, true
				return s
			}
		}
		start := c.now()
		a := c.attempt(ctx, cl)
		again := sl.release(signalOf(a))
		c.logAnswer(cl.op, n, a, c.now().Sub(start))
		s.last, s.attempts = a, n
		if cl.afterAttempt != nil {
			cl.afterAttempt(n, a)
		}
		retry, why := a.retryable()
		if !retry {
			return s
		}
		if a.sent && !a.refused() {
			s.uncertain = true
		}
		if again && free < maxFreeRetries {
			free++
			if c.logger != nil {
				c.logger.Debug("zohoterritory: over the concurrency limit; sending again under the lowered limit",
					"operation", cl.op, "attempt", n, "limit", c.Concurrency().Limit)
			}
			continue
		}
		if n-free >= c.retry.MaxAttempts || !cl.budget.take() {
			return s
		}
		wait := min(a.retryAfter, c.retry.MaxDelay)
		if wait == 0 {
			wait = c.retry.backoff(n, c.rnd)
		}
		if deadline, ok := ctx.Deadline(); ok && c.now().Add(wait).After(deadline) {
			return s
		}
		if isClosed(cl.stop) {
			s.cause = ErrStopped
			return s
		}
		c.logRetry(cl.op, n, wait, why)
		sctx, cancel := untilStopped(ctx, cl.stop)
		_ = c.sleep(sctx, wait) // the loop's checks report why it ended early
		cancel()
	}
}

// untilStopped returns ctx, ended early when stop is closed, for waits that
// a stop should cut short. Call cancel when the wait is over.
func untilStopped(ctx context.Context, stop <-chan struct{}) (_ context.Context, cancel func()) {
	sctx, cancel := context.WithCancel(ctx)
	if stop == nil {
		return sctx, cancel
	}
	go func() {
		select {
		case <-stop:
		case <-sctx.Done():
		}
		cancel()
	}()
	return sctx, cancel
}

// attempt sends one attempt with its own timeout, reads the whole body (the
// transport limits its size) and classifies the answer. The token is
// fetched first: its reply may name the API domain to call.
func (c *Client) attempt(ctx context.Context, cl *call) answer {
	actx, cancel := context.WithTimeout(ctx, c.retry.AttemptTimeout)
	defer cancel()
	if _, err := c.tokens.token(actx); err != nil {
		return answer{kind: kindNoResponse, err: err}
	}
	gc, err := c.api()
	if err != nil {
		return c.classify(cl, nil, nil, err, false)
	}
	resp, err := cl.send(actx, gc)
	if err != nil {
		var authErr *AuthError
		if errors.As(err, &authErr) {
			return answer{kind: kindNoResponse, err: authErr}
		}
		return c.classify(cl, nil, nil, err, !isDialError(err))
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close() // read to the end: nothing is lost
	return c.classify(cl, resp, body, err, true)
}

// isDialError reports whether err happened while connecting, before any
// byte of the request reached the server.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

func isClosed(ch <-chan struct{}) bool {
	if ch == nil {
		return false
	}
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// logAnswer logs one attempt at debug level, if a logger is set: the
// operation, the path (never the query, where ids may be long, nor any
// header), and the status or the failure.
func (c *Client) logAnswer(op string, attempt int, a answer, took time.Duration) {
	if c.logger == nil {
		return
	}
	attrs := []any{"operation", op, "attempt", attempt, "elapsed", took}
	switch {
	case a.resp != nil:
		if a.resp.Request != nil {
			attrs = append(attrs, "method", a.resp.Request.Method, "path", a.resp.Request.URL.Path)
		}
		attrs = append(attrs, "status", a.resp.StatusCode)
	case a.err != nil:
		attrs = append(attrs, "error", a.err.Error())
	}
	c.logger.Debug("zohoterritory: attempt", attrs...)
}

// logLimit logs a change of the adaptive concurrency limit, if a logger is
// set.
func (c *Client) logLimit(limit int, why string) {
	if c.logger != nil {
		c.logger.Debug("zohoterritory: concurrency limit", "limit", limit, "reason", why)
	}
}

// logRetry logs a retry, if a logger is set.
func (c *Client) logRetry(op string, attempt int, wait time.Duration, why string) {
	if c.logger != nil {
		c.logger.Warn("zohoterritory: retrying", "operation", op, "attempt", attempt, "wait", wait, "reason", why)
	}
}

// fetchErr is the error of a call whose token could not be had: the
// [*AuthError] itself, never wrapped, so that the caller sees the accounts
// server it names.
func fetchErr(a answer) (*AuthError, bool) {
	var authErr *AuthError
	if a.kind == kindNoResponse && errors.As(a.err, &authErr) {
		return authErr, true
	}
	return nil, false
}

// readErr turns a settled read into its error: nil when the last answer is
// one a read wants (200 with JSON, or 204).
func readErr(op string, s settled) error {
	switch {
	case s.attempts == 0:
		return fmt.Errorf("%s: %w", op, s.cause)
	case s.last.kind == kindOK:
		return nil
	}
	err := s.last.err
	if authErr, ok := fetchErr(s.last); ok {
		err = authErr
	}
	if s.cause != nil && !errors.Is(err, s.cause) {
		// Stopped while waiting to retry: the last answer stands, and
		// the caller learns why nothing followed it.
		return errors.Join(err, fmt.Errorf("%s: %w", op, s.cause))
	}
	return err
}
