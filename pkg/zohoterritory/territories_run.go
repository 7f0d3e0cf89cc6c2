package zohoterritory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// This file sends territory changes: batches of at most 100 (creates,
// updates) or 10 (deletes, transfers) through the request core, under the
// client's concurrency limit and one retry budget, with the journal's
// hooks; and turns what each call came to into one TerritoryItem per
// territory.

// ApplyTerritories makes a territory change as [Client.CreateTerritories],
// [Client.UpdateTerritories], [Client.DeleteTerritories] and
// [Client.TransferAndDeleteTerritories] do (they are ApplyTerritories with
// the matching Op), with the controls of [TerritoryChange]: a journal, a
// soft stop, the places an earlier run may have done and the outcomes it
// recorded. Every territory is checked before anything is sent; a
// request-level failure is returned as the error beside the
// [TerritoryResult], which accounts for every territory.
func (c *Client) ApplyTerritories(ctx context.Context, ch TerritoryChange) (*TerritoryResult, error) {
	if err := checkTerritoryChange(ch); err != nil {
		return nil, err
	}
	n := ch.size()
	r := &territoryRun{c: c, ch: ch, budget: newBudget(c.retry.Budget), maybe: map[int]bool{}, items: make([]TerritoryItem, n)}
	for _, m := range ch.MaybeDone {
		r.maybe[m] = true
	}
	settled := map[int]bool{}
	for _, it := range ch.Settled {
		r.items[it.Index] = it
		settled[it.Index] = true
	}
	var send []int
	for i := range n {
		if !settled[i] {
			send = append(send, i)
			r.items[i] = TerritoryItem{Index: i, ID: r.idOf(i), Name: r.nameOf(i), Outcome: Unknown}
		}
	}
	res := &TerritoryResult{Op: ch.Op}
	if len(send) == 0 {
		res.Items = r.items
		return res, nil
	}
	if ch.Journal != nil {
		r.journal = &territoryJournalHook{j: ch.Journal, journalState: journalState{now: c.now}}
		run := TerritoryRun{Op: ch.Op, Forecasts: ch.Forecasts, APIDomain: c.APIDomain(), APIVersion: c.APIVersion(), Started: c.now()}
		for _, i := range send {
			run.Territories = append(run.Territories, r.journalTerritory(i))
			if r.maybe[i] {
				run.MaybeDone = append(run.MaybeDone, i)
			}
		}
		if err := ch.Journal.BeginTerritories(run); err != nil {
			return nil, &JournalError{Step: "begin", Err: err}
		}
	}

	size := TerritoriesPerChange
	if ch.Op == OpDeleteTerritories || ch.Op == OpTransferTerritories {
		size = TerritoriesPerDelete
	}
	var bs [][]int
	for start := 0; start < len(send); start += size {
		bs = append(bs, send[start:min(start+size, len(send))])
	}
	// Creates, and updates that move no territory, never depend on
	// another call's: their calls go side by side, as the limiter allows.
	// A call that moves a territory (reporting_to) may depend on an
	// earlier call's move, since Zoho checks for a cycle against the tree
	// as it stands; a call of deletes or transfers on an earlier call's
	// (children first, then their parents): those calls go one after
	// another, in the order given, beside the others.
	var serial, apart []int // indexes in bs
	for i, b := range bs {
		if ch.Op == OpDeleteTerritories || ch.Op == OpTransferTerritories || slices.ContainsFunc(b, r.moves) {
			serial = append(serial, i)
		} else {
			apart = append(apart, i)
		}
	}
	failCtx, fail := context.WithCancelCause(ctx)
	defer fail(nil)
	r.fail = fail
	outcomes := make([]territoryOutcome, len(bs))
	one := func(i int, b []int) {
		cause := context.Cause(failCtx)
		if cause == nil && isClosed(ch.Stop) {
			cause = ErrStopped
		}
		if cause != nil {
			outcomes[i] = territoryOutcome{calls: []Call{{Operation: r.opName(len(b)), IDs: r.idsOf(b), Err: cause}}, errs: []error{cause}}
			r.notSent(b, cause)
			r.journal.settled(0, r.itemsAt(b))
			return
		}
		outcomes[i] = r.sendBatch(failCtx, b)
	}
	var g errgroup.Group
	g.SetLimit(c.limiter.cap)
	if len(serial) > 0 {
		g.Go(func() error {
			for _, i := range serial {
				one(i, bs[i])
			}
			return nil
		})
	}
	for _, i := range apart {
		g.Go(func() error { one(i, bs[i]); return nil })
	}
	_ = g.Wait()

	var errs []error
	for _, o := range outcomes {
		res.Calls = append(res.Calls, o.calls...)
		res.Unmatched = append(res.Unmatched, o.unmatched...)
		for _, err := range o.errs {
			if err != nil && !containsErr(errs, err) {
				errs = append(errs, err)
			}
		}
	}
	if err := r.journal.failure(); err != nil {
		errs = append(errs, err)
	}
	res.Items = r.items
	res.Lookups = int(r.lookups.Load())
	return res, joinErrs(errs)
}

