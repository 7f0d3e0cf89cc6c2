package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// removeKind describes remove-users or remove-territories.
type removeKind struct {
	use, short, long, example string
	op                        zohoterritory.Op
	// idsAreUsers says the ids are users and the owner a territory
	// (remove-users); else the other way round.
	idsAreUsers           bool
	ownerFlag, ownerShort string // "territory", "t"
	ownerHelp, allHelp    string
	plan                  func(c *zohoterritory.Client, owner string, ids ...string) ([]zohoterritory.PlannedCall, error)
	planAll               func(c *zohoterritory.Client, ctx context.Context, owner string, except ...string) (*zohoterritory.RemovalPlan, error)
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
	op:          zohoterritory.OpRemoveUsers,
	idsAreUsers: true,
	ownerFlag:   "territory", ownerShort: "t",
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

const interruptHelp = `Ctrl-C stops sending new calls and waits for those in flight, then prints
the result as usual, with one line on stderr saying what is left and the
resume command that finishes the run; a second Ctrl-C stops at once.
Running the same command again is safe too: ids removed already come back
"not_member" (with --ignore-absent: "absent", and done).`

func newRemoveCmd(a *app, k removeKind) *cobra.Command {
	var f removeFlags
	cmd := &cobra.Command{
		Use:     k.use,
		Short:   k.short,
		Long:    k.long + "\n\n" + refsHelp + "\n\n" + journalHelp + "\n\n" + interruptHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: k.example,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.capSet = cmd.Flags().Changed("concurrency-cap")
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
	switch {
	case f.owner == "":
		return cmdutil.Usagef("--%s is required", k.ownerFlag)
	case f.all && len(args) > 0:
		return cmdutil.Usagef("--all lists the ids itself: give either --all or ids, not both")
	case !f.all && len(f.except) > 0:
		return cmdutil.Usagef("--except needs --all")
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
	var items, except []*ref
	if !f.all {
		as, err := readRefArgs(args, a.io)
		if err != nil {
			return err
		}
		if items, err = l.addAll(as, k.idsAreUsers); err != nil {
			return err
		}
	}
	for _, e := range f.except {
		r, err := l.add(refArg{raw: e, where: "--except"}, k.idsAreUsers)
		if err != nil {
			return err
		}
		except = append(except, r)
	}

	// A dry run without --all, of ids alone, sends nothing, so it needs no
	// credentials.
	c, err := f.conn.client(f.dryRun && !f.all && !l.needsRead(), a.changeOptions(f.concurrency, f.concCap, !f.dryRun)...)
	if err != nil {
		return err
	}
	if err := l.resolve(ctx, c); err != nil {
		return err
	}
	ids := refIDs(items)

	skipped := []jsonSkipped{}
	var planned []zohoterritory.PlannedCall
	var listedUsers []zohoterritory.User
	var listedTerritories []zohoterritory.Territory
	if f.all {
		plan, err := k.planAll(c, ctx, owner.id(), refIDs(except)...)
		if err != nil {
			code, msg := failure(err)
			return cmdutil.Exit(code, fmt.Errorf("%s --all: nothing was removed: the listing failed: %s", strings.Fields(k.use)[0], msg))
		}
		ids, planned = plan.IDs, plan.Calls
		listedUsers, listedTerritories = plan.Users, plan.Territories
		for _, s := range plan.Skipped {
			skipped = append(skipped, jsonSkipped{ID: s.ID, Reason: string(s.Reason)})
		}
		for _, id := range plan.Unlisted {
			fmt.Fprintf(a.io.Err, "zohoterritory: --except %s: not among the listed ids; ignored\n", id)
		}
	}
	if f.dryRun {
		if !f.all {
			if planned, err = k.plan(c, owner.id(), ids...); err != nil {
				return cmdutil.Usagef("%s", cmdutil.Message(err))
			}
		}
		return printPlan(a.io.Out, f.output.format, planned, skipped, f.all)
	}

	res := &zohoterritory.Result{}
	var j *journal.File
	if len(ids) > 0 {
		ch := zohoterritory.Change{Op: k.op, Owner: owner.id(), IDs: ids, Stop: a.stop}
		if j, err = f.journal.create(a, strings.Fields(k.use)[0], string(ch.Op), ch.Owner); err != nil {
			return err
		}
		defer closeJournal(j)
		if j != nil {
			ch.Journal = j
		}
		res, err = c.Apply(ctx, ch)
		if res == nil {
			return cmdutil.Usagef("%s", cmdutil.Message(err)) // only input and journal errors come without a result
		}
	}
	if a.verbose {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s; %s\n", plural(len(res.Calls), "call"), concurrencyText(c.Concurrency()))
	}
	rowIDs := append(slices.Clone(ids), skippedIDs(skipped)...)
	rep := &report{kind: removing, allRows: f.allRows, calls: res.Calls, journal: journalPath(j),
		changes: []reportChange{{op: k.op, owner: owner.id(), outs: outcomes(res, readFlags{ignoreAbsent: f.ignoreAbsent}), skipped: skipped}}}
	rep.users, rep.territories = f.reportNames(ctx, a, c, k.idsAreUsers, l, rowIDs, listedUsers, listedTerritories)
	if perr := rep.print(a.io.Out, f.output.format); perr != nil {
		return perr
	}
	return changeExit(ctx, a, rep.tally(), res, err, journalPath(j))
}

// changeOptions are the client options of a change: the logger, the
// concurrency (fixed, or adaptive under its cap) and, on a terminal, the
// progress line.
func (a *app) changeOptions(concurrency, concCap int, progress bool) []zohoterritory.Option {
	opts := []zohoterritory.Option{zohoterritory.WithLogger(a.logger())}
	if concurrency > 0 {
		opts = append(opts, zohoterritory.WithConcurrency(concurrency))
	} else {
		opts = append(opts, zohoterritory.WithConcurrencyCap(concCap))
	}
	if a.io.ErrTTY && progress {
		opts = append(opts, zohoterritory.WithProgress(progressLine(a)))
	}
	return opts
}

// concurrencyText says what the concurrency limit came to, for -v.
func concurrencyText(s zohoterritory.ConcurrencyStats) string {
	switch {
	case !s.Adaptive:
		return fmt.Sprintf("fixed concurrency %d, at most %d in flight, %d answered 429", s.Limit, s.Peak, s.TooManyRequests)
	case s.Learned:
		return fmt.Sprintf("adaptive concurrency: limit %d learned from 429s (cap %d), at most %d in flight, %d answered 429", s.Limit, s.Cap, s.Peak, s.TooManyRequests)
	}
	return fmt.Sprintf("adaptive concurrency: limit %d (cap %d), no 429, at most %d in flight", s.Limit, s.Cap, s.Peak)
}

// journalPath is j's path, or "" without a journal.
func journalPath(j *journal.File) string {
	if j == nil {
		return ""
	}
	return j.Path()
}

// changeExit picks the exit code of a change (a removal, a resume, a
// restore) and its one line on stderr: interrupted (130), refused
// credentials (4), anything not done (2). With a journal, the line says
// how to finish what is left.
func changeExit(ctx context.Context, a *app, t tally, res *zohoterritory.Result, err error, journalPath string) error {
	stopped := false
	select {
	case <-a.stop: // a nil stop is never ready
		stopped = true
	default:
	}
	var jerr *zohoterritory.JournalError
	if errors.As(err, &jerr) {
		fmt.Fprintf(a.io.Err, "zohoterritory: %s: the result below is the run's truth\n", cmdutil.Message(jerr))
	}
	// A journal's failure alone leaves the calls' own outcome to tell;
	// joined to a call's failure, that failure decides.
	journalOnly := jerr != nil && err == error(jerr) //nolint:errorlint // identity: the journal's failure is the whole error, not one of several
	finish := "run the same command again with --ignore-absent"
	if journalPath != "" {
		finish = "run: zohoterritory resume " + shellQuote(journalPath)
	}
	interrupted := ctx.Err() != nil || stopped || errors.Is(err, zohoterritory.ErrStopped)
	switch {
	case interrupted:
		return cmdutil.Exit(cmdutil.ExitInterrupted, fmt.Errorf("interrupted: %d %s, %d unknown, %d not sent; to finish, %s",
			t.doneCount(), t.verb(), t.unknown, t.notSent, finish))
	case err != nil && !journalOnly:
		code, msg := failure(err)
		if code == cmdutil.ExitAuth {
			return cmdutil.Exit(code, errors.New(msg))
		}
		return cmdutil.Exit(code, fmt.Errorf("%s; %s", callFailures(res), t))
	case !t.done():
		what := "ids"
		if t.kind == changing {
			what = "memberships"
		}
		msg := fmt.Sprintf("%d of %d %s were not %s (%s)", t.notDone(), len(res.Items), what, t.verb(), t)
		if journalPath != "" && (t.unknown > 0 || t.notSent > 0) {
			msg += "; to settle the unknown and unsent ones, run: zohoterritory resume " + shellQuote(journalPath)
		}
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New(msg))
	case err != nil:
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New("the journal is incomplete"))
	}
	return nil
}

// failure describes a request-level error for a person, and picks the exit
// code: 4 when the credentials failed ([zohoterritory.IsAuthFailure]; a
// missing scope named with the scopes the operation needs), 2 otherwise.
func failure(err error) (code int, msg string) {
	code = cmdutil.ExitPartial
	if zohoterritory.IsAuthFailure(err) {
		code = cmdutil.ExitAuth
	}
	var authErr *zohoterritory.AuthError
	var apiErr *zohoterritory.APIError
	switch {
	case errors.As(err, &authErr):
		return code, cmdutil.Message(authErr)
	case !errors.As(err, &apiErr):
		return code, cmdutil.Message(err)
	}
	msg = cmdutil.Message(apiErr)
	switch {
	case errors.Is(apiErr, zohoterritory.ErrOAuthScopeMismatch):
		msg = fmt.Sprintf("%s: the token lacks a scope %s needs: %s", msg, apiErr.Operation, scopeText(zohoterritory.Scopes(apiErr.Operation)))
	case errors.Is(apiErr, zohoterritory.ErrInvalidToken):
		msg += ": the token was rejected (expired, revoked, or issued in another data centre than --dc / ZOHO_DC)"
	}
	return code, msg
}

// scopeText reads Zoho's scope sets as a person would: "A, or B and C".
func scopeText(sets [][]string) string {
	parts := make([]string, len(sets))
	for i, s := range sets {
		parts[i] = strings.Join(s, " and ")
	}
	return strings.Join(parts, ", or ")
}

// callFailures says what went wrong with the calls, each distinct failure
// once, at most three, without the ids or URLs a thousand calls would
// repeat.
func callFailures(res *zohoterritory.Result) string {
	var seen []string
	failed := 0
	for _, c := range res.Calls {
		if c.Err == nil {
			continue
		}
		failed++
		_, msg := failure(c.Err)
		if !contains(seen, msg) {
			seen = append(seen, msg)
		}
	}
	more := ""
	if len(seen) > 3 {
		more = fmt.Sprintf("; and %d more", len(seen)-3)
		seen = seen[:3]
	}
	return fmt.Sprintf("%d of %s failed: %s%s", failed, plural(len(res.Calls), "call"), strings.Join(seen, "; "), more)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// progressLine reports, on a terminal's stderr, how many ids have an
// outcome Zoho told, for removals of more than one call.
func progressLine(a *app) func(zohoterritory.Progress) {
	return func(p zohoterritory.Progress) {
		if p.Total <= zohoterritory.MaxBatchSize {
			return
		}
		fmt.Fprintf(a.io.Err, "\r%d of %d ids done", p.Done, p.Total)
		if p.Unknown > 0 {
			fmt.Fprintf(a.io.Err, ", %d unknown", p.Unknown)
		}
		if p.Done+p.Unknown+p.NotSent == p.Total {
			fmt.Fprintln(a.io.Err)
		}
	}
}

// skippedIDs are the ids of skipped rows.
func skippedIDs(skipped []jsonSkipped) []string {
	out := make([]string, len(skipped))
	for i, sk := range skipped {
		out[i] = sk.ID
	}
	return out
}
