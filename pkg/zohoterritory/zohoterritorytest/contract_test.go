package zohoterritorytest

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
)

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
		msgNotAllowedToAdd, msgMandatoryNotFound, msgFeatureNotEnabled, msgFeatureDisabled, msgAPINotSupported,
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
