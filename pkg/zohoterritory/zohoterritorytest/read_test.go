package zohoterritorytest

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// get sends a GET and returns the status and body. A 204 must come with no
// body and no Content-Type; anything else must be JSON.
func get(t *testing.T, rawURL, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, rawURL, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	require.NoError(t, err)
	if resp.StatusCode == http.StatusNoContent {
		assert.Empty(t, body, "204 of %s", rawURL)
		assert.Empty(t, resp.Header.Get("Content-Type"), "204 of %s", rawURL)
	} else {
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "Content-Type of GET %s", rawURL)
	}
	return resp.StatusCode, string(body)
}

// Expected territories of DefaultSeed, as the reads send them.
var (
	wireOrg  = `{"id":"` + org + `","Name":"Acme Org","Manager":{"id":"` + ava + `","Name":"Ava Admin"},"Reporting_To":null}`
	wireNA   = `{"id":"` + na + `","Name":"North America","Manager":{"id":"` + ben + `","Name":"Ben Brooks"},"Reporting_To":{"id":"` + org + `","Name":"Acme Org"}}`
	wireWest = `{"id":"` + west + `","Name":"West Coast","Manager":{"id":"` + dev + `","Name":"Dev Patel"},"Reporting_To":{"id":"` + na + `","Name":"North America"}}`
	wireBen  = wireRep(ben, "Ben Brooks", "Ben", "Brooks", "ben@acme.com")
	wireChl  = wireRep(chloe, "Chloe Chen", "Chloe", "Chen", "chloe@acme.com")
	wireDev  = wireRep(dev, "Dev Patel", "Dev", "Patel", "dev@acme.com")
)

// wireRep is a user of DefaultSeed other than the caller, with the 15 keys
// Zoho's OpenAPI file requires.
func wireRep(id, full, first, last, email string) string {
	ava := `{"id":"` + ava + `","name":"Ava Admin"}`
	return `{"id":"` + id + `","full_name":"` + full + `","first_name":"` + first + `","last_name":"` + last + `","email":"` + email +
		`","status":"active","category":"regular_user","profile":{"id":"5725767000000031159","name":"Standard"},` +
		`"role":{"id":"5725767000000031155","name":"Sales Representative"},"created_by":` + ava + `,"created_time":"2024-01-15T09:30:00+00:00",` +
		`"Modified_By":` + ava + `,"Modified_Time":"2024-01-15T09:30:00+00:00","language":"en_US","locale":"en_US","zuid":"6` + id[len(id)-10:] + `"}`
}

func info(perPage, count, page int, more bool) string {
	return fmt.Sprintf(`"info":{"per_page":%d,"count":%d,"page":%d,"more_records":%t}`, perPage, count, page, more)
}

