package main

import (
	"context"
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// The one way every change command ends: the library makes the change (or
// the set), the report shows it, with the names it needs, and the counts
// pick the exit code.

// changeRun says how a change's report reads.
type changeRun struct {
	// command names the run in its journal: "remove-users".
	command string
	// count says what counts as done.
	count zohoterritory.CountOptions
	// known is what the run read of the directory, for names.
	known *zohoterritory.Directory
	// skipped are the ids --all left alone.
	skipped []zohoterritory.Skipped
}

// applyChange makes ch (journaled as jf says, when it has ids), prints its
// report and picks the exit code.
func (f *changeFlags) applyChange(ctx context.Context, a *app, c *zohoterritory.Client, jf *journalFlags, ch zohoterritory.Change, run changeRun) error {
	res := &zohoterritory.Result{Op: ch.Op}
	var j *journal.File
	var err error
	if len(ch.IDs) > 0 {
		if j, err = jf.create(a, run.command, string(ch.Op), ch.Owner); err != nil {
			return err
		}
		defer closeJournal(j)
		ch.Stop = a.stop
		if j != nil {
			ch.Journal = j
		}
		if res, err = c.Apply(ctx, ch); res == nil {
			return cmdutil.Usagef("%s", cmdutil.Message(err)) // only input and journal errors come without a result
		}
	}
	rep := &report{opts: run.count, allRows: f.allRows, journal: journalPath(j),
		changes: []reportChange{{res: res, owner: ch.Owner, skipped: run.skipped}}}
	return f.finish(ctx, a, c, rep, run.known, err)
}

// applySet makes set under journal j (nil: none), prints its report and
// picks the exit code. known is what the run read of the directory.
func (f *changeFlags) applySet(ctx context.Context, a *app, c *zohoterritory.Client, set zohoterritory.ChangeSet, j *journal.File,
	count zohoterritory.CountOptions, known *zohoterritory.Directory) error {
	set.Stop = a.stop
	if j != nil {
		set.Journal = j
	}
	res, err := c.ApplySet(ctx, set)
	if res == nil {
		return cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	return f.finish(ctx, a, c, setReport(set, res, count, f.allRows, journalPath(j)), known, err)
}

// finish prints a change's report, with the names it shows, and picks the
// exit code; err is the change's request-level failure.
func (f *changeFlags) finish(ctx context.Context, a *app, c *zohoterritory.Client, rep *report, known *zohoterritory.Directory, err error) error {
	if a.verbose && c != nil {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s; %s\n", plural(len(rep.results().Calls()), "call"), concurrencyText(c.Concurrency()))
	}
	userIDs, territoryIDs := rep.nameIDs(f.output.format)
	rep.users, rep.territories = f.readNames(ctx, a, c, known, userIDs, territoryIDs)
	if perr := rep.print(a.io.Out, f.output.format); perr != nil {
		return perr
	}
	return changeExit(ctx, a, rep, err)
}

// settledResult is the result of a set none of whose ids is left to send:
// what the journal settled.
func settledResult(set zohoterritory.ChangeSet) *zohoterritory.SetResult {
	res := &zohoterritory.SetResult{}
	for _, ch := range set.Changes {
		res.Results = append(res.Results, &zohoterritory.Result{Op: ch.Op, Items: ch.Settled})
	}
	return res
}
