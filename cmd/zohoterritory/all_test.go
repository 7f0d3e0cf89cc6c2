package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// calls splits what the sandbox answered into the GETs (as "path?query")
// and the DELETEs (as their ids).
func calls(t *testing.T, srv *zohoterritorytest.Server) (gets []string, deletes [][]string) {
	t.Helper()
	for _, r := range srv.Requests() {
		switch r.Method {
		case http.MethodGet:
			gets = append(gets, r.Path+"?"+r.RawQuery)
		case http.MethodDelete:
			q, err := url.ParseQuery(r.RawQuery)
			require.NoError(t, err)
			if ids := q.Get("ids"); ids != "" {
				deletes = append(deletes, strings.Split(ids, ","))
			} else {
				deletes = append(deletes, []string{r.Path[strings.LastIndexByte(r.Path, '/')+1:]})
			}
		default:
			t.Errorf("unexpected %s %s", r.Method, r.Path)
		}
	}
	return gets, deletes
}

// TestOffboardUserWith450Territories is the offboarding the --all flag is
// for. User 2 belongs to 450 territories: the default territory (10), 3
// territories they manage (100000-100002) and 446 others managed by the
// caller (100003-100448); 100100 is excepted. The listing takes three pages
// of 200 (200, 200, 50), and the 445 removable territories go in five
// DELETE calls (4 x 100 + 45). A second run finds only the 5 skipped ones
// and sends nothing.
func TestOffboardUserWith450Territories(t *testing.T) {
	t.Parallel()
	const caller, user, org, except = "1", "2", "10", "100100"
	seed := zohoterritorytest.Seed{
		Users:              []zohoterritorytest.User{{ID: caller, FullName: "Cal Caller"}, {ID: user, FullName: "Uma Leaving"}},
		Territories:        []zohoterritorytest.Territory{{ID: org, Name: "Org", ManagerID: caller, Members: []string{user}}},
		DefaultTerritoryID: org,
		CallerID:           caller,
	}
	var managed, removable []string
	for i := range 449 {
		id := fmt.Sprint(100000 + i)
		manager := caller
		switch {
		case i < 3:
			manager = user
			managed = append(managed, id)
		case id != except:
			removable = append(removable, id)
		}
		seed.Territories = append(seed.Territories, zohoterritorytest.Territory{
			ID: id, Name: "T" + id, ManagerID: manager, ReportingTo: org, Members: []string{user}})
	}
	require.Len(t, removable, 445)
	srv, env := sandbox(t, zohoterritorytest.WithSeed(seed))

	out := runCLI(t, env, "", "remove-territories", "--user", user, "--all", "--except", except)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.stderr)

	wantSkipped := []jsonSkipped{{ID: org, Reason: "default_territory"}}
	for _, id := range managed {
		wantSkipped = append(wantSkipped, jsonSkipped{ID: id, Reason: "manager"})
	}
	wantSkipped = append(wantSkipped, jsonSkipped{ID: except, Reason: "excepted"})
	got := decode(t, out.stdout)
	assert.Len(t, got.Names, 450, "the listing's names come with the JSON, every row's")
	assert.Equal(t, jsonName{Name: "T" + removable[0]}, got.Names[removable[0]])
	got.Names = nil
	assert.Equal(t, lists(jsonResult{Removed: removable, Failed: []jsonFailed{}, Unknown: []string{}, Skipped: wantSkipped}), got)
	assertKeyOrder(t, out.stdout, `"removed"`, `"failed"`, `"unknown"`, `"skipped"`)

	gets, deletes := calls(t, srv)
	list := "/crm/v7/Users/" + user + "/territories?"
	assert.Equal(t, []string{list + "page=1&per_page=200", list + "page=2&per_page=200", list + "page=3&per_page=200"}, gets)
	require.Len(t, deletes, 5, "445 territories in five DELETE calls")
	var sent []string
	var sizes []int
	for _, ids := range deletes {
		sizes = append(sizes, len(ids))
		sent = append(sent, ids...)
	}
	slices.Sort(sizes) // batches go concurrently, so in any order
	assert.Equal(t, []int{45, 100, 100, 100, 100}, sizes)
	slices.Sort(sent) // the ids have the same length
	assert.Equal(t, removable, sent, "every removable territory sent once")
	assert.Equal(t, append([]string{org}, append(managed, except)...), srv.TerritoriesOf(user), "only the skipped ones remain")
	assert.Empty(t, srv.RequestViolations())

	// Again: one page holds the five that remain, and nothing is sent.
	out = runCLI(t, env, "", "remove-territories", "--user", user, "--all", "--except", except)
	require.Equal(t, 0, out.code, out.stderr)
	got = decode(t, out.stdout)
	got.Names = nil
	assert.Equal(t, lists(jsonResult{Removed: []string{}, Failed: []jsonFailed{}, Unknown: []string{}, Skipped: wantSkipped}), got)
	gets, deletes = calls(t, srv)
	assert.Len(t, gets, 4)
	assert.Len(t, deletes, 5, "no DELETE on the second run")
}

