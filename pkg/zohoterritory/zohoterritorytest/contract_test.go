package zohoterritorytest

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/api"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
)

// TestOwnContract sends a varied mix of requests, right and wrong, to a
// server that checks itself: none of its responses may break the spec.
func TestOwnContract(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	tok := srv.AccessToken()
	weak := srv.IssueToken(ScopeUsersAll)

	valid := []struct {
		method, url, token string
	}{
		{"DELETE", usersURL(srv, "v8", na, dev, ""), tok},                                                    // 200
		{"DELETE", usersURL(srv, "v2.1", eu, "", "ids="+chloe+"%2C"+eve+"&"), tok},                           // 207
		{"DELETE", usersURL(srv, "v3", west, "", "ids="+chloe+","+eve), tok},                                 // 400 envelope
		{"DELETE", usersURL(srv, "v4", unknownID, ben, ""), tok},                                             // 400 error object
		{"DELETE", usersURL(srv, "v5", na, unknownID, ""), tok},                                              // 400 envelope
		{"DELETE", territoriesURL(srv, "v6", "Users", chloe, "", "ids="+eu+","+org+","+west), tok},           // 207
		{"DELETE", territoriesURL(srv, "v7", "users", ben, na, ""), tok},                                     // 400 envelope
		{"DELETE", territoriesURL(srv, "v8", "users", chloe, na, ""), tok},                                   // 200
		{"DELETE", territoriesURL(srv, "v8", "Users", dev, "", "ids="+strings.Join(manyIDs(101), ",")), tok}, // >100 ids: the schema cannot count them
		{"DELETE", territoriesURL(srv, "v8", "Users", finn, eu, ""), tok},                                    // owner_status
		{"DELETE", territoriesURL(srv, "v8", "Users", gus, eu, ""), tok},                                     // owner_status
		{"DELETE", territoriesURL(srv, "v8", "Users", ava, org, ""), tok},                                    // NOT_ALLOWED
		{"DELETE", territoriesURL(srv, "v8", "Users", unknownID, org, ""), tok},                              // invalid user
		{"DELETE", territoriesURL(srv, "v8", "Users", dev, unknownID, ""), tok},                              // invalid territories
		{"DELETE", usersURL(srv, "v8", na, "", "ids="+strings.Join(shortIDs(100), ",")), tok},                // 100 items
		{"DELETE", usersURL(srv, "v8", na, dev, ""), "1000.unknown"},                                         // INVALID_TOKEN
		{"DELETE", territoriesURL(srv, "v8", "Users", dev, west, ""), weak},                                  // OAUTH_SCOPE_MISMATCH
	}
	for _, c := range valid {
		call(t, c.method, c.url, c.token)
	}
	assert.Empty(t, srv.RequestViolations(), "requests the spec allows")

	wrong := []struct {
		method, url, token string
	}{
		{"DELETE", usersURL(srv, "v8", na, dev, ""), ""},                                    // no token
		{"POST", usersURL(srv, "v8", na, dev, ""), tok},                                     // wrong method
		{"POST", territoriesURL(srv, "v8", "users", dev, "", "ids="+west), tok},             // wrong method
		{"DELETE", srv.URL() + "/crm/v8/settings/territories", tok},                         // unknown URL
		{"DELETE", srv.URL() + "/nowhere", tok},                                             // unknown URL
		{"DELETE", usersURL(srv, "v1", na, dev, ""), tok},                                   // version
		{"DELETE", territoriesURL(srv, "v9", "users", dev, "", "ids="+west), tok},           // version
		{"DELETE", usersURL(srv, "v8", na, "", ""), tok},                                    // no ids
		{"DELETE", usersURL(srv, "v8", na, "", "ids="), tok},                                // empty ids
		{"DELETE", usersURL(srv, "v8", na, "", "ids=abc,"+dev), tok},                        // non-numeric
		{"DELETE", usersURL(srv, "v8", "north", "abc", ""), tok},                            // non-numeric
		{"DELETE", territoriesURL(srv, "v8", "users", "dev", "west", ""), tok},              // non-numeric
		{"DELETE", usersURL(srv, "v8", na, strings.Repeat("9", 20), ""), tok},               // 20 digits
		{"DELETE", usersURL(srv, "v8", na, "", "ids="+strings.Join(longIDs(26), ",")), tok}, // 519 characters
		{"DELETE", territoriesURL(srv, "v8", "Users", dev, "", "ids="+west+","), tok},       // trailing comma
	}
	for _, c := range wrong {
		call(t, c.method, c.url, c.token)
	}

	assert.Empty(t, srv.Violations(), "the sandbox's responses must obey api/openapi.yaml")
	got := srv.RequestViolations()
	assert.Len(t, got, len(wrong), "each wrong request is recorded:\n%s", strings.Join(got, "\n"))
	for _, v := range got {
		assert.Regexp(t, `^(GET|POST|DELETE) /\S*: .+: kin-openapi: .+; libopenapi-validator: .+$`, v)
	}
	assert.Len(t, srv.Requests(), len(valid)+len(wrong))
}

