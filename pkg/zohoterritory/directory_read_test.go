package zohoterritory_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// bigDirectory is an org of users people and territories territories, a
// tenth of the users deactivated, every territory named twice: "Region k"
// under two parents.
func bigDirectory(users, territories int) zohoterritorytest.Seed {
	seed := zohoterritorytest.Seed{CallerID: "1000000", DefaultTerritoryID: "2000000"}
	for i := range users {
		u := zohoterritorytest.User{ID: fmt.Sprintf("%d", 1000000+i), FullName: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("person%d@acme.com", i)}
		if i%10 == 9 {
			u.Status = zohoterritorytest.StatusInactive
		}
		seed.Users = append(seed.Users, u)
	}
	seed.Territories = append(seed.Territories,
		zohoterritorytest.Territory{ID: "2000000", Name: "Acme", ManagerID: "1000000", Members: []string{"1000000"}},
		zohoterritorytest.Territory{ID: "2000001", Name: "East", ReportingTo: "2000000"},
		zohoterritorytest.Territory{ID: "2000002", Name: "West", ReportingTo: "2000000"})
	for i := 3; i < territories; i++ {
		parent := "2000001"
		if i%2 == 1 {
			parent = "2000002"
		}
		seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: fmt.Sprintf("%d", 2000000+i), Name: fmt.Sprintf("Region %d", i/2), ReportingTo: parent})
	}
	return seed
}

func directorySandbox(t *testing.T, seed zohoterritorytest.Seed, opts ...zohoterritorytest.Option) (*zohoterritorytest.Server, *zohoterritory.Client) {
	t.Helper()
	opts = append([]zohoterritorytest.Option{zohoterritorytest.WithSeed(seed), zohoterritorytest.WithContractCheck(validator(t))}, opts...)
	srv, err := zohoterritorytest.NewServer(opts...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := srv.Client()
	require.NoError(t, err)
	return srv, c
}

// gets counts the server's GETs by path.
func gets(srv *zohoterritorytest.Server) map[string]int {
	out := map[string]int{}
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet {
			out[r.Path]++
		}
	}
	return out
}

// TestResolveOnceAtScale: an org of 1,000 users (5 pages) and 450
// territories (3 pages) resolves 300 e-mail addresses and a territory name
// in 5 + 3 GETs, read once; an unknown address and an ambiguous name are
// typed errors, and nothing else is sent.
func TestResolveOnceAtScale(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, bigDirectory(1000, 450))
	dir, err := c.ReadDirectory(t.Context(), zohoterritory.DirectoryQuery{Users: true, Territories: true})
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"/crm/v7/users": 5, "/crm/v7/settings/territories": 3}, gets(srv))
	assert.Len(t, dir.Users(), 1000, "deactivated users included")
	assert.Len(t, dir.Territories(), 450)

	for i := 0; i < 300; i++ {
		ref, err := zohoterritory.ParseUserRef(fmt.Sprintf("Person%d@ACME.com", i*3))
		require.NoError(t, err)
		u, err := dir.User(ref)
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("%d", 1000000+i*3), u.ID)
	}
	ref, _ := zohoterritory.ParseTerritoryRef("West/Region 100")
	ter, err := dir.Territory(ref)
	require.NoError(t, err)
	assert.Equal(t, "2000201", ter.ID)
	assert.Equal(t, "West/Region 100", dir.Path(ter.ID))

	ref, _ = zohoterritory.ParseTerritoryRef("region 100")
	_, err = dir.Territory(ref)
	var amb *zohoterritory.AmbiguousRefError
	require.ErrorAs(t, err, &amb)
	assert.Equal(t, []zohoterritory.Candidate{
		{ID: "2000200", Name: "Region 100", Path: "East/Region 100"},
		{ID: "2000201", Name: "Region 100", Path: "West/Region 100"},
	}, amb.Candidates)
	_, err = dir.User(zohoterritory.UserRef{Raw: "nobody@acme.com", Email: "nobody@acme.com"})
	var unk *zohoterritory.UnknownRefError
	require.ErrorAs(t, err, &unk)
	assert.Equal(t, map[string]int{"/crm/v7/users": 5, "/crm/v7/settings/territories": 3}, gets(srv), "resolving sent nothing more")
	assert.Empty(t, srv.Violations())
}

// TestListUsersTypes: the listing asks for the type it is given, and the
// default directory read takes the deactivated users but not the deleted.
func TestListUsersTypes(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, zohoterritorytest.DefaultSeed())
	count := func(typ zohoterritory.UserType) (n int) {
		for u, err := range c.ListUsers(t.Context(), typ) {
			require.NoError(t, err)
			assert.NotEmpty(t, u.Email)
			n++
		}
		return n
	}
	assert.Equal(t, 5, count(zohoterritory.ActiveUsers))
	assert.Equal(t, 1, count(zohoterritory.DeactiveUsers))
	assert.Equal(t, 1, count(zohoterritory.DeletedUsers))
	assert.Equal(t, 6, count(zohoterritory.AllUsers))
	var queries []string
	for _, r := range srv.Requests() {
		queries = append(queries, r.RawQuery)
	}
	assert.Contains(t, queries, "type=DeactiveUsers&page=1&per_page=200")

	me, err := c.Me(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "ava@acme.com", me.Email)

	// A range that stops early reads no further page.
	before := len(srv.Requests())
	for _, err := range c.ListUsers(t.Context(), zohoterritory.AllUsers) {
		require.NoError(t, err)
		break
	}
	assert.Len(t, srv.Requests(), before+1)
	assert.Empty(t, srv.Violations())
}

