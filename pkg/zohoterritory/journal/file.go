package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// File is a journal file: a [zohoterritory.Journal] for one change, and a
// [zohoterritory.SetJournal] for a set of them, that appends each record
// to the file and syncs it to disk before returning. It holds an exclusive
// lock on the file from [Create] or [Open] until [File.Close]. It is safe
// for concurrent use. Close it when the run is over.
type File struct {
	path    string
	command string
	now     func() time.Time

	mu      sync.Mutex
	f       *os.File
	resumed bool // Open: Begin writes a resume record, not a header
	// v1 says the journal opened is of format version 1: its records
	// carry no change number and no process id.
	v1    bool
	begun bool
	// tree says the journal holds a tree run (format version 3): written
	// by BeginTree, or opened so.
	tree bool
}

var (
	_ zohoterritory.Journal    = (*File)(nil)
	_ zohoterritory.SetJournal = (*File)(nil)
)

// Options configure [Create] and [Open].
type Options struct {
	// Command names what made the change, such as "remove-users"; it goes
	// into the header.
	Command string
	// Now is the clock of the records' times (default time.Now).
	Now func() time.Time
}

func (o Options) clock() func() time.Time {
	if o.Now != nil {
		return o.Now
	}
	return time.Now
}

// Create creates a new journal at path, with mode 0600, and its missing
// parent directories with mode 0700, and locks it. It refuses a path that
// exists: a journal is never overwritten. The header is written by Begin
// or BeginSet.
func Create(path string, opts Options) (*File, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("journal: create %s: %w", dir, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("journal: %s exists already; a journal is never overwritten: give another path", path)
		}
		return nil, fmt.Errorf("journal: %w", err)
	}
	if err := lock(f); err != nil {
		// Another process opened the file in the moment since it was
		// created: only a journal's own tools would.
		_ = f.Close()
		return nil, lockedError(path, err)
	}
	syncDir(dir) // the new name survives a crash too
	return &File{path: path, command: opts.Command, now: opts.clock(), f: f}, nil
}

// Open locks the journal at path, reads it (as [Read] does) and opens it
// to append the records of a process that takes the run up: Begin or
// BeginSet then writes a resume record. A journal another process holds is
// refused with a [*LockedError] before it is read; half a line left at the
// end by a killed writer is cut off first, so that the next record starts
// on a line of its own.
func Open(path string, opts Options) (*File, *Run, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	fail := func(err error) (*File, *Run, error) {
		_ = f.Close()
		return nil, nil, err
	}
	if err := lock(f); err != nil {
		return fail(lockedError(path, err))
	}
	run, err := readLocked(path, f)
	if err != nil {
		return fail(err)
	}
	if run.Torn {
		if err := f.Truncate(run.size); err != nil {
			return fail(fmt.Errorf("journal: %s: cut off its last, half-written line: %w", path, err))
		}
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return fail(fmt.Errorf("journal: %w", err))
	}
	return &File{path: path, command: opts.Command, now: opts.clock(), f: f, resumed: true, v1: run.Version == 1, tree: run.Tree != nil}, run, nil
}

// Hold locks the journal at path without writing to it, for a process
// that reads a run and must not race one that writes it (a restore of the
// run); Close releases it. A journal another process holds is refused with
// a [*LockedError].
func Hold(path string) (*File, *Run, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	if err := lock(f); err != nil {
		_ = f.Close()
		return nil, nil, lockedError(path, err)
	}
	run, err := readLocked(path, f)
	if err != nil {
		_ = f.Close()
		return nil, nil, err
	}
	return &File{path: path, f: f, begun: true}, run, nil
}

// readLocked reads the journal through f, which holds its lock.
func readLocked(path string, f *os.File) (*Run, error) {
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return parse(path, b)
}

// Path returns the journal's path.
func (j *File) Path() string { return j.path }

// Close releases the lock and closes the file.
func (j *File) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	_ = unlock(j.f) // at once, whoever else has the descriptor; closing would release it too
	err := j.f.Close()
	j.f = nil
	return err
}

// Begin writes the header of a run of one change (or, for a journal opened
// with [Open], a resume record naming the ids this process sends).
func (j *File) Begin(r zohoterritory.JournalRun) error {
	return j.BeginSet(zohoterritory.JournalSet{APIDomain: r.APIDomain, APIVersion: r.APIVersion, Started: r.Started,
		Changes: []zohoterritory.JournalChange{{Op: r.Op, Owner: r.Owner, IDs: r.IDs, Send: r.IDs, MaybeDone: r.MaybeDone}}})
}

