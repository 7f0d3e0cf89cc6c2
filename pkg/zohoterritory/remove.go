package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// endpoint describes one change endpoint (a removal, or an add in add.go),
// in its single and bulk form.
type endpoint struct {
	op Op
	// ownerPathIndex is the owner's place in the path, as Zoho's
	// resource_path_index counts it after /crm/{version}/.
	ownerPathIndex   int
	singleOp, bulkOp string
	ownerArg, idsArg string // argument names, for errors
	// key is the envelope's key: "users" or "territories".
	key string
	// newRequest makes the request for ids (one id: the single form) with
	// the generated client's request builders.
	newRequest func(server string, v zohoapi.Version, owner string, ids []string) (*http.Request, error)
}

// build makes the request for ids. The generated builder escapes the
// commas of `ids` (ids=1%2C2); they are sent as Zoho's documentation and
// SDKs send them (ids=1,2), which any server decodes the same way.
func (e endpoint) build(server string, v zohoapi.Version, owner string, ids []string) (*http.Request, error) {
	req, err := e.newRequest(server, v, owner, ids)
	if err != nil {
		return nil, err
	}
	req.URL.RawQuery = strings.ReplaceAll(req.URL.RawQuery, "%2C", ",")
	return req, nil
}

var removeUsers = endpoint{
	op:             OpRemoveUsers,
	ownerPathIndex: 2, // settings/territories/{territory_id}
	singleOp:       "removeUserFromTerritory",
	bulkOp:         "removeUsersFromTerritory",
	ownerArg:       "territoryID",
	idsArg:         "userIDs",
	key:            "users",
	newRequest: func(server string, v zohoapi.Version, territoryID string, ids []string) (*http.Request, error) {
		if len(ids) == 1 {
			return zohoapi.NewRemoveUserFromTerritoryRequest(server, v, territoryID, ids[0])
		}
		return zohoapi.NewRemoveUsersFromTerritoryRequest(server, v, territoryID, &zohoapi.RemoveUsersFromTerritoryParams{Ids: strings.Join(ids, ",")})
	},
}

var removeTerritories = endpoint{
	op:             OpRemoveTerritories,
	ownerPathIndex: 1, // Users/{user_id}
	singleOp:       "removeTerritoryFromUser",
	bulkOp:         "removeTerritoriesFromUser",
	ownerArg:       "userID",
	idsArg:         "territoryIDs",
	key:            "territories",
	newRequest: func(server string, v zohoapi.Version, userID string, ids []string) (*http.Request, error) {
		if len(ids) == 1 {
			return zohoapi.NewRemoveTerritoryFromUserRequest(server, v, userID, ids[0])
		}
		return zohoapi.NewRemoveTerritoriesFromUserRequest(server, v, userID, &zohoapi.RemoveTerritoriesFromUserParams{Ids: strings.Join(ids, ",")})
	},
}

func (e endpoint) opName(n int) string {
	if n == 1 {
		return e.singleOp
	}
	return e.bulkOp
}

// RemoveUsersFromTerritory removes users from a territory.
//
// One id is sent with the single-id form of the endpoint, more with `ids`,
// in batches of at most 100 sent as many at a time as the concurrency limit
// allows ([WithConcurrency]). The ids are
// checked before anything is sent (an [*InvalidIDError] names the first bad
// one); repeats are dropped. The [Result] has one item per distinct id, in
// input order. A request-level failure is returned as the error, together
// with the Result, which still accounts for every id.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v7/disassociate-users-territory.html
func (c *Client) RemoveUsersFromTerritory(ctx context.Context, territoryID string, userIDs ...string) (*Result, error) {
	return c.change(ctx, removeUsers, Change{Op: OpRemoveUsers, Owner: territoryID, IDs: userIDs}, nil)
}

// RemoveTerritoriesFromUser removes territories from a user. It batches,
// checks ids and reports outcomes as [Client.RemoveUsersFromTerritory] does.
// Zoho refuses to remove a territory from its manager, the organization's
// default territory, and any territory from the caller's own user.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v7/remove-territories-from-user.html
func (c *Client) RemoveTerritoriesFromUser(ctx context.Context, userID string, territoryIDs ...string) (*Result, error) {
	return c.change(ctx, removeTerritories, Change{Op: OpRemoveTerritories, Owner: userID, IDs: territoryIDs}, nil)
}

