package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// planFlags are the flags plan and apply share: how the file is read.
type planFlags struct {
	by                  string
	addOnly, removeOnly bool
}

func (pf *planFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&pf.by, "by", string(zohoterritory.ByTerritory), "what the file makes exact: each territory's users (territory) or each user's territories (user)")
	fl.BoolVar(&pf.addOnly, "add-only", false, "plan the adds only, no removal")
	fl.BoolVar(&pf.removeOnly, "remove-only", false, "plan the removals only, no add")
}

// options are the plan's options as the flags give them; the library
// checks them.
func (pf *planFlags) options() zohoterritory.PlanOptions {
	return zohoterritory.PlanOptions{By: zohoterritory.PlanBy(pf.by), AddOnly: pf.addOnly, RemoveOnly: pf.removeOnly}
}

// planOptionFlags names the flag of each field of PlanOptions.
var planOptionFlags = map[string]string{
	"PlanOptions.By":                     "--by",
	"PlanOptions.AddOnly and RemoveOnly": "--add-only and --remove-only",
}

// planCmdFlags are plan's flags.
type planCmdFlags struct {
	planFlags
	changeFlags
	out      string
	detailed bool
}

func newPlanCmd(a *app) *cobra.Command {
	var f planCmdFlags
	cmd := &cobra.Command{
		Use:   "plan FILE",
		Short: "Show what it would take to make the org's memberships match a file",
		Long: `Read a membership file and the org, and print what it would take to make the
org's memberships match the file: for each territory (or user) the users (or
territories) to add and to remove, with names, what is skipped and why, then
the totals ("Plan: 12 to add, 7 to remove, 3 unchanged, 2 skipped"). Nothing
is changed. --out PLAN saves the plan (the exact changes, and what the org
held for each membership it touches) for "zohoterritory apply PLAN", which
applies it as it was made and refuses it if the org has changed since.
--detailed-exitcode exits 0 when the org matches the file, 2 when the plan
has changes, 1 on an error: a scheduled job can alert when the org drifts
from an approved file.

The memberships are read with one call per territory (or user), side by
side under the concurrency limit changes use, and the org's directory once.

` + membershipFileHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory plan reorg.csv
  zohoterritory plan reorg.csv --by user --out reorg.plan
  zohoterritory plan approved.csv --detailed-exitcode -o json > drift.json || alert`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlan(cmd.Context(), a, &f, args[0])
		},
	}
	fl := cmd.Flags()
	f.planFlags.register(fl)
	fl.StringVar(&f.out, "out", "", "save the plan to PLAN, for apply")
	fl.BoolVar(&f.detailed, "detailed-exitcode", false, "exit 0 when the org matches the file, 2 when the plan has changes, 1 on an error")
	f.changeFlags.register(a, fl)
	fl.Lookup("output").Usage = "output format: table or json (default: table on a terminal, json otherwise)"
	return cmd
}

func runPlan(ctx context.Context, a *app, f *planCmdFlags, path string) error {
	if err := f.check(); err != nil {
		return err
	}
	if f.output.format == "csv" {
		return cmdutil.Usagef("--output \"csv\": plan prints a table or json (apply -o csv writes a row per membership)")
	}
	if err := f.options().Check(); err != nil {
		return optionUsage(err, planOptionFlags)
	}
	saved, rows, err := readPlanOrFile(path)
	switch {
	case err != nil:
		return err
	case saved != nil:
		return cmdutil.Usagef("%s is a saved plan, not a membership file: make it with zohoterritory apply %s", path, shellQuote(path))
	}
	c, err := f.client(a, false, false)
	if err != nil {
		return err
	}
	plan, dir, err := c.PlanRows(ctx, rows, f.options())
	if err != nil {
		return planFailure(err)
	}
	if f.out != "" {
		if err := savePlan(f.out, plan); err != nil {
			return err
		}
		fmt.Fprintf(a.io.Err, "zohoterritory: saved the plan to %s; make it with: zohoterritory apply %s\n", f.out, shellQuote(f.out))
	}
	if err := printPlanned(a.io.Out, f.output.format, plan, dir); err != nil {
		return err
	}
	if f.detailed && plan.HasChanges() {
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New("the org differs from the file: the plan has changes"))
	}
	return nil
}

// readPlanOrFile reads the file at path: a saved plan or the rows of a
// membership file, as the library tells them apart.
func readPlanOrFile(path string) (*zohoterritory.Plan, []zohoterritory.MembershipRow, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	defer fh.Close()
	plan, rows, err := zohoterritory.ReadPlanOrMemberships(fh, path)
	if err != nil {
		return nil, nil, cmdutil.Usagef("%s; nothing was sent", cmdutil.Message(err))
	}
	return plan, rows, nil
}

// planFailure tells why a file could not be planned: every reference that
// names nothing or more than one thing (exit 1), or a read that failed.
func planFailure(err error) error {
	return resolveFailure(err, "reading the org failed, so nothing was planned")
}

// savePlan writes a plan to path, mode 0600 (it holds the org's ids),
// through a temporary file renamed over it.
func savePlan(path string, plan *zohoterritory.Plan) error {
	var buf bytes.Buffer
	if _, err := plan.WriteTo(&buf); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".plan-*")
	if err != nil {
		return cmdutil.Usagef("--out: %s", cmdutil.Message(err))
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		_ = tmp.Close()
		return cmdutil.Usagef("--out: %s", cmdutil.Message(err))
	}
	if err := tmp.Close(); err != nil {
		return cmdutil.Usagef("--out: %s", cmdutil.Message(err))
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return cmdutil.Usagef("--out: %s", cmdutil.Message(err))
	}
	return nil
}
