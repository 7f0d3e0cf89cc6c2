package zohoterritory_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// More ids of zohoterritorytest.DefaultSeed than example_test.go names.
const (
	europe, seedEve, seedFinn, seedGus = "5725767000000452003", "5725767000000411005", "5725767000000411006", "5725767000000411007"
)

// TestResolve: every reference of a run answered with one read of the
// halves of the directory it needs; ids alone read nothing.
func TestResolve(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, zohoterritorytest.DefaultSeed())
	u, tr := zohoterritory.UserReference, zohoterritory.TerritoryReference

	res, err := c.Resolve(t.Context(), []zohoterritory.Reference{tr(westCoast, "--territory"), u(chloe, "argument 1")}, zohoterritory.DirectoryQuery{})
	require.NoError(t, err)
	assert.Equal(t, []string{westCoast, chloe}, res.IDs)
	assert.Empty(t, srv.Requests(), "ids alone read nothing")
	assert.False(t, res.Directory.HasUsers())

	res, err = c.Resolve(t.Context(), []zohoterritory.Reference{
		tr("north america / key accounts", "--territory"), u("CHLOE@acme.com", "argument 1"), u(ben, "argument 2"), u("eve@acme.com", "argument 3"),
	}, zohoterritory.DirectoryQuery{})
	require.NoError(t, err)
	assert.Equal(t, []string{keyAccountsNA, chloe, ben, seedEve}, res.IDs)
	assert.Equal(t, map[string]int{"/crm/v7/users": 1, "/crm/v7/settings/territories": 1}, gets(srv), "each half once")
	found, ok := res.Directory.UserByID(chloe)
	require.True(t, ok)
	assert.Equal(t, "Chloe Chen", found.FullName)
	assert.Equal(t, "North America/Key Accounts", res.Directory.Path(keyAccountsNA))

	before := len(srv.Requests())
	res, err = c.Resolve(t.Context(), []zohoterritory.Reference{u(chloe, "")}, zohoterritory.DirectoryQuery{Territories: true})
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), before+1, "what also asks for is read in the same pass")
	assert.True(t, res.Directory.HasTerritories())
}

// twinSeed is DefaultSeed with a name twice: Key Accounts Europe named
// Key Accounts, as North America's is. Zoho refuses a second territory of
// a name, but should an org hold one, a name alone must not pick either.
func twinSeed() zohoterritorytest.Seed {
	seed := zohoterritorytest.DefaultSeed()
	for i, tr := range seed.Territories {
		if tr.ID == keyAccountsEU {
			seed.Territories[i].Name = "Key Accounts"
		}
	}
	return seed
}

// TestResolveReportsEveryProblem: every reference that cannot name
// anything is refused before anything is read; then every unknown and
// every ambiguous one is named together, each with where it was given.
func TestResolveReportsEveryProblem(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, twinSeed())
	u, tr := zohoterritory.UserReference, zohoterritory.TerritoryReference

	_, err := c.Resolve(t.Context(), []zohoterritory.Reference{
		tr("Nowhere", "--territory"), u("12x", "argument 1"), u(" ", "argument 2"), u("chloe@acme.com", "argument 3"),
	}, zohoterritory.DirectoryQuery{})
	var re *zohoterritory.ResolveError
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Refs, 2, "only those that cannot name anything, before any read")
	assert.Equal(t, `argument 1 "12x": must be a user id (decimal digits) or an e-mail address`, re.Refs[0].Error())
	assert.Equal(t, "argument 2", re.Refs[1].Ref.Where)
	var invalid *zohoterritory.InvalidRefError
	assert.ErrorAs(t, err, &invalid)
	assert.Empty(t, srv.Requests())

	_, err = c.Resolve(t.Context(), []zohoterritory.Reference{
		tr("Key Accounts", "--territory"), u("chloe@acme.com", "standard input, line 1"), u("zoe@acme.com", "standard input, line 2"),
		tr("Europe/West Coast", "argument 2"), u("zoe@acme.com", "standard input, line 7"),
	}, zohoterritory.DirectoryQuery{})
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Refs, 4)
	assert.Equal(t, `--territory "Key Accounts": the territory name "Key Accounts" is ambiguous, 2 territories have it: `+
		keyAccountsNA+` (North America/Key Accounts), `+keyAccountsEU+` (Europe/Key Accounts); give the id or the path of the one you mean`, re.Refs[0].Error())
	assert.Equal(t, `standard input, line 2: "zoe@acme.com": no user of the org has the e-mail address "zoe@acme.com" (every user was read, deactivated ones included)`, re.Refs[1].Error())
	assert.Equal(t, `argument 2 "Europe/West Coast": no territory is named "Europe/West Coast", nor has that path`, re.Refs[2].Error())
	assert.Equal(t, "standard input, line 7", re.Refs[3].Ref.Where)
	assert.True(t, strings.HasPrefix(err.Error(), "4 references cannot be resolved:\n\t--territory \"Key Accounts\""), err.Error())
	var ambiguous *zohoterritory.AmbiguousRefError
	require.ErrorAs(t, err, &ambiguous)
	assert.Len(t, ambiguous.Candidates, 2)
	var unknown *zohoterritory.UnknownRefError
	require.ErrorAs(t, err, &unknown)
	assert.Equal(t, zohoterritory.KindUser, unknown.Kind)
	assert.Equal(t, map[string]int{"/crm/v7/users": 1, "/crm/v7/settings/territories": 1}, gets(srv), "one read, nothing else sent")

	_, err = c.Resolve(t.Context(), []zohoterritory.Reference{{Kind: "group", Raw: "x"}}, zohoterritory.DirectoryQuery{})
	require.ErrorAs(t, err, &re)
	assert.Equal(t, `reference 1 "x": Reference.Kind "group": want "user" or "territory"`, err.Error())
}