func TestReads(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	tok := srv.AccessToken()
	invalid := func(index int, message string) string {
		return topError("INVALID_DATA", message, fmt.Sprintf(`{"resource_path_index":%d}`, index))
	}
	tests := []struct {
		name       string
		url        string
		wantStatus int
		wantBody   string // "" for 204
	}{
		{"territories of a user", territoriesURL(srv, "v8", "users", dev, "", ""), 200,
			`{"territories":[` + wireOrg + `,` + wireNA + `,` + wireWest + `],` + info(200, 3, 1, false) + `}`},
		{"Users spelling", territoriesURL(srv, "v7", "Users", dev, "", "page=1&per_page=200"), 200,
			`{"territories":[` + wireOrg + `,` + wireNA + `,` + wireWest + `],` + info(200, 3, 1, false) + `}`},
		{"first page", territoriesURL(srv, "v8", "users", dev, "", "per_page=2"), 200,
			`{"territories":[` + wireOrg + `,` + wireNA + `],` + info(2, 2, 1, true) + `}`},
		{"last page", territoriesURL(srv, "v8", "users", dev, "", "page=2&per_page=2"), 200,
			`{"territories":[` + wireWest + `],` + info(2, 1, 2, false) + `}`},
		{"page past the end", territoriesURL(srv, "v8", "users", dev, "", "page=3&per_page=2"), 204, ""},
		{"huge page", territoriesURL(srv, "v8", "users", dev, "", "page=9223372036854775807"), 204, ""},
		{"user without territories", territoriesURL(srv, "v8", "users", gus, "", ""), 204, ""},
		{"unknown user", territoriesURL(srv, "v8", "users", unknownID, "", ""), 400, invalid(1, msgInvalidRelatedID)},
		{"one territory of a user", territoriesURL(srv, "v8", "Users", dev, west, ""), 200, `{"territories":[` + wireWest + `],` + info(200, 1, 1, false) + `}`},
		{"the default territory", territoriesURL(srv, "v8", "users", dev, org, ""), 200, `{"territories":[` + wireOrg + `],` + info(200, 1, 1, false) + `}`},
		{"territory not assigned", territoriesURL(srv, "v8", "users", dev, eu, ""), 204, ""},
		{"one territory, unknown user", territoriesURL(srv, "v8", "users", unknownID, eu, ""), 400, invalid(1, msgInvalidRelatedID)},
		{"one territory, unknown territory", territoriesURL(srv, "v8", "users", dev, unknownID, ""), 400, invalid(3, msgInvalidUserOrTerritory)},
		{"users of a territory", usersURL(srv, "v8", na, "", ""), 200,
			`{"users":[` + wireBen + `,` + wireChl + `,` + wireDev + `],` + info(200, 3, 1, false) + `}`},
		{"users, second page of one", usersURL(srv, "v2.1", na, "", "page=2&per_page=1"), 200,
			`{"users":[` + wireChl + `],` + info(1, 1, 2, true) + `}`},
		{"users, page past the end", usersURL(srv, "v8", na, "", "page=2"), 204, ""},
		{"users of an unknown territory", usersURL(srv, "v8", unknownID, "", ""), 400, invalid(2, msgInvalidRelatedID)},
		{"one user of a territory", usersURL(srv, "v8", na, dev, ""), 200, `{"users":[` + wireDev + `],` + info(200, 1, 1, false) + `}`},
		{"user not in the territory", usersURL(srv, "v8", na, eve, ""), 204, ""},
		{"one user, unknown territory", usersURL(srv, "v8", unknownID, dev, ""), 400, invalid(2, msgInvalidRelatedID)},
		{"one user, unknown user", usersURL(srv, "v8", na, unknownID, ""), 400, invalid(4, msgInvalidRelatedID)},
		{"one user, both unknown", usersURL(srv, "v8", unknownID, unknownID, ""), 400, invalid(2, msgInvalidRelatedID)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, tt.url, tok)
			assert.Equal(t, tt.wantStatus, status)
			if tt.wantBody == "" {
				assert.Empty(t, body)
				return
			}
			assert.JSONEq(t, tt.wantBody, body)
		})
	}
	assert.Empty(t, srv.Violations(), "read answers obey api/openapi.yaml")
	assert.Empty(t, srv.RequestViolations(), "every read above is a valid request")
	assert.Equal(t, []string{org, na, west}, srv.TerritoriesOf(dev), "reads change nothing")
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na))
}

func TestReadPagingBounds(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	tests := []struct {
		query, param string // param "" means accepted
	}{
		{"per_page=1", ""},
		{"per_page=200", ""},
		{"per_page=", ""},
		{"per_page=0", "per_page"},
		{"per_page=201", "per_page"},
		{"per_page=-5", "per_page"},
		{"per_page=ten", "per_page"},
		{"page=0", "page"},
		{"page=-1", "page"},
		{"page=1.5", "page"},
		{"page=0&per_page=0", "page"},
		{"per_page=20&per_page=500", ""}, // the first value counts
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			for _, u := range []string{territoriesURL(srv, "v8", "users", dev, "", tt.query), usersURL(srv, "v8", na, "", tt.query)} {
				status, body := get(t, u, srv.AccessToken())
				if tt.param == "" {
					assert.Equal(t, http.StatusOK, status, body)
					continue
				}
				assert.Equal(t, http.StatusBadRequest, status)
				assert.JSONEq(t, topError("INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, tt.param), `{"param_name":"`+tt.param+`"}`), body)
			}
		})
	}
	// That out-of-range paging breaks the spec's request rules is
	// contracttests' TestSandboxOwnContract.
	assert.Empty(t, srv.Violations(), "even the answers to out-of-range requests obey the spec")
}