func (c *Client) check(e endpoint, owner string, raw []string) ([]string, error) {
	if err := checkID(e.ownerArg, owner); err != nil {
		return nil, err
	}
	return checkIDs(e.idsArg, raw)
}

// run is what the batches of one change share.
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
	// journal records the run, when the change has one.
	journal *journalHook
}

// change makes ch on endpoint e: the one loop behind the removals, the adds
// and Apply. It checks the ids, journals, batches, sends each batch through
// the request core, and puts every id's outcome in the Result: those of
// ch.Settled as they were, the others as this run found them. tracker, if
// set, is the progress of a larger run the change is part of.
func (c *Client) change(ctx context.Context, e endpoint, ch Change, tracker *progressTracker) (*Result, error) {
	all, err := c.check(e, ch.Owner, ch.IDs)
	if err != nil {
		return nil, err
	}
	settled, err := settledOf(ch, all)
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
	ids := make([]string, 0, len(all))
	for _, id := range all {
		if _, ok := settled[id]; !ok {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return withSettled(all, settled, &Result{Op: e.op}), nil
	}
	var jh *journalHook
	if ch.Journal != nil {
		jh = &journalHook{j: ch.Journal, journalState: journalState{now: c.now}}
		var maybeIDs []string
		for _, id := range ids {
			if maybe[id] {
				maybeIDs = append(maybeIDs, id)
			}
		}
		err := ch.Journal.Begin(JournalRun{Op: e.op, Owner: ch.Owner, IDs: ids, MaybeDone: maybeIDs,
			APIDomain: c.APIDomain(), APIVersion: c.APIVersion(), Started: c.now()})
		if err != nil {
			return nil, &JournalError{Step: "begin", Err: err}
		}
	}
	if tracker == nil {
		tracker = &progressTracker{p: Progress{Total: len(ids)}, fn: c.progress}
	}
	bs := batches(ids, c.limits[e.op])
	res := &Result{Op: e.op, Items: make([]ItemResult, 0, len(ids))}
	outcomes := make([]batchOutcome, len(bs))

	// Per-id failures of one batch never stop the others; a failure that
	// every later request would meet too cancels the batches not yet
	// sent.
	failCtx, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	r := &run{c: c, e: e, owner: ch.Owner, stop: ch.Stop, maybe: maybe, budget: newBudget(c.retry.Budget),
		progress: tracker, fail: fail, journal: jh}
	var g errgroup.Group
	g.SetLimit(c.limiter.cap) // the limiter decides; this bounds the goroutines waiting for it
	for i, b := range bs {
		g.Go(func() error {
			cause := context.Cause(failCtx)
			if cause == nil && isClosed(ch.Stop) {
				cause = ErrStopped
			}
			if cause != nil {
				outcomes[i] = outcome(notSent(b, cause), Call{Operation: e.opName(len(b)), IDs: b, Err: cause})
			} else {
				outcomes[i] = r.sendBatch(failCtx, b)
			}
			r.progress.add(outcomes[i].items)
			return nil
		})
	}
	_ = g.Wait()

	var errs []error
	for _, o := range outcomes {
		res.Items = append(res.Items, o.items...)
		res.Unmatched = append(res.Unmatched, o.unmatched...)
		res.Calls = append(res.Calls, o.calls...)
		res.Splits += len(o.calls) - 1
		for _, err := range o.errs {
			if !containsErr(errs, err) {
				errs = append(errs, err)
			}
		}
	}
	if err := jh.failure(); err != nil {
		errs = append(errs, err)
	}
	return withSettled(all, settled, res), joinErrs(errs)
}

// settledOf checks ch.Settled against the change's ids and returns it by
// id.
func settledOf(ch Change, ids []string) (map[string]ItemResult, error) {
	settled := make(map[string]ItemResult, len(ch.Settled))
	if len(ch.Settled) == 0 {
		return settled, nil
	}
	known := make(map[string]bool, len(ids))
	for _, id := range ids {
		known[id] = true
	}
	for i, it := range ch.Settled {
		if !known[it.ID] {
			return nil, &InvalidIDError{Arg: fmt.Sprintf("Settled[%d].ID", i), ID: it.ID, Rule: "must be one of the change's ids"}
		}
		settled[it.ID] = it
	}
	return settled, nil
}

// withSettled puts the settled outcomes among res's, every id of all in
// its order.
func withSettled(all []string, settled map[string]ItemResult, res *Result) *Result {
	if len(settled) == 0 {
		return res
	}
	fresh := make(map[string]ItemResult, len(res.Items))
	for _, it := range res.Items {
		fresh[it.ID] = it
	}
	items := make([]ItemResult, 0, len(all))
	for _, id := range all {
		if it, ok := settled[id]; ok {
			items = append(items, it)
		} else {
			items = append(items, fresh[id])
		}
	}
	res.Items = items
	return res
}

// joinErrs is a change's error: nil, the one error as it is (so that a
// caller's == and errors.As see it unwrapped), or all of them joined.
func joinErrs(errs []error) error {
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...) // nil for none
}

