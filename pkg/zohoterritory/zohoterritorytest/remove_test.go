package zohoterritorytest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRemoveUsersFromTerritory(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		territory   string
		single      string // single-id form when set
		query       string // bulk form otherwise
		wantStatus  int
		wantBody    string
		wantMembers map[string][]string // territory -> members afterwards
	}{
		{
			name: "single id removed", territory: na, single: dev,
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(dev, msgUserRemoved)),
			wantMembers: map[string][]string{na: {ben, chloe}, west: {chloe, dev}},
		},
		{
			name: "bulk all removed", territory: eu, query: "ids=" + chloe + "," + finn,
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(chloe, msgUserRemoved), okItem(finn, msgUserRemoved)),
			wantMembers: map[string][]string{eu: {eve}},
		},
		{
			name: "comma sent as %2C", territory: eu, query: "ids=" + chloe + "%2C" + finn,
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(chloe, msgUserRemoved), okItem(finn, msgUserRemoved)),
			wantMembers: map[string][]string{eu: {eve}},
		},
		{
			name: "trailing ampersand", territory: eu, query: "ids=" + chloe + "&",
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(chloe, msgUserRemoved)),
			wantMembers: map[string][]string{eu: {eve, finn}},
		},
		{
			name: "repeated ids answered once", territory: eu, query: "ids=" + chloe + "," + chloe + "%2C" + chloe,
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(chloe, msgUserRemoved)),
			wantMembers: map[string][]string{eu: {eve, finn}},
		},
		{
			name: "only the first ids parameter counts", territory: eu, query: "ids=" + chloe + "&ids=" + finn,
			wantStatus:  http.StatusOK,
			wantBody:    envelope("users", okItem(chloe, msgUserRemoved)),
			wantMembers: map[string][]string{eu: {eve, finn}},
		},
		{
			name: "mixed result is 207 in id order", territory: na, query: "ids=" + eve + "," + dev + "," + ben,
			wantStatus: http.StatusMultiStatus,
			wantBody: envelope("users",
				errItem(eve, msgUserNotAMember), okItem(dev, msgUserRemoved), errItem(ben, msgUserIsManager)),
			wantMembers: map[string][]string{na: {ben, chloe}},
		},
		{
			name: "manager cannot be removed", territory: west, single: dev,
			wantStatus:  http.StatusBadRequest,
			wantBody:    envelope("users", errItem(dev, msgUserIsManager)),
			wantMembers: map[string][]string{west: {chloe, dev}},
		},
		{
			name: "not a member", territory: west, single: eve,
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("users", errItem(eve, msgUserNotAMember)),
		},
		{
			name: "unknown and non-numeric user ids", territory: na, query: "ids=" + unknownID + ",abc",
			wantStatus:  http.StatusBadRequest,
			wantBody:    envelope("users", errItem(unknownID, msgGivenUserIDInvalid), `{"code":"INVALID_DATA","details":{},"message":"`+msgGivenUserIDInvalid+`","status":"error"}`),
			wantMembers: map[string][]string{na: {ben, chloe, dev}},
		},
		{
			name: "non-numeric user id in path", territory: na, single: "abc",
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgIDInvalid, `{"resource_path_index":4}`),
		},
		{
			name: "unknown territory", territory: unknownID, single: dev,
			wantStatus:  http.StatusBadRequest,
			wantBody:    topError("INVALID_DATA", msgInvalidTerritoryID, `{"resource_path_index":2}`),
			wantMembers: map[string][]string{na: {ben, chloe, dev}},
		},
		{
			name: "non-numeric territory, bulk", territory: "north", query: "ids=" + dev,
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("users", `{"code":"INVALID_DATA","details":{"resource_path_index":2},"message":"`+msgGivenIDInvalid+`","status":"error"}`),
		},
		{
			name: "ids missing", territory: na,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("REQUIRED_PARAM_MISSING", msgParamMissing, `{"param_name":"ids"}`),
		},
		{
			name: "ids empty", territory: na, query: "ids=",
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("REQUIRED_PARAM_MISSING", msgParamMissing, `{"param_name":"ids"}`),
		},
		{
			name: "ids only commas", territory: na, query: "ids=,,",
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgIDsMalformed, `{"param_name":"ids"}`),
		},
		{
			name: "101 ids", territory: na, query: "ids=" + strings.Join(append(manyIDs(100), dev), ","),
			wantStatus:  http.StatusBadRequest,
			wantBody:    topError("INVALID_DATA", msgTooManyIDs, `{"param_name":"ids","maximum_length":100}`),
			wantMembers: map[string][]string{na: {ben, chloe, dev}},
		},
		{
			name: "101 ids counting repeats", territory: na, query: "ids=" + strings.Repeat(dev+",", 101),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgTooManyIDs, `{"param_name":"ids","maximum_length":100}`),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			status, body := call(t, http.MethodDelete, usersURL(srv, "v8", tt.territory, tt.single, tt.query), srv.AccessToken())
			assert.Equal(t, tt.wantStatus, status)
			assert.JSONEq(t, tt.wantBody, body)
			for terr, want := range tt.wantMembers {
				assert.Equal(t, want, srv.Members(terr), "members of %s", terr)
			}
		})
	}
}

