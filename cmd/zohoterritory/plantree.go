package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// The tree file's side of plan and apply: the file read, the org read,
// the plan made by the library, every problem named.

// runTreePlan is plan of a tree file: the org read, the plan made, saved
// with --out, printed; --detailed-exitcode says whether it has changes.
func runTreePlan(ctx context.Context, a *app, f *planCmdFlags, file *tree.File, path string) error {
	rules, err := f.treeRules()
	if err != nil {
		return err
	}
	c, err := f.client(a, false, false)
	if err != nil {
		return err
	}
	org, err := readOrg(ctx, c, "nothing was planned")
	if err != nil {
		return err
	}
	plan, err := makeTreePlan(file, org, tree.Options{AllowDelete: f.allowDelete, Rules: rules}, path)
	if err != nil {
		return err
	}
	if f.out != "" {
		if err := savePlan(a, f.out, plan); err != nil {
			return err
		}
	}
	none := "No changes: the org matches the file."
	if n := len(plan.Skips); n > 0 {
		none = fmt.Sprintf("No changes to make: the org matches the file but for the %s left alone above.", plural(n, "membership"))
	}
	if err := printTreePlan(a.io.Out, f.output.format, plan, none); err != nil {
		return err
	}
	if f.detailed && plan.HasChanges() {
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New("the org differs from the file: the plan has changes"))
	}
	return nil
}

// readOrg reads the whole org, as a plan and an export need it; a failed
// read says what was not done.
func readOrg(ctx context.Context, c *zohoterritory.Client, notDone string) (*tree.Org, error) {
	org, err := tree.ReadOrg(ctx, c)
	if err != nil {
		code, msg := failure(err)
		return nil, cmdutil.Exit(code, fmt.Errorf("reading the org failed, so %s: %s", notDone, msg))
	}
	return org, nil
}

// makeTreePlan diffs the file with the org and orders the changes, as the
// library does, under opts; every problem is named with its place.
func makeTreePlan(file *tree.File, org *tree.Org, opts tree.Options, path string) (*tree.Plan, error) {
	in, err := tree.Diff(file, org, opts)
	if err != nil {
		return nil, treeProblems(err, path)
	}
	plan, err := tree.Order(in, org, tree.OrderOptions{Rules: opts.Rules, Created: time.Now().UTC(), Source: path})
	if err != nil {
		return nil, treeProblems(err, path)
	}
	return plan, nil
}

// treeProblems lists every problem of a *tree.ProblemsError about the
// file name, one a line, with the flag that settles those of territories
// the file leaves out (exit 1: nothing was sent); other errors come back
// as they are.
func treeProblems(err error, name string) error {
	var pe *tree.ProblemsError
	if !errors.As(err, &pe) {
		return err
	}
	if len(pe.Problems) == 0 {
		return cmdutil.Usagef("%s cannot be planned; nothing was sent", name)
	}
	lines := make([]string, len(pe.Problems))
	for i, p := range pe.Problems {
		lines[i] = p.String()
		if p.Omitted {
			lines[i] += "; give --allow-delete to delete it"
		}
	}
	return cmdutil.Usagef("%s cannot be planned, %s; nothing was sent:\n  %s",
		name, plural(len(lines), "problem"), strings.Join(lines, "\n  "))
}

// inputFlags refuses the flags that do not apply to what the file holds:
// --by, --add-only and --remove-only to a tree file or plan (it makes
// every territory exact), --allow-delete and --territory-limit to a
// membership file or plan (it deletes and creates no territory).
func (pf *planFlags) inputFlags(in *tree.Input, path string) error {
	switch in.Kind {
	case tree.InputTree, tree.InputTreePlan:
		for _, flag := range []string{"by", "add-only", "remove-only"} {
			if pf.fs.Changed(flag) {
				return cmdutil.Usagef("--%s: %s is a %s, which makes each territory's members exactly those it lists; --%s is for a membership file; nothing was sent",
					flag, path, in.Kind, flag)
			}
		}
	case tree.InputMemberships, tree.InputMembershipPlan:
		for _, f := range [][2]string{{"allow-delete", "deletes"}, {"territory-limit", "creates"}} {
			if pf.fs.Changed(f[0]) {
				return cmdutil.Usagef("--%s: %s is a %s, which %s no territory; --%s is for a tree file; nothing was sent", f[0], path, in.Kind, f[1], f[0])
			}
		}
	}
	return nil
}
