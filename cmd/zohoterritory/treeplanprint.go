package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// How a tree plan prints, as Terraform prints a plan: each territory the
// plan touches, + created, ~ updated (each field old → new) or whose
// members change, - deleted (and what that takes away), then the totals.
// Every number and every word of what changes comes from the plan
// ([tree.Plan.Changes], [tree.Plan.Totals]).

// jsonTreePlan is a tree plan's JSON: the same as its table, as data.
type jsonTreePlan struct {
	Changes []jsonTreeChange `json:"changes"`
	Totals  jsonTreeTotals   `json:"totals"`
	Plan    *tree.Plan       `json:"plan"`
}

type jsonTreeChange struct {
	// Action is create, update, members (its members only) or delete.
	Action string `json:"action"`
	// ID is the territory's; Key, for one the plan creates, its key.
	ID      string            `json:"id,omitempty"`
	Key     string            `json:"key,omitempty"`
	Name    string            `json:"name"`
	Path    string            `json:"path"`
	Line    int               `json:"line,omitempty"`
	Fields  []jsonFieldChange `json:"fields"`
	Add     []jsonRefNamed    `json:"add"`
	Remove  []jsonRefNamed    `json:"remove"`
	Skipped []jsonPlanSkip    `json:"skipped"`
	// Delete is what deleting the territory takes away.
	Delete *jsonTreeDelete `json:"delete,omitempty"`
	// Restores is the id of the deleted territory a restore creates
	// again.
	Restores string `json:"restores,omitempty"`
}

type jsonFieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

type jsonTreeDelete struct {
	Members  []jsonRefNamed `json:"members"`
	Children []jsonRefNamed `json:"children"`
	// Records says what becomes of the records assigned to it.
	Records string `json:"records"`
}

type jsonTreeTotals struct {
	Create int `json:"create"`
	Update int `json:"update"`
	Delete int `json:"delete"`
	Add    int `json:"add"`
	Remove int `json:"remove"`
}

// recordsLost is what a delete does to the records assigned to the
// territory: Zoho assigns them to no other, and restore cannot either.
const recordsLost = "records assigned to it lose the territory; a restore does not assign them to it again"

// printTreePlan writes a tree plan as plan prints it: the table and the
// totals, or JSON. noChanges is the line of a plan without changes.
func printTreePlan(w io.Writer, format string, plan *tree.Plan, noChanges string) error {
	if format == "json" {
		return encodeJSON(w, treePlanJSON(plan))
	}
	if _, _, err := treePlanTable(w, plan, 0); err != nil {
		return err
	}
	if !plan.HasChanges() {
		fmt.Fprintln(w, noChanges)
	}
	_, err := fmt.Fprintln(w, plan.Totals())
	return err
}

func treePlanJSON(plan *tree.Plan) jsonTreePlan {
	users := func(ids []string) []jsonRefNamed {
		out := make([]jsonRefNamed, len(ids))
		for i, id := range ids {
			out[i] = userNamed(plan, id)
		}
		return out
	}
	t := plan.Totals()
	out := jsonTreePlan{Changes: []jsonTreeChange{}, Plan: plan,
		Totals: jsonTreeTotals{Create: t.Create, Update: t.Update, Delete: t.Delete, Add: t.Add, Remove: t.Remove}}
	for _, c := range plan.Changes() {
		jc := jsonTreeChange{Action: string(c.Action), ID: c.Territory.ID, Key: c.Territory.Key, Name: c.Name, Path: c.Path, Line: c.Line,
			Fields: []jsonFieldChange{}, Add: users(c.Added), Remove: users(c.Removed), Skipped: []jsonPlanSkip{}, Restores: c.Restores}
		for _, f := range c.Fields {
			jc.Fields = append(jc.Fields, jsonFieldChange(f))
		}
		for _, s := range c.Skips {
			jc.Skipped = append(jc.Skipped, jsonPlanSkip{jsonRefNamed: userNamed(plan, s.User), Op: opWord(s.Op), Reason: string(s.Reason), Message: s.Message})
		}
		if d := c.Delete; d != nil {
			jc.Delete = &jsonTreeDelete{Members: users(d.Members), Children: []jsonRefNamed{}, Records: recordsLost}
			for _, ch := range c.Children {
				jc.Delete.Children = append(jc.Delete.Children, jsonRefNamed{ID: ch.ID, Name: ch.Name, Path: ch.Path})
			}
		}
		out.Changes = append(out.Changes, jc)
	}
	return out
}

// userNamed is a user of a plan, with the e-mail address the plan knows.
func userNamed(plan *tree.Plan, id string) jsonRefNamed {
	r := jsonRefNamed{ID: id}
	if label := plan.UserLabel(id); label != id {
		r.Email = label
	}
	return r
}

// treePlanTable writes the plan's lines: a line for each territory it
// touches and, under it, a line for each field that changes, each member
// added (+), removed (-) or skipped (!), and what a delete takes away.
// With limit > 0 it writes the first limit lines; it returns how many it
// wrote and how many there are.
func treePlanTable(w io.Writer, plan *tree.Plan, limit int) (shown, total int, err error) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	line := func(format string, args ...any) {
		total++
		if limit == 0 || shown < limit {
			shown++
			fmt.Fprintf(tw, format, args...)
		}
	}
	for _, c := range plan.Changes() {
		line("%s %s%s\n", c.Action.Symbol(), c.Path, changeNote(c))
		for _, f := range c.Fields {
			if c.Action == tree.ActionCreate {
				line("    %s\t%s\n", f.Field, orNone(f.New))
				continue
			}
			line("    %s\t%s → %s\n", f.Field, orNone(f.Old), orNone(f.New))
		}
		for _, id := range c.Added {
			line("    + member\t%s\n", plan.UserLabel(id))
		}
		for _, id := range c.Removed {
			line("    - member\t%s\n", plan.UserLabel(id))
		}
		for _, s := range c.Skips {
			line("    ! member\t%s skipped, not %s (%s): %s\n", plan.UserLabel(s.User), opDone(s.Op), s.Reason, s.Message)
		}
		if d := c.Delete; d != nil {
			for _, id := range d.Members {
				line("    - member\t%s\n", plan.UserLabel(id))
			}
			for _, ch := range c.Children {
				if ch.Deleted {
					line("    - child\t%s (deleted first)\n", cell(ch.Path))
				} else {
					line("    ~ child\t%s (moved away first)\n", cell(ch.Path))
				}
			}
			line("    ! records\t%s\n", recordsLost)
		}
	}
	return shown, total, tw.Flush()
}

// changeNote is what follows a territory's path: its id, and what a
// create restores.
func changeNote(c tree.TerritoryChange) string {
	switch {
	case c.Restores != "":
		return fmt.Sprintf(" (created again, in place of %s)", c.Restores)
	case c.Territory.ID != "":
		return fmt.Sprintf(" (%s)", c.Territory.ID)
	}
	return ""
}

// orNone is a field's value, "(none)" for none.
func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}
