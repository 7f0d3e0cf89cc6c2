package contracttests

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/api"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// The sandbox's own contract: tests that need the two validators whatever
// the build tags, because they expect the sandbox's check to find
// something. The sandbox's other tests, and the client's and the CLI's,
// check their traffic only when built with -tags contract (make contract;
// internal/contractcheck), so that they link no validator in make test.

// Ids of zohoterritorytest.DefaultSeed.
const (
	sbAva   = "5725767000000411001" // the caller
	sbBen   = "5725767000000411002" // manages North America
	sbChloe = "5725767000000411003" // manages West Coast
	sbDev   = "5725767000000411004"
	sbEve   = "5725767000000411005" // manages Europe
	sbFinn  = "5725767000000411006" // inactive
	sbGus   = "5725767000000411007" // deleted

	sbOrg  = "5725767000000452001" // default territory
	sbNA   = "5725767000000452002"
	sbEU   = "5725767000000452003"
	sbWest = "5725767000000452004"

	sbUnknown = "999"
)

// TestSandboxOwnContract sends a varied mix of requests, right and wrong,
// to a sandbox that checks itself: none of its responses may break the
// spec, and each wrong request is recorded as one.
func TestSandboxOwnContract(t *testing.T) {
	t.Parallel()
	srv := selfCheckingSandbox(t, validator)
	tok := srv.AccessToken()
	weak := srv.IssueToken(zohoterritorytest.ScopeUsersAll)

	valid := []struct {
		method, url, token string
	}{
		{"DELETE", sbUsersURL(srv, "v8", sbNA, sbDev, ""), tok},                                                        // 200
		{"DELETE", sbUsersURL(srv, "v2.1", sbEU, "", "ids="+sbChloe+"%2C"+sbEve+"&"), tok},                             // 207
		{"DELETE", sbUsersURL(srv, "v3", sbWest, "", "ids="+sbChloe+","+sbEve), tok},                                   // 400 envelope
		{"DELETE", sbUsersURL(srv, "v4", sbUnknown, sbBen, ""), tok},                                                   // 400 error object
		{"DELETE", sbUsersURL(srv, "v5", sbNA, sbUnknown, ""), tok},                                                    // 400 envelope
		{"DELETE", sbTerritoriesURL(srv, "v6", "Users", sbChloe, "", "ids="+sbEU+","+sbOrg+","+sbWest), tok},           // 207
		{"DELETE", sbTerritoriesURL(srv, "v7", "users", sbBen, sbNA, ""), tok},                                         // 400 envelope
		{"DELETE", sbTerritoriesURL(srv, "v8", "users", sbChloe, sbNA, ""), tok},                                       // 200
		{"DELETE", sbTerritoriesURL(srv, "v8", "Users", sbDev, "", "ids="+strings.Join(sbIDs(100000, 101), ",")), tok}, // >100 ids: the schema cannot count them
		{"DELETE", sbTerritoriesURL(srv, "v8", "Users", sbFinn, sbEU, ""), tok},                                        // owner_status
		{"DELETE", sbTerritoriesURL(srv, "v8", "Users", sbGus, sbEU, ""), tok},                                         // owner_status
		{"DELETE", sbTerritoriesURL(srv, "v8", "Users", sbAva, sbOrg, ""), tok},                                        // NOT_ALLOWED
		{"DELETE", sbTerritoriesURL(srv, "v8", "Users", sbUnknown, sbOrg, ""), tok},                                    // invalid user
		{"DELETE", sbTerritoriesURL(srv, "v8", "Users", sbDev, sbUnknown, ""), tok},                                    // invalid territories
		{"DELETE", sbUsersURL(srv, "v8", sbNA, "", "ids="+strings.Join(sbIDs(1, 100), ",")), tok},                      // 100 items
		{"DELETE", sbUsersURL(srv, "v8", sbNA, sbDev, ""), "1000.unknown"},                                             // INVALID_TOKEN
		{"DELETE", sbTerritoriesURL(srv, "v8", "Users", sbDev, sbWest, ""), weak},                                      // OAUTH_SCOPE_MISMATCH
		{"GET", sbTerritoriesURL(srv, "v8", "users", sbDev, "", "per_page=200"), tok},                                  // the largest page
	}
	for _, c := range valid {
		exchange(t, c.method, c.url, c.token, "")
	}
	assert.Empty(t, srv.RequestViolations(), "requests the spec allows")

	wrong := []struct {
		method, url, token string
	}{
		{"DELETE", sbUsersURL(srv, "v8", sbNA, sbDev, ""), ""},                                                     // no token
		{"POST", sbUsersURL(srv, "v8", sbNA, sbDev, ""), tok},                                                      // wrong method
		{"POST", sbTerritoriesURL(srv, "v8", "users", sbDev, "", "ids="+sbWest), tok},                              // wrong method
		{"DELETE", srv.URL() + "/crm/v8/settings/territories", tok},                                                // unknown URL
		{"DELETE", srv.URL() + "/nowhere", tok},                                                                    // unknown URL
		{"DELETE", sbUsersURL(srv, "v1", sbNA, sbDev, ""), tok},                                                    // version
		{"DELETE", sbTerritoriesURL(srv, "v9", "users", sbDev, "", "ids="+sbWest), tok},                            // version
		{"DELETE", sbUsersURL(srv, "v8", sbNA, "", ""), tok},                                                       // no ids
		{"DELETE", sbUsersURL(srv, "v8", sbNA, "", "ids="), tok},                                                   // empty ids
		{"DELETE", sbUsersURL(srv, "v8", sbNA, "", "ids=abc,"+sbDev), tok},                                         // non-numeric
		{"DELETE", sbUsersURL(srv, "v8", "north", "abc", ""), tok},                                                 // non-numeric
		{"DELETE", sbTerritoriesURL(srv, "v8", "users", "dev", "west", ""), tok},                                   // non-numeric
		{"DELETE", sbUsersURL(srv, "v8", sbNA, strings.Repeat("9", 20), ""), tok},                                  // 20 digits
		{"DELETE", sbUsersURL(srv, "v8", sbNA, "", "ids="+strings.Join(sbIDs(5725767000000900000, 26), ",")), tok}, // 519 characters
		{"DELETE", sbTerritoriesURL(srv, "v8", "Users", sbDev, "", "ids="+sbWest+","), tok},                        // trailing comma
		{"GET", sbTerritoriesURL(srv, "v8", "users", sbDev, "", "per_page=201"), tok},                              // paging out of range
		{"GET", sbUsersURL(srv, "v8", sbNA, "", "page=0"), tok},                                                    // paging out of range
	}
	for _, c := range wrong {
		exchange(t, c.method, c.url, c.token, "")
	}

	assert.Empty(t, srv.Violations(), "the sandbox's responses must obey api/openapi.yaml")
	got := srv.RequestViolations()
	assert.Len(t, got, len(wrong), "each wrong request is recorded:\n%s", strings.Join(got, "\n"))
	for _, v := range got {
		assert.Regexp(t, `^(GET|POST|DELETE) /\S*: .+: kin-openapi: .+; libopenapi-validator: .+$`, v)
	}
	assert.Len(t, srv.Requests(), len(valid)+len(wrong))
}

