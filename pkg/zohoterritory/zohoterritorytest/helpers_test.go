package zohoterritorytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contractcheck"
)

// Ids of DefaultSeed, named after its people and places.
const (
	ava   = "5725767000000411001" // the caller
	ben   = "5725767000000411002" // manages North America and Key Accounts (NA)
	chloe = "5725767000000411003" // manages Key Accounts Europe; in all six territories
	dev   = "5725767000000411004" // manages West Coast
	eve   = "5725767000000411005" // manages Europe
	finn  = "5725767000000411006" // inactive
	gus   = "5725767000000411007" // deleted

	org   = "5725767000000452001" // default territory
	na    = "5725767000000452002"
	eu    = "5725767000000452003"
	west  = "5725767000000452004" // under North America
	keyNA = "5725767000000452005" // Key Accounts under North America
	keyEU = "5725767000000452006" // Key Accounts Europe, under Europe

	unknownID = "999"
)

// checker returns the contract check of api/openapi.yaml: the two
// validators when the tests are built with -tags contract (make contract, in
// CI), a check that accepts everything otherwise (internal/contractcheck).
// A test that expects a violation needs the real check whatever the tags:
// it belongs in contracttests.
func checker(t *testing.T) ContractChecker {
	t.Helper()
	c, err := contractcheck.New()
	require.NoError(t, err)
	return c
}

func newServer(t *testing.T, opts ...Option) *Server {
	t.Helper()
	srv, err := NewServer(opts...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

// call sends one request with a `Zoho-oauthtoken` header (none when token
// is "") and returns the status and body. Every answer must be JSON.
func call(t *testing.T, method, rawURL, token string) (int, string) {
	t.Helper()
	return callWithHeader(t, method, rawURL, "Zoho-oauthtoken "+token, token != "")
}

func callWithHeader(t *testing.T, method, rawURL, auth string, sendAuth bool) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, rawURL, nil)
	require.NoError(t, err)
	if sendAuth {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	require.NoError(t, err)
	if method != http.MethodHead {
		assert.Equal(t, "application/json", resp.Header.Get("Content-Type"), "Content-Type of %s %s", method, rawURL)
		assert.True(t, json.Valid(body), "body of %s %s is not JSON: %s", method, rawURL, body)
	}
	return resp.StatusCode, string(body)
}

// send is like call for goroutines other than the test's: it reports
// failures with assert only, and returns status 0 when the request failed.
func send(t *testing.T, method, rawURL, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, rawURL, nil)
	if !assert.NoError(t, err) {
		return 0, ""
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	resp, err := http.DefaultClient.Do(req)
	if !assert.NoError(t, err) {
		return 0, ""
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	assert.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	return resp.StatusCode, string(body)
}

// postToken posts form to the token endpoint and decodes the JSON answer.
// It reports failures with assert only, so goroutines may call it.
func postToken(t *testing.T, srv *Server, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+"/oauth/v2/token", strings.NewReader(form.Encode()))
	if !assert.NoError(t, err) {
		return 0, nil
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if !assert.NoError(t, err) {
		return 0, nil
	}
	defer resp.Body.Close()
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var body map[string]any
	assert.NoError(t, json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body))
	return resp.StatusCode, body
}

// usersURL is the remove-users URL: bulk when single is "", with query
// appended verbatim.
func usersURL(srv *Server, version, territoryID, single, query string) string {
	u := fmt.Sprintf("%s/crm/%s/settings/territories/%s/users", srv.URL(), version, territoryID)
	if single != "" {
		u += "/" + single
	}
	if query != "" {
		u += "?" + query
	}
	return u
}

// territoriesURL is the remove-territories URL with the given spelling of
// `Users`.
func territoriesURL(srv *Server, version, users, userID, single, query string) string {
	u := fmt.Sprintf("%s/crm/%s/%s/%s/territories", srv.URL(), version, users, userID)
	if single != "" {
		u += "/" + single
	}
	if query != "" {
		u += "?" + query
	}
	return u
}

// Expected bodies.

func okItem(id, message string) string {
	return fmt.Sprintf(`{"code":"SUCCESS","details":{"id":%q},"message":%q,"status":"success"}`, id, message)
}

// errItem is a removal's error item as the sandbox answers by default:
// `"details": {}`, as Zoho's documentation shows it (the sample answer of
// removing territories from a user). about is the id the item is about,
// for the reader of the test: the answer does not name it.
func errItem(about, message string) string {
	return fmt.Sprintf(`{"code":"INVALID_DATA","details":{},"message":%q,"status":"error"}`, message)
}

func envelope(key string, items ...string) string {
	return fmt.Sprintf(`{%q:[%s]}`, key, strings.Join(items, ","))
}

func topError(code, message, details string) string {
	if details == "" {
		details = "{}"
	}
	return fmt.Sprintf(`{"code":%q,"details":%s,"message":%q,"status":"error"}`, code, details, message)
}

// manyIDs returns n distinct numeric ids.
// shortIDs returns n ids of 1 to 3 digits: 100 of them fit the users'
// 500 characters.
func shortIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%d", 1+i)
	}
	return ids
}

// longIDs returns n ids of 19 digits: 26 of them are 519 characters.
func longIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%d", 5725767000000900000+i)
	}
	return ids
}

func manyIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%d", 100000+i)
	}
	return ids
}