// territoryRun is what the batches of one territory change share.
type territoryRun struct {
	c       *Client
	ch      TerritoryChange
	budget  *budget
	maybe   map[int]bool
	journal *territoryJournalHook
	fail    context.CancelCauseFunc
	lookups atomic.Int64

	mu    sync.Mutex // guards items: batches settle their own places, side by side
	items []TerritoryItem
}

// territoryOutcome is what one batch came to, besides its items.
type territoryOutcome struct {
	calls     []Call
	unmatched []TerritoryItem
	errs      []error
}

func (r *territoryRun) idOf(i int) string {
	switch r.ch.Op {
	case OpUpdateTerritories:
		return r.ch.Update[i].ID
	case OpDeleteTerritories:
		return r.ch.Delete[i]
	case OpTransferTerritories:
		return r.ch.Transfer[i].ID
	}
	return ""
}

// moves reports whether the change moves territory i: an update that
// sets its reporting_to.
func (r *territoryRun) moves(i int) bool {
	if r.ch.Op != OpUpdateTerritories {
		return false
	}
	_, ok := r.ch.Update[i].ReportingTo.IsSet()
	return ok
}

func (r *territoryRun) nameOf(i int) string {
	if r.ch.Op == OpCreateTerritories {
		return r.ch.Create[i].Name
	}
	return ""
}

func (r *territoryRun) idsOf(b []int) []string {
	if r.ch.Op == OpCreateTerritories {
		return nil
	}
	ids := make([]string, len(b))
	for k, i := range b {
		ids[k] = r.idOf(i)
	}
	return ids
}

func (r *territoryRun) opName(n int) string {
	single := n == 1
	switch r.ch.Op {
	case OpCreateTerritories:
		return "createTerritories"
	case OpUpdateTerritories:
		if single {
			return "updateTerritory"
		}
		return "updateTerritories"
	case OpDeleteTerritories:
		if single {
			return "deleteTerritory"
		}
		return "deleteTerritories"
	}
	if single {
		return "transferAndDeleteTerritory"
	}
	return "transferAndDeleteTerritories"
}

func (r *territoryRun) set(it TerritoryItem) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.items[it.Index] = it
}

func (r *territoryRun) get(i int) TerritoryItem {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.items[i]
}

func (r *territoryRun) itemsAt(b []int) []TerritoryItem {
	out := make([]TerritoryItem, len(b))
	for k, i := range b {
		out[k] = r.get(i)
	}
	return out
}

func (r *territoryRun) notSent(b []int, cause error) {
	for _, i := range b {
		it := r.get(i)
		if r.maybe[i] {
			// An earlier run may have done it; this run learned nothing.
			it.Outcome, it.Message, it.Err = Unknown, "an earlier run's attempt was never answered; not sent again: "+cause.Error(), cause
		} else {
			it.Outcome, it.Reason, it.Message, it.Err = Failed, ReasonNotSent, "not sent: "+cause.Error(), cause
		}
		r.set(it)
	}
}

// idRef is a reference in a request body: {"id": "..."}.
type idRef struct {
	ID string `json:"id"`
}

