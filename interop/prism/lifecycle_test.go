package prism

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// lifecycleOperation is how the client reaches one of the spec's
// territory changes: which change it makes, and whether the operation is
// the bulk form (the client uses it for two territories or more; creates
// have the bulk form only).
type lifecycleOperation struct {
	op   zohoterritory.TerritoryOp
	bulk bool
}

// lifecycleOperations are the spec's seven territory changes.
var lifecycleOperations = map[string]lifecycleOperation{
	"createTerritories":            {op: zohoterritory.OpCreateTerritories, bulk: true},
	"updateTerritories":            {op: zohoterritory.OpUpdateTerritories, bulk: true},
	"updateTerritory":              {op: zohoterritory.OpUpdateTerritories},
	"deleteTerritories":            {op: zohoterritory.OpDeleteTerritories, bulk: true},
	"deleteTerritory":              {op: zohoterritory.OpDeleteTerritories},
	"transferAndDeleteTerritories": {op: zohoterritory.OpTransferTerritories, bulk: true},
	"transferAndDeleteTerritory":   {op: zohoterritory.OpTransferTerritories},
}

// lifecycleChange is the change sent for an example: n territories (one
// for each of the example's items, two at least for a bulk form, one for
// a single form), with the id an item's details name where it names one, and
// made-up ids and names otherwise. Updates state their permission type, so
// that the client reads nothing first.
func lifecycleChange(lop lifecycleOperation, ids []string, n int) zohoterritory.TerritoryChange {
	ch := zohoterritory.TerritoryChange{Op: lop.op, Forecasts: zohoterritory.KeepForecasts}
	for k := range n {
		id := madeUp(100 + k)
		if k < len(ids) && ids[k] != "" {
			id = ids[k]
		}
		switch lop.op {
		case zohoterritory.OpCreateTerritories:
			ch.Create = append(ch.Create, zohoterritory.NewTerritory{
				Name: fmt.Sprintf("Prism %d", k+1), ReportingTo: madeUp(1), PermissionType: zohoterritory.ReadOnly,
			})
		case zohoterritory.OpUpdateTerritories:
			ch.Update = append(ch.Update, zohoterritory.TerritoryUpdate{
				ID: id, Name: zohoterritory.SetField(fmt.Sprintf("Prism %d", k+1)),
				PermissionType: zohoterritory.SetField(zohoterritory.ReadWriteDelete),
			})
		case zohoterritory.OpDeleteTerritories:
			ch.Delete = append(ch.Delete, id)
		case zohoterritory.OpTransferTerritories:
			ch.Transfer = append(ch.Transfer, zohoterritory.Transfer{ID: id, TransferTo: madeUp(2)})
		}
	}
	return ch
}

