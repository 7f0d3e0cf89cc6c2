package prism

import (
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// TestProxyTerritories sends the client's territory changes through
// `prism proxy --errors` to the sandbox: creates (one refused as a
// duplicate name, one for its inactive manager), a re-parenting update
// that keeps the permission type (read first) and one refused as a cycle,
// the children and users' counts, a delete refused for the children, a
// transfer and delete, and the deletes of what is left. Every request and
// answer must satisfy Prism, and each answer be read right. It works on
// territories of its own under slice 3's organization territory, and
// touches none of TestProxy's memberships.
func TestProxyTerritories(t *testing.T) {
	base := os.Getenv("ZOHO_PRISM_PROXY_URL")
	if base == "" {
		t.Skip("ZOHO_PRISM_PROXY_URL is not set: interop/prism.sh runs this test through `prism proxy`")
	}
	token := os.Getenv("ZOHO_ACCESS_TOKEN")
	require.NotEmpty(t, token, "ZOHO_ACCESS_TOKEN: the sandbox's access token")
	tr := &prismTransport{}
	c, err := zohoterritory.New(
		zohoterritory.WithAPIDomain(base),
		zohoterritory.WithAccessToken(token),
		zohoterritory.WithHTTPClient(&http.Client{Transport: tr}),
		zohoterritory.WithRetryPolicy(noRetries()),
	)
	require.NoError(t, err)
	ctx := t.Context()
	// check asserts one change's answer: its status, and each
	// territory's outcome and reason in order.
	check := func(t *testing.T, res *zohoterritory.TerritoryResult, err error, status int, want ...any) {
		t.Helper()
		assert.Empty(t, tr.take(), "Prism reported violations")
		require.NoError(t, err)
		require.NotEmpty(t, res.Calls)
		require.NotNil(t, res.Calls[len(res.Calls)-1].Response)
		assert.Equal(t, status, res.Calls[len(res.Calls)-1].Response.StatusCode)
		require.Len(t, res.Items, len(want))
		for i, w := range want {
			switch w := w.(type) {
			case zohoterritory.Outcome:
				assert.Equalf(t, w, res.Items[i].Outcome, "place %d: %s", i, res.Items[i])
			case zohoterritory.Reason:
				assert.Equalf(t, zohoterritory.Failed, res.Items[i].Outcome, "place %d: %s", i, res.Items[i])
				assert.Equalf(t, w, res.Items[i].Reason, "place %d: %s", i, res.Items[i])
			}
		}
		assert.Empty(t, res.Unmatched)
	}

	res, err := c.CreateTerritories(ctx,
		zohoterritory.NewTerritory{Name: "Prism North", ReportingTo: orgTerritory, PermissionType: zohoterritory.ReadWriteDelete,
			ManagerID: userM, Description: "made through prism proxy"},
		zohoterritory.NewTerritory{Name: "Prism South", ReportingTo: orgTerritory, PermissionType: zohoterritory.ReadOnly},
		zohoterritory.NewTerritory{Name: "p3", ReportingTo: orgTerritory, PermissionType: zohoterritory.ReadOnly},
		zohoterritory.NewTerritory{Name: "Prism Idle", ReportingTo: orgTerritory, PermissionType: zohoterritory.ReadOnly, ManagerID: inactiveUser},
	)
	check(t, res, err, http.StatusMultiStatus, zohoterritory.Created, zohoterritory.Created,
		zohoterritory.ReasonDuplicateName, zohoterritory.ReasonInactiveManager)
	north, south := res.Items[0].ID, res.Items[1].ID

	res, err = c.CreateTerritories(ctx, zohoterritory.NewTerritory{Name: "Prism West", ReportingTo: north, PermissionType: zohoterritory.ReadOnly})
	check(t, res, err, http.StatusCreated, zohoterritory.Created)
	west := res.Items[0].ID

	// South moves under North; North loses its description. Neither
	// says its permission type: the client reads them first.
	res, err = c.UpdateTerritories(ctx,
		zohoterritory.TerritoryUpdate{ID: south, ReportingTo: zohoterritory.SetField(north)},
		zohoterritory.TerritoryUpdate{ID: north, Description: zohoterritory.ClearField[string]()},
	)
	check(t, res, err, http.StatusOK, zohoterritory.Updated, zohoterritory.Updated)
	res, err = c.UpdateTerritories(ctx, zohoterritory.TerritoryUpdate{ID: north, ReportingTo: zohoterritory.SetField(west),
		PermissionType: zohoterritory.SetField(zohoterritory.ReadWriteDelete)})
	check(t, res, err, http.StatusBadRequest, zohoterritory.ReasonCycle)

	tn, found, err := c.GetTerritory(ctx, north)
	require.NoError(t, err)
	require.True(t, found)
	assert.Equal(t, zohoterritory.ReadWriteDelete, tn.PermissionType, "kept")
	assert.Empty(t, tn.Description, "cleared")
	var children []string
	for ch, err := range c.ChildTerritories(ctx, north) {
		require.NoError(t, err)
		children = append(children, ch.Name)
	}
	assert.ElementsMatch(t, []string{"Prism West", "Prism South"}, children)
	counts := map[string]int{}
	for n, err := range c.AssociatedUsersCounts(ctx) {
		require.NoError(t, err)
		counts[n.Territory.ID] = n.Count
	}
	assert.Equal(t, 1, counts[north], "the manager is North's member")
	assert.Empty(t, tr.take(), "Prism reported violations")

	res, err = c.DeleteTerritories(ctx, zohoterritory.KeepForecasts, north, west)
	check(t, res, err, http.StatusMultiStatus, zohoterritory.ReasonHasChildren, zohoterritory.Deleted)
	res, err = c.TransferAndDeleteTerritories(ctx, zohoterritory.Transfer{ID: north, TransferTo: orgTerritory})
	check(t, res, err, http.StatusOK, zohoterritory.Deleted)
	ts, found, err := c.GetTerritory(ctx, south)
	require.NoError(t, err)
	require.True(t, found)
	require.NotNil(t, ts.ReportingTo)
	assert.Equal(t, orgTerritory, ts.ReportingTo.ID, "South moved to the organization territory")
	res, err = c.DeleteTerritories(ctx, zohoterritory.DeleteForecasts, south)
	check(t, res, err, http.StatusOK, zohoterritory.Deleted)

	res, err = c.DeleteTerritories(ctx, zohoterritory.KeepForecasts, orgTerritory)
	assert.Empty(t, tr.take(), "Prism reported violations")
	var apiErr *zohoterritory.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "NOT_ALLOWED", apiErr.Code)
	require.Len(t, res.Items, 1)
	assert.Equal(t, zohoterritory.ReasonRoot, res.Items[0].Reason)
}