// record is the object a call's body carries for territory i; perm is an
// update's permission type when the update leaves it unchanged (read
// first).
func (r *territoryRun) record(i int, perm PermissionType) json.RawMessage {
	var v any
	switch r.ch.Op {
	case OpCreateTerritories:
		t := r.ch.Create[i]
		w := struct {
			Name           string          `json:"name"`
			ReportingTo    idRef           `json:"reporting_to"`
			PermissionType PermissionType  `json:"permission_type"`
			Manager        *idRef          `json:"manager,omitempty"`
			Description    string          `json:"description,omitempty"`
			Account        json.RawMessage `json:"account_rule_criteria,omitempty"`
			Lead           json.RawMessage `json:"lead_rule_criteria,omitempty"`
			Deal           json.RawMessage `json:"deal_rule_criteria,omitempty"`
		}{Name: t.Name, ReportingTo: idRef{t.ReportingTo}, PermissionType: t.PermissionType, Description: t.Description,
			Account: t.AccountRuleCriteria, Lead: t.LeadRuleCriteria, Deal: t.DealRuleCriteria}
		if t.ManagerID != "" {
			w.Manager = &idRef{t.ManagerID}
		}
		v = w
	case OpUpdateTerritories:
		u := r.ch.Update[i]
		w := struct {
			ID             string          `json:"id"`
			Name           *string         `json:"name,omitempty"`
			ReportingTo    *idRef          `json:"reporting_to,omitempty"`
			PermissionType PermissionType  `json:"permission_type"`
			Manager        json.RawMessage `json:"manager,omitempty"`
			Description    json.RawMessage `json:"description,omitempty"`
			Account        json.RawMessage `json:"account_rule_criteria,omitempty"`
			Lead           json.RawMessage `json:"lead_rule_criteria,omitempty"`
			Deal           json.RawMessage `json:"deal_rule_criteria,omitempty"`
		}{ID: u.ID, PermissionType: perm}
		if name, ok := u.Name.IsSet(); ok {
			w.Name = &name
		}
		if parent, ok := u.ReportingTo.IsSet(); ok {
			w.ReportingTo = &idRef{parent}
		}
		if p, ok := u.PermissionType.IsSet(); ok {
			w.PermissionType = p
		}
		w.Manager = fieldJSON(u.ManagerID, func(id string) any { return idRef{id} })
		w.Description = fieldJSON(u.Description, func(d string) any { return d })
		w.Account = ruleJSON(u.AccountRuleCriteria)
		w.Lead = ruleJSON(u.LeadRuleCriteria)
		w.Deal = ruleJSON(u.DealRuleCriteria)
		v = w
	case OpTransferTerritories:
		t := r.ch.Transfer[i]
		v = struct {
			ID                      string `json:"id"`
			TransferToID            string `json:"transfer_to_id"`
			DeletePreviousForecasts bool   `json:"delete_previous_forecasts"`
		}{t.ID, t.TransferTo, bool(t.Forecasts)}
	default:
		return nil
	}
	b, _ := json.Marshal(v) // structs of strings and raw JSON checked by checkRule
	return b
}

// fieldJSON is a Field as the body sends it: the value as JSON, null when
// cleared, nothing when kept.
func fieldJSON[T any](f Field[T], wire func(T) any) json.RawMessage {
	switch {
	case f.IsCleared():
		return json.RawMessage("null")
	case f.IsKept():
		return nil
	}
	v, _ := f.IsSet()
	b, _ := json.Marshal(wire(v))
	return b
}

func ruleJSON(f Field[json.RawMessage]) json.RawMessage {
	return fieldJSON(f, func(r json.RawMessage) any { return r })
}

func (r *territoryRun) journalTerritory(i int) JournalTerritory {
	jt := JournalTerritory{Index: i, ID: r.idOf(i)}
	if r.ch.Op == OpCreateTerritories {
		jt.Name, jt.ReportingTo = r.ch.Create[i].Name, r.ch.Create[i].ReportingTo
	}
	if r.ch.Op != OpUpdateTerritories {
		// An update's record holds the permission type it sends, which a
		// read may decide; Sending's attempts tell what went out.
		jt.Record = r.record(i, "")
	} else if p, ok := r.ch.Update[i].PermissionType.IsSet(); ok {
		jt.Record = r.record(i, p)
	}
	return jt
}

