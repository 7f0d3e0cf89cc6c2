package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/sync/errgroup"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// endpoint describes one of the two removal endpoints, in its single and
// bulk form.
type endpoint struct {
	singleOp, bulkOp string
	ownerArg, idsArg string // argument names, for errors
	// key is the envelope's key: "users" or "territories".
	key string
	// build makes the request for ids (one id: the single form) with the
	// generated client's request builders.
	build func(server string, v zohoapi.Version, owner string, ids []string) (*http.Request, error)
	// send sends the request for ids through the generated client.
	send func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, owner string, ids []string) (*http.Response, error)
}

var usersOfTerritory = endpoint{
	singleOp: "removeUserFromTerritory",
	bulkOp:   "removeUsersFromTerritory",
	ownerArg: "territoryID",
	idsArg:   "userIDs",
	key:      "users",
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
}

var territoriesOfUser = endpoint{
	singleOp: "removeTerritoryFromUser",
	bulkOp:   "removeTerritoriesFromUser",
	ownerArg: "userID",
	idsArg:   "territoryIDs",
	key:      "territories",
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
	return c.remove(ctx, usersOfTerritory, Change{Op: OpRemoveUsers, Owner: territoryID, IDs: userIDs})
}

// RemoveTerritoriesFromUser removes territories from a user. It batches,
// checks ids and reports outcomes as [Client.RemoveUsersFromTerritory] does.
// Zoho refuses to remove a territory from its manager, the organization's
// default territory, and any territory from the caller's own user.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v7/remove-territories-from-user.html
func (c *Client) RemoveTerritoriesFromUser(ctx context.Context, userID string, territoryIDs ...string) (*Result, error) {
	return c.remove(ctx, territoriesOfUser, Change{Op: OpRemoveTerritories, Owner: userID, IDs: territoryIDs})
}

func (c *Client) check(e endpoint, owner string, raw []string) ([]string, error) {
	if err := checkID(e.ownerArg, owner); err != nil {
		return nil, err
	}
	return checkIDs(e.idsArg, raw)
}

// run is what the batches of one removal share.
type run struct {
	c        *Client
	e        endpoint
	owner    string
	stop     <-chan struct{}
	maybe    map[string]bool // ids an earlier run may have done
	budget   *budget
	progress *progressTracker
	// fail stops the batches not yet sent after a failure that every
	// later request would meet too (authentication, scope, permission).
	fail context.CancelCauseFunc
}