// TestRemoveUsersHundredIDs: 100 ids fit one call when they fit the users'
// 500 characters.
func TestRemoveUsersHundredIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	ids := append(shortIDs(99), dev)
	status, body := call(t, http.MethodDelete, usersURL(srv, "v7", na, "", "ids="+strings.Join(ids, ",")), srv.AccessToken())
	assert.Equal(t, http.StatusMultiStatus, status)
	items := make([]string, 0, 100)
	for range 99 {
		items = append(items, errItem(ids[len(items)], msgGivenUserIDInvalid))
	}
	items = append(items, okItem(dev, msgUserRemoved))
	require.LessOrEqual(t, len(strings.Join(ids, ",")), 500)
	assert.JSONEq(t, envelope("users", items...), body)
	assert.Equal(t, []string{ben, chloe}, srv.Members(na))
}

func TestRemoveTerritoriesFromUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		users      string // path spelling; "Users" when empty
		user       string
		single     string
		query      string
		wantStatus int
		wantBody   string
		wantTerrs  map[string][]string // user -> territories afterwards
	}{
		{
			name: "single id removed", user: chloe, single: west,
			wantStatus: http.StatusOK,
			wantBody:   envelope("territories", okItem(west, msgTerritoryRemoved)),
			wantTerrs:  map[string][]string{chloe: {org, na, eu, keyNA, keyEU}},
		},
		{
			name: "lower-case users, single", users: "users", user: chloe, single: west,
			wantStatus: http.StatusOK,
			wantBody:   envelope("territories", okItem(west, msgTerritoryRemoved)),
			wantTerrs:  map[string][]string{chloe: {org, na, eu, keyNA, keyEU}},
		},
		{
			name: "bulk all removed", user: chloe, query: "ids=" + na + "," + west,
			wantStatus: http.StatusOK,
			wantBody:   envelope("territories", okItem(na, msgTerritoryRemoved), okItem(west, msgTerritoryRemoved)),
			wantTerrs:  map[string][]string{chloe: {org, eu, keyNA, keyEU}},
		},
		{
			name: "lower-case users, %2C and trailing ampersand", users: "users", user: chloe, query: "ids=" + na + "%2C" + west + "&",
			wantStatus: http.StatusOK,
			wantBody:   envelope("territories", okItem(na, msgTerritoryRemoved), okItem(west, msgTerritoryRemoved)),
			wantTerrs:  map[string][]string{chloe: {org, eu, keyNA, keyEU}},
		},
		{
			name: "repeated ids answered once", user: chloe, query: "ids=" + west + "," + west,
			wantStatus: http.StatusOK,
			wantBody:   envelope("territories", okItem(west, msgTerritoryRemoved)),
		},
		{
			name: "mixed result is 207 in id order", user: chloe, query: "ids=" + org + "," + na + "," + keyEU + "," + eu,
			wantStatus: http.StatusMultiStatus,
			wantBody: envelope("territories",
				errItem(org, msgOrgTerritory), okItem(na, msgTerritoryRemoved), errItem(keyEU, msgTerritoryManager), okItem(eu, msgTerritoryRemoved)),
			wantTerrs: map[string][]string{chloe: {org, west, keyNA, keyEU}},
		},
		{
			name: "default territory", user: ben, single: org,
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("territories", errItem(org, msgOrgTerritory)),
			wantTerrs:  map[string][]string{ben: {org, na, keyNA}},
		},
		{
			name: "not linked", user: ben, single: eu,
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("territories", errItem(eu, msgNotLinked)),
		},
		{
			name: "user manages the territory", user: ben, single: na,
			wantStatus: http.StatusBadRequest,
			wantBody:   envelope("territories", errItem(na, msgTerritoryManager)),
			wantTerrs:  map[string][]string{ben: {org, na, keyNA}},
		},
		{
			name: "unknown user", user: unknownID, single: na,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgInvalidUserID, `{"resource_path_index":1}`),
		},
		{
			name: "non-numeric user", users: "users", user: "dev", query: "ids=" + na,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgInvalidUserID, `{"resource_path_index":1}`),
		},
		{
			name: "inactive user", user: finn, single: eu,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgUserDeleted, `{"owner_status":"inactive"}`),
			wantTerrs:  map[string][]string{finn: {eu}},
		},
		{
			name: "deleted user", user: gus, query: "ids=" + na,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgUserDeleted, `{"owner_status":"deleted"}`),
		},
		{
			name: "the caller's own territories", user: ava, single: org,
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("NOT_ALLOWED", msgNotAllowed, ""),
			wantTerrs:  map[string][]string{ava: {org}},
		},
		{
			name: "an unknown territory fails alone", user: chloe, query: "ids=" + west + "," + unknownID,
			wantStatus: http.StatusMultiStatus,
			wantBody: envelope("territories", okItem(west, msgTerritoryRemoved),
				`{"code":"INVALID_DATA","details":{},"message":"`+msgInvalidTerritoryID+`","status":"error"}`),
			wantTerrs: map[string][]string{chloe: {org, na, eu, keyNA, keyEU}},
		},
		{
			name: "non-numeric territory", users: "users", user: dev, single: "west",
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgInvalidTerritoryID, `{"resource_path_index":3}`),
		},
		{
			name: "ids missing", user: dev, query: "other=1",
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("REQUIRED_PARAM_MISSING", msgParamMissing, `{"param_name":"ids"}`),
		},
		{
			name: "101 ids", users: "users", user: dev, query: "ids=" + strings.Join(manyIDs(101), "%2C"),
			wantStatus: http.StatusBadRequest,
			wantBody:   topError("INVALID_DATA", msgTooManyIDs, `{"param_name":"ids","maximum_length":100}`),
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
			status, body := call(t, http.MethodDelete, territoriesURL(srv, "v8", users, tt.user, tt.single, tt.query), srv.AccessToken())
			assert.Equal(t, tt.wantStatus, status)
			assert.JSONEq(t, tt.wantBody, body)
			for user, want := range tt.wantTerrs {
				assert.Equal(t, want, srv.TerritoriesOf(user), "territories of %s", user)
			}
		})
	}
}

