package journal

import (
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// Outcome returns the last outcome the journal records for id, and whether
// it records one. Err is never set: the journal keeps what a person needs
// (code, reason, message), not the error values.
func (r *Run) Outcome(id string) (zohoterritory.ItemResult, bool) {
	st, ok := r.states[id]
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
func (r *Run) Settled(id string) bool {
	st, ok := r.states[id]
	return ok && st.last != nil && final(*st.last)
}

// Pending returns, in the run's order, the ids a resume sends (those not
// settled) and, among them, those an attempt may have done without its
// answer being recorded ([zohoterritory.Change.MaybeDone]).
func (r *Run) Pending() (ids, maybeDone []string) {
	for _, id := range r.IDs {
		if r.Settled(id) {
			continue
		}
		ids = append(ids, id)
		if r.states[id].maybe() {
			maybeDone = append(maybeDone, id)
		}
	}
	return ids, maybeDone
}

// Done returns, in the run's order, the ids the run changed: removed (or,
// for an add, added), Zoho's word or inferred. Present-already ids are
// not among them: the run did not change them.
func (r *Run) Done() []string {
	var out []string
	for _, id := range r.IDs {
		if it, ok := r.Outcome(id); ok && (it.Outcome == zohoterritory.Removed || it.Outcome == zohoterritory.Added) {
			out = append(out, id)
		}
	}
	return out
}

// Undo returns the change that puts back what the run changed: for a
// removal, an add of every id it removed and of every id it may have
// removed without the answer being recorded (adding a member again is
// harmless: Zoho says "already present"). It returns false when there is
// nothing to put back.
func (r *Run) Undo() (zohoterritory.Change, bool) {
	ch := zohoterritory.Change{Op: r.Op.Undo(), Owner: r.Owner}
	for _, id := range r.IDs {
		st := r.states[id]
		it, ok := r.Outcome(id)
		done := ok && (it.Outcome == zohoterritory.Removed || it.Outcome == zohoterritory.Added)
		if done || (!r.Settled(id) && st.maybe()) {
			ch.IDs = append(ch.IDs, id)
		}
	}
	return ch, len(ch.IDs) > 0
}

// Counts are a run's ids by what the journal says of them.
type Counts struct {
	Total int
	// Done: removed (or added); Present: an add found them members;
	// Failed: refused for good; Pending: to be sent again by a resume,
	// of which Maybe may have been done already.
	Done, Present, Failed, Pending, Maybe int
}

// Counts counts the run's ids.
func (r *Run) Counts() Counts {
	c := Counts{Total: len(r.IDs)}
	for _, id := range r.IDs {
		it, ok := r.Outcome(id)
		switch {
		case !r.Settled(id):
			c.Pending++
			if r.states[id].maybe() {
				c.Maybe++
			}
		case it.Outcome == zohoterritory.AlreadyPresent:
			c.Present++
		case ok && it.Outcome == zohoterritory.Failed:
			c.Failed++
		default:
			c.Done++
		}
	}
	return c
}

// Complete reports whether every id is settled: a resume has nothing to
// send.
func (r *Run) Complete() bool {
	ids, _ := r.Pending()
	return len(ids) == 0
}
