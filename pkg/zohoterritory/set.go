package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// ChangeSet is several changes made as one run, with one journal: a move
// ([Move]), a reorganisation, or the undoing of either.
//
// Every add goes first, then every removal, so that people gain their new
// memberships before they lose old ones. And a user's membership is removed
// only once every add of that user in the set is done (added, or present
// already): when one of them failed for good (the territory is full, the
// user is deleted), the user keeps the membership, [ReasonKept]; while one
// of them is unsettled (its answer was lost, or it was never sent), the
// removal is held back, [ReasonNotSent], for a resume to settle. So a user
// moved from one territory to another is never left in neither, whatever
// fails or is killed.
type ChangeSet struct {
	// Changes are made in two phases, the adds and then the removals;
	// within a phase, side by side under the client's concurrency limit.
	// A change's own Journal and Stop are not used: the set's are.
	Changes []Change
	// Journal, if set, records the whole set (see [SetJournal]).
	Journal SetJournal
	// Stop, once closed, keeps calls not yet sent, and the removals if the
	// adds are not over, from being sent; calls in flight finish.
	Stop <-chan struct{}
}

// SetJournal records a [ChangeSet] as it runs: the set once, before
// anything is sent, then each change through the [Journal] that Change
// returns (whose Begin may do nothing: BeginSet has said it all). Package
// journal holds the file implementation.
type SetJournal interface {
	BeginSet(JournalSet) error
	// Change returns the journal of change i (counted from 0).
	Change(i int) Journal
}

// JournalSet is what [SetJournal.BeginSet] is told: the set as it will be
// sent. It never holds a token.
type JournalSet struct {
	Changes    []JournalChange
	APIDomain  string
	APIVersion string
	Started    time.Time
}

// JournalChange is one change of a [JournalSet].
type JournalChange struct {
	Op    Op
	Owner string
	// IDs are every id of the change, checked, repeats dropped; Send are
	// those this run may send (not settled by an earlier one); MaybeDone
	// those of Send an earlier run may have done.
	IDs, Send, MaybeDone []string
}

// SetResult is what a [ChangeSet] came to: one [Result] per change, in the
// set's order, each accounting for every id of its change.
type SetResult struct {
	Results []*Result
}

// Calls returns every call the set made, change by change.
func (r *SetResult) Calls() []Call {
	var out []Call
	for _, res := range r.Results {
		out = append(out, res.Calls...)
	}
	return out
}

// String summarises the set on one line, as [Counts.String] counts it,
// such as "2 added, 0 already present, 2 removed, 1 kept, 0 failed, 0
// unknown (2 calls)".
func (r *SetResult) String() string {
	c := r.Count(CountOptions{})
	return fmt.Sprintf("%s (%s)", c, c.CallsString())
}

// Move returns the set that moves users from one territory to another:
// add each of them to the territory to, then remove from the territory
// from those who are now in it (added, or there already). A user whose add
// Zoho refused stays where they were, and the result says why. The ids are
// checked here, before anything is sent.
func Move(from, to string, userIDs ...string) (ChangeSet, error) {
	if err := checkID("from", from); err != nil {
		return ChangeSet{}, err
	}
	if err := checkID("to", to); err != nil {
		return ChangeSet{}, err
	}
	if from == to {
		return ChangeSet{}, &InvalidIDError{Arg: "to", ID: to, Rule: "must differ from the territory the users move from"}
	}
	ids, err := checkIDs("userIDs", userIDs)
	if err != nil {
		return ChangeSet{}, err
	}
	return ChangeSet{Changes: []Change{
		{Op: OpAddUsers, Owner: to, IDs: ids},
		{Op: OpRemoveUsers, Owner: from, IDs: ids},
	}}, nil
}

// errHeld is the cause of a removal a set held back because an add of the
// same user is not settled.
var errHeld = errors.New("zohoterritory: held back until the user's add is settled")

// setChange is one change of a set, checked.
type setChange struct {
	e        endpoint
	ch       Change
	ids      []string // every id, repeats dropped
	settled  map[string]ItemResult
	send     []string
	maybeIDs []string
}

// user returns whose membership id is in this change: the id itself for a
// territory's users, the owner for a user's territories.
func (sc *setChange) user(id string) string {
	if ids, _ := sc.e.op.Kinds(); ids == KindUser {
		return id
	}
	return sc.ch.Owner
}

// territory returns which territory's membership id is in this change.
func (sc *setChange) territory(id string) string {
	if ids, _ := sc.e.op.Kinds(); ids == KindUser {
		return sc.ch.Owner
	}
	return id
}