func TestReadsByID(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, zohoterritorytest.DefaultSeed())
	u, ok, err := c.GetUser(t.Context(), "5725767000000411003")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "chloe@acme.com", u.Email)
	_, ok, err = c.GetUser(t.Context(), "5725767000000499999")
	require.NoError(t, err)
	assert.False(t, ok)
	_, _, err = c.GetUser(t.Context(), "chloe")
	var idErr *zohoterritory.InvalidIDError
	require.ErrorAs(t, err, &idErr)
	assert.Equal(t, "userID", idErr.Arg)

	ter, ok, err := c.GetTerritory(t.Context(), "5725767000000452001")
	require.NoError(t, err)
	require.True(t, ok)
	assert.True(t, ter.IsDefault(), "the root reports to none")
	ter, ok, err = c.GetTerritory(t.Context(), "5725767000000452004")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "West Coast", ter.Name)
	require.NotNil(t, ter.ReportingTo)
	assert.Equal(t, "5725767000000452002", ter.ReportingTo.ID)

	us, err := c.UsersByID(t.Context(), "5725767000000411003", "5725767000000411004", "5725767000000411003")
	require.NoError(t, err)
	require.Len(t, us, 2)
	assert.Equal(t, "Dev Patel", us[1].FullName)
	last := srv.Requests()[len(srv.Requests())-1]
	assert.True(t, strings.Contains(last.RawQuery, "ids=5725767000000411003,5725767000000411004") || strings.Contains(last.RawQuery, "ids=5725767000000411003%2C5725767000000411004"), last.RawQuery)
	assert.Empty(t, srv.Violations())
}

// TestReadDirectoryNamesByID: names for a few ids cost one call by id, not
// the listing; a query for nothing reads nothing.
func TestReadDirectoryNamesByID(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, bigDirectory(1000, 10))
	dir, err := c.ReadDirectory(t.Context(), zohoterritory.DirectoryQuery{UserIDs: []string{"1000003", "1000007"}})
	require.NoError(t, err)
	assert.False(t, dir.HasUsers(), "a read by id cannot resolve e-mail addresses")
	u, ok := dir.UserByID("1000007")
	require.True(t, ok)
	assert.Equal(t, "person7@acme.com", u.Email)
	assert.Equal(t, map[string]int{"/crm/v7/users": 1}, gets(srv))

	_, err = c.ReadDirectory(t.Context(), zohoterritory.DirectoryQuery{})
	require.NoError(t, err)
	assert.Len(t, srv.Requests(), 1)
}

// TestUsersByIDManyCalls: 250 ids are read in three calls of at most 100,
// and each call's users come back in the place of its ids, whichever call
// answers first; an unknown id is left out.
func TestUsersByIDManyCalls(t *testing.T) {
	t.Parallel()
	srv, c := directorySandbox(t, bigDirectory(1000, 10))
	var ids []string
	for i := 249; i >= 0; i-- { // descending: not the sandbox's order
		ids = append(ids, fmt.Sprintf("%d", 1000000+i*3))
	}
	ids = append(ids, "999") // no such user
	us, err := c.UsersByID(t.Context(), ids...)
	require.NoError(t, err)
	require.Len(t, us, 250)
	// Each call's users come back in Zoho's order, the calls in the
	// order of their ids: the first 100 users are those of the first 100
	// ids, and so on.
	for start := 0; start < 250; start += 100 {
		end := min(start+100, 250)
		var got []string
		for _, u := range us[start:end] {
			got = append(got, u.ID)
		}
		assert.ElementsMatch(t, ids[start:end], got, "users %d to %d", start, end)
	}
	assert.Equal(t, map[string]int{"/crm/v7/users": 3}, gets(srv))
}

// TestTerritoriesOff: with territory management off, the territories API's
// FEATURE_NOT_ENABLED matches ErrTerritoryDisabled, and no directory comes
// back.
func TestTerritoriesOff(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.DefaultSeed()
	seed.TerritoryFeature = zohoterritorytest.TerritoriesNotEnabled
	_, c := directorySandbox(t, seed)
	dir, err := c.ReadDirectory(t.Context(), zohoterritory.DirectoryQuery{Users: true, Territories: true})
	require.ErrorIs(t, err, zohoterritory.ErrTerritoryDisabled)
	assert.Nil(t, dir)
	var apiErr *zohoterritory.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "FEATURE_NOT_ENABLED", apiErr.Code)
	assert.Equal(t, "listTerritories", apiErr.Operation)
}