// TestSandboxAddOwnContract: the adds' answers, right and wrong requests
// alike, obey api/openapi.yaml; the wrong requests are recorded as such.
func TestSandboxAddOwnContract(t *testing.T) {
	t.Parallel()
	srv := selfCheckingSandbox(t, validator, zohoterritorytest.WithTerritoryUserLimit(5))
	tok := srv.AccessToken()
	weak := srv.IssueToken(zohoterritorytest.ScopeUsersAll)
	valid := []struct{ url, body, token string }{
		{sbUsersURL(srv, "v8", sbWest, "", ""), sbRefs("users", sbEve), tok},                             // 200
		{sbUsersURL(srv, "v2.1", sbEU, "", ""), sbRefs("users", sbDev, sbEve, sbGus, sbBen, sbAva), tok}, // 207, LIMIT_EXCEEDED
		{sbUsersURL(srv, "v3", sbNA, "", ""), sbRefs("users", sbBen, "999"), tok},                        // 400 envelope
		{sbUsersURL(srv, "v4", sbUnknown, "", ""), sbRefs("users", sbBen), tok},                          // 400 error object
		{sbUsersURL(srv, "v5", sbNA, sbAva, ""), "", tok},                                                // 200 single
		{sbUsersURL(srv, "v5", sbNA, sbAva, ""), "", tok},                                                // 400 DUPLICATE_DATA by path
		{sbUsersURL(srv, "v6", sbNA, sbGus, ""), "", tok},                                                // 400 owner_status by path
		{sbUsersURL(srv, "v6", sbNA, sbUnknown, ""), "", tok},                                            // 400 error object
		{sbTerritoriesURL(srv, "v7", "users", sbEve, "", ""), sbRefs("territories", sbNA, sbEU), tok},    // 207
		{sbTerritoriesURL(srv, "v8", "Users", sbEve, "", ""), sbRefs("territories", "999"), tok},         // 400 envelope
		{sbTerritoriesURL(srv, "v8", "Users", sbGus, "", ""), sbRefs("territories", sbNA), tok},          // owner_status
		{sbTerritoriesURL(srv, "v8", "Users", sbUnknown, "", ""), sbRefs("territories", sbNA), tok},      // invalid user
		{sbTerritoriesURL(srv, "v8", "users", sbAva, "", ""), sbRefs("territories", sbNA), tok},          // 403 NOT_ALLOWED
		{sbTerritoriesURL(srv, "v8", "users", sbDev, "", ""), sbRefs("territories", sbEU), weak},         // OAUTH_SCOPE_MISMATCH
		{sbUsersURL(srv, "v8", sbNA, "", ""), sbRefs("users", sbIDs(1, 100)...), tok},                    // 100 items
	}
	for _, c := range valid {
		exchange(t, http.MethodPut, c.url, c.token, c.body)
	}
	assert.Empty(t, srv.RequestViolations(), "requests the spec allows")

	wrong := []struct{ url, body string }{
		{sbUsersURL(srv, "v8", sbNA, "", ""), ""},                                          // no body
		{sbUsersURL(srv, "v8", sbNA, "", ""), `{"users":[]}`},                              // empty
		{sbUsersURL(srv, "v8", sbNA, "", ""), sbRefs("users", sbIDs(100000, 101)...)},      // 101 items
		{sbUsersURL(srv, "v8", sbNA, "", ""), `{"users":[{"name":"x"}]}`},                  // no id
		{sbTerritoriesURL(srv, "v8", "users", sbDev, "", ""), sbRefs("territories", "x1")}, // not digits
		{sbTerritoriesURL(srv, "v8", "users", sbDev, "", ""), `not json`},                  // not JSON
	}
	for _, c := range wrong {
		exchange(t, http.MethodPut, c.url, tok, c.body)
	}
	assert.Empty(t, srv.Violations(), "the sandbox's responses must obey api/openapi.yaml")
	got := srv.RequestViolations()
	assert.Len(t, got, len(wrong), "each wrong request is recorded:\n%s", strings.Join(got, "\n"))
	for _, v := range got {
		assert.Regexp(t, `^PUT /\S*: .+: kin-openapi: .+; libopenapi-validator: .+$`, v)
	}
}

