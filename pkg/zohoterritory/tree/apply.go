package tree

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file applies a plan: each step through the client's calls and the
// journal, in the plan's order. resume.go finishes a killed run from its
// journal and restore.go takes a run back; all three share the runner
// below.

// Journal records a run of a plan while it runs, so that a killed run can
// be finished ([Resume]) and any run taken back ([Restore]) from it alone:
// the plan once, before anything is sent, then each step through the
// client's hooks. A structure step (free_name, create, update, delete) is
// one [zohoterritory.Client.ApplyTerritories] whose journal is
// Step(i); the consecutive add and remove steps are one
// [zohoterritory.Client.ApplySet], whose journal is Members(first), its
// change k being step first+k. So before each call the journal holds what
// it may do, and after each answer what came of it; a create's outcome
// carries the territory's new id.
//
// The client calls the hooks of the journals Step and Members return from
// the goroutines of its calls: an implementation must be safe for
// concurrent use and should make each record durable before it returns.
// Package journal's File implements it.
type Journal interface {
	// BeginTree is called once, before anything is sent (for a run taken
	// up by [Resume], before anything more is). An error stops the run
	// before it starts.
	BeginTree(JournalRun) error
	// Step returns the journal of structure step i (from 0).
	Step(i int) zohoterritory.TerritoryJournal
	// Members returns the journal of the membership phase whose first
	// step is first (from 0): its set's change k is step first+k.
	Members(first int) zohoterritory.SetJournal
}

// JournalRun is what [Journal.BeginTree] is told: the plan as it will be
// applied, and where. It never holds a token.
type JournalRun struct {
	Plan                  *Plan
	APIDomain, APIVersion string
}

// ApplyOptions say how [Apply], [Resume] and [Restore] run.
type ApplyOptions struct {
	// Journal, if set, records the run (see [Journal]); without it a
	// killed run cannot be resumed nor taken back.
	Journal Journal
	// Stop, once closed, keeps calls not yet sent from being sent: the
	// step in flight ends with its calls in flight, and no later step
	// starts. Cancel the context instead to stop at once.
	Stop <-chan struct{}
}

// StepState is what became of a step of a run.
type StepState string

// The states of a [StepResult].
const (
	// StepDone: every territory or membership of the step is as the plan
	// wants it: changed, or for a membership done under [CountOptions]
	// (an add that found the user a member, a removal that found the user
	// gone).
	StepDone StepState = "done"
	// StepFailed: Zoho refused some for good (a name taken, a territory
	// full, ...); none is unsettled.
	StepFailed StepState = "failed"
	// StepUnsettled: some outcomes are unknown (an answer lost), or were
	// not sent for a failure of the whole call (a 429, a refused token, a
	// stop): a resume sends them.
	StepUnsettled StepState = "unsettled"
	// StepNotSent: nothing of the step was sent: an earlier step stopped
	// the run.
	StepNotSent StepState = "not_sent"
)

// StepResult is what became of one step of a plan.
type StepResult struct {
	Kind  StepKind
	State StepState
	// Territories are the outcomes of a structure step's territories, in
	// the step's order (nil for a membership step). Those of a step never
	// sent are failed, [zohoterritory.ReasonNotSent].
	Territories *zohoterritory.TerritoryResult
	// Members are the outcomes of a membership step's users, in the
	// step's order (nil for a structure step). Those of a step never sent
	// are failed, [zohoterritory.ReasonNotSent].
	Members *zohoterritory.Result
}

// ApplyResult is what a run of a plan came to: one [StepResult] per step
// of the plan, in order, and the ids Zoho gave the territories created.
type ApplyResult struct {
	Steps []StepResult
	// Created maps the key of each territory created (by this process or,
	// for a resume, an earlier one) to its id.
	Created map[string]string
	// Restored maps the id of each deleted territory a plan made by
	// [Undo] brought back to the id of the territory that replaces it.
	Restored map[string]string
	// Halted is the index of the structure step whose failed or unsettled
	// territories stopped the run before its next step; -1 when none did.
	// A membership phase stops the run (Halted stays -1) on a failure every
	// call would meet (the credentials), a stop, or a membership it leaves
	// unsettled. Whether a resume can go past it is
	// [ApplyResult.Status]'s to say: not when Zoho refused some of it for
	// good ([RunHalted]).
	Halted int

	plan *Plan
}

