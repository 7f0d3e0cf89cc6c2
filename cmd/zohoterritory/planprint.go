package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// How a plan prints: what plan shows, and what apply shows before it asks.

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
	// Op is "add" or "remove", as in a set's output.
	Op      string `json:"op"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// printPlanned writes a plan as plan prints it: a table (each owner with
// something to do, its adds, removals and skips, then the totals) or JSON.
// dir gives the names and paths.
func printPlanned(w io.Writer, format string, plan *zohoterritory.Plan, dir *zohoterritory.Directory) error {
	if format == "json" {
		return encodeJSON(w, planJSON(plan, dir))
	}
	if _, _, err := planTable(w, plan, dir, 0); err != nil {
		return err
	}
	if !plan.HasChanges() {
		fmt.Fprintln(w, "No changes: the org's memberships match the file.")
	}
	_, err := fmt.Fprintln(w, plan.Totals())
	return err
}

func planJSON(plan *zohoterritory.Plan, dir *zohoterritory.Directory) jsonPlanned {
	ownersAreUsers := plan.By == zohoterritory.ByUser
	names := func(ids []string) []jsonRefNamed {
		out := make([]jsonRefNamed, len(ids))
		for i, id := range ids {
			out[i] = named(dir, id, !ownersAreUsers)
		}
		return out
	}
	t := plan.Totals()
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
	return out
}

// planTable writes the plan's lines: for each owner with something to do,
// its adds (+), removals (-) and skips (!). With limit > 0 it writes the
// first limit lines of changes and skips; it returns how many it wrote and
// how many there are.
func planTable(w io.Writer, plan *zohoterritory.Plan, dir *zohoterritory.Directory, limit int) (shown, total int, err error) {
	ownersAreUsers := plan.By == zohoterritory.ByUser
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	line := func(format string, args ...any) {
		total++
		if limit == 0 || shown < limit {
			shown++
			fmt.Fprintf(tw, format, args...)
		}
	}
	for _, g := range plan.Groups {
		if len(g.Add)+len(g.Remove)+len(g.Skipped) == 0 {
			continue // nothing to say of an owner already as the file wants
		}
		if limit == 0 || shown < limit {
			owner := named(dir, g.Owner, ownersAreUsers)
			fmt.Fprintf(tw, "%s (%s)\n", label(owner), owner.ID)
		}
		for _, id := range g.Add {
			n := named(dir, id, !ownersAreUsers)
			line("  + %s\t%s\t%s\n", label(n), n.ID, cell(n.Name))
		}
		for _, id := range g.Remove {
			n := named(dir, id, !ownersAreUsers)
			line("  - %s\t%s\t%s\n", label(n), n.ID, cell(n.Name))
		}
		for _, s := range g.Skipped {
			n := named(dir, s.ID, !ownersAreUsers)
			line("  ! %s\t%s\tskipped, not %s (%s): %s\n", label(n), n.ID, opDone(s.Op), s.Reason, s.Message)
		}
	}
	return shown, total, tw.Flush()
}
