package tree_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// membersListed returns the territories whose users the sandbox was asked
// for.
func membersListed(srv *zohoterritorytest.Server) []string {
	var ids []string
	for _, r := range srv.Requests() {
		if rest, ok := strings.CutPrefix(r.Path, "/crm/v7/settings/territories/"); ok && strings.HasSuffix(rest, "/users") {
			ids = append(ids, strings.TrimSuffix(rest, "/users"))
		}
	}
	return ids
}

func TestReadOrg(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	org, err := tree.ReadOrg(t.Context(), c)
	require.NoError(t, err)

	assert.Equal(t, srv.URL(), org.APIDomain)
	assert.Equal(t, "v7", org.APIVersion)
	assert.Zero(t, org.Limit, "Zoho does not say: the plan's rules decide")
	require.Len(t, org.Territories, 7)
	assert.Equal(t, tree.Territory{ID: engRoot, Name: "Acme Org", ManagerID: engAva, Permission: tree.PermissionReadWriteDelete}, org.Territories[0])
	assert.Equal(t, tree.Territory{ID: engNA, Name: "North America", ParentID: engRoot, ManagerID: engBen, Permission: tree.PermissionReadWriteDelete,
		Description: "Sales in the US and Canada"}, org.Territories[1])
	assert.Equal(t, tree.Territory{ID: engEast, Name: "East Coast", ParentID: engNA, Permission: tree.PermissionReadOnly}, org.Territories[3])
	assert.True(t, org.Territories[3].Criteria.IsZero(), "Zoho's null is no rule")

	assert.ElementsMatch(t, []string{engAva, engBen, engChloe, engDev, engGus, engHal}, org.Members[engRoot], "the manager is a member")
	assert.ElementsMatch(t, []string{engGus, engFay}, org.Members[engEast])
	assert.NotContains(t, org.Members, engLatam, "an empty territory has no entry")
	assert.Equal(t, 16, org.Memberships(), "the root 6, North America 3, West Coast 2, East Coast 2, Europe 2, Key Accounts 1 (managers among them)")
	assert.NotContains(t, membersListed(srv), engLatam, "the counts show it empty: not listed")
	assert.Len(t, membersListed(srv), 6, "one listing for each other territory")

	byID := map[string]zohoterritory.User{}
	for _, u := range org.Users {
		byID[u.ID] = u
	}
	assert.Len(t, org.Users, 8)
	assert.Equal(t, "inactive", byID[engEve].Status, "AllUsers holds the deactivated")
	assert.Equal(t, "deleted", byID[engFay].Status, "a deleted member, as its territory's listing gives it")
	assert.Equal(t, engFay, org.Users[len(org.Users)-1].ID, "added after AllUsers' users")

	// The org as read exports as a file that plans to no changes.
	p := engPlan(t, org, engExport(t, org), tree.Options{})
	assert.False(t, p.HasChanges(), "%+v", p.Steps)
}

func TestReadOrgWithoutCounts(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	org, err := tree.ReadOrg(t.Context(), c, tree.WithoutUserCounts())
	require.NoError(t, err)
	assert.Len(t, membersListed(srv), 7, "every territory listed")
	assert.NotContains(t, org.Members, engLatam)
	for _, r := range srv.Requests() {
		assert.NotContains(t, r.Path, "associated_users_count")
	}
}

// failCounts is a transport that answers every read of the users' counts
// with a 503 itself, and passes the rest on.
type failCounts struct{}

func (failCounts) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/associated_users_count") {
		return &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{"Content-Type": {"text/html"}},
			Body: io.NopCloser(strings.NewReader("<html>unavailable</html>")), Request: r}, nil
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestReadOrgCountsFail: counts that cannot be read cost their saving, not
// the read.
func TestReadOrgCountsFail(t *testing.T) {
	t.Parallel()
	srv, _ := engServer(t, nil)
	c, err := srv.Client(zohoterritory.WithHTTPClient(&http.Client{Transport: failCounts{}}),
		zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 2, AttemptTimeout: 10 * time.Second}))
	require.NoError(t, err)
	org, err := tree.ReadOrg(t.Context(), c)
	require.NoError(t, err)
	assert.Len(t, org.Territories, 7)
	assert.ElementsMatch(t, []string{engGus, engFay}, org.Members[engEast])
	assert.Len(t, membersListed(srv), 7, "every territory listed")
}

func TestReadOrgFails(t *testing.T) {
	t.Parallel()
	srv, _ := engServer(t, nil)
	c, err := zohoterritory.New(zohoterritory.WithAPIDomain(srv.URL()), zohoterritory.WithAccessToken(srv.IssueToken(zohoterritorytest.ScopeUsersRead)))
	require.NoError(t, err)
	org, err := tree.ReadOrg(t.Context(), c)
	require.Error(t, err)
	assert.True(t, zohoterritory.IsAuthFailure(err), "%v", err)
	assert.Nil(t, org, "nothing, rather than a part taken for the whole")
}
