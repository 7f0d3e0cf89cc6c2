package zohoterritorytest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// put sends a PUT with a `Zoho-oauthtoken` header and body (none when body
// is "") and returns the status and the JSON body.
func put(t *testing.T, rawURL, token, body string) (int, string) {
	t.Helper()
	return putCtx(t, t.Context(), rawURL, token, body)
}

func putCtx(t *testing.T, ctx context.Context, rawURL, token, body string) (int, string) {
	t.Helper()
	contentType := ""
	if body != "" {
		contentType = "application/json"
	}
	return putAs(t, ctx, rawURL, token, body, contentType)
}

// putAs is putCtx with the Content-Type given: "" sends none, as Zoho's
// SDKs send their adds.
func putAs(t *testing.T, ctx context.Context, rawURL, token, body, contentType string) (int, string) {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, rawURL, rd)
	require.NoError(t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return resp.StatusCode, string(b)
}

// refs is an add's body naming ids under key.
func refs(key string, ids ...string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"id":%q}`, id)
	}
	return fmt.Sprintf(`{%q:[%s]}`, key, strings.Join(parts, ","))
}

// atPath is an add's error item naming its record by its place in the body.
func atPath(code, key string, place int, message, extra string) string {
	return fmt.Sprintf(`{"code":%q,"details":{"api_name":"id","json_path":"$.%s[%d].id"%s},"message":%q,"status":"error"}`,
		code, key, place, extra, message)
}

func TestAddUsersToTerritory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		territory   string
		single      string // the single-user form when set
		body        string // the bulk form's body otherwise
		wantStatus  int
		wantBody    string
		wantMembers map[string][]string
	}{
		{
			name: "one user added", territory: west, body: refs("users", eve),
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(eve, msgUserAdded)),
			wantMembers: map[string][]string{west: {chloe, dev, eve}},
		},
		{
			name: "two users added, in body order", territory: eu, body: refs("users", dev, ben),
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(dev, msgUserAdded), okItem(ben, msgUserAdded)),
			wantMembers: map[string][]string{eu: {ben, chloe, dev, eve, finn}},
		},
		{
			name: "single form added", territory: west, single: ben,
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(ben, msgUserAdded)),
			wantMembers: map[string][]string{west: {ben, chloe, dev}},
		},
		{
			name: "already a member, bulk: DUPLICATE_DATA by place", territory: na, body: refs("users", eve, dev),
			wantStatus:  http.StatusMultiStatus,
			wantBody:    envelope("users", okItem(eve, msgUserAdded), atPath("DUPLICATE_DATA", "users", 1, msgUserExists, "")),
			wantMembers: map[string][]string{na: {ben, chloe, dev, eve}},
		},
		{
			name: "already a member, single: DUPLICATE_DATA by path index", territory: na, single: dev,
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("users", `{"code":"DUPLICATE_DATA","details":{"resource_path_index":4},"message":"`+msgUserExists+`","status":"error"}`),
		},
		{
			name: "a manager is a member already", territory: na, body: refs("users", ben),
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("users", atPath("DUPLICATE_DATA", "users", 0, msgUserExists, "")),
		},
		{
			name: "repeated id: the first adds, the others are duplicates", territory: west, body: refs("users", eve, eve, eve),
			wantStatus: http.StatusMultiStatus,
			wantBody: envelope("users", okItem(eve, msgUserAdded),
				atPath("DUPLICATE_DATA", "users", 1, msgUserExists, ""), atPath("DUPLICATE_DATA", "users", 2, msgUserExists, "")),
			wantMembers: map[string][]string{west: {chloe, dev, eve}},
		},
		{
			name: "deleted user", territory: na, body: refs("users", gus),
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("users", atPath("INVALID_DATA", "users", 0, msgAddDeletedUser, `,"owner_status":"deleted"`)),
		},
		{
			name: "inactive user, among others", territory: na, body: refs("users", eve, finn),
			wantStatus:  http.StatusMultiStatus,
			wantBody:    envelope("users", okItem(eve, msgUserAdded), atPath("INVALID_DATA", "users", 1, msgAddDeletedUser, `,"owner_status":"inactive"`)),
			wantMembers: map[string][]string{na: {ben, chloe, dev, eve}},
		},
		{
			name: "deleted user, single form", territory: na, single: gus,
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("users", `{"code":"INVALID_DATA","details":{"resource_path_index":4,"owner_status":"deleted"},"message":"`+msgAddDeletedUser+`","status":"error"}`),
		},
		{
			name: "ids as JSON numbers, as Zoho's Python SDK sends them", territory: west,
			body:        `{"users":[{"id":5725767000000411005},{"id":5725767000000411002}]}`,
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(eve, msgUserAdded), okItem(ben, msgUserAdded)),
			wantMembers: map[string][]string{west: {ben, chloe, dev, eve}},
		},
		{
			name: "unknown, non-numeric and missing ids are items", territory: west,
			body:       `{"users":[{"id":"999"},{"id":"abc"},{"id":5.725767000000411e18},{},"x",{"id":null}]}`,
			wantStatus: http.StatusBadRequest,
			wantBody: envelope("users",
				atPath("INVALID_DATA", "users", 0, msgGivenUserIDInvalid, ""), atPath("INVALID_DATA", "users", 1, msgGivenUserIDInvalid, ""),
				atPath("INVALID_DATA", "users", 2, msgGivenUserIDInvalid, ""), atPath("MANDATORY_NOT_FOUND", "users", 3, msgMandatoryNotFound, ""),
				atPath("MANDATORY_NOT_FOUND", "users", 4, msgMandatoryNotFound, ""), atPath("MANDATORY_NOT_FOUND", "users", 5, msgMandatoryNotFound, "")),
			wantMembers: map[string][]string{west: {chloe, dev}},
		},
		{
			name: "unknown user, single form", territory: na, single: unknownID,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgIDInvalid, `{"resource_path_index":4}`),
		},
		{
			name: "unknown territory, bulk", territory: unknownID, body: refs("users", eve),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgInvalidTerritoryID, `{"resource_path_index":2}`),
		},
		{
			name: "non-numeric territory, single form", territory: "north", single: eve,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgInvalidTerritoryID, `{"resource_path_index":2}`),
		},
		{
			name: "the single form ignores a body", territory: west, single: ben, body: refs("users", eve),
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(ben, msgUserAdded)),
			wantMembers: map[string][]string{west: {ben, chloe, dev}},
		},
		{
			name: "no body", territory: na,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("MANDATORY_NOT_FOUND", msgMandatoryNotFound, `{"api_name":"users"}`),
		},
		{
			name: "body without users", territory: na, body: refs("territories", eve),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("MANDATORY_NOT_FOUND", msgMandatoryNotFound, `{"api_name":"users"}`),
		},
		{
			name: "users null", territory: na, body: `{"users":null}`,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("MANDATORY_NOT_FOUND", msgMandatoryNotFound, `{"api_name":"users"}`),
		},
		{
			name: "users empty", territory: na, body: `{"users":[]}`,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("MANDATORY_NOT_FOUND", msgMandatoryNotFound, `{"api_name":"users"}`),
		},
		{
			name: "users not an array", territory: na, body: `{"users":{"id":"` + eve + `"}}`,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgInvalidDataType, `{"api_name":"users","expected_data_type":"jsonarray"}`),
		},
		{
			name: "body not JSON", territory: na, body: `users=` + eve,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgBodyNotJSON, ""),
		},
		{
			name: "body a JSON array", territory: na, body: `[{"id":"` + eve + `"}]`,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgBodyNotJSON, ""),
		},
		{
			name: "101 users", territory: na, body: refs("users", append(manyIDs(100), eve)...),
			wantStatus:  http.StatusBadRequest,
			wantBody:    topError("LIMIT_EXCEEDED", msgTooManyRecords, `{"api_name":"users","limit":100}`),
			wantMembers: map[string][]string{na: {ben, chloe, dev}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			status, body := put(t, usersURL(srv, "v8", tt.territory, tt.single, ""), srv.AccessToken(), tt.body)
			assert.Equal(t, tt.wantStatus, status)
			assert.JSONEq(t, tt.wantBody, body)
			want := tt.wantMembers
			if want == nil && tt.wantStatus != http.StatusOK {
				want = map[string][]string{na: {ben, chloe, dev}, west: {chloe, dev}} // nothing changed
			}
			for terr, members := range want {
				assert.Equal(t, members, srv.Members(terr), "members of %s", terr)
			}
		})
	}
}

// TestAddHundredUsers: 100 records fit one call.
func TestAddHundredUsers(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ids := append(manyIDs(99), eve)
	status, body := put(t, usersURL(srv, "v7", na, "", ""), srv.AccessToken(), refs("users", ids...))
	assert.Equal(t, http.StatusMultiStatus, status)
	items := make([]string, 0, 100)
	for i := range 99 {
		items = append(items, atPath("INVALID_DATA", "users", i, msgGivenUserIDInvalid, ""))
	}
	items = append(items, okItem(eve, msgUserAdded))
	assert.JSONEq(t, envelope("users", items...), body)
	assert.Equal(t, []string{ben, chloe, dev, eve}, srv.Members(na))
}

func TestAddTerritoriesToUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		users      string // path spelling; "Users" when empty
		user       string
		body       string
		wantStatus int
		wantBody   string
		wantTerrs  map[string][]string // user -> territories afterwards
	}{
		{
			name: "one territory added", user: eve, body: refs("territories", west),
			wantStatus: http.StatusOK,
			wantBody:   envelope("territories", okItem(west, msgTerritoryAdded)),
			wantTerrs:  map[string][]string{eve: {org, eu, west, keyEU}},
		},
		{
			name: "lower-case users, two added", users: "users", user: eve, body: refs("territories", west, na),
			wantStatus: http.StatusOK,
			wantBody:   envelope("territories", okItem(west, msgTerritoryAdded), okItem(na, msgTerritoryAdded)),
			wantTerrs:  map[string][]string{eve: {org, na, eu, west, keyEU}},
		},
		{
			name: "ids as JSON numbers, as Zoho's Python SDK sends them", users: "users", user: eve,
			body:       `{"territories":[{"id":5725767000000452004},{"id":5725767000000452002}]}`,
			wantStatus: http.StatusOK,
			wantBody:   envelope("territories", okItem(west, msgTerritoryAdded), okItem(na, msgTerritoryAdded)),
			wantTerrs:  map[string][]string{eve: {org, na, eu, west, keyEU}},
		},
		{
			name: "already assigned: DUPLICATE_DATA by place", user: dev, body: refs("territories", eu, west),
			wantStatus: http.StatusMultiStatus,
			wantBody:   envelope("territories", okItem(eu, msgTerritoryAdded), atPath("DUPLICATE_DATA", "territories", 1, msgTerritoryExists, "")),
			wantTerrs:  map[string][]string{dev: {org, na, eu, west}},
		},
		{
			name: "repeated id", user: eve, body: refs("territories", west, west),
			wantStatus: http.StatusMultiStatus,
			wantBody:   envelope("territories", okItem(west, msgTerritoryAdded), atPath("DUPLICATE_DATA", "territories", 1, msgTerritoryExists, "")),
			wantTerrs:  map[string][]string{eve: {org, eu, west, keyEU}},
		},
		{
			name: "unknown and non-numeric territories, missing id", user: eve, body: `{"territories":[{"id":"999"},{"id":"west"},{"name":"x"}]}`,
			wantStatus: http.StatusBadRequest,
			wantBody: envelope("territories", atPath("INVALID_DATA", "territories", 0, msgInvalidTerritoryID, ""),
				atPath("INVALID_DATA", "territories", 1, msgInvalidTerritoryID, ""), atPath("MANDATORY_NOT_FOUND", "territories", 2, msgMandatoryNotFound, "")),
			wantTerrs: map[string][]string{eve: {org, eu, keyEU}},
		},
		{
			name: "unknown user", user: unknownID, body: refs("territories", west),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgInvalidUserID, `{"resource_path_index":1}`),
		},
		{
			name: "non-numeric user", users: "users", user: "eve", body: refs("territories", west),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgInvalidUserID, `{"resource_path_index":1}`),
		},
		{
			name: "deleted user", user: gus, body: refs("territories", west),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgUserDeleted, `{"owner_status":"deleted"}`),
			wantTerrs:  map[string][]string{gus: nil},
		},
		{
			name: "inactive user", user: finn, body: refs("territories", west),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgUserDeleted, `{"owner_status":"inactive"}`),
			wantTerrs:  map[string][]string{finn: {eu}},
		},
		{
			name: "the caller's own territories: 403", user: ava, body: refs("territories", west),
			wantStatus: http.StatusForbidden,
			wantBody:   topError("NOT_ALLOWED", msgNotAllowedToAdd, ""),
			wantTerrs:  map[string][]string{ava: {org}},
		},
		{
			name: "no body", user: eve,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("MANDATORY_NOT_FOUND", msgMandatoryNotFound, `{"api_name":"territories"}`),
		},
		{
			name: "body with users instead", user: eve, body: refs("users", west),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("MANDATORY_NOT_FOUND", msgMandatoryNotFound, `{"api_name":"territories"}`),
		},
		{
			name: "body cut short", user: eve, body: `{"territories":[{"id":"` + west + `"}`,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgBodyNotJSON, ""),
		},
		{
			name: "101 territories", users: "users", user: eve, body: refs("territories", append(manyIDs(100), west)...),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("LIMIT_EXCEEDED", msgTooManyRecords, `{"api_name":"territories","limit":100}`),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			users := tt.users
			if users == "" {
				users = "Users"
			}
			status, body := put(t, territoriesURL(srv, "v8", users, tt.user, "", ""), srv.AccessToken(), tt.body)
			assert.Equal(t, tt.wantStatus, status)
			assert.JSONEq(t, tt.wantBody, body)
			want := tt.wantTerrs
			if want == nil {
				want = map[string][]string{eve: {org, eu, keyEU}}
			}
			for user, terrs := range want {
				assert.Equal(t, terrs, srv.TerritoriesOf(user), "territories of %s", user)
			}
		})
	}
}

// TestAddMethods: PUT has an operation on three of the four URLs; the
// single territory of a user has none.
func TestAddMethods(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	status, body := put(t, territoriesURL(srv, "v8", "Users", eve, west, ""), srv.AccessToken(), refs("territories", west))
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, topError("INVALID_REQUEST_METHOD", msgRequestMethod, ""), body)
	status, body = call(t, http.MethodPost, usersURL(srv, "v8", na, "", ""), srv.AccessToken())
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, topError("INVALID_REQUEST_METHOD", msgRequestMethod, ""), body)
	assert.Equal(t, []string{org, eu, keyEU}, srv.TerritoriesOf(eve))
}

// TestAddScopes applies the adds' scope rules of api/openapi.yaml: both ALL
// scopes for a territory's users; for a user's territories, ALL or UPDATE
// of each.
func TestAddScopes(t *testing.T) {
	t.Parallel()
	const (
		tAll, tUpd, tDel, tRead = ScopeTerritoriesAll, ScopeTerritoriesUpdate, ScopeTerritoriesDelete, ScopeTerritoriesRead
		uAll, uUpd, uDel        = ScopeUsersAll, ScopeUsersUpdate, ScopeUsersDelete
	)
	tests := []struct {
		scopes          []string
		wantUsers       bool // addUsersToTerritory and addUserToTerritory
		wantTerritories bool // addTerritoriesToUser
	}{
		{scopes: nil},
		{scopes: []string{tAll}},
		{scopes: []string{uAll}},
		{scopes: []string{tAll, uAll}, wantUsers: true, wantTerritories: true},
		{scopes: []string{"ZohoCRM.settings.territories.all", "ZohoCRM.users.All"}, wantUsers: true, wantTerritories: true},
		{scopes: []string{tUpd, uAll}, wantTerritories: true},
		{scopes: []string{tAll, uUpd}, wantTerritories: true},
		{scopes: []string{tUpd, uUpd}, wantTerritories: true},
		{scopes: []string{tDel, uAll}},
		{scopes: []string{tAll, uDel}},
		{scopes: []string{tRead, uAll}},
	}
	mismatch := topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, "")
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.scopes), func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			tok := srv.IssueToken(tt.scopes...)
			for _, c := range []struct {
				url, body string
				want      bool
			}{
				{usersURL(srv, "v8", west, "", ""), refs("users", eve), tt.wantUsers},
				{usersURL(srv, "v8", eu, ben, ""), "", tt.wantUsers},
				{territoriesURL(srv, "v8", "users", dev, "", ""), refs("territories", eu), tt.wantTerritories},
			} {
				status, body := put(t, c.url, tok, c.body)
				if c.want {
					assert.Equal(t, http.StatusOK, status, "%s: %s", c.url, body)
				} else {
					assert.Equal(t, http.StatusUnauthorized, status, c.url)
					assert.JSONEq(t, mismatch, body)
				}
			}
		})
	}
}

func TestTerritoryUserLimit(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, -1} {
		_, err := NewServer(WithTerritoryUserLimit(n))
		assert.ErrorContains(t, err, fmt.Sprintf("territory user limit %d: must be at least 1", n))
	}

	// West Coast holds Chloe and Dev: a limit of 3 lets one more in.
	srv := newServer(t, WithTerritoryUserLimit(3), WithContractCheck(checker(t)))
	tok := srv.AccessToken()
	limit := `,"limit":3`
	status, body := put(t, usersURL(srv, "v8", west, "", ""), tok, refs("users", eve, ben))
	assert.Equal(t, http.StatusMultiStatus, status)
	assert.JSONEq(t, envelope("users", okItem(eve, msgUserAdded), atPath("LIMIT_EXCEEDED", "users", 1, msgTerritoryUserLimit, limit)), body)

	status, body = put(t, usersURL(srv, "v8", west, ben, ""), tok, "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, envelope("users", `{"code":"LIMIT_EXCEEDED","details":{"limit":3},"message":"`+msgTerritoryUserLimit+`","status":"error"}`), body)

	status, body = put(t, usersURL(srv, "v8", west, dev, ""), tok, "")
	assert.Equal(t, http.StatusBadRequest, status, "a member is a duplicate, not over the limit")
	assert.JSONEq(t, envelope("users", `{"code":"DUPLICATE_DATA","details":{"resource_path_index":4},"message":"`+msgUserExists+`","status":"error"}`), body)

	status, body = put(t, territoriesURL(srv, "v8", "users", ben, "", ""), tok, refs("territories", west, eu))
	assert.Equal(t, http.StatusBadRequest, status, "Europe (Chloe, Eve, Finn) is full too")
	assert.JSONEq(t, envelope("territories", atPath("LIMIT_EXCEEDED", "territories", 0, msgTerritoryUserLimit, limit),
		atPath("LIMIT_EXCEEDED", "territories", 1, msgTerritoryUserLimit, limit)), body)
	assert.Equal(t, []string{chloe, dev, eve}, srv.Members(west))

	// A removal makes room again.
	status, _ = call(t, http.MethodDelete, usersURL(srv, "v8", west, chloe, ""), tok)
	require.Equal(t, http.StatusOK, status)
	status, body = put(t, usersURL(srv, "v8", west, ben, ""), tok, "")
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, envelope("users", okItem(ben, msgUserAdded)), body)
	assert.Equal(t, []string{ben, dev, eve}, srv.Members(west))
	assert.Empty(t, srv.Violations())
}

// TestRemoveThenAddRestores: a removal followed by the add of the same
// memberships gives back exactly the state the org started with, and a
// second add changes nothing (DUPLICATE_DATA throughout).
func TestRemoveThenAddRestores(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	tok := srv.AccessToken()
	state := func() map[string][]string {
		m := map[string][]string{}
		for _, terr := range []string{org, na, eu, west} {
			m["territory "+terr] = srv.Members(terr)
		}
		for _, u := range []string{ava, ben, chloe, dev, eve, finn, gus} {
			m["user "+u] = srv.TerritoriesOf(u)
		}
		return m
	}
	before := state()

	steps := []struct {
		method, url, body string
		wantStatus        int
	}{
		{http.MethodDelete, usersURL(srv, "v8", na, "", "ids="+dev), "", http.StatusOK},
		{http.MethodDelete, usersURL(srv, "v7", west, chloe, ""), "", http.StatusOK},
		{http.MethodDelete, territoriesURL(srv, "v8", "users", chloe, "", "ids="+na), "", http.StatusOK},
		{http.MethodDelete, territoriesURL(srv, "v8", "Users", chloe, eu, ""), "", http.StatusOK},
		// Added back through other URLs than they were removed by.
		{http.MethodPut, usersURL(srv, "v8", na, "", ""), refs("users", chloe, dev), http.StatusOK},
		{http.MethodPut, usersURL(srv, "v7", west, chloe, ""), "", http.StatusOK},
		{http.MethodPut, territoriesURL(srv, "v8", "users", chloe, "", ""), refs("territories", eu), http.StatusOK},
	}
	for i, st := range steps {
		var status int
		var body string
		if st.method == http.MethodPut {
			status, body = put(t, st.url, tok, st.body)
		} else {
			status, body = call(t, st.method, st.url, tok)
		}
		require.Equal(t, st.wantStatus, status, "step %d %s %s: %s", i, st.method, st.url, body)
		if i == 3 {
			assert.NotEqual(t, before, state(), "the removals changed the state")
		}
	}
	assert.Equal(t, before, state(), "the adds restored the state exactly")

	for _, st := range steps[4:] {
		status, body := put(t, st.url, tok, st.body)
		assert.Equal(t, http.StatusBadRequest, status, "adding again: %s", body)
		assert.Contains(t, body, `"DUPLICATE_DATA"`)
	}
	assert.Equal(t, before, state(), "adding twice is safe")
	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())
}

// TestAddAnonymousItems: under WithAnonymousErrorItems an add's error items
// name nothing, as Zoho's documentation pages show error items.
func TestAddAnonymousItems(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithAnonymousErrorItems(), WithTerritoryUserLimit(3), WithContractCheck(checker(t)))
	status, body := put(t, usersURL(srv, "v8", west, "", ""), srv.AccessToken(), refs("users", dev, gus, eve, ben))
	assert.Equal(t, http.StatusMultiStatus, status)
	assert.JSONEq(t, envelope("users",
		`{"code":"DUPLICATE_DATA","details":{},"message":"`+msgUserExists+`","status":"error"}`,
		`{"code":"INVALID_DATA","details":{},"message":"`+msgAddDeletedUser+`","status":"error"}`,
		okItem(eve, msgUserAdded),
		`{"code":"LIMIT_EXCEEDED","details":{"limit":3},"message":"`+msgTerritoryUserLimit+`","status":"error"}`), body)
	status, body = put(t, usersURL(srv, "v8", na, dev, ""), srv.AccessToken(), "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, envelope("users", `{"code":"DUPLICATE_DATA","details":{},"message":"`+msgUserExists+`","status":"error"}`), body)
	assert.Empty(t, srv.Violations())
}

// TestAddHooksAndFaults: the hooks see a PUT, faults hit it as any other
// request, and a PUT the client gave up on under FaultHang is done all the
// same, its body read before the hang.
func TestAddHooksAndFaults(t *testing.T) {
	t.Parallel()
	t.Run("hooks", func(t *testing.T) {
		t.Parallel()
		seen := make(chan string, 4)
		srv := newServer(t, WithHooks(Hooks{
			Arrived:   func(r *http.Request) { seen <- "arrived " + r.Method },
			Answering: func(r *http.Request, status int) { seen <- fmt.Sprintf("answering %s %d", r.Method, status) },
		}))
		status, _ := put(t, usersURL(srv, "v8", west, "", ""), srv.AccessToken(), refs("users", eve))
		assert.Equal(t, http.StatusOK, status)
		assert.Equal(t, "arrived PUT", <-seen)
		assert.Equal(t, "answering PUT 200", <-seen)
	})
	t.Run("rate limit does not add", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, WithFaults(Fault{Kind: FaultRateLimit, Count: 1}))
		status, body := put(t, usersURL(srv, "v8", west, "", ""), srv.AccessToken(), refs("users", eve))
		assert.Equal(t, http.StatusTooManyRequests, status)
		assert.JSONEq(t, topError("TOO_MANY_REQUESTS", msgTooManyRequests, ""), body)
		assert.Equal(t, []string{chloe, dev}, srv.Members(west))
		status, _ = put(t, usersURL(srv, "v8", west, "", ""), srv.AccessToken(), refs("users", eve))
		assert.Equal(t, http.StatusOK, status, "the fault hit once")
		assert.Equal(t, []string{chloe, dev, eve}, srv.Members(west))
	})
	t.Run("extra items", func(t *testing.T) {
		t.Parallel()
		srv := newServer(t, WithFaults(Fault{Kind: FaultExtraItems, Count: 1}))
		status, body := put(t, territoriesURL(srv, "v8", "users", eve, "", ""), srv.AccessToken(), refs("territories", west))
		assert.Equal(t, http.StatusMultiStatus, status)
		extra := `{"code":"INVALID_DATA","details":{},"message":"` + msgUserIsManager + `","status":"error"}`
		assert.JSONEq(t, envelope("territories", okItem(west, msgTerritoryAdded), extra, extra), body)
		assert.Equal(t, []string{org, eu, west, keyEU}, srv.TerritoriesOf(eve))
	})
	t.Run("hang given up on still adds", func(t *testing.T) {
		t.Parallel()
		arrived := make(chan struct{}, 1)
		srv := newServer(t, WithFaults(Fault{Kind: FaultHang, Count: 1}),
			WithHooks(Hooks{Arrived: func(*http.Request) { arrived <- struct{}{} }}))
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() {
			defer close(done)
			putCtx(t, ctx, usersURL(srv, "v8", west, "", ""), srv.AccessToken(), refs("users", eve))
		}()
		<-arrived
		cancel()
		<-done
		require.NoError(t, srv.WaitIdle(t.Context()))
		assert.Equal(t, []string{chloe, dev, eve}, srv.Members(west))
		reqs := srv.Requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, FaultHang, reqs[0].Fault)
	})
}

// TestAddBodyLimit: a body over the sandbox's 1 MiB is refused, nothing
// added.
func TestAddBodyLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	big := `{"users":[{"id":"` + eve + `"}],"pad":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	status, body := put(t, usersURL(srv, "v8", west, "", ""), srv.AccessToken(), big)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, topError("INVALID_DATA", msgBodyNotJSON, ""), body)
	assert.Equal(t, []string{chloe, dev}, srv.Members(west))
}

// TestAddsWithoutContentType: every body the sandbox reads (the two bulk
// adds) is read as JSON without a Content-Type, as Zoho reads it and as
// Zoho's SDKs send it, ids as strings or numbers; under the contract check
// none of these requests breaks the spec. A body that is not JSON is still
// refused, and is a request violation.
func TestAddsWithoutContentType(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	tok := srv.AccessToken()
	bodies := []struct {
		url, body, want string
	}{
		{usersURL(srv, "v8", west, "", ""), refs("users", eve), envelope("users", okItem(eve, msgUserAdded))},
		{usersURL(srv, "v8", eu, "", ""), `{"users":[{"id":5725767000000411004},{"id":5725767000000411002}]}`,
			envelope("users", okItem(dev, msgUserAdded), okItem(ben, msgUserAdded))},
		{territoriesURL(srv, "v8", "users", dev, "", ""), refs("territories", keyEU), envelope("territories", okItem(keyEU, msgTerritoryAdded))},
		{territoriesURL(srv, "v8", "Users", eve, "", ""), `{"territories":[{"id":5725767000000452005}]}`,
			envelope("territories", okItem(keyNA, msgTerritoryAdded))},
	}
	for _, b := range bodies {
		status, body := putAs(t, t.Context(), b.url, tok, b.body, "")
		assert.Equal(t, http.StatusOK, status, b.body)
		assert.JSONEq(t, b.want, body)
	}
	assert.Equal(t, []string{chloe, dev, eve}, srv.Members(west))
	assert.Equal(t, []string{ben, chloe, dev, eve, finn}, srv.Members(eu))
	assert.Equal(t, []string{chloe, dev, eve}, srv.Members(keyEU))
	assert.Equal(t, []string{ben, chloe, eve}, srv.Members(keyNA))
	assert.Empty(t, srv.RequestViolations(), "a JSON body without Content-Type keeps the contract")
	assert.Empty(t, srv.Violations())

	status, body := putAs(t, t.Context(), usersURL(srv, "v8", na, "", ""), tok, "users="+eve, "")
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, topError("INVALID_DATA", msgBodyNotJSON, ""), body)
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na))
}
