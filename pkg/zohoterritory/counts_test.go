package zohoterritory

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCounts: the one count of outcomes, under the two choices of what
// counts as done, for a removal, an add and a set of both.
func TestCounts(t *testing.T) {
	t.Parallel()
	removed := ItemResult{ID: "1", Outcome: Removed}
	inferred := ItemResult{ID: "2", Outcome: Removed, Inferred: true}
	notMember := ItemResult{ID: "3", Outcome: Failed, Reason: ReasonNotMember}
	manager := ItemResult{ID: "4", Outcome: Failed, Reason: ReasonManager}
	unknown := ItemResult{ID: "5", Outcome: Unknown}
	notSent := ItemResult{ID: "6", Outcome: Failed, Reason: ReasonNotSent, Err: ErrStopped}
	added := ItemResult{ID: "7", Outcome: Added}
	present := ItemResult{ID: "8", Outcome: AlreadyPresent}
	kept := ItemResult{ID: "9", Outcome: Failed, Reason: ReasonKept}
	sent, unsent := Call{Attempts: 1}, Call{}

	removal := &Result{Op: OpRemoveUsers, Items: []ItemResult{removed, inferred, notMember, manager, unknown, notSent}, Calls: []Call{sent, unsent}}
	add := &Result{Op: OpAddTerritories, Items: []ItemResult{added, present}, Calls: []Call{sent}}
	set := &SetResult{Results: []*Result{add, {Op: OpRemoveTerritories, Items: []ItemResult{removed, kept, notSent}, Calls: []Call{sent}}}}
	for _, tt := range []struct {
		name         string
		got          Counts
		want         Counts
		line         string
		done, undone int
		verb         string
	}{
		{"a removal", removal.Count(CountOptions{}),
			Counts{Removed: 2, Failed: 3, NotSent: 1, Unknown: 1, Unsettled: 2, Inferred: 1, Removes: true, Calls: 2, CallsSent: 1},
			"2 removed, 3 failed, 1 unknown", 2, 4, "removed"},
		{"a removal, absent is done", removal.Count(CountOptions{AbsentIsDone: true}),
			Counts{Removed: 2, Absent: 1, Failed: 2, NotSent: 1, Unknown: 1, Unsettled: 2, Inferred: 1, Removes: true, Calls: 2, CallsSent: 1},
			"2 removed, 2 failed, 1 unknown, 1 absent", 3, 3, "removed"},
		{"an add", add.Count(CountOptions{}),
			Counts{Added: 1, AlreadyPresent: 1, PresentNotDone: 1, Adds: true, Calls: 1, CallsSent: 1},
			"1 added, 1 already present, 0 failed, 0 unknown", 1, 1, "added"},
		{"an add, present is done", add.Count(CountOptions{PresentIsDone: true}),
			Counts{Added: 1, AlreadyPresent: 1, Adds: true, Calls: 1, CallsSent: 1},
			"1 added, 1 already present, 0 failed, 0 unknown", 2, 0, "added"},
		{"a set", set.Count(CountOptions{PresentIsDone: true}),
			Counts{Added: 1, AlreadyPresent: 1, Removed: 1, Failed: 2, Kept: 1, NotSent: 1, Unsettled: 1, Adds: true, Removes: true, Calls: 2, CallsSent: 2},
			"1 added, 1 already present, 1 removed, 1 kept, 1 failed, 0 unknown", 3, 2, "changed"},
		{"an empty add", (&Result{Op: OpAddUsers}).Count(CountOptions{}), Counts{Adds: true}, "0 added, 0 already present, 0 failed, 0 unknown", 0, 0, "added"},
		{"made by hand, without its op", (&Result{Items: []ItemResult{present}}).Count(CountOptions{PresentIsDone: true}),
			Counts{AlreadyPresent: 1, Adds: true}, "0 added, 1 already present, 0 failed, 0 unknown", 1, 0, "added"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, tt.got)
			assert.Equal(t, tt.line, tt.got.String())
			assert.Equal(t, tt.done, tt.got.Done())
			assert.Equal(t, tt.undone, tt.got.NotDone())
			assert.Equal(t, tt.undone == 0, tt.got.AllDone())
			assert.Equal(t, tt.verb, tt.got.Verb())
		})
	}

	skipped := removal.Count(CountOptions{})
	skipped.Skipped = 2
	assert.Equal(t, "2 removed, 3 failed, 1 unknown, 2 skipped", skipped.String())
	assert.Equal(t, "1 of 2 calls sent", skipped.CallsString())
	assert.Equal(t, "2 removed, 3 failed, 1 unknown (1 of 2 calls sent)", removal.String())
	assert.Equal(t, "1 added, 1 already present, 1 removed, 1 kept, 1 failed, 0 unknown (2 calls)", set.String())

	assert.True(t, notMember.Absent(CountOptions{AbsentIsDone: true}))
	assert.False(t, notMember.Absent(CountOptions{}))
	assert.False(t, manager.Absent(CountOptions{AbsentIsDone: true}), "only a non-member is absent")
	assert.True(t, present.Done(CountOptions{PresentIsDone: true}))
	assert.False(t, present.Done(CountOptions{}))
	assert.False(t, ItemResult{Outcome: Unknown, Err: errors.New("x")}.Done(CountOptions{AbsentIsDone: true, PresentIsDone: true}))
}

// TestSettled: an outcome is final when it is done or refused for a
// reason of the item's own; a resume sends every other again.
func TestSettled(t *testing.T) {
	t.Parallel()
	whole := errors.New("429")
	for _, tt := range []struct {
		item    ItemResult
		settled bool
	}{
		{ItemResult{Outcome: Removed}, true},
		{ItemResult{Outcome: Added, Inferred: true}, true},
		{ItemResult{Outcome: AlreadyPresent}, true},
		{ItemResult{Outcome: Failed, Reason: ReasonNotMember}, true},
		{ItemResult{Outcome: Failed, Reason: ReasonKept}, true},
		{ItemResult{Outcome: Failed, Reason: ReasonLimitExceeded}, true},
		{ItemResult{Outcome: Unknown}, false},
		{ItemResult{Outcome: Failed, Reason: ReasonNotSent, Err: ErrStopped}, false},
		{ItemResult{Outcome: Failed, Reason: ReasonRateLimited, Err: whole}, false},
		{ItemResult{Outcome: Failed, Reason: ReasonRejected, Err: whole}, false},
	} {
		assert.Equal(t, tt.settled, tt.item.Settled(), "%+v", tt.item)
		it := TerritoryItem{Outcome: tt.item.Outcome, Reason: tt.item.Reason, Err: tt.item.Err}
		switch it.Outcome {
		case Removed, Added, AlreadyPresent:
			it.Outcome = Created
		}
		assert.Equal(t, tt.settled, it.Settled(), "%+v", it)
	}
	for _, o := range []Outcome{Created, Updated, Deleted} {
		assert.True(t, TerritoryItem{Outcome: o}.Settled(), o)
	}
}
