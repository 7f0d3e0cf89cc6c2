package tree

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// applied runs the plan's steps on the model of Zoho and returns what
// they made and the org after.
func applied(t *testing.T, p *Plan, org *Org) (Done, *Org, *sim) {
	t.Helper()
	s := newSim(org)
	var done Done
	for _, st := range p.Steps {
		require.NoError(t, s.apply(st))
		done.record(st, s)
	}
	return done, s.org(org), s
}

// TestUndo: the undo of the edited plan, made in full: the territories it
// created deleted (their members removed first, the manager aside), the
// fields it changed put back, the territory it deleted created again with
// its members, the memberships it changed changed back; applied, the org
// is as it was.
func TestUndo(t *testing.T) {
	t.Parallel()
	p := editedPlan(t)
	done, now, _ := applied(t, p, acme())
	pacific, hawaii := done.Created["new:Americas/Pacific"], done.Created["new:Americas/Pacific/Hawaii"]
	in, err := UndoIntents(p, done, now, Rules{})
	require.NoError(t, err)
	restore := "restore:" + tEast
	assert.Equal(t, &Intents{
		Creates: []Create{{Key: restore, Name: "East Coast", Parent: Ref{ID: tNA}, Permission: PermissionReadOnly, Path: "North America/East Coast", Restores: tEast}},
		Updates: []Update{
			{ID: tWest, Path: "North America/West Coast", Was: "Europe/West Coast",
				Parent: &Move{Old: tEU, New: Ref{ID: tNA}}, Manager: &Change{Old: uDev, New: uChloe}},
			{ID: tNA, Path: "North America", Was: "Americas", Name: &Change{Old: "Americas", New: "North America"}},
		},
		Adds: []Members{
			{Territory: Ref{Key: restore}, Path: "North America/East Coast", Users: []string{uGus, uHal1}},
			{Territory: Ref{ID: tWest}, Path: "Europe/West Coast", Users: []string{uChloe}}, // Order sets where it ends
			{Territory: Ref{ID: tNA}, Path: "Americas", Users: []string{uDev}},
		},
		Removes: []Members{{Territory: Ref{ID: pacific}, Path: "Americas/Pacific", Users: []string{uGus}}},
		Deletes: []Delete{
			{ID: pacific, Name: "Pacific", Path: "Americas/Pacific", Members: []string{uChloe, uGus}, Children: []string{hawaii}},
			{ID: hawaii, Name: "Hawaii", Path: "Americas/Pacific/Hawaii", Members: []string{}, Children: []string{}},
		},
		Skips: []Skip{{Territory: Ref{ID: pacific}, Path: "Americas/Pacific", User: uChloe, Op: zohoterritory.OpRemoveUsers, Reason: zohoterritory.ReasonManager,
			Message: "the user manages the territory"}},
	}, in)

	undo, err := Undo(p, done, now, OrderOptions{Created: t0})
	require.NoError(t, err)
	assert.Equal(t, []string{"create:1", "update:2", "add:2", "add:1", "add:1", "remove:1", "delete:1", "delete:1"}, kinds(undo))
	assert.Equal(t, "North America/West Coast", undo.Steps[3].Members.Path, "where the territory ends")
	assert.Equal(t, Totals{Create: 1, Update: 2, Delete: 2, Add: 4, Remove: 1}, undo.Totals())
	for _, c := range undo.Changes() {
		if c.Action == ActionCreate {
			assert.Equal(t, tEast, c.Restores, "the create says which territory it brings back")
		}
	}
	s := newSim(now)
	for _, st := range undo.Steps {
		require.NoError(t, s.apply(st))
	}
	require.NoError(t, s.restored(acme(), undo, done))

	// Undone already: East Coast, made again under its parent by the
	// first undo, is the territory the run deleted; nothing is left.
	again, err := Undo(p, done, s.org(now), OrderOptions{})
	require.NoError(t, err)
	assert.False(t, again.HasChanges(), "%s", again.Totals())

	// Nothing made, nothing to undo.
	nothing, err := Undo(p, Done{}, acme(), OrderOptions{})
	require.NoError(t, err)
	assert.False(t, nothing.HasChanges())
}

// TestUndoRefuses: a Done that names what the plan does not do, or a
// parent gone since, is an error.
func TestUndoRefuses(t *testing.T) {
	t.Parallel()
	p := editedPlan(t)
	for _, tc := range []struct {
		name string
		done Done
		want string
	}{
		{"create", Done{Created: map[string]string{"new:x": "1"}}, `the plan creates no "new:x"`},
		{"create id", Done{Created: map[string]string{"new:Americas/Pacific": "x"}}, `the id of "new:Americas/Pacific"`},
		{"freed", Done{Freed: []string{tWest}}, "the plan frees the name of no territory 5725767000000452003"},
		{"updated", Done{Updated: []string{tKey}}, "the plan updates no territory 5725767000000452006"},
		{"deleted", Done{Deleted: []string{tKey}}, "the plan deletes no territory 5725767000000452006"},
		{"added", Done{Added: []Members{{Territory: Ref{ID: tNA}, Users: []string{uAva}}}}, "the plan does not add user 5725767000000411001 in territory 5725767000000452002"},
		{"removed", Done{Removed: []Members{{Territory: Ref{ID: tNA}, Users: []string{uAva}}}}, "the plan does not remove user"},
	} {
		_, err := UndoIntents(p, tc.done, acme(), Rules{})
		assert.ErrorContains(t, err, tc.want, tc.name)
	}
	// East Coast deleted, and its parent gone since.
	org := acme()
	org.Territories = append(org.Territories[:1], org.Territories[4:]...)
	_, err := UndoIntents(p, Done{Deleted: []string{tEast}}, org, Rules{})
	assert.ErrorContains(t, err, `territory 5725767000000452002 ("North America"), a parent before the run, is gone`)
}

// TestUndoSkips: adds the org would refuse are skips: users no longer
// active, and a territory's user limit.
func TestUndoSkips(t *testing.T) {
	t.Parallel()
	p := editedPlan(t)
	done, now, _ := applied(t, p, acme())
	for i := range now.Users {
		if now.Users[i].ID == uHal1 {
			now.Users[i].Status = "inactive"
		}
	}
	in, err := UndoIntents(p, Done{Deleted: done.Deleted, Removed: done.Removed}, now, Rules{TerritoryUserLimit: 2})
	require.NoError(t, err)
	var reasons []string
	for _, sk := range in.Skips {
		reasons = append(reasons, sk.User+" "+string(sk.Reason))
	}
	assert.Equal(t, []string{uHal1 + " user_inactive", uChloe + " limit_exceeded", uDev + " limit_exceeded"}, reasons)
	assert.Equal(t, "the user is inactive: Zoho adds only active users", in.Skips[0].Message)
	assert.Equal(t, zohoterritory.UserLimitSkipMessage(2), in.Skips[1].Message, "the message a plan's adds past the limit have")
}
