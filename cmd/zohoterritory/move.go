package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

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
  zohoterritory move-users --from 5725767000000452002 --to "Key Accounts Europe" --dry-run 5725767000000411003`,
		RunE: func(cmd *cobra.Command, args []string) error {
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
	users, err := readRefArgs(args, a.io, zohoterritory.KindUser)
	if err != nil {
		return err
	}
	refs := append([]zohoterritory.Reference{zohoterritory.TerritoryReference(f.from, "--from"), zohoterritory.TerritoryReference(f.to, "--to")}, users...)
	c, err := f.client(a, f.dryRun && zohoterritory.QueryFor(refs).IsZero(), !f.dryRun)
	if err != nil {
		return err
	}
	res, err := resolve(ctx, c, refs, zohoterritory.DirectoryQuery{})
	if err != nil {
		return err
	}
	from, to := res.IDs[0], res.IDs[1]
	set, err := zohoterritory.Move(from, to, res.IDs[2:]...)
	if err != nil {
		return cmdutil.Usagef("--from %q and --to %q: %s", f.from, f.to, cmdutil.Message(err))
	}
	if f.dryRun {
		planned, err := c.PlanSet(set)
		if err != nil {
			return cmdutil.Usagef("%s", cmdutil.Message(err))
		}
		return printCalls(a.io.Out, f.output.format, planned, nil, false)
	}
	j, err := f.journal.create(a, "move-users", "move-users", to)
	if err != nil {
		return err
	}
	defer closeJournal(j)
	return f.applySet(ctx, a, c, set, j, zohoterritory.CountOptions{PresentIsDone: true, AbsentIsDone: f.ignoreAbsent}, res.Directory)
}
