package contracttests

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRecordedResponses checks that every recorded response is accepted by
// both validators, under the operation its URL names and on a server the
// spec lists.
func TestRecordedResponses(t *testing.T) {
	t.Parallel()
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			vd, err := validator.Validate(c)
			require.NoError(t, err)
			assert.Truef(t, vd.OK(), "case %s: response rejected: %s", c.Name, describe(vd))
			assert.Equalf(t, expectedOperation(t, c.Request.Method, c.Request.URL), vd.Operation, "case %s: routed to the wrong operation", c.Name)
			assert.Truef(t, vd.ListedServer, "case %s: %s is not a server of the spec", c.Name, c.Request.URL)
		})
	}
}

// brokenRequests are the recorded cases whose request breaks the spec on
// purpose, because the recorded response is Zoho's answer to exactly that
// mistake; the value is the validator(s) expected to catch it.
var brokenRequests = map[string]string{
	// No Authorization header. libopenapi-validator checks that the apiKey
	// header is present; kin-openapi runs contract's AuthenticationFunc.
	"error_authentication_failure": "both",
	// 101 ids against maxItems: 100.
	"error_invalid_data_too_many_ids": "both",
	// The bulk URL without its required `ids`.
	"error_required_param_missing": "both",
	// A read without an Authorization header.
	"read_error_authentication_failure": "both",
	// An add whose body names its array `user`, against the required
	// `users`.
	"error_mandatory_not_found_users": "both",
	// An add sent without its required body.
	"error_mandatory_not_found_territories": "both",
	// The territories' creates and updates without what they require, or
	// with more than a field may hold.
	"territory_error_400_v8_developer_eu_create_territories_territory_name_missing": "both", // no name
	"territory_error_400_v7_ca_create_territories_territory_parent_missing":         "both", // no reporting_to
	"territory_error_400_v8_jp_create_territories_permission_type_missing":          "both", // no permission_type
	"territory_error_400_v7_ca_update_territories_permission_type_missing":          "both", // no permission_type
	"territory_error_400_v7_au_create_territories_territory_name_too_long":          "both", // 51 characters
	"territory_error_400_v6_cn_update_territories_territory_name_too_long":          "both", // 51 characters
	"territory_error_400_v8_au_create_territories_description_too_long":             "both", // 251 characters
	"territory_error_400_v6_cn_create_territories_permission_type_invalid":          "both", // not in the enum
	// More territories than a call takes: 101 to create or update, 11 to
	// delete or transfer (maxItems, and the pattern of `ids`).
	"territory_error_400_v7_in_create_territories_too_many_territories":                "both",
	"territory_error_400_v6_au_update_territories_too_many_territories":                "both",
	"territory_error_400_v8_cn_delete_territories_too_many_territory_ids":              "both",
	"territory_error_400_v7_jp_transfer_and_delete_territories_too_many_territory_ids": "both",
	// The bulk delete without its required `ids`.
	"territory_error_400_v6_in_delete_territories_territory_ids_missing": "both",
	// The single transfer without its required transfer_to_id.
	"territory_error_400_v8_us_transfer_and_delete_territory_transfer_target_missing_in_path": "both",
	// The retired v1, against the path's version enum.
	"read_error_api_not_supported_organization": "both",
}

// TestRecordedRequests checks every recorded request with ValidateRequest:
// all are valid except those in brokenRequests, which must be caught by the
// validators named there.
func TestRecordedRequests(t *testing.T) {
	t.Parallel()
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			req, err := c.HTTPRequest()
			require.NoError(t, err)
			vd := validator.ValidateRequest(req)
			assert.Equalf(t, expectedOperation(t, c.Request.Method, c.Request.URL), vd.Operation, "case %s: routed to the wrong operation", c.Name)
			want, broken := brokenRequests[c.Name]
			if !broken {
				assert.Truef(t, vd.OK(), "case %s: request rejected: %s", c.Name, describe(vd))
				return
			}
			assert.Equalf(t, want, vd.CaughtBy(), "case %s: broken request caught by the wrong validators: %s", c.Name, describe(vd))
		})
	}
}

// placeholderAuth is the only shape of Authorization header a case may hold:
// Zoho's own documentation placeholder style, with x's where the secret was.
var placeholderAuth = regexp.MustCompile(`^Zoho-oauthtoken 1000\.[0-9a-fx.]*x[0-9a-fx.]*$`)

