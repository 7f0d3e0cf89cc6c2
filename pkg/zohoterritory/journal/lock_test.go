package journal

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOneRunnerPerJournal: the process that writes a journal holds it; a
// second opener (resume) or holder (restore) is refused, naming the
// holder's process, until the first closes it.
func TestOneRunnerPerJournal(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("file locks are tested where flock is")
	}
	p := filepath.Join(t.TempDir(), "j.jsonl")
	writeExample(t, p)

	first, _, err := Open(p, Options{Command: "resume"})
	require.NoError(t, err)
	_, _, err = Open(p, Options{Command: "resume"})
	var locked *LockedError
	require.ErrorAs(t, err, &locked)
	assert.ErrorIs(t, err, ErrLocked)
	assert.Equal(t, p, locked.Path)
	if runtime.GOOS == "linux" {
		assert.Equal(t, os.Getpid(), locked.PID, "the kernel's lock table names the holder")
	}
	assert.Contains(t, err.Error(), "is in use: another process")
	_, _, err = Hold(p)
	require.ErrorIs(t, err, ErrLocked)
	require.NoError(t, first.Close())

	held, run, err := Hold(p)
	require.NoError(t, err)
	assert.Len(t, run.Changes, 1)
	_, _, err = Open(p, Options{})
	require.ErrorIs(t, err, ErrLocked, "a restore holds the run it undoes")
	require.NoError(t, held.Close())

	created, err := Create(filepath.Join(filepath.Dir(p), "new.jsonl"), Options{})
	require.NoError(t, err)
	_, _, err = Hold(created.Path())
	require.ErrorIs(t, err, ErrLocked, "a new run holds its journal from the start")
	require.NoError(t, created.Close())
}

// TestLockOfAKilledProcess: a process killed while it holds a journal
// leaves no lock behind.
func TestLockOfAKilledProcess(t *testing.T) {
	t.Parallel()
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("file locks are tested where flock is")
	}
	p := filepath.Join(t.TempDir(), "j.jsonl")
	writeExample(t, p)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperHoldJournal$")
	cmd.Env = append(os.Environ(), "JOURNAL_HELPER_PATH="+p)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, "holding\n", line)

	_, _, err = Open(p, Options{})
	var locked *LockedError
	require.ErrorAs(t, err, &locked)
	if runtime.GOOS == "linux" {
		assert.Equal(t, cmd.Process.Pid, locked.PID)
	}

	require.NoError(t, cmd.Process.Kill())
	_ = cmd.Wait()
	_ = stdin.Close()
	j, _, err := Open(p, Options{})
	require.NoError(t, err, "the lock died with its process")
	require.NoError(t, j.Close())
}

// TestHelperHoldJournal is the process TestLockOfAKilledProcess kills: it
// holds the journal, says so, and waits for its standard input to end.
func TestHelperHoldJournal(t *testing.T) {
	p := os.Getenv("JOURNAL_HELPER_PATH")
	if p == "" {
		t.Skip("run by TestLockOfAKilledProcess")
	}
	j, _, err := Open(p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("holding\n")
	_, _ = io.Copy(io.Discard, os.Stdin)
	if err := j.Close(); err != nil && !errors.Is(err, os.ErrClosed) {
		t.Fatal(err)
	}
}
