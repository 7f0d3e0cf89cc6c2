package journal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// This file is the journal of a tree run (format version 3): a run of a
// tree plan ([tree.Apply], [tree.Resume], [tree.Restore]), its records
// written through [tree.Journal]'s hooks and read back as a
// [tree.Progress].

// TreeVersion is the format version of a tree run's journal. Journals of
// membership changes are written in [Version] 2 as before, so that they
// stay readable by the releases that know no tree run.
const TreeVersion = 3

// KindTree is the "kind" of a tree run's header.
const KindTree = "tree"

// Record types of a tree run, besides run, resume, send, answer and
// outcome.
const (
	typeStep    = "step"    // a structure step begins: the territories it may send
	typeMembers = "members" // the membership phase begins: the changes it may send
)

var _ tree.Journal = (*File)(nil)

// treeRecord is one line of a tree run's journal. Which fields are set
// depends on Type.
type treeRecord struct {
	Type string    `json:"type"`
	Time time.Time `json:"time"`

	// run (the header)
	Format     string          `json:"format,omitempty"`
	Version    int             `json:"version,omitempty"`
	Kind       string          `json:"kind,omitempty"`
	Command    string          `json:"command,omitempty"`
	APIDomain  string          `json:"api_domain,omitempty"`
	APIVersion string          `json:"api_version,omitempty"`
	PID        int             `json:"pid,omitempty"`
	Plan       json.RawMessage `json:"plan,omitempty"`

	// step, send, answer, outcome: the plan's step (from 1).
	Step int `json:"step,omitempty"`
	// step: the op, the territories this process may send, and those of
	// them an earlier process may have done (their indexes in the step).
	Op          string         `json:"op,omitempty"`
	Territories []territoryRec `json:"territories,omitempty"`
	MaybeDone   []int          `json:"maybe_done,omitempty"`
	// members: each membership step this process may send.
	Changes []memberRec `json:"changes,omitempty"`

	// send, answer, outcome: the call (numbered from 1 by each process in
	// each step) and the attempt.
	Call      int    `json:"call,omitempty"`
	Attempt   int    `json:"attempt,omitempty"`
	Operation string `json:"operation,omitempty"`
	// send: a structure step's indexes, or a membership step's user ids.
	Indexes []int    `json:"indexes,omitempty"`
	IDs     []string `json:"ids,omitempty"`
	// answer
	Status int    `json:"status,omitempty"`
	Error  string `json:"error,omitempty"`
	// outcome: a structure step's territories, or a membership step's
	// users.
	Items   []territoryResult `json:"items,omitempty"`
	Results []result          `json:"results,omitempty"`
}

// territoryRec is one territory of a step record.
type territoryRec struct {
	Index       int             `json:"index"`
	ID          string          `json:"id,omitempty"`
	Name        string          `json:"name,omitempty"`
	ReportingTo string          `json:"reporting_to,omitempty"`
	Record      json.RawMessage `json:"record,omitempty"`
}

// memberRec is one membership step of a members record.
type memberRec struct {
	Step      int      `json:"step"`
	Op        string   `json:"op"`
	Owner     string   `json:"owner"`
	IDs       []string `json:"ids"`
	MaybeDone []string `json:"maybe_done,omitempty"`
}

// territoryResult is one territory's outcome in an outcome record.
type territoryResult struct {
	Index        int    `json:"index"`
	ID           string `json:"id,omitempty"`
	Name         string `json:"name,omitempty"`
	Outcome      string `json:"outcome"`
	Reason       string `json:"reason,omitempty"`
	Code         string `json:"code,omitempty"`
	Message      string `json:"message,omitempty"`
	Inferred     bool   `json:"inferred,omitempty"`
	RequestLevel bool   `json:"request_level,omitempty"`
}

// BeginTree writes the header of a tree run: the whole plan, so that a
// resume and a restore need nothing but the journal (or, for a journal
// opened with [Open], a resume record).
func (j *File) BeginTree(r tree.JournalRun) error {
	j.mu.Lock()
	resumed, begun, isTree := j.resumed, j.begun, j.tree
	j.begun = true
	j.mu.Unlock()
	switch {
	case begun:
		return errors.New("journal: begun twice: one journal holds one run")
	case resumed && !isTree:
		return errors.New("journal: not the journal of a tree run")
	case resumed:
		return j.write(treeRecord{Type: typeResume, Time: j.now().UTC(), Command: j.command, PID: os.Getpid()})
	case r.Plan == nil:
		return errors.New("journal: a tree run without a plan")
	}
	plan, err := json.Marshal(r.Plan)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	j.mu.Lock()
	j.tree = true
	j.mu.Unlock()
	return j.write(treeRecord{Type: typeRun, Time: j.now().UTC(), Format: Format, Version: TreeVersion, Kind: KindTree, Command: j.command,
		APIDomain: r.APIDomain, APIVersion: r.APIVersion, PID: os.Getpid(), Plan: plan})
}

