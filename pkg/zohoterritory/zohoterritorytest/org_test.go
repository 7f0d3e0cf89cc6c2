package zohoterritorytest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func orgURL(srv *Server, version string) string { return srv.URL() + "/crm/" + version + "/org" }

// TestOrg: GET org answers the `org` array with the one organization, as
// Zoho's documentation and OpenAPI file show it, its values from the seed
// or, where the seed is silent, from its caller and default territory.
func TestOrg(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	status, body := get(t, orgURL(srv, "v8"), srv.AccessToken())
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, `{"org":[{"id":"5725767000000020005","company_name":"Acme Org","primary_email":"ava@acme.com",
		"primary_zuid":"60000411001","zgid":"800020005","domain_name":"org800020005","alias":null,"type":"production",
		"created_time":"2024-01-15T09:30:00+00:00","time_zone":"America/Los_Angeles","currency":"US Dollar - USD",
		"iso_code":"USD","currency_symbol":"$","currency_locale":"en_US","mc_status":false,"country":null,"country_code":"US",
		"street":null,"city":null,"state":null,"zip":null,"phone":null,"mobile":null,"fax":null,"website":null,
		"description":null,"employee_count":"6","photo_id":null,"zia_portal_id":null,
		"license_details":{"paid":true,"paid_type":"enterprise","paid_expiry":null,"users_license_purchased":6,"trial_type":null,"trial_expiry":null},
		"hierarchy_preferences":{"type":"Role_Hierarchy","strictly_reporting":false},"max_per_page":200,
		"gapps_enabled":false,"translation_enabled":false,"privacy_settings":false,"hipaa_compliance_enabled":false,
		"lite_users_enabled":false,"deletable_org_account":false}]}`, body)

	// The org does not depend on territory management, and takes any
	// version the other calls take.
	seed := DefaultSeed()
	seed.TerritoryFeature = TerritoriesDisabled
	seed.Org = Org{CompanyName: "Zylker", Edition: "free"}
	off := newServer(t, WithSeed(seed), WithContractCheck(checker(t)))
	status, body = get(t, orgURL(off, "v2.1"), off.AccessToken())
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"company_name":"Zylker"`)
	assert.Contains(t, body, `"license_details":{"paid":false,"paid_type":"free",`)
	for _, s := range []*Server{srv, off} {
		assert.Empty(t, s.Violations())
		assert.Empty(t, s.RequestViolations())
	}
}

// TestOrgRefusals: GET org is refused as the other calls are: a version the
// server does not serve, another method, no token, a token without an org
// scope, a caller without permission.
func TestOrgRefusals(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	seed := DefaultSeed()
	seed.CallerWithoutPermission = true
	denied := newServer(t, WithSeed(seed), WithContractCheck(checker(t)))
	tests := []struct {
		name, method, url, token string
		status                   int
		body                     string
	}{
		{"v1", http.MethodGet, orgURL(srv, "v1"), srv.AccessToken(), http.StatusBadRequest,
			topError("API_NOT_SUPPORTED", msgAPINotSupported, `{"supported_version":"v8"}`)},
		{"DELETE", http.MethodDelete, orgURL(srv, "v8"), srv.AccessToken(), http.StatusBadRequest, topError("INVALID_REQUEST_METHOD", msgRequestMethod, "")},
		{"no token", http.MethodGet, orgURL(srv, "v8"), "", http.StatusUnauthorized, topError("AUTHENTICATION_FAILURE", msgAuthFailure, "")},
		{"users scope only", http.MethodGet, orgURL(srv, "v8"), srv.IssueToken(ScopeUsersAll, ScopeTerritoriesAll), http.StatusUnauthorized,
			topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, "")},
		{"no permission", http.MethodGet, orgURL(denied, "v8"), denied.AccessToken(), http.StatusForbidden, topError("NO_PERMISSION", msgPermissionDenied, "")},
		{"a path below org", http.MethodGet, srv.URL() + "/crm/v8/org/photo", srv.AccessToken(), http.StatusNotFound, topError("INVALID_URL_PATTERN", msgURLPattern, "")},
	}
	for _, tt := range tests {
		status, body := call(t, tt.method, tt.url, tt.token)
		assert.Equal(t, tt.status, status, tt.name)
		assert.JSONEq(t, tt.body, body, tt.name)
	}
	for _, scope := range []string{ScopeOrgRead, strings.Replace(ScopeOrgAll, "ALL", "All", 1)} {
		status, _ := get(t, orgURL(srv, "v8"), srv.IssueToken(scope))
		assert.Equal(t, http.StatusOK, status, scope)
	}
	assert.Empty(t, srv.Violations())
	assert.Empty(t, denied.Violations())
}

// TestOrgSeedErrors: a seed's org is checked like the rest of it.
func TestOrgSeedErrors(t *testing.T) {
	t.Parallel()
	s := DefaultSeed()
	s.Org = Org{ID: "org1", PrimaryEmail: "nobody", Type: "staging", Edition: "gold", ZGID: "z1", CompanyName: strings.Repeat("x", 101)}
	err := s.Validate()
	require.Error(t, err)
	for _, want := range []string{
		`seed: org.id: "org1" is not a record id`,
		`seed: org.primary_email: "nobody" is not an e-mail address`,
		`seed: org.type: "staging" is not one of [production sandbox developer bigin]`,
		`seed: org.edition: "gold" is not one of`,
		`seed: org.zgid: "z1" is not a string of 1 to 19 digits`,
		`seed: org.company_name: 101 characters, more than Zoho's 100`,
	} {
		assert.Contains(t, err.Error(), want)
	}
}
