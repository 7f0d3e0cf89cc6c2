package zohoterritory_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestOrg reads the organization from the sandbox, seeded and by default,
// with its contract check on.
func TestOrg(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.DefaultSeed()
	seed.Org = zohoterritorytest.Org{ID: "5725767000000020005", CompanyName: "Zylker", TimeZone: "Europe/Berlin",
		Currency: "Euro - EUR", ISOCode: "EUR", CurrencySymbol: "€", Type: "sandbox", Edition: "ultimate", ZGID: "808232144"}
	for _, tt := range []struct {
		name string
		opts []zohoterritorytest.Option
		want zohoterritory.Org
	}{
		{"default", nil, zohoterritory.Org{ID: "5725767000000020005", CompanyName: "Acme Org", PrimaryEmail: "ava@acme.com",
			TimeZone: "America/Los_Angeles", Currency: "US Dollar - USD", ISOCode: "USD", Type: "production", Edition: "enterprise", ZGID: "800020005"}},
		{"seeded", []zohoterritorytest.Option{zohoterritorytest.WithSeed(seed)}, zohoterritory.Org{ID: "5725767000000020005", CompanyName: "Zylker",
			PrimaryEmail: "ava@acme.com", TimeZone: "Europe/Berlin", Currency: "Euro - EUR", ISOCode: "EUR", Type: "sandbox", Edition: "ultimate", ZGID: "808232144"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, err := zohoterritorytest.NewServer(append(tt.opts, zohoterritorytest.WithContractCheck(validator(t)))...)
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			c, err := srv.Client()
			require.NoError(t, err)
			got, err := c.Org(t.Context())
			require.NoError(t, err)
			assert.NotEmpty(t, got.Raw)
			got.Raw = nil
			assert.Equal(t, tt.want, got)
			assert.Empty(t, srv.Violations())
			assert.Empty(t, srv.RequestViolations())
		})
	}
}

// TestOrgErrors: a token without the org scope is Zoho's
// OAUTH_SCOPE_MISMATCH, an *APIError naming getOrganization.
func TestOrgErrors(t *testing.T) {
	t.Parallel()
	srv, err := zohoterritorytest.NewServer()
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := zohoterritory.New(zohoterritory.WithAPIDomain(srv.URL()),
		zohoterritory.WithAccessToken(srv.IssueToken(zohoterritorytest.ScopeUsersAll, zohoterritorytest.ScopeTerritoriesAll)))
	require.NoError(t, err)
	_, err = c.Org(t.Context())
	require.ErrorIs(t, err, zohoterritory.ErrOAuthScopeMismatch)
	var apiErr *zohoterritory.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "getOrganization", apiErr.Operation)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)

}
