package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// maxTableRows is how many rows a table shows before it keeps to the counts
// and the ids that need attention (see --all-rows).
const maxTableRows = 50

// report is what a change command prints: one change's outcomes (a
// removal, an add), or a set's (a move, an apply, the undo or the resume
// of either), as a table, JSON or CSV. The library counts; the report
// shows.
type report struct {
	changes []reportChange
	// opts say what counts as done: --ignore-absent, --ignore-present, or
	// what a move, an apply, a resume or a restore want.
	opts    zohoterritory.CountOptions
	allRows bool
	// users and territories are the names known of each kind; either may
	// be nil.
	users, territories *names
	// journal is the run's journal, for the line about ids not sent; ""
	// without one.
	journal string
}

// reportChange is one change of a report: its result (the op, every id's
// outcome, the calls), its owner, and the ids --all left alone.
type reportChange struct {
	res     *zohoterritory.Result
	owner   string
	skipped []zohoterritory.Skipped
}

// setReport is the report of a set's result, a change of the report for
// each change of the set.
func setReport(set zohoterritory.ChangeSet, res *zohoterritory.SetResult, opts zohoterritory.CountOptions, allRows bool, journalPath string) *report {
	rep := &report{opts: opts, allRows: allRows, journal: journalPath}
	for i, ch := range set.Changes {
		rep.changes = append(rep.changes, reportChange{res: res.Results[i], owner: ch.Owner})
	}
	return rep
}

// results is every change's result, as one set's.
func (r *report) results() *zohoterritory.SetResult {
	set := &zohoterritory.SetResult{}
	for _, c := range r.changes {
		set.Results = append(set.Results, c.res)
	}
	return set
}

// counts counts every change's outcomes, and the ids left alone.
func (r *report) counts() zohoterritory.Counts {
	n := r.results().Count(r.opts)
	for _, c := range r.changes {
		n.Skipped += len(c.skipped)
	}
	return n
}

// idsAreUsers reports whether op's ids are users (its owner a territory).
func idsAreUsers(op zohoterritory.Op) bool {
	ids, _ := op.Kinds()
	return ids == zohoterritory.KindUser
}

// opWord is how an output names what an op does to a membership: "add"
// or "remove".
func opWord(op zohoterritory.Op) string {
	if op.Adds() {
		return "add"
	}
	return "remove"
}

// opDone is what an op did to a membership: "added" or "removed".
func opDone(op zohoterritory.Op) string {
	if op.Adds() {
		return "added"
	}
	return "removed"
}

// nameIDs are the ids whose names the report shows: a single change's
// rows in a table or JSON; every membership's user and territory
// otherwise.
func (r *report) nameIDs(format string) (userIDs, territoryIDs []string) {
	for _, m := range r.memberships() {
		if len(r.changes) == 1 && format != "csv" {
			if idsAreUsers(r.changes[0].res.Op) {
				userIDs = append(userIDs, m.user)
			} else {
				territoryIDs = append(territoryIDs, m.territory)
			}
			continue
		}
		userIDs, territoryIDs = append(userIDs, m.user), append(territoryIDs, m.territory)
	}
	return userIDs, territoryIDs
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
	if idsAreUsers(c.res.Op) {
		return r.users
	}
	return r.territories
}

// json1 is a single change's JSON, in the shapes scripts have read from
// the start: the removal's, or the add's.
func (r *report) json1(w io.Writer) error {
	c := r.changes[0]
	ids := make([]string, 0, len(c.res.Items)+len(c.skipped))
	for _, it := range c.res.Items {
		ids = append(ids, it.ID)
	}
	for _, sk := range c.skipped {
		ids = append(ids, sk.ID)
	}
	if c.res.Op.Adds() {
		out := toAddJSON(c.res.Items)
		out.Names = r.namesOf(c).json(ids)
		return encodeJSON(w, out)
	}
	out := toJSON(c.res.Items, r.opts, c.skipped)
	out.Names = r.namesOf(c).json(ids)
	return encodeJSON(w, out)
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
		place := func(id string) (territory, user string) {
			if idsAreUsers(c.res.Op) {
				return c.owner, id
			}
			return id, c.owner
		}
		for _, it := range c.res.Items {
			m := membership{op: opWord(c.res.Op), outcome: it.Outcome.String(), reason: string(it.Reason), code: it.Code, message: it.Message,
				inferred: it.Inferred, done: it.Done(r.opts)}
			if it.Absent(r.opts) {
				m.outcome, m.reason = "absent", "already not a member"
			}
			m.territory, m.user = place(it.ID)
			out = append(out, m)
		}
		for _, sk := range c.skipped {
			m := membership{op: opWord(c.res.Op), outcome: "skipped", reason: string(sk.Reason), message: skipMessage(sk.Reason), done: true}
			m.territory, m.user = place(sk.ID)
			out = append(out, m)
		}
	}
	return out
}