// territoryBatch is one batch of a run: the places it still sends (fewer
// once a look-up finds creates), and an update's permission types.
type territoryBatch struct {
	r     *territoryRun
	idx   []int
	perms map[int]PermissionType
	// uncertain are the places an attempt of this batch may have done
	// without the client learning it.
	uncertain map[int]bool
}

// sendBatch sends one batch through the request core and settles its
// territories.
func (r *territoryRun) sendBatch(ctx context.Context, b []int) territoryOutcome {
	tb := &territoryBatch{r: r, idx: append([]int(nil), b...), perms: map[int]PermissionType{}, uncertain: map[int]bool{}}
	if r.ch.Op == OpUpdateTerritories {
		if err := tb.readPermissions(ctx); err != nil {
			r.notSent(tb.idx, err)
			r.journal.settled(0, r.itemsAt(b))
			if failsEveryCall(err) {
				r.fail(err)
			}
			return territoryOutcome{calls: []Call{{Operation: r.opName(len(tb.idx)), IDs: r.idsOf(tb.idx), Err: err}}, errs: []error{err}}
		}
		if len(tb.idx) == 0 {
			r.journal.settled(0, r.itemsAt(b))
			return territoryOutcome{}
		}
	}
	for _, i := range tb.idx {
		if r.maybe[i] {
			tb.uncertain[i] = true
		}
	}
	op := r.opName(len(tb.idx))
	n := r.journal.nextCall()
	var sent []int // the places the last attempt carried
	s := r.c.do(ctx, &call{
		op:          op,
		envelopeKey: "territories",
		creates:     r.ch.Op == OpCreateTerritories,
		budget:      r.budget,
		stop:        r.ch.Stop,
		prepare: func(attempt int, last answer) error {
			if attempt > 1 && last.sent && !last.refused() {
				for _, i := range tb.idx {
					tb.uncertain[i] = true
				}
			}
			if r.ch.Op != OpCreateTerritories {
				// An update, a delete or a transfer sent again is the
				// same request: its answer settles it.
				return nil
			}
			var ask []int
			for _, i := range tb.idx {
				if tb.uncertain[i] {
					ask = append(ask, i)
				}
			}
			if len(ask) == 0 {
				return nil
			}
			// Never sent blindly again: the names first.
			found, err := r.findCreated(ctx, ask)
			if err != nil {
				return err
			}
			tb.keepUnfound(found)
			if len(tb.idx) == 0 {
				return errAllFound
			}
			return nil
		},
		beforeSend: func(attempt int) error {
			sent = slices.Clone(tb.idx) // the journal may keep it
			return r.journal.sending(n, r.opName(len(sent)), attempt, sent)
		},
		afterAttempt: func(attempt int, a answer) {
			r.journal.answered(n, r.opName(len(sent)), attempt, sent, a)
		},
		send: func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) {
			req, err := tb.request(gc.Server, sent)
			if err != nil {
				return nil, err
			}
			return gc.Client.Do(req.WithContext(ctx))
		},
	})
	o := tb.settle(ctx, op, sent, s)
	if s.attempts > 0 && failsEveryCall(o.calls[0].Err) {
		r.fail(o.calls[0].Err)
	}
	r.journal.settled(n, r.itemsAt(b))
	return o
}

// keepUnfound settles the creates a look-up found, and keeps the others
// to send.
func (tb *territoryBatch) keepUnfound(found map[int]string) {
	keep := tb.idx[:0:0]
	for _, i := range tb.idx {
		if id, ok := found[i]; ok {
			it := tb.r.get(i)
			it.ID, it.Outcome, it.Inferred, it.Message = id, Created, true,
				"found by its name under its parent after an answer was lost"
			tb.r.set(it)
			continue
		}
		keep = append(keep, i)
	}
	tb.idx = keep
}

