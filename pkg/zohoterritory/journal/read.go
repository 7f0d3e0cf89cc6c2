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

// Run is what a journal says of its run: the header, and for each change
// and each of its ids the last outcome recorded and whether an attempt may
// have done it without its answer being recorded.
type Run struct {
	Path       string
	Command    string
	APIDomain  string
	APIVersion string
	// Version is the journal's format version: 1 or 2 for a change of
	// memberships, 3 for a tree run.
	Version int
	Started time.Time
	// Changes are the run's changes in the header's order: one for a
	// removal or an add, several for a move or a reorganisation; none for
	// a tree run.
	Changes []*ChangeLog
	// Tree is a tree run (format version 3) as its journal holds it: the
	// plan and, step by step, what is settled, pending and maybe done;
	// [tree.Resume] finishes the run from it, [tree.Restore] takes it
	// back, and its Done says what the run is known to have made. Nil for
	// a change of memberships.
	Tree *tree.Progress
	// Resumes counts the processes that took the run up after the first.
	Resumes int
	// PID is the process the last header or resume record names (0 in a
	// version 1 journal).
	PID int
	// Torn says the file ended in half a line (a writer killed while
	// writing it), which was ignored.
	Torn bool

	size    int64    // bytes up to the end of the last whole line
	treeLog *treeLog // a tree run's records, for Counts
}

// ChangeLog is one change of a run as the journal tells it.
type ChangeLog struct {
	Op    zohoterritory.Op
	Owner string
	// IDs are the change's ids, in the order of the header.
	IDs    []string
	states map[string]*idState
}

type idState struct {
	last *result // the last outcome recorded
	// open are the attempts since the last final outcome that may have
	// done the id: no answer recorded, or one that did not refuse the
	// call (a 5xx, a 2xx whose outcome record is missing, a lost
	// connection).
	open map[attemptKey]bool
	// given says the header named the id among those an earlier run may
	// have done.
	given bool
}

// maybe reports whether the id may have been done by an attempt whose
// outcome the journal does not hold.
func (st *idState) maybe() bool {
	if st.last != nil && final(*st.last) {
		return false
	}
	return len(st.open) > 0 || st.given || (st.last != nil && st.last.Outcome == zohoterritory.Unknown.String())
}

// attemptKey names one attempt of one call of one change of one process.
type attemptKey struct{ process, change, call, attempt int }

// ReadError is a journal that cannot be read: malformed, of an unknown
// format version, or not a journal at all. Line is 0 when the error is
// about the file as a whole.
type ReadError struct {
	Path string
	Line int
	Err  error
}

