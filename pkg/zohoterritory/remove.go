package zohoterritory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// endpoint describes one of the two removal endpoints, in its single and
// bulk form.
type endpoint struct {
	singleOp, bulkOp string
	ownerArg, idsArg string // argument names, for errors
	// build makes the request for ids (one id: the single form) with the
	// generated client's request builders.
	build func(server string, v zohoapi.Version, owner string, ids []string) (*http.Request, error)
	// send sends the request for ids through the generated client.
	send func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, owner string, ids []string) (*http.Response, error)
	// items decodes the envelope; ok is false when the body has no
	// envelope (a top-level error object).
	items func(body []byte) (items []wireItem, ok bool, err error)
	// key is the envelope's key: "users" or "territories".
	key string
}

var usersOfTerritory = endpoint{
	singleOp: "removeUserFromTerritory",
	bulkOp:   "removeUsersFromTerritory",
	ownerArg: "territoryID",
	idsArg:   "userIDs",
	build: func(server string, v zohoapi.Version, territoryID string, ids []string) (*http.Request, error) {
		if len(ids) == 1 {
			return zohoapi.NewRemoveUserFromTerritoryRequest(server, v, territoryID, ids[0])
		}
		return zohoapi.NewRemoveUsersFromTerritoryRequest(server, v, territoryID, &zohoapi.RemoveUsersFromTerritoryParams{Ids: ids})
	},
	send: func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, territoryID string, ids []string) (*http.Response, error) {
		if len(ids) == 1 {
			return gc.RemoveUserFromTerritory(ctx, v, territoryID, ids[0])
		}
		return gc.RemoveUsersFromTerritory(ctx, v, territoryID, &zohoapi.RemoveUsersFromTerritoryParams{Ids: ids})
	},
	key: "users",
	items: func(body []byte) ([]wireItem, bool, error) {
		var env struct {
			Items *[]wireItem `json:"users"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, false, err
		}
		if env.Items == nil {
			return nil, false, nil
		}
		return *env.Items, true, nil
	},
}

var territoriesOfUser = endpoint{
	singleOp: "removeTerritoryFromUser",
	bulkOp:   "removeTerritoriesFromUser",
	ownerArg: "userID",
	idsArg:   "territoryIDs",
	build: func(server string, v zohoapi.Version, userID string, ids []string) (*http.Request, error) {
		if len(ids) == 1 {
			return zohoapi.NewRemoveTerritoryFromUserRequest(server, v, userID, ids[0])
		}
		return zohoapi.NewRemoveTerritoriesFromUserRequest(server, v, userID, &zohoapi.RemoveTerritoriesFromUserParams{Ids: ids})
	},
	send: func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, userID string, ids []string) (*http.Response, error) {
		if len(ids) == 1 {
			return gc.RemoveTerritoryFromUser(ctx, v, userID, ids[0])
		}
		return gc.RemoveTerritoriesFromUser(ctx, v, userID, &zohoapi.RemoveTerritoriesFromUserParams{Ids: ids})
	},
	key: "territories",
	items: func(body []byte) ([]wireItem, bool, error) {
		var env struct {
			Items *[]wireItem `json:"territories"`
		}
		if err := json.Unmarshal(body, &env); err != nil {
			return nil, false, err
		}
		if env.Items == nil {
			return nil, false, nil
		}
		return *env.Items, true, nil
	},
}

func (e endpoint) op(n int) string {
	if n == 1 {
		return e.singleOp
	}
	return e.bulkOp
}

// RemoveUsersFromTerritory removes users from a territory.
//
// One id is sent with the single-id form of the endpoint, more with `ids`,
// in batches of at most 100 sent [WithConcurrency] at a time. The ids are
// checked before anything is sent (an [*InvalidIDError] names the first bad
// one); repeats are dropped. The [Result] has one item per distinct id, in
// input order. A request-level failure is returned as the error, together
// with the Result, which still accounts for every id.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v7/disassociate-users-territory.html
func (c *Client) RemoveUsersFromTerritory(ctx context.Context, territoryID string, userIDs ...string) (*Result, error) {
	return c.remove(ctx, usersOfTerritory, territoryID, userIDs)
}

// RemoveTerritoriesFromUser removes territories from a user. It batches,
// checks ids and reports outcomes as [Client.RemoveUsersFromTerritory] does.
// Zoho refuses to remove a territory from its manager, the organization's
// default territory, and any territory from the caller's own user.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v7/remove-territories-from-user.html
func (c *Client) RemoveTerritoriesFromUser(ctx context.Context, userID string, territoryIDs ...string) (*Result, error) {
	return c.remove(ctx, territoriesOfUser, userID, territoryIDs)
}

// PlannedCall is one request a removal would send; see
// [Client.PlanRemoveUsersFromTerritory].
type PlannedCall struct {
	Operation string
	Method    string
	URL       string
	IDs       []string
}

// PlanRemoveUsersFromTerritory checks the ids as
// [Client.RemoveUsersFromTerritory] does and returns the calls it would
// make, sending nothing.
func (c *Client) PlanRemoveUsersFromTerritory(territoryID string, userIDs ...string) ([]PlannedCall, error) {
	return c.plan(usersOfTerritory, territoryID, userIDs)
}

// PlanRemoveTerritoriesFromUser checks the ids as
// [Client.RemoveTerritoriesFromUser] does and returns the calls it would
// make, sending nothing.
func (c *Client) PlanRemoveTerritoriesFromUser(userID string, territoryIDs ...string) ([]PlannedCall, error) {
	return c.plan(territoriesOfUser, userID, territoryIDs)
}

func (c *Client) plan(e endpoint, owner string, raw []string) ([]PlannedCall, error) {
	ids, err := c.check(e, owner, raw)
	if err != nil {
		return nil, err
	}
	server := c.APIDomain() + "/"
	var out []PlannedCall
	for _, b := range batches(ids, c.batchSize) {
		req, err := e.build(server, c.version, owner, b)
		if err != nil {
			return nil, fmt.Errorf("%s: build request: %w", e.op(len(b)), err)
		}
		out = append(out, PlannedCall{Operation: e.op(len(b)), Method: req.Method, URL: req.URL.String(), IDs: b})
	}
	return out, nil
}

func (c *Client) check(e endpoint, owner string, raw []string) ([]string, error) {
	if err := checkID(e.ownerArg, owner); err != nil {
		return nil, err
	}
	return checkIDs(e.idsArg, raw)
}

func (c *Client) remove(ctx context.Context, e endpoint, owner string, raw []string) (*Result, error) {
	ids, err := c.check(e, owner, raw)
	if err != nil {
		return nil, err
	}
	bs := batches(ids, c.batchSize)
	res := &Result{Items: make([]ItemResult, 0, len(ids)), Calls: make([]Call, len(bs))}
	outcomes := make([][]ItemResult, len(bs))
	unmatched := make([][]ItemResult, len(bs))
	run := &bulkRun{budget: newBudget(c.retry.Budget), progress: &progressTracker{total: len(ids), fn: c.progress}}

	// Per-id failures of one batch never stop the others; a failure that
	// every later request would meet too (authentication, scope,
	// permission) cancels the batches not yet sent.
	stopCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	var g errgroup.Group
	g.SetLimit(c.concurrency)
	for i, b := range bs {
		g.Go(func() error {
			if cause := context.Cause(stopCtx); cause != nil && ctx.Err() == nil {
				outcomes[i] = notSent(b, cause)
				res.Calls[i] = Call{Operation: e.op(len(b)), IDs: b, Err: cause}
				run.progress.add(len(b))
				return nil
			}
			bo := c.sendBatch(stopCtx, e, owner, b, run)
			outcomes[i], unmatched[i], res.Calls[i] = bo.items, bo.unmatched, bo.call
			if bo.fatal {
				stop(bo.call.Err)
			}
			run.progress.add(len(b))
			return nil
		})
	}
	_ = g.Wait()

	var errs []error
	for i := range bs {
		res.Items = append(res.Items, outcomes[i]...)
		res.Unmatched = append(res.Unmatched, unmatched[i]...)
		if err := res.Calls[i].Err; err != nil && !containsErr(errs, err) {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		return res, nil
	}
	if len(errs) == 1 {
		return res, errs[0]
	}
	return res, errors.Join(errs...)
}

func containsErr(errs []error, err error) bool {
	for _, e := range errs {
		if e == err {
			return true
		}
	}
	return false
}

// bulkRun is what the batches of one removal share.
type bulkRun struct {
	budget   *budget
	progress *progressTracker
}

type batchOutcome struct {
	items     []ItemResult
	unmatched []ItemResult
	call      Call
	fatal     bool // later batches would fail the same way
}

func notSent(ids []string, cause error) []ItemResult {
	out := make([]ItemResult, len(ids))
	for i, id := range ids {
		out[i] = ItemResult{ID: id, Outcome: Failed, Reason: ReasonNotSent, Message: "not sent: " + cause.Error(), Err: cause}
	}
	return out
}

func unknownAll(ids []string, why string, err error) []ItemResult {
	out := make([]ItemResult, len(ids))
	for i, id := range ids {
		out[i] = ItemResult{ID: id, Outcome: Unknown, Message: why, Err: err}
	}
	return out
}

// attempt is what one send of a batch learned.
type attempt struct {
	resp    *http.Response
	body    []byte
	err     error // transport or body-read error
	started bool  // the request may have reached the server

	// For 200, 207 and 400, the envelope, decoded once: isEnvelope is
	// false when the body holds no envelope (a top-level error object).
	items      []wireItem
	isEnvelope bool
	decodeErr  error
}

// sendBatch sends one batch, retrying what may pass, and maps the answer
// to per-id outcomes.
func (c *Client) sendBatch(ctx context.Context, e endpoint, owner string, ids []string, run *bulkRun) batchOutcome {
	op := e.op(len(ids))
	call := Call{Operation: op, IDs: ids}
	// uncertain is set once an attempt may have been carried out without
	// the client learning its outcome; see mapItems for what follows.
	uncertain := false
	var last attempt
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			cause := context.Cause(ctx)
			call.Err = cause
			if uncertain {
				return batchOutcome{items: unknownAll(ids, "outcome not learned before the context ended: "+cause.Error(), cause), call: call}
			}
			return batchOutcome{items: notSent(ids, cause), call: call}
		}
		last = c.sendOnce(ctx, e, owner, ids)
		call.Attempts = n
		call.Response, call.Body = last.resp, last.body

		var authErr *AuthError
		if errors.As(last.err, &authErr) {
			// No token, so nothing was sent, and nothing later will be.
			call.Err = last.err
			return batchOutcome{items: notSent(ids, last.err), call: call, fatal: true}
		}

		wait, retryable, why := c.shouldRetry(last)
		if !retryable {
			break
		}
		if last.started && !wasRefused(last) {
			// Zoho may have acted on this attempt (a lost connection, a
			// 5xx, a cut-off or unreadable success).
			uncertain = true
		}
		if n >= c.retry.MaxAttempts || !run.budget.take() {
			break
		}
		if wait == 0 {
			wait = c.retry.backoff(n, c.rnd)
		}
		if deadline, ok := ctx.Deadline(); ok && c.now().Add(wait).After(deadline) {
			// The wait would outlast the caller's deadline: report what
			// this attempt learned rather than the deadline.
			break
		}
		c.logRetry(op, n, wait, why)
		if err := c.sleep(ctx, wait); err != nil {
			continue // the loop's ctx check reports it
		}
	}
	return c.settle(e, op, ids, last, uncertain, call)
}

// sendFunc sends one request through the generated client.
type sendFunc func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error)

// exchange sends one attempt with its own timeout and reads the whole body
// (the transport limits its size). The token is fetched first: its reply
// may name the API domain to call.
func (c *Client) exchange(ctx context.Context, op string, send sendFunc) attempt {
	actx, cancel := context.WithTimeout(ctx, c.retry.AttemptTimeout)
	defer cancel()
	if _, err := c.tokens.token(actx); err != nil {
		return attempt{err: err}
	}
	gc, err := c.api()
	if err != nil {
		return attempt{err: fmt.Errorf("%s: %w", op, err)}
	}
	resp, err := send(actx, gc)
	if err != nil {
		var authErr *AuthError
		if errors.As(err, &authErr) {
			return attempt{err: authErr}
		}
		return attempt{err: err, started: !isDialError(err)}
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return attempt{resp: resp, body: body, err: err, started: true}
}

// sendOnce sends the batch once and decodes the envelope of a 200, 207 or
// 400.
func (c *Client) sendOnce(ctx context.Context, e endpoint, owner string, ids []string) attempt {
	a := c.exchange(ctx, e.op(len(ids)), func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) {
		return e.send(ctx, gc, c.version, owner, ids)
	})
	if a.resp != nil && a.err == nil {
		switch a.resp.StatusCode {
		case http.StatusOK, http.StatusMultiStatus, http.StatusBadRequest:
			a.items, a.isEnvelope, a.decodeErr = e.items(a.body)
		}
	}
	return a
}

// isDialError reports whether err happened while connecting, before any
// byte of the request reached the server.
func isDialError(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// wasRefused reports whether the attempt's status says that nothing was
// done, whatever became of its body: 429, or 400 (Zoho's status when every
// id failed, or when it rejected the request).
func wasRefused(a attempt) bool {
	return a.resp != nil && (a.resp.StatusCode == http.StatusTooManyRequests || a.resp.StatusCode == http.StatusBadRequest)
}

// shouldRetry says whether an attempt may pass on a second try, and how
// long the server asked to wait.
func (c *Client) shouldRetry(a attempt) (wait time.Duration, retry bool, why string) {
	switch {
	case a.resp == nil && !a.started && !isDialError(a.err):
		return 0, false, "" // the request could not even be built
	case a.resp == nil && a.err != nil:
		if errors.Is(a.err, context.Canceled) {
			return 0, false, ""
		}
		return 0, true, a.err.Error()
	case a.err != nil:
		// The body was cut off or too long: the server acted, but what it
		// did is unknown. A too-long body will not shrink.
		if errors.Is(a.err, ErrBodyTooLarge) {
			return 0, false, ""
		}
		return 0, true, "response body: " + a.err.Error()
	case a.resp.StatusCode == http.StatusTooManyRequests:
		return c.capWait(parseRetryAfter(a.resp.Header, c.now())), true, "429 Too Many Requests"
	case a.resp.StatusCode >= 500:
		return c.capWait(parseRetryAfter(a.resp.Header, c.now())), true, a.resp.Status
	case a.resp.StatusCode == http.StatusOK || a.resp.StatusCode == http.StatusMultiStatus:
		if isGarbled(a.decodeErr) {
			// Cut off or garbled on the way: Zoho acted, so ask again.
			return 0, true, a.resp.Status + " with a body that is not JSON"
		}
	case a.resp.StatusCode == http.StatusBadRequest:
		if isJSONContent(a.resp) && isGarbled(a.decodeErr) {
			// A cut-off JSON 400 hides which ids failed and why; asking
			// again is safe, since a 400 says nothing was done.
			return 0, true, a.resp.Status + " with a body that is not JSON"
		}
	}
	return 0, false, ""
}

// isGarbled reports whether a decode error means the body is not JSON at
// all (cut off or garbled), rather than JSON of an unexpected shape.
func isGarbled(decodeErr error) bool {
	var syntaxErr *json.SyntaxError
	return errors.As(decodeErr, &syntaxErr) || errors.Is(decodeErr, io.ErrUnexpectedEOF)
}

func (c *Client) capWait(d time.Duration) time.Duration {
	if d > c.retry.MaxDelay {
		return c.retry.MaxDelay
	}
	return d
}

// settle turns the last attempt into per-id outcomes.
func (c *Client) settle(e endpoint, op string, ids []string, a attempt, uncertain bool, call Call) batchOutcome {
	if a.resp == nil {
		call.Err = fmt.Errorf("%s: %w", op, a.err)
		if !a.started && !uncertain {
			return batchOutcome{items: notSent(ids, call.Err), call: call}
		}
		return batchOutcome{items: unknownAll(ids, "no response: "+a.err.Error(), call.Err), call: call}
	}
	status := a.resp.StatusCode
	apiErr := &APIError{Operation: op, StatusCode: status, Response: a.resp, Body: a.body}
	if a.err != nil {
		apiErr.Err = fmt.Errorf("read body: %w", a.err)
		call.Err = apiErr
		return batchOutcome{items: unknownAll(ids, apiErr.Error(), apiErr), call: call}
	}

	if status == http.StatusOK || status == http.StatusMultiStatus || status == http.StatusBadRequest {
		err := a.decodeErr
		if err == nil && a.isEnvelope {
			matched, unmatched := mapItems(ids, a.items, uncertain)
			attachDetails(a.body, e.key, matched, unmatched)
			return batchOutcome{items: matched, unmatched: unmatched, call: call}
		}
		if status != http.StatusBadRequest {
			// A success status without the envelope: Zoho acted, but the
			// answer says nothing readable about which ids.
			if err == nil {
				err = fmt.Errorf("no %q envelope in the body", e.key)
			}
			apiErr.Err = fmt.Errorf("decode body: %w", err)
			call.Err = apiErr
			return batchOutcome{items: unknownAll(ids, apiErr.Error(), apiErr), call: call}
		}
	}

	callErr := c.requestError(apiErr, a)
	call.Err = callErr

	switch {
	case status >= 500 || status < 400:
		// A server fault (or an answer no one documented) may come after
		// some ids were removed: the truth is not known.
		return batchOutcome{items: unknownAll(ids, apiErr.Error(), callErr), call: call}
	case uncertain:
		// An earlier attempt may have done the work; this refusal says
		// nothing about it.
		return batchOutcome{items: unknownAll(ids, "an earlier attempt's outcome was never learned; then: "+apiErr.Error(), callErr), call: call}
	}
	reason := classify(apiErr.Code, apiErr.Message)
	if status == http.StatusTooManyRequests {
		reason = ReasonRateLimited
	}
	items := make([]ItemResult, len(ids))
	for i, id := range ids {
		items[i] = ItemResult{ID: id, Outcome: Failed, Reason: reason, Code: apiErr.Code, Message: apiErr.Message, Details: apiErr.Details, Err: callErr}
	}
	fatal := status == http.StatusUnauthorized || status == http.StatusForbidden
	return batchOutcome{items: items, call: call, fatal: fatal}
}

// requestError fills apiErr from a top-level Zoho error object, or
// describes what came in its place, and returns it; a 429 comes back as a
// [*RateLimitError] around it. Reads and removals share it.
func (c *Client) requestError(apiErr *APIError, a attempt) error {
	var zerr zohoapi.Error
	if err := json.Unmarshal(a.body, &zerr); err == nil && zerr.Code != "" {
		apiErr.Code, apiErr.Message, apiErr.Details = zerr.Code, zerr.Message, detailsMap(a.body)
	} else {
		apiErr.Message = describeBody(a.resp, a.body)
		if err != nil && len(a.body) > 0 && isJSONContent(a.resp) {
			apiErr.Err = fmt.Errorf("decode body: %w", err)
		}
	}
	if a.resp.StatusCode == http.StatusTooManyRequests {
		return &RateLimitError{APIError: apiErr, RetryAfter: parseRetryAfter(a.resp.Header, c.now())}
	}
	return apiErr
}

func detailsMap(body []byte) map[string]any {
	var v struct {
		Details map[string]any `json:"details"`
	}
	_ = json.Unmarshal(body, &v)
	return v.Details
}

func isJSONContent(resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	return ct == "" || len(ct) >= 16 && ct[:16] == "application/json"
}

// describeBody says what came back when it was not a Zoho error object,
// without echoing a whole page.
func describeBody(resp *http.Response, body []byte) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "no content type"
	}
	if len(body) == 0 {
		return fmt.Sprintf("%s with an empty body", resp.Status)
	}
	return fmt.Sprintf("%s with a body that is not a Zoho error (%s, %d bytes)", resp.Status, ct, len(body))
}
