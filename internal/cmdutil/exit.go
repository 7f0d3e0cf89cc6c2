package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// The exit codes of both commands, in one table (as gh keeps its own in
// internal/ghcmd/cmd.go).
const (
	// ExitOK: done; every id was changed (or listed).
	ExitOK = 0
	// ExitUsage: a usage, configuration or input error; nothing was sent.
	ExitUsage = 1
	// ExitPartial: some ids failed or their outcome is unknown, or a
	// request failed (a listing, a validation).
	ExitPartial = 2
	// ExitAuth: authentication or authorisation failed: the token was
	// rejected or could not be refreshed, or a scope is missing.
	ExitAuth = 4
	// ExitInterrupted: interrupted (Ctrl-C), as the shell's 128+SIGINT.
	ExitInterrupted = 130
)

// ExitCodesHelp describes the exit codes for --help (and so docs/cli).
const ExitCodesHelp = `Exit status:
  0    done: every id was changed (ids skipped on purpose aside), or the listing was printed
  1    usage, configuration or input error: nothing was sent
  2    some ids failed or their outcome is unknown, or a request failed
  4    authentication or authorisation failed: the token was rejected or cannot be
       refreshed, or it lacks a scope (the message names the scope)
  130  interrupted (Ctrl-C); the result printed says what was done`

// ExitError is a failure with the exit code it ends the process with.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string { return e.Err.Error() }

// Unwrap returns the failure.
func (e *ExitError) Unwrap() error { return e.Err }

// ExitCode returns the process exit code.
func (e *ExitError) ExitCode() int { return e.Code }

// Usagef is a usage, configuration or input error: exit 1.
func Usagef(format string, args ...any) error {
	return &ExitError{Code: ExitUsage, Err: fmt.Errorf(format, args...)}
}

// Exit wraps err with code; nil stays nil.
func Exit(code int, err error) error {
	if err == nil {
		return nil
	}
	return &ExitError{Code: code, Err: err}
}

// Run executes root with args under ctx, prints a failure once on stderr,
// prefixed with the command's name, and returns the exit code. Cobra's own
// errors (an unknown command or flag, a missing argument) are usage errors.
func Run(ctx context.Context, root *cobra.Command, args []string, io *IOStreams) int {
	root.SetArgs(args)
	root.SetIn(io.In)
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SilenceErrors = true
	root.SilenceUsage = true
	// An unknown command is told before its flags are parsed, with
	// cobra's suggestions, rather than as an unknown flag of the root.
	// (help, completion and the shells' __complete are cobra's own.)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd(args...)
	var err error
	if len(args) == 0 || !strings.HasPrefix(args[0], "__complete") {
		_, _, err = root.Find(args)
	}
	if err == nil {
		err = root.ExecuteContext(ctx)
	}
	if err == nil {
		return ExitOK
	}
	fmt.Fprintf(io.Err, "%s: %s\n", root.Name(), strings.TrimRight(Message(err), "\n"))
	var ee interface{ ExitCode() int }
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	if errors.Is(err, context.Canceled) {
		return ExitInterrupted
	}
	// Cobra's argument and flag errors, and anything unforeseen.
	return ExitUsage
}

// Message is err's text without the package prefixes the library puts on
// its own errors ("zohoterritory: "), which the command's name replaces.
func Message(err error) string {
	msg := err.Error()
	for _, p := range []string{"zohoterritory: ", "zohoterritorytest: "} {
		msg = strings.ReplaceAll(msg, p, "")
	}
	return msg
}