// readPermissions reads the permission type of the territories whose
// update leaves it as it is: one read by ids (at most 100, as the batch).
// A territory the read does not find is settled as unknown to Zoho, and
// not sent.
func (tb *territoryBatch) readPermissions(ctx context.Context) error {
	var ask []string
	for _, i := range tb.idx {
		if p, ok := tb.r.ch.Update[i].PermissionType.IsSet(); ok {
			tb.perms[i] = p
			continue
		}
		ask = append(ask, tb.r.ch.Update[i].ID)
	}
	if len(ask) == 0 {
		return nil
	}
	c := tb.r.c
	ids := strings.Join(ask, ",")
	current := map[string]PermissionType{}
	seq := pages(ctx, c, pager[Territory]{op: "listTerritories", key: "territories", decode: decodeTerritory,
		send: func(ctx context.Context, gc *zohoapi.Client, page, perPage int) (*http.Response, error) {
			return gc.ListTerritories(ctx, c.version, &zohoapi.ListTerritoriesParams{Page: &page, PerPage: &perPage, Ids: &ids})
		}})
	for t, err := range seq {
		if err != nil {
			return err
		}
		current[t.ID] = t.PermissionType
	}
	keep := tb.idx[:0:0]
	for _, i := range tb.idx {
		if _, set := tb.perms[i]; set {
			keep = append(keep, i)
			continue
		}
		p, ok := current[tb.r.ch.Update[i].ID]
		if !ok || !p.valid() {
			it := tb.r.get(i)
			it.Outcome, it.Reason = Failed, ReasonInvalidID
			it.Message = "not sent: no territory has this id (read for its permission type, which an update sends)"
			if ok {
				it.Message = fmt.Sprintf("not sent: the territory's permission type %q, read to be sent back, is not one Zoho takes", p)
			}
			tb.r.set(it)
			continue
		}
		tb.perms[i] = p
		keep = append(keep, i)
	}
	tb.idx = keep
	return nil
}

// request builds the call for the places sent: the single form for one
// territory, the bulk form for more.
func (tb *territoryBatch) request(server string, sent []int) (*http.Request, error) {
	r := tb.r
	c := r.c
	body := func() *bytes.Reader {
		recs := make([]json.RawMessage, len(sent))
		for k, i := range sent {
			recs[k] = r.record(i, tb.perms[i])
		}
		b, _ := json.Marshal(map[string][]json.RawMessage{"territories": recs})
		return bytes.NewReader(b)
	}
	const ct = "application/json"
	single := len(sent) == 1
	switch r.ch.Op {
	case OpCreateTerritories:
		return zohoapi.NewCreateTerritoriesRequestWithBody(server, c.version, ct, body())
	case OpUpdateTerritories:
		if single {
			return zohoapi.NewUpdateTerritoryRequestWithBody(server, c.version, r.idOf(sent[0]), ct, body())
		}
		return zohoapi.NewUpdateTerritoriesRequestWithBody(server, c.version, ct, body())
	case OpTransferTerritories:
		if single {
			return zohoapi.NewTransferAndDeleteTerritoryRequestWithBody(server, c.version, r.idOf(sent[0]), ct, body())
		}
		return zohoapi.NewTransferAndDeleteTerritoriesRequestWithBody(server, c.version, ct, body())
	}
	forecasts := bool(r.ch.Forecasts)
	if single {
		return zohoapi.NewDeleteTerritoryRequest(server, c.version, r.idOf(sent[0]), &zohoapi.DeleteTerritoryParams{DeletePreviousForecasts: forecasts})
	}
	req, err := zohoapi.NewDeleteTerritoriesRequest(server, c.version, &zohoapi.DeleteTerritoriesParams{Ids: strings.Join(r.idsOf(sent), ","), DeletePreviousForecasts: forecasts})
	if err != nil {
		return nil, err
	}
	// Sent as Zoho's pages and SDKs send ids (1,2), not 1%2C2.
	req.URL.RawQuery = strings.ReplaceAll(req.URL.RawQuery, "%2C", ",")
	return req, nil
}

