package contracttests

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/proxy"
	"github.com/seed-ab9c0d28/zohoterritory/internal/record"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestProxyRecordingsJoinTheSuite records the client's traffic with the
// sandbox through `zohoterritory-contract proxy`'s proxy, pseudonymized,
// and holds the recordings to the suite's own rules: each is read by
// contract.ReadCases, routed to the operation its URL names, accepted by
// both validators, request and response, with only the suite's
// placeholder for a token. So a recording from a live org can be added to
// testdata as it is (once its URL names the org's Zoho host).
func TestProxyRecordingsJoinTheSuite(t *testing.T) {
	t.Parallel()
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit, Count: 1}))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	dirPath := filepath.Join(t.TempDir(), "recordings")
	dir, err := record.CreateDir(dirPath)
	require.NoError(t, err)
	p, err := proxy.New(srv.URL(), proxy.WithValidator(validator), proxy.WithRecording(dir), proxy.WithScrubber(record.NewScrubber(true)))
	require.NoError(t, err)
	hs := httptest.NewServer(p)
	t.Cleanup(hs.Close)

	c, err := zohoterritory.New(zohoterritory.WithAPIDomain(hs.URL), zohoterritory.WithAccessToken(srv.AccessToken()),
		zohoterritory.WithConcurrency(1), zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 3, AttemptTimeout: 30 * time.Second}))
	require.NoError(t, err)
	const dev, chloe, na, eu, west = "5725767000000411004", "5725767000000411003", "5725767000000452002", "5725767000000452003", "5725767000000452004"
	ctx := t.Context()
	_, err = c.TerritoriesOfUser(ctx, dev)
	require.NoError(t, err)
	_, err = c.UsersOfTerritory(ctx, eu)
	require.NoError(t, err)
	_, _, err = c.UserOfTerritory(ctx, na, dev)
	require.NoError(t, err)
	_, err = c.RemoveTerritoriesFromUser(ctx, dev, west, na)
	require.NoError(t, err)
	_, err = c.RemoveTerritoriesFromUser(ctx, dev, west)
	require.NoError(t, err)
	_, err = c.RemoveUsersFromTerritory(ctx, eu, chloe)
	require.NoError(t, err)
	_, err = c.RemoveUsersFromTerritory(ctx, eu, chloe, dev)
	require.NoError(t, err)
	hs.Close()
	require.Zero(t, p.Stats().Failed())

	cases, err := contract.ReadCases(dirPath)
	require.NoError(t, err)
	require.Len(t, cases, 8, "a 429 and seven calls")
	ops := map[string]bool{}
	for _, cs := range cases {
		vd, err := validator.Validate(cs)
		require.NoError(t, err)
		assert.Truef(t, vd.OK(), "%s: %s", cs.Name, describe(vd))
		assert.Equal(t, expectedOperation(t, cs.Request.Method, cs.Request.URL), vd.Operation, cs.Name)
		assert.True(t, vd.ListedServer, cs.Name)
		req, err := cs.HTTPRequest()
		require.NoError(t, err)
		rq := validator.ValidateRequest(req)
		assert.Truef(t, rq.OK(), "%s: %s", cs.Name, describe(rq))
		assert.Regexp(t, placeholderAuth, cs.Request.Headers["Authorization"], cs.Name)
		assert.NotEmpty(t, cs.Description, cs.Name)
		assert.NotEmpty(t, cs.Source, cs.Name)
		raw, err := os.ReadFile(filepath.Join(dirPath, cs.Name+".json"))
		require.NoError(t, err)
		assert.False(t, realLookingToken.Match(raw), cs.Name)
		ops[vd.Operation] = true
	}
	for _, op := range []string{opListTerritoriesOfUser, opListUsersOfTerritory, opGetUserOfTerritory,
		opRemoveTerritoriesFromUser, opRemoveTerritoryFromUser, opRemoveUserFromTerritory, opRemoveUsersFromTerritory} {
		assert.True(t, ops[op], "no recording of %s", op)
	}
	assert.Equal(t, http.StatusTooManyRequests, cases[0].Response.Status)
}