// Step returns the journal of structure step i (from 0) of the tree run
// BeginTree wrote: its records carry the step's number (from 1).
func (j *File) Step(i int) zohoterritory.TerritoryJournal { return stepJournal{j: j, step: i + 1} }

// Members returns the journal of the membership phase whose first step is
// first (from 0): its set's change k is step first+k, whose records carry
// that step's number (from 1).
func (j *File) Members(first int) zohoterritory.SetJournal {
	return membersJournal{j: j, first: first + 1}
}

// stepJournal is one structure step's view of a tree run's journal.
type stepJournal struct {
	j    *File
	step int
}

func (s stepJournal) BeginTerritories(r zohoterritory.TerritoryRun) error {
	rec := treeRecord{Type: typeStep, Time: r.Started.UTC(), Step: s.step, Op: string(r.Op), MaybeDone: r.MaybeDone}
	for _, t := range r.Territories {
		rec.Territories = append(rec.Territories, territoryRec{Index: t.Index, ID: t.ID, Name: t.Name, ReportingTo: t.ReportingTo, Record: t.Record})
	}
	return s.j.write(rec)
}

func (s stepJournal) SendingTerritories(a zohoterritory.TerritoryAttempt) error {
	return s.j.write(treeRecord{Type: typeSend, Time: a.Time.UTC(), Step: s.step, Call: a.Call, Attempt: a.Attempt, Operation: a.Operation, Indexes: a.Indexes})
}

func (s stepJournal) AnsweredTerritories(a zohoterritory.TerritoryAttempt) error {
	return s.j.write(answerRecord(s.step, a.Call, a.Attempt, a.Status, a.Err, a.Time))
}

// answerRecord is the record of an attempt's answer (or of its failure)
// in step's call.
func answerRecord(step, call, attempt, status int, err error, at time.Time) treeRecord {
	rec := treeRecord{Type: typeAnswer, Time: at.UTC(), Step: step, Call: call, Attempt: attempt, Status: status}
	if err != nil {
		rec.Error = err.Error()
	}
	return rec
}

func (s stepJournal) SettledTerritories(call int, items []zohoterritory.TerritoryItem) error {
	rec := treeRecord{Type: typeOutcome, Time: s.j.now().UTC(), Step: s.step, Call: call, Items: make([]territoryResult, len(items))}
	for i, it := range items {
		rec.Items[i] = territoryResult{Index: it.Index, ID: it.ID, Name: it.Name, Outcome: it.Outcome.String(), Reason: string(it.Reason),
			Code: it.Code, Message: it.Message, Inferred: it.Inferred, RequestLevel: it.Err != nil}
	}
	return s.j.write(rec)
}

// membersJournal is the membership phase's view of a tree run's journal.
type membersJournal struct {
	j     *File
	first int // the step of the set's first change, from 1
}

func (m membersJournal) BeginSet(s zohoterritory.JournalSet) error {
	rec := treeRecord{Type: typeMembers, Time: s.Started.UTC()}
	for k, ch := range s.Changes {
		if len(ch.Send) > 0 {
			rec.Changes = append(rec.Changes, memberRec{Step: m.first + k, Op: string(ch.Op), Owner: ch.Owner, IDs: ch.Send, MaybeDone: ch.MaybeDone})
		}
	}
	return m.j.write(rec)
}

func (m membersJournal) Change(k int) zohoterritory.Journal {
	return memberJournal{j: m.j, step: m.first + k}
}

// memberJournal is one membership step's view of a tree run's journal.
type memberJournal struct {
	j    *File
	step int
}

// Begin does nothing: BeginSet has written the step.
func (m memberJournal) Begin(zohoterritory.JournalRun) error { return nil }

func (m memberJournal) Sending(a zohoterritory.JournalAttempt) error {
	return m.j.write(treeRecord{Type: typeSend, Time: a.Time.UTC(), Step: m.step, Call: a.Call, Attempt: a.Attempt, Operation: a.Operation, IDs: a.IDs})
}