// Status says where the run stands, by the rule of [Progress.Status]: the
// same run read back from its journal has the same status. A step stopped
// by a failure of its calls as a whole (a 429 past the retries, a refused
// token, a stop) is unfinished, not halted: a resume sends it again.
func (r *ApplyResult) Status() RunStatus {
	type tally struct{ open, refused int }
	steps := make([]tally, len(r.Steps))
	for _, it := range r.items() {
		switch {
		case !it.fate.settled():
			steps[it.Step].open++
		case it.fate == fateRefused:
			steps[it.Step].refused++
		}
	}
	return runStatus(len(r.Steps), func(i int) (structure bool, open, refused int) {
		k := r.Steps[i].Kind
		return k != StepAdd && k != StepRemove, steps[i].open, steps[i].refused
	})
}

// Halt returns the index of the structure step of which places were
// refused for good, which keeps the steps after it from being made; -1
// when none was. [Progress.Halt] says the same of the run read back from
// its journal.
func (r *ApplyResult) Halt() int {
	for _, it := range r.items() {
		if it.fate == fateRefused && it.Kind != StepAdd && it.Kind != StepRemove {
			return it.Step
		}
	}
	return -1
}

// Complete reports whether every step is done.
func (r *ApplyResult) Complete() bool {
	for _, s := range r.Steps {
		if s.State != StepDone {
			return false
		}
	}
	return true
}

// Done returns what the run made, as [Undo] takes it: what this process
// made, and for a resume what the journal holds as made before.
func (r *ApplyResult) Done() Done {
	d := Done{Created: map[string]string{}}
	p := r.plan
	if p == nil {
		return d
	}
	for i, s := range r.Steps {
		if i >= len(p.Steps) {
			break
		}
		ps := p.Steps[i]
		if t := s.Territories; t != nil {
			for _, it := range t.Items {
				switch {
				case it.Outcome == zohoterritory.Created && it.Index < len(ps.Creates):
					d.Created[ps.Creates[it.Index].Key] = it.ID
				case it.Outcome == zohoterritory.Updated && ps.Kind == StepFreeName:
					d.Freed = append(d.Freed, it.ID)
				case it.Outcome == zohoterritory.Updated:
					d.Updated = append(d.Updated, it.ID)
				case it.Outcome == zohoterritory.Deleted:
					d.Deleted = append(d.Deleted, it.ID)
				}
			}
		}
		if m := s.Members; m != nil && ps.Members != nil {
			if users := m.Added(); len(users) > 0 {
				d.Added = append(d.Added, Members{Territory: ps.Members.Territory, Path: ps.Members.Path, Users: users})
			}
			if users := m.Removed(); len(users) > 0 {
				d.Removed = append(d.Removed, Members{Territory: ps.Members.Territory, Path: ps.Members.Path, Users: users})
			}
		}
	}
	return d
}

// PlanError is a plan that cannot be applied as it is, found before
// anything is sent.
type PlanError struct {
	// Step is the index of the step (from 0), -1 for the plan as a whole.
	Step int
	// Rule says what is wrong.
	Rule string
}

func (e *PlanError) Error() string {
	if e.Step < 0 {
		return "tree: the plan cannot be applied: " + e.Rule
	}
	return fmt.Sprintf("tree: the plan cannot be applied: steps[%d]: %s", e.Step, e.Rule)
}

