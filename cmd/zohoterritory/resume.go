package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// changeFlags are the flags resume and restore share with the removals.
type changeFlags struct {
	concurrency, concCap int
	capSet               bool
	allRows              bool
	noNames              bool
	output               outputFlag
	conn                 connFlags
}

func (f *changeFlags) register(a *app, fl *pflag.FlagSet) {
	fl.IntVar(&f.concurrency, "concurrency", 0, "calls in flight at once, fixed (0: find Zoho's limit, starting at 4, growing while calls pass, coming down on a 429)")
	fl.IntVar(&f.concCap, "concurrency-cap", zohoterritory.DefaultConcurrencyCap, "without --concurrency: the most calls in flight at once (Zoho's limits: Free 5, Standard 10, Professional 15, Enterprise 20, Ultimate 25)")
	fl.BoolVar(&f.allRows, "all-rows", false, "with --output table: a row for every id, however many")
	fl.BoolVar(&f.noNames, "no-names", false, "show ids alone: read no names for the table (a JSON output reads none anyway)")
	f.output.csv = true
	f.output.register(fl, a.io.OutTTY)
	f.conn.register(fl, a.getenv)
}

// check checks the flags once parsed; the command's RunE sets capSet.
func (f *changeFlags) check() error {
	switch {
	case f.concurrency < 0:
		return cmdutil.Usagef("--concurrency %d: must not be negative (0 finds Zoho's limit)", f.concurrency)
	case f.concCap < 1:
		return cmdutil.Usagef("--concurrency-cap %d: must be at least 1", f.concCap)
	case f.concurrency > 0 && f.capSet:
		return cmdutil.Usagef("--concurrency-cap bounds the limit found without --concurrency: give one of them")
	}
	return f.output.check()
}

// showNames reports whether the output shows names it may have to read: a
// table, unless --no-names.
func (f *changeFlags) showNames() bool {
	return (f.output.format == "table" || f.output.format == "csv") && !f.noNames
}

// aim points the connection at the journal's API domain and version,
// unless a flag or variable names them.
func (f *changeFlags) aim(run *journal.Run) {
	cf := &f.conn
	if !cf.given("api-domain") && run.APIDomain != "" {
		cf.apiDomain = run.APIDomain
	}
	if !cf.given("api-version") && run.APIVersion != "" {
		cf.apiVersion = run.APIVersion
	}
}

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

The API domain and version are the journal's, unless --api-domain or
--api-version (or their variables) say otherwise; the credentials come from
the environment, as for any command.

` + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory resume ~/.local/state/zohoterritory/20261202T093000123Z-remove-territories-5725767000000411004.jsonl
  zohoterritory runs`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.capSet = cmd.Flags().Changed("concurrency-cap")
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
	set := run.Resume()
	set.Journal, set.Stop = j, a.stop
	counts := run.Counts()
	rf := readFlags{presentDone: true}
	if counts.Pending == 0 {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: every id has its outcome; nothing to send\n", path)
		rep := setReport(set, settledResult(set), runKind(set), rf, f.allRows, path)
		if perr := rep.print(a.io.Out, f.output.format); perr != nil {
			return perr
		}
		return changeExit(ctx, a, rep.tally(), rep.result(), nil, path)
	}
	c, err := f.conn.client(false, a.changeOptions(f.concurrency, f.concCap, true)...)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "zohoterritory: resuming %s: %d of %d ids to send, %d of them perhaps done already\n",
		path, counts.Pending, counts.Total, counts.Maybe)
	return applySet(ctx, a, f, c, set, rf, path, nil)
}

// applySet makes set (a resume, a restore, a move, an apply), prints its
// report and picks the exit code. l, if set, holds what the run resolved
// and read of the directory, for the names.
func applySet(ctx context.Context, a *app, f *changeFlags, c *zohoterritory.Client, set zohoterritory.ChangeSet, rf readFlags, journalPath string, l *lookup) error {
	res, err := c.ApplySet(ctx, set)
	if res == nil {
		return cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	if a.verbose {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s; %s\n", plural(len(res.Calls()), "call"), concurrencyText(c.Concurrency()))
	}
	rep := setReport(set, res, runKind(set), rf, f.allRows, journalPath)
	var userIDs, territoryIDs []string
	for _, m := range rep.memberships() {
		userIDs, territoryIDs = append(userIDs, m.user), append(territoryIDs, m.territory)
	}
	rep.users, rep.territories = f.namesFor(ctx, a, c, l, userIDs, territoryIDs, nil, nil)
	if perr := rep.print(a.io.Out, f.output.format); perr != nil {
		return perr
	}
	return changeExit(ctx, a, rep.tally(), rep.result(), err, journalPath)
}

// setReport is the report of a set's result, a change of the report for
// each change of the set.
func setReport(set zohoterritory.ChangeSet, res *zohoterritory.SetResult, k kind, rf readFlags, allRows bool, journalPath string) *report {
	rep := &report{kind: k, allRows: allRows, calls: res.Calls(), journal: journalPath}
	for i, ch := range set.Changes {
		rep.changes = append(rep.changes, reportChange{op: ch.Op, owner: ch.Owner, outs: outcomes(res.Results[i], rf)})
	}
	return rep
}

// settledResult is the result of a set none of whose ids is left to send:
// what the journal settled.
func settledResult(set zohoterritory.ChangeSet) *zohoterritory.SetResult {
	res := &zohoterritory.SetResult{}
	for _, ch := range set.Changes {
		res.Results = append(res.Results, &zohoterritory.Result{Items: ch.Settled})
	}
	return res
}

// runKind is what a set does: removing or adding when all of its changes
// do the one, changing otherwise.
func runKind(set zohoterritory.ChangeSet) kind {
	adds, removes := false, false
	for _, ch := range set.Changes {
		if ch.Op.Adds() {
			adds = true
		} else {
			removes = true
		}
	}
	switch {
	case adds && removes:
		return changing
	case adds:
		return adding
	}
	return removing
}