func (m memberJournal) Answered(a zohoterritory.JournalAttempt) error {
	return m.j.write(answerRecord(m.step, a.Call, a.Attempt, a.Status, a.Err, a.Time))
}

func (m memberJournal) Settled(call int, items []zohoterritory.ItemResult) error {
	rec := treeRecord{Type: typeOutcome, Time: m.j.now().UTC(), Step: m.step, Call: call, Results: make([]result, len(items))}
	for i, it := range items {
		rec.Results[i] = resultOf(it)
	}
	return m.j.write(rec)
}

// treeLog is a tree run as its journal tells it, while it is read.
type treeLog struct {
	plan  *tree.Plan
	steps []*stepLog
}

// stepLog is one step of a tree run: the state of each territory (a
// structure step's, by index) or user (a membership step's).
type stepLog struct {
	kind  tree.StepKind
	op    zohoterritory.TerritoryOp // a structure step's
	begun bool
	items []*itemState        // a structure step's, by index
	users map[string]*idState // a membership step's
	order []string            // a membership step's users, in the plan's order
}

// itemState is one territory of a structure step, as idState is one id of
// a change.
type itemState struct {
	last  *territoryResult
	open  map[attemptKey]bool
	given bool
}

func (st *itemState) settled() bool { return st.last != nil && finalTerritory(*st.last) }

func (st *itemState) maybe() bool {
	if st.settled() {
		return false
	}
	return len(st.open) > 0 || st.given || (st.last != nil && st.last.Outcome == zohoterritory.Unknown.String())
}

// finalTerritory is final for a territory's outcome:
// [zohoterritory.TerritoryItem.Settled].
func finalTerritory(r territoryResult) bool {
	it := r.item(r.Index)
	if r.RequestLevel {
		it.Err = errRequestLevel
	}
	return it.Settled()
}

// opOf is the client's op of a structure step.
func opOf(k tree.StepKind) zohoterritory.TerritoryOp {
	switch k {
	case tree.StepCreate:
		return zohoterritory.OpCreateTerritories
	case tree.StepDelete:
		return zohoterritory.OpDeleteTerritories
	}
	return zohoterritory.OpUpdateTerritories
}

func newTreeLog(path string, plan json.RawMessage) (*treeLog, error) {
	p, err := tree.ReadPlan(bytes.NewReader(plan), path)
	if err != nil {
		return nil, fmt.Errorf("header: the plan: %w", err)
	}
	l := &treeLog{plan: p}
	for _, s := range p.Steps {
		sl := &stepLog{kind: s.Kind}
		if s.Members != nil {
			sl.users = map[string]*idState{}
			for _, u := range s.Members.Users {
				if _, dup := sl.users[u]; !dup {
					sl.users[u] = &idState{open: map[attemptKey]bool{}}
					sl.order = append(sl.order, u)
				}
			}
		} else {
			sl.op = opOf(s.Kind)
			for range len(s.Creates) + len(s.Updates) + len(s.Deletes) {
				sl.items = append(sl.items, &itemState{open: map[attemptKey]bool{}})
			}
		}
		l.steps = append(l.steps, sl)
	}
	return l, nil
}

// parseTree reads the records of a tree run after its header line.
func (r *Run) parseTree(path string, header treeRecord, lines [][]byte) error {
	fail := func(line int, format string, args ...any) error {
		return &ReadError{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
	}
	if header.Kind != KindTree {
		return fail(1, "header: kind %q: version %d journals are of kind %q", header.Kind, TreeVersion, KindTree)
	}
	l, err := newTreeLog(path, header.Plan)
	if err != nil {
		return fail(1, "%v", err)
	}
	r.Version, r.Command, r.APIDomain, r.APIVersion, r.Started, r.PID = header.Version, header.Command, header.APIDomain, header.APIVersion, header.Time, header.PID
	attempts := map[attemptKey][]int{}
	attemptUsers := map[attemptKey][]string{}
	process := 0
	for i, line := range lines {
		n := i + 2
		var rec treeRecord
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			return fail(n, "malformed record: %v", err)
		}
		if dec.More() {
			return fail(n, "malformed record: more than one JSON value on the line")
		}
		if rec.Type == typeRun {
			return fail(n, "a second header: one journal holds one run")
		}
		switch rec.Type {
		case typeResume:
			process++
			r.Resumes++
			r.PID = rec.PID
			continue
		case typeMembers:
			if err := l.members(rec); err != nil {
				return fail(n, "%v", err)
			}
			continue
		}
		if rec.Step < 1 || rec.Step > len(l.steps) {
			return fail(n, "step %d: the plan has steps 1 to %d", rec.Step, len(l.steps))
		}
		sl := l.steps[rec.Step-1]
		if err := sl.apply(rec, process, attempts, attemptUsers); err != nil {
			return fail(n, "step %d: %v", rec.Step, err)
		}
	}
	r.Tree = l.progress()
	r.treeLog = l
	return nil
}