// Apply makes the plan, step by step, in its order:
//
//   - free_name and update steps through
//     [zohoterritory.Client.ApplyTerritories] (OpUpdateTerritories): each
//     field that changes set ([zohoterritory.SetField]) or, for a manager,
//     description or rule that goes, cleared ([zohoterritory.ClearField]);
//     the permission always sent, as the plan has it;
//   - create steps through ApplyTerritories (OpCreateTerritories), a new
//     parent's key replaced by the id its create got;
//   - the consecutive add and remove steps as one
//     [zohoterritory.ChangeSet] through [zohoterritory.Client.ApplySet]:
//     every add, then every removal whose user's adds are done, a new
//     territory's key replaced by its id;
//   - delete steps through ApplyTerritories (OpDeleteTerritories),
//     keeping the territories' forecasts ([zohoterritory.KeepForecasts]).
//
// A structure step (free_name, create, update, delete) of which any
// territory failed or is unsettled stops the run before the next step
// ([ApplyResult].Halted; the later steps come out [StepNotSent]): a later
// step may need it (a child needs its parent, a name must be free). The
// membership phase follows ApplySet's rules: one user's refusal does not
// stop it, nor the run; a failure every call would meet (the credentials)
// does, and stops the run. A membership the phase leaves unsettled (429s
// past the retries, an answer lost, a call never sent) stops the run
// before the deletes: a delete takes the territory from its members, who
// may not have yet the membership the plan gives them instead (as a
// user's removal waits for their adds); a resume settles it and goes on.
//
// The plan is checked before anything is sent (a [*PlanError] names the
// step and the rule). The [ApplyResult] accounts for every step; a
// request-level failure of any step is returned as the error beside it.
// With a journal ([ApplyOptions].Journal) a killed run is finished by
// [Resume] and any run taken back by [Restore].
func Apply(ctx context.Context, c *zohoterritory.Client, p *Plan, opts ApplyOptions) (*ApplyResult, error) {
	if err := checkApply(p); err != nil {
		return nil, err
	}
	return run(ctx, c, p, nil, opts)
}

// checkApply checks what the client would refuse only when the step is
// sent, so that a bad plan is refused before its first step.
func checkApply(p *Plan) error {
	if p == nil {
		return &PlanError{Step: -1, Rule: "no plan"}
	}
	if err := p.check(); err != nil {
		return &PlanError{Step: -1, Rule: err.Error()}
	}
	name := func(i int, what, n string) error {
		if k := utf8.RuneCountInString(n); k == 0 || k > MaxNameLength {
			return &PlanError{Step: i, Rule: fmt.Sprintf("%s: name %q: want 1 to %d characters", what, n, MaxNameLength)}
		}
		return nil
	}
	permission := func(i int, what, perm string) error {
		if perm != PermissionReadOnly && perm != PermissionReadWriteDelete {
			return &PlanError{Step: i, Rule: fmt.Sprintf("%s: permission %q: want %s or %s", what, perm, PermissionReadOnly, PermissionReadWriteDelete)}
		}
		return nil
	}
	description := func(i int, what, d string) error {
		if k := utf8.RuneCountInString(d); k > MaxDescriptionLength {
			return &PlanError{Step: i, Rule: fmt.Sprintf("%s: description of %d characters: Zoho allows at most %d", what, k, MaxDescriptionLength)}
		}
		return nil
	}
	manager := func(i int, what, id string) error {
		if id == "" {
			return nil
		}
		if err := zohoterritory.CheckID(id); err != nil {
			return &PlanError{Step: i, Rule: fmt.Sprintf("%s: manager: %v", what, err)}
		}
		return nil
	}
	rules := func(i int, what string, c Criteria) error {
		for _, m := range modules {
			if raw := *c.get(m); !none(raw) {
				if err := zohoterritory.CheckRule(raw); err != nil {
					return &PlanError{Step: i, Rule: fmt.Sprintf("%s: rules.%s: %v", what, m, err)}
				}
			}
		}
		return nil
	}
	for i, s := range p.Steps {
		for _, c := range s.Creates {
			what := "create " + c.Key
			if err := errors.Join(name(i, what, c.Name), permission(i, what, c.Permission), description(i, what, c.Description),
				manager(i, what, c.ManagerID), rules(i, what, c.Criteria)); err != nil {
				return err
			}
		}
		for _, u := range s.Updates {
			what := "update " + u.ID
			var errs []error
			if u.Name != nil {
				errs = append(errs, name(i, what, u.Name.New))
			}
			if u.Permission != nil {
				errs = append(errs, permission(i, what, u.Permission.New))
			}
			if u.Description != nil {
				errs = append(errs, description(i, what, u.Description.New))
			}
			if u.Manager != nil {
				errs = append(errs, manager(i, what, u.Manager.New))
			}
			if u.Criteria != nil {
				errs = append(errs, rules(i, what, u.Criteria.New))
			}
			if u.empty() {
				errs = append(errs, &PlanError{Step: i, Rule: what + ": changes nothing"})
			}
			if err := errors.Join(errs...); err != nil {
				return err
			}
		}
	}
	return nil
}