// BeginSet writes the header of a run of a set of changes, every id of
// each (or, for a journal opened with [Open], a resume record naming the
// ids this process sends of each change).
func (j *File) BeginSet(s zohoterritory.JournalSet) error {
	j.mu.Lock()
	resumed, begun, isTree := j.resumed, j.begun, j.tree
	j.begun = true
	j.mu.Unlock()
	switch {
	case begun:
		return errors.New("journal: begun twice: one journal holds one run")
	case isTree:
		return errors.New("journal: the journal of a tree run: tree.Resume takes it up")
	}
	rec := record{Type: typeRun, Time: s.Started.UTC(), Format: Format, Version: Version, Command: j.command,
		APIDomain: s.APIDomain, APIVersion: s.APIVersion, PID: os.Getpid()}
	if resumed {
		rec = record{Type: typeResume, Time: s.Started.UTC(), Command: j.command, PID: os.Getpid()}
	}
	if resumed && j.v1 {
		if len(s.Changes) != 1 {
			return errors.New("journal: a version 1 journal holds one change")
		}
		rec.PID, rec.IDs, rec.MaybeDone = 0, s.Changes[0].Send, s.Changes[0].MaybeDone
		return j.write(rec)
	}
	for i, ch := range s.Changes {
		switch {
		case !resumed:
			rec.Changes = append(rec.Changes, changeRec{Op: string(ch.Op), Owner: ch.Owner, IDs: ch.IDs, MaybeDone: ch.MaybeDone})
		case len(ch.Send) > 0:
			rec.Changes = append(rec.Changes, changeRec{Change: i + 1, IDs: ch.Send, MaybeDone: ch.MaybeDone})
		}
	}
	return j.write(rec)
}

// Change returns the journal of change i (from 0) of the set BeginSet
// wrote: its records carry the change's number.
func (j *File) Change(i int) zohoterritory.Journal { return changeJournal{j: j, change: i + 1} }

// Sending records the ids of an attempt of the run's first change before
// it is sent.
func (j *File) Sending(a zohoterritory.JournalAttempt) error { return j.sending(1, a) }

// Answered records the status, or the failure, of an attempt of the run's
// first change.
func (j *File) Answered(a zohoterritory.JournalAttempt) error { return j.answered(1, a) }

// Settled records the outcome of every id of a call of the run's first
// change.
func (j *File) Settled(call int, items []zohoterritory.ItemResult) error {
	return j.settled(1, call, items)
}

func (j *File) sending(change int, a zohoterritory.JournalAttempt) error {
	change = j.numbered(change)
	return j.write(record{Type: typeSend, Time: a.Time.UTC(), Change: change, Call: a.Call, Attempt: a.Attempt, Operation: a.Operation, IDs: a.IDs})
}

func (j *File) answered(change int, a zohoterritory.JournalAttempt) error {
	change = j.numbered(change)
	rec := record{Type: typeAnswer, Time: a.Time.UTC(), Change: change, Call: a.Call, Attempt: a.Attempt, Status: a.Status}
	if a.Err != nil {
		rec.Error = a.Err.Error()
	}
	return j.write(rec)
}

func (j *File) settled(change, call int, items []zohoterritory.ItemResult) error {
	change = j.numbered(change)
	rec := record{Type: typeOutcome, Time: j.now().UTC(), Change: change, Call: call, Results: make([]result, len(items))}
	for i, it := range items {
		rec.Results[i] = resultOf(it)
	}
	return j.write(rec)
}

// numbered is the change number a record carries: none in a version 1
// journal.
func (j *File) numbered(change int) int {
	if j.v1 {
		return 0
	}
	return change
}

// changeJournal is one change's view of a set's journal.
type changeJournal struct {
	j      *File
	change int
}

// Begin does nothing: BeginSet has written the change.
func (c changeJournal) Begin(zohoterritory.JournalRun) error { return nil }

func (c changeJournal) Sending(a zohoterritory.JournalAttempt) error { return c.j.sending(c.change, a) }

func (c changeJournal) Answered(a zohoterritory.JournalAttempt) error {
	return c.j.answered(c.change, a)
}

func (c changeJournal) Settled(call int, items []zohoterritory.ItemResult) error {
	return c.j.settled(c.change, call, items)
}

// write appends one record (a record, or a tree run's treeRecord) as one
// line with a single write, and syncs it.
func (j *File) write(rec any) error {
	line, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	line = append(line, '\n')
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return fmt.Errorf("journal: %s is closed", j.path)
	}
	if _, err := j.f.Write(line); err != nil {
		return fmt.Errorf("journal: write %s: %w", j.path, err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("journal: sync %s: %w", j.path, err)
	}
	return nil
}

// syncDir syncs a directory, so that a file created in it is found after a
// crash. It is best effort: not every system can sync a directory.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