// TestCaseFiles checks the hygiene of the files themselves: described,
// sourced, absolute HTTPS URLs on Zoho hosts, a method the URL's operation
// has, JSON bodies (none under 204), and no secret.
func TestCaseFiles(t *testing.T) {
	t.Parallel()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	cases := loadCases(t)
	require.Len(t, cases, len(paths))
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".json")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			raw, err := os.ReadFile(p)
			require.NoError(t, err)
			assert.Falsef(t, realLookingToken.Match(raw), "%s holds something that looks like a real Zoho token", p)

			c := caseByName(t, cases, name)
			assert.NotEmpty(t, strings.TrimSpace(c.Description), "description")
			assert.NotEmpty(t, strings.TrimSpace(c.Source), "source")
			assert.Contains(t, []string{http.MethodGet, http.MethodDelete, http.MethodPut, http.MethodPost}, c.Request.Method)
			// A body is sent by the bulk adds and the territories' creates,
			// updates and transfers only, and then is JSON.
			if len(c.Request.Body) > 0 {
				assert.Truef(t, json.Valid(c.Request.Body), "request body is not JSON")
				assert.Contains(t, []string{http.MethodPut, http.MethodPost}, c.Request.Method, "only an add, a create, an update or a transfer sends a body")
			}
			// The operation's method: a removal recorded as a GET would be
			// routed to a read, and the other way round.
			assert.NotEmptyf(t, expectedOperation(t, c.Request.Method, c.Request.URL), "operation")

			u, err := url.Parse(c.Request.URL)
			require.NoError(t, err)
			assert.Equal(t, "https", u.Scheme)
			assert.Regexp(t, `^(www|sandbox|developer)\.zohoapis\.(com|eu|in|com\.au|com\.cn|jp|ca|sa|uk)$`, u.Host)

			for k, v := range c.Request.Headers {
				if strings.EqualFold(k, "Authorization") {
					assert.Regexpf(t, placeholderAuth, v, "Authorization must be a placeholder such as %q", "Zoho-oauthtoken 1000.xxxx.xxxx")
				}
			}
			if len(c.Response.Body) > 0 {
				assert.Truef(t, json.Valid(c.Response.Body), "response body is not JSON")
			}
			if c.Response.Status == http.StatusNoContent {
				// Neither validator rejects a body under a 204 that declares
				// no content (kin-openapi v0.152.0, libopenapi-validator
				// v0.16.2), so the suite checks it here.
				assert.Empty(t, c.Response.Body, "a 204 has no body")
				assert.Empty(t, c.Response.Headers["Content-Type"], "a 204 has no content type")
			}
		})
	}
}

// TestResourcePathIndex checks that every `details.resource_path_index` of a
// recorded case points at an id in its request's path. Zoho counts the
// segments after `/crm/{version}/` from 0 (zoho/crm-oas v8.0 territory_users
// examples: 2 for {territory_id} in settings/territories/{territory_id}/users,
// 4 for {user_id} after it).
func TestResourcePathIndex(t *testing.T) {
	t.Parallel()
	checked := 0
	for _, c := range loadCases(t) {
		if len(c.Response.Body) == 0 {
			continue
		}
		var body map[string]any
		require.NoError(t, json.Unmarshal(c.Response.Body, &body))
		objs := []any{body}
		for _, key := range envelopeKeys {
			if arr, ok := body[key].([]any); ok {
				objs = append(objs, arr...)
			}
		}
		u, err := url.Parse(c.Request.URL)
		require.NoError(t, err)
		segs := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
		require.GreaterOrEqual(t, len(segs), 2)
		segs = segs[2:] // drop crm and the version
		for _, o := range objs {
			m, _ := o.(map[string]any)
			details, _ := m["details"].(map[string]any)
			idx, ok := details["resource_path_index"].(float64)
			if !ok {
				continue
			}
			checked++
			i := int(idx)
			if assert.Lessf(t, i, len(segs), "case %s: resource_path_index %d past the path %s", c.Name, i, u.Path) {
				assert.Regexpf(t, `^[0-9]+$`, segs[i], "case %s: resource_path_index %d names %q in %s, not an id", c.Name, i, segs[i], u.Path)
			}
		}
	}
	assert.Positive(t, checked, "no recorded case carries resource_path_index")
}
