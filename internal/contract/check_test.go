package contract

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckResponseOfUnroutedRequest: a response to a request that matches
// no operation is still held to the Error schema.
func TestCheckResponseOfUnroutedRequest(t *testing.T) {
	t.Parallel()
	v, err := New()
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1:8080/nowhere", nil)
	require.NoError(t, err)
	require.Empty(t, v.ValidateRequest(req).Operation)

	tests := []struct {
		name, contentType, body, want string
	}{
		{"valid", "application/json", `{"code":"INVALID_URL_PATTERN","details":{},"message":"m","status":"error"}`, ""},
		{"missing details", "application/json", `{"code":"INVALID_URL_PATTERN","message":"m","status":"error"}`, `property "details" is missing`},
		{"lower-case code", "application/json", `{"code":"bad","details":{},"message":"m","status":"error"}`, "regular expression"},
		{"not JSON", "application/json", `<html>`, "body is not JSON"},
		{"wrong content type", "text/plain", `{}`, `Content-Type "text/plain"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := v.CheckResponse(req, http.StatusNotFound, http.Header{"Content-Type": {tt.contentType}}, []byte(tt.body))
			if tt.want == "" {
				assert.NoError(t, got)
				return
			}
			require.Error(t, got)
			assert.True(t, strings.HasPrefix(got.Error(), "GET /nowhere -> 404: (no operation) schema Error: kin-openapi: "), got.Error())
			assert.Contains(t, got.Error(), tt.want)
			assert.NotContains(t, got.Error(), "\n", "one line")
		})
	}
}

// TestCheckRequestAndResponse: a routed exchange is checked by both
// validators and reported on one line naming the operation.
func TestCheckRequestAndResponse(t *testing.T) {
	t.Parallel()
	v, err := New()
	require.NoError(t, err)
	const path = "/crm/v8/settings/territories/1/users/2"
	good, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, "http://127.0.0.1:8080"+path, nil)
	require.NoError(t, err)
	good.Header.Set("Authorization", "Zoho-oauthtoken 1000.x")
	assert.NoError(t, v.CheckRequest(good))

	bad := good.Clone(t.Context())
	bad.Header.Del("Authorization")
	err = v.CheckRequest(bad)
	require.Error(t, err)
	assert.Regexp(t, `^DELETE `+path+`: removeUserFromTerritory: kin-openapi: .+; libopenapi-validator: .+$`, err.Error())

	json := http.Header{"Content-Type": {"application/json"}}
	ok := `{"users":[{"code":"SUCCESS","details":{"id":"2"},"message":"m","status":"success"}]}`
	assert.NoError(t, v.CheckResponse(good, http.StatusOK, json, []byte(ok)))
	err = v.CheckResponse(good, http.StatusOK, json, []byte(`{"users":[]}`))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "DELETE "+path+" -> 200: removeUserFromTerritory: kin-openapi: "), err.Error())
}

// TestBodyWithoutContentType: a request body sent without a Content-Type
// header, as Zoho's SDKs send their bodies, is validated as JSON; a body
// of another declared type is not.
func TestBodyWithoutContentType(t *testing.T) {
	t.Parallel()
	v, err := New()
	require.NoError(t, err)
	const body = `{"territories":[{"name":"Pacific","reporting_to":{"id":"5725767000000452002"},"permission_type":"read_only"}]}`
	for _, tt := range []struct {
		name, contentType string
		ok                bool
	}{
		{"none", "", true},
		{"json", "application/json", true},
		{"text", "text/plain", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://127.0.0.1:8080/crm/v8/settings/territories", strings.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Zoho-oauthtoken 1000.test")
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			vd := v.ValidateRequest(req)
			assert.Equal(t, "createTerritories", vd.Operation)
			assert.Equal(t, tt.ok, vd.OK(), "kin: %v; lib: %v", vd.Kin, vd.Lib)
			assert.Equal(t, tt.contentType, req.Header.Get("Content-Type"), "the caller's request is left as it was")
		})
	}
}
