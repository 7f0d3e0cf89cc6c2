package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

func newResumeCmd(a *app) *cobra.Command {
	var f changeFlags
	cmd := &cobra.Command{
		Use:   "resume JOURNAL",
		Short: "Finish a run that was killed or interrupted, from its journal",
		Long: `Finish a run that was killed or interrupted, from its journal (the path the
run printed on stderr; "zohoterritory runs" lists them). Ids whose outcome
the journal holds are not sent again. Ids that were sent without a recorded
answer are sent again: Zoho's "not a member" for them means the lost attempt
removed them, and they are reported removed (inferred). Ids never sent are
sent. The result has a line for every id of the original run, those the
first process removed among them; the journal grows with this run's
records, so a resume can itself be resumed.

The run of a tree file (an apply, or a restore of one) is finished step by
step in the plan's order, from its journal alone: what the journal holds as
made is not sent again; a create whose answer was lost is looked up by its
name under its parent first, and found, counts as created (never created
twice); a delete answered "no such territory" counts as deleted; updates are
sent again as they are. A run that a step of territories stopped for good
(a name taken, a limit) stops there again: restore takes back what it made.

The API domain and version are the journal's, unless --api-domain or
--api-version (or their variables) say otherwise; the credentials come from
the environment, as for any command.

Scopes: those of the command that started the run (its page says them),
with ZohoCRM.settings.territories.READ and ZohoCRM.users.READ for a tree
run's look-ups.

` + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory resume ~/.local/state/zohoterritory/20261202T093000123Z-remove-territories-5725767000000411004.jsonl
  zohoterritory runs`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			return runResume(cmd.Context(), a, &f, args[0])
		},
	}
	f.register(a, cmd.Flags())
	return cmd
}

func runResume(ctx context.Context, a *app, f *changeFlags, path string) error {
	j, run, err := journal.Open(path, journal.Options{Command: "resume"})
	if err != nil {
		return cmdutil.Usagef("%s; nothing was sent", cmdutil.Message(err))
	}
	defer func() { _ = j.Close() }()
	f.aim(run)
	if run.Torn {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: its last line was cut off (the process was killed while writing it) and is ignored\n", path)
	}
	if run.Tree != nil {
		return runTreeResume(ctx, a, f, j, run)
	}
	set := run.Resume()
	counts := run.Counts()
	count := zohoterritory.CountOptions{PresentIsDone: true}
	if run.Status() == tree.RunComplete {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: every id has its outcome; nothing to send\n", path)
		rep := setReport(set, settledResult(set), count, f.allRows, path)
		if perr := rep.print(a.io.Out, f.output.format); perr != nil {
			return perr
		}
		return changeExit(ctx, a, rep, nil)
	}
	c, err := f.client(a, false, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "zohoterritory: resuming %s: %d of %d ids to send, %d of them perhaps done already\n",
		path, counts.Pending, counts.Total, counts.Maybe)
	return f.applySet(ctx, a, c, set, j, count, nil)
}
