package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// planFlags are the flags plan and apply share: how the file is read.
type planFlags struct {
	by                  string
	addOnly, removeOnly bool
	allowDelete         bool
	territoryLimit      int
	fs                  *pflag.FlagSet
	getenv              func(string) string
}

// territoryLimitEnv gives --territory-limit its default.
const territoryLimitEnv = "ZOHO_TERRITORY_LIMIT"

func (pf *planFlags) register(a *app, fl *pflag.FlagSet) {
	pf.fs, pf.getenv = fl, a.getenv
	fl.StringVar(&pf.by, "by", string(zohoterritory.ByTerritory), "a membership file: what it makes exact: each territory's users (territory) or each user's territories (user)")
	fl.BoolVar(&pf.addOnly, "add-only", false, "a membership file: plan the adds only, no removal")
	fl.BoolVar(&pf.removeOnly, "remove-only", false, "a membership file: plan the removals only, no add")
	fl.BoolVar(&pf.allowDelete, "allow-delete", false, "a tree file: delete the org's territories it leaves out (without it, each is refused)")
	fl.IntVar(&pf.territoryLimit, "territory-limit", 0, fmt.Sprintf("a tree file: the most territories the org holds, which Zoho's API does not tell (0: the %d Zoho documents) [%s]",
		tree.DefaultTerritoryLimit, territoryLimitEnv))
}

// treeRules are Zoho's rules a tree file's plan keeps: the org's
// territory limit as --territory-limit, or ZOHO_TERRITORY_LIMIT, gives it.
// The library checks them; a refusal names the flag or the variable.
func (pf *planFlags) treeRules() (tree.Rules, error) {
	name := "--territory-limit"
	if v := strings.TrimSpace(pf.getenv(territoryLimitEnv)); v != "" && !pf.fs.Changed("territory-limit") {
		n, err := strconv.Atoi(v)
		if err != nil {
			return tree.Rules{}, cmdutil.Usagef("%s %q: want a whole number of territories", territoryLimitEnv, v)
		}
		pf.territoryLimit, name = n, territoryLimitEnv
	}
	rules := tree.Rules{TerritoryLimit: pf.territoryLimit}
	if err := rules.Check(); err != nil {
		return rules, optionUsage(err, map[string]string{"Rules.TerritoryLimit": name})
	}
	return rules, nil
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
		Use:   "plan TREE.yaml|FILE.csv",
		Short: "Show what it would take to make the org match a tree file, or its memberships a file",
		Long: `Read a file and the org, and print what it would take to make the org match
the file. Nothing is changed. The file is told by what it holds: a tree file
(YAML, from "zohoterritory export"), or a membership file (CSV).

Of a tree file, the plan shows, as Terraform does, each territory to create
(+), to update (~: each field old → new, a move as its parent's change) or
whose members change, and to delete (-: with what that takes away, its
members, its children, and the territory from the records assigned to it,
which are not assigned to it again by a restore); the memberships left
alone and why; then the totals ("Plan: 2 to create, 3 to update, 1 to
delete; 14 memberships to add, 6 to remove"). Nothing is deleted because
the file leaves it out: a territory the org has and the file does not is
deleted only with --allow-delete, and without it is named with what it
would take away (exit 1). Every problem of the file is named with its line,
all at once, and nothing is planned (exit 1): a name repeated or over 50
characters, an id twice or no longer the org's, an unknown or inactive
manager, an unknown user, a new territory without permission, a second root
or a change of the root other than its name, a description over 250
characters, more territories than the org holds (Zoho's API does not tell
that number: --territory-limit or ZOHO_TERRITORY_LIMIT states it, and
without them a plan assumes the 250 Zoho documents).

Of a membership file: for each territory (or user) the users (or
territories) to add and to remove, with names, what is skipped and why, then
the totals ("Plan: 12 to add, 7 to remove, 3 unchanged, 2 skipped").

--out PLAN saves the plan (the exact changes, and what the org held for
everything it touches) for "zohoterritory apply PLAN", which applies it as
it was made and refuses it if the org has changed since. -o json prints the
plan as data. --detailed-exitcode exits 0 when the org matches the file, 2
when the plan has changes, 1 on an error: a check in review (a pull
request's) or a scheduled job can tell the org from the approved file.

A tree file's plan reads the whole org, as export does; a membership file's
the memberships with one call per territory (or user), side by side under
the concurrency limit changes use, and the org's directory once.

Scopes: ZohoCRM.settings.territories.READ and ZohoCRM.users.READ (or their
.ALL): a plan only reads.

` + treeFileHelp + "\n\n" + membershipFileHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory plan tree.yaml
  zohoterritory plan tree.yaml --allow-delete --out tree.plan
  zohoterritory plan tree.yaml --detailed-exitcode -o json > plan.json
  zohoterritory plan reorg.csv --by user --out reorg.plan
  zohoterritory plan approved.csv --detailed-exitcode -o json > drift.json || alert`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlan(cmd.Context(), a, &f, args[0])
		},
	}
	fl := cmd.Flags()
	f.planFlags.register(a, fl)
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
	in, err := readInput(path)
	if err != nil {
		return err
	}
	if err := f.inputFlags(in, path); err != nil {
		return err
	}
	if f.out != "" {
		if err := checkOutFile("--out", f.out, true); err != nil {
			return err
		}
	}
	switch in.Kind {
	case tree.InputTree:
		return runTreePlan(ctx, a, f, in.File, path)
	case tree.InputTreePlan, tree.InputMembershipPlan:
		return cmdutil.Usagef("%s is a %s, not a file to plan: make it with zohoterritory apply %s", path, in.Kind, shellQuote(path))
	}
	c, err := f.client(a, false, false)
	if err != nil {
		return err
	}
	plan, dir, err := c.PlanRows(ctx, in.Memberships, f.options())
	if err != nil {
		return planFailure(err)
	}
	if f.out != "" {
		if err := savePlan(a, f.out, plan); err != nil {
			return err
		}
	}
	if err := printPlanned(a.io.Out, f.output.format, plan, dir); err != nil {
		return err
	}
	if f.detailed && plan.HasChanges() {
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New("the org differs from the file: the plan has changes"))
	}
	return nil
}

// readInput reads the file at path as what it holds, as the library
// tells: a tree file, a saved tree plan, a saved membership plan or a
// membership file.
func readInput(path string) (*tree.Input, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	defer fh.Close()
	in, err := tree.ReadInput(fh, path)
	var pe *tree.ProblemsError
	switch {
	case errors.As(err, &pe):
		return nil, treeProblems(err, path)
	case err != nil:
		return nil, cmdutil.Usagef("%s; nothing was sent", cmdutil.Message(err))
	}
	return in, nil
}

// planFailure tells why a file could not be planned: every reference that
// names nothing or more than one thing (exit 1), or a read that failed.
func planFailure(err error) error {
	return resolveFailure(err, "reading the org failed, so nothing was planned")
}

// savePlan writes a plan to path, mode 0600 (it holds the org's ids),
// over what path held, as terraform plan -out does, and says on stderr
// how to make it.
func savePlan(a *app, path string, plan io.WriterTo) error {
	err := writeFile("--out", path, true, func(w io.Writer) error {
		_, err := plan.WriteTo(w)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "zohoterritory: saved the plan to %s; make it with: zohoterritory apply %s\n", path, shellQuote(path))
	return nil
}
