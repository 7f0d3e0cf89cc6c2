package main

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// journalFlags are --journal and --no-journal.
type journalFlags struct {
	path string
	off  bool
}

func (jf *journalFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&jf.path, "journal", "", "write the run's journal to FILE (default: a new file in the state directory)")
	fs.BoolVar(&jf.off, "no-journal", false, "write no journal (a killed run then cannot be resumed, nor undone with restore)")
}

func (jf *journalFlags) check() error {
	if jf.off && jf.path != "" {
		return cmdutil.Usagef("--journal and --no-journal: give one of them")
	}
	return nil
}

// create creates the journal of a new run, named what (the op or the
// command) on owner, prints its path on stderr and returns it; nil with
// --no-journal. The commands check every id before
// they get here; a journal whose run never began is removed by
// closeJournal.
func (jf *journalFlags) create(a *app, command, what, owner string) (*journal.File, error) {
	if jf.off {
		return nil, nil
	}
	path := jf.path
	if path == "" {
		dir, err := journal.StateDir(a.getenv)
		if err != nil {
			return nil, cmdutil.Usagef("%s, or give --journal FILE (or --no-journal)", cmdutil.Message(err))
		}
		if path, err = journal.NewPath(dir, what, owner, time.Now()); err != nil {
			return nil, cmdutil.Usagef("%s", cmdutil.Message(err))
		}
	}
	j, err := journal.Create(path, journal.Options{Command: command})
	if err != nil {
		return nil, cmdutil.Usagef("--journal: %s", cmdutil.Message(err))
	}
	fmt.Fprintf(a.io.Err, "zohoterritory: writing the journal to %s\n", path)
	return j, nil
}

// closeJournal closes j; a journal that holds no line (its run never
// began) is removed.
func closeJournal(j *journal.File) {
	if j == nil {
		return
	}
	_ = j.Close()
	if fi, err := os.Stat(j.Path()); err == nil && fi.Size() == 0 {
		_ = os.Remove(j.Path())
	}
}

// journalPath is j's path, or "" without a journal.
func journalPath(j *journal.File) string {
	if j == nil {
		return ""
	}
	return j.Path()
}
