package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

func newRestoreCmd(a *app) *cobra.Command {
	var f changeFlags
	var dryRun bool
	var jf journalFlags
	cmd := &cobra.Command{
		Use:   "restore JOURNAL [--dry-run]",
		Short: "Undo a run from its journal: its memberships, and of a tree file its territories",
		Long: `Undo a run (a removal, an add, a move, an apply) from its journal: add back
every membership it shows removed, and remove every membership it shows
added. Adds back are made with Zoho's associate operations, in batches of
at most 100: the ids removed by Zoho's word and those inferred, and the ids
the run sent without a recorded answer (it may have removed them; adding a
member again changes nothing). Removals take back only what the run added:
not what was there already, nor what an unanswered add may have made (it
may have been there before: resume the run first to settle those). Adds
back go first, and a user loses what the run gave them only once what it
took is back. "Already present" and "already not a member" count as
restored. Ids the run never changed are left alone. --dry-run prints the
calls and sends nothing. The journal restored is held while the restore
runs: a resume of it meanwhile is refused.

The run of a tree file is undone as a plan of its own, made against the org
as it is now and applied as apply applies one: the territories it created
are deleted (their members first), every field it changed (names, parents,
managers, permissions, descriptions, rules) is put back, the territories it
deleted are created again with their name, parent, manager, permission,
description, rules and members, the memberships it removed are added back
and those it added removed; what the org holds already as it was is left
alone. Zoho gives a territory created again a new id: restore prints the
map of old ids to new ones. Records that were assigned to a deleted
territory are not assigned to it again. Before it sends anything, restore
says on stderr what each territory it deletes takes away, as apply --yes
does. --dry-run prints the plan, as "plan" prints one, and sends nothing.

The restore is a run of its own, with its own journal (see "zohoterritory
resume"). The API domain and version are the journal's, unless
--api-domain or --api-version (or their variables) say otherwise.

Scopes: users to a territory: ZohoCRM.settings.territories.ALL with
ZohoCRM.users.ALL; territories to a user: ZohoCRM.users.ALL or .UPDATE, with
ZohoCRM.settings.territories.ALL or .UPDATE; a tree run:
ZohoCRM.settings.territories.ALL with ZohoCRM.users.ALL (it reads the whole
org, and changes territories and memberships).

` + journalHelp + `

` + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory restore --dry-run ~/.local/state/zohoterritory/20261202T093000123Z-remove-users-5725767000000452002.jsonl
  zohoterritory restore -o json 20261202T093000123Z-remove-users-5725767000000452002.jsonl`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			if err := jf.check(); err != nil {
				return err
			}
			return runRestore(cmd.Context(), a, &f, &jf, dryRun, args[0])
		},
	}
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the calls a restore would make (of a tree run, its plan); send nothing")
	jf.register(cmd.Flags())
	f.register(a, cmd.Flags())
	return cmd
}

func runRestore(ctx context.Context, a *app, f *changeFlags, jf *journalFlags, dryRun bool, path string) error {
	// The run restored is held for as long as the restore runs: a resume
	// of it (or a second restore) waits for no one, it is refused.
	held, run, err := journal.Hold(path)
	if err != nil {
		return cmdutil.Usagef("%s; nothing was sent", cmdutil.Message(err))
	}
	defer func() { _ = held.Close() }()
	f.aim(run)
	if run.Tree != nil {
		return runTreeRestore(ctx, a, f, jf, dryRun, run)
	}
	undo, doubtful, ok := run.Undo()
	if !ok {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: the run changed nothing; nothing to restore\n", path)
		first := run.Changes[0]
		rep := &report{changes: []reportChange{{res: &zohoterritory.Result{Op: first.Op.Undo()}, owner: first.Owner}}}
		return rep.print(a.io.Out, f.output.format)
	}
	if !run.Complete() {
		c := run.Counts()
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: the run is unfinished (%d ids without a final outcome, %d of them perhaps done); restoring what it did and may have removed\n",
			path, c.Pending, c.Maybe)
	}
	if len(doubtful) > 0 {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: %s may have been added by the run, or been members before it; they are left alone (resume the run first to settle them)\n",
			path, plural(len(doubtful), "id"))
	}
	c, err := f.client(a, dryRun, !dryRun)
	if err != nil {
		return err
	}
	if dryRun {
		planned, err := c.PlanSet(undo)
		if err != nil {
			return cmdutil.Usagef("%s", cmdutil.Message(err))
		}
		return printCalls(a.io.Out, f.output.format, planned, nil, false)
	}
	j, err := jf.create(a, "restore", string(undo.Changes[0].Op), undo.Changes[0].Owner)
	if err != nil {
		return err
	}
	defer closeJournal(j)
	return f.applySet(ctx, a, c, undo, j, zohoterritory.CountOptions{PresentIsDone: true, AbsentIsDone: true}, nil)
}
