package zohoterritory_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testorg"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

func TestPlanOffboardUser(t *testing.T) {
	t.Parallel()
	srv, err := zohoterritorytest.NewServer()
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := srv.Client()
	require.NoError(t, err)
	const europe, unlisted = "5725767000000452003", "999"

	p, err := c.PlanOffboardUser(t.Context(), chloe, europe, unlisted, europe)
	require.NoError(t, err)
	assert.Equal(t, []string{northAmerica, westCoast, keyAccountsNA}, p.IDs)
	assert.Equal(t, []zohoterritory.Skipped{
		{ID: acmeOrg, Reason: zohoterritory.ReasonDefaultTerritory},
		{ID: keyAccountsEU, Reason: zohoterritory.ReasonManager},
		{ID: europe, Reason: zohoterritory.ReasonExcepted},
	}, p.Skipped)
	assert.Equal(t, []string{unlisted}, p.Unlisted)
	require.Len(t, p.Calls, 1)
	assert.Equal(t, srv.URL()+"/crm/v7/Users/"+chloe+"/territories?ids="+northAmerica+","+westCoast+","+keyAccountsNA, p.Calls[0].URL)
	assert.Len(t, srv.TerritoriesOf(chloe), 6, "planning removes nothing")
}

func TestPlanRefusesBadIDsBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	srv, err := zohoterritorytest.NewServer()
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := srv.Client()
	require.NoError(t, err)
	for name, plan := range map[string]func() error{
		"owner": func() error { _, err := c.PlanOffboardUser(t.Context(), "me"); return err },
		"except": func() error {
			_, err := c.PlanEmptyTerritory(t.Context(), northAmerica, dev, "x1")
			return err
		},
	} {
		err := plan()
		var ie *zohoterritory.InvalidIDError
		require.ErrorAs(t, err, &ie, name)
		if name == "except" {
			assert.Equal(t, "except[1]", ie.Arg)
			assert.Equal(t, "x1", ie.ID)
		} else {
			assert.Equal(t, "userID", ie.Arg)
		}
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
}

func TestPlanFailsWithoutAPartialList(t *testing.T) {
	t.Parallel()
	srv, err := zohoterritorytest.NewServer()
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	// A token without scopes: the listing is refused.
	c, err := zohoterritory.New(zohoterritory.WithAPIDomain(srv.URL()), zohoterritory.WithAccessToken(srv.IssueToken()))
	require.NoError(t, err)
	p, err := c.PlanEmptyTerritory(t.Context(), northAmerica)
	require.ErrorIs(t, err, zohoterritory.ErrOAuthScopeMismatch)
	assert.Nil(t, p)
}

// TestPlanOffboardManyTerritories: 450 territories are listed over three
// pages and planned as calls of at most 100 ids.
func TestPlanOffboardManyTerritories(t *testing.T) {
	t.Parallel()
	seed, ids := testorg.UserInTerritories(450)
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := srv.Client()
	require.NoError(t, err)
	p, err := c.PlanOffboardUser(t.Context(), testorg.Rep)
	require.NoError(t, err)
	assert.Equal(t, ids, p.IDs)
	assert.Equal(t, []zohoterritory.Skipped{{ID: testorg.Default, Reason: zohoterritory.ReasonDefaultTerritory}}, p.Skipped)
	assert.Len(t, p.Calls, 5)
	reads := 0
	for _, r := range srv.Requests() {
		if r.Method == "GET" {
			reads++
		}
	}
	assert.Equal(t, 3, reads, "451 territories: pages of 200, 200 and 51")
}
