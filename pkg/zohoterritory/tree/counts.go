package tree

import (
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// CountOptions returns what counts as done for a membership of a run of
// a plan: an add that found the user a member already, and a removal that
// found the user gone already, leave the territory as the plan wants it.
// [ApplyResult.Counts], the steps' states and [ApplyResult.Complete] all
// count so.
func CountOptions() zohoterritory.CountOptions {
	return zohoterritory.CountOptions{PresentIsDone: true, AbsentIsDone: true}
}

// RunCounts are what a run of a plan came to, each territory and each
// membership of every step counted once: the one count behind a run's
// summary. Build them with [ApplyResult.Counts].
type RunCounts struct {
	// Created, Updated and Deleted count the structure steps' territories
	// Zoho changed (on its word, or inferred after a lost answer).
	Created, Updated, Deleted int
	// Failed, Unknown and NotSent count the structure steps' territories
	// that were not changed: refused, of an outcome never learned, or
	// never sent (a step after the one that stopped the run is all not
	// sent).
	Failed, Unknown, NotSent int
	// Members counts the membership steps' users as every membership
	// change is counted, under [CountOptions] (an add that found the user
	// a member already is AlreadyPresent, not Added; a removal that found
	// the user gone, Absent); a membership step never sent counts its
	// users among Failed and NotSent.
	Members zohoterritory.Counts
}

// Counts counts the run's territories and memberships, step by step; the
// memberships under [CountOptions].
func (r *ApplyResult) Counts() RunCounts {
	var n RunCounts
	var members zohoterritory.SetResult
	for i, s := range r.Steps {
		switch {
		case s.Territories != nil:
			for _, it := range s.Territories.Items {
				n.countTerritory(it)
			}
		case s.Members != nil:
			members.Results = append(members.Results, s.Members)
		case r.plan != nil && i < len(r.plan.Steps):
			n.countNotSent(r.plan.Steps[i], &members)
		}
	}
	n.Members = members.Count(CountOptions())
	return n
}

func (n *RunCounts) countTerritory(it zohoterritory.TerritoryItem) {
	switch {
	case it.Outcome == zohoterritory.Created:
		n.Created++
	case it.Outcome == zohoterritory.Updated:
		n.Updated++
	case it.Outcome == zohoterritory.Deleted:
		n.Deleted++
	case it.Outcome == zohoterritory.Unknown:
		n.Unknown++
	default:
		n.Failed++
		if it.Reason == zohoterritory.ReasonNotSent {
			n.NotSent++
		}
	}
}

// countNotSent counts a step nothing of which was sent: its territories
// among Failed and NotSent, its users as a membership result of items
// not sent.
func (n *RunCounts) countNotSent(s Step, members *zohoterritory.SetResult) {
	if s.Members != nil {
		op := zohoterritory.OpRemoveUsers
		if s.Kind == StepAdd {
			op = zohoterritory.OpAddUsers
		}
		res := &zohoterritory.Result{Op: op}
		for _, id := range s.Members.Users {
			res.Items = append(res.Items, zohoterritory.ItemResult{ID: id, Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonNotSent})
		}
		members.Results = append(members.Results, res)
		return
	}
	k := len(s.Creates) + len(s.Updates) + len(s.Deletes)
	n.Failed += k
	n.NotSent += k
}

// Refused counts the territories and memberships refused for good: not
// changed, and neither unknown nor never sent.
func (n RunCounts) Refused() int {
	return n.Failed - n.NotSent + n.Members.Failed - n.Members.NotSent
}

// Unsent counts the territories and memberships never sent.
func (n RunCounts) Unsent() int { return n.NotSent + n.Members.NotSent }

// Unsettled counts the territories and memberships whose outcome was never
// learned.
func (n RunCounts) Unsettled() int { return n.Unknown + n.Members.Unknown }

// String is the run's summary line: "1 created, 2 updated, 1 deleted; 2
// memberships added (1 present already), 1 removed; 0 failed, 0 unknown,
// 0 not sent", the territories and the memberships together in the last
// three.
func (n RunCounts) String() string {
	m := n.Members
	added := fmt.Sprintf("%d %s added", m.Added, pluralWord(m.Added, "membership", "memberships"))
	if m.AlreadyPresent > 0 {
		added += fmt.Sprintf(" (%d present already)", m.AlreadyPresent)
	}
	return fmt.Sprintf("%d created, %d updated, %d deleted; %s, %d removed; %d failed, %d unknown, %d not sent",
		n.Created, n.Updated, n.Deleted, added, m.Removed+m.Absent, n.Refused(), n.Unsettled(), n.Unsent())
}
