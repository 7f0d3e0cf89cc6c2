package contracttests

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Zoho's Python SDK 8.0 cannot be installed where the suite runs (PyPI is
// not reachable), so its request shapes are replayed from its sources (the
// cases' `source` says which): the lower-case `users` paths, ids in the
// adds' bodies as JSON numbers, no Content-Type on a body, `ids` with its
// commas encoded as %2C.
var pythonCases = []string{
	"success_v8_us_add_users_to_territory_python_sdk",
	"success_v8_in_add_territories_to_user_python_sdk",
	"success_v8_eu_remove_territories_python_sdk_encoded_commas",
}

// TestPythonSDKShapes: the Python SDK's requests, and Zoho's answers to
// them, pass both validators; replayed against the sandbox with its
// contract check on, a bulk add with numeric ids and no Content-Type adds
// every user, an add of territories every territory, and neither the
// requests nor the answers break the contract.
func TestPythonSDKShapes(t *testing.T) {
	t.Parallel()
	cases := loadCases(t)
	for _, name := range pythonCases {
		c := caseByName(t, cases, name)
		req, err := c.HTTPRequest()
		require.NoError(t, err)
		assert.Empty(t, req.Header.Values("Content-Type"), "%s: the Python SDK sends no Content-Type", name)
		assert.Contains(t, req.URL.Path, "/crm/v8/", name)
		if len(c.Request.Body) > 0 {
			assert.Equal(t, http.MethodPut, c.Request.Method)
			assert.NotEmpty(t, numericIDs(t, c.Request.Body), "%s: the Python SDK writes ids as JSON numbers", name)
		} else {
			assert.Contains(t, req.URL.RawQuery, "%2C", "%s: requests encodes the commas of ids", name)
		}
		vd := validator.ValidateRequest(req)
		assert.Truef(t, vd.OK(), "%s: request: %s", name, describe(vd))
		vd, err = validator.Validate(c)
		require.NoError(t, err)
		assert.Truef(t, vd.OK(), "%s: response: %s", name, describe(vd))
	}

	srv := selfCheckingSandbox(t, validator)
	tok := srv.AccessToken()
	replays := []struct {
		method, url, body, want string
	}{
		{http.MethodPut, sbUsersURL(srv, "v8", sbWest, "", ""), `{"users":[{"id":` + sbEve + `},{"id":` + sbBen + `},{"id":` + sbAva + `}]}`,
			`{"users":[` + sbOK(sbEve, "Given User added to the mentioned territory Successfully") + `,` +
				sbOK(sbBen, "Given User added to the mentioned territory Successfully") + `,` +
				sbOK(sbAva, "Given User added to the mentioned territory Successfully") + `]}`},
		{http.MethodPut, sbTerritoriesURL(srv, "v8", "users", sbDev, "", ""), `{"territories":[{"id":` + sbEU + `}]}`,
			`{"territories":[` + sbOK(sbEU, "Territory associated to the user successfully") + `]}`},
		{http.MethodDelete, sbTerritoriesURL(srv, "v8", "users", sbDev, "", "ids="+sbEU+"%2C"+sbNA), "",
			`{"territories":[` + sbOK(sbEU, "Territory removed from the user successfully") + `,` + sbOK(sbNA, "Territory removed from the user successfully") + `]}`},
	}
	for _, r := range replays {
		status, body := pythonExchange(t, r.method, r.url, tok, r.body)
		assert.Equal(t, http.StatusOK, status, "%s %s", r.method, r.url)
		assert.JSONEq(t, r.want, body, "%s %s", r.method, r.url)
	}
	got := srv.Members(sbWest)
	for _, u := range []string{sbEve, sbBen, sbAva} {
		assert.Contains(t, got, u, "every user of the numeric-id add is a member")
	}
	assert.NotContains(t, srv.TerritoriesOf(sbDev), sbNA)
	assert.NotContains(t, srv.TerritoriesOf(sbDev), sbEU)
	assert.Empty(t, srv.RequestViolations(), "the Python SDK's requests keep the contract")
	assert.Empty(t, srv.Violations(), "the sandbox's answers keep the contract")
}

// numericIDs returns the ids a body gives as JSON numbers, digit for digit.
func numericIDs(t *testing.T, body json.RawMessage) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var env map[string][]map[string]any
	require.NoError(t, dec.Decode(&env))
	var ids []string
	for _, recs := range env {
		for _, r := range recs {
			if n, ok := r["id"].(json.Number); ok {
				ids = append(ids, n.String())
			}
		}
	}
	return ids
}

// pythonExchange sends a request as Zoho's Python SDK does (through
// python-requests): the token, requests' Accept headers, no Content-Type.
func pythonExchange(t *testing.T, method, rawURL, token, body string) (int, string) {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, rawURL, rd)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	req.Header.Set("Accept", "*/*")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// sbOK is a success item of the sandbox's answer.
func sbOK(id, message string) string {
	return `{"code":"SUCCESS","details":{"id":"` + id + `"},"message":"` + message + `","status":"success"}`
}
