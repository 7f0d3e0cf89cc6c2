package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestNoSecretInOutput runs the command on its success and error paths with
// known credentials in the environment and checks that none of them shows
// on stdout or stderr; auth token's grant codes and the refresh tokens it
// writes included, on a terminal and not. (`sandbox serve` is left out: it prints the
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
	// checked keeps the output of the runs whose secrets are known only
	// afterwards (the refresh tokens auth token writes).
	type output struct{ name, stdout, stderr string }
	var checked []output
	checkRun := func(name string, c cli, args ...string) {
		t.Helper()
		out := c.run(t, args...)
		checked = append(checked, output{name, out.stdout, out.stderr})
		for stream, text := range map[string]string{"stdout": out.stdout, "stderr": out.stderr} {
			if leaks := zohoterritorytest.FindSecrets(text, secrets...); len(leaks) > 0 {
				t.Errorf("%s: %s shows the %s", name, stream, strings.Join(leaks, ", "))
			}
		}
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

	// auth status, every way to authenticate, on a terminal and not.
	for _, e := range []struct {
		name string
		env  map[string]string
	}{
		{"static token", static}, {"refresh flow", refreshEnv}, {"no scope", with(static, "ZOHO_ACCESS_TOKEN", weak)},
		{"wrong client secret", with(refreshEnv, "ZOHO_CLIENT_SECRET", wrongSecret)},
		{"revoked refresh token", with(refreshEnv, "ZOHO_REFRESH_TOKEN", wrongRT)},
		{"both credentials", with(static, "ZOHO_CLIENT_SECRET", clientSecret, "ZOHO_REFRESH_TOKEN", refresh)},
	} {
		check(run{"auth status " + e.name, e.env, []string{"auth", "status", "-o", "json"}}, "")
		check(run{"auth status -v " + e.name, e.env, []string{"-v", "auth", "status", "-o", "table"}}, "")
		checkRun("auth status on a terminal "+e.name, cli{env: e.env, inTTY: true, outTTY: true, errTTY: true}, "auth", "status")
	}

	// auth token: the grant codes, and the refresh tokens they give, are
	// secrets too. Standard output carries the variables only when it is
	// not a terminal and no --env-file is given, which is its job.
	self := map[string]string{"ZOHO_ACCOUNTS_URL": srv.URL(), "ZOHO_CLIENT_ID": clientID, "ZOHO_CLIENT_SECRET": clientSecret}
	dir := t.TempDir()
	var files []string
	for i, r := range []struct {
		name string
		run  cli
		args []string
	}{
		{"to a file", cli{env: self, outTTY: true, errTTY: true}, []string{"--env-file", "a.env"}},
		{"to a file, -v", cli{env: self}, []string{"-v", "--env-file", "b.env"}},
		{"the secret typed", cli{env: with(self, "ZOHO_CLIENT_SECRET", ""), inTTY: true, outTTY: true, errTTY: true,
			readPassword: func() ([]byte, error) { return []byte(clientSecret), nil }}, []string{"--env-file", "c.env"}},
		{"a terminal without --env-file", cli{env: self, inTTY: true, outTTY: true, errTTY: true}, nil},
		{"a wrong secret", cli{env: with(self, "ZOHO_CLIENT_SECRET", wrongSecret), outTTY: true}, []string{"--env-file", "d.env"}},
		{"a wrong secret typed", cli{env: with(self, "ZOHO_CLIENT_SECRET", ""), inTTY: true, outTTY: true,
			readPassword: func() ([]byte, error) { return []byte(wrongSecret), nil }}, []string{"--env-file", "e.env"}},
		{"an unknown client", cli{env: with(self, "ZOHO_CLIENT_ID", "1000.NOSUCH"), outTTY: true}, []string{"--env-file", "f.env"}},
		{"the accounts server down", cli{env: with(self, "ZOHO_ACCOUNTS_URL", "http://127.0.0.1:1"), outTTY: true}, []string{"--env-file", "g.env"}},
	} {
		code := srv.IssueGrantCode(zohoterritorytest.AllScopes()...)
		secrets = append(secrets, zohoterritorytest.Secret{Name: fmt.Sprintf("grant code %d", i), Value: code})
		args := append([]string{"auth", "token", "--code", code}, r.args...)
		for j, a := range args {
			if strings.HasSuffix(a, ".env") {
				args[j] = filepath.Join(dir, a)
				files = append(files, args[j])
			}
		}
		checkRun("auth token "+r.name, r.run, args...)
		if r.name == "to a file" {
			// The same code again: refused.
			checkRun("auth token, the code again", cli{env: self, outTTY: true}, "auth", "token", "--code", code, "--env-file", filepath.Join(dir, "again.env"))
		}
	}
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil {
			for _, l := range strings.Split(string(b), "\n") {
				if v, ok := strings.CutPrefix(l, "export ZOHO_REFRESH_TOKEN="); ok {
					secrets = append(secrets, zohoterritorytest.Secret{Name: "refresh token of " + filepath.Base(f), Value: strings.Trim(v, "'")})
				}
			}
		}
	}
	require.Len(t, secrets, 6+8+3, "three files were written, with a refresh token each")
	for _, r := range checked {
		for stream, text := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
			if leaks := zohoterritorytest.FindSecrets(text, secrets...); len(leaks) > 0 {
				t.Errorf("%s: %s shows the %s", r.name, stream, strings.Join(leaks, ", "))
			}
		}
	}
	out := runCLI(t, self, "", "auth", "token", "--code", srv.IssueGrantCode(zohoterritorytest.AllScopes()...))
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "export ZOHO_CLIENT_SECRET='"+clientSecret+"'", "to a pipe, the variables are the output")
	assert.Empty(t, zohoterritorytest.FindSecrets(out.stderr, secrets...))

	// An expired token: the static one fails, the refresh flow refreshes.
	require.NoError(t, srv.SetFaults())
	srv.ExpireAccessTokens()
	check(run{"expired token", static, append([]string{"remove-territories", "--user", dev, westCoast}, fast...)}, "")
	check(run{"refresh after expiry", refreshEnv, append([]string{"remove-territories", "--user", dev, westCoast}, fast...)}, "")
}