// apply takes one record of the step into its state.
func (sl *stepLog) apply(rec treeRecord, process int, attempts map[attemptKey][]int, attemptUsers map[attemptKey][]string) error {
	structure := sl.users == nil
	key := attemptKey{process, rec.Step, rec.Call, rec.Attempt}
	index := func(k int) (*itemState, error) {
		if k < 0 || k >= len(sl.items) {
			return nil, fmt.Errorf("index %d: the step has %d territories", k, len(sl.items))
		}
		return sl.items[k], nil
	}
	user := func(id string) (*idState, error) {
		st, ok := sl.users[id]
		if !ok {
			return nil, fmt.Errorf("user %q is not one of the step's", id)
		}
		return st, nil
	}
	switch rec.Type {
	case typeStep:
		if !structure {
			return errors.New("a step record for a membership step")
		}
		if rec.Op != string(sl.op) {
			return fmt.Errorf("op %q: the step is a %s step", rec.Op, sl.kind)
		}
		for _, t := range rec.Territories {
			if _, err := index(t.Index); err != nil {
				return err
			}
		}
		for _, k := range rec.MaybeDone {
			st, err := index(k)
			if err != nil {
				return err
			}
			st.given = true
		}
		sl.begun = true
	case typeMembers:
		return errors.New("a members record names its steps in its changes")
	case typeSend:
		if rec.Call < 1 || rec.Attempt < 1 {
			return errors.New("send record without call or attempt")
		}
		if structure {
			if len(rec.Indexes) == 0 {
				return errors.New("send record without indexes")
			}
			for _, k := range rec.Indexes {
				st, err := index(k)
				if err != nil {
					return err
				}
				st.open[key] = true // until an answer says the call was refused
			}
			attempts[key] = rec.Indexes
			return nil
		}
		if len(rec.IDs) == 0 {
			return errors.New("send record without ids")
		}
		for _, id := range rec.IDs {
			st, err := user(id)
			if err != nil {
				return err
			}
			st.open[key] = true
		}
		attemptUsers[key] = rec.IDs
	case typeAnswer:
		indexes, ok := attempts[key]
		ids, okUsers := attemptUsers[key]
		if !ok && !okUsers {
			return fmt.Errorf("answer to call %d attempt %d, which no send record names", rec.Call, rec.Attempt)
		}
		if rec.Status >= 400 && rec.Status < 500 {
			// Refused as a whole or item by item: this attempt did
			// nothing that an outcome record would not tell.
			for _, k := range indexes {
				delete(sl.items[k].open, key)
			}
			for _, id := range ids {
				delete(sl.users[id].open, key)
			}
		}
	case typeOutcome:
		if structure {
			if len(rec.Items) == 0 {
				return errors.New("outcome record without items")
			}
			for _, it := range rec.Items {
				st, err := index(it.Index)
				if err != nil {
					return err
				}
				if _, ok := zohoterritory.ParseOutcome(it.Outcome); !ok {
					return fmt.Errorf("index %d: unknown outcome %q", it.Index, it.Outcome)
				}
				if it.Outcome == zohoterritory.Created.String() {
					if err := zohoterritory.CheckID(it.ID); err != nil {
						return fmt.Errorf("index %d: created with id %q: %w", it.Index, it.ID, err)
					}
				}
				last := it
				st.last = &last
				if finalTerritory(it) {
					clear(st.open)
					st.given = false
				}
			}
			return nil
		}
		if len(rec.Results) == 0 {
			return errors.New("outcome record without results")
		}
		for _, res := range rec.Results {
			st, err := user(res.ID)
			if err != nil {
				return err
			}
			if _, ok := zohoterritory.ParseOutcome(res.Outcome); !ok {
				return fmt.Errorf("id %s: unknown outcome %q", res.ID, res.Outcome)
			}
			last := res
			st.last = &last
			if final(res) {
				clear(st.open)
				st.given = false
			}
		}
	default:
		return fmt.Errorf("unknown record type %q", rec.Type)
	}
	return nil
}

