package main

import "fmt"

// Exit codes.
const (
	exitOK      = 0 // every id was removed
	exitUsage   = 1 // usage, configuration or input error: nothing was sent
	exitPartial = 2 // some id failed or its outcome is unknown, or a request failed
)

// exitError carries the exit code of a failure.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// ExitCode returns the process exit code for the error.
func (e *exitError) ExitCode() int { return e.code }

// usageErr is a usage, configuration or input error: exit 1.
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}
