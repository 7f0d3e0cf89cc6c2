package tree_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// latamNow returns the id of the org's Latin America.
func latamNow(t *testing.T, srv *zohoterritorytest.Server) string {
	t.Helper()
	ids := engNamed(srv, "Latin America")
	require.Len(t, ids, 1)
	return ids[0]
}

// TestRestore applies the target's plan, then restores it from its
// journal alone: the org holds its tree and memberships as before (Latin
// America re-created, under a new id the result maps), and the restore is
// a journaled tree run of its own.
func TestRestore(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	before := engState(srv)
	_, p := engTargetPlan(t, c)
	path := journalPath(t)
	killedApply(t, srv, c, p, path, &killer{at: -1})
	assertAtTarget(t, srv, c)

	held, run, err := journal.Hold(path)
	require.NoError(t, err)
	defer func() { _ = held.Close() }()
	restorePath := journalPath(t)
	j, err := journal.Create(restorePath, journal.Options{Command: "restore"})
	require.NoError(t, err)
	undo, res, err := tree.Restore(t.Context(), c, run.Tree, tree.OrderOptions{Created: engT0, Source: path}, tree.ApplyOptions{Journal: j})
	require.NoError(t, err)
	require.NoError(t, j.Close())
	assert.Equal(t, "Plan: 1 to create, 5 to update, 2 to delete; 1 membership to add, 3 to remove", undo.Totals().String())
	assert.True(t, res.Complete(), "%v", states(res))
	assert.Equal(t, map[string]string{engLatam: latamNow(t, srv)}, res.Restored, "the deleted territory's id → its new one")
	assert.NotEqual(t, engLatam, latamNow(t, srv))
	assert.Equal(t, before, engState(srv), "the tree and memberships as before the apply")
	assertEachNameOnce(t, srv)

	rrun, err := journal.Read(restorePath)
	require.NoError(t, err)
	assert.Equal(t, "restore", rrun.Command)
	assert.Equal(t, tree.RunComplete, rrun.Tree.Status())
	assert.Equal(t, undo, rrun.Tree.Plan, "the journal holds the restore's plan")

	// Nothing left to take back: a second restore plans no change.
	again, err := tree.PlanRestore(t.Context(), c, run.Tree, tree.OrderOptions{Created: engT0})
	require.NoError(t, err)
	assert.False(t, again.HasChanges(), "%s", again.Totals())
}

// TestRestoreKilledRun restores runs killed at every record: what the
// journal holds as done, and what an attempt may have made (settled
// against the org as read), is taken back, and the org is as before.
func TestRestoreKilledRun(t *testing.T) {
	t.Parallel()
	records := engRecords(t)
	for at := 1; at < len(records); at++ {
		t.Run(fmt.Sprintf("%02d %s", at, records[at]), func(t *testing.T) {
			t.Parallel()
			srv, c := engServer(t, nil)
			before := engState(srv)
			_, p := engTargetPlan(t, c)
			path := journalPath(t)
			killedApply(t, srv, c, p, path, &killer{at: at})
			run, err := journal.Read(path)
			require.NoError(t, err)
			_, res, err := tree.Restore(t.Context(), c, run.Tree, tree.OrderOptions{Created: engT0}, tree.ApplyOptions{})
			require.NoError(t, err)
			assert.True(t, res.Complete(), "%v", states(res))
			assert.Equal(t, before, engState(srv), "as before the apply")
			assertEachNameOnce(t, srv)
		})
	}
}

// TestRestoreKilledToo: a restore killed at each record of its journal is
// finished by a resume of that journal, and the org is as before the
// apply, each territory once; the ids of re-created territories are
// mapped by the resume as by the restore.
func TestRestoreKilledToo(t *testing.T) {
	t.Parallel()
	// The restore's records, from a run not killed.
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	path := journalPath(t)
	killedApply(t, srv, c, p, path, &killer{at: -1})
	run, err := journal.Read(path)
	require.NoError(t, err)
	k := &killer{at: -1}
	undo, err := tree.PlanRestore(t.Context(), c, run.Tree, tree.OrderOptions{Created: engT0})
	require.NoError(t, err)
	killedApplyAs(t, srv, c, undo, journalPath(t), k, "restore")
	records := k.records()
	require.NotEmpty(t, records)

	for at := 1; at < len(records); at++ {
		t.Run(fmt.Sprintf("%02d %s", at, records[at]), func(t *testing.T) {
			t.Parallel()
			srv, c := engServer(t, nil)
			before := engState(srv)
			_, p := engTargetPlan(t, c)
			path := journalPath(t)
			killedApply(t, srv, c, p, path, &killer{at: -1})
			run, err := journal.Read(path)
			require.NoError(t, err)
			undo, err := tree.PlanRestore(t.Context(), c, run.Tree, tree.OrderOptions{Created: engT0})
			require.NoError(t, err)
			restorePath := journalPath(t)
			killedApplyAs(t, srv, c, undo, restorePath, &killer{at: at}, "restore")
			res, err := resumeJournal(t, srv, c, restorePath, nil)
			require.NoError(t, err)
			assert.True(t, res.Complete(), "%v", states(res))
			assert.Equal(t, before, engState(srv), "as before the apply")
			assertEachNameOnce(t, srv)
			assert.Equal(t, map[string]string{engLatam: latamNow(t, srv)}, res.Restored)
		})
	}
}
