package main

import (
	"context"
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// The tree's side of apply: a plan made from the file or read, checked
// against the org as read now, shown, asked for, and made by the library
// under one journal.

// runTreeApply is apply of a tree file or of a saved tree plan.
func runTreeApply(ctx context.Context, a *app, f *applyFlags, in *tree.Input, path string) error {
	if f.output.format == "csv" {
		return cmdutil.Usagef("--output \"csv\": %s is a %s, whose apply prints a table or json", path, in.Kind)
	}
	if saved := in.Plan; saved != nil {
		if err := f.asSaved(path, "from "+cell(saved.Source), saved.APIDomain, saved.APIVersion, "allow-delete"); err != nil {
			return err
		}
	}
	if err := needsTerminal(a, f.yes); err != nil {
		return err
	}
	c, err := f.client(a, false, true)
	if err != nil {
		return err
	}
	org, err := readOrg(ctx, c, "nothing was sent")
	if err != nil {
		return err
	}
	plan := in.Plan
	if plan != nil {
		err = checkTreeDrift(plan, org, path)
	} else {
		plan, err = makeTreePlan(in.File, org, f.allowDelete, path)
	}
	if err != nil {
		return err
	}
	if !plan.HasChanges() {
		fmt.Fprintf(a.io.Err, "zohoterritory: no changes: the org matches %s (%s)\n", path, plan.Totals())
		return nil
	}
	if !f.yes {
		if err := confirmTreePlan(ctx, a, plan, path, in.Plan != nil); err != nil {
			return err
		}
	}
	j, err := f.journal.create(a, "apply", "apply", "tree")
	if err != nil {
		return err
	}
	defer closeJournal(j)
	res, err := tree.Apply(ctx, c, plan, tree.ApplyOptions{Journal: treeJournal(j), Stop: a.stop})
	return finishTree(ctx, a, &f.changeFlags, plan, res, err, journalPath(j))
}

// treeJournal is j as the library's journal of a tree run; nil (none)
// with --no-journal.
func treeJournal(j *journal.File) tree.Journal {
	if j == nil {
		return nil
	}
	return j
}

// checkTreeDrift refuses a saved tree plan when anything it touches
// changed in the org since it was made, naming each change.
func checkTreeDrift(plan *tree.Plan, org *tree.Org, path string) error {
	drifts := tree.Drifts(plan, org)
	if len(drifts) == 0 {
		return nil
	}
	return stale(path, pluralOf(len(drifts), "change", "changes")+" in the org", drifts)
}

// confirmTreePlan shows the plan on stderr as plan prints it (the first
// lines of a long one, and where every one is), and asks on the terminal.
func confirmTreePlan(ctx context.Context, a *app, plan *tree.Plan, path string, saved bool) error {
	shown, total, err := treePlanTable(a.io.Err, plan, maxTableRows)
	if err != nil {
		return err
	}
	return confirmShown(ctx, a, shown, total, path, saved, plan.Totals())
}
