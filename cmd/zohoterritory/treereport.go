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

// treeRow is one territory or membership of a step, as it came out: the
// library's [tree.RunItem], the user named.
type treeRow struct {
	tree.RunItem
	user *jsonRefNamed
}

// outcome is the row's outcome as the report shows it: the client's, or
// "absent" for a removal that found the user gone already, which is done,
// as membership reports show it.
func (r treeRow) outcome() string {
	if r.Absent {
		return "absent"
	}
	return r.Outcome.String()
}

// treeRows lists every territory and membership of every step of the
// run, in order, with its outcome ([tree.ApplyResult.Items]).
func treeRows(plan *tree.Plan, res *tree.ApplyResult) []treeRow {
	items := res.Items()
	rows := make([]treeRow, len(items))
	for i, it := range items {
		rows[i].RunItem = it
		if it.User != "" {
			u := userNamed(plan, it.User)
			rows[i].user = &u
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
		return encodeJSON(w, treeRunJSON(res, rows))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tKIND\tTERRITORY\tID\tUSER\tOUTCOME\tREASON\tMESSAGE")
	shown := 0
	for _, r := range rows {
		if !allRows && r.Done && len(rows) > maxTableRows {
			continue
		}
		shown++
		user, reason := "", string(r.Reason)
		if r.user != nil {
			user = label(*r.user)
		}
		if r.Inferred {
			reason = "by an earlier attempt"
		}
		if r.Absent {
			reason = "already not a member"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Step+1, r.Kind, cell(r.Path), cell(r.Territory), cell(user), r.outcome(), cell(reason), cell(r.Message))
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

func treeRunJSON(res *tree.ApplyResult, rows []treeRow) jsonTreeRun {
	out := jsonTreeRun{Steps: []jsonTreeStep{}, Created: map[string]string{}, Restored: res.Restored, Counts: jsonTreeCounts(res.Counts())}
	for k, id := range res.Created {
		out.Created[k] = id
	}
	for i, s := range res.Steps {
		out.Steps = append(out.Steps, jsonTreeStep{Step: i + 1, Kind: string(s.Kind), State: string(s.State), Items: []jsonTreeItem{}})
	}
	for _, r := range rows {
		s := &out.Steps[r.Step]
		s.Items = append(s.Items, jsonTreeItem{Territory: jsonRefNamed{ID: r.Territory, Path: r.Path}, User: r.user, Outcome: r.outcome(),
			Reason: string(r.Reason), Code: r.Code, Message: r.Message, Inferred: r.Inferred})
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
	if res.Done().Empty() {
		undo = "; nothing was made, so nothing needs taking back"
	}
	interrupted := ctx.Err() != nil || stopped || errors.Is(err, zohoterritory.ErrStopped)
	if interrupted && status != tree.RunUnfinished {
		interruptedAfter(a)
	}
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
		halt := res.Halt()
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("step %d (%s) failed, so the run stopped before the next: %s%s",
			halt+1, res.Steps[halt].Kind, n, undo))
	case status == tree.RunUnfinished:
		msg := "not all of the plan was made: " + n.String()
		if err != nil {
			_, why := failure(err)
			msg += " (" + why + ")"
		}
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New(msg+finish))
	case n.Refused > 0:
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("not all of the plan was made: Zoho refused %d for good: %s%s", n.Refused, n, undo))
	case err != nil:
		_, why := failure(err)
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("every step was made, but: %s", why))
	}
	return nil
}