// findCreated lists the org's territories and returns, for each place of
// ask, the id of a territory with its name under its parent: a create
// whose answer was lost, done after all.
func (r *territoryRun) findCreated(ctx context.Context, ask []int) (map[int]string, error) {
	r.lookups.Add(1)
	type key struct{ name, parent string }
	want := make(map[key]int, len(ask))
	for _, i := range ask {
		t := r.ch.Create[i]
		want[key{t.Name, t.ReportingTo}] = i
	}
	found := map[int]string{}
	for t, err := range r.c.ListTerritories(ctx) {
		if err != nil {
			return nil, fmt.Errorf("look up the territories a lost answer was about: %w", err)
		}
		if t.ReportingTo == nil {
			continue
		}
		if i, ok := want[key{t.Name, t.ReportingTo.ID}]; ok {
			found[i] = t.ID
		}
	}
	return found, nil
}

// settle turns what a batch's call came to into its territories' outcomes:
// Created, Updated or Deleted on Zoho's word (or, Inferred, when a lost
// answer's work is found done), Failed only when nothing was done, Unknown
// otherwise.
func (tb *territoryBatch) settle(ctx context.Context, op string, sent []int, s settled) territoryOutcome {
	r := tb.r
	call := Call{Operation: op, IDs: r.idsOf(sent), Attempts: s.attempts}
	o := territoryOutcome{}
	finish := func() territoryOutcome {
		if r.ch.Op == OpCreateTerritories {
			tb.confirmCreates(ctx)
		}
		o.calls = []Call{call}
		if call.Err != nil {
			o.errs = []error{call.Err}
		}
		return o
	}
	if s.hookFailed && errors.Is(s.cause, errAllFound) {
		call.Err = nil
		o.calls = []Call{call}
		return o
	}
	if s.attempts == 0 {
		call.Err = s.cause
		r.notSent(tb.idx, s.cause)
		return finish()
	}
	a := s.last
	call.Response, call.Body, call.Err = a.resp, a.body, a.err
	if s.hookFailed {
		// A look-up after a lost answer failed: the territories it was
		// about are not known, and were not sent again.
		call.Err = errors.Join(a.err, fmt.Errorf("%s: %w", op, s.cause))
		tb.unknown(tb.idx, "an earlier attempt's answer was lost, and looking the names up failed: "+s.cause.Error(), call.Err)
		return finish()
	}
	if authErr, ok := fetchErr(a); ok {
		call.Err = authErr
		if len(tb.uncertain) == 0 {
			r.notSent(sent, authErr)
		} else {
			tb.unknown(sent, "an earlier attempt's outcome was never learned; then: "+authErr.Error(), authErr)
		}
		return finish()
	}
	if s.cause != nil {
		call.Err = errors.Join(a.err, fmt.Errorf("%s: %w", op, s.cause))
	}
	switch a.kind {
	case kindItems:
		call.Err = nil
		if s.cause != nil {
			call.Err = fmt.Errorf("%s: %w", op, s.cause)
		}
		o.unmatched = tb.fromItems(sent, a)
		return finish()
	case kindNoResponse:
		if !a.sent && len(tb.uncertain) == 0 {
			r.notSent(sent, call.Err)
			return finish()
		}
		tb.unknown(sent, "no response: "+a.err.Error(), call.Err)
		return finish()
	case kindUnreadable, kindNoEnvelope:
		tb.unknown(sent, a.err.Error(), call.Err)
		return finish()
	}
	status := a.resp.StatusCode
	if status >= 500 || status < 400 || (a.kind == kindGarbled && !a.refused()) {
		tb.unknown(sent, a.err.Error(), call.Err)
		return finish()
	}
	apiErr := a.apiError()
	reason := territoryReason(apiErr.Code, apiErr.Message, apiErr.Details)
	if status == http.StatusTooManyRequests {
		reason = ReasonRateLimited
	}
	for _, i := range sent {
		it := r.get(i)
		switch {
		case tb.uncertain[i] && tb.gone(apiErr.Code, apiErr.Message, apiErr.Details, i):
			it.Outcome, it.Inferred, it.Code, it.Message = Deleted, true, apiErr.Code, apiErr.Message
		case tb.uncertain[i]:
			it.Outcome, it.Message, it.Err = Unknown, "an earlier attempt's outcome was never learned; then: "+a.err.Error(), call.Err
		default:
			it.Outcome, it.Reason, it.Code, it.Message, it.Details, it.Err = Failed, reason, apiErr.Code, apiErr.Message, apiErr.Details, call.Err
		}
		r.set(it)
	}
	return finish()
}

