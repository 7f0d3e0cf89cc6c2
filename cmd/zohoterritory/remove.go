package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// removeKind describes remove-users or remove-territories.
type removeKind struct {
	use, short, long, example string
	op                        zohoterritory.Op
	ownerFlag, ownerShort     string // "territory", "t"
	ownerHelp, allHelp        string
	plan                      func(c *zohoterritory.Client, owner string, ids ...string) ([]zohoterritory.PlannedCall, error)
	planAll                   func(c *zohoterritory.Client, ctx context.Context, owner string, except ...string) (*zohoterritory.RemovalPlan, error)
}

var removeUsers = removeKind{
	use:   "remove-users --territory TERRITORY [USER ...]",
	short: "Remove users from a territory",
	long: `Remove users from a territory. With --all, list the territory's users first
and remove all of them but its manager, whom Zoho refuses to remove (one
more GET finds the manager), and the ids given with --except.

Scopes: ZohoCRM.settings.territories.ALL, or ZohoCRM.settings.territories.DELETE
with ZohoCRM.users.ALL; --all also reads, with ZohoCRM.users.READ or .ALL.`,
	example: `  zohoterritory remove-users --territory "West Coast" chloe@acme.com dev@acme.com
  zohoterritory remove-users -t "North America/Key Accounts" 5725767000000411003
  cut -d, -f1 users.csv | zohoterritory remove-users -t 5725767000000452002 -o json
  zohoterritory remove-users -t "North America" --all --except chloe@acme.com --dry-run`,
	op:        zohoterritory.OpRemoveUsers,
	ownerFlag: "territory", ownerShort: "t",
	ownerHelp: "the territory to remove the users from, by id, name or path (required)",
	allHelp:   "remove every user of the territory but its manager (lists them first)",
	plan:      (*zohoterritory.Client).PlanRemoveUsersFromTerritory,
	planAll:   (*zohoterritory.Client).PlanEmptyTerritory,
}

var removeTerritories = removeKind{
	use:   "remove-territories --user USER [TERRITORY ...]",
	short: "Remove territories from a user",
	long: `Remove territories from a user: offboarding. With --all, list the user's
territories first and remove all of them but those Zoho refuses to remove:
the organization's default territory (the root of the hierarchy) and the
territories the user manages; and the ids given with --except.

Scopes: ZohoCRM.users.ALL or .DELETE, with ZohoCRM.settings.territories.ALL or
.DELETE; --all also reads, with any of ZohoCRM.users.READ/.ALL or
ZohoCRM.settings.territories.READ/.ALL.`,
	example: `  zohoterritory remove-territories --user chloe@acme.com Europe "West Coast"
  zohoterritory remove-territories --user 5725767000000411004 5725767000000452003
  zohoterritory remove-territories -u 5725767000000411004 --all
  zohoterritory remove-territories -u 5725767000000411004 --all --dry-run -o json`,
	op:        zohoterritory.OpRemoveTerritories,
	ownerFlag: "user", ownerShort: "u",
	ownerHelp: "the user to remove the territories from, by id or e-mail address (required)",
	allHelp:   "remove every territory of the user but the default one and those the user manages (lists them first)",
	plan:      (*zohoterritory.Client).PlanRemoveTerritoriesFromUser,
	planAll:   (*zohoterritory.Client).PlanOffboardUser,
}

// removeFlags are the flags of one run of a removal command.
type removeFlags struct {
	owner        string
	all          bool
	except       refList
	dryRun       bool
	ignoreAbsent bool
	changeFlags
	journal journalFlags
}

func newRemoveCmd(a *app, k removeKind) *cobra.Command {
	var f removeFlags
	cmd := &cobra.Command{
		Use:     k.use,
		Short:   k.short,
		Long:    k.long + "\n\n" + refsHelp + "\n\n" + journalHelp + "\n\n" + interruptHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: k.example,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), a, k, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.owner, k.ownerFlag, k.ownerShort, "", k.ownerHelp)
	fl.BoolVar(&f.all, "all", false, k.allHelp)
	fl.Var(&f.except, "except", "with --all: a user or territory to leave alone, as the ids are given (repeatable, or comma-separated)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "check the ids and print the calls a removal would make; remove nothing (with --all the listing is read)")
	fl.BoolVar(&f.ignoreAbsent, "ignore-absent", false, `count an id that is already not a member as done ("absent"), as a re-run wants`)
	f.register(a, fl)
	f.journal.register(fl)
	return cmd
}

func runRemove(ctx context.Context, a *app, k removeKind, f *removeFlags, args []string) error {
	if err := f.check(k, args); err != nil {
		return err
	}
	idKind, ownerKind := k.op.Kinds()
	refs := []zohoterritory.Reference{{Kind: ownerKind, Raw: f.owner, Where: "--" + k.ownerFlag}}
	if !f.all {
		items, err := readRefArgs(args, a.io, idKind)
		if err != nil {
			return err
		}
		refs = append(refs, items...)
	}
	refs = append(refs, flagRefs(f.except, "except", idKind)...)
	// A dry run of ids alone sends nothing, so it needs no credentials.
	c, err := f.client(a, f.dryRun && !f.all && zohoterritory.QueryFor(refs).IsZero(), !f.dryRun)
	if err != nil {
		return err
	}
	res, err := resolve(ctx, c, refs, zohoterritory.DirectoryQuery{})
	if err != nil {
		return err
	}
	owner, ids := res.IDs[0], res.IDs[1:]
	run := changeRun{command: k.name(), count: zohoterritory.CountOptions{AbsentIsDone: f.ignoreAbsent}, known: res.Directory}
	var planned []zohoterritory.PlannedCall
	if f.all {
		plan, err := k.planAll(c, ctx, owner, ids...) // the ids are those of --except
		if err != nil {
			code, msg := failure(err)
			return cmdutil.Exit(code, fmt.Errorf("%s --all: nothing was removed: the listing failed: %s", k.name(), msg))
		}
		ids, planned, run.skipped = plan.IDs, plan.Calls, plan.Skipped
		run.known = run.known.With(plan.Users, plan.Territories)
		for _, id := range plan.Unlisted {
			fmt.Fprintf(a.io.Err, "zohoterritory: --except %s: not among the listed ids; ignored\n", id)
		}
	}
	if f.dryRun {
		if !f.all {
			if planned, err = k.plan(c, owner, ids...); err != nil {
				return cmdutil.Usagef("%s", cmdutil.Message(err))
			}
		}
		return printCalls(a.io.Out, f.output.format, planned, run.skipped, f.all)
	}
	return f.applyChange(ctx, a, c, &f.journal, zohoterritory.Change{Op: k.op, Owner: owner, IDs: ids}, run)
}

// check checks the flags once parsed.
func (f *removeFlags) check(k removeKind, args []string) error {
	switch {
	case f.owner == "":
		return cmdutil.Usagef("--%s is required", k.ownerFlag)
	case f.all && len(args) > 0:
		return cmdutil.Usagef("--all lists the ids itself: give either --all or ids, not both")
	case !f.all && len(f.except) > 0:
		return cmdutil.Usagef("--except needs --all")
	}
	if err := f.changeFlags.check(); err != nil {
		return err
	}
	return f.journal.check()
}

// name is the command's name: "remove-users".
func (k removeKind) name() string { return strings.Fields(k.use)[0] }
