package cmdutil

import (
	"fmt"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the master, where the test types,
// and the slave, the terminal the prompt reads.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal on this machine: %v", err)
	}
	t.Cleanup(func() { _ = m.Close() })
	fd := int(m.Fd()) //nolint:gosec // G115: a file descriptor fits an int
	require.NoError(t, unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0), "unlockpt")
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	require.NoError(t, err, "ptsname")
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	return m, s
}

func echoOn(t *testing.T, f *os.File) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS) //nolint:gosec // G115: a file descriptor fits an int
	require.NoError(t, err)
	return tio.Lflag&unix.ECHO != 0
}

// rawSignal is the pty's terminal, telling the test once it is raw, so
// that the test types only then (a Ctrl-C typed before would be the line
// discipline's signal, not a byte).
type rawSignal struct {
	Terminal
	raw chan struct{}
}

func (r rawSignal) MakeRaw() (func() error, error) {
	restore, err := r.Terminal.MakeRaw()
	close(r.raw)
	return restore, err
}

// TestReadSecretOnATerminal: on a real pseudo-terminal, a typed secret is
// not echoed, and Ctrl-C ends the prompt with the terminal's echo back on.
func TestReadSecretOnATerminal(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, keys, want string
		err              error
	}{
		{"typed", "s3cret\r", "s3cret", nil},
		{"ctrl-c", "s3\x03", "", ErrInterrupted},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			master, slave := openPTY(t)
			require.True(t, echoOn(t, slave), "a new terminal echoes")
			term := rawSignal{NewTerminal(slave), make(chan struct{})}
			go func() {
				<-term.raw
				_, _ = master.WriteString(tt.keys)
			}()
			got, err := ReadSecret(t.Context(), nil, term)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, string(got))
			assert.True(t, echoOn(t, slave), "the terminal echoes again")

			// Nothing typed was echoed: the master reads only what is
			// written now.
			_, err = slave.WriteString("done\n")
			require.NoError(t, err)
			buf := make([]byte, 64)
			n, err := master.Read(buf)
			require.NoError(t, err)
			assert.Equal(t, "done\r\n", string(buf[:n]))
		})
	}
}