func assertKeyOrder(t *testing.T, s string, keys ...string) {
	t.Helper()
	last := -1
	for _, k := range keys {
		i := strings.Index(s, k)
		if assert.Greater(t, i, last, "key %s out of order in %s", k, s) {
			last = i
		}
	}
}

func TestRemoveTerritoriesAllTable(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "remove-territories", "--user", chloe, "--all", "--output", "table")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "remove_territories_all_table", out.stdout)
	assert.Equal(t, []string{acme, keyAccountsEU}, srv.TerritoriesOf(chloe))
}

func TestRemoveUsersAll(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--all")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "remove_users_all_json", out.stdout)
	assert.Equal(t, lists(jsonResult{Removed: []string{chloe, dev}, Failed: []jsonFailed{}, Unknown: []string{},
		Skipped: []jsonSkipped{{ID: ben, Reason: "manager"}}, Names: map[string]jsonName{
			chloe: {Name: "Chloe Chen", Email: "chloe@acme.com"}, dev: {Name: "Dev Patel", Email: "dev@acme.com"}, ben: {Name: "Ben Brooks", Email: "ben@acme.com"},
		}}), decode(t, out.stdout))
	assert.Equal(t, []string{ben}, srv.Members(northAmerica))

	gets, deletes := calls(t, srv)
	assert.Equal(t, []string{
		"/crm/v7/settings/territories/" + northAmerica + "/users?page=1&per_page=200",
		"/crm/v7/Users/" + ben + "/territories/" + northAmerica + "?", // the one read that finds the manager
	}, gets)
	assert.Equal(t, [][]string{{chloe, dev}}, deletes)
}

func TestRemoveUsersAllExcept(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "remove-users", "--territory", europe, "--all", "--except", "Chloe@acme.com,5725767000000411006", "--except", "77")
	require.Equal(t, 0, out.code, out.stderr)
	got := decode(t, out.stdout)
	got.Names = nil
	assert.Equal(t, lists(jsonResult{Removed: []string{}, Failed: []jsonFailed{}, Unknown: []string{},
		Skipped: []jsonSkipped{{ID: eve, Reason: "manager"}, {ID: chloe, Reason: "excepted"}, {ID: "5725767000000411006", Reason: "excepted"}}}),
		got, "an exception by e-mail address")
	assert.Equal(t, "zohoterritory: --except 77: not among the listed ids; ignored\n", out.stderr)
	_, deletes := calls(t, srv)
	assert.Empty(t, deletes, "everything was skipped: nothing to send")
	assert.Equal(t, []string{chloe, eve, "5725767000000411006"}, srv.Members(europe))

	out = runCLI(t, env, "", "remove-users", "--territory", westCoast, "--all", "--except", dev, "--output", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, "ID                   USER        EMAIL           OUTCOME  REASON   MESSAGE\n"+
		chloe+"  Chloe Chen  chloe@acme.com  removed  -        Given User Removed from the mentioned territory Successfully\n"+
		dev+"  Dev Patel   dev@acme.com    skipped  manager  the user manages the territory\n"+
		"1 removed, 0 failed, 0 unknown, 1 skipped (1 call)\n", out.stdout, "a manager who is also excepted is skipped for the rule")
}

