package zohoterritory

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSplitFindsTheBadIDs: when Zoho refuses a whole call for some of its
// ids ("One or more given territory IDs seem to be invalid", nothing
// done), the client sends halves until each bad id fails alone: every
// valid id is removed, each bad one fails invalid_id, and the extra calls
// stay within about 2·k·log2(n) for k bad ids in n.
func TestSplitFindsTheBadIDs(t *testing.T) {
	t.Parallel()
	ids := numberedIDs(100)
	for _, k := range []int{1, 3, 10} {
		bad := map[string]bool{}
		for i := range k {
			bad[ids[(i*37+11)%100]] = true
		}
		var mu sync.Mutex
		removed := map[string]bool{}
		c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
			got := idsOf(r)
			for _, id := range got {
				if bad[id] {
					if len(got) == 1 {
						writeJSON(w, http.StatusBadRequest, map[string]any{"code": "INVALID_DATA", "details": map[string]any{"resource_path_index": 3},
							"message": "Invalid Territory Id", "status": "error"})
						return
					}
					writeJSON(w, http.StatusBadRequest, zohoError("INVALID_DATA", "One or more given territory IDs seem to be invalid"))
					return
				}
			}
			mu.Lock()
			for _, id := range got {
				removed[id] = true
			}
			mu.Unlock()
			allRemoved("territories")(w, r)
		})
		res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", ids...)
		require.Error(t, err, "the bad ids' refusals stand")
		require.Len(t, res.Items, 100)
		for i, it := range res.Items {
			require.Equal(t, ids[i], it.ID, "input order")
			if bad[it.ID] {
				assert.Equal(t, Failed, it.Outcome, it.ID)
				assert.Equal(t, ReasonInvalidID, it.Reason, it.ID)
				continue
			}
			assert.Equal(t, Removed, it.Outcome, it.ID)
			assert.True(t, removed[it.ID], it.ID)
		}
		bound := int(math.Ceil(2 * float64(k) * math.Log2(100)))
		assert.LessOrEqual(t, res.Splits, bound, "k=%d", k)
		assert.Positive(t, res.Splits)
		assert.Len(t, f.requests(), 1+res.Splits)
		assert.Len(t, res.Calls, 1+res.Splits)
	}
}

// TestNoSplitWhenTheOwnerIsRefused: an unknown owner (in the path) fails
// every batch the same way: no split, and the batches not yet sent are not
// sent.
func TestNoSplitWhenTheOwnerIsRefused(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"code": "INVALID_DATA", "details": map[string]any{"resource_path_index": 1},
			"message": "The user ID given seems to be invalid", "status": "error"})
	}, WithConcurrency(1))
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", numberedIDs(250)...)
	require.ErrorIs(t, err, ErrInvalidData)
	assert.Len(t, f.requests(), 1)
	assert.Zero(t, res.Splits)
	assert.Equal(t, ReasonInvalidID, res.Items[0].Reason)
	assert.Equal(t, ReasonNotSent, res.Items[249].Reason)
}

// TestEnvelopeURLError: Zoho puts an unknown territory of the bulk users
// DELETE in the envelope, one item about the URL: it is the whole call's
// refusal, not an outcome of one id.
func TestEnvelopeURLError(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"users": []any{map[string]any{"code": "INVALID_DATA",
			"details": map[string]any{"resource_path_index": 2}, "message": "the given id given seems to be invalid", "status": "error"}}})
	}, WithConcurrency(1))
	res, err := c.RemoveUsersFromTerritory(t.Context(), "9", numberedIDs(30)...)
	require.ErrorIs(t, err, ErrInvalidData)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, float64(2), apiErr.Details["resource_path_index"])
	assert.Len(t, f.requests(), 1, "the territory is refused: no other batch is sent")
	for _, it := range res.Items[:25] {
		assert.Equal(t, Failed, it.Outcome)
		assert.Equal(t, ReasonInvalidID, it.Reason)
	}
	assert.Equal(t, ReasonNotSent, res.Items[29].Reason)
}

// TestItemsNamedByPlace: an error item naming its id by json_path
// ("$.territories[1].id") is that id's outcome, whatever the other items.
func TestItemsNamedByPlace(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		ids := idsOf(r)
		writeJSON(w, http.StatusMultiStatus, map[string]any{"territories": []any{
			map[string]any{"code": "INVALID_DATA", "details": map[string]any{"api_name": "id", "json_path": "$.territories[1].id"}, "message": "Invalid Territory Id", "status": "error"},
			success(ids[0]), success(ids[2]),
			map[string]any{"code": "INVALID_DATA", "details": map[string]any{}, "message": "extra", "status": "error"},
		}})
	})
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", "11", "22", "33")
	require.NoError(t, err)
	assert.Equal(t, []string{"11", "33"}, res.Removed())
	require.Len(t, res.Failed(), 1)
	assert.Equal(t, "22", res.Failed()[0].ID)
	assert.Equal(t, ReasonInvalidID, res.Failed()[0].Reason)
	assert.Equal(t, "$.territories[1].id", res.Failed()[0].Details["json_path"])
	require.Len(t, res.Unmatched, 1, "the anonymous extra item")
	assert.True(t, slices.ContainsFunc(res.Unmatched, func(it ItemResult) bool { return strings.Contains(it.Message, "extra") }))
}