func TestEveryVersion(t *testing.T) {
	t.Parallel()
	for _, v := range []string{"v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t)
			status, body := call(t, http.MethodDelete, usersURL(srv, v, na, dev, ""), srv.AccessToken())
			assert.Equal(t, http.StatusOK, status)
			assert.JSONEq(t, envelope("users", okItem(dev, msgUserRemoved)), body)

			status, body = call(t, http.MethodDelete, territoriesURL(srv, v, "users", chloe, "", "ids="+eu), srv.AccessToken())
			assert.Equal(t, http.StatusOK, status)
			assert.JSONEq(t, envelope("territories", okItem(eu, msgTerritoryRemoved)), body)
		})
	}
}

func TestUnsupportedVersion(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	want := topError("API_NOT_SUPPORTED", msgAPINotSupported, `{"supported_version":"v8"}`)
	for _, v := range []string{"v1", "v9", "V8", "v2.2", "latest"} {
		t.Run(v, func(t *testing.T) {
			t.Parallel()
			status, body := call(t, http.MethodDelete, usersURL(srv, v, na, dev, ""), srv.AccessToken())
			assert.Equal(t, http.StatusBadRequest, status)
			assert.JSONEq(t, want, body)
			status, body = call(t, http.MethodDelete, territoriesURL(srv, v, "Users", dev, "", "ids="+west), "")
			assert.Equal(t, http.StatusBadRequest, status, "version is checked before the token")
			assert.JSONEq(t, want, body)
		})
	}
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na))
}