func (e *ReadError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("journal %s: %v", e.Path, e.Err)
	}
	return fmt.Sprintf("journal %s: line %d: %v", e.Path, e.Line, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// ErrEmpty is the error of a journal with no whole line: its run never
// started, and nothing was sent.
var ErrEmpty = errors.New("empty: the run never started, and nothing was sent")

// Read reads the journal at path up to its last whole line and checks every
// record. It returns a [*ReadError] for a journal it cannot take whole.
func Read(path string) (*Run, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return parse(path, b)
}

func parse(path string, b []byte) (*Run, error) {
	fail := func(line int, format string, args ...any) error {
		return &ReadError{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
	}
	whole := bytes.LastIndexByte(b, '\n') + 1
	run := &Run{Path: path, Torn: whole < len(b), size: int64(whole)}
	lines := bytes.Split(b[:whole], []byte{'\n'})
	lines = lines[:len(lines)-1] // after the last newline
	if len(lines) == 0 {
		return nil, &ReadError{Path: path, Err: ErrEmpty}
	}

	var probe struct {
		Type    string `json:"type"`
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if json.Unmarshal(lines[0], &probe) == nil && probe.Type == typeRun && probe.Format == Format && probe.Version == TreeVersion {
		var header treeRecord
		dec := json.NewDecoder(bytes.NewReader(lines[0]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&header); err != nil {
			return nil, fail(1, "malformed header: %v", err)
		}
		if err := run.parseTree(path, header, lines[1:]); err != nil {
			return nil, err
		}
		return run, nil
	}

	attempts := map[attemptKey][]string{}
	process := 0
	for i, line := range lines {
		n := i + 1
		var rec record
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&rec); err != nil {
			if n == 1 {
				return nil, fail(n, "not a zohoterritory journal (%v)", err)
			}
			return nil, fail(n, "malformed record: %v", err)
		}
		if dec.More() {
			return nil, fail(n, "malformed record: more than one JSON value on the line")
		}
		if n == 1 {
			if err := run.header(rec); err != nil {
				return nil, fail(n, "%v", err)
			}
			continue
		}
		ch, err := run.change(rec)
		if err != nil {
			return nil, fail(n, "%v", err)
		}
		if rec.Type != typeResume {
			if err := ch.checkIDs(rec.IDs); err != nil {
				return nil, fail(n, "%v", err)
			}
		}
		switch rec.Type {
		case typeRun:
			return nil, fail(n, "a second header: one journal holds one run")
		case typeResume:
			if err := run.resume(rec); err != nil {
				return nil, fail(n, "%v", err)
			}
			process++
			run.Resumes++
		case typeSend:
			if rec.Call < 1 || rec.Attempt < 1 || len(rec.IDs) == 0 {
				return nil, fail(n, "send record without call, attempt or ids")
			}
			key := attemptKey{process, rec.Change, rec.Call, rec.Attempt}
			attempts[key] = rec.IDs
			for _, id := range rec.IDs {
				ch.states[id].open[key] = true // until an answer says the call was refused
			}
		case typeAnswer:
			key := attemptKey{process, rec.Change, rec.Call, rec.Attempt}
			ids, ok := attempts[key]
			if !ok {
				return nil, fail(n, "answer to call %d attempt %d, which no send record names", rec.Call, rec.Attempt)
			}
			if rec.Status >= 400 && rec.Status < 500 {
				// Refused as a whole or item by item: this attempt did
				// nothing that an outcome record would not tell. An
				// earlier attempt's doubt stays.
				for _, id := range ids {
					delete(ch.states[id].open, key)
				}
			}
		case typeOutcome:
			if len(rec.Results) == 0 {
				return nil, fail(n, "outcome record without results")
			}
			for _, r := range rec.Results {
				if err := ch.checkIDs([]string{r.ID}); err != nil {
					return nil, fail(n, "%v", err)
				}
				if _, ok := zohoterritory.ParseOutcome(r.Outcome); !ok {
					return nil, fail(n, "id %s: unknown outcome %q", r.ID, r.Outcome)
				}
				st := ch.states[r.ID]
				last := r
				st.last = &last
				if final(r) {
					clear(st.open)
					st.given = false
				}
			}
		default:
			return nil, fail(n, "unknown record type %q", rec.Type)
		}
	}
	return run, nil
}

// change returns the change a record (other than the header) is about:
// its "change" number in version 2, the one change in version 1.
func (r *Run) change(rec record) (*ChangeLog, error) {
	if rec.Type == typeResume || rec.Type == typeRun {
		return r.Changes[0], nil
	}
	switch {
	case r.Version == 1 && rec.Change != 0:
		return nil, errors.New("a change number in a version 1 journal")
	case r.Version == 1:
		return r.Changes[0], nil
	case rec.Change < 1 || rec.Change > len(r.Changes):
		return nil, fmt.Errorf("change %d: the run has changes 1 to %d", rec.Change, len(r.Changes))
	}
	return r.Changes[rec.Change-1], nil
}

// resume checks a resume record.
func (r *Run) resume(rec record) error {
	if r.Version == 1 {
		if len(rec.Changes) > 0 || rec.PID != 0 {
			return errors.New("a version 2 resume record in a version 1 journal")
		}
		return r.Changes[0].checkIDs(append(slices.Clone(rec.IDs), rec.MaybeDone...))
	}
	if len(rec.IDs) > 0 || len(rec.MaybeDone) > 0 {
		return errors.New("ids outside a change in a version 2 resume record")
	}
	for _, c := range rec.Changes {
		if c.Change < 1 || c.Change > len(r.Changes) {
			return fmt.Errorf("change %d: the run has changes 1 to %d", c.Change, len(r.Changes))
		}
		if err := r.Changes[c.Change-1].checkIDs(append(slices.Clone(c.IDs), c.MaybeDone...)); err != nil {
			return err
		}
	}
	r.PID = rec.PID
	return nil
}

func (r *Run) header(rec record) error {
	switch {
	case rec.Type != typeRun || rec.Format != Format:
		return errors.New("not a zohoterritory journal: the first line is not its header")
	case rec.Version != 1 && rec.Version != Version:
		return fmt.Errorf("format version %d is not one this zohoterritory reads (it reads versions 1, %d and %d); use the zohoterritory that wrote it", rec.Version, Version, TreeVersion)
	}
	r.Version, r.Command, r.APIDomain, r.APIVersion, r.Started, r.PID = rec.Version, rec.Command, rec.APIDomain, rec.APIVersion, rec.Time, rec.PID
	changes := rec.Changes
	if rec.Version == 1 {
		if len(changes) > 0 || rec.PID != 0 {
			return errors.New("header: version 2 fields in a version 1 header")
		}
		changes = []changeRec{{Op: rec.Op, Owner: rec.Owner, IDs: rec.IDs, MaybeDone: rec.MaybeDone}}
	} else if rec.Op != "" || rec.Owner != "" || len(rec.IDs) > 0 || len(rec.MaybeDone) > 0 {
		return errors.New("header: version 1 fields in a version 2 header")
	}
	if len(changes) == 0 {
		return errors.New("header: no changes")
	}
	for i, c := range changes {
		ch, err := newChangeLog(c)
		if err != nil {
			if len(changes) > 1 {
				return fmt.Errorf("header: change %d: %w", i+1, err)
			}
			return fmt.Errorf("header: %w", err)
		}
		r.Changes = append(r.Changes, ch)
	}
	return nil
}

func newChangeLog(c changeRec) (*ChangeLog, error) {
	op := zohoterritory.Op(c.Op)
	if !slices.Contains(zohoterritory.Ops(), op) {
		return nil, fmt.Errorf("unknown op %q", c.Op)
	}
	if err := zohoterritory.CheckID(c.Owner); err != nil {
		return nil, fmt.Errorf("owner %q: %w", c.Owner, err)
	}
	if len(c.IDs) == 0 {
		return nil, errors.New("no ids")
	}
	ch := &ChangeLog{Op: op, Owner: c.Owner, states: map[string]*idState{}}
	for _, id := range c.IDs {
		if err := zohoterritory.CheckID(id); err != nil {
			return nil, fmt.Errorf("id %q: %w", id, err)
		}
		if _, dup := ch.states[id]; dup {
			return nil, fmt.Errorf("id %s twice", id)
		}
		ch.states[id] = &idState{open: map[attemptKey]bool{}}
		ch.IDs = append(ch.IDs, id)
	}
	for _, id := range c.MaybeDone {
		st, ok := ch.states[id]
		if !ok {
			return nil, fmt.Errorf("maybe_done id %s is not one of the change's ids", id)
		}
		st.given = true
	}
	return ch, nil
}

func (c *ChangeLog) checkIDs(ids []string) error {
	for _, id := range ids {
		if _, ok := c.states[id]; !ok {
			return fmt.Errorf("id %q is not one of the run's ids", id)
		}
	}
	return nil
}

// final reports whether a recorded outcome settles its id for good, as
// [zohoterritory.ItemResult.Settled] says: done, or refused by Zoho for a
// reason of the id's own (kept by a set because the user's add failed,
// too). A failure of the whole call (a 429, a refused token, a stop, a
// call never sent or held back) and an unknown outcome leave the id to be
// sent again.
func final(r result) bool {
	it := r.item()
	if r.RequestLevel {
		it.Err = errRequestLevel
	}
	return it.Settled()
}

// errRequestLevel stands for the error, which a journal does not keep,
// behind an outcome recorded as the whole call's.
var errRequestLevel = errors.New("journal: a failure of the whole call")
