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
)

// Run is what a journal says of its run: the header, and for each id the
// last outcome recorded and whether an attempt may have done it without
// its answer being recorded.
type Run struct {
	Path       string
	Command    string
	Op         zohoterritory.Op
	Owner      string
	APIDomain  string
	APIVersion string
	// IDs are the run's ids, in the order of the header.
	IDs     []string
	Started time.Time
	// Resumes counts the processes that took the run up after the first.
	Resumes int
	// Torn says the file ended in half a line (a writer killed while
	// writing it), which was ignored.
	Torn bool

	size   int64 // bytes up to the end of the last whole line
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

// attemptKey names one attempt of one call of one process.
type attemptKey struct{ process, call, attempt int }

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
	run := &Run{Path: path, Torn: whole < len(b), size: int64(whole), states: map[string]*idState{}}
	lines := bytes.Split(b[:whole], []byte{'\n'})
	lines = lines[:len(lines)-1] // after the last newline
	if len(lines) == 0 {
		return nil, &ReadError{Path: path, Err: ErrEmpty}
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
		if err := run.checkIDs(rec.IDs); err != nil {
			return nil, fail(n, "%v", err)
		}
		switch rec.Type {
		case typeRun:
			return nil, fail(n, "a second header: one journal holds one run")
		case typeResume:
			process++
			run.Resumes++
		case typeSend:
			if rec.Call < 1 || rec.Attempt < 1 || len(rec.IDs) == 0 {
				return nil, fail(n, "send record without call, attempt or ids")
			}
			key := attemptKey{process, rec.Call, rec.Attempt}
			attempts[key] = rec.IDs
			for _, id := range rec.IDs {
				run.states[id].open[key] = true // until an answer says the call was refused
			}
		case typeAnswer:
			key := attemptKey{process, rec.Call, rec.Attempt}
			ids, ok := attempts[key]
			if !ok {
				return nil, fail(n, "answer to call %d attempt %d, which no send record names", rec.Call, rec.Attempt)
			}
			if rec.Status >= 400 && rec.Status < 500 {
				// Refused as a whole or item by item: this attempt did
				// nothing that an outcome record would not tell. An
				// earlier attempt's doubt stays.
				for _, id := range ids {
					delete(run.states[id].open, key)
				}
			}
		case typeOutcome:
			if len(rec.Results) == 0 {
				return nil, fail(n, "outcome record without results")
			}
			for _, r := range rec.Results {
				if err := run.checkIDs([]string{r.ID}); err != nil {
					return nil, fail(n, "%v", err)
				}
				if _, ok := zohoterritory.ParseOutcome(r.Outcome); !ok {
					return nil, fail(n, "id %s: unknown outcome %q", r.ID, r.Outcome)
				}
				st := run.states[r.ID]
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

func (r *Run) header(rec record) error {
	switch {
	case rec.Type != typeRun || rec.Format != Format:
		return errors.New("not a zohoterritory journal: the first line is not its header")
	case rec.Version != Version:
		return fmt.Errorf("format version %d is not one this zohoterritory reads (it reads version %d); use the zohoterritory that wrote it", rec.Version, Version)
	}
	op := zohoterritory.Op(rec.Op)
	if !slices.Contains(zohoterritory.Ops(), op) {
		return fmt.Errorf("header: unknown op %q", rec.Op)
	}
	if err := zohoterritory.CheckID(rec.Owner); err != nil {
		return fmt.Errorf("header: owner %q: %w", rec.Owner, err)
	}
	if len(rec.IDs) == 0 {
		return errors.New("header: no ids")
	}
	r.Command, r.Op, r.Owner, r.APIDomain, r.APIVersion, r.Started = rec.Command, op, rec.Owner, rec.APIDomain, rec.APIVersion, rec.Time
	for _, id := range rec.IDs {
		if err := zohoterritory.CheckID(id); err != nil {
			return fmt.Errorf("header: id %q: %w", id, err)
		}
		if _, dup := r.states[id]; dup {
			return fmt.Errorf("header: id %s twice", id)
		}
		r.states[id] = &idState{open: map[attemptKey]bool{}}
		r.IDs = append(r.IDs, id)
	}
	for _, id := range rec.MaybeDone {
		st, ok := r.states[id]
		if !ok {
			return fmt.Errorf("header: maybe_done id %s is not one of the run's ids", id)
		}
		st.given = true
	}
	return nil
}

func (r *Run) checkIDs(ids []string) error {
	for _, id := range ids {
		if _, ok := r.states[id]; !ok {
			return fmt.Errorf("id %q is not one of the run's ids", id)
		}
	}
	return nil
}

// final reports whether a recorded outcome settles its id for good: done,
// or refused by Zoho for a reason of the id's own. A failure of the whole
// call (a 429, a refused token, a stop, a call never sent) and an unknown
// outcome leave the id to be sent again.
func final(r result) bool {
	o, _ := zohoterritory.ParseOutcome(r.Outcome)
	switch o {
	case zohoterritory.Removed, zohoterritory.Added, zohoterritory.AlreadyPresent:
		return true
	case zohoterritory.Failed:
		return !r.RequestLevel && r.Reason != string(zohoterritory.ReasonNotSent) && r.Reason != string(zohoterritory.ReasonRateLimited)
	}
	return false
}