// checkSet checks every change of set before anything is sent; an error
// names the change.
func (c *Client) checkSet(set ChangeSet) ([]*setChange, error) {
	if len(set.Changes) == 0 {
		return nil, errors.New("zohoterritory: ChangeSet: no changes")
	}
	out := make([]*setChange, len(set.Changes))
	for i, ch := range set.Changes {
		e, err := ch.endpoint()
		if err == nil {
			out[i], err = c.checkSetChange(e, ch)
		}
		if err != nil {
			return nil, fmt.Errorf("ChangeSet.Changes[%d]: %w", i, err)
		}
	}
	return out, nil
}

func (c *Client) checkSetChange(e endpoint, ch Change) (*setChange, error) {
	ids, err := c.check(e, ch.Owner, ch.IDs)
	if err != nil {
		return nil, err
	}
	settled, err := settledOf(ch, ids)
	if err != nil {
		return nil, err
	}
	sc := &setChange{e: e, ch: ch, ids: ids, settled: settled}
	maybe := map[string]bool{}
	for i, id := range ch.MaybeDone {
		if err := checkID(fmt.Sprintf("MaybeDone[%d]", i), id); err != nil {
			return nil, err
		}
		maybe[id] = true
	}
	for _, id := range ids {
		if _, ok := settled[id]; ok {
			continue
		}
		sc.send = append(sc.send, id)
		if maybe[id] {
			sc.maybeIDs = append(sc.maybeIDs, id)
		}
	}
	return sc, nil
}

// PlanSet checks set as [Client.ApplySet] does and returns the calls it
// would make, the adds' and then the removals', sending nothing. Which
// removals are sent depends on how the adds go: the plan lists them all.
// It needs no credentials.
func (c *Client) PlanSet(set ChangeSet) ([]PlannedCall, error) {
	scs, err := c.checkSet(set)
	if err != nil {
		return nil, err
	}
	var out []PlannedCall
	for _, adds := range []bool{true, false} {
		for _, sc := range scs {
			if sc.e.op.Adds() != adds || len(sc.send) == 0 {
				continue
			}
			calls, err := c.plan(sc.e, sc.ch.Owner, sc.send)
			if err != nil {
				return nil, err
			}
			out = append(out, calls...)
		}
	}
	return emptyIfNil(out), nil
}

// ApplySet makes the changes of set: every add, then every removal whose
// user's adds are all done (see [ChangeSet]). Every change is checked
// before anything is sent. The [SetResult] accounts for every id of every
// change, those of [Change.Settled] as they were; a request-level failure
// is returned as the error beside it. A failure that every later call
// would meet too (a refused token, a missing scope) keeps the changes not
// yet started from being sent.
func (c *Client) ApplySet(ctx context.Context, set ChangeSet) (*SetResult, error) {
	scs, err := c.checkSet(set)
	if err != nil {
		return nil, err
	}
	total := 0
	for _, sc := range scs {
		total += len(sc.send)
	}
	if set.Journal != nil && total > 0 {
		js := JournalSet{APIDomain: c.APIDomain(), APIVersion: c.APIVersion(), Started: c.now()}
		for _, sc := range scs {
			js.Changes = append(js.Changes, JournalChange{Op: sc.e.op, Owner: sc.ch.Owner, IDs: sc.ids, Send: sc.send, MaybeDone: sc.maybeIDs})
		}
		if err := set.Journal.BeginSet(js); err != nil {
			return nil, &JournalError{Step: "begin", Err: err}
		}
	}
	s := &setRun{c: c, set: set, scs: scs, results: make([]*Result, len(scs)), errs: make([]error, len(scs)),
		tracker: &progressTracker{p: Progress{Total: total}, fn: c.progress}}
	s.failCtx, s.fail = context.WithCancelCause(ctx)
	defer s.fail(nil)

	s.phase(ctx, true)
	s.gate()
	s.phase(ctx, false)

	var errs []error
	for _, err := range s.errs {
		if err != nil && !containsErr(errs, err) {
			errs = append(errs, err)
		}
	}
	return &SetResult{Results: s.results}, joinErrs(errs)
}

// setRun is one run of a [ChangeSet].
type setRun struct {
	c       *Client
	set     ChangeSet
	scs     []*setChange
	results []*Result
	errs    []error
	tracker *progressTracker
	// failCtx is cancelled, with the failure as its cause, when a change
	// fails in a way every later call would too; changes not yet started
	// are then not sent.
	failCtx context.Context
	fail    context.CancelCauseFunc
}

