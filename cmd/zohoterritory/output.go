package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// maxTableRows is how many rows a table shows before it keeps to the counts
// and the ids that need attention (see --all-rows).
const maxTableRows = 50

// jsonResult is the JSON output of a removal: one object, every id in input
// order. The first four keys are the shape scripts have read from the start;
// the later keys add facts without changing them: "inferred" (removed ids
// concluded from a retry after a lost answer; they are in "removed" too),
// "absent" (with --ignore-absent: ids that were already not members, moved
// out of "failed"), and a cause for each unknown id.
type jsonResult struct {
	Removed       []string      `json:"removed"`
	Failed        []jsonFailed  `json:"failed"`
	Unknown       []string      `json:"unknown"`
	Skipped       []jsonSkipped `json:"skipped"`
	Inferred      []string      `json:"inferred"`
	Absent        []string      `json:"absent"`
	UnknownCauses []jsonCause   `json:"unknown_causes"`
	// Names are the users' or territories' names, by id, when the run
	// read them.
	Names map[string]jsonName `json:"names,omitempty"`
}

// jsonAddResult is the JSON output of an add (a restore): every id in
// input order, by outcome. "inferred" holds the added ids concluded from a
// retry after a lost answer (they are in "added" too).
type jsonAddResult struct {
	Added          []string     `json:"added"`
	AlreadyPresent []string     `json:"already_present"`
	Failed         []jsonFailed `json:"failed"`
	Unknown        []string     `json:"unknown"`
	Inferred       []string     `json:"inferred"`
	UnknownCauses  []jsonCause  `json:"unknown_causes"`
	// Names: as in a removal's.
	Names map[string]jsonName `json:"names,omitempty"`
}