// runner is one process's run of a plan: a new one, or one taken up from
// its journal.
type runner struct {
	c    *zohoterritory.Client
	p    *Plan
	opts ApplyOptions
	prog *Progress // nil for a new run
	res  *ApplyResult
	errs []error
}

// run applies p, taking up prog's run when prog is set.
func run(ctx context.Context, c *zohoterritory.Client, p *Plan, prog *Progress, opts ApplyOptions) (*ApplyResult, error) {
	r := &runner{c: c, p: p, opts: opts, prog: prog,
		res: &ApplyResult{Steps: make([]StepResult, len(p.Steps)), Created: map[string]string{}, Restored: map[string]string{}, Halted: -1, plan: p}}
	for i, s := range p.Steps {
		r.res.Steps[i] = StepResult{Kind: s.Kind, State: StepNotSent}
	}
	if prog != nil {
		for key, id := range prog.created() {
			r.res.Created[key] = id
		}
	}
	if opts.Journal != nil {
		if err := opts.Journal.BeginTree(JournalRun{Plan: p, APIDomain: c.APIDomain(), APIVersion: c.APIVersion()}); err != nil {
			return nil, &zohoterritory.JournalError{Step: "begin", Err: err}
		}
	}
	for i := 0; i < len(p.Steps); {
		if p.Steps[i].Members != nil {
			end := i
			for end < len(p.Steps) && p.Steps[end].Members != nil {
				end++
			}
			if !r.members(ctx, i, end) {
				break
			}
			i = end
			continue
		}
		if !r.structure(ctx, i) {
			r.res.Halted = i
			break
		}
		i++
	}
	r.notSent()
	r.restored()
	switch len(r.errs) {
	case 0:
		return r.res, nil
	case 1:
		return r.res, r.errs[0]
	}
	return r.res, errors.Join(r.errs...)
}

func (r *runner) fail(err error) {
	if err == nil {
		return
	}
	for _, e := range r.errs {
		if e.Error() == err.Error() {
			return
		}
	}
	r.errs = append(r.errs, err)
}

// failUnlessDone keeps err unless every place it is about got its change
// all the same (a retry after a 500 found a delete done): a journal's
// failure is always kept, since the journal then does not hold the run.
func (r *runner) failUnlessDone(err error, done bool) {
	var je *zohoterritory.JournalError
	if err != nil && (!done || errors.As(err, &je)) {
		r.fail(err)
	}
}

// id returns the id of a territory the plan names: its own, or the one its
// create got.
func (r *runner) id(ref Ref) (string, error) {
	if ref.ID != "" {
		return ref.ID, nil
	}
	if id, ok := r.res.Created[ref.Key]; ok {
		return id, nil
	}
	return "", fmt.Errorf("tree: territory %q was not created", ref.Key)
}

// progress returns what the journal holds of step i; the zero value for a
// new run.
func (r *runner) progress(i int) StepProgress {
	if r.prog == nil || i >= len(r.prog.Steps) {
		return StepProgress{}
	}
	return r.prog.Steps[i]
}

// structure makes structure step i, and reports whether the run goes on.
func (r *runner) structure(ctx context.Context, i int) bool {
	s := r.p.Steps[i]
	ch, err := r.territoryChange(s)
	if err != nil {
		r.fail(err)
		return false
	}
	sp := r.progress(i)
	ch.Settled, ch.MaybeDone, ch.Stop = sp.Settled, sp.MaybeDone, r.opts.Stop
	if r.opts.Journal != nil {
		ch.Journal = r.opts.Journal.Step(i)
	}
	res, err := r.c.ApplyTerritories(ctx, ch)
	if res == nil {
		r.fail(err)
		return false
	}
	sr := &r.res.Steps[i]
	sr.Territories, sr.State = res, territoryState(res)
	r.failUnlessDone(err, sr.State == StepDone)
	for _, it := range res.Items {
		if it.Outcome == zohoterritory.Created && it.Index < len(s.Creates) {
			r.res.Created[s.Creates[it.Index].Key] = it.ID
		}
	}
	return sr.State == StepDone
}