func TestMethodsAndURLs(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	badMethod := topError("INVALID_REQUEST_METHOD", msgRequestMethod, "")
	badURL := topError("INVALID_URL_PATTERN", msgURLPattern, "")
	tests := []struct {
		name       string
		method     string
		url        string
		wantStatus int
		wantBody   string
	}{
		{"OPTIONS remove-user URL", http.MethodOptions, usersURL(srv, "v8", na, dev, ""), http.StatusBadRequest, badMethod},
		{"POST remove-users URL", http.MethodPost, usersURL(srv, "v8", na, "", "ids="+dev), http.StatusBadRequest, badMethod},
		{"PUT remove-territory URL", http.MethodPut, territoriesURL(srv, "v8", "Users", dev, west, ""), http.StatusBadRequest, badMethod},
		{"PATCH remove-territories URL", http.MethodPatch, territoriesURL(srv, "v8", "users", dev, "", "ids="+west), http.StatusBadRequest, badMethod},
		{"root", http.MethodDelete, srv.URL() + "/", http.StatusNotFound, badURL},
		{"POST a territory (only the bulk form creates)", http.MethodPost, srv.URL() + "/crm/v8/settings/territories/" + na, http.StatusBadRequest, badMethod},
		{"POST a user (not served)", http.MethodPost, srv.URL() + "/crm/v8/users", http.StatusBadRequest, badMethod},
		{"DELETE child territories", http.MethodDelete, srv.URL() + "/crm/v8/settings/territories/" + na + "/__child_territories", http.StatusBadRequest, badMethod},
		{"GET a transfer", http.MethodGet, srv.URL() + "/crm/v8/settings/territories/actions/transfer_and_delete", http.StatusBadRequest, badMethod},
		{"other actions", http.MethodPost, srv.URL() + "/crm/v8/settings/territories/actions/run_rules", http.StatusNotFound, badURL},
		{"settings alone", http.MethodGet, srv.URL() + "/crm/v8/settings", http.StatusNotFound, badURL},
		{"a user's other list", http.MethodGet, srv.URL() + "/crm/v8/users/" + dev + "/groups", http.StatusNotFound, badURL},
		{"extra segment", http.MethodDelete, usersURL(srv, "v8", na, dev+"/more", ""), http.StatusNotFound, badURL},
		{"trailing slash", http.MethodDelete, usersURL(srv, "v8", na, "", "") + "/", http.StatusNotFound, badURL},
		{"empty territory segment", http.MethodDelete, srv.URL() + "/crm/v8/settings/territories//users/" + dev, http.StatusNotFound, badURL},
		{"USERS in capitals", http.MethodDelete, territoriesURL(srv, "v8", "USERS", dev, west, ""), http.StatusNotFound, badURL},
		{"no crm prefix", http.MethodDelete, srv.URL() + "/v8/Users/" + dev + "/territories/" + west, http.StatusNotFound, badURL},
		{"records module", http.MethodDelete, srv.URL() + "/crm/v8/Leads/" + dev, http.StatusNotFound, badURL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, body := call(t, tt.method, tt.url, srv.AccessToken())
			assert.Equal(t, tt.wantStatus, status)
			assert.JSONEq(t, tt.wantBody, body)
		})
	}
	assert.Equal(t, []string{org, na, west}, srv.TerritoriesOf(dev), "nothing was removed")
}