func (tb *territoryBatch) unknown(places []int, why string, err error) {
	for _, i := range places {
		it := tb.r.get(i)
		it.Outcome, it.Message, it.Err = Unknown, why, err
		tb.r.set(it)
	}
}

// gone reports whether Zoho's refusal of a delete or a transfer says that
// the territory does not exist: after an attempt whose answer was lost,
// that attempt deleted it.
func (tb *territoryBatch) gone(code, message string, details map[string]any, i int) bool {
	if tb.r.ch.Op != OpDeleteTerritories && tb.r.ch.Op != OpTransferTerritories {
		return false
	}
	if code != "INVALID_DATA" {
		return false
	}
	if details["api_name"] == "transfer_to_id" {
		return false
	}
	if idx, ok := details["resource_path_index"].(float64); ok {
		return idx == 2
	}
	return details["api_name"] == "id" || details["id"] == tb.r.idOf(i) || strings.Contains(strings.ToLower(message), "territory")
}

var jsonPathPlace = regexp.MustCompile(`^\$\.territories\[(\d+)\]`)

// fromItems settles the places sent from the envelope's items: each item
// is matched to its territory by the place its json_path names, or by its
// details.id, or else by position when Zoho answered one item per
// territory. It returns the items matched to none.
func (tb *territoryBatch) fromItems(sent []int, a answer) []TerritoryItem {
	r := tb.r
	details := itemDetails(a.body)
	got := make([]int, len(sent))
	for k := range got {
		got[k] = -1
	}
	used := make([]bool, len(a.items))
	for j, it := range a.items {
		if m := jsonPathPlace.FindStringSubmatch(it.Details.JSONPath); m != nil {
			if k, err := strconv.Atoi(m[1]); err == nil && k < len(sent) && got[k] < 0 {
				got[k], used[j] = j, true
			}
		}
	}
	if r.ch.Op != OpCreateTerritories {
		for j, it := range a.items {
			if used[j] || it.Details.ID == "" {
				continue
			}
			for k, i := range sent {
				if got[k] < 0 && r.idOf(i) == string(it.Details.ID) {
					got[k], used[j] = j, true
					break
				}
			}
		}
	}
	var freeItems, freeSent []int
	for j := range a.items {
		if !used[j] {
			freeItems = append(freeItems, j)
		}
	}
	for k := range sent {
		if got[k] < 0 {
			freeSent = append(freeSent, k)
		}
	}
	if len(freeItems) == len(freeSent) {
		for x, k := range freeSent {
			got[k], used[freeItems[x]] = freeItems[x], true
		}
	}
	done := map[TerritoryOp]Outcome{OpCreateTerritories: Created, OpUpdateTerritories: Updated,
		OpDeleteTerritories: Deleted, OpTransferTerritories: Deleted}[r.ch.Op]
	for k, i := range sent {
		it := r.get(i)
		j := got[k]
		if j < 0 {
			it.Outcome, it.Message = Unknown, "Zoho's answer held no item about it"
			r.set(it)
			continue
		}
		w := a.items[j]
		var d map[string]any
		if j < len(details) {
			d = details[j]
		}
		switch {
		case w.Status == "success":
			it.Outcome, it.Code, it.Message = done, w.Code, w.Message
			if r.ch.Op == OpCreateTerritories {
				it.ID = string(w.Details.ID)
			}
		case w.Status != "error" && w.Status != "failure":
			it.Outcome, it.Message = Unknown, fmt.Sprintf("Zoho's item has the unknown status %q", w.Status)
		case tb.uncertain[i] && tb.gone(w.Code, w.Message, d, i):
			it.Outcome, it.Inferred, it.Code, it.Message = Deleted, true, w.Code, w.Message
		case tb.uncertain[i] && r.ch.Op != OpCreateTerritories:
			it.Outcome, it.Code, it.Message = Unknown, w.Code, "an earlier attempt's outcome was never learned; then: "+w.Message
		default:
			it.Outcome, it.Reason, it.Code, it.Message, it.Details = Failed, territoryReason(w.Code, w.Message, d), w.Code, w.Message, d
		}
		r.set(it)
	}
	var unmatched []TerritoryItem
	for j, w := range a.items {
		if !used[j] {
			u := TerritoryItem{Index: -1, ID: string(w.Details.ID), Code: w.Code, Message: w.Message, Outcome: Unknown}
			if j < len(details) {
				u.Details = details[j]
			}
			unmatched = append(unmatched, u)
		}
	}
	return unmatched
}

