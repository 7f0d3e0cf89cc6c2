package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// File is a journal file: a [zohoterritory.Journal] that appends each
// record to the file and syncs it to disk before returning. It is safe for
// concurrent use. Close it when the change is over.
type File struct {
	path    string
	command string
	now     func() time.Time

	mu      sync.Mutex
	f       *os.File
	resumed bool // Open: Begin writes a resume record, not a header
	begun   bool
}

var _ zohoterritory.Journal = (*File)(nil)

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
// parent directories with mode 0700. It refuses a path that exists: a
// journal is never overwritten. The header is written by Begin.
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
	syncDir(dir) // the new name survives a crash too
	return &File{path: path, command: opts.Command, now: opts.clock(), f: f}, nil
}

// Open reads the journal at path (as [Read] does) and opens it to append
// the records of a process that takes the run up: Begin then writes a
// resume record. Half a line left at the end by a killed writer is cut off
// first, so that the next record starts on a line of its own.
func Open(path string, opts Options) (*File, *Run, error) {
	run, err := Read(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	if run.Torn {
		if err := f.Truncate(run.size); err != nil {
			_ = f.Close()
			return nil, nil, fmt.Errorf("journal: %s: cut off its last, half-written line: %w", path, err)
		}
	}
	if _, err := f.Seek(0, 2); err != nil {
		_ = f.Close()
		return nil, nil, fmt.Errorf("journal: %w", err)
	}
	return &File{path: path, command: opts.Command, now: opts.clock(), f: f, resumed: true}, run, nil
}

// Path returns the journal's path.
func (j *File) Path() string { return j.path }

// Close closes the file.
func (j *File) Close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	return err
}

// Begin writes the header (or, for a journal opened with [Open], a resume
// record naming the ids this process sends).
func (j *File) Begin(r zohoterritory.JournalRun) error {
	rec := record{Type: typeRun, Time: r.Started.UTC(), Format: Format, Version: Version, Command: j.command,
		Op: string(r.Op), Owner: r.Owner, APIDomain: r.APIDomain, APIVersion: r.APIVersion, IDs: r.IDs, MaybeDone: r.MaybeDone}
	j.mu.Lock()
	resumed, begun := j.resumed, j.begun
	j.begun = true
	j.mu.Unlock()
	if begun {
		return errors.New("journal: Begin called twice: one journal holds one run")
	}
	if resumed {
		rec = record{Type: typeResume, Time: r.Started.UTC(), Command: j.command, IDs: r.IDs, MaybeDone: r.MaybeDone}
	}
	return j.write(rec)
}

// Sending records the ids of an attempt before it is sent.
func (j *File) Sending(a zohoterritory.JournalAttempt) error {
	return j.write(record{Type: typeSend, Time: a.Time.UTC(), Call: a.Call, Attempt: a.Attempt, Operation: a.Operation, IDs: a.IDs})
}

// Answered records an attempt's status, or its failure.
func (j *File) Answered(a zohoterritory.JournalAttempt) error {
	rec := record{Type: typeAnswer, Time: a.Time.UTC(), Call: a.Call, Attempt: a.Attempt, Status: a.Status}
	if a.Err != nil {
		rec.Error = a.Err.Error()
	}
	return j.write(rec)
}

// Settled records the outcome of every id of a call.
func (j *File) Settled(call int, items []zohoterritory.ItemResult) error {
	rec := record{Type: typeOutcome, Time: j.now().UTC(), Call: call, Results: make([]result, len(items))}
	for i, it := range items {
		rec.Results[i] = resultOf(it)
	}
	return j.write(rec)
}

// write appends one record as one line with a single write, and syncs it.
func (j *File) write(rec record) error {
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
