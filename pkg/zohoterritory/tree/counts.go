package tree

import (
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file is the one count of a run of a plan: what became of each
// territory and each membership, what is done, what Zoho refused for good
// and what a resume sends again; the steps' states, the run's status and
// its summary all read it.

// CountOptions returns what counts as done for a membership of a run of
// a plan: an add that found the user a member already, and a removal that
// found the user gone already, leave the territory as the plan wants it.
// [ApplyResult.Counts], the steps' states and [ApplyResult.Complete] all
// count so.
func CountOptions() zohoterritory.CountOptions {
	return zohoterritory.CountOptions{PresentIsDone: true, AbsentIsDone: true}
}

// fate is what became of one territory or membership of a run, for the
// counts, the step's state and the run's status.
type fate int

const (
	// fateDone: as the plan wants it.
	fateDone fate = iota
	// fateRefused: refused for good, for a reason of its own (Zoho's
	// per-item refusal, or a removal a set kept because the user's add
	// failed): a resume does not send it again.
	fateRefused
	// fateUnknown: its outcome was never learned (an answer lost): a
	// resume sends it again, as maybe done.
	fateUnknown
	// fateNotSent: Zoho did nothing to it, for no reason of its own:
	// never sent, or sent in a call that failed as a whole (a 429 past
	// the retries, a refused token, a request refused whole): a resume
	// sends it again.
	fateNotSent
)

// settled reports whether the fate is final: a resume does not send it.
func (f fate) settled() bool { return f == fateDone || f == fateRefused }

// territoryFate is what became of a territory of a structure step.
func territoryFate(it zohoterritory.TerritoryItem) fate {
	done := it.Outcome == zohoterritory.Created || it.Outcome == zohoterritory.Updated || it.Outcome == zohoterritory.Deleted
	return fateOf(done, it.Settled(), it.Outcome)
}

// memberFate is what became of a membership of an add or remove step,
// done as [CountOptions] counts it.
func memberFate(it zohoterritory.ItemResult) fate {
	return fateOf(it.Done(CountOptions()), it.Settled(), it.Outcome)
}

// fateOf is the fate of a place done or not, settled or not, of outcome o.
func fateOf(done, settled bool, o zohoterritory.Outcome) fate {
	switch {
	case done:
		return fateDone
	case settled:
		return fateRefused
	case o == zohoterritory.Unknown:
		return fateUnknown
	}
	return fateNotSent
}

// RunCounts are what a run of a plan came to, each territory and each
// membership of every step counted once, in exactly one of the first six
// fields or the last three: the one count behind a run's summary. Build
// them with [ApplyResult.Counts].
type RunCounts struct {
	// Created, Updated and Deleted count the territories Zoho changed (on
	// its word, or inferred after a lost answer).
	Created, Updated, Deleted int
	// Added counts the memberships added; Present those an add found a
	// member already; Removed those removed, or that a removal found gone
	// already. All are done ([CountOptions]).
	Added, Present, Removed int
	// Refused counts the territories and memberships refused for good, for
	// a reason of their own: by Zoho, item by item (a name taken, the org
	// or a territory full, an inactive user, ...), or a removal that a set
	// kept because the user's add failed ([zohoterritory.ReasonKept]). A
	// resume does not send them again.
	Refused int
	// Unknown counts those whose outcome was never learned (an answer
	// lost): a resume sends them again, as maybe done.
	Unknown int
	// NotSent counts those Zoho did nothing to, for no reason of their
	// own: never sent (a stop, a step after the one that stopped the run),
	// or sent in a call that failed as a whole (a 429 past the retries, a
	// refused token, a request Zoho refused whole; the item's reason says
	// which). A resume sends them again, unless the run halted
	// ([RunHalted]: a structure step refused for good, which a resume
	// stops at again; the journal calls them blocked).
	NotSent int
}

// Counts counts the run's territories and memberships, each item of
// [ApplyResult.Items] once, as [CountOptions] counts memberships.
func (r *ApplyResult) Counts() RunCounts {
	var n RunCounts
	for _, it := range r.items() {
		n.count(it.fate, it.Outcome)
	}
	return n
}

// RunItem is one territory or membership of a step of a run, as it came
// out: a row of the run's report.
type RunItem struct {
	// Step is the step's index in the plan (from 0); Kind its kind.
	Step int
	Kind StepKind
	// Territory is the territory's id: its own, or for one the plan
	// creates the id its create got ("" until then). Path is where it
	// ends (a deleted one's, where it was).
	Territory, Path string
	// User is a membership's user id; "" for a territory.
	User string
	// Outcome, Reason, Code, Message and Inferred are the client's
	// ([zohoterritory.TerritoryItem], [zohoterritory.ItemResult]); those
	// of a step never sent are failed, [zohoterritory.ReasonNotSent].
	Outcome       zohoterritory.Outcome
	Reason        zohoterritory.Reason
	Code, Message string
	Inferred      bool
	// Done says it is as the plan wants it: changed, or a membership done
	// under [CountOptions].
	Done bool
	// Absent says it is a removal that found the user gone already
	// ([zohoterritory.ItemResult.Absent] under [CountOptions]): done,
	// though its Outcome is Zoho's refusal, failed, not_member.
	Absent bool
}

// Items returns every territory and membership of every step of the run,
// in the plan's order, each with its outcome: the one list behind the
// run's report, its [ApplyResult.Counts] and its [ApplyResult.Status].
func (r *ApplyResult) Items() []RunItem {
	items := r.items()
	out := make([]RunItem, len(items))
	for i, it := range items {
		out[i] = it.RunItem
	}
	return out
}

// runItem is a [RunItem] with its fate.
type runItem struct {
	RunItem
	fate fate
}

func (r *ApplyResult) items() []runItem {
	var out []runItem
	p := r.plan
	for i, s := range r.Steps {
		var ps Step
		if p != nil && i < len(p.Steps) {
			ps = p.Steps[i]
		}
		base := RunItem{Step: i, Kind: s.Kind}
		if t := s.Territories; t != nil {
			for _, it := range t.Items {
				ri := base
				ri.Territory, ri.Path = it.ID, ps.path(it.Index)
				ri.Outcome, ri.Reason, ri.Code, ri.Message, ri.Inferred = it.Outcome, it.Reason, it.Code, it.Message, it.Inferred
				f := territoryFate(it)
				ri.Done = f == fateDone
				out = append(out, runItem{ri, f})
			}
		}
		if m := s.Members; m != nil {
			for _, it := range m.Items {
				ri := base
				if ps.Members != nil {
					ri.Territory, ri.Path = r.id(ps.Members.Territory), ps.Members.Path
				}
				ri.User = it.ID
				ri.Outcome, ri.Reason, ri.Code, ri.Message, ri.Inferred = it.Outcome, it.Reason, it.Code, it.Message, it.Inferred
				f := memberFate(it)
				ri.Done, ri.Absent = f == fateDone, it.Absent(CountOptions())
				out = append(out, runItem{ri, f})
			}
		}
	}
	return out
}

// id is the id of a territory the plan names: its own, or the one its
// create got ("" when none did).
func (r *ApplyResult) id(ref Ref) string {
	if ref.ID != "" {
		return ref.ID
	}
	return r.Created[ref.Key]
}

// path is where the step's territory at index k ends.
func (s Step) path(k int) string {
	switch {
	case k < 0:
	case k < len(s.Creates):
		return s.Creates[k].Path
	case k < len(s.Updates):
		return s.Updates[k].Path
	case k < len(s.Deletes):
		return s.Deletes[k].Path
	}
	return ""
}

// count counts one territory or membership in: its fate, and for one done
// what was done.
func (n *RunCounts) count(f fate, o zohoterritory.Outcome) {
	switch {
	case f == fateRefused:
		n.Refused++
	case f == fateUnknown:
		n.Unknown++
	case f == fateNotSent:
		n.NotSent++
	case o == zohoterritory.Created:
		n.Created++
	case o == zohoterritory.Updated:
		n.Updated++
	case o == zohoterritory.Deleted:
		n.Deleted++
	case o == zohoterritory.Added:
		n.Added++
	case o == zohoterritory.AlreadyPresent:
		n.Present++
	default: // removed, or absent already
		n.Removed++
	}
}

// Done counts the territories and memberships as the plan wants them.
func (n RunCounts) Done() int {
	return n.Created + n.Updated + n.Deleted + n.Added + n.Present + n.Removed
}

// String is the run's summary line: "1 created, 2 updated, 1 deleted; 2
// memberships added (1 present already), 1 removed; 0 refused, 0 unknown,
// 0 not sent", the territories and the memberships together in the last
// three.
func (n RunCounts) String() string {
	added := fmt.Sprintf("%d %s added", n.Added, pluralWord(n.Added, "membership", "memberships"))
	if n.Present > 0 {
		added += fmt.Sprintf(" (%d present already)", n.Present)
	}
	return fmt.Sprintf("%d created, %d updated, %d deleted; %s, %d removed; %d refused, %d unknown, %d not sent",
		n.Created, n.Updated, n.Deleted, added, n.Removed, n.Refused, n.Unknown, n.NotSent)
}
