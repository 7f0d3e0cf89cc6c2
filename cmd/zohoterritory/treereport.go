package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"text/tabwriter"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// What a run of a tree plan (an apply, its resume, a restore) prints: a
// row per territory and per membership of each step, with what became of
// it (a created territory's new id among them), the counts, and for a
// restore the ids of the territories created again in place of deleted
// ones. The library decides every outcome; the report shows them.

// treeRow is one territory or membership of a step, as it came out.
type treeRow struct {
	step      int // from 1
	kind      tree.StepKind
	territory jsonRefNamed // its id (a create's new one, once made) and path
	user      *jsonRefNamed
	outcome   string
	reason    string
	code, msg string
	inferred  bool
}

// treeRows lists every territory and membership of every step of the
// plan, in order, with its outcome in res; a step not sent has its items
// "not_sent".
func treeRows(plan *tree.Plan, res *tree.ApplyResult) []treeRow {
	var rows []treeRow
	for i, ps := range plan.Steps {
		var sr tree.StepResult
		if i < len(res.Steps) {
			sr = res.Steps[i]
		}
		base := treeRow{step: i + 1, kind: ps.Kind}
		switch {
		case sr.Territories != nil:
			for _, it := range sr.Territories.Items {
				r := base
				r.territory = jsonRefNamed{ID: it.ID, Path: stepPath(ps, it.Index)}
				r.outcome, r.reason, r.code, r.msg, r.inferred = it.Outcome.String(), string(it.Reason), it.Code, it.Message, it.Inferred
				rows = append(rows, r)
			}
		case sr.Members != nil && ps.Members != nil:
			for _, it := range sr.Members.Items {
				r := base
				r.territory = jsonRefNamed{ID: memberTerritory(ps.Members.Territory, res), Path: ps.Members.Path}
				u := userNamed(plan, it.ID)
				r.user = &u
				r.outcome, r.reason, r.code, r.msg, r.inferred = it.Outcome.String(), string(it.Reason), it.Code, it.Message, it.Inferred
				rows = append(rows, r)
			}
		default:
			rows = append(rows, notSentRows(plan, ps, base)...)
		}
	}
	return rows
}

// stepPath is the path of the step's i-th territory.
func stepPath(ps tree.Step, i int) string {
	switch {
	case i < len(ps.Creates):
		return ps.Creates[i].Path
	case i < len(ps.Updates):
		return ps.Updates[i].Path
	case i < len(ps.Deletes):
		return ps.Deletes[i].Path
	}
	return ""
}

// memberTerritory is the id of a membership step's territory: a created
// one's once known.
func memberTerritory(r tree.Ref, res *tree.ApplyResult) string {
	if r.ID != "" {
		return r.ID
	}
	return res.Created[r.Key]
}

// notSentRows are the rows of a step nothing of which was sent.
func notSentRows(plan *tree.Plan, ps tree.Step, base treeRow) []treeRow {
	var rows []treeRow
	add := func(id, path string, user *jsonRefNamed) {
		r := base
		r.territory, r.user, r.outcome, r.reason = jsonRefNamed{ID: id, Path: path}, user, "failed", string(zohoterritory.ReasonNotSent)
		rows = append(rows, r)
	}
	for _, c := range ps.Creates {
		add("", c.Path, nil)
	}
	for _, u := range ps.Updates {
		add(u.ID, u.Path, nil)
	}
	for _, d := range ps.Deletes {
		add(d.ID, d.Path, nil)
	}
	if m := ps.Members; m != nil {
		for _, id := range m.Users {
			u := userNamed(plan, id)
			add(m.Territory.ID, m.Path, &u)
		}
	}
	return rows
}

// jsonTreeCounts is the counts of a tree run's JSON: the library's
// [tree.RunCounts], field by field.
type jsonTreeCounts struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
	Deleted int `json:"deleted"`
	Added   int `json:"added"`
	Present int `json:"present"`
	Removed int `json:"removed"`
	Refused int `json:"refused"`
	Unknown int `json:"unknown"`
	NotSent int `json:"not_sent"`
}

// jsonTreeRun is a tree run's JSON: every step, every item.
type jsonTreeRun struct {
	Steps []jsonTreeStep `json:"steps"`
	// Created maps the key of each territory created to its id.
	Created map[string]string `json:"created"`
	// Restored maps each deleted territory a restore created again to
	// the id of the one that replaces it.
	Restored map[string]string `json:"restored,omitempty"`
	Counts   jsonTreeCounts    `json:"counts"`
}

type jsonTreeStep struct {
	Step  int            `json:"step"`
	Kind  string         `json:"kind"`
	State string         `json:"state"`
	Items []jsonTreeItem `json:"items"`
}

type jsonTreeItem struct {
	Territory jsonRefNamed  `json:"territory"`
	User      *jsonRefNamed `json:"user,omitempty"`
	Outcome   string        `json:"outcome"`
	Reason    string        `json:"reason,omitempty"`
	Code      string        `json:"code,omitempty"`
	Message   string        `json:"message,omitempty"`
	Inferred  bool          `json:"inferred,omitempty"`
}

