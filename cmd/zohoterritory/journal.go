package main

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// journalHelp says what every change command records, for --help.
const journalHelp = `Every run is journaled: before each call is sent and after each answer is
read, a line goes into a file under $XDG_STATE_HOME/zohoterritory/ (or
~/.local/state/zohoterritory/), whose path is printed on stderr. If the run
is killed or interrupted, "zohoterritory resume FILE" finishes it; a run
is undone with "zohoterritory restore FILE"; "zohoterritory runs" lists
the journals. One process at a time runs a journal: another resume or
restore of it exits 1 at once. --journal FILE writes it elsewhere,
--no-journal not at all. A journal holds ids, never a token.`

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
			return nil, cmdutil.Usagef("%s (or --no-journal)", cmdutil.Message(err))
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

// shellQuote quotes a path for the line a person copies into a shell.
func shellQuote(s string) string {
	safe := func(r rune) bool {
		return strings.ContainsRune("/.-_:+=@,", r) || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	}
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