// TestAnswersAsZohosExamples: the sandbox answers as Zoho's documentation
// and OpenAPI examples (zoho/crm-oas v8.0) show: a removal's error items
// say nothing of their id by default (`"details": {}`, the documentation's
// sample), and name it under WithNamedErrorItems (details.id, or api_name
// and json_path for an unknown territory, the OpenAPI examples); an unknown
// territory of the bulk users DELETE is an item of the envelope, an
// unknown user of the single-user DELETE a top-level error; the
// request-level form is an option.
func TestAnswersAsZohosExamples(t *testing.T) {
	t.Parallel()
	named := newServer(t, WithContractCheck(checker(t)), WithNamedErrorItems())
	anonymous := newServer(t, WithContractCheck(checker(t)))
	requestLevel := newServer(t, WithContractCheck(checker(t)), WithRequestLevelInvalidIDs())
	tests := []struct {
		name   string
		srv    *Server
		url    func(*Server) string
		status int
		body   string
	}{
		{"users: items name their id", named, func(s *Server) string { return usersURL(s, "v8", na, "", "ids="+eve+",999,"+dev) }, http.StatusMultiStatus, `{"users":[
			{"code":"INVALID_DATA","details":{"id":"` + eve + `"},"message":"` + msgUserNotAMember + `","status":"error"},
			{"code":"INVALID_DATA","details":{"id":"999"},"message":"` + msgGivenUserIDInvalid + `","status":"error"},
			{"code":"SUCCESS","details":{"id":"` + dev + `"},"message":"` + msgUserRemoved + `","status":"success"}]}`},
		{"users: anonymous items, the default", anonymous, func(s *Server) string { return usersURL(s, "v8", na, "", "ids="+eve+",999,"+dev) }, http.StatusMultiStatus, `{"users":[
			{"code":"INVALID_DATA","details":{},"message":"` + msgUserNotAMember + `","status":"error"},
			{"code":"INVALID_DATA","details":{},"message":"` + msgGivenUserIDInvalid + `","status":"error"},
			{"code":"SUCCESS","details":{"id":"` + dev + `"},"message":"` + msgUserRemoved + `","status":"success"}]}`},
		{"users: unknown territory in the envelope", named, func(s *Server) string { return usersURL(s, "v8", "999", "", "ids="+dev+","+ben) }, http.StatusBadRequest,
			`{"users":[{"code":"INVALID_DATA","details":{"resource_path_index":2},"message":"` + msgGivenIDInvalid + `","status":"error"}]}`},
		{"users: unknown user of the single form", named, func(s *Server) string { return usersURL(s, "v8", na, "999", "") }, http.StatusBadRequest,
			`{"code":"INVALID_DATA","details":{"resource_path_index":4},"message":"` + msgIDInvalid + `","status":"error"}`},
		{"territories: an unknown one by its place", named, func(s *Server) string {
			return territoriesURL(s, "v8", "users", chloe, "", "ids="+na+",999,"+eu)
		}, http.StatusMultiStatus, `{"territories":[
			{"code":"SUCCESS","details":{"id":"` + na + `"},"message":"` + msgTerritoryRemoved + `","status":"success"},
			{"code":"INVALID_DATA","details":{"api_name":"id","json_path":"$.territories[1].id"},"message":"` + msgInvalidTerritoryID + `","status":"error"},
			{"code":"SUCCESS","details":{"id":"` + eu + `"},"message":"` + msgTerritoryRemoved + `","status":"success"}]}`},
		{"territories: an unknown one, anonymous by default", anonymous, func(s *Server) string {
			return territoriesURL(s, "v8", "users", chloe, "", "ids="+na+",999,"+eu)
		}, http.StatusMultiStatus, `{"territories":[
			{"code":"SUCCESS","details":{"id":"` + na + `"},"message":"` + msgTerritoryRemoved + `","status":"success"},
			{"code":"INVALID_DATA","details":{},"message":"` + msgInvalidTerritoryID + `","status":"error"},
			{"code":"SUCCESS","details":{"id":"` + eu + `"},"message":"` + msgTerritoryRemoved + `","status":"success"}]}`},
		{"territories: request-level form", requestLevel, func(s *Server) string {
			return territoriesURL(s, "v8", "users", chloe, "", "ids="+na+",999")
		}, http.StatusBadRequest, `{"code":"INVALID_DATA","details":{},"message":"` + msgInvalidTerritories + `","status":"error"}`},
		{"territories: unknown one alone", named, func(s *Server) string { return territoriesURL(s, "v8", "users", chloe, "999", "") }, http.StatusBadRequest,
			`{"code":"INVALID_DATA","details":{"resource_path_index":3},"message":"` + msgInvalidTerritoryID + `","status":"error"}`},
		{"users: ids over 500 characters", named, func(s *Server) string {
			return usersURL(s, "v8", na, "", "ids="+strings.Join(longIDs(26), ","))
		}, http.StatusBadRequest, `{"code":"INVALID_DATA","details":{"param_name":"ids","maximum_length":500},"message":"` + msgIDsTooLong + `","status":"error"}`},
		{"trailing comma", named, func(s *Server) string { return usersURL(s, "v8", na, "", "ids="+dev+",") }, http.StatusBadRequest,
			`{"code":"INVALID_DATA","details":{"param_name":"ids"},"message":"` + msgIDsMalformed + `","status":"error"}`},
	}
	for _, tt := range tests {
		status, body := call(t, http.MethodDelete, tt.url(tt.srv), tt.srv.AccessToken())
		assert.Equal(t, tt.status, status, tt.name)
		assert.JSONEq(t, tt.body, body, tt.name)
	}
	for _, srv := range []*Server{named, anonymous, requestLevel} {
		assert.Empty(t, srv.Violations(), "the answers match api/openapi.yaml")
	}
}

