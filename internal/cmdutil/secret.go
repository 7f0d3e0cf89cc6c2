package cmdutil

import (
	"context"
	"errors"
	"io"
	"os"

	"golang.org/x/term"
)

// Terminal is standard input when it is a terminal, for reading a secret
// a person types: without echo, and interruptible.
type Terminal interface {
	io.Reader
	// MakeRaw turns echo off, and makes Ctrl-C a byte read rather than a
	// signal, until the function it returns gives the terminal back the
	// state it had.
	MakeRaw() (restore func() error, err error)
}

// NewTerminal returns f, a terminal, as a [Terminal].
func NewTerminal(f *os.File) Terminal { return fileTerminal{f} }

type fileTerminal struct{ *os.File }

func (t fileTerminal) MakeRaw() (func() error, error) {
	fd := int(t.Fd()) //nolint:gosec // G115: a file descriptor fits an int
	state, err := term.MakeRaw(fd)
	if err != nil {
		return nil, err
	}
	return func() error { return term.Restore(fd, state) }, nil
}

// ErrInterrupted is the failure of a prompt that Ctrl-C, the end of the
// context or the first interrupt interrupted. The terminal has its state
// back.
var ErrInterrupted = errors.New("interrupted")

// ReadSecret reads a line from t without echo: Enter ends it, Backspace
// erases a byte, Ctrl-U the line. Ctrl-C, the end of ctx (a second
// interrupt, SIGTERM) or stop (the first interrupt, when Ctrl-C arrives as
// a signal) end it with [ErrInterrupted]; Ctrl-D on an empty line with
// io.EOF. Whichever way it ends, the terminal is given back its state
// before ReadSecret returns: echo is never left off. The terminal is
// raw before anything is read, so that no byte is read with echo on.
func ReadSecret(ctx context.Context, stop <-chan struct{}, t Terminal) ([]byte, error) {
	restore, err := t.MakeRaw()
	if err != nil {
		return nil, err
	}
	defer func() { _ = restore() }()
	type line struct {
		b   []byte
		err error
	}
	// The read may outlive an interrupt, blocked until a key is pressed;
	// the process exits meanwhile.
	done := make(chan line, 1)
	go func() {
		b, err := readSecretLine(t)
		done <- line{b, err}
	}()
	select {
	case l := <-done:
		return l.b, l.err
	case <-ctx.Done():
		return nil, ErrInterrupted
	case <-stop:
		return nil, ErrInterrupted
	}
}

// readSecretLine reads a raw terminal's bytes up to Enter.
func readSecretLine(r io.Reader) ([]byte, error) {
	var line []byte
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			switch c := b[0]; c {
			case '\r', '\n':
				return line, nil
			case 3: // Ctrl-C
				return nil, ErrInterrupted
			case 4: // Ctrl-D
				if len(line) == 0 {
					return nil, io.EOF
				}
			case 8, 127: // Backspace, Delete
				if len(line) > 0 {
					line = line[:len(line)-1]
				}
			case 21: // Ctrl-U
				line = line[:0]
			default:
				line = append(line, c)
			}
			continue
		}
		if errors.Is(err, io.EOF) && len(line) > 0 {
			return line, nil
		}
		if err != nil {
			return nil, err
		}
	}
}