func TestReadScopes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	urls := map[string]string{
		"listTerritoriesOfUser": territoriesURL(srv, "v8", "users", dev, "", ""),
		"getTerritoryOfUser":    territoriesURL(srv, "v8", "Users", dev, west, ""),
		"listUsersOfTerritory":  usersURL(srv, "v8", na, "", ""),
		"getUserOfTerritory":    usersURL(srv, "v8", na, dev, ""),
	}
	allReads := []string{"listTerritoriesOfUser", "getTerritoryOfUser", "listUsersOfTerritory", "getUserOfTerritory"}
	tests := []struct {
		scopes []string
		allow  []string
	}{
		{nil, nil},
		{[]string{ScopeUsersRead}, allReads},
		{[]string{"ZohoCRM.users.read"}, allReads},
		{[]string{ScopeUsersAll}, allReads},
		{[]string{"ZohoCRM.users.All"}, allReads},
		{[]string{ScopeTerritoriesRead}, allReads[:2]},
		{[]string{ScopeTerritoriesAll}, allReads[:2]},
		{[]string{ScopeUsersDelete, ScopeTerritoriesDelete}, nil},
		{[]string{"ZohoCRM.settings.ALL", "ZohoCRM.modules.READ"}, nil},
	}
	mismatch := topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, "")
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.scopes), func(t *testing.T) {
			t.Parallel()
			tok := srv.IssueToken(tt.scopes...)
			for op, u := range urls {
				status, body := get(t, u, tok)
				if slices.Contains(tt.allow, op) {
					assert.Equal(t, http.StatusOK, status, "%s: %s", op, body)
					continue
				}
				assert.Equal(t, http.StatusUnauthorized, status, op)
				assert.JSONEq(t, mismatch, body, op)
			}
		})
	}

	// READ scopes never allow a removal.
	read := srv.IssueToken(ScopeUsersRead, ScopeTerritoriesRead)
	status, body := call(t, http.MethodDelete, usersURL(srv, "v8", na, dev, ""), read)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.JSONEq(t, mismatch, body)
	status, _ = call(t, http.MethodDelete, territoriesURL(srv, "v8", "Users", dev, west, ""), read)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, []string{org, na, west}, srv.TerritoriesOf(dev))
}

// TestReadOrderOfChecks: reads are checked like removals: URL, version,
// method, token, scopes, then the paging parameters.
func TestReadOrderOfChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	none := srv.IssueToken()
	tests := []struct {
		name, method, url, token string
		wantStatus               int
		wantBody                 string
	}{
		{"unknown URL", http.MethodGet, srv.URL() + "/crm/v8/Users/" + dev + "/territory", "", 404, topError("INVALID_URL_PATTERN", msgURLPattern, "")},
		{"version before token", http.MethodGet, territoriesURL(srv, "v1", "users", dev, "", "per_page=0"), "", 400,
			topError("API_NOT_SUPPORTED", msgAPINotSupported, `{"supported_version":"v8"}`)},
		{"method before token", http.MethodPatch, territoriesURL(srv, "v8", "users", dev, "", "per_page=0"), "", 400, topError("INVALID_REQUEST_METHOD", msgRequestMethod, "")},
		{"POST on a list", http.MethodPost, usersURL(srv, "v8", na, "", ""), srv.AccessToken(), 400, topError("INVALID_REQUEST_METHOD", msgRequestMethod, "")},
		{"PATCH on a read by id", http.MethodPatch, usersURL(srv, "v8", na, dev, ""), srv.AccessToken(), 400, topError("INVALID_REQUEST_METHOD", msgRequestMethod, "")},
		{"token before paging", http.MethodGet, usersURL(srv, "v8", na, "", "per_page=0"), "", 401, topError("AUTHENTICATION_FAILURE", msgAuthFailure, "")},
		{"unknown token", http.MethodGet, usersURL(srv, "v8", na, "", "per_page=0"), "1000.nope", 401, topError("INVALID_TOKEN", msgInvalidToken, "")},
		{"scopes before paging", http.MethodGet, usersURL(srv, "v8", na, "", "per_page=0"), none, 401, topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, "")},
		{"paging before ids", http.MethodGet, usersURL(srv, "v8", unknownID, "", "per_page=0"), srv.AccessToken(), 400,
			topError("INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, "per_page"), `{"param_name":"per_page"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, body := call(t, tt.method, tt.url, tt.token)
			assert.Equal(t, tt.wantStatus, status)
			assert.JSONEq(t, tt.wantBody, body)
		})
	}
}