// TestSandboxLifecycleOwnContract: the territories' lifecycle, right and
// wrong requests alike, answers within api/openapi.yaml; the wrong requests
// are recorded as such. Bodies go without a Content-Type header, as Zoho's
// SDKs send them.
func TestSandboxLifecycleOwnContract(t *testing.T) {
	t.Parallel()
	srv := selfCheckingSandbox(t, validator, zohoterritorytest.WithTerritoryLimit(8))
	tok := srv.AccessToken()
	base := srv.URL() + "/crm/v8/settings/territories"
	create := func(name, parent string) string {
		return fmt.Sprintf(`{"territories":[{"name":%q,"reporting_to":{"id":%q},"permission_type":"read_only"}]}`, name, parent)
	}
	valid := []struct{ method, url, body string }{
		{http.MethodPost, base, create("Pacific", sbNA)}, // 201
		{http.MethodPost, base, `{"territories":[{"name":"Atlantic","reporting_to":{"id":"` + sbOrg + `"},"permission_type":"read_write_delete","manager":{"id":` + sbDev + `},"account_rule_criteria":{"group_operator":"or","group":[{"field":{"api_name":"State"},"comparator":"in","value":["MA","NY"]},{"field":{"api_name":"State","id":"5725767000000000625"},"comparator":"equal","value":"ME"}]}},{"name":"europe","reporting_to":{"id":"` + sbOrg + `"},"permission_type":"read_only"}]}`}, // 207
		{http.MethodPost, base, create("North America", sbOrg)}, // 400 envelope
		{http.MethodPost, base, create("Full", sbOrg)},          // LIMIT_EXCEEDED
		{http.MethodPut, base, `{"territories":[{"id":"` + sbWest + `","reporting_to":{"id":"` + sbOrg + `"},"permission_type":"read_only","manager":null,"description":null,"lead_rule_criteria":null}]}`},         // 200
		{http.MethodPut, base, `{"territories":[{"id":"` + sbNA + `","reporting_to":{"id":"` + sbNA + `"},"permission_type":"read_only"},{"id":"` + sbOrg + `","description":"x","permission_type":"read_only"}]}`}, // 400: cycle, root
		{http.MethodPut, base + "/" + sbUnknown, `{"territories":[{"permission_type":"read_only"}]}`},                                                                                                               // 400 error object
		{http.MethodGet, base + "/" + sbNA + "/__child_territories?include=account_rule_criteria,lead_rule_criteria,deal_rule_criteria", ""},
		{http.MethodGet, base + "/" + sbWest + "/__child_territories", ""}, // 204
		{http.MethodGet, base + "?include=account_rule_criteria", ""},
		{http.MethodGet, base + "/actions/associated_users_count?per_page=2000", ""},
		{http.MethodDelete, base + "?ids=" + sbNA + "," + sbOrg + "," + sbUnknown + "&delete_previous_forecasts=false", ""},                                                                         // 400 envelope
		{http.MethodDelete, base + "/" + sbNA + "?delete_previous_forecasts=true", ""},                                                                                                              // 400 error object
		{http.MethodPost, base + "/actions/transfer_and_delete", `{"territories":[{"id":"` + sbNA + `","delete_previous_forecasts":true},{"id":"` + sbEU + `","transfer_to_id":"` + sbOrg + `"}]}`}, // 207
		{http.MethodPost, base + "/" + sbNA + "/actions/transfer_and_delete", `{"territories":[{"transfer_to_id":` + sbOrg + `,"delete_previous_forecasts":false}]}`},                               // 200
		{http.MethodDelete, base + "/" + sbWest + "?delete_previous_forecasts=true", ""},                                                                                                            // 200
	}
	for _, c := range valid {
		req, err := http.NewRequestWithContext(t.Context(), c.method, c.url, strings.NewReader(c.body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Zoho-oauthtoken "+tok)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		require.NoError(t, resp.Body.Close())
	}
	assert.Empty(t, srv.RequestViolations(), "requests the spec allows")

	wrong := []struct{ method, url, body string }{
		{http.MethodPost, base, `{"territories":[{"name":"P","reporting_to":{"id":"` + sbOrg + `"}}]}`},                                 // no permission_type
		{http.MethodPut, base, `{"territories":[{"id":"` + sbEU + `","name":"E"}]}`},                                                    // no permission_type
		{http.MethodDelete, base + "?ids=" + strings.Join(sbIDs(5725767000000460000, 11), ",") + "&delete_previous_forecasts=true", ""}, // 11 ids
		{http.MethodDelete, base + "/" + sbEU, ""},                                                                                      // no delete_previous_forecasts
		{http.MethodPost, base + "/" + sbEU + "/actions/transfer_and_delete", `{"territories":[{"delete_previous_forecasts":true}]}`},   // no transfer_to_id
	}
	for _, c := range wrong {
		exchange(t, c.method, c.url, tok, c.body)
	}
	assert.Empty(t, srv.Violations(), "the sandbox's responses must obey api/openapi.yaml")
	got := srv.RequestViolations()
	assert.Len(t, got, len(wrong), "each wrong request is recorded:\n%s", strings.Join(got, "\n"))
}

// TestSandboxViolationsCatchBadResponses makes sure the sandbox's
// self-check can fail: under a mutated spec whose all-failed answer must
// be application/problem+json, the sandbox's 400 envelope is a violation
// and its 200 is not.
func TestSandboxViolationsCatchBadResponses(t *testing.T) {
	t.Parallel()
	orig := string(api.OpenAPI())
	i := strings.Index(orig, "\n    UsersNotRemoved:\n")
	require.Positive(t, i, "the spec changed shape; update this test")
	spec := orig[:i] + strings.Replace(orig[i:], "application/json:", "application/problem+json:", 1)
	v, err := contract.NewFromBytes([]byte(spec))
	require.NoError(t, err)

	srv := selfCheckingSandbox(t, v)
	exchange(t, http.MethodDelete, sbUsersURL(srv, "v8", sbNA, sbEve, ""), srv.AccessToken(), "")
	exchange(t, http.MethodDelete, sbUsersURL(srv, "v8", sbNA, sbDev, ""), srv.AccessToken(), "")
	got := srv.Violations()
	require.Len(t, got, 1, "only the 400 breaks the mutated spec: %q", got)
	assert.True(t, strings.HasPrefix(got[0], "DELETE /crm/v8/settings/territories/"+sbNA+"/users/"+sbEve+" -> 400: removeUserFromTerritory: kin-openapi: "), got[0])
	assert.NotContains(t, got[0], "kin-openapi: pass")
	assert.NotContains(t, got[0], "libopenapi-validator: pass")
	assert.Empty(t, srv.RequestViolations())
}

// selfCheckingSandbox starts a sandbox (DefaultSeed) that checks its
// traffic with v.
func selfCheckingSandbox(t *testing.T, v *contract.Validator, opts ...zohoterritorytest.Option) *zohoterritorytest.Server {
	t.Helper()
	srv, err := zohoterritorytest.NewServer(append([]zohoterritorytest.Option{zohoterritorytest.WithContractCheck(v)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

// exchange sends one request (with a `Zoho-oauthtoken` header unless token
// is "", with a JSON body unless body is "") and returns the status and
// body. Every answer must be JSON.
func exchange(t *testing.T, method, rawURL, token, body string) (int, string) {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, rawURL, rd)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "Content-Type of %s %s", method, rawURL)
	return resp.StatusCode, string(b)
}

// sbUsersURL is a territory's users URL: bulk when single is "", with
// query appended verbatim.
func sbUsersURL(srv *zohoterritorytest.Server, version, territoryID, single, query string) string {
	u := fmt.Sprintf("%s/crm/%s/settings/territories/%s/users", srv.URL(), version, territoryID)
	return sbURL(u, single, query)
}

// sbTerritoriesURL is a user's territories URL with the given spelling of
// `Users`.
func sbTerritoriesURL(srv *zohoterritorytest.Server, version, users, userID, single, query string) string {
	u := fmt.Sprintf("%s/crm/%s/%s/%s/territories", srv.URL(), version, users, userID)
	return sbURL(u, single, query)
}

func sbURL(u, single, query string) string {
	if single != "" {
		u += "/" + single
	}
	if query != "" {
		u += "?" + query
	}
	return u
}

// sbIDs returns n consecutive ids from first: sbIDs(1, 100) fit the
// users' 500 characters; 26 ids of 19 digits are 519 characters.
func sbIDs(first, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%d", first+i)
	}
	return ids
}

// sbRefs is an add's body: {"<key>":[{"id":"..."},...]}.
func sbRefs(key string, ids ...string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprintf(`{"id":%q}`, id)
	}
	return fmt.Sprintf(`{%q:[%s]}`, key, strings.Join(parts, ","))
}