func containsErr(errs []error, err error) bool {
	for _, e := range errs {
		if e == err { //nolint:errorlint // identity: one error value shared by many batches is reported once
			return true
		}
	}
	return false
}

// batchOutcome is what a batch came to: an outcome per id, Zoho's items no
// id could be given, and the calls made, more than one when the batch was
// split to find the ids Zoho refused as a group.
type batchOutcome struct {
	items     []ItemResult
	unmatched []ItemResult
	calls     []Call
	// errs are the request-level errors that stand: not those of a call
	// whose refusal splitting resolved.
	errs []error
	// splittable says the call was refused as a whole for ids of its own
	// (nothing done), and halves may pass.
	splittable bool
}

// outcome makes a batch's outcome of its one call.
func outcome(items []ItemResult, call Call) batchOutcome {
	o := batchOutcome{items: items, calls: []Call{call}}
	if call.Err != nil {
		o.errs = []error{call.Err}
	}
	return o
}

// sendBatch sends one batch through the request core and turns what it
// came to into per-id outcomes.
func (r *run) sendBatch(ctx context.Context, ids []string) batchOutcome {
	op := r.e.opName(len(ids))
	n := r.journal.nextCall()
	before, after := r.journal.hooks(n, op, ids)
	s := r.c.do(ctx, &call{
		op:           op,
		envelopeKey:  r.e.key,
		budget:       r.budget,
		stop:         r.stop,
		beforeSend:   before,
		afterAttempt: after,
		send: func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) {
			req, err := r.e.build(gc.Server, r.c.version, r.owner, ids)
			if err != nil {
				return nil, err
			}
			return gc.Client.Do(req.WithContext(ctx))
		},
	})
	o := r.settle(op, ids, s)
	switch {
	case o.splittable && len(ids) > 1 && r.c.splitRefused && !isClosed(r.stop) && ctx.Err() == nil:
		// Zoho refused the whole call for some ids of its own and did
		// nothing: halves find them, so that every valid id is removed
		// and each bad one fails alone. k bad ids in n cost about
		// 2·k·log2(n) more calls.
		half := len(ids) / 2
		left, right := r.sendBatch(ctx, ids[:half]), r.sendBatch(ctx, ids[half:])
		return batchOutcome{
			items:     append(left.items, right.items...),
			unmatched: append(left.unmatched, right.unmatched...),
			calls:     append(append(o.calls, left.calls...), right.calls...),
			errs:      append(left.errs, right.errs...),
		}
	case s.attempts > 0 && failsEveryCall(o.calls[0].Err), ownerRefused(r.e, o.calls[0].Err):
		r.fail(o.calls[0].Err)
	}
	r.journal.settled(n, o.items)
	return o
}

// ownerRefused reports whether Zoho refused the call for its owner (the
// territory or user in the path, a user who is deleted, or the caller's own
// user, whose territories Zoho does not let the caller change): every
// other batch of the change would meet the same refusal.
func ownerRefused(e endpoint, err error) bool {
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	if errors.Is(apiErr, ErrNotAllowed) {
		return true
	}
	if apiErr.StatusCode != http.StatusBadRequest {
		return false
	}
	if _, ok := apiErr.Details["owner_status"]; ok {
		return true
	}
	idx, ok := apiErr.Details["resource_path_index"].(float64)
	return ok && int(idx) == e.ownerPathIndex
}

// splittable reports whether a request-level refusal is about some of the
// call's ids as a group: INVALID_DATA that names no place in the path and
// no owner, but the ids (Zoho's "One or more given territory IDs seem to
// be invalid"), or their number or length.
func splittable(apiErr *APIError) bool {
	if apiErr == nil || apiErr.StatusCode != http.StatusBadRequest || apiErr.Code != "INVALID_DATA" {
		return false
	}
	d := apiErr.Details
	if _, ok := d["resource_path_index"]; ok {
		return false
	}
	if _, ok := d["owner_status"]; ok {
		return false
	}
	if d["param_name"] == "ids" || d["api_name"] == "ids" {
		return true
	}
	return strings.Contains(strings.ToLower(apiErr.Message), " ids ") || strings.Contains(strings.ToLower(apiErr.Message), " ids")
}

