package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestNoSecretInOutput runs the command on its success and error paths with
// known credentials in the environment and checks that none of them shows
// on stdout or stderr. (`sandbox serve` is left out: it prints the
// sandbox's own made-up credentials on purpose.)
func TestNoSecretInOutput(t *testing.T) {
	t.Parallel()
	const (
		access, weak           = "1000.cli-access-6e4a2c08.f1", "1000.cli-weak-9b7d5f31.a2"
		clientID, clientSecret = "1000.CLIPUBLICID", "cli-client-secret-3c5e7a9b"
		refresh                = "1000.cli-refresh-2d4f6b8a.c3"
		wrongSecret, wrongRT   = "cli-wrong-secret-8f8f", "1000.cli-wrong-refresh-1e1e"
	)
	secrets := []zohoterritorytest.Secret{
		{Name: "access token", Value: access}, {Name: "scope-less token", Value: weak},
		{Name: "client secret", Value: clientSecret}, {Name: "refresh token", Value: refresh},
		{Name: "wrong client secret", Value: wrongSecret}, {Name: "wrong refresh token", Value: wrongRT},
	}
	seed := zohoterritorytest.DefaultSeed()
	seed.AccessTokens = []zohoterritorytest.Token{{AccessToken: access, Scopes: zohoterritorytest.AllScopes()}, {AccessToken: weak}}
	seed.OAuthClients = []zohoterritorytest.OAuthClient{{ClientID: clientID, ClientSecret: clientSecret, RefreshToken: refresh, Scopes: zohoterritorytest.AllScopes()}}
	srv, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	static := with(env, "ZOHO_ACCESS_TOKEN", access)
	refreshEnv := with(env, "ZOHO_ACCESS_TOKEN", "", "ZOHO_API_DOMAIN", "", "ZOHO_ACCOUNTS_URL", srv.URL(),
		"ZOHO_CLIENT_ID", clientID, "ZOHO_CLIENT_SECRET", clientSecret, "ZOHO_REFRESH_TOKEN", refresh)
	fast := []string{"--max-attempts", "2", "--max-delay", "2ms", "--attempt-timeout", "300ms"}

	type run struct {
		name string
		env  map[string]string
		args []string
	}
	var runs []run
	for _, out := range []string{"json", "table"} {
		for _, e := range []struct {
			name string
			env  map[string]string
		}{
			{"static token", static},
			{"refresh flow", refreshEnv},
			{"no scope", with(static, "ZOHO_ACCESS_TOKEN", weak)},
			{"wrong client secret", with(refreshEnv, "ZOHO_CLIENT_SECRET", wrongSecret)},
			{"revoked refresh token", with(refreshEnv, "ZOHO_REFRESH_TOKEN", wrongRT)},
		} {
			runs = append(runs,
				run{e.name + " remove-users " + out, e.env, append([]string{"remove-users", "--output", out, "--territory", northAmerica, chloe, ben, "999"}, fast...)},
				run{e.name + " remove-territories " + out, e.env, append([]string{"remove-territories", "--output", out, "--user", chloe, europe, acme}, fast...)},
				run{e.name + " not allowed " + out, e.env, append([]string{"remove-territories", "--output", out, "--user", ava, europe}, fast...)},
				run{e.name + " dry run " + out, e.env, []string{"remove-users", "--dry-run", "--output", out, "--territory", northAmerica, dev}},
			)
		}
	}
	runs = append(runs,
		run{"both credentials", with(static, "ZOHO_CLIENT_SECRET", clientSecret, "ZOHO_REFRESH_TOKEN", refresh), []string{"remove-users", "--territory", northAmerica, dev}},
		run{"half a refresh flow", with(refreshEnv, "ZOHO_CLIENT_ID", ""), []string{"remove-users", "--territory", northAmerica, dev}},
		run{"password in the API domain", with(static, "ZOHO_API_DOMAIN", "https://u:"+clientSecret+"@www.zohoapis.com"), []string{"remove-users", "--territory", northAmerica, dev}},
		run{"token in --api-domain", static, []string{"remove-users", "--api-domain", "https://www.zohoapis.com/?access_token=" + access, "--territory", northAmerica, dev}},
		run{"token in the accounts URL", with(refreshEnv, "ZOHO_ACCOUNTS_URL", "https://accounts.zoho.com/?refresh_token="+refresh), []string{"remove-users", "--territory", northAmerica, dev}},
		run{"bad flag", static, []string{"remove-users", "--territory", northAmerica, "--concurrency", "x", dev}},
		run{"help", static, []string{"help"}},
		run{"verbose", static, append([]string{"-v", "remove-users", "--territory", northAmerica, dev}, fast...)},
		run{"verbose refresh", refreshEnv, append([]string{"remove-users", "--verbose", "--territory", northAmerica, chloe}, fast...)},
	)
	check := func(r run, stdin string) {
		t.Helper()
		out := runCLI(t, r.env, stdin, r.args...)
		for stream, text := range map[string]string{"stdout": out.stdout, "stderr": out.stderr} {
			if leaks := zohoterritorytest.FindSecrets(text, secrets...); len(leaks) > 0 {
				t.Errorf("%s: %s shows the %s", r.name, stream, strings.Join(leaks, ", "))
			}
		}
	}
	for _, r := range runs {
		check(r, "")
	}

	// Every fault, with each way to authenticate.
	var faults []zohoterritorytest.Fault
	for _, k := range zohoterritorytest.FaultKinds() {
		if k == zohoterritorytest.FaultHang || k == zohoterritorytest.FaultStall {
			continue // they only wait for the client to give up
		}
		f := zohoterritorytest.Fault{Kind: k, Count: 2}
		if k == zohoterritorytest.FaultLatency || k == zohoterritorytest.FaultSlowBody {
			f.Delay = time.Second
		}
		faults = append(faults, f)
	}
	ids := strings.Join([]string{chloe, dev, ben}, "\n")
	for _, e := range []map[string]string{static, refreshEnv} {
		require.NoError(t, srv.SetFaults(faults...))
		for range 8 {
			check(run{"faults", e, append([]string{"remove-users", "--territory", northAmerica, "--output", "table"}, fast...)}, ids)
		}
	}

	struck := map[zohoterritorytest.FaultKind]bool{}
	for _, r := range srv.Requests() {
		struck[r.Fault] = true
	}
	for _, f := range faults {
		if f.Kind != zohoterritorytest.FaultLatency {
			assert.True(t, struck[f.Kind], "fault %s struck", f.Kind)
		}
	}

	// An expired token: the static one fails, the refresh flow refreshes.
	require.NoError(t, srv.SetFaults())
	srv.ExpireAccessTokens()
	check(run{"expired token", static, append([]string{"remove-territories", "--user", dev, westCoast}, fast...)}, "")
	check(run{"refresh after expiry", refreshEnv, append([]string{"remove-territories", "--user", dev, westCoast}, fast...)}, "")
}
