package contract

import (
	"io"
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

// TestRequestBodyWithoutContentType: a body sent without Content-Type is
// read as JSON when it parses as JSON, as Zoho reads it (its SDKs send
// their adds so), by both validators; one that is not JSON is still
// refused, and so is a JSON body that breaks the schema.
func TestRequestBodyWithoutContentType(t *testing.T) {
	t.Parallel()
	v, err := New()
	require.NoError(t, err)
	const usersURL = "http://127.0.0.1:8080/crm/v8/settings/territories/1/users"
	const territoriesURL = "http://127.0.0.1:8080/crm/v8/users/5/territories"
	tests := []struct {
		name, url, contentType, body string
		ok                           bool
	}{
		{"strings, no Content-Type", usersURL, "", `{"users":[{"id":"2"},{"id":"3"}]}`, true},
		{"numbers, no Content-Type (Zoho's Python SDK)", usersURL, "", `{"users":[{"id":5725767000000411004},{"id":5725767000000411005}]}`, true},
		{"territories, no Content-Type", territoriesURL, "", `{"territories":[{"id":"7"}]}`, true},
		{"JSON with its Content-Type", usersURL, "application/json", `{"users":[{"id":"2"}]}`, true},
		{"not JSON, no Content-Type", usersURL, "", `users=2`, false},
		{"JSON cut short, no Content-Type", usersURL, "", `{"users":[{"id":"2"}`, false},
		{"JSON against the schema, no Content-Type", usersURL, "", `{"users":[{"id":"x"}]}`, false},
		{"JSON under another Content-Type", usersURL, "text/plain", `{"users":[{"id":"2"}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, tt.url, strings.NewReader(tt.body))
			require.NoError(t, err)
			req.Header.Set("Authorization", "Zoho-oauthtoken 1000.x")
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			vd := v.ValidateRequest(req)
			if tt.ok {
				assert.Truef(t, vd.OK(), "%s", vd)
				assert.NoError(t, vd.Kin)
				assert.NoError(t, vd.Lib)
			} else {
				assert.Errorf(t, vd.Kin, "kin-openapi must refuse it")
				assert.Errorf(t, vd.Lib, "libopenapi-validator must refuse it")
			}
			// The caller's request is left as it was sent.
			assert.Equal(t, tt.contentType, req.Header.Get("Content-Type"))
			b, err := io.ReadAll(req.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(b))
		})
	}
}