func TestDryRunAll(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "remove-territories", "--user", chloe, "--all", "--dry-run", "--output", "table", "--api-version", "v8")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "dry_run_all_table", out.stdout)

	out = runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--all", "--except", dev, "--dry-run")
	require.Equal(t, 0, out.code, out.stderr)
	var plan jsonPlan
	dec := json.NewDecoder(strings.NewReader(out.stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&plan))
	require.Len(t, plan.Planned, 1)
	assert.Equal(t, "removeUserFromTerritory", plan.Planned[0].Operation)
	assert.Equal(t, []string{chloe}, plan.Planned[0].IDs)
	assert.Equal(t, []jsonSkipped{{ID: ben, Reason: "manager"}, {ID: dev, Reason: "excepted"}}, plan.Skipped)

	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, "a dry run only reads: %s %s", r.Method, r.Path)
	}
	assert.Len(t, srv.Requests(), 3)
	assert.Equal(t, []string{acme, northAmerica, europe, westCoast, keyAccountsNA, keyAccountsEU}, srv.TerritoriesOf(chloe), "nothing removed")
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(northAmerica))

	// Without --all a dry run's JSON has the same shape.
	out = runCLI(t, with(env, "ZOHO_ACCESS_TOKEN", ""), "", "remove-users", "--territory", northAmerica, "--dry-run", chloe)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, `"skipped": []`)
}

func TestAllUsageErrorsExit1AndSendNothing(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	tests := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"--all with ids", env, []string{"remove-territories", "--user", dev, "--all", westCoast}, "give either --all or ids, not both"},
		{"--except without --all", env, []string{"remove-users", "--territory", northAmerica, "--except", dev, chloe}, "--except needs --all"},
		{"bad --except", env, []string{"remove-users", "--territory", northAmerica, "--all", "--except", chloe + ",12x"}, `--except "12x": must be a user id (decimal digits) or an e-mail address`},
		{"bad owner with --all", env, []string{"remove-territories", "--user", "dev", "--all"}, `--user "dev": must be a user id (decimal digits) or an e-mail address`},
		{"--all dry run without credentials", with(env, "ZOHO_ACCESS_TOKEN", ""), []string{"remove-users", "--territory", northAmerica, "--all", "--dry-run"}, "credentials: set ZOHO_ACCESS_TOKEN"},
		{"list-users without --territory", env, []string{"list-users"}, "--territory is required"},
		{"list-territories with an argument", env, []string{"list-territories", "--user", dev, westCoast}, `unknown command "` + westCoast + `" for "zohoterritory list-territories"`},
		{"list bad output", env, []string{"list-territories", "--user", dev, "--output", "csv"}, `--output "csv"`},
		{"list bad owner", env, []string{"list-territories", "--user", "dev"}, `--user "dev": must be a user id (decimal digits) or an e-mail address`},
		{"list no credentials", with(env, "ZOHO_ACCESS_TOKEN", ""), []string{"list-users", "--territory", northAmerica}, "credentials: set ZOHO_ACCESS_TOKEN"},
		{"list bad --max-attempts", env, []string{"list-users", "--territory", northAmerica, "--max-attempts", "0"}, "--max-attempts 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runCLI(t, tt.env, "", tt.args...)
			assert.Equal(t, 1, out.code, "stderr: %s", out.stderr)
			assert.Contains(t, out.stderr, tt.want)
			assert.Empty(t, out.stdout)
		})
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
}

// TestListingFailureRemovesNothing: when the listing fails, --all stops
// there with the error on stderr: exit 4 for a token without the scope,
// 2 for an id Zoho refuses.
func TestListingFailureRemovesNothing(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	// Enough to remove users from a territory, not to list them.
	deleteOnly := srv.IssueToken(zohoterritorytest.ScopeTerritoriesAll)
	none := srv.IssueToken()
	tests := []struct {
		name, token string
		args        []string
		code        int
		want        string
	}{
		{"remove-users without a read scope", deleteOnly, []string{"remove-users", "--territory", northAmerica, "--all"}, 4, "listUsersOfTerritory: 401"},
		{"remove-territories without any scope", none, []string{"remove-territories", "--user", dev, "--all"}, 4, "listTerritoriesOfUser: 401"},
		{"unknown user", srv.AccessToken(), []string{"remove-territories", "--user", "999", "--all"}, 2, "INVALID_DATA"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runCLI(t, with(env, "ZOHO_ACCESS_TOKEN", tt.token), "", tt.args...)
			assert.Equal(t, tt.code, out.code, out.stderr)
			assert.Contains(t, out.stderr, "--all: nothing was removed: ")
			assert.Contains(t, out.stderr, tt.want)
			assert.Empty(t, out.stdout)
			assert.NotContains(t, out.stderr, tt.token)
		})
	}
	_, deletes := calls(t, srv)
	assert.Empty(t, deletes)
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(northAmerica))
	assert.Equal(t, []string{acme, northAmerica, westCoast}, srv.TerritoriesOf(dev))
}