// userName and territoryName are a row's names, "" when unknown.
func (r *report) userName(id string) jsonName {
	jn, _ := r.users.get(id)
	return jn
}

func (r *report) territoryName(id string) jsonName {
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
	n := r.counts()
	out.Counts = jsonCounts{Added: n.Added, AlreadyPresent: n.AlreadyPresent, Removed: n.Removed, Kept: n.Kept,
		Failed: n.Failed - n.Kept - n.NotSent, Unknown: n.Unknown, NotSent: n.NotSent, Absent: n.Absent, Skipped: n.Skipped, CallsSent: n.CallsSent}
	return encodeJSON(w, out)
}

// table writes the rows a person reads: those that need attention and, up
// to maxTableRows, the others; ids never sent are one line, not a row
// each, so that an interrupted run's answer stays on the screen; and the
// library's summary with the calls sent (and planned, when fewer went
// out).
func (r *report) table(w io.Writer) error {
	n := r.counts()
	rows := n.Done() + n.NotDone() + n.Skipped - n.NotSent // the ids never sent are left out below
	brief := rows > maxTableRows && !r.allRows
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	shown := 0
	if len(r.changes) == 1 {
		shown = r.table1(tw, n, brief)
	} else {
		shown = r.tableSet(tw, brief)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if brief {
		fmt.Fprintf(w, "(%d of %d rows shown: the failed and unknown ids; --all-rows shows every one)\n", shown, rows)
	}
	if n.NotSent > 0 {
		how := "run the same command again"
		if r.journal != "" {
			how = "run: zohoterritory resume " + shellQuote(r.journal)
		}
		fmt.Fprintf(w, "%s not sent (-o json or -o csv lists them); to send them, %s\n", plural(n.NotSent, "id"), how)
	}
	fmt.Fprintf(w, "%s (%s)\n", n, n.CallsString())
	return nil
}

// table1 writes a single change's rows: ID, the names, OUTCOME, REASON,
// MESSAGE.
func (r *report) table1(tw io.Writer, n zohoterritory.Counts, brief bool) int {
	c := r.changes[0]
	names := r.namesOf(c)
	shown := 0
	row := func(id, outcome, reason, message string) {
		if shown == 0 {
			if names != nil {
				h1, h2 := names.headers()
				fmt.Fprintf(tw, "ID\t%s\t%s\tOUTCOME\tREASON\tMESSAGE\n", h1, h2)
			} else {
				fmt.Fprintln(tw, "ID\tOUTCOME\tREASON\tMESSAGE")
			}
		}
		shown++
		if names != nil {
			c1, c2 := names.cells(id)
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", id, c1, c2, outcome, cell(reason), cell(message))
			return
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", id, outcome, cell(reason), cell(message))
	}
	for _, it := range c.res.Items {
		if it.Reason == zohoterritory.ReasonNotSent {
			continue
		}
		word, reason := it.Outcome.String(), string(it.Reason)
		switch {
		case it.Absent(r.opts):
			word, reason = "absent", "already not a member"
		case it.Inferred:
			reason = n.Verb() + " by an earlier attempt"
		}
		if brief && it.Done(r.opts) {
			continue
		}
		row(it.ID, word, reason, it.Message)
	}
	if !brief {
		for _, sk := range c.skipped {
			row(sk.ID, "skipped", string(sk.Reason), skipMessage(sk.Reason))
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
