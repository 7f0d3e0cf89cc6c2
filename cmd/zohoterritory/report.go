package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// report is what a change command prints: one change's outcomes (a
// removal, an add), or a set's (a move, an apply, the undo or the resume
// of either), as a table, JSON or CSV.
type report struct {
	changes []reportChange
	calls   []zohoterritory.Call
	kind    kind
	allRows bool
	// users and territories are the names known of each kind; either may
	// be nil.
	users, territories *names
	// journal is the run's journal, for the line about ids not sent; ""
	// without one.
	journal string
}

// reportChange is one change of a report.
type reportChange struct {
	op      zohoterritory.Op
	owner   string
	outs    []outcome
	skipped []jsonSkipped
}

// tally counts every change's outcomes.
func (r *report) tally() tally {
	t := tally{kind: r.kind}
	for _, c := range r.changes {
		t.skipped += len(c.skipped)
		for _, o := range c.outs {
			t.add(o)
		}
	}
	return t
}

// items returns every outcome of every change, for the exit status.
func (r *report) result() *zohoterritory.Result {
	res := &zohoterritory.Result{Calls: r.calls}
	for _, c := range r.changes {
		for _, o := range c.outs {
			res.Items = append(res.Items, o.ItemResult)
		}
	}
	return res
}

// print writes the report in format: "table", "json" or "csv".
func (r *report) print(w io.Writer, format string) error {
	switch {
	case format == "csv":
		return r.csv(w)
	case len(r.changes) == 1 && format == "json":
		return r.json1(w)
	case format == "json":
		return r.jsonSet(w)
	}
	return r.table(w)
}

// namesOf returns the names of the ids of c's rows: users for a
// territory's users, territories for a user's.
func (r *report) namesOf(c reportChange) *names {
	if idsAreUsers(c.op) {
		return r.users
	}
	return r.territories
}

// json1 is a single change's JSON, in the shapes scripts have read from
// the start: the removal's, or the add's.
func (r *report) json1(w io.Writer) error {
	c := r.changes[0]
	ids := make([]string, 0, len(c.outs)+len(c.skipped))
	for _, o := range c.outs {
		ids = append(ids, o.ID)
	}
	ids = append(ids, skippedIDs(c.skipped)...)
	if c.op.Adds() {
		out := toAddJSON(c.outs)
		out.Names = r.namesOf(c).json(ids)
		return encodeJSON(w, out)
	}
	out := toJSON(c.outs, emptyIfNil(c.skipped))
	out.Names = r.namesOf(c).json(ids)
	return encodeJSON(w, out)
}

func emptyIfNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// membership is one membership a change touched: a row of a set's table
// and JSON, and of every CSV.
type membership struct {
	op             string // "add" or "remove"
	territory      string
	user           string
	outcome        string
	reason         string
	code, message  string
	inferred, done bool
}

// memberships lists every row of the report: the changes in order, each
// id in order, then the ids skipped on purpose.
func (r *report) memberships() []membership {
	var out []membership
	for _, c := range r.changes {
		verb := "remove"
		if c.op.Adds() {
			verb = "add"
		}
		place := func(id string) (territory, user string) {
			if idsAreUsers(c.op) {
				return c.owner, id
			}
			return id, c.owner
		}
		for _, o := range c.outs {
			m := membership{op: verb, outcome: o.Outcome.String(), reason: string(o.Reason), code: o.Code, message: o.Message,
				inferred: o.Inferred, done: o.Outcome == zohoterritory.Removed || o.Outcome == zohoterritory.Added || (o.Outcome == zohoterritory.AlreadyPresent && !o.unwanted)}
			if o.absent {
				m.outcome, m.reason, m.done = "absent", "already not a member", true
			}
			m.territory, m.user = place(o.ID)
			out = append(out, m)
		}
		for _, sk := range c.skipped {
			m := membership{op: verb, outcome: "skipped", reason: sk.Reason, message: skipMessage(sk.Reason), done: true}
			m.territory, m.user = place(sk.ID)
			out = append(out, m)
		}
	}
	return out
}

