package zohoterritory

import (
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	yaml "go.yaml.in/yaml/v3"

	"github.com/seed-ab9c0d28/zohoterritory/api"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
)

// specCodes returns every Zoho code api/openapi.yaml names: the catalog in
// the ErrorCode schema's description and the code of every example.
func specCodes(t *testing.T) []string {
	t.Helper()
	var doc struct {
		Components struct {
			Schemas struct {
				ErrorCode struct {
					Description string `yaml:"description"`
				} `yaml:"ErrorCode"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	require.NoError(t, yaml.Unmarshal(api.OpenAPI(), &doc))
	var codes []string
	add := func(c string) {
		if c != "SUCCESS" && !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	for _, m := range regexp.MustCompile("`([A-Z][A-Z0-9_]+)`").FindAllStringSubmatch(doc.Components.Schemas.ErrorCode.Description, -1) {
		add(m[1])
	}
	examples, err := testkit.Examples()
	require.NoError(t, err)
	for _, ex := range examples {
		for _, c := range testkit.Strings(ex.Value, "code") {
			add(c)
		}
	}
	require.Greater(t, len(codes), 10, "the spec's catalog was not found")
	return codes
}

// TestCodeTableCoversTheSpec fails when a code of api/openapi.yaml's
// catalog is missing from the one table of Zoho codes, or when a row is
// incomplete.
func TestCodeTableCoversTheSpec(t *testing.T) {
	t.Parallel()
	for _, code := range specCodes(t) {
		_, ok := lookupCode(code)
		assert.True(t, ok, "code %s of api/openapi.yaml is missing from zohoCodes (codes.go)", code)
	}
	seen := map[string]bool{}
	for _, c := range zohoCodes {
		assert.False(t, seen[c.code], "code %s twice", c.code)
		seen[c.code] = true
		assert.NotNil(t, c.sentinel, c.code)
		assert.True(t, strings.Contains(c.sentinel.Error(), c.code) || c.code == "PERMISSION_DENIED" || c.code == "TERRITORY_NOT_ENABLED" || c.code == "FEATURE_NOT_ENABLED" || c.code == "ALREADY_EXISTS" || c.code == "INTERNAL_SERVER_ERROR",
			"the sentinel of %s names another code: %v", c.code, c.sentinel)
		assert.NotZero(t, c.status, c.code)
	}
}

// TestCodeTableDrivesEveryDecision: errors.Is, the per-id Reason and the
// retry decision all read the table, so a row's values show in each.
func TestCodeTableDrivesEveryDecision(t *testing.T) {
	t.Parallel()
	c, err := New()
	require.NoError(t, err)
	for _, row := range zohoCodes {
		t.Run(row.code, func(t *testing.T) {
			t.Parallel()
			e := &APIError{Operation: "op", StatusCode: row.status, Code: row.code}
			assert.ErrorIs(t, e, row.sentinel)
			for _, other := range zohoCodes {
				if other.sentinel != row.sentinel && row.status < 500 && row.status != http.StatusTooManyRequests {
					assert.False(t, errors.Is(e, other.sentinel), "%s matches %v", row.code, other.sentinel)
				}
			}
			if row.reason != "" {
				assert.Equal(t, row.reason, reasonFor(row.code, "anything"))
			}
			body := `{"code":"` + row.code + `","details":{},"message":"m","status":"error"}`
			resp := &http.Response{StatusCode: row.status, Status: http.StatusText(row.status), Header: http.Header{"Content-Type": {"application/json"}}}
			a := c.classify(&call{op: "op"}, resp, []byte(body), nil, true)
			if row.status == http.StatusOK {
				return
			}
			retry, _ := a.retryable()
			assert.Equal(t, row.retryable || row.status == http.StatusTooManyRequests || row.status >= 500, retry)
		})
	}
	assert.Equal(t, ReasonOther, reasonFor("SOMETHING_NEW", "invalid"), "an unknown code")
}

// TestScopesMatchTheSpec: the scope sets of every operation are those of
// its security requirements in api/openapi.yaml.
func TestScopesMatchTheSpec(t *testing.T) {
	t.Parallel()
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string                `yaml:"operationId"`
			Security    []map[string][]string `yaml:"security"`
		} `yaml:"paths"`
	}
	require.NoError(t, yaml.Unmarshal(api.OpenAPI(), &doc))
	n := 0
	for _, item := range doc.Paths {
		for _, op := range item {
			if op.OperationID == "" {
				continue
			}
			if _, twin := api.CanonicalOperationID(op.OperationID); twin {
				continue // the twin's scopes are its canonical operation's (contracttests checks)
			}
			n++
			var want [][]string
			for _, req := range op.Security {
				want = append(want, req["zohoOAuth"])
			}
			assert.Equal(t, want, Scopes(op.OperationID), op.OperationID)
		}
	}
	assert.Equal(t, 25, n)
	assert.Nil(t, Scopes("nope"))
}
