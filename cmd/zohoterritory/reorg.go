package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// The reorganisation commands: plan reads a membership file and the org
// and prints what would make the org hold the file; apply makes it. The
// library makes the plan (the diff, the rules that skip, the ordering, the
// saved plan and its staleness); these parse, ask and print.

const membershipFileHelp = `The membership file is CSV with a header naming a "territory" and a "user"
column (other columns are ignored), one membership a row: territories by
id, name or path ("North America/West Coast"), users by id or e-mail
address. A UTF-8 byte order mark and blank lines are fine; a malformed row,
or a name or address the org does not hold (or holds twice), is named by
its line, and nothing is read of the memberships or sent.

  territory,user
  West Coast,chloe@acme.com
  North America/Key Accounts,ben@acme.com

--by territory (the default): each territory of the file ends with exactly
the users listed for it, and its manager; territories not in the file are
not touched. --by user: each user of the file ends with exactly the
territories listed for them, the default territory and those they manage
aside. --add-only and --remove-only keep one direction. What Zoho's rules
forbid (removing a manager, or from the default territory; adding past a
territory's limit of 100 users while the adds go first) is skipped with
its reason, never sent.`

// planFlags are the flags plan and apply share.
type planFlags struct {
	by                  string
	addOnly, removeOnly bool
}

func (pf *planFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&pf.by, "by", "territory", "what the file makes exact: each territory's users (territory) or each user's territories (user)")
	fl.BoolVar(&pf.addOnly, "add-only", false, "plan the adds only, no removal")
	fl.BoolVar(&pf.removeOnly, "remove-only", false, "plan the removals only, no add")
}

func (pf *planFlags) options() (zohoterritory.PlanOptions, error) {
	switch {
	case pf.by != string(zohoterritory.ByTerritory) && pf.by != string(zohoterritory.ByUser):
		return zohoterritory.PlanOptions{}, cmdutil.Usagef("--by %q: want territory or user", pf.by)
	case pf.addOnly && pf.removeOnly:
		return zohoterritory.PlanOptions{}, cmdutil.Usagef("--add-only and --remove-only: give one of them")
	}
	return zohoterritory.PlanOptions{By: zohoterritory.PlanBy(pf.by), AddOnly: pf.addOnly, RemoveOnly: pf.removeOnly}, nil
}

