package cmdutil

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeTerminal is a terminal whose keys are r's bytes; raw says how many
// times it was made raw, restored how many times it was given back.
type fakeTerminal struct {
	io.Reader
	raw, restored atomic.Int32
	onRaw         func()
}

func (f *fakeTerminal) MakeRaw() (func() error, error) {
	f.raw.Add(1)
	if f.onRaw != nil {
		f.onRaw()
	}
	return func() error { f.restored.Add(1); return nil }, nil
}

// blocked is a reader that blocks until the test ends, as a terminal no
// one types on.
func blocked(t *testing.T) io.Reader {
	r, w := io.Pipe()
	t.Cleanup(func() { _ = w.Close() })
	return r
}

func TestReadSecret(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, keys string
		want       string
		err        error
	}{
		{"enter", "s3cret\r", "s3cret", nil},
		{"a newline", "s3cret\n", "s3cret", nil},
		{"backspace and delete", "s3x\x7fcrr\bet\r", "s3cret", nil},
		{"ctrl-u", "wrong\x15s3cret\r", "s3cret", nil},
		{"no final enter", "s3cret", "s3cret", nil},
		{"ctrl-c", "s3c\x03ret\r", "", ErrInterrupted},
		{"ctrl-d on an empty line", "\x04", "", io.EOF},
		{"nothing at all", "", "", io.EOF},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			term := &fakeTerminal{Reader: strings.NewReader(tt.keys)}
			got, err := ReadSecret(t.Context(), nil, term)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tt.want, string(got))
			assert.Equal(t, int32(1), term.raw.Load())
			assert.Equal(t, int32(1), term.restored.Load(), "the terminal has its state back")
		})
	}

	// An interrupt that comes as a signal (the first: stop; a second, or
	// SIGTERM: the context's end) while no key is pressed.
	stop := make(chan struct{})
	term := &fakeTerminal{Reader: blocked(t), onRaw: func() { close(stop) }}
	_, err := ReadSecret(t.Context(), stop, term)
	require.ErrorIs(t, err, ErrInterrupted)
	assert.Equal(t, int32(1), term.restored.Load())

	ctx, cancel := context.WithCancel(t.Context())
	term = &fakeTerminal{Reader: blocked(t), onRaw: cancel}
	_, err = ReadSecret(ctx, nil, term)
	require.ErrorIs(t, err, ErrInterrupted)
	assert.Equal(t, int32(1), term.restored.Load())

	// A terminal that cannot be made raw is not read.
	_, err = ReadSecret(t.Context(), nil, rawFails{})
	require.ErrorContains(t, err, "not a terminal")
}

type rawFails struct{ io.Reader }

func (rawFails) MakeRaw() (func() error, error) { return nil, errors.New("not a terminal") }