// territoryChange is step s as the client takes it, keys replaced by ids.
func (r *runner) territoryChange(s Step) (zohoterritory.TerritoryChange, error) {
	var ch zohoterritory.TerritoryChange
	ch.Op = territoryOp(s.Kind)
	switch s.Kind {
	case StepCreate:
		for _, c := range s.Creates {
			parent, err := r.id(c.Parent)
			if err != nil {
				return ch, err
			}
			ch.Create = append(ch.Create, zohoterritory.NewTerritory{Name: c.Name, ReportingTo: parent,
				PermissionType: zohoterritory.PermissionType(c.Permission), ManagerID: c.ManagerID, Description: c.Description,
				AccountRuleCriteria: rule(c.Criteria.Accounts), LeadRuleCriteria: rule(c.Criteria.Leads), DealRuleCriteria: rule(c.Criteria.Deals)})
		}
	case StepFreeName, StepUpdate:
		for _, u := range s.Updates {
			tu, err := r.update(u)
			if err != nil {
				return ch, err
			}
			ch.Update = append(ch.Update, tu)
		}
	case StepDelete:
		ch.Forecasts = zohoterritory.KeepForecasts
		for _, d := range s.Deletes {
			ch.Delete = append(ch.Delete, d.ID)
		}
	default:
		return ch, fmt.Errorf("tree: a %s step is no structure step", s.Kind)
	}
	return ch, nil
}

// update is u as the client takes it: the fields that change set or
// cleared, and the permission always (Zoho's pages want it on every
// update): the new one, or the one the plan found.
func (r *runner) update(u Update) (zohoterritory.TerritoryUpdate, error) {
	tu := zohoterritory.TerritoryUpdate{ID: u.ID}
	if u.Name != nil {
		tu.Name = zohoterritory.SetField(u.Name.New)
	}
	if u.Parent != nil {
		parent, err := r.id(u.Parent.New)
		if err != nil {
			return tu, err
		}
		tu.ReportingTo = zohoterritory.SetField(parent)
	}
	perm := ""
	if t, ok := r.p.Territory(u.ID); ok {
		perm = t.Permission
	}
	if u.Permission != nil {
		perm = u.Permission.New
	}
	if perm != "" {
		tu.PermissionType = zohoterritory.SetField(zohoterritory.PermissionType(perm))
	}
	if u.Manager != nil {
		tu.ManagerID = setOrClear(u.Manager.New)
	}
	if u.Description != nil {
		tu.Description = setOrClear(u.Description.New)
	}
	if c := u.Criteria; c != nil {
		for _, m := range c.New.Changed(c.Old) {
			raw := *c.New.get(m)
			f := zohoterritory.ClearField[json.RawMessage]()
			if !none(raw) {
				f = zohoterritory.SetField(raw)
			}
			switch m {
			case "accounts":
				tu.AccountRuleCriteria = f
			case "leads":
				tu.LeadRuleCriteria = f
			default:
				tu.DealRuleCriteria = f
			}
		}
	}
	return tu, nil
}

func setOrClear(v string) zohoterritory.Field[string] {
	if v == "" {
		return zohoterritory.ClearField[string]()
	}
	return zohoterritory.SetField(v)
}

// rule is a criterion as a create sends it: nil for none.
func rule(raw json.RawMessage) json.RawMessage {
	if none(raw) {
		return nil
	}
	return raw
}

// territoryState is the state of a structure step from its outcomes.
func territoryState(res *zohoterritory.TerritoryResult) StepState {
	fates := make([]fate, len(res.Items))
	for i, it := range res.Items {
		fates[i] = territoryFate(it)
	}
	return stepState(fates)
}

// memberState is the state of a membership step from its outcomes.
func memberState(res *zohoterritory.Result) StepState {
	fates := make([]fate, len(res.Items))
	for i, it := range res.Items {
		fates[i] = memberFate(it)
	}
	return stepState(fates)
}

// stepState is the state of a step whose places came to fates: unsettled
// while any is not final, failed when any was refused, else done.
func stepState(fates []fate) StepState {
	state := StepDone
	for _, f := range fates {
		switch {
		case !f.settled():
			return StepUnsettled
		case f == fateRefused:
			state = StepFailed
		}
	}
	return state
}

