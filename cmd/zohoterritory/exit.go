package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// changeExit picks the exit code of a change (a removal, an add, a set)
// and its one line on stderr, from the library's counts: interrupted with
// ids left to send (130), failed credentials (4), anything not done (2).
// With a journal, the line says how to finish what is left. A change that
// had sent everything before an interruption came is told as it ended.
func changeExit(ctx context.Context, a *app, rep *report, err error) error {
	stopped := false
	select {
	case <-a.stop: // a nil stop is never ready
		stopped = true
	default:
	}
	var jerr *zohoterritory.JournalError
	if errors.As(err, &jerr) {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: the result below is the run's truth\n", cmdutil.Message(jerr))
	}
	// A journal's failure alone leaves the calls' own outcome to tell;
	// joined to a call's failure, that failure decides.
	journalOnly := jerr != nil && err == error(jerr) //nolint:errorlint // identity: the journal's failure is the whole error, not one of several
	n := rep.counts()
	finish := rerun(n, rep.opts)
	if rep.journal != "" {
		finish = "run: zohoterritory resume " + shellQuote(rep.journal)
	}
	interrupted := ctx.Err() != nil || stopped || errors.Is(err, zohoterritory.ErrStopped)
	if interrupted && n.Unsettled == 0 {
		interruptedAfter(a)
	}
	switch {
	case interrupted && n.Unsettled > 0:
		return cmdutil.Exit(cmdutil.ExitInterrupted, fmt.Errorf("interrupted: %d %s, %d unknown, %d not sent; to finish, %s",
			n.Done(), n.Verb(), n.Unknown, n.NotSent, finish))
	case err != nil && !journalOnly:
		code, msg := failure(err)
		if code == cmdutil.ExitAuth {
			return cmdutil.Exit(code, errors.New(msg))
		}
		return cmdutil.Exit(code, fmt.Errorf("%s; %s", callFailures(rep.results().Calls()), n))
	case !n.AllDone():
		what := "ids"
		if n.Adds && n.Removes {
			what = "memberships"
		}
		msg := fmt.Sprintf("%d of %d %s were not %s (%s)", n.NotDone(), n.Done()+n.NotDone(), what, n.Verb(), n)
		if rep.journal != "" && n.Unsettled > 0 {
			msg += "; to settle the unknown and unsent ones, run: zohoterritory resume " + shellQuote(rep.journal)
		}
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New(msg))
	case err != nil:
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New("the journal is incomplete"))
	}
	return nil
}

// rerun says how to finish a change that has no journal: the same command
// again, with the flags that count what this run made as done, where the
// counts do not already (a removal's --ignore-absent, an add's
// --ignore-present; a move and an apply count both).
func rerun(n zohoterritory.Counts, opts zohoterritory.CountOptions) string {
	var flags []string
	if n.Removes && !opts.AbsentIsDone {
		flags = append(flags, "--ignore-absent")
	}
	if n.Adds && !opts.PresentIsDone {
		flags = append(flags, "--ignore-present")
	}
	if len(flags) == 0 {
		return "run the same command again"
	}
	return "run the same command again with " + strings.Join(flags, " and ")
}

// interruptedAfter says that an interrupt came once the run had nothing
// left to send: what the run came to is what it prints.
func interruptedAfter(a *app) {
	fmt.Fprintln(a.io.Err, "zohoterritory: interrupted after the run had sent everything: nothing is left to send")
}

// failure describes a request-level error for a person, and picks the exit
// code: 4 when the credentials failed ([zohoterritory.IsAuthFailure]; a
// missing scope named with the scopes the operation needs), 2 otherwise.
func failure(err error) (code int, msg string) {
	code = cmdutil.ExitPartial
	if zohoterritory.IsAuthFailure(err) {
		code = cmdutil.ExitAuth
	}
	var authErr *zohoterritory.AuthError
	var apiErr *zohoterritory.APIError
	switch {
	case errors.As(err, &authErr):
		return code, cmdutil.Message(authErr)
	case !errors.As(err, &apiErr):
		return code, cmdutil.Message(err)
	}
	msg = cmdutil.Message(apiErr)
	switch {
	case errors.Is(apiErr, zohoterritory.ErrOAuthScopeMismatch):
		msg = fmt.Sprintf("%s: the token lacks a scope %s needs: %s", msg, apiErr.Operation, scopeText(zohoterritory.Scopes(apiErr.Operation)))
	case errors.Is(apiErr, zohoterritory.ErrInvalidToken):
		msg += ": the token was rejected (expired, revoked, or issued in another data centre than --dc / ZOHO_DC)"
	}
	return code, msg
}

// scopeText reads Zoho's scope sets as a person would: "A, or B and C".
func scopeText(sets [][]string) string {
	parts := make([]string, len(sets))
	for i, s := range sets {
		parts[i] = strings.Join(s, " and ")
	}
	return strings.Join(parts, ", or ")
}

// callFailures says what went wrong with the calls, each distinct failure
// once, at most three, without the ids or URLs a thousand calls would
// repeat.
func callFailures(calls []zohoterritory.Call) string {
	var seen []string
	failed := 0
	for _, c := range calls {
		if c.Err == nil {
			continue
		}
		failed++
		if _, msg := failure(c.Err); !slices.Contains(seen, msg) {
			seen = append(seen, msg)
		}
	}
	more := ""
	if len(seen) > 3 {
		more = fmt.Sprintf("; and %d more", len(seen)-3)
		seen = seen[:3]
	}
	return fmt.Sprintf("%d of %s failed: %s%s", failed, plural(len(calls), "call"), strings.Join(seen, "; "), more)
}
