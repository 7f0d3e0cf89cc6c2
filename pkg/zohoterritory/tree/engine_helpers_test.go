package tree_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// The engine's tests run against the sandbox, seeded with engSeed: users
// 4110xx, territories 4520xx.
const (
	engRoot  = "5725767000000452001"
	engNA    = "5725767000000452002"
	engWest  = "5725767000000452003"
	engEast  = "5725767000000452004"
	engEU    = "5725767000000452005"
	engKey   = "5725767000000452006"
	engLatam = "5725767000000452007" // no members, no manager
	engAva   = "5725767000000411001"
	engBen   = "5725767000000411002"
	engChloe = "5725767000000411003"
	engDev   = "5725767000000411004"
	engEve   = "5725767000000411005" // inactive
	engFay   = "5725767000000411006" // deleted, yet a member of East Coast
	engGus   = "5725767000000411007" // no e-mail address
	engHal   = "5725767000000411008"
)

var engT0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

// engSeed is a small org: Acme Org; North America (West Coast, East Coast
// under it); Europe (Key Accounts under it); Latin America, empty.
func engSeed() zohoterritorytest.Seed {
	return zohoterritorytest.Seed{
		CallerID: engAva, DefaultTerritoryID: engRoot,
		Users: []zohoterritorytest.User{
			{ID: engAva, FullName: "Ava Admin", Email: "ava@acme.com"},
			{ID: engBen, FullName: "Ben Brooks", Email: "ben@acme.com"},
			{ID: engChloe, FullName: "Chloe Chen", Email: "chloe@acme.com"},
			{ID: engDev, FullName: "Dev Patel", Email: "dev@acme.com"},
			{ID: engEve, FullName: "Eve Evans", Email: "eve@acme.com", Status: zohoterritorytest.StatusInactive},
			{ID: engFay, FullName: "Fay Fox", Email: "fay@acme.com", Status: zohoterritorytest.StatusDeleted},
			{ID: engGus, FullName: "Gus Grant"},
			{ID: engHal, FullName: "Hal Hill", Email: "hal@acme.com"},
		},
		Territories: []zohoterritorytest.Territory{
			{ID: engRoot, Name: "Acme Org", ManagerID: engAva, Members: []string{engBen, engChloe, engDev, engGus, engHal}},
			{ID: engNA, Name: "North America", ReportingTo: engRoot, ManagerID: engBen, Description: "Sales in the US and Canada",
				Members: []string{engChloe, engDev}},
			{ID: engWest, Name: "West Coast", ReportingTo: engNA, ManagerID: engChloe, PermissionType: zohoterritorytest.PermissionReadOnly,
				Members: []string{engDev}},
			{ID: engEast, Name: "East Coast", ReportingTo: engNA, PermissionType: zohoterritorytest.PermissionReadOnly,
				Members: []string{engGus, engFay}},
			{ID: engEU, Name: "Europe", ReportingTo: engRoot, ManagerID: engAva, Members: []string{engHal}},
			{ID: engKey, Name: "Key Accounts", ReportingTo: engEU, PermissionType: zohoterritorytest.PermissionReadOnly,
				Description: "The ten largest", Members: []string{engDev}},
			{ID: engLatam, Name: "Latin America", ReportingTo: engRoot},
		},
	}
}

// engServer starts a sandbox of seed (engSeed when nil) and a client of it
// that retries at once (no backoff: nothing waits on the clock).
func engServer(t *testing.T, seed *zohoterritorytest.Seed, opts ...zohoterritorytest.Option) (*zohoterritorytest.Server, *zohoterritory.Client) {
	t.Helper()
	if seed == nil {
		s := engSeed()
		seed = &s
	}
	srv, err := zohoterritorytest.NewServer(append([]zohoterritorytest.Option{zohoterritorytest.WithSeed(*seed)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := srv.Client(zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 4, AttemptTimeout: 10 * time.Second}))
	require.NoError(t, err)
	return srv, c
}

// engPlan reads the org, reads the tree file text (an export of it,
// edited) and returns the plan.
func engPlan(t *testing.T, org *tree.Org, text string, opts tree.Options) *tree.Plan {
	t.Helper()
	f, err := tree.ReadFile(strings.NewReader(text), "tree.yaml")
	require.NoError(t, err)
	in, err := tree.Diff(f, org, opts)
	require.NoError(t, err)
	p, err := tree.Order(in, org, tree.OrderOptions{Created: engT0, Source: "tree.yaml", Tag: "t1"})
	require.NoError(t, err)
	return p
}

// engExport returns the org as a tree file's text.
func engExport(t *testing.T, org *tree.Org) string {
	t.Helper()
	f, err := tree.Export(org, tree.Meta{APIDomain: org.APIDomain, APIVersion: org.APIVersion, Exported: engT0})
	require.NoError(t, err)
	var b strings.Builder
	_, err = f.WriteTo(&b)
	require.NoError(t, err)
	return b.String()
}
