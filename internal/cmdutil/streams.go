// Package cmdutil holds what the module's two commands, zohoterritory and
// zohoterritory-contract, share: the streams, the table of exit codes, the
// running of a cobra root command, and the sandbox's serve command.
package cmdutil

import (
	"io"
	"os"
)

// IOStreams are a command's standard input, output and error, with
// whether each is a terminal (after cli/cli's iostreams), so that tests can
// run a command in-process and pretend either way.
type IOStreams struct {
	In       io.Reader
	Out, Err io.Writer
	// InTTY, OutTTY and ErrTTY say whether In, Out and Err are terminals.
	InTTY, OutTTY, ErrTTY bool
	// Terminal is standard input as a terminal, for a secret a person
	// types ([ReadSecret]); nil when standard input is not a terminal,
	// since a secret is never read from piped input.
	Terminal Terminal
}

// System returns the process's own streams.
func System() *IOStreams {
	s := &IOStreams{
		In: os.Stdin, Out: os.Stdout, Err: os.Stderr,
		InTTY: isTerminal(os.Stdin), OutTTY: isTerminal(os.Stdout), ErrTTY: isTerminal(os.Stderr),
	}
	if s.InTTY {
		s.Terminal = NewTerminal(os.Stdin)
	}
	return s
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