// finishTree prints a tree run's report and picks the exit code; err is
// the run's failure. Without a result the run never began (a plan that
// cannot be applied, a journal that cannot be written): nothing was sent.
func finishTree(ctx context.Context, a *app, f *changeFlags, plan *tree.Plan, res *tree.ApplyResult, err error, journalPath string) error {
	if res == nil {
		return cmdutil.Usagef("%s; nothing was sent", cmdutil.Message(err))
	}
	rows := treeRows(plan, res)
	if perr := printTreeRun(a.io.Out, f.output.format, f.allRows, plan, res, rows); perr != nil {
		return perr
	}
	return treeExit(ctx, a, res, err, journalPath)
}

// printTreeRun writes a run's report: a table, or JSON.
func printTreeRun(w io.Writer, format string, allRows bool, plan *tree.Plan, res *tree.ApplyResult, rows []treeRow) error {
	if format == "json" {
		return encodeJSON(w, treeRunJSON(plan, res, rows))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tKIND\tTERRITORY\tID\tUSER\tOUTCOME\tREASON\tMESSAGE")
	shown := 0
	for _, r := range rows {
		done := r.reason == "" && r.outcome != zohoterritory.Unknown.String()
		if !allRows && done && len(rows) > maxTableRows {
			continue
		}
		shown++
		user, reason := "", r.reason
		if r.user != nil {
			user = label(*r.user)
		}
		if r.inferred {
			reason = "by an earlier attempt"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.step, r.kind, cell(r.territory.Path), cell(r.territory.ID), cell(user), r.outcome, cell(reason), cell(r.msg))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if shown < len(rows) {
		fmt.Fprintf(w, "(%d of %d rows shown: those not done; --all-rows shows every one)\n", shown, len(rows))
	}
	printRestored(w, plan, res)
	_, err := fmt.Fprintln(w, res.Counts())
	return err
}

// printRestored writes the map of the ids of the deleted territories a
// restore created again to those of the territories that replace them.
func printRestored(w io.Writer, plan *tree.Plan, res *tree.ApplyResult) {
	if len(res.Restored) == 0 {
		return
	}
	paths := map[string]string{}
	for _, s := range plan.Steps {
		for _, c := range s.Creates {
			paths[c.Restores] = c.Path
		}
	}
	for _, old := range slices.Sorted(maps.Keys(res.Restored)) {
		fmt.Fprintf(w, "created again: %s: %s → %s\n", paths[old], old, res.Restored[old])
	}
	fmt.Fprintln(w, "Records that were assigned to a deleted territory are not assigned to it again.")
}

func treeRunJSON(plan *tree.Plan, res *tree.ApplyResult, rows []treeRow) jsonTreeRun {
	out := jsonTreeRun{Steps: []jsonTreeStep{}, Created: map[string]string{}, Restored: res.Restored, Counts: jsonTreeCounts(res.Counts())}
	for k, id := range res.Created {
		out.Created[k] = id
	}
	for i, ps := range plan.Steps {
		state := tree.StepNotSent
		if i < len(res.Steps) {
			state = res.Steps[i].State
		}
		out.Steps = append(out.Steps, jsonTreeStep{Step: i + 1, Kind: string(ps.Kind), State: string(state), Items: []jsonTreeItem{}})
	}
	for _, r := range rows {
		s := &out.Steps[r.step-1]
		s.Items = append(s.Items, jsonTreeItem{Territory: r.territory, User: r.user, Outcome: r.outcome, Reason: r.reason,
			Code: r.code, Message: r.msg, Inferred: r.inferred})
	}
	return out
}

// treeExit picks the exit code of a tree run and its line on stderr from
// what the library says the run came to ([tree.ApplyResult.Status]):
// interrupted with something left to send (130), failed credentials (4),
// anything not done (2: with how to finish it when a resume can, how to
// take it back when one cannot). A run that every step finished before an
// interruption came is told as it ended.
func treeExit(ctx context.Context, a *app, res *tree.ApplyResult, err error, journalPath string) error {
	stopped := false
	select {
	case <-a.stop:
		stopped = true
	default:
	}
	n, status := res.Counts(), res.Status()
	finish, undo := "", ""
	if journalPath != "" {
		finish = "; to finish, run: zohoterritory resume " + shellQuote(journalPath)
		undo = "; to take back what it made, run: zohoterritory restore " + shellQuote(journalPath)
	}
	interrupted := ctx.Err() != nil || stopped || errors.Is(err, zohoterritory.ErrStopped)
	switch {
	case interrupted && status == tree.RunUnfinished:
		return cmdutil.Exit(cmdutil.ExitInterrupted, fmt.Errorf("interrupted: %s%s", n, finish))
	case err != nil && zohoterritory.IsAuthFailure(err):
		_, msg := failure(err)
		if status != tree.RunUnfinished {
			finish = ""
		}
		return cmdutil.Exit(cmdutil.ExitAuth, fmt.Errorf("%s%s", msg, finish))
	case status == tree.RunHalted:
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("step %d (%s) failed, so the run stopped before the next: %s%s",
			res.Halted+1, res.Steps[res.Halted].Kind, n, undo))
	case status == tree.RunUnfinished:
		msg := "not all of the plan was made: " + n.String()
		if err != nil {
			_, why := failure(err)
			msg += " (" + why + ")"
		}
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New(msg+finish))
	case n.Refused > 0:
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("every step was made, but Zoho refused %d for good: %s%s", n.Refused, n, undo))
	case err != nil:
		_, why := failure(err)
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("every step was made, but: %s", why))
	}
	return nil
}