// TestForbidden: an org with territories off, or a caller without the
// permission, gets Zoho's 403 on every CRM call, in Zoho's words.
func TestForbidden(t *testing.T) {
	t.Parallel()
	for feature, want := range map[TerritoryFeature]string{
		TerritoriesNotEnabled: `{"code":"TERRITORY_NOT_ENABLED","details":{},"message":"the territory feature is not enabled","status":"error"}`,
		TerritoriesDisabled:   `{"code":"TERRITORY_DISABLED","details":{},"message":"the territory feature is disabled","status":"error"}`,
		"":                    `{"code":"NO_PERMISSION","details":{},"message":"permission denied","status":"error"}`,
	} {
		seed := DefaultSeed()
		seed.TerritoryFeature = feature
		seed.CallerWithoutPermission = feature == ""
		srv := newServer(t, WithSeed(seed), WithContractCheck(checker(t)))
		for _, u := range []string{usersURL(srv, "v8", na, dev, ""), territoriesURL(srv, "v7", "Users", dev, "", "ids="+west)} {
			for _, method := range []string{http.MethodDelete, http.MethodGet} {
				status, body := call(t, method, u, srv.AccessToken())
				assert.Equal(t, http.StatusForbidden, status)
				assert.JSONEq(t, want, body)
			}
		}
		assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na), "nothing was removed")
		assert.Empty(t, srv.Violations())
	}
	seed := DefaultSeed()
	seed.TerritoryFeature = "off"
	assert.ErrorContains(t, seed.Validate(), `territory_feature: "off" is not one of enabled, not_enabled, disabled`)
}

func TestRequestsRecorded(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	call(t, http.MethodDelete, territoriesURL(srv, "v8", "users", chloe, "", "ids="+west+"&"), srv.AccessToken())
	call(t, http.MethodGet, usersURL(srv, "v2.1", na, dev, ""), srv.AccessToken())
	c := srv.OAuthClient()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost,
		srv.URL()+"/oauth/v2/token?grant_type=refresh_token&client_id="+c.ClientID+"&client_secret="+c.ClientSecret+"&refresh_token="+c.RefreshToken, nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())

	got := srv.Requests()
	require.Len(t, got, 3)
	assert.Equal(t, Request{Method: "DELETE", Path: "/crm/v8/users/" + chloe + "/territories", RawQuery: "ids=" + west + "&", Status: 200}, got[0])
	assert.Equal(t, Request{Method: "GET", Path: "/crm/v2.1/settings/territories/" + na + "/users/" + dev, Status: 200}, got[1])
	assert.Equal(t, "/oauth/v2/token", got[2].Path)
	assert.Equal(t, 200, got[2].Status)
	assert.NotContains(t, got[2].RawQuery, c.ClientSecret)
	assert.NotContains(t, got[2].RawQuery, c.RefreshToken)
	assert.Contains(t, got[2].RawQuery, "client_id="+c.ClientID)

	got[0].Status = 0
	assert.Equal(t, 200, srv.Requests()[0].Status, "Requests returns a copy")
}

// TestErrorItemOptionsConflict: the removals' items are either named or
// anonymous; asking for both is refused, whatever the order.
func TestErrorItemOptionsConflict(t *testing.T) {
	t.Parallel()
	_, err := NewServer(WithNamedErrorItems(), WithAnonymousErrorItems())
	assert.EqualError(t, err, "zohoterritorytest: WithAnonymousErrorItems after WithNamedErrorItems: give one")
	_, err = NewServer(WithAnonymousErrorItems(), WithNamedErrorItems())
	assert.EqualError(t, err, "zohoterritorytest: WithNamedErrorItems after WithAnonymousErrorItems: give one")
}