// TestResolveMemberships: a file's rows become memberships with one read,
// every bad row named by its file and line, all of them together.
func TestResolveMemberships(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, twinSeed())
	rows, err := zohoterritory.ReadMemberships(strings.NewReader("territory,user\nWest Coast,chloe@acme.com\n"+westCoast+","+seedEve+"\n"), "reorg.csv")
	require.NoError(t, err)
	ms, dir, err := c.ResolveMemberships(t.Context(), rows, zohoterritory.DirectoryQuery{})
	require.NoError(t, err)
	assert.Equal(t, []zohoterritory.Membership{{TerritoryID: westCoast, UserID: chloe}, {TerritoryID: westCoast, UserID: seedEve}}, ms)
	assert.True(t, dir.HasUsers())

	rows, err = zohoterritory.ReadMemberships(strings.NewReader("territory,user\nKey Accounts,chloe@acme.com\nWest Coast,zoe@acme.com\nWest Coast,ben@acme.com\n"), "reorg.csv")
	require.NoError(t, err)
	_, _, err = c.ResolveMemberships(t.Context(), rows, zohoterritory.DirectoryQuery{})
	var re *zohoterritory.ResolveError
	require.ErrorAs(t, err, &re)
	require.Len(t, re.Refs, 2)
	assert.Equal(t, "reorg.csv, line 2", re.Refs[0].Ref.Where)
	assert.True(t, strings.HasPrefix(re.Refs[1].Error(), `reorg.csv, line 3: "zoe@acme.com": no user of the org`), re.Refs[1].Error())

	_, _, err = c.PlanRows(t.Context(), rows, zohoterritory.PlanOptions{By: "group"})
	var oe *zohoterritory.OptionError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, "By", oe.Field)
	n := len(srv.Requests())
	_, _, err = c.PlanRows(t.Context(), rows, zohoterritory.PlanOptions{})
	require.ErrorAs(t, err, &re)
	assert.Len(t, srv.Requests(), n+2, "a file with a bad row reads the directory, and no membership")
}

// TestReadNames: the names a report shows come from what the run read
// and, with one read each, what it lacks; a listing adds its names, never
// a whole part; a failed read leaves what was known.
func TestReadNames(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, zohoterritorytest.DefaultSeed())
	listed := []zohoterritory.Territory{{ID: westCoast, Name: "West Coast", ReportingTo: &zohoterritory.Ref{ID: northAmerica}}}
	known := (*zohoterritory.Directory)(nil).With([]zohoterritory.User{{ID: ben, FullName: "Ben Brooks"}}, listed)
	assert.False(t, known.HasUsers())
	assert.False(t, known.HasTerritories())
	wc, ok := known.TerritoryByID(westCoast)
	require.True(t, ok)
	assert.Equal(t, "West Coast", wc.Name)
	assert.Empty(t, known.Path(westCoast), "part of the tree gives no path")

	same, err := c.ReadNames(t.Context(), known, []string{ben}, nil)
	require.NoError(t, err)
	assert.Same(t, known, same)
	assert.Empty(t, srv.Requests(), "known names cost nothing")

	dir, err := c.ReadNames(t.Context(), known, []string{ben, chloe, seedFinn, chloe}, []string{westCoast})
	require.NoError(t, err)
	reqs := srv.Requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		if r.Path == "/crm/v7/users" {
			assert.Contains(t, r.RawQuery, "ids="+chloe+"%2C"+seedFinn, "the missing users, once each, by id")
		}
	}
	for _, id := range []string{ben, chloe, seedFinn} {
		_, ok := dir.UserByID(id)
		assert.True(t, ok, id)
	}
	assert.False(t, dir.HasUsers())
	assert.True(t, dir.HasTerritories())
	assert.Equal(t, "North America/West Coast", dir.Path(westCoast))

	require.NoError(t, srv.SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHTML502, Count: 10}))
	c2, err := srv.Client(zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 1, AttemptTimeout: 10e9}))
	require.NoError(t, err)
	got, err := c2.ReadNames(t.Context(), known, []string{chloe}, nil)
	require.Error(t, err)
	assert.Same(t, known, got)
	var apiErr *zohoterritory.APIError
	assert.True(t, errors.As(err, &apiErr))
}

// TestQueryFor: what of the directory references need, the one rule the
// CLI reads to know whether a dry run needs credentials.
func TestQueryFor(t *testing.T) {
	t.Parallel()
	u, tr := zohoterritory.UserReference, zohoterritory.TerritoryReference
	for _, tt := range []struct {
		refs []zohoterritory.Reference
		want zohoterritory.DirectoryQuery
	}{
		{nil, zohoterritory.DirectoryQuery{}},
		{[]zohoterritory.Reference{u(chloe, ""), tr(westCoast, "")}, zohoterritory.DirectoryQuery{}},
		{[]zohoterritory.Reference{u("chloe@acme.com", ""), tr(westCoast, "")}, zohoterritory.DirectoryQuery{Users: true}},
		{[]zohoterritory.Reference{u(chloe, ""), tr("West Coast", "")}, zohoterritory.DirectoryQuery{Territories: true}},
		{[]zohoterritory.Reference{u("12x", ""), tr(" ", "")}, zohoterritory.DirectoryQuery{}},
	} {
		assert.Equal(t, tt.want, zohoterritory.QueryFor(tt.refs), "%v", tt.refs)
	}
}
