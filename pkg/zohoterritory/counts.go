package zohoterritory

import "fmt"

// This file is the one count of a change's outcomes: what is done, what is
// not, and the line a person reads first. [Result.String],
// [SetResult.String] and zohoterritory's summaries all read it.

// CountOptions say what counts as done besides what a change made.
type CountOptions struct {
	// AbsentIsDone counts a removal that Zoho refused because the id is
	// not a member ([ReasonNotMember]) as done, "absent": what a second
	// run of the same removal wants.
	AbsentIsDone bool
	// PresentIsDone counts an add that found the id a member already
	// ([AlreadyPresent]) as done: what a second run of the same add, a
	// move, a restore or a plan's adds want. Without it the membership is
	// there, but the add did not make it.
	PresentIsDone bool
}

// Absent reports whether r is a removal refused because the id is not a
// member, which opts count as done.
func (r ItemResult) Absent(opts CountOptions) bool {
	return opts.AbsentIsDone && r.Outcome == Failed && r.Reason == ReasonNotMember
}

// Done reports whether the id is as its change asked, under opts: removed
// or added (on Zoho's word, or inferred after a lost answer), present
// already or absent as opts allow.
func (r ItemResult) Done(opts CountOptions) bool {
	switch r.Outcome {
	case Removed, Added:
		return true
	case AlreadyPresent:
		return opts.PresentIsDone
	}
	return r.Absent(opts)
}

// Settled reports whether the id's outcome is final: done (removed,
// added, present already), or refused for a reason of the id's own (by
// Zoho, or [ReasonKept] by a set). A resume sends every other id again:
// unknown, not sent, rate limited, or failed with its whole call (Err set).
func (r ItemResult) Settled() bool {
	switch r.Outcome {
	case Removed, Added, AlreadyPresent:
		return true
	case Failed:
		return !wholeCall(r.Err, r.Reason)
	}
	return false
}

// Settled reports whether the territory's outcome is final, as
// [ItemResult.Settled] says of an id: created, updated or deleted, or
// refused for a reason of its own.
func (it TerritoryItem) Settled() bool {
	switch it.Outcome {
	case Created, Updated, Deleted:
		return true
	case Failed:
		return !wholeCall(it.Err, it.Reason)
	}
	return false
}

// wholeCall reports whether a failure is its call's as a whole rather than
// the item's own: nothing was done to it, and a resume sends it again.
func wholeCall(err error, reason Reason) bool {
	return err != nil || reason == ReasonNotSent || reason == ReasonRateLimited
}

// Counts are the outcomes of a change, or of a set of changes, counted
// once each: build them with [Result.Count] or [SetResult.Count].
type Counts struct {
	Added, AlreadyPresent, Removed int
	// Absent are the removals of ids that were not members, counted as
	// done ([CountOptions.AbsentIsDone]); they are not among Failed.
	Absent int
	// Failed are the ids not changed, for any reason; Kept (a set's
	// removals of users whose add failed) and NotSent ([ReasonNotSent])
	// are among them.
	Failed, Kept, NotSent int
	// Unknown are the ids whose outcome was never learned.
	Unknown int
	// Unsettled are the ids a resume sends again, those not
	// [ItemResult.Settled]: Unknown and NotSent among them, and the ids
	// rate limited or failed with their whole call.
	Unsettled int
	// Inferred are the ids among Added and Removed concluded from a
	// retry after a lost answer.
	Inferred int
	// PresentNotDone are the ids among AlreadyPresent not counted as done
	// (without [CountOptions.PresentIsDone]).
	PresentNotDone int
	// Skipped are ids left alone on purpose before anything was sent,
	// such as a [RemovalPlan]'s Skipped: the caller adds them, since a
	// result holds only what was sent or settled.
	Skipped int
	// Adds and Removes say what the changes counted do: add memberships,
	// remove them, or both (a move, a reorganisation).
	Adds, Removes bool
	// Calls are the calls the changes planned; CallsSent those that went
	// out at least once.
	Calls, CallsSent int
}

