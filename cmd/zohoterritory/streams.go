package main

import (
	"io"
	"os"
)

// streams is the command's standard input and output, with whether each is
// a terminal (after cli/cli's iostreams), so tests can pretend either way.
type streams struct {
	in            io.Reader
	out, err      io.Writer
	inTTY, errTTY bool
	outTTY        bool
}

func systemStreams() *streams {
	return &streams{
		in: os.Stdin, out: os.Stdout, err: os.Stderr,
		inTTY: isTerminal(os.Stdin), outTTY: isTerminal(os.Stdout), errTTY: isTerminal(os.Stderr),
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