func TestListCommands(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t, zohoterritorytest.WithManagerNameKey("Name"))

	out := runCLI(t, env, "", "list-territories", "--user", dev, "--output", "table")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "list_territories_table", out.stdout)

	out = runCLI(t, env, "", "list-users", "--territory", northAmerica, "--output", "table")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "list_users_table", out.stdout)

	out = runCLI(t, env, "", "list-territories", "--user", dev)
	require.Equal(t, 0, out.code, out.stderr)
	var ts struct {
		Territories []jsonTerritory `json:"territories"`
	}
	dec := json.NewDecoder(strings.NewReader(out.stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&ts))
	assert.Equal(t, []jsonTerritory{
		{ID: acme, Name: "Acme Org", Manager: &jsonRef{ID: ava, Name: "Ava Admin"}, IsDefault: true},
		{ID: northAmerica, Name: "North America", Manager: &jsonRef{ID: ben, Name: "Ben Brooks"}, ReportingTo: &jsonRef{ID: acme, Name: "Acme Org"}},
		{ID: westCoast, Name: "West Coast", Manager: &jsonRef{ID: dev, Name: "Dev Patel"}, ReportingTo: &jsonRef{ID: northAmerica, Name: "North America"}},
	}, ts.Territories)
	assert.Contains(t, out.stdout, `"reporting_to": null`)

	out = runCLI(t, env, "", "list-users", "--territory", westCoast, "--output", "json")
	require.Equal(t, 0, out.code, out.stderr)
	var us struct {
		Users []jsonUser `json:"users"`
	}
	rep := &jsonRef{ID: "5725767000000031155", Name: "Sales Representative"}
	standard := &jsonRef{ID: "5725767000000031159", Name: "Standard"}
	dec = json.NewDecoder(strings.NewReader(out.stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&us))
	assert.Equal(t, []jsonUser{
		{ID: chloe, FullName: "Chloe Chen", FirstName: "Chloe", LastName: "Chen", Email: "chloe@acme.com", Status: "active", Role: rep, Profile: standard},
		{ID: dev, FullName: "Dev Patel", FirstName: "Dev", LastName: "Patel", Email: "dev@acme.com", Status: "active", Role: rep, Profile: standard},
	}, us.Users)

	// An empty listing (204) is an empty list, exit 0.
	out = runCLI(t, env, "", "list-territories", "--user", "5725767000000411007", "--output", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.JSONEq(t, `{"territories":[]}`, out.stdout)

	// A refused listing is exit 4 with nothing on stdout.
	out = runCLI(t, with(env, "ZOHO_ACCESS_TOKEN", srv.IssueToken(zohoterritorytest.ScopeTerritoriesAll)), "", "list-users", "--territory", northAmerica)
	assert.Equal(t, 4, out.code)
	assert.Contains(t, out.stderr, "OAUTH_SCOPE_MISMATCH")
	assert.Empty(t, out.stdout)

	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method)
	}
	assert.Empty(t, srv.RequestViolations())
}

// lists fills the keys a test leaves out with empty lists, as the command
// prints them.
func lists(r jsonResult) jsonResult {
	e := emptyResult()
	if r.Inferred == nil {
		r.Inferred = e.Inferred
	}
	if r.Absent == nil {
		r.Absent = e.Absent
	}
	if r.UnknownCauses == nil {
		r.UnknownCauses = e.UnknownCauses
	}
	return r
}
