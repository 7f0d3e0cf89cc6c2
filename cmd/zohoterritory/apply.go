package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// applyFlags are apply's flags.
type applyFlags struct {
	planFlags
	yes bool
	changeFlags
	journal journalFlags
}

func newApplyCmd(a *app) *cobra.Command {
	var f applyFlags
	cmd := &cobra.Command{
		Use:   "apply TREE.yaml|FILE.csv|PLAN",
		Short: "Make the org match a tree file, its memberships a membership file, or a saved plan",
		Long: `Make the org match a tree file, or its memberships a membership file (each
planned as "zohoterritory plan" does), or make a plan saved with "plan
--out". Every change goes into one journal: "zohoterritory resume" finishes
an apply that was killed, "zohoterritory restore" undoes a whole apply.

A tree file's plan is made in the order Zoho accepts at every step: a name
another territory takes is first moved aside to a temporary name; creates,
parents first; updates and moves (renames, parents, managers, permissions,
descriptions, rules), the shallowest first; member adds, then removals;
deletes, leaves first (children kept elsewhere moved away first, forecasts
kept). A step of territories of which any failed or whose answer was lost
stops the run before the next, and so does a membership left unsettled (an
answer lost, 429s past the retries) before the deletes, which would take
its user's old territory before the new one is given; the output (a table, or -o json) has a row
per territory and per membership, with each created territory's id. Restore deletes what the run
created, puts back every field it changed, and creates again what it
deleted (Zoho gives it a new id; restore prints the map), but records that
were assigned to a deleted territory are not assigned to it again.

Of a membership file, every add goes before every removal, and a user's
membership is removed only once every add of that user in the plan is done:
nobody is left without a territory they are meant to keep. Restore removes
what the apply added and adds back what it removed.

A saved plan is applied as it was made: a flag that would change it
(--allow-delete, --territory-limit, --by, --add-only, --remove-only) is
refused beside one (plan again to change it), and so is an API domain or
version other than the one it was made against. A saved plan is refused
when anything it touches (a territory's fields, a name it gives, a
membership) changed in the org since it was made, naming what changed, and
nothing is sent. On a terminal, apply shows the plan as "plan" prints it
(the first 50 lines of a long one, and how to see every one) and asks
before sending anything (type yes); without a terminal it needs --yes. With --yes, a tree plan that
deletes territories is not shown, but apply still says on stderr, before it
sends anything, what each delete takes away and that the records assigned
to it lose it for good.

Scopes: a membership file: ZohoCRM.settings.territories.ALL and
ZohoCRM.users.ALL. A tree file: ZohoCRM.settings.territories.READ,
.CREATE, .UPDATE and .DELETE (or .ALL) and ZohoCRM.users.READ; with
membership changes, ZohoCRM.settings.territories.ALL and ZohoCRM.users.ALL.

` + treeFileHelp + "\n\n" + membershipFileHelp + "\n\n" + journalHelp + "\n\n" + interruptHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory apply tree.yaml --allow-delete
  zohoterritory plan tree.yaml --out tree.plan && zohoterritory apply tree.plan --yes -o json > applied.json
  zohoterritory apply reorg.csv
  zohoterritory plan reorg.csv --out reorg.plan && zohoterritory apply reorg.plan
  zohoterritory apply reorg.plan --yes -o csv > applied.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runApply(cmd.Context(), a, &f, args[0])
		},
	}
	fl := cmd.Flags()
	f.planFlags.register(a, fl)
	fl.BoolVar(&f.yes, "yes", false, "apply without asking (what a job without a terminal must give)")
	f.changeFlags.register(a, fl)
	f.journal.register(fl)
	return cmd
}

