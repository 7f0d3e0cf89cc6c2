package journal

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Ext is the extension of journal files.
const Ext = ".jsonl"

// StateDir returns the directory journals are kept in:
// $XDG_STATE_HOME/zohoterritory, or, when XDG_STATE_HOME is unset, empty
// or relative (which the XDG Base Directory specification says to
// ignore), $HOME/.local/state/zohoterritory. getenv reads the environment.
func StateDir(getenv func(string) string) (string, error) {
	if d := getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "zohoterritory"), nil
	}
	home := getenv("HOME")
	if home == "" || !filepath.IsAbs(home) {
		return "", errors.New("journal: no state directory: set XDG_STATE_HOME or HOME to an absolute path")
	}
	return filepath.Join(home, ".local", "state", "zohoterritory"), nil
}

// NewPath returns a path in dir for a new journal of a run named what
// (an op such as "remove-users", or a command such as "move-users") on
// owner, started at t, that no file has yet:
// "20261202T034512.123Z-remove-users-5725767000000583004.jsonl",
// with "-2", "-3"... before the extension if need be. It creates dir with
// mode 0700 if missing, and narrows an existing dir of this package's
// naming that others may read to 0700.
func NewPath(dir, what, owner string, t time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("journal: %w", err)
	}
	if fi, err := os.Stat(dir); err == nil && fi.Mode().Perm()&0o077 != 0 && filepath.Base(dir) == "zohoterritory" {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", fmt.Errorf("journal: %s may be read by others and cannot be narrowed to 0700: %w", dir, err)
		}
	}
	base := strings.ReplaceAll(t.UTC().Format("20060102T150405.000Z"), ".", "") + "-" + what + "-" + owner
	for n := 1; n < 1000; n++ {
		name := base + Ext
		if n > 1 {
			name = fmt.Sprintf("%s-%d%s", base, n, Ext)
		}
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p, nil
		}
	}
	return "", fmt.Errorf("journal: no free name for %s in %s", base, dir)
}

// Summary is one journal of a directory, as [List] reads it.
type Summary struct {
	Path string
	// Run is nil when the journal cannot be read; Err says why.
	Run *Run
	Err error
}

// List reads every journal in dir, oldest first. A journal that cannot be
// read is listed with its error; a missing dir lists nothing.
func List(dir string) ([]Summary, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*"+Ext))
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	out := make([]Summary, 0, len(paths))
	for _, p := range paths {
		run, err := Read(p)
		out = append(out, Summary{Path: p, Run: run, Err: err})
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Run != nil && b.Run != nil && !a.Run.Started.Equal(b.Run.Started) {
			return a.Run.Started.Before(b.Run.Started)
		}
		return a.Path < b.Path
	})
	return out, nil
}
