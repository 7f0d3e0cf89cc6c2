package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// The tree's side of resume and restore: a run of a tree plan, finished
// or taken back by the library from its journal alone.

// runTreeResume finishes a killed or stopped run of a tree plan, under
// its own journal j.
func runTreeResume(ctx context.Context, a *app, f *changeFlags, j *journal.File, run *journal.Run) error {
	if f.output.format == "csv" {
		return cmdutil.Usagef("--output \"csv\": %s is the journal of a tree run, whose resume prints a table or json", run.Path)
	}
	prog := run.Tree
	c, err := f.client(a, false, true)
	if err != nil {
		return err
	}
	switch prog.Status() {
	case tree.RunComplete:
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: every step has its outcome; nothing to send\n", run.Path)
	case tree.RunHalted:
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: step %d failed, which stopped the run; it stops there again\n", run.Path, prog.Halt()+1)
	default:
		send, maybe, total := prog.Left()
		fmt.Fprintf(a.io.Err, "zohoterritory: resuming %s: %d of %d changes to send, %d of them perhaps done already\n", run.Path, send, total, maybe)
	}
	res, err := tree.Resume(ctx, c, prog, tree.ApplyOptions{Journal: j, Stop: a.stop})
	return finishTree(ctx, a, f, prog.Plan, res, err, run.Path)
}

// runTreeRestore takes back what a run of a tree plan made, as a run of
// its own with its own journal; --dry-run shows its plan and sends
// nothing.
func runTreeRestore(ctx context.Context, a *app, f *changeFlags, jf *journalFlags, dryRun bool, run *journal.Run) error {
	if f.output.format == "csv" {
		return cmdutil.Usagef("--output \"csv\": %s is the journal of a tree run, whose restore prints a table or json", run.Path)
	}
	prog := run.Tree
	if st := prog.Status(); st != tree.RunComplete {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: the run is %s; restoring what it made, as the org shows it\n", run.Path, st)
	}
	c, err := f.client(a, false, !dryRun)
	if err != nil {
		return err
	}
	plan, err := tree.PlanRestore(ctx, c, prog, tree.OrderOptions{Created: time.Now().UTC(), Source: run.Path})
	var pe *tree.ProblemsError
	switch {
	case errors.As(err, &pe):
		return treeProblems(err, run.Path)
	case err != nil:
		code, msg := failure(err)
		return cmdutil.Exit(code, fmt.Errorf("%s: the restore cannot be planned, so nothing was sent: %s", run.Path, msg))
	}
	if dryRun || !plan.HasChanges() {
		if !plan.HasChanges() {
			fmt.Fprintf(a.io.Err, "zohoterritory: %s: nothing to restore\n", run.Path)
		}
		return printRestorePlan(a.io.Out, f.output.format, plan)
	}
	warnDeletes(a.io.Err, plan, "every one: zohoterritory restore "+shellQuote(run.Path)+" --dry-run")
	j, err := jf.create(a, "restore", "restore", "tree")
	if err != nil {
		return err
	}
	defer closeJournal(j)
	res, err := tree.Apply(ctx, c, plan, tree.ApplyOptions{Journal: treeJournal(j), Stop: a.stop})
	return finishTree(ctx, a, f, plan, res, err, journalPath(j))
}

// printRestorePlan writes a restore's plan as plan prints one, and, in a
// table, what becomes of the records of the territories it creates again.
func printRestorePlan(w io.Writer, format string, plan *tree.Plan) error {
	if err := printTreePlan(w, format, plan, "No changes: nothing the run made is left to take back."); err != nil || format == "json" {
		return err
	}
	for _, c := range plan.Changes() {
		if c.Restores != "" {
			_, err := fmt.Fprintln(w, "Records that were assigned to a deleted territory are not assigned to it again.")
			return err
		}
	}
	return nil
}
