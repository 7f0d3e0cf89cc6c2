package zohoterritory

import (
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestApplyStop: once Stop is closed, the call in flight finishes and is
// reported, no retry and no further batch is sent, and the ids never sent
// are not_sent.
func TestApplyStop(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	var n atomic.Int32
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		switch n.Add(1) {
		case 1:
			close(stop) // Ctrl-C while the first batch is in flight
			allRemoved("territories")(w, r)
		default:
			t.Errorf("a request after the stop: %s", r.URL)
		}
	}, WithConcurrency(1))
	ids := numberedIDs(250)
	res, err := c.Apply(t.Context(), Change{Op: OpRemoveTerritories, Owner: "9", IDs: ids, Stop: stop})
	require.ErrorIs(t, err, ErrStopped)
	assert.Len(t, f.requests(), 1)
	assert.Equal(t, ids[:100], res.Removed(), "the call in flight finished")
	for _, it := range res.Items[100:] {
		assert.Equal(t, ReasonNotSent, it.Reason, it.ID)
	}
}

// TestApplyStopBeforeRetry: a call whose first attempt failed is not
// retried after the stop; its outcome stays what that attempt said.
func TestApplyStopBeforeRetry(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	c, f, sl := setup(t, func(w http.ResponseWriter, r *http.Request) {
		close(stop)
		writeJSON(w, http.StatusInternalServerError, zohoError("INTERNAL_ERROR", "Internal Server Error"))
	})
	res, err := c.Apply(t.Context(), Change{Op: OpRemoveUsers, Owner: "9", IDs: []string{"1", "2"}, Stop: stop})
	require.ErrorIs(t, err, ErrInternal)
	require.ErrorIs(t, err, ErrStopped)
	assert.Len(t, f.requests(), 1)
	assert.Empty(t, sl.all(), "no wait for a retry that will not come")
	assert.Equal(t, []string{"1", "2"}, res.Unknown(), "a 5xx may have done the work")
}

// TestApplyMaybeDone: for an id an earlier run may have removed, "not a
// member" means removed (inferred); for the others it is a failure.
func TestApplyMaybeDone(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"territories": []any{
			errorItem("The territory ID is not linked with the specified user"),
			errorItem("The territory ID is not linked with the specified user"),
		}})
	})
	res, err := c.Apply(t.Context(), Change{Op: OpRemoveTerritories, Owner: "9", IDs: []string{"1", "2"}, MaybeDone: []string{"2"}})
	require.NoError(t, err)
	assert.Equal(t, Failed, res.Items[0].Outcome)
	assert.Equal(t, ReasonNotMember, res.Items[0].Reason)
	assert.Equal(t, Removed, res.Items[1].Outcome)
	assert.True(t, res.Items[1].Inferred)

	_, err = c.Apply(t.Context(), Change{Op: "add-everyone", Owner: "9", IDs: []string{"1"}})
	assert.ErrorContains(t, err, `Change.Op "add-everyone"`)
	_, err = c.Apply(t.Context(), Change{Op: OpRemoveUsers, Owner: "9", IDs: []string{"1"}, MaybeDone: []string{"x"}})
	var ie *InvalidIDError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "MaybeDone[0]", ie.Arg)
}

func TestOpKinds(t *testing.T) {
	t.Parallel()
	for op, want := range map[Op][2]RefKind{
		OpRemoveUsers: {KindUser, KindTerritory}, OpAddUsers: {KindUser, KindTerritory},
		OpRemoveTerritories: {KindTerritory, KindUser}, OpAddTerritories: {KindTerritory, KindUser},
	} {
		ids, owner := op.Kinds()
		assert.Equal(t, want, [2]RefKind{ids, owner}, op)
	}
}
