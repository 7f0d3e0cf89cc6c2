package journal

import (
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// Outcome returns the last outcome the journal records for id, and whether
// it records one. Err is never set: the journal keeps what a person needs
// (code, reason, message), not the error values.
func (c *ChangeLog) Outcome(id string) (zohoterritory.ItemResult, bool) {
	st, ok := c.states[id]
	if !ok || st.last == nil {
		return zohoterritory.ItemResult{}, false
	}
	o, _ := zohoterritory.ParseOutcome(st.last.Outcome)
	return zohoterritory.ItemResult{ID: id, Outcome: o, Reason: zohoterritory.Reason(st.last.Reason), Code: st.last.Code,
		Message: st.last.Message, Inferred: st.last.Inferred}, true
}

// Settled reports whether id's outcome is known for good: done (removed,
// added, present already), or refused by Zoho for a reason of the id's
// own. Resume sends every other id again.
func (c *ChangeLog) Settled(id string) bool {
	st, ok := c.states[id]
	return ok && st.last != nil && final(*st.last)
}

// Pending returns, in the change's order, the ids a resume sends (those
// not settled) and, among them, those an attempt may have done without its
// answer being recorded ([zohoterritory.Change.MaybeDone]).
func (c *ChangeLog) Pending() (ids, maybeDone []string) {
	for _, id := range c.IDs {
		if c.Settled(id) {
			continue
		}
		ids = append(ids, id)
		if c.states[id].maybe() {
			maybeDone = append(maybeDone, id)
		}
	}
	return ids, maybeDone
}

// Done returns, in the change's order, the ids the run changed: removed
// (or, for an add, added), Zoho's word or inferred. Present-already ids are
// not among them: the run did not change them.
func (c *ChangeLog) Done() []string {
	var out []string
	for _, id := range c.IDs {
		if it, ok := c.Outcome(id); ok && (it.Outcome == zohoterritory.Removed || it.Outcome == zohoterritory.Added) {
			out = append(out, id)
		}
	}
	return out
}

// Counts counts the change's ids.
func (c *ChangeLog) Counts() Counts {
	n := Counts{Total: len(c.IDs)}
	for _, id := range c.IDs {
		it, ok := c.Outcome(id)
		switch {
		case !c.Settled(id):
			n.Pending++
			if c.states[id].maybe() {
				n.Maybe++
			}
		case it.Outcome == zohoterritory.AlreadyPresent:
			n.Present++
		case ok && it.Outcome == zohoterritory.Failed:
			n.Failed++
		default:
			n.Done++
		}
	}
	return n
}

// undo returns the change that puts back what this change did, and the
// ids it may have done that the undo leaves alone. A removal's undo adds
// back every id it removed and every id it may have removed without the
// answer being recorded (adding a member again is harmless: Zoho says
// "already present"). An add's undo removes the ids it added, but not
// those it may have added: one may have been a member before, and removing
// it would take away what the run never gave.
func (c *ChangeLog) undo() (ch zohoterritory.Change, doubtful []string) {
	ch = zohoterritory.Change{Op: c.Op.Undo(), Owner: c.Owner}
	for _, id := range c.IDs {
		it, ok := c.Outcome(id)
		done := ok && (it.Outcome == zohoterritory.Removed || it.Outcome == zohoterritory.Added)
		maybe := !c.Settled(id) && c.states[id].maybe()
		switch {
		case done || (maybe && !c.Op.Adds()):
			ch.IDs = append(ch.IDs, id)
		case maybe:
			doubtful = append(doubtful, id)
		}
	}
	return ch, doubtful
}

// Counts are a run's ids by what the journal says of them: of a tree run,
// its territories (one per item of each structure step) and memberships
// (one per user of each membership step).
type Counts struct {
	Total int
	// Done: removed (or added; of a tree run also created, updated,
	// deleted, and a removal that found the user gone, as
	// [tree.CountOptions] counts it); Present: an add found them members; Failed: refused for
	// good (or kept by a set); Pending: to be sent again by a resume, of
	// which Maybe may have been done already; Blocked: of a tree run,
	// those of the steps after a structure step that failed for good,
	// which no resume sends (see [tree.RunHalted]).
	Done, Present, Failed, Pending, Maybe, Blocked int
}

// Counts counts the ids of every change of the run, or the territories
// and memberships of every step of a tree run.
func (r *Run) Counts() Counts {
	if r.treeLog != nil {
		return r.treeLog.counts()
	}
	var n Counts
	for _, c := range r.Changes {
		cc := c.Counts()
		n.Total += cc.Total
		n.Done += cc.Done
		n.Present += cc.Present
		n.Failed += cc.Failed
		n.Pending += cc.Pending
		n.Maybe += cc.Maybe
	}
	return n
}

// Status says where the run stands, one rule for both kinds of run: a
// tree run's is its [tree.Progress.Status] (complete, unfinished, or
// halted at a step Zoho refused); a change of memberships is unfinished
// while a resume has ids to send, and complete otherwise (one id's
// refusal blocks no other, so it never halts).
func (r *Run) Status() tree.RunStatus {
	switch {
	case r.Tree != nil:
		return r.Tree.Status()
	case r.Counts().Pending > 0:
		return tree.RunUnfinished
	}
	return tree.RunComplete
}

// Complete reports whether every id of every change (every territory and
// membership of a tree run) is settled: a resume has nothing to send, and
// no step is blocked ([Run.Status] is complete).
func (r *Run) Complete() bool { return r.Status() == tree.RunComplete }

// Resume returns the set that finishes the run: every change with every
// id, those the journal settled as [zohoterritory.Change.Settled] (not
// sent again), those an attempt may have done as MaybeDone. Give it a
// journal opened with [Open] and apply it with
// [zohoterritory.Client.ApplySet]. A tree run (Tree set) has no changes:
// [tree.Resume] finishes it from Tree.
func (r *Run) Resume() zohoterritory.ChangeSet {
	var set zohoterritory.ChangeSet
	for _, c := range r.Changes {
		ch := zohoterritory.Change{Op: c.Op, Owner: c.Owner, IDs: c.IDs}
		for _, id := range c.IDs {
			if c.Settled(id) {
				it, _ := c.Outcome(id)
				ch.Settled = append(ch.Settled, it)
			}
		}
		_, ch.MaybeDone = c.Pending()
		set.Changes = append(set.Changes, ch)
	}
	return set
}

// Undo returns the set that puts back what the run did: each change's
// undo (see [ChangeLog]), the changes with nothing to undo left out, and
// the ids an add may have added that the undo leaves alone (resume the
// run first to settle them). ok is false when there is nothing to put back.
// Applied as a set, the undo adds back before it removes, and removes a
// user from what the run gave them only once what the run took from them
// is back. A tree run (Tree set) has no changes: [tree.Restore] takes it
// back from Tree.
func (r *Run) Undo() (set zohoterritory.ChangeSet, doubtful []string, ok bool) {
	for _, c := range r.Changes {
		ch, d := c.undo()
		doubtful = append(doubtful, d...)
		if len(ch.IDs) > 0 {
			set.Changes = append(set.Changes, ch)
		}
	}
	return set, doubtful, len(set.Changes) > 0
}