type jsonFailed struct {
	ID      string `json:"id"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Reason  string `json:"reason"`
}

// jsonSkipped is an id that --all listed and did not send, with the reason.
type jsonSkipped struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

type jsonCause struct {
	ID    string `json:"id"`
	Cause string `json:"cause"`
}

// outcome is one id's row: the library's item, read under the command's
// flags.
type outcome struct {
	zohoterritory.ItemResult
	// absent: not a member already, counted as done under --ignore-absent.
	absent bool
	// unwanted: an add found the id a member already, which the command
	// does not count as done (an add without --ignore-present).
	unwanted bool
}

// readFlags say how a command reads outcomes: --ignore-absent for
// removals; for adds, whether "already present" counts as done (restore,
// move and --ignore-present say it does).
type readFlags struct {
	ignoreAbsent, presentDone bool
}

// outcomes reads a result's items under the command's flags.
func outcomes(res *zohoterritory.Result, rf readFlags) []outcome {
	out := make([]outcome, len(res.Items))
	for i, it := range res.Items {
		out[i] = outcome{ItemResult: it,
			absent:   rf.ignoreAbsent && it.Outcome == zohoterritory.Failed && it.Reason == zohoterritory.ReasonNotMember,
			unwanted: !rf.presentDone && it.Outcome == zohoterritory.AlreadyPresent}
	}
	return out
}

// kind is what a command's change does to ids, for its summary and its
// messages.
type kind int

const (
	removing kind = iota
	adding
	changing // a set: adds and removals
)

// tally counts a result's outcomes.
type tally struct {
	removed, added, present, failed, unknown, notSent, absent, skipped, kept, inferred int
	// unwanted counts the present ids an add does not count as done.
	unwanted int
	kind     kind
}

func (t *tally) add(o outcome) {
	switch {
	case o.absent:
		t.absent++
	case o.Outcome == zohoterritory.Removed:
		t.removed++
		if o.Inferred {
			t.inferred++
		}
	case o.Outcome == zohoterritory.Added:
		t.added++
		if o.Inferred {
			t.inferred++
		}
	case o.Outcome == zohoterritory.AlreadyPresent:
		t.present++
		if o.unwanted {
			t.unwanted++
		}
	case o.Outcome == zohoterritory.Unknown:
		t.unknown++
	case o.Reason == zohoterritory.ReasonNotSent:
		t.notSent++
		t.failed++
	case o.Reason == zohoterritory.ReasonKept:
		t.kept++
		t.failed++
	default:
		t.failed++
	}
}

// done reports whether nothing is left to do: every id removed (or
// added), absent or present as the flags allow, or skipped on purpose.
func (t tally) done() bool { return t.failed == 0 && t.unknown == 0 && t.unwanted == 0 }

// doneCount counts the ids the change made or found as asked.
func (t tally) doneCount() int {
	switch t.kind {
	case adding:
		return t.added + t.present
	case changing:
		return t.added + t.present + t.removed
	}
	return t.removed
}

// notDone counts the ids that are not as asked: failed (kept and not sent
// among them), unknown, or present where an add did not want them.
func (t tally) notDone() int { return t.failed + t.unknown + t.unwanted }

// verb is what the change does to an id, for messages.
func (t tally) verb() string {
	switch t.kind {
	case adding:
		return "added"
	case changing:
		return "changed"
	}
	return "removed"
}

// String is the summary: the counts a person reads first.
func (t tally) String() string {
	var s string
	switch t.kind {
	case adding:
		s = fmt.Sprintf("%d added, %d already present, %d failed, %d unknown", t.added, t.present, t.failed, t.unknown)
	case changing:
		s = fmt.Sprintf("%d added, %d already present, %d removed, %d kept, %d failed, %d unknown",
			t.added, t.present, t.removed, t.kept, t.failed-t.kept, t.unknown)
	default:
		s = fmt.Sprintf("%d removed, %d failed, %d unknown", t.removed, t.failed, t.unknown)
	}
	if t.absent > 0 {
		s += fmt.Sprintf(", %d absent", t.absent)
	}
	if t.skipped > 0 {
		s += fmt.Sprintf(", %d skipped", t.skipped)
	}
	return s
}

func toAddJSON(outs []outcome) jsonAddResult {
	out := jsonAddResult{Added: []string{}, AlreadyPresent: []string{}, Failed: []jsonFailed{}, Unknown: []string{},
		Inferred: []string{}, UnknownCauses: []jsonCause{}}
	for _, o := range outs {
		switch o.Outcome {
		case zohoterritory.Added:
			out.Added = append(out.Added, o.ID)
			if o.Inferred {
				out.Inferred = append(out.Inferred, o.ID)
			}
		case zohoterritory.AlreadyPresent:
			out.AlreadyPresent = append(out.AlreadyPresent, o.ID)
		case zohoterritory.Failed:
			out.Failed = append(out.Failed, jsonFailed{ID: o.ID, Code: o.Code, Message: o.Message, Reason: string(o.Reason)})
		default:
			out.Unknown = append(out.Unknown, o.ID)
			out.UnknownCauses = append(out.UnknownCauses, jsonCause{ID: o.ID, Cause: o.Message})
		}
	}
	return out
}

func toJSON(outs []outcome, skipped []jsonSkipped) jsonResult {
	out := jsonResult{Removed: []string{}, Failed: []jsonFailed{}, Unknown: []string{}, Skipped: skipped,
		Inferred: []string{}, Absent: []string{}, UnknownCauses: []jsonCause{}}
	for _, o := range outs {
		switch {
		case o.absent:
			out.Absent = append(out.Absent, o.ID)
		case o.Outcome == zohoterritory.Removed:
			out.Removed = append(out.Removed, o.ID)
			if o.Inferred {
				out.Inferred = append(out.Inferred, o.ID)
			}
		case o.Outcome == zohoterritory.Failed:
			out.Failed = append(out.Failed, jsonFailed{ID: o.ID, Code: o.Code, Message: o.Message, Reason: string(o.Reason)})
		default:
			out.Unknown = append(out.Unknown, o.ID)
			out.UnknownCauses = append(out.UnknownCauses, jsonCause{ID: o.ID, Cause: o.Message})
		}
	}
	return out
}

func skipMessage(reason string) string {
	switch zohoterritory.Reason(reason) {
	case zohoterritory.ReasonDefaultTerritory:
		return "the organization's default territory cannot be removed"
	case zohoterritory.ReasonManager:
		return "the user manages the territory"
	case zohoterritory.ReasonExcepted:
		return "named in --except"
	}
	return "-"
}

// jsonPlan is the JSON output of a dry run: the calls a removal would make,
// and the ids --all would leave alone.
type jsonPlan struct {
	Planned []jsonCall    `json:"planned"`
	Skipped []jsonSkipped `json:"skipped"`
}

type jsonCall struct {
	Operation string   `json:"operation"`
	Method    string   `json:"method"`
	URL       string   `json:"url"`
	IDs       []string `json:"ids"`
}

func printPlan(w io.Writer, format string, plan []zohoterritory.PlannedCall, skipped []jsonSkipped, listed bool) error {
	if format == "json" {
		out := jsonPlan{Planned: []jsonCall{}, Skipped: skipped}
		for _, p := range plan {
			out.Planned = append(out.Planned, jsonCall{Operation: p.Operation, Method: p.Method, URL: p.URL, IDs: p.IDs})
		}
		return encodeJSON(w, out)
	}
	total := 0
	for _, p := range plan {
		total += len(p.IDs)
		fmt.Fprintln(w, p)
	}
	for _, sk := range skipped {
		fmt.Fprintf(w, "skip %s (%s: %s)\n", sk.ID, sk.Reason, skipMessage(sk.Reason))
	}
	if !listed {
		fmt.Fprintf(w, "dry run: %s in %s; nothing was sent\n", plural(total, "id"), plural(len(plan), "call"))
		return nil
	}
	fmt.Fprintf(w, "dry run: %s in %s, %d skipped; the listing was read, nothing was removed\n",
		plural(total, "id"), plural(len(plan), "call"), len(skipped))
	return nil
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cell(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