func runApply(ctx context.Context, a *app, f *applyFlags, path string) error {
	if err := f.check(); err != nil {
		return err
	}
	in, err := readInput(path)
	if err != nil {
		return err
	}
	if err := f.inputFlags(in, path); err != nil {
		return err
	}
	if in.Kind == tree.InputTree || in.Kind == tree.InputTreePlan {
		return runTreeApply(ctx, a, f, in, path)
	}
	saved, rows := in.MembershipPlan, in.Memberships
	if saved != nil {
		if err := f.asSaved(path, planMade(saved), saved.APIDomain, saved.APIVersion, "by", "add-only", "remove-only"); err != nil {
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
	plan, dir := saved, (*zohoterritory.Directory)(nil)
	if saved != nil {
		err = checkStale(ctx, c, saved, path)
	} else if plan, dir, err = c.PlanRows(ctx, rows, f.options()); err != nil {
		err = planFailure(err)
	}
	if err != nil {
		return err
	}
	if !plan.HasChanges() {
		fmt.Fprintf(a.io.Err, "zohoterritory: no changes: the org's memberships match %s (%s)\n", path, plan.Totals())
		return nil
	}
	if !f.yes {
		if dir, err = confirmPlan(ctx, a, c, plan, dir, path, saved != nil); err != nil {
			return err
		}
	}
	j, err := f.journal.create(a, "apply", "apply", plan.Groups[0].Owner)
	if err != nil {
		return err
	}
	defer closeJournal(j)
	return f.applySet(ctx, a, c, plan.ChangeSet(), j, zohoterritory.CountOptions{PresentIsDone: true, AbsentIsDone: true}, dir)
}

// check checks the flags once parsed, the plan's options by the library.
func (f *applyFlags) check() error {
	if err := f.changeFlags.check(); err != nil {
		return err
	}
	if err := f.journal.check(); err != nil {
		return err
	}
	if err := f.options().Check(); err != nil {
		return optionUsage(err, planOptionFlags)
	}
	return nil
}

// asSaved refuses a flag that would change a saved plan (as Terraform
// refuses a variable beside a saved plan), and an API domain or version
// other than the one the plan was made against; it points the connection
// where the plan was made (apiDomain, apiVersion), unless a flag or
// variable names the same. made says how the plan was made, flags are
// those that would change it.
func (f *applyFlags) asSaved(path, made, apiDomain, apiVersion string, flags ...string) error {
	for _, flag := range flags {
		if f.conn.fs.Changed(flag) {
			return cmdutil.Usagef("--%s: %s is a saved plan, applied as it was made (%s); to change it, plan again with --%s; nothing was sent",
				flag, path, made, flag)
		}
	}
	cf := &f.conn
	switch domain := strings.TrimSuffix(apiDomain, "/"); {
	case domain == "":
	case !cf.given("api-domain"):
		cf.apiDomain = domain
	case strings.TrimSuffix(cf.apiDomain, "/") != domain:
		return cmdutil.Usagef("%s %q: %s was made against %s, where a saved plan is applied; plan again against %s; nothing was sent",
			cf.name("api-domain"), cf.apiDomain, path, domain, cf.apiDomain)
	}
	switch {
	case apiVersion == "":
	case !cf.given("api-version"):
		cf.apiVersion = apiVersion
	case cf.apiVersion != apiVersion:
		return cmdutil.Usagef("%s %q: %s was made against API %s, where a saved plan is applied; plan again against %s; nothing was sent",
			cf.name("api-version"), cf.apiVersion, path, apiVersion, cf.apiVersion)
	}
	return nil
}

// planMade says how a plan was made: "by territory", "by user, adds
// only".
func planMade(plan *zohoterritory.Plan) string {
	s := "by " + string(plan.By)
	switch {
	case plan.AddOnly:
		s += ", adds only"
	case plan.RemoveOnly:
		s += ", removals only"
	}
	return s
}

// checkStale refuses a saved plan whose memberships changed in the org
// since it was made.
func checkStale(ctx context.Context, c *zohoterritory.Client, plan *zohoterritory.Plan, path string) error {
	drifts, err := c.CheckPlan(ctx, plan)
	if err != nil {
		code, msg := failure(err)
		return cmdutil.Exit(code, fmt.Errorf("reading the memberships the plan touches failed, so nothing was sent: %s", msg))
	}
	if len(drifts) == 0 {
		return nil
	}
	return stale(path, plural(len(drifts), "membership")+" the plan touches changed", drifts)
}

// stale is the refusal of a saved plan at path whose org changed since it
// was made (what changed: "2 memberships the plan touches changed"),
// naming the first drifts.
func stale[D fmt.Stringer](path, what string, drifts []D) error {
	return cmdutil.Usagef("%s is stale: %s since it was made: %s; plan again; nothing was sent", path, what, foldList(strs(drifts), "; "))
}

// confirmPlan shows the plan on stderr as plan prints it (the first lines
// of a long one, and where every one is), and asks on the terminal. A
// saved plan's names are read for it. It returns the directory the names
// came from, for the report.
func confirmPlan(ctx context.Context, a *app, c *zohoterritory.Client, plan *zohoterritory.Plan, dir *zohoterritory.Directory, path string, saved bool) (*zohoterritory.Directory, error) {
	if saved {
		users, territories := plan.IDs()
		var err error
		if dir, err = c.ReadNames(ctx, nil, users, territories); err != nil {
			_, msg := failure(err)
			fmt.Fprintf(a.io.Err, "zohoterritory: names not shown: reading them failed: %s\n", msg)
		}
	}
	shown, total, err := planTable(a.io.Err, plan, dir, maxTableRows)
	if err != nil {
		return nil, err
	}
	return dir, confirmShown(ctx, a, shown, total, path, saved, plan.Totals())
}
