package journal

import (
	"errors"
	"fmt"
	"os"
)

// LockedError is a journal that another process holds: it is running the
// run (or restoring it) right now. Nothing was read from it or sent.
type LockedError struct {
	Path string
	// PID is the process that holds it, 0 when it is not known.
	PID int
}

func (e *LockedError) Error() string {
	who := "another process"
	if e.PID > 0 {
		who = fmt.Sprintf("another process (pid %d)", e.PID)
	}
	return fmt.Sprintf("journal %s is in use: %s is running it; wait for it to end (or stop it), then try again", e.Path, who)
}

// ErrLocked matches a [*LockedError] with errors.Is.
var ErrLocked = errors.New("journal: in use by another process")

// Is reports whether target is [ErrLocked].
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// errWouldBlock is what lock returns when another process holds the lock.
var errWouldBlock = errors.New("locked by another process")

// lockedError explains a failed lock: who holds the journal, where the
// system says (the kernel's lock table), else the process the journal's
// last header or resume record names.
func lockedError(path string, err error) error {
	if !errors.Is(err, errWouldBlock) {
		return fmt.Errorf("journal: lock %s: %w", path, err)
	}
	e := &LockedError{Path: path, PID: lockHolder(path)}
	if e.PID == 0 {
		if b, rerr := os.ReadFile(path); rerr == nil {
			if run, perr := parse(path, b); perr == nil {
				e.PID = run.PID
			}
		}
	}
	return e
}