func newPlanCmd(a *app) *cobra.Command {
	var f changeFlags
	var pf planFlags
	var out string
	var detailed bool
	cmd := &cobra.Command{
		Use:   "plan FILE",
		Short: "Show what it would take to make the org's memberships match a file",
		Long: `Read a membership file and the org, and print what it would take to make the
org's memberships match the file: for each territory (or user) the users (or
territories) to add and to remove, with names, then the totals ("Plan: 12 to
add, 7 to remove, 3 unchanged, 2 skipped"). Nothing is changed. --out PLAN
saves the plan (the exact changes, and what the org held for each
membership it touches) for "zohoterritory apply PLAN", which refuses it if
the org has changed since. --detailed-exitcode exits 0 when the org matches
the file, 2 when the plan has changes, 1 on an error: a scheduled job can
alert when the org drifts from an approved file.

The memberships are read with one call per territory (or user), side by
side under the concurrency limit changes use, and the org's directory once.

` + membershipFileHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory plan reorg.csv
  zohoterritory plan reorg.csv --by user --out reorg.plan
  zohoterritory plan approved.csv --detailed-exitcode -o json > drift.json || alert`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.capSet = cmd.Flags().Changed("concurrency-cap")
			if err := f.check(); err != nil {
				return err
			}
			if f.output.format == "csv" {
				return cmdutil.Usagef("--output \"csv\": plan prints a table or json (apply -o csv writes a row per membership)")
			}
			opts, err := pf.options()
			if err != nil {
				return err
			}
			c, err := f.conn.client(false, a.changeOptions(f.concurrency, f.concCap, false)...)
			if err != nil {
				return err
			}
			plan, dir, err := planFile(cmd.Context(), a, c, args[0], opts)
			if err != nil {
				return err
			}
			if out != "" {
				if err := savePlan(out, plan); err != nil {
					return err
				}
				fmt.Fprintf(a.io.Err, "zohoterritory: saved the plan to %s; make it with: zohoterritory apply %s\n", out, shellQuote(out))
			}
			if err := printPlanned(a.io.Out, f.output.format, plan, dir); err != nil {
				return err
			}
			if detailed && plan.HasChanges() {
				return cmdutil.Exit(cmdutil.ExitPartial, errors.New("the org differs from the file: the plan has changes"))
			}
			return nil
		},
	}
	fl := cmd.Flags()
	pf.register(fl)
	fl.StringVar(&out, "out", "", "save the plan to PLAN, for apply")
	fl.BoolVar(&detailed, "detailed-exitcode", false, "exit 0 when the org matches the file, 2 when the plan has changes, 1 on an error")
	f.register(a, fl)
	fl.Lookup("output").Usage = "output format: table or json (default: table on a terminal, json otherwise)"
	return cmd
}

// planFile reads the membership file at path, resolves its references
// with one read of the directory (every row's problem named by its line),
// and makes the plan.
func planFile(ctx context.Context, a *app, c *zohoterritory.Client, path string, opts zohoterritory.PlanOptions) (*zohoterritory.Plan, *zohoterritory.Directory, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, nil, cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	defer fh.Close()
	rows, err := zohoterritory.ReadMemberships(fh, path)
	if err != nil {
		return nil, nil, cmdutil.Usagef("%s; nothing was sent", cmdutil.Message(err))
	}
	if len(rows) == 0 {
		return nil, nil, cmdutil.Usagef("%s: no membership: nothing to plan", path)
	}
	// The territories are read whatever the references: the plan needs
	// their managers and the default territory, and the output their
	// paths.
	l := &lookup{}
	type pair struct{ territory, user *ref }
	pairs := make([]pair, len(rows))
	for i, r := range rows {
		where := fmt.Sprintf("%s, line %d", path, r.Line)
		t, err := l.add(refArg{raw: r.Territory, where: where}, false)
		if err != nil {
			return nil, nil, err
		}
		u, err := l.add(refArg{raw: r.User, where: where}, true)
		if err != nil {
			return nil, nil, err
		}
		pairs[i] = pair{t, u}
	}
	q := l.query()
	q.Territories = true
	dir, err := c.ReadDirectory(ctx, q)
	if err != nil {
		code, msg := failure(err)
		return nil, nil, cmdutil.Exit(code, fmt.Errorf("reading the org's users and territories failed, so nothing was planned: %s", msg))
	}
	l.dir = dir
	if err := l.resolveWith(dir); err != nil {
		return nil, nil, err
	}
	desired := make([]zohoterritory.Membership, len(pairs))
	for i, p := range pairs {
		desired[i] = zohoterritory.Membership{TerritoryID: p.territory.id(), UserID: p.user.id()}
	}
	plan, err := c.PlanMemberships(ctx, desired, dir, opts)
	if err != nil {
		code, msg := failure(err)
		return nil, nil, cmdutil.Exit(code, fmt.Errorf("reading the memberships failed, so nothing was planned: %s", msg))
	}
	return plan, dir, nil
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

// jsonPlanned is plan's JSON: the same as its table, as data.
type jsonPlanned struct {
	By     string              `json:"by"`
	Groups []jsonPlanGroup     `json:"groups"`
	Totals map[string]int      `json:"totals"`
	Plan   *zohoterritory.Plan `json:"plan"`
}

type jsonPlanGroup struct {
	Owner     jsonRefNamed   `json:"owner"`
	Add       []jsonRefNamed `json:"add"`
	Remove    []jsonRefNamed `json:"remove"`
	Unchanged []jsonRefNamed `json:"unchanged"`
	Skipped   []jsonPlanSkip `json:"skipped"`
}

type jsonPlanSkip struct {
	jsonRefNamed
	Op      string `json:"op"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// named describes an id of the plan: a user, or a territory.
func named(dir *zohoterritory.Directory, id string, user bool) jsonRefNamed {
	r := jsonRefNamed{ID: id}
	if dir == nil {
		return r
	}
	if user {
		if u, ok := dir.UserByID(id); ok {
			r.Name, r.Email = u.FullName, u.Email
		}
		return r
	}
	if t, ok := dir.TerritoryByID(id); ok {
		r.Name, r.Path = t.Name, dir.Path(id)
	}
	return r
}

// label is how a table shows an id: a user's e-mail address, a
// territory's path, or the id.
func label(n jsonRefNamed) string {
	switch {
	case n.Email != "":
		return n.Email
	case n.Path != "":
		return n.Path
	case n.Name != "":
		return n.Name
	}
	return n.ID
}

func printPlanned(w io.Writer, format string, plan *zohoterritory.Plan, dir *zohoterritory.Directory) error {
	ownersAreUsers := plan.By == zohoterritory.ByUser
	names := func(ids []string) []jsonRefNamed {
		out := make([]jsonRefNamed, len(ids))
		for i, id := range ids {
			out[i] = named(dir, id, !ownersAreUsers)
		}
		return out
	}
	t := plan.Totals()
	if format == "json" {
		out := jsonPlanned{By: string(plan.By), Groups: []jsonPlanGroup{}, Plan: plan,
			Totals: map[string]int{"add": t.Add, "remove": t.Remove, "unchanged": t.Unchanged, "skipped": t.Skipped}}
		for _, g := range plan.Groups {
			jg := jsonPlanGroup{Owner: named(dir, g.Owner, ownersAreUsers), Add: names(g.Add), Remove: names(g.Remove),
				Unchanged: names(g.Unchanged), Skipped: []jsonPlanSkip{}}
			for _, s := range g.Skipped {
				jg.Skipped = append(jg.Skipped, jsonPlanSkip{jsonRefNamed: named(dir, s.ID, !ownersAreUsers), Op: opWord(s.Op), Reason: string(s.Reason), Message: s.Message})
			}
			out.Groups = append(out.Groups, jg)
		}
		return encodeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, g := range plan.Groups {
		if len(g.Add)+len(g.Remove)+len(g.Skipped) == 0 {
			continue // nothing to say of an owner already as the file wants
		}
		owner := named(dir, g.Owner, ownersAreUsers)
		fmt.Fprintf(tw, "%s (%s)\n", label(owner), owner.ID)
		for _, n := range names(g.Add) {
			fmt.Fprintf(tw, "  + %s\t%s\t%s\n", label(n), n.ID, cell(n.Name))
		}
		for _, n := range names(g.Remove) {
			fmt.Fprintf(tw, "  - %s\t%s\t%s\n", label(n), n.ID, cell(n.Name))
		}
		for _, s := range g.Skipped {
			n := named(dir, s.ID, !ownersAreUsers)
			fmt.Fprintf(tw, "  ! %s\t%s\tskipped, not %s (%s): %s\n", label(n), n.ID, opWord(s.Op)+"d", s.Reason, s.Message)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if !plan.HasChanges() {
		fmt.Fprintln(w, "No changes: the org's memberships match the file.")
	}
	_, err := fmt.Fprintln(w, t)
	return err
}

// opWord is how an output names what an op does to a membership: "add"
// or "remove".
func opWord(op zohoterritory.Op) string {
	if op.Adds() {
		return "add"
	}
	return "remove"
}

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
		Use:   "apply FILE|PLAN",
		Short: "Make the org's memberships match a file, or a saved plan",
		Long: `Make the org's memberships match a membership file (planned as "zohoterritory
plan" does), or make a plan saved with "plan --out". Every add goes before
every removal, and a user's membership is removed only once every add of
that user in the plan is done: nobody is left without a territory they are
meant to keep. Every change goes into one journal: "zohoterritory resume"
finishes an apply that was killed, "zohoterritory restore" undoes a whole
apply (removes what it added, adds back what it removed).

A saved plan whose memberships changed in the org since it was made is
refused, naming what changed, and nothing is sent. On a terminal, apply
shows the plan's totals and asks before sending anything (type yes);
without a terminal it needs --yes.

` + membershipFileHelp + "\n\n" + journalHelp + "\n\n" + interruptHelp + "\n\n" + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory apply reorg.csv
  zohoterritory apply reorg.plan --yes -o csv > applied.csv`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f.capSet = cmd.Flags().Changed("concurrency-cap")
			return runApply(cmd.Context(), a, &f, args[0])
		},
	}
	fl := cmd.Flags()
	f.planFlags.register(fl)
	fl.BoolVar(&f.yes, "yes", false, "apply without asking (what a job without a terminal must give)")
	f.changeFlags.register(a, fl)
	f.journal.register(fl)
	return cmd
}

func runApply(ctx context.Context, a *app, f *applyFlags, path string) error {
	if err := f.check(); err != nil {
		return err
	}
	if err := f.journal.check(); err != nil {
		return err
	}
	opts, err := f.options()
	if err != nil {
		return err
	}
	saved, err := readSavedPlan(path)
	if err != nil {
		return err
	}
	if saved != nil {
		if !f.conn.given("api-domain") && saved.APIDomain != "" {
			f.conn.apiDomain = saved.APIDomain
		}
		if !f.conn.given("api-version") && saved.APIVersion != "" {
			f.conn.apiVersion = saved.APIVersion
		}
	}
	if !f.yes && !a.io.InTTY {
		return cmdutil.Usagef("apply asks before it changes anything, and standard input is not a terminal: give --yes to apply without asking")
	}
	c, err := f.conn.client(false, a.changeOptions(f.concurrency, f.concCap, true)...)
	if err != nil {
		return err
	}
	var plan *zohoterritory.Plan
	var dir *zohoterritory.Directory
	if saved != nil {
		plan = saved
		drifts, err := c.CheckPlan(ctx, plan)
		if err != nil {
			code, msg := failure(err)
			return cmdutil.Exit(code, fmt.Errorf("reading the memberships the plan touches failed, so nothing was sent: %s", msg))
		}
		if len(drifts) > 0 {
			return cmdutil.Usagef("%s is stale: %s the plan touches changed since it was made: %s; plan again; nothing was sent",
				path, plural(len(drifts), "membership"), driftText(drifts))
		}
	} else if plan, dir, err = planFile(ctx, a, c, path, opts); err != nil {
		return err
	}
	totals := plan.Totals()
	if !plan.HasChanges() {
		fmt.Fprintf(a.io.Err, "zohoterritory: no changes: the org's memberships match %s (%s)\n", path, totals)
		return nil
	}
	if !f.yes {
		fmt.Fprintf(a.io.Err, "%s\nApply these changes to the org? Only \"yes\" goes on: ", totals)
		answer, _ := bufio.NewReader(a.io.In).ReadString('\n')
		if strings.TrimSpace(answer) != "yes" {
			return cmdutil.Usagef("apply cancelled; nothing was sent")
		}
	}
	set := plan.ChangeSet()
	set.Stop = a.stop
	owner := plan.Groups[0].Owner
	j, err := f.journal.create(a, "apply", "apply", owner)
	if err != nil {
		return err
	}
	defer closeJournal(j)
	if j != nil {
		set.Journal = j
	}
	var l *lookup
	if dir != nil {
		l = &lookup{dir: dir}
	}
	return applySet(ctx, a, &f.changeFlags, c, set, readFlags{presentDone: true, ignoreAbsent: true}, journalPath(j), l)
}

// readSavedPlan returns the plan saved at path, or nil when the file is
// not a saved plan (a membership file).
func readSavedPlan(path string) (*zohoterritory.Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	if !bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		return nil, nil
	}
	p, err := zohoterritory.ReadPlan(bytes.NewReader(b), path)
	if err != nil {
		return nil, cmdutil.Usagef("%s; nothing was sent", cmdutil.Message(err))
	}
	return p, nil
}

// driftText names the first memberships that changed, at most five.
func driftText(ds []zohoterritory.Drift) string {
	var parts []string
	for i, d := range ds {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(ds)-5))
			break
		}
		parts = append(parts, d.String())
	}
	return strings.Join(parts, "; ")
}