// TestOwnContractReads sends a varied mix of reads to a server that checks
// itself, under every seed shape the reads have (managers with either name
// key, a territory without a manager, users without a one-word name).
func TestOwnContractReads(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"name", "Name"} {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			seed := offboardSeed(450)
			srv := newServer(t, WithContractCheck(checker(t)), WithSeed(seed), WithManagerNameKey(key))
			tok := srv.AccessToken()
			read := srv.IssueToken(ScopeTerritoriesRead)
			urls := []struct{ url, token string }{
				{territoriesURL(srv, "v8", "users", bigUser, "", ""), tok},
				{territoriesURL(srv, "v7", "Users", bigUser, "", "page=2"), tok},
				{territoriesURL(srv, "v6", "users", bigUser, "", "page=3&per_page=200"), read},
				{territoriesURL(srv, "v5", "users", bigUser, "", "page=4"), tok},
				{territoriesURL(srv, "v4", "users", bigUser, "", "page=45&per_page=10"), tok},
				{territoriesURL(srv, "v3", "users", bigUser, "", "per_page=1"), tok},
				{territoriesURL(srv, "v2", "users", bigNobody, "", ""), tok},
				{territoriesURL(srv, "v2.1", "users", "1", "", ""), tok},
				{territoriesURL(srv, "v8", "users", bigUser, bigOrg, ""), read},
				{territoriesURL(srv, "v8", "users", bigUser, bigOrphan, ""), tok},
				{territoriesURL(srv, "v8", "users", bigUser, bigManaged[0], ""), tok},
				{territoriesURL(srv, "v8", "users", bigNobody, bigOrg, ""), tok},
				{territoriesURL(srv, "v8", "users", bigUser, "42", ""), tok},
				{territoriesURL(srv, "v8", "users", "42", bigOrg, ""), tok},
				{usersURL(srv, "v8", bigOrg, "", ""), tok},
				{usersURL(srv, "v8", bigOrg, "", "per_page=2&page=2"), tok},
				{usersURL(srv, "v8", bigOrphan, "", ""), tok},
				{usersURL(srv, "v8", bigEmpty, "", ""), tok},
				{usersURL(srv, "v8", "42", "", ""), tok},
				{usersURL(srv, "v8", bigOrg, bigUser, ""), tok},
				{usersURL(srv, "v8", bigOrg, bigNobody, ""), tok},
				{usersURL(srv, "v8", bigOrg, "42", ""), tok},
				{usersURL(srv, "v8", "42", bigUser, ""), tok},
				{usersURL(srv, "v8", bigOrg, "", ""), read}, // OAUTH_SCOPE_MISMATCH
				{usersURL(srv, "v8", bigOrg, "", ""), "1000.unknown"},
			}
			for _, u := range urls {
				get(t, u.url, u.token)
			}
			assert.Empty(t, srv.Violations(), "the sandbox's read answers must obey api/openapi.yaml")
			assert.Empty(t, srv.RequestViolations())
			assert.Len(t, srv.Requests(), len(urls))
		})
	}
}

// TestWithManagerNameKey: the manager's name comes under `Name` by default,
// where Zoho's OpenAPI file and its SDKs read it, and under `name` when
// asked; the parent's under `Name` either way.
func TestWithManagerNameKey(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts []Option
		key  string
	}{
		{"default", nil, "Name"},
		{"lower-case", []Option{WithManagerNameKey("name")}, "name"},
		{"upper-case, asked for", []Option{WithManagerNameKey("Name")}, "Name"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.opts...)
			status, body := get(t, territoriesURL(srv, "v8", "users", dev, na, ""), srv.AccessToken())
			assert.Equal(t, http.StatusOK, status)
			assert.JSONEq(t, `{"territories":[{"id":"`+na+`","Name":"North America","Manager":{"id":"`+ben+`","`+tt.key+`":"Ben Brooks"},"Reporting_To":{"id":"`+org+`","Name":"Acme Org"}}],`+info(200, 1, 1, false)+`}`, body)
		})
	}

	_, err := NewServer(WithManagerNameKey("NAME"))
	assert.EqualError(t, err, `zohoterritorytest: manager name key "NAME": want name or Name`)
}

// The org of offboardSeed.
const (
	bigCaller = "1"
	bigUser   = "2" // belongs to every territory
	bigNobody = "3" // belongs to none
	bigSolo   = "4" // a one-word name, no email
	bigOrg    = "10"
	bigOrphan = "11" // no manager
	bigEmpty  = "12" // no members
)

// bigManaged are the territories bigUser manages in offboardSeed.
var bigManaged = []string{"100000", "100001", "100002"}

