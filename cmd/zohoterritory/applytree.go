package main

import (
	"context"
	"fmt"
	"io"
	"strings"

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
	var rules tree.Rules
	if saved := in.Plan; saved != nil {
		if err := f.asSaved(path, "from "+cell(saved.Source), saved.APIDomain, saved.APIVersion, "allow-delete", "territory-limit"); err != nil {
			return err
		}
	} else {
		var err error
		if rules, err = f.treeRules(); err != nil {
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
		plan, err = makeTreePlan(in.File, org, tree.Options{AllowDelete: f.allowDelete, Rules: rules}, path)
	}
	if err != nil {
		return err
	}
	if !plan.HasChanges() {
		fmt.Fprintf(a.io.Err, "zohoterritory: no changes: the org matches %s (%s)\n", path, plan.Totals())
		return nil
	}
	if f.yes {
		every := "every one: zohoterritory plan " + shellQuote(path)
		if in.Plan != nil {
			every = "every one is in " + path
		}
		warnDeletes(a.io.Err, plan, every)
	} else if err := confirmTreePlan(ctx, a, plan, path, in.Plan != nil); err != nil {
		return err
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

// warnDeletes says on stderr what the territories a plan deletes take
// away, one line each (the first few of many), and that the records
// assigned to them lose them for good: what the plan shown before the
// question says, for an apply that does not ask (--yes), and for a
// restore. every says where to see every one, when there are more.
func warnDeletes(w io.Writer, plan *tree.Plan, every string) {
	var dels []tree.TerritoryChange
	for _, c := range plan.Changes() {
		if c.Action == tree.ActionDelete {
			dels = append(dels, c)
		}
	}
	if len(dels) == 0 {
		return
	}
	them := "them"
	if len(dels) == 1 {
		them = "it"
	}
	fmt.Fprintf(w, "zohoterritory: the plan deletes %s; the records assigned to %s lose %s, and a restore does not assign them again:\n",
		pluralOf(len(dels), "territory", "territories"), them, them)
	for i, c := range dels {
		if i == maxListed {
			fmt.Fprintf(w, "  (and %d more; %s)\n", len(dels)-maxListed, every)
			break
		}
		fmt.Fprintf(w, "  - %s (%s): %s\n", c.Path, c.Territory.ID, takesAway(plan, c))
	}
}

// takesAway says what deleting a territory takes away: its members and
// its children, each child with what the plan does to it first.
func takesAway(plan *tree.Plan, c tree.TerritoryChange) string {
	var parts []string
	if m := c.Delete.Members; len(m) > 0 {
		labels := make([]string, len(m))
		for i, id := range m {
			labels[i] = plan.UserLabel(id)
		}
		parts = append(parts, fmt.Sprintf("its %s (%s)", plural(len(m), "member"), foldList(labels, ", ")))
	}
	if len(c.Children) > 0 {
		kids := make([]string, len(c.Children))
		for i, ch := range c.Children {
			kids[i] = ch.Path + " (moved away first)"
			if ch.Deleted {
				kids[i] = ch.Path + " (deleted first)"
			}
		}
		parts = append(parts, fmt.Sprintf("its %s %s", pluralOf(len(kids), "child", "children"), foldList(kids, ", ")))
	}
	if len(parts) == 0 {
		return "no member, no child"
	}
	return strings.Join(parts, "; ")
}