// settle turns what a batch's call came to into per-id outcomes, under the
// rules of truth of docs/guarantees.md: Removed only on Zoho's word, Failed only when
// nothing was done, Unknown otherwise.
func (r *run) settle(op string, ids []string, s settled) batchOutcome {
	call := Call{Operation: op, IDs: ids, Attempts: s.attempts}
	if s.attempts == 0 {
		call.Err = s.cause
		return outcome(notSent(ids, s.cause), call)
	}
	a := s.last
	// (DUPLICATE_DATA or ALREADY_EXISTS with the user's place in the path is the
	// single-user add's "already present", Zoho's example, not a refusal.)
	present := r.e.op.Adds() && len(a.items) == 1 && alreadyPresent(a.items[0].Code)
	if a.kind == kindItems && len(a.items) == 1 && a.items[0].Details.ResourcePathIndex != nil && a.refused() && !present {
		// An error about the URL put in the envelope, as Zoho's example of
		// an unknown territory of the bulk users DELETE has it: the whole
		// call was refused.
		a = envelopeURLError(op, a)
		s.last = a
	}
	call.Response, call.Body = a.resp, a.body
	call.Err = a.err
	if authErr, ok := fetchErr(a); ok {
		// No token, so this attempt was not sent.
		call.Err = authErr
		if !s.uncertain {
			return outcome(notSent(ids, authErr), call)
		}
		return outcome(unknownAll(ids, "an earlier attempt's outcome was never learned; then: "+authErr.Error(), authErr), call)
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
		matched, unmatched, at := mapItems(ids, r.e.key, a.items, r.e.op.Adds(), func(id string) bool { return s.uncertain || r.maybe[id] })
		all := append(matched, unmatched...)
		attachDetails(a.body, r.e.key, all, at)
		o := outcome(all[:len(ids):len(ids)], call)
		o.unmatched = all[len(ids):]
		return o
	case kindNoResponse:
		if !a.sent && !s.uncertain {
			return outcome(notSent(ids, call.Err), call)
		}
		return outcome(unknownAll(ids, "no response: "+a.err.Error(), call.Err), call)
	case kindUnreadable, kindNoEnvelope:
		return outcome(unknownAll(ids, a.err.Error(), call.Err), call)
	}

	// A garbled answer or a request-level error.
	status := a.resp.StatusCode
	if e := a.apiError(); r.e.op.Adds() && len(ids) == 1 && a.kind == kindError && e != nil && alreadyPresent(e.Code) {
		// One id's add refused as a whole for being there already (the
		// v8 pages' ALREADY_EXISTS as an error object): the membership
		// is there, and after a lost answer it is that attempt's doing.
		it := ItemResult{ID: ids[0], Outcome: AlreadyPresent, Code: e.Code, Message: e.Message}
		if s.uncertain || r.maybe[ids[0]] {
			it.Outcome, it.Inferred = Added, true
		}
		call.Err = nil
		return outcome([]ItemResult{it}, call)
	}
	switch {
	case status >= 500 || status < 400 || (a.kind == kindGarbled && !a.refused()):
		// A server fault (or an answer no one documented) may come after
		// some ids were removed: the truth is not known.
		return outcome(unknownAll(ids, a.err.Error(), call.Err), call)
	case s.uncertain:
		// An earlier attempt may have done the work; this refusal says
		// nothing about it.
		return outcome(unknownAll(ids, "an earlier attempt's outcome was never learned; then: "+a.err.Error(), call.Err), call)
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
	o := outcome(items, call)
	o.splittable = s.cause == nil && splittable(apiErr)
	return o
}

// envelopeURLError turns an envelope whose one item is an error about the
// URL into the request-level error it is.
func envelopeURLError(op string, a answer) answer {
	it := a.items[0]
	a.kind = kindError
	a.err = &APIError{Operation: op, StatusCode: a.resp.StatusCode, Code: it.Code, Message: it.Message,
		Details: map[string]any{"resource_path_index": float64(*it.Details.ResourcePathIndex)}, Response: a.resp, Body: a.body}
	return a
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