// offboardSeed is an org where bigUser belongs to n territories: the default
// territory bigOrg, bigOrphan, the three of bigManaged, and n-5 others
// managed by the caller.
func offboardSeed(n int) Seed {
	s := Seed{
		Users: []User{
			{ID: bigCaller, FullName: "Cal Caller", Email: "cal@example.com"},
			{ID: bigUser, FullName: "Uma Offboarded", Email: "uma@example.com"},
			{ID: bigNobody, FullName: "Nobody Here", Email: "nobody@example.com", Status: StatusInactive},
			{ID: bigSolo, FullName: "Solo"},
		},
		Territories: []Territory{
			{ID: bigOrg, Name: "Org", ManagerID: bigCaller, Members: []string{bigUser, bigSolo}},
			{ID: bigOrphan, Name: "Orphan", ReportingTo: bigOrg, Members: []string{bigUser}},
			{ID: bigEmpty, Name: "Empty", ReportingTo: bigOrg},
		},
		DefaultTerritoryID: bigOrg,
		CallerID:           bigCaller,
	}
	for i := range n - 2 {
		id := fmt.Sprint(100000 + i)
		manager := bigCaller
		if i < len(bigManaged) {
			manager = bigUser
		}
		s.Territories = append(s.Territories, Territory{ID: id, Name: "T" + id, ManagerID: manager, ReportingTo: bigOrg, Members: []string{bigUser}})
	}
	return s
}

// TestClientReadsSandbox: the real client lists and reads through the
// sandbox, across pages, with a fault on a read.
func TestClientReadsSandbox(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(offboardSeed(450)),
		WithFaults(Fault{Kind: FaultRateLimit, Count: 1}, Fault{Kind: FaultTruncate, Every: 3, Count: 1}))
	c, err := srv.Client(zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{
		MaxAttempts: 4, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, AttemptTimeout: 10 * time.Second, Budget: 10}))
	require.NoError(t, err)

	ts, err := c.TerritoriesOfUser(t.Context(), bigUser)
	require.NoError(t, err)
	require.Len(t, ts, 450)
	assert.Equal(t, bigOrg, ts[0].ID)
	assert.True(t, ts[0].IsDefault())
	assert.Equal(t, &zohoterritory.Ref{ID: bigCaller, Name: "Cal Caller"}, ts[0].Manager)
	assert.Nil(t, ts[1].Manager, "Orphan has no manager")
	assert.Equal(t, &zohoterritory.Ref{ID: bigOrg, Name: "Org"}, ts[1].ReportingTo)
	assert.Equal(t, &zohoterritory.Ref{ID: bigUser, Name: "Uma Offboarded"}, ts[2].Manager)
	var gets []string
	for _, r := range srv.Requests() {
		gets = append(gets, fmt.Sprintf("%s %d %s", r.RawQuery, r.Status, r.Fault))
	}
	assert.Equal(t, []string{
		"page=1&per_page=200 429 rate_limit",
		"page=1&per_page=200 200 ",
		"page=2&per_page=200 200 truncate", // read again
		"page=2&per_page=200 200 ",
		"page=3&per_page=200 200 ",
	}, gets)

	us, err := c.UsersOfTerritory(t.Context(), bigOrg)
	require.NoError(t, err)
	require.Len(t, us, 3, "the manager is a member")
	assert.Equal(t, []string{bigCaller, bigUser, bigSolo}, []string{us[0].ID, us[1].ID, us[2].ID})
	assert.Equal(t, zohoterritory.User{ID: bigSolo, FullName: "Solo", LastName: "Solo", Status: "active",
		Role: &zohoterritory.Ref{ID: "5725767000000031155", Name: "Sales Representative"}, Profile: &zohoterritory.Ref{ID: "5725767000000031159", Name: "Standard"}, Raw: us[2].Raw}, us[2])

	empty, err := c.UsersOfTerritory(t.Context(), bigEmpty)
	require.NoError(t, err)
	assert.Empty(t, empty)

	tr, ok, err := c.TerritoryOfUser(t.Context(), bigUser, bigManaged[1])
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, bigUser, tr.Manager.ID)
	_, ok, err = c.TerritoryOfUser(t.Context(), bigNobody, bigOrg)
	require.NoError(t, err)
	assert.False(t, ok)
	_, _, err = c.UserOfTerritory(t.Context(), bigOrg, "42")
	assert.ErrorIs(t, err, zohoterritory.ErrInvalidData)
	assert.True(t, strings.HasPrefix(err.Error(), "getUserOfTerritory: 400"), err.Error())

	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())
}
