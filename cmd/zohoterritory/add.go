package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// addKind describes add-users or add-territories.
type addKind struct {
	use, short, long, example string
	op                        zohoterritory.Op
	idsAreUsers               bool
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
	op:          zohoterritory.OpAddUsers,
	idsAreUsers: true,
	ownerFlag:   "territory", ownerShort: "t",
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
	example: `  zohoterritory add-territories --user chloe@acme.com "West Coast" "Europe/Key Accounts"
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
			f.capSet = cmd.Flags().Changed("concurrency-cap")
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
	l := &lookup{}
	owner, err := l.add(refArg{raw: f.owner, where: "--" + k.ownerFlag}, !k.idsAreUsers)
	if err != nil {
		return err
	}
	as, err := readRefArgs(args, a.io)
	if err != nil {
		return err
	}
	items, err := l.addAll(as, k.idsAreUsers)
	if err != nil {
		return err
	}
	c, err := f.conn.client(f.dryRun && !l.needsRead(), a.changeOptions(f.concurrency, f.concCap, !f.dryRun)...)
	if err != nil {
		return err
	}
	if err := l.resolve(ctx, c); err != nil {
		return err
	}
	ch := zohoterritory.Change{Op: k.op, Owner: owner.id(), IDs: refIDs(items), Stop: a.stop}
	if f.dryRun {
		planned, err := c.PlanCalls(ch)
		if err != nil {
			return cmdutil.Usagef("%s", cmdutil.Message(err))
		}
		return printPlan(a.io.Out, f.output.format, planned, []jsonSkipped{}, false)
	}
	var j *journal.File
	if j, err = f.journal.create(a, strings.Fields(k.use)[0], string(k.op), ch.Owner); err != nil {
		return err
	}
	defer closeJournal(j)
	if j != nil {
		ch.Journal = j
	}
	res, err := c.Apply(ctx, ch)
	if res == nil {
		return cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	if a.verbose {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s; %s\n", plural(len(res.Calls), "call"), concurrencyText(c.Concurrency()))
	}
	rep := &report{kind: adding, allRows: f.allRows, calls: res.Calls, journal: journalPath(j),
		changes: []reportChange{{op: k.op, owner: ch.Owner, outs: outcomes(res, readFlags{presentDone: f.ignorePresent})}}}
	rep.users, rep.territories = f.reportNames(ctx, a, c, k.idsAreUsers, l, slices.Clone(ch.IDs), nil, nil)
	if perr := rep.print(a.io.Out, f.output.format); perr != nil {
		return perr
	}
	return changeExit(ctx, a, rep.tally(), res, err, journalPath(j))
}

// moveFlags are the flags of move-users.
type moveFlags struct {
	from, to     string
	dryRun       bool
	ignoreAbsent bool
	changeFlags
	journal journalFlags
}

func newMoveCmd(a *app) *cobra.Command {
	var f moveFlags
	cmd := &cobra.Command{
		Use:   "move-users --from TERRITORY --to TERRITORY [USER ...]",
		Short: "Move users from one territory to another, never leaving one in neither",
		Long: `Move users from one territory to another: add each of them to --to, then
remove from --from only those who are now in it (added, or there already).
A user whose add Zoho refused (the territory is full, the user is deleted)
stays in --from, and the result says why ("kept"); a user whose add has no
answer yet is held back, not removed, until "zohoterritory resume" settles
it. So nobody is ever left in neither territory, whatever fails or is
killed. The whole move is one journal: "zohoterritory restore JOURNAL" puts
every user back where they were (adds them back to --from, then removes
from --to those the move added).

Scopes: ZohoCRM.settings.territories.ALL with ZohoCRM.users.ALL.

` + refsHelp + "\n\n" + journalHelp + "\n\n" + interruptHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory move-users --from "North America" --to "West Coast" chloe@acme.com dev@acme.com
  zohoterritory move-users --from 5725767000000452002 --to "Europe/Key Accounts" --dry-run 5725767000000411003`,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.capSet = cmd.Flags().Changed("concurrency-cap")
			return runMove(cmd.Context(), a, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.from, "from", "", "the territory the users leave, by id, name or path (required)")
	fl.StringVar(&f.to, "to", "", "the territory the users join, by id, name or path (required)")
	fl.BoolVar(&f.dryRun, "dry-run", false, "check the ids and print the calls a move would make (the removals only for users whose add succeeds); change nothing")
	fl.BoolVar(&f.ignoreAbsent, "ignore-absent", false, `count a user who is already not in --from as done ("absent"), as a re-run wants`)
	f.register(a, fl)
	f.journal.register(fl)
	return cmd
}

func runMove(ctx context.Context, a *app, f *moveFlags, args []string) error {
	switch {
	case f.from == "":
		return cmdutil.Usagef("--from is required")
	case f.to == "":
		return cmdutil.Usagef("--to is required")
	}
	if err := f.check(); err != nil {
		return err
	}
	if err := f.journal.check(); err != nil {
		return err
	}
	l := &lookup{}
	from, err := l.add(refArg{raw: f.from, where: "--from"}, false)
	if err != nil {
		return err
	}
	to, err := l.add(refArg{raw: f.to, where: "--to"}, false)
	if err != nil {
		return err
	}
	as, err := readRefArgs(args, a.io)
	if err != nil {
		return err
	}
	users, err := l.addAll(as, true)
	if err != nil {
		return err
	}
	c, err := f.conn.client(f.dryRun && !l.needsRead(), a.changeOptions(f.concurrency, f.concCap, !f.dryRun)...)
	if err != nil {
		return err
	}
	if err := l.resolve(ctx, c); err != nil {
		return err
	}
	set, err := zohoterritory.Move(from.id(), to.id(), refIDs(users)...)
	if err != nil {
		return cmdutil.Usagef("--from %q and --to %q: %s", f.from, f.to, cmdutil.Message(err))
	}
	if f.dryRun {
		planned, err := c.PlanSet(set)
		if err != nil {
			return cmdutil.Usagef("%s", cmdutil.Message(err))
		}
		return printPlan(a.io.Out, f.output.format, planned, []jsonSkipped{}, false)
	}
	set.Stop = a.stop
	j, err := f.journal.create(a, "move-users", "move-users", to.id())
	if err != nil {
		return err
	}
	defer closeJournal(j)
	if j != nil {
		set.Journal = j
	}
	return applySet(ctx, a, &f.changeFlags, c, set, readFlags{presentDone: true, ignoreAbsent: f.ignoreAbsent}, journalPath(j), l)
}