// userName and territoryName are a row's names, "" when unknown.
func (r *report) userName(id string) jsonName {
	if r.users == nil {
		return jsonName{}
	}
	jn, _ := r.users.get(id)
	return jn
}

func (r *report) territoryName(id string) jsonName {
	if r.territories == nil {
		return jsonName{}
	}
	jn, _ := r.territories.get(id)
	return jn
}

// csvHeader names the columns of every change's CSV: one row per
// membership.
var csvHeader = []string{"op", "territory", "territory_name", "territory_path", "user", "user_name", "user_email", "outcome", "reason", "code", "message", "inferred"}

// csv writes a header and a row per membership, every id included, with
// encoding/csv; cells a spreadsheet would run as a formula are made inert.
func (r *report) csv(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, m := range r.memberships() {
		t, u := r.territoryName(m.territory), r.userName(m.user)
		inferred := ""
		if m.inferred {
			inferred = "true"
		}
		rec := []string{m.op, m.territory, t.Name, t.Path, m.user, u.Name, u.Email, m.outcome, m.reason, m.code, m.message, inferred}
		for i := range rec {
			rec[i] = inert(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// inert makes a cell that a spreadsheet would run as a formula (it starts
// with =, +, -, @, a tab or a carriage return) show as text, by a leading
// apostrophe, as OWASP's advice on CSV injection says. The CSV writer
// quotes what needs quoting.
func inert(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}

// jsonMembership is a row of a set's JSON.
type jsonMembership struct {
	Op        string       `json:"op"`
	Territory jsonRefNamed `json:"territory"`
	User      jsonRefNamed `json:"user"`
	Outcome   string       `json:"outcome"`
	Reason    string       `json:"reason,omitempty"`
	Code      string       `json:"code,omitempty"`
	Message   string       `json:"message,omitempty"`
	Inferred  bool         `json:"inferred,omitempty"`
}

// jsonRefNamed is a user or territory with what is known of its name.
type jsonRefNamed struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Path  string `json:"path,omitempty"`
}

// jsonSet is a set's JSON: every membership, and the counts.
type jsonSet struct {
	Memberships []jsonMembership `json:"memberships"`
	Counts      jsonCounts       `json:"counts"`
}

type jsonCounts struct {
	Added          int `json:"added"`
	AlreadyPresent int `json:"already_present"`
	Removed        int `json:"removed"`
	Kept           int `json:"kept"`
	Failed         int `json:"failed"`
	Unknown        int `json:"unknown"`
	NotSent        int `json:"not_sent"`
	Absent         int `json:"absent"`
	Skipped        int `json:"skipped"`
	CallsSent      int `json:"calls_sent"`
}

func (r *report) jsonSet(w io.Writer) error {
	out := jsonSet{Memberships: []jsonMembership{}}
	for _, m := range r.memberships() {
		t, u := r.territoryName(m.territory), r.userName(m.user)
		out.Memberships = append(out.Memberships, jsonMembership{Op: m.op,
			Territory: jsonRefNamed{ID: m.territory, Name: t.Name, Path: t.Path},
			User:      jsonRefNamed{ID: m.user, Name: u.Name, Email: u.Email},
			Outcome:   m.outcome, Reason: m.reason, Code: m.code, Message: m.message, Inferred: m.inferred})
	}
	t := r.tally()
	out.Counts = jsonCounts{Added: t.added, AlreadyPresent: t.present, Removed: t.removed, Kept: t.kept,
		Failed: t.failed - t.kept - t.notSent, Unknown: t.unknown, NotSent: t.notSent, Absent: t.absent, Skipped: t.skipped, CallsSent: callsSent(r.calls)}
	return encodeJSON(w, out)
}

// callsSent counts the calls that went out at least once.
func callsSent(calls []zohoterritory.Call) int {
	n := 0
	for _, c := range calls {
		if c.Attempts > 0 {
			n++
		}
	}
	return n
}

// table writes the rows a person reads: those that need attention and, up
// to maxTableRows, the others; ids never sent are one line, not a row
// each, so that an interrupted run's answer stays on the screen; and a
// summary with the calls sent (and planned, when fewer went out).
func (r *report) table(w io.Writer) error {
	t := r.tally()
	rows := 0
	for _, c := range r.changes {
		rows += len(c.outs) + len(c.skipped) // the ids never sent are left out below
	}
	rows -= t.notSent
	brief := rows > maxTableRows && !r.allRows
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	shown := 0
	if len(r.changes) == 1 {
		shown = r.table1(tw, t, brief)
	} else {
		shown = r.tableSet(tw, brief)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if brief {
		fmt.Fprintf(w, "(%d of %d rows shown: the failed and unknown ids; --all-rows shows every one)\n", shown, rows)
	}
	if t.notSent > 0 {
		how := "run the same command again"
		if r.journal != "" {
			how = "run: zohoterritory resume " + shellQuote(r.journal)
		}
		fmt.Fprintf(w, "%s not sent (-o json or -o csv lists them); to send them, %s\n", plural(t.notSent, "id"), how)
	}
	sent, planned := callsSent(r.calls), len(r.calls)
	calls := plural(sent, "call")
	if sent != planned {
		calls = fmt.Sprintf("%d of %d calls sent", sent, planned)
	}
	fmt.Fprintf(w, "%s (%s)\n", t, calls)
	return nil
}

// table1 writes a single change's rows: ID, the names, OUTCOME, REASON,
// MESSAGE.
func (r *report) table1(tw io.Writer, t tally, brief bool) int {
	c := r.changes[0]
	n := r.namesOf(c)
	shown := 0
	row := func(id, outcome, reason, message string) {
		if shown == 0 {
			if n != nil {
				h1, h2 := n.headers()
				fmt.Fprintf(tw, "ID\t%s\t%s\tOUTCOME\tREASON\tMESSAGE\n", h1, h2)
			} else {
				fmt.Fprintln(tw, "ID\tOUTCOME\tREASON\tMESSAGE")
			}
		}
		shown++
		if n != nil {
			c1, c2 := n.cells(id)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", id, c1, c2, outcome, cell(reason), cell(message))
			return
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", id, outcome, cell(reason), cell(message))
	}
	for _, o := range c.outs {
		if o.Reason == zohoterritory.ReasonNotSent {
			continue
		}
		word, reason := o.Outcome.String(), string(o.Reason)
		switch {
		case o.absent:
			word, reason = "absent", "already not a member"
		case o.Inferred:
			reason = t.verb() + " by an earlier attempt"
		}
		done := o.Outcome == zohoterritory.Removed || o.Outcome == zohoterritory.Added || (o.Outcome == zohoterritory.AlreadyPresent && !o.unwanted)
		if brief && (o.absent || done) {
			continue
		}
		row(o.ID, word, reason, o.Message)
	}
	if !brief {
		for _, sk := range c.skipped {
			row(sk.ID, "skipped", sk.Reason, skipMessage(sk.Reason))
		}
	}
	return shown
}

// tableSet writes a set's rows: OP, TERRITORY, USER (names where known,
// else ids), OUTCOME, REASON, MESSAGE.
func (r *report) tableSet(tw io.Writer, brief bool) int {
	shown := 0
	for _, m := range r.memberships() {
		if m.reason == string(zohoterritory.ReasonNotSent) || (brief && m.done) {
			continue
		}
		if shown == 0 {
			fmt.Fprintln(tw, "OP\tTERRITORY\tUSER\tOUTCOME\tREASON\tMESSAGE")
		}
		shown++
		territory, user := m.territory, m.user
		if t := r.territoryName(m.territory); t.Path != "" {
			territory = t.Path
		} else if t.Name != "" {
			territory = t.Name
		}
		if u := r.userName(m.user); u.Email != "" {
			user = u.Email
		} else if u.Name != "" {
			user = u.Name
		}
		reason := m.reason
		if m.inferred {
			reason = "by an earlier attempt"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.op, territory, user, m.outcome, cell(reason), cell(m.message))
	}
	return shown
}
