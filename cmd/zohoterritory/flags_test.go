package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFlagsOverrideEnvironment: each connection flag works on its own and
// wins over its environment variable.
func TestFlagsOverrideEnvironment(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	oc := srv.OAuthClient()

	// --api-domain and --api-version instead of the environment.
	out := runBinary(t, with(env, "ZOHO_API_DOMAIN", "https://www.zohoapis.eu", "ZOHO_API_VERSION", "v9"), "",
		"remove-users", "--api-domain", srv.URL(), "--api-version", "v2.1", "--territory", northAmerica, chloe)
	require.Equal(t, 0, out.code, out.stderr)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/crm/v2.1/settings/territories/"+northAmerica+"/users/"+chloe, reqs[0].Path)

	// --accounts-url for the refresh-token flow; the token reply's
	// api_domain then names the sandbox.
	refresh := map[string]string{"ZOHO_ACCOUNTS_URL": "https://accounts.zoho.eu",
		"ZOHO_CLIENT_ID": oc.ClientID, "ZOHO_CLIENT_SECRET": oc.ClientSecret, "ZOHO_REFRESH_TOKEN": oc.RefreshToken}
	out = runBinary(t, refresh, "", "remove-territories", "--accounts-url", srv.URL(), "--user", dev, westCoast)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, []string{westCoast}, decode(t, out.stdout).Removed)
	assert.Equal(t, 1, srv.RefreshCount())

	// --dc decides the API domain when nothing else does: a dry run shows it.
	out = runBinary(t, nil, "", "remove-territories", "--dc", "au", "--dry-run", "--user", dev, westCoast)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "https://www.zohoapis.com.au/crm/v7/Users/"+dev+"/territories/"+westCoast)
	out = runBinary(t, map[string]string{"ZOHO_DC": "JP"}, "", "remove-territories", "--dry-run", "--user", dev, westCoast)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "https://www.zohoapis.jp/crm/v7/")
}
