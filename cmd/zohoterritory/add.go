package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// addKind describes add-users or add-territories.
type addKind struct {
	use, short, long, example string
	op                        zohoterritory.Op
	ownerFlag, ownerShort     string
	ownerHelp                 string
}

var addUsers = addKind{
	use:   "add-users --territory TERRITORY [USER ...]",
	short: "Add users to a territory",
	long: `Add users to a territory, 100 a call. A user who is a member already comes
back "already_present" (Zoho's DUPLICATE_DATA, or ALREADY_EXISTS on its v8
pages), which counts as not done unless --ignore-present; a territory
holding as many users as Zoho allows refuses the rest ("limit_exceeded").
"zohoterritory restore JOURNAL" removes again the users the add added (not
those that were members already).

Scopes: ZohoCRM.settings.territories.ALL with ZohoCRM.users.ALL.`,
	example: `  zohoterritory add-users --territory "West Coast" chloe@acme.com dev@acme.com
  cut -d, -f1 reps.csv | zohoterritory add-users -t "North America/Key Accounts" -o csv > added.csv`,
	op:        zohoterritory.OpAddUsers,
	ownerFlag: "territory", ownerShort: "t",
	ownerHelp: "the territory to add the users to, by id, name or path (required)",
}

var addTerritories = addKind{
	use:   "add-territories --user USER [TERRITORY ...]",
	short: "Add territories to a user",
	long: `Add territories to a user, 100 a call. A territory the user has already
comes back "already_present", which counts as not done unless
--ignore-present. Zoho refuses to change the territories of the user behind
the token (NOT_ALLOWED). "zohoterritory restore JOURNAL" removes again the
territories the add added.

Scopes: ZohoCRM.users.ALL or .UPDATE, with ZohoCRM.settings.territories.ALL
or .UPDATE.`,
	example: `  zohoterritory add-territories --user chloe@acme.com "West Coast" "Key Accounts Europe"
  zohoterritory add-territories -u 5725767000000411003 5725767000000452004 --dry-run`,
	op:        zohoterritory.OpAddTerritories,
	ownerFlag: "user", ownerShort: "u",
	ownerHelp: "the user to add the territories to, by id or e-mail address (required)",
}

// addFlags are the flags of one run of an add command.
type addFlags struct {
	owner         string
	dryRun        bool
	ignorePresent bool
	changeFlags
	journal journalFlags
}

func newAddCmd(a *app, k addKind) *cobra.Command {
	var f addFlags
	cmd := &cobra.Command{
		Use:     k.use,
		Short:   k.short,
		Long:    k.long + "\n\n" + refsHelp + "\n\n" + journalHelp + "\n\n" + interruptHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: k.example,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAdd(cmd.Context(), a, k, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.owner, k.ownerFlag, k.ownerShort, "", k.ownerHelp)
	fl.BoolVar(&f.dryRun, "dry-run", false, "check the ids and print the calls an add would make; add nothing")
	fl.BoolVar(&f.ignorePresent, "ignore-present", false, `count a membership that is there already as done ("already_present"), as a re-run wants`)
	f.register(a, fl)
	f.journal.register(fl)
	return cmd
}

func runAdd(ctx context.Context, a *app, k addKind, f *addFlags, args []string) error {
	if f.owner == "" {
		return cmdutil.Usagef("--%s is required", k.ownerFlag)
	}
	if err := f.check(); err != nil {
		return err
	}
	if err := f.journal.check(); err != nil {
		return err
	}
	idKind, ownerKind := k.op.Kinds()
	items, err := readRefArgs(args, a.io, idKind)
	if err != nil {
		return err
	}
	refs := append([]zohoterritory.Reference{{Kind: ownerKind, Raw: f.owner, Where: "--" + k.ownerFlag}}, items...)
	c, err := f.client(a, f.dryRun && zohoterritory.QueryFor(refs).IsZero(), !f.dryRun)
	if err != nil {
		return err
	}
	res, err := resolve(ctx, c, refs, zohoterritory.DirectoryQuery{})
	if err != nil {
		return err
	}
	ch := zohoterritory.Change{Op: k.op, Owner: res.IDs[0], IDs: res.IDs[1:]}
	if f.dryRun {
		planned, err := c.PlanCalls(ch)
		if err != nil {
			return cmdutil.Usagef("%s", cmdutil.Message(err))
		}
		return printCalls(a.io.Out, f.output.format, planned, nil, false)
	}
	return f.applyChange(ctx, a, c, &f.journal, ch, changeRun{command: strings.Fields(k.use)[0],
		count: zohoterritory.CountOptions{PresentIsDone: f.ignorePresent}, known: res.Directory})
}