// TestViolationsCatchBadResponses makes sure the self-check can fail: under
// a mutated spec whose all-failed answer must be application/problem+json,
// the server's 400 envelope is a violation and its 200 is not.
func TestViolationsCatchBadResponses(t *testing.T) {
	t.Parallel()
	orig := string(api.OpenAPI())
	i := strings.Index(orig, "\n    UsersNotRemoved:\n")
	require.Positive(t, i, "the spec changed shape; update this test")
	spec := orig[:i] + strings.Replace(orig[i:], "application/json:", "application/problem+json:", 1)
	v, err := contract.NewFromBytes([]byte(spec))
	require.NoError(t, err)

	srv := newServer(t, WithContractCheck(v))

	call(t, http.MethodDelete, usersURL(srv, "v8", na, eve, ""), srv.AccessToken())
	call(t, http.MethodDelete, usersURL(srv, "v8", na, dev, ""), srv.AccessToken())
	got := srv.Violations()
	require.Len(t, got, 1, "only the 400 breaks the mutated spec: %q", got)
	assert.True(t, strings.HasPrefix(got[0], "DELETE /crm/v8/settings/territories/"+na+"/users/"+eve+" -> 400: removeUserFromTerritory: kin-openapi: "), got[0])
	assert.NotContains(t, got[0], "kin-openapi: pass")
	assert.NotContains(t, got[0], "libopenapi-validator: pass")
	assert.Empty(t, srv.RequestViolations())
}

// TestMessagesMatchSpec keeps the server's messages word for word equal to
// api/openapi.yaml's examples.
func TestMessagesMatchSpec(t *testing.T) {
	t.Parallel()
	examples, err := testkit.Examples()
	require.NoError(t, err)
	var inSpec []string
	for _, ex := range examples {
		inSpec = append(inSpec, testkit.Strings(ex.Value, "message")...)
	}
	require.NotEmpty(t, inSpec)
	for _, m := range []string{
		msgUserRemoved, msgTerritoryRemoved, msgInvalidTerritoryID, msgInvalidRelatedID, msgUserIsManager,
		msgUserNotAMember, msgInvalidUserID, msgUserDeleted, msgNotAllowed, msgInvalidTerritories, msgOrgTerritory,
		msgNotLinked, msgTerritoryManager, msgRequestMethod, msgParamMissing, msgTooManyIDs, msgScopeMismatch,
		msgAuthFailure, msgInvalidToken, msgURLPattern, msgTooManyRequests, msgInternalError, msgInvalidUserOrTerritory,
		msgUserAdded, msgTerritoryAdded, msgUserExists, msgTerritoryExists, msgTerritoryUserLimit, msgAddDeletedUser,
		msgNotAllowedToAdd, msgMandatoryNotFound, msgFeatureNotEnabled, msgFeatureDisabled,
	} {
		assert.True(t, slices.Contains(inSpec, m), "message %q is not among the spec's examples", m)
	}
}

// TestTokenEndpointIsNotContractChecked: the token endpoint is outside the
// spec, so its traffic is neither a request nor a response violation.
func TestTokenEndpointIsNotContractChecked(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	c := srv.OAuthClient()
	status, _ := postToken(t, srv, url.Values{"grant_type": {"refresh_token"}, "client_id": {c.ClientID},
		"client_secret": {c.ClientSecret}, "refresh_token": {c.RefreshToken}})
	assert.Equal(t, http.StatusOK, status)
	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())
}