func (c *Client) remove(ctx context.Context, e endpoint, ch Change) (*Result, error) {
	ids, err := c.check(e, ch.Owner, ch.IDs)
	if err != nil {
		return nil, err
	}
	maybe := map[string]bool{}
	for i, id := range ch.MaybeDone {
		if err := checkID(fmt.Sprintf("MaybeDone[%d]", i), id); err != nil {
			return nil, err
		}
		maybe[id] = true
	}
	bs := batches(ids, c.batchSize)
	res := &Result{Items: make([]ItemResult, 0, len(ids)), Calls: make([]Call, len(bs))}
	outcomes := make([]batchOutcome, len(bs))

	// Per-id failures of one batch never stop the others; a failure that
	// every later request would meet too cancels the batches not yet
	// sent.
	failCtx, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	r := &run{c: c, e: e, owner: ch.Owner, stop: ch.Stop, maybe: maybe, budget: newBudget(c.retry.Budget),
		progress: &progressTracker{p: Progress{Total: len(ids)}, fn: c.progress}, fail: fail}
	var g errgroup.Group
	g.SetLimit(c.concurrency)
	for i, b := range bs {
		g.Go(func() error {
			cause := context.Cause(failCtx)
			if cause == nil && isClosed(ch.Stop) {
				cause = ErrStopped
			}
			if cause != nil {
				outcomes[i] = batchOutcome{items: notSent(b, cause), call: Call{Operation: e.op(len(b)), IDs: b, Err: cause}}
			} else {
				outcomes[i] = r.sendBatch(failCtx, b)
			}
			r.progress.add(outcomes[i].items)
			return nil
		})
	}
	_ = g.Wait()

	var errs []error
	for i, o := range outcomes {
		res.Items = append(res.Items, o.items...)
		res.Unmatched = append(res.Unmatched, o.unmatched...)
		res.Calls[i] = o.call
		if err := o.call.Err; err != nil && !containsErr(errs, err) {
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

type batchOutcome struct {
	items     []ItemResult
	unmatched []ItemResult
	call      Call
}

// sendBatch sends one batch through the request core and turns what it
// came to into per-id outcomes.
func (r *run) sendBatch(ctx context.Context, ids []string) batchOutcome {
	op := r.e.op(len(ids))
	s := r.c.do(ctx, &call{
		op:          op,
		envelopeKey: r.e.key,
		budget:      r.budget,
		stop:        r.stop,
		send: func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) {
			return r.e.send(ctx, gc, r.c.version, r.owner, ids)
		},
	})
	o := r.settle(op, ids, s)
	if fatal(s) {
		r.fail(o.call.Err)
	}
	return o
}

// fatal reports whether every later request of the run would fail as the
// call did: no token could be had, or Zoho refused the token, its scopes or
// the caller's permission.
func fatal(s settled) bool {
	if s.attempts == 0 {
		return false
	}
	if _, ok := fetchErr(s.last); ok {
		return true
	}
	if s.last.kind != kindError {
		return false
	}
	status := s.last.resp.StatusCode
	return status == http.StatusUnauthorized || status == http.StatusForbidden
}

// settle turns what a batch's call came to into per-id outcomes, under the
// README's rules of truth: Removed only on Zoho's word, Failed only when
// nothing was done, Unknown otherwise.
func (r *run) settle(op string, ids []string, s settled) batchOutcome {
	call := Call{Operation: op, IDs: ids, Attempts: s.attempts}
	if s.attempts == 0 {
		call.Err = s.cause
		return batchOutcome{items: notSent(ids, s.cause), call: call}
	}
	a := s.last
	call.Response, call.Body = a.resp, a.body
	call.Err = a.err
	if authErr, ok := fetchErr(a); ok {
		// No token, so this attempt was not sent.
		call.Err = authErr
		if !s.uncertain {
			return batchOutcome{items: notSent(ids, authErr), call: call}
		}
		return batchOutcome{items: unknownAll(ids, "an earlier attempt's outcome was never learned; then: "+authErr.Error(), authErr), call: call}
	}
	if s.cause != nil {
		// Stopped while waiting to retry: the last answer stands.
		call.Err = errors.Join(a.err, fmt.Errorf("%s: %w", op, s.cause))
	}

	switch a.kind {
	case kindItems:
		call.Err = nil
		if s.cause != nil {
			call.Err = fmt.Errorf("%s: %w", op, s.cause)
		}
		matched, unmatched, at := mapItems(ids, a.items, func(id string) bool { return s.uncertain || r.maybe[id] })
		all := append(matched, unmatched...)
		attachDetails(a.body, r.e.key, all, at)
		return batchOutcome{items: all[:len(ids):len(ids)], unmatched: all[len(ids):], call: call}
	case kindNoResponse:
		if !a.sent && !s.uncertain {
			return batchOutcome{items: notSent(ids, call.Err), call: call}
		}
		return batchOutcome{items: unknownAll(ids, "no response: "+a.err.Error(), call.Err), call: call}
	case kindUnreadable, kindNoEnvelope:
		return batchOutcome{items: unknownAll(ids, a.err.Error(), call.Err), call: call}
	}

	// A garbled answer or a request-level error.
	status := a.resp.StatusCode
	switch {
	case status >= 500 || status < 400 || (a.kind == kindGarbled && !a.refused()):
		// A server fault (or an answer no one documented) may come after
		// some ids were removed: the truth is not known.
		return batchOutcome{items: unknownAll(ids, a.err.Error(), call.Err), call: call}
	case s.uncertain:
		// An earlier attempt may have done the work; this refusal says
		// nothing about it.
		return batchOutcome{items: unknownAll(ids, "an earlier attempt's outcome was never learned; then: "+a.err.Error(), call.Err), call: call}
	}
	apiErr := a.apiError()
	reason := reasonFor(apiErr.Code, apiErr.Message)
	if status == http.StatusTooManyRequests {
		reason = ReasonRateLimited
	}
	items := make([]ItemResult, len(ids))
	for i, id := range ids {
		if r.maybe[id] {
			// An earlier run's attempt may have done it; this refusal
			// says nothing about that.
			items[i] = ItemResult{ID: id, Outcome: Unknown, Message: "an earlier run's attempt was never answered; then: " + a.err.Error(), Err: call.Err}
			continue
		}
		items[i] = ItemResult{ID: id, Outcome: Failed, Reason: reason, Code: apiErr.Code, Message: apiErr.Message, Details: apiErr.Details, Err: call.Err}
	}
	return batchOutcome{items: items, call: call}
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