// add counts one outcome in.
func (c *Counts) add(it ItemResult, opts CountOptions) {
	switch {
	case it.Absent(opts):
		c.Absent++
	case it.Outcome == Removed:
		c.Removed++
	case it.Outcome == Added:
		c.Added++
	case it.Outcome == AlreadyPresent:
		c.AlreadyPresent++
		if !opts.PresentIsDone {
			c.PresentNotDone++
		}
	case it.Outcome == Unknown:
		c.Unknown++
	default:
		c.Failed++
		switch it.Reason {
		case ReasonNotSent:
			c.NotSent++
		case ReasonKept:
			c.Kept++
		}
	}
	if it.Inferred && (it.Outcome == Removed || it.Outcome == Added) {
		c.Inferred++
	}
	if !it.Settled() {
		c.Unsettled++
	}
}

// count counts r in: its items under opts, what its op does, its calls.
func (c *Counts) count(r *Result, opts CountOptions) {
	for _, it := range r.Items {
		c.add(it, opts)
	}
	adds := r.Op.Adds()
	if r.Op == "" {
		// A Result made by hand, without its op: its outcomes tell.
		adds = len(r.Added())+len(r.AlreadyPresent()) > 0
	}
	c.Adds = c.Adds || adds
	c.Removes = c.Removes || !adds
	c.Calls += len(r.Calls)
	for _, call := range r.Calls {
		if call.Attempts > 0 {
			c.CallsSent++
		}
	}
}

// Count counts the result's outcomes under opts.
func (r *Result) Count(opts CountOptions) Counts {
	var c Counts
	c.count(r, opts)
	return c
}

// Count counts the outcomes of every change of the set under opts.
func (r *SetResult) Count(opts CountOptions) Counts {
	var c Counts
	for _, res := range r.Results {
		c.count(res, opts)
	}
	return c
}

// Done counts the ids as their change asked: added, removed, and present
// already or absent as the options allowed.
func (c Counts) Done() int {
	return c.Added + c.AlreadyPresent - c.PresentNotDone + c.Removed + c.Absent
}

// NotDone counts the ids not as their change asked: failed (those kept and
// those not sent among them), unknown, or present already where that does
// not count.
func (c Counts) NotDone() int { return c.Failed + c.Unknown + c.PresentNotDone }

// AllDone reports whether nothing is left to do: every id done, or
// skipped on purpose.
func (c Counts) AllDone() bool { return c.NotDone() == 0 }

// Verb is what the changes did to an id: "removed", "added", or "changed"
// for a set that does both.
func (c Counts) Verb() string {
	switch {
	case c.Adds && c.Removes:
		return "changed"
	case c.Adds:
		return "added"
	}
	return "removed"
}

// String is the line a person reads first: "3 removed, 1 failed, 0
// unknown" for removals, "2 added, 1 already present, 0 failed, 0 unknown"
// for adds, "2 added, 0 already present, 2 removed, 1 kept, 0 failed, 0
// unknown" for both (failed then counts those not kept); then the absent
// and the skipped ids, when there are any.
func (c Counts) String() string {
	var s string
	switch c.Verb() {
	case "changed":
		s = fmt.Sprintf("%d added, %d already present, %d removed, %d kept, %d failed, %d unknown",
			c.Added, c.AlreadyPresent, c.Removed, c.Kept, c.Failed-c.Kept, c.Unknown)
	case "added":
		s = fmt.Sprintf("%d added, %d already present, %d failed, %d unknown", c.Added, c.AlreadyPresent, c.Failed, c.Unknown)
	default:
		s = fmt.Sprintf("%d removed, %d failed, %d unknown", c.Removed, c.Failed, c.Unknown)
	}
	if c.Absent > 0 {
		s += fmt.Sprintf(", %d absent", c.Absent)
	}
	if c.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", c.Skipped)
	}
	return s
}

// CallsString says how many calls went out: "2 calls", or "3 of 5 calls
// sent" when some planned were not.
func (c Counts) CallsString() string {
	if c.CallsSent != c.Calls {
		return fmt.Sprintf("%d of %d calls sent", c.CallsSent, c.Calls)
	}
	return plural(c.Calls, "call")
}