// phase makes the set's adds (adds true) or removals, side by side.
func (s *setRun) phase(ctx context.Context, adds bool) {
	var g errgroup.Group
	g.SetLimit(s.c.limiter.cap)
	for i, sc := range s.scs {
		if sc.e.op.Adds() != adds {
			continue
		}
		g.Go(func() error {
			var err error
			s.results[i], err = s.run(ctx, i, sc)
			s.errs[i] = errors.Join(s.errs[i], err)
			return nil
		})
	}
	_ = g.Wait()
}

// run makes change i, unless an earlier change's failure stops it.
func (s *setRun) run(ctx context.Context, i int, sc *setChange) (*Result, error) {
	ch := sc.ch
	ch.Settled = make([]ItemResult, 0, len(sc.settled))
	for _, it := range sc.settled {
		ch.Settled = append(ch.Settled, it)
	}
	ch.MaybeDone = sc.maybeIDs
	ch.Stop = s.set.Stop
	ch.Journal = nil
	if s.set.Journal != nil {
		ch.Journal = s.set.Journal.Change(i)
	}
	if cause := context.Cause(s.failCtx); cause != nil && len(sc.send) > 0 {
		for _, id := range sc.send {
			ch.Settled = append(ch.Settled, ItemResult{ID: id, Outcome: Failed, Reason: ReasonNotSent, Message: "not sent: " + cause.Error(), Err: cause})
		}
		res, _ := s.c.change(ctx, sc.e, ch, s.tracker)
		return res, cause
	}
	res, err := s.c.change(ctx, sc.e, ch, s.tracker)
	if res == nil {
		// Only a check could fail so, and checkSet has made them all.
		return &Result{Op: sc.e.op}, err
	}
	if err != nil && failsEveryCall(err) {
		s.fail(err)
	}
	return res, err
}

// gate decides, once the adds are over, which removals may be sent: for
// each user, whether every add of theirs in the set is done, failed for
// good, or unsettled. A removal of a user whose adds are not all done is
// settled here as kept or held, journaled, and not sent.
func (s *setRun) gate() {
	type addState struct {
		failed, unsettled *ItemResult
		territory         string
	}
	users := map[string]*addState{}
	for i, sc := range s.scs {
		if !sc.e.op.Adds() || s.results[i] == nil {
			continue
		}
		for _, it := range s.results[i].Items {
			st := users[sc.user(it.ID)]
			if st == nil {
				st = &addState{}
				users[sc.user(it.ID)] = st
			}
			switch {
			case it.Outcome == Added || it.Outcome == AlreadyPresent:
			case it.Outcome == Failed && it.Err == nil && it.Reason != ReasonNotSent && it.Reason != ReasonRateLimited:
				if st.failed == nil {
					st.failed, st.territory = &it, sc.territory(it.ID)
				}
			default:
				if st.unsettled == nil {
					st.unsettled = &it
					if st.failed == nil {
						st.territory = sc.territory(it.ID)
					}
				}
			}
		}
	}
	for i, sc := range s.scs {
		if sc.e.op.Adds() {
			continue
		}
		var gated []ItemResult
		send := sc.send[:0:0]
		for _, id := range sc.send {
			st := users[sc.user(id)]
			switch {
			case st == nil || (st.failed == nil && st.unsettled == nil):
				send = append(send, id)
			case st.failed != nil:
				gated = append(gated, ItemResult{ID: id, Outcome: Failed, Reason: ReasonKept,
					Message: fmt.Sprintf("not removed, so the user keeps it: adding the user to territory %s failed (%s)", st.territory, describe(*st.failed))})
			default:
				gated = append(gated, ItemResult{ID: id, Outcome: Failed, Reason: ReasonNotSent, Err: errHeld,
					Message: fmt.Sprintf("held back: adding the user to territory %s is not settled (%s); a resume sends it once it is", st.territory, describe(*st.unsettled))})
			}
		}
		if len(gated) == 0 {
			continue
		}
		for _, it := range gated {
			sc.settled[it.ID] = it
		}
		sc.send = send
		if s.set.Journal != nil {
			// The journal keeps why each was not sent: kept is final,
			// held is sent by a resume.
			if err := s.set.Journal.Change(i).Settled(0, gated); err != nil {
				s.errs[i] = &JournalError{Step: "settled", Err: err}
			}
		}
		s.tracker.add(gated)
	}
}

// describe says in a few words what became of an id, for the message of
// a removal that was not sent because of it: "failed, limit_exceeded:
// Maximum Users Limit reached for a territory".
func describe(it ItemResult) string {
	parts := []string{it.Outcome.String()}
	if it.Reason != "" {
		parts = append(parts, string(it.Reason))
	}
	if it.Message != "" {
		parts = append(parts, it.Message)
	}
	return strings.Join(parts, ", ")
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