// checkLifecycle checks what the client makes of one answer of a
// territory change, served by `prism mock`:
//
//   - an envelope: one item per territory sent; each of the example's
//     items settles a territory (success: Created with the item's id,
//     Updated or Deleted; error: Failed with the item's code and a
//     reason) or stays unmatched, and the territories no item settles are
//     Unknown; the codes settled and unmatched are the example's;
//   - an error object: an *APIError with the status, code and message and
//     the code's sentinel (a *RateLimitError for 429); every territory is
//     Failed with the code, or Unknown after a 5xx.
//
// The call is the example's operation: the single form for one
// territory, the bulk form for two or more.
func checkLifecycle(t *testing.T, c *zohoterritory.Client, lop lifecycleOperation, ex testkit.Example) {
	body, ok := ex.Value.(map[string]any)
	require.Truef(t, ok, "example value is %T, want an object", ex.Value)
	list, isEnvelope := body["territories"].([]any)

	var ids []string
	for _, e := range list {
		d, _ := e.(map[string]any)["details"].(map[string]any)
		id, _ := d["id"].(string)
		if lop.op == zohoterritory.OpCreateTerritories {
			id = "" // a created territory's new id: nothing to send
		}
		ids = append(ids, id)
	}
	n := max(len(list), 1)
	switch {
	case lop.op == zohoterritory.OpCreateTerritories:
		// The one form: as many as the items.
	case lop.bulk:
		n = max(n, 2)
	default:
		n = 1
	}
	res, err := c.ApplyTerritories(t.Context(), lifecycleChange(lop, ids, n))
	require.NotNil(t, res)
	require.Len(t, res.Items, n)
	require.Len(t, res.Calls, 1)
	assert.Equal(t, ex.Operation, res.Calls[0].Operation, "the client used another operation")

	if !isEnvelope {
		require.Containsf(t, body, "code", "example is neither a territories envelope nor an error object")
		code, message := fmt.Sprint(body["code"]), fmt.Sprint(body["message"])
		require.Error(t, err)
		var apiErr *zohoterritory.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, ex.Operation, apiErr.Operation)
		assert.Equal(t, ex.Status, apiErr.StatusCode)
		assert.Equal(t, code, apiErr.Code)
		assert.Equal(t, message, apiErr.Message)
		if s, ok := sentinels[code]; ok {
			assert.ErrorIs(t, err, s)
		}
		var rl *zohoterritory.RateLimitError
		assert.Equal(t, ex.Status == http.StatusTooManyRequests, errors.As(err, &rl), "*RateLimitError")
		for _, it := range res.Items {
			if ex.Status >= 500 {
				assert.Equalf(t, zohoterritory.Unknown, it.Outcome, "place %d: after a server fault the outcome is not known", it.Index)
				continue
			}
			assert.Equalf(t, zohoterritory.Failed, it.Outcome, "place %d", it.Index)
			assert.Equalf(t, code, it.Code, "place %d", it.Index)
			assert.NotEmptyf(t, it.Reason, "place %d: reason", it.Index)
		}
		return
	}

	require.NoError(t, err, "an envelope is never a request-level failure")
	require.NotNil(t, res.Calls[0].Response)
	assert.Equal(t, ex.Status, res.Calls[0].Response.StatusCode)
	done := map[zohoterritory.TerritoryOp]zohoterritory.Outcome{
		zohoterritory.OpCreateTerritories: zohoterritory.Created, zohoterritory.OpUpdateTerritories: zohoterritory.Updated,
		zohoterritory.OpDeleteTerritories: zohoterritory.Deleted, zohoterritory.OpTransferTerritories: zohoterritory.Deleted,
	}[lop.op]
	var want, got []string
	for _, e := range list {
		m := e.(map[string]any)
		want = append(want, fmt.Sprint(m["code"]))
	}
	for _, it := range res.Items {
		switch it.Outcome {
		case done:
			got = append(got, it.Code)
			if lop.op == zohoterritory.OpCreateTerritories {
				assert.NotEmptyf(t, it.ID, "place %d: the created territory's id", it.Index)
			}
		case zohoterritory.Failed:
			got = append(got, it.Code)
			assert.NotEmptyf(t, it.Reason, "place %d: reason", it.Index)
			assert.NotEqualf(t, zohoterritory.ReasonNotSent, it.Reason, "place %d", it.Index)
		case zohoterritory.Unknown:
			assert.Emptyf(t, it.Code, "place %d: Unknown, yet settled by an item (%s)", it.Index, it.Message)
		default:
			t.Errorf("place %d: outcome %s", it.Index, it.Outcome)
		}
	}
	for _, u := range res.Unmatched {
		got = append(got, u.Code)
	}
	sort.Strings(want)
	sort.Strings(got)
	assert.Equal(t, want, got, "the codes of the items, settled or unmatched")
	// Every success item settles a territory: the ids sent are the ones
	// its details name, and a create's by place.
	successes := slices.IndexFunc(list, func(e any) bool { return e.(map[string]any)["status"] == "success" })
	if successes >= 0 && len(list) <= n {
		assert.NotEmpty(t, res.With(done), "a success item settled no territory")
	}
}