// members takes a members record (the membership phase begins) into the
// steps it names.
func (l *treeLog) members(rec treeRecord) error {
	for _, c := range rec.Changes {
		if c.Step < 1 || c.Step > len(l.steps) || l.steps[c.Step-1].users == nil {
			return fmt.Errorf("change of step %d: not a membership step of the plan", c.Step)
		}
		sl := l.steps[c.Step-1]
		want := zohoterritory.OpAddUsers
		if sl.kind == tree.StepRemove {
			want = zohoterritory.OpRemoveUsers
		}
		if c.Op != string(want) {
			return fmt.Errorf("step %d: op %q: the step is a %s step", c.Step, c.Op, sl.kind)
		}
		if err := zohoterritory.CheckID(c.Owner); err != nil {
			return fmt.Errorf("step %d: owner %q: %w", c.Step, c.Owner, err)
		}
		for _, id := range append(slices.Clone(c.IDs), c.MaybeDone...) {
			if _, ok := sl.users[id]; !ok {
				return fmt.Errorf("step %d: user %q is not one of the step's", c.Step, id)
			}
		}
		for _, id := range c.MaybeDone {
			sl.users[id].given = true
		}
		sl.begun = true
	}
	return nil
}

// progress returns the run as [tree.Resume] and [tree.Restore] take it.
func (l *treeLog) progress() *tree.Progress {
	p := &tree.Progress{Plan: l.plan, Steps: make([]tree.StepProgress, len(l.steps))}
	for i, sl := range l.steps {
		sp := tree.StepProgress{Begun: sl.begun}
		for k, st := range sl.items {
			switch {
			case st.settled():
				sp.Settled = append(sp.Settled, st.last.item(k))
			case st.maybe():
				sp.MaybeDone = append(sp.MaybeDone, k)
			}
		}
		for _, id := range sl.order {
			st := sl.users[id]
			switch {
			case st.last != nil && final(*st.last):
				sp.SettledUsers = append(sp.SettledUsers, st.last.item())
			case st.maybe():
				sp.MaybeDoneUsers = append(sp.MaybeDoneUsers, id)
			}
		}
		p.Steps[i] = sp
	}
	return p
}

func (r territoryResult) item(index int) zohoterritory.TerritoryItem {
	o, _ := zohoterritory.ParseOutcome(r.Outcome)
	return zohoterritory.TerritoryItem{Index: index, ID: r.ID, Name: r.Name, Outcome: o, Reason: zohoterritory.Reason(r.Reason),
		Code: r.Code, Message: r.Message, Inferred: r.Inferred}
}

func (r result) item() zohoterritory.ItemResult {
	o, _ := zohoterritory.ParseOutcome(r.Outcome)
	return zohoterritory.ItemResult{ID: r.ID, Outcome: o, Reason: zohoterritory.Reason(r.Reason), Code: r.Code, Message: r.Message, Inferred: r.Inferred}
}

// counts counts a tree run's territories and memberships: those of the
// steps after a step that failed for good are blocked, not pending.
func (l *treeLog) counts() Counts {
	var n Counts
	halt := l.progress().Halt()
	for i, sl := range l.steps {
		blocked := halt >= 0 && i > halt
		// absent: a removal that found the user gone, done as a tree
		// run counts it (tree.CountOptions).
		count := func(last string, settled, maybe, absent bool) {
			n.Total++
			o, _ := zohoterritory.ParseOutcome(last)
			switch {
			case !settled && blocked:
				n.Blocked++
			case !settled:
				n.Pending++
				if maybe {
					n.Maybe++
				}
			case o == zohoterritory.AlreadyPresent:
				n.Present++
			case o == zohoterritory.Failed && !absent:
				n.Failed++
			default:
				n.Done++
			}
		}
		for _, st := range sl.items {
			last := ""
			if st.last != nil {
				last = st.last.Outcome
			}
			count(last, st.settled(), st.maybe(), false)
		}
		for _, id := range sl.order {
			st := sl.users[id]
			last, absent := "", false
			if st.last != nil {
				last, absent = st.last.Outcome, st.last.item().Absent(tree.CountOptions())
			}
			count(last, st.last != nil && final(*st.last), st.maybe(), absent)
		}
	}
	return n
}