// itemDetails reads each envelope item's details object, in order.
func itemDetails(body []byte) []map[string]any {
	var env struct {
		Territories []struct {
			Details map[string]any `json:"details"`
		} `json:"territories"`
	}
	if json.Unmarshal(body, &env) != nil {
		return nil
	}
	out := make([]map[string]any, len(env.Territories))
	for i, t := range env.Territories {
		out[i] = t.Details
	}
	return out
}

// confirmCreates looks up, once, the creates of the batch whose answer was
// lost or refused after an uncertain attempt: a territory of the name under
// the parent counts as created (the rule "already present" follows for an
// add). Those not found keep their outcome; a failed look-up leaves them as
// they are.
func (tb *territoryBatch) confirmCreates(ctx context.Context) {
	r := tb.r
	var ask []int
	for _, i := range tb.idx {
		it := r.get(i)
		lost := it.Outcome == Unknown
		refusedAfterLost := it.Outcome == Failed && tb.uncertain[i] && it.Reason != ReasonNotSent
		if lost || refusedAfterLost {
			ask = append(ask, i)
		}
	}
	if len(ask) == 0 || ctx.Err() != nil {
		return
	}
	found, err := r.findCreated(ctx, ask)
	if err != nil {
		return
	}
	for _, i := range ask {
		if id, ok := found[i]; ok {
			it := r.get(i)
			it.ID, it.Outcome, it.Inferred, it.Reason, it.Err = id, Created, true, "", nil
			it.Message = "found by its name under its parent after an answer was lost"
			r.set(it)
		}
	}
}

// territoryReason classifies Zoho's refusal of a territory change from its
// code, message and details: the codes of the one table (codes.go), read
// for a territory rather than a membership.
func territoryReason(code, message string, details map[string]any) Reason {
	m := strings.ToLower(message)
	apiName, _ := details["api_name"].(string)
	switch code {
	case "DUPLICATE_DATA", "ALREADY_EXISTS":
		return ReasonDuplicateName
	case "MANDATORY_NOT_FOUND":
		return ReasonMandatoryMissing
	case "DEPENDENT_FIELD_MISSING":
		if apiName == "transfer_to_id" {
			return ReasonHasChildren
		}
		return ReasonInvalidCriteria
	case "NOT_ALLOWED":
		switch {
		case strings.Contains(m, "child of given territory"):
			return ReasonCycle
		case strings.Contains(m, "having child"):
			return ReasonHasChildren
		case strings.Contains(m, "org territory"), strings.Contains(m, "organization territory"):
			return ReasonRoot
		case strings.Contains(m, "inactive user"):
			return ReasonInactiveManager
		case strings.Contains(m, "rule disabled"), strings.Contains(m, "disabled module"):
			return ReasonRulesDisabled
		}
		return ReasonNotAllowed
	case "INVALID_DATA":
		path, _ := details["json_path"].(string)
		switch {
		case strings.Contains(m, "transfer_to_id are same"), strings.Contains(m, "choose correct transfer_to_id"):
			return ReasonCycle
		case strings.Contains(path, "_rule_criteria") || strings.HasSuffix(apiName, "_rule_criteria"):
			return ReasonInvalidCriteria
		case details["maximum_length"] != nil, details["supported_values"] != nil:
			return ReasonInvalidData
		case apiName == "id", apiName == "transfer_to_id", apiName == "reporting_to", apiName == "manager",
			details["resource_path_index"] != nil, details["id"] != nil:
			return ReasonInvalidID
		}
		return ReasonInvalidData
	}
	if c, ok := lookupCode(code); ok && c.reason != "" {
		return c.reason
	}
	return ReasonOther
}