// members makes steps [first, end), all add or remove steps, as one
// ChangeSet, and reports whether the run goes on.
func (r *runner) members(ctx context.Context, first, end int) bool {
	set := zohoterritory.ChangeSet{Stop: r.opts.Stop}
	for i := first; i < end; i++ {
		s := r.p.Steps[i]
		owner, err := r.id(s.Members.Territory)
		if err != nil {
			r.fail(err)
			return false
		}
		sp := r.progress(i)
		set.Changes = append(set.Changes, zohoterritory.Change{Op: memberOp(s.Kind), Owner: owner, IDs: s.Members.Users,
			Settled: sp.SettledUsers, MaybeDone: sp.MaybeDoneUsers})
	}
	if r.opts.Journal != nil {
		set.Journal = r.opts.Journal.Members(first)
	}
	res, err := r.c.ApplySet(ctx, set)
	if res == nil {
		r.fail(err)
		return false
	}
	done, unsettled := true, false
	for k, m := range res.Results {
		sr := &r.res.Steps[first+k]
		sr.Members, sr.State = m, memberState(m)
		done = done && sr.State == StepDone
		unsettled = unsettled || sr.State == StepUnsettled
	}
	r.failUnlessDone(err, done)
	// A stop that comes once every call of the phase is sent is met by
	// the next step's calls, which the client does not send.
	stopped := errors.Is(err, zohoterritory.ErrStopped) || ctx.Err() != nil
	// A membership not settled keeps the deletes back (see Apply).
	return !stopped && !unsettled && (err == nil || !zohoterritory.IsAuthFailure(err))
}

// notSent gives each place of the steps this process never sent its
// outcome: the one the journal holds (for a resume), else failed, not
// sent.
func (r *runner) notSent() {
	const why = "not sent: an earlier step stopped the run"
	for i, s := range r.p.Steps {
		sr := &r.res.Steps[i]
		if sr.Territories != nil || sr.Members != nil {
			continue
		}
		sp := r.progress(i)
		if m := s.Members; m != nil {
			res := &zohoterritory.Result{Op: memberOp(s.Kind)}
			for _, id := range m.Users {
				it := zohoterritory.ItemResult{ID: id, Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonNotSent, Message: why}
				for _, settled := range sp.SettledUsers {
					if settled.ID == id {
						it = settled
					}
				}
				res.Items = append(res.Items, it)
			}
			sr.Members = res
			if len(sp.SettledUsers) > 0 {
				sr.State = memberState(res)
			}
			continue
		}
		res := &zohoterritory.TerritoryResult{Op: territoryOp(s.Kind)}
		for k := range s.size() {
			it := zohoterritory.TerritoryItem{Index: k, Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonNotSent, Message: why}
			switch {
			case k < len(s.Creates):
				it.Name = s.Creates[k].Name
			case k < len(s.Updates):
				it.ID = s.Updates[k].ID
			case k < len(s.Deletes):
				it.ID = s.Deletes[k].ID
			}
			for _, settled := range sp.Settled {
				if settled.Index == k {
					it = settled
				}
			}
			res.Items = append(res.Items, it)
		}
		sr.Territories = res
		if len(sp.Settled) > 0 {
			sr.State = territoryState(res)
		}
	}
}

// territoryOp is the client's op of a structure step.
func territoryOp(k StepKind) zohoterritory.TerritoryOp {
	switch k {
	case StepCreate:
		return zohoterritory.OpCreateTerritories
	case StepDelete:
		return zohoterritory.OpDeleteTerritories
	}
	return zohoterritory.OpUpdateTerritories
}

// memberOp is the client's op of a membership step.
func memberOp(k StepKind) zohoterritory.Op {
	if k == StepRemove {
		return zohoterritory.OpRemoveUsers
	}
	return zohoterritory.OpAddUsers
}

// restored fills the map of the territories a plan made by Undo brought
// back: the id deleted → the id created.
func (r *runner) restored() {
	for _, s := range r.p.Steps {
		for _, c := range s.Creates {
			if id, ok := r.res.Created[c.Key]; ok && c.Restores != "" {
				r.res.Restored[c.Restores] = id
			}
		}
	}
}
