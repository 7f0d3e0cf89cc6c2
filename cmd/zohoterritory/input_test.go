package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIDsFromStdin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"one per line", chloe + "\n" + dev + "\n\n", nil},
		{"comma-separated with dash", chloe + "," + dev + "\r\n", []string{"-"}},
		{"mixed with spaces", " " + chloe + " ,\n" + dev, nil},
		{"quoted CSV", `"` + chloe + `","` + dev + `"` + "\n", nil},
		{"CSV column with a header", "id\n\"" + chloe + "\"\n" + dev + "\n", nil},
		{"no final newline", chloe + "\n" + dev, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, env := sandbox(t)
			args := append([]string{"remove-users", "--territory", northAmerica}, tt.args...)
			out := runCLI(t, env, tt.stdin, args...)
			require.Equal(t, 0, out.code, out.stderr)
			assert.Equal(t, []string{chloe, dev}, decode(t, out.stdout).Removed)
			assert.Equal(t, []string{ben}, srv.Members(northAmerica))
		})
	}
}

// TestLongLineOnStdin: a line of any length is read (a few MB of
// comma-separated ids on one line), and its bad id is named by line.
func TestLongLineOnStdin(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	long := strings.Repeat(dev+",", 200000) // 4 MB on one line
	out := runCLI(t, env, long+"\n"+chloe+"\n", "remove-users", "-t", northAmerica)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, []string{dev, chloe}, decode(t, out.stdout).Removed, "repeats are dropped")

	out = runCLI(t, env, chloe+"\n"+long+"x1\n", "remove-users", "-t", northAmerica)
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: standard input, line 2: \"x1\": must be a user id (decimal digits) or an e-mail address\n", out.stderr)
	assert.Equal(t, []string{ben}, srv.Members(northAmerica))
}

// TestInputAndConfigErrorsExit1AndSendNothing: every bad input or setting
// is named once (the flag or variable, the value, the rule), exits 1 and
// sends nothing.
func TestInputAndConfigErrorsExit1AndSendNothing(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	oc := srv.OAuthClient()
	refresh := map[string]string{"ZOHO_API_DOMAIN": srv.URL(), "ZOHO_CLIENT_ID": oc.ClientID, "ZOHO_CLIENT_SECRET": oc.ClientSecret, "ZOHO_REFRESH_TOKEN": oc.RefreshToken}
	tests := []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		want  string // stderr, whole
	}{
		{"bad id argument", env, "", []string{"remove-users", "-t", northAmerica, chloe, "abc"},
			`argument 2 "abc": must be a user id (decimal digits) or an e-mail address`},
		{"bad id on stdin", env, chloe + "\n\n 12x\n", []string{"remove-users", "-t", northAmerica},
			`standard input, line 3: "12x": must be a user id (decimal digits) or an e-mail address`},
		{"bare quote on stdin", env, chloe + "\n1\"2\n", []string{"remove-users", "-t", northAmerica},
			`standard input, line 2: bare " in non-quoted-field`},
		{"too long id", env, "", []string{"remove-users", "-t", northAmerica, strings.Repeat("9", 20)},
			`argument 1 "99999999999999999999": an id must have at most 19 digits`},
		{"bad owner", env, "", []string{"remove-territories", "--user", "north", dev}, `--user "north": must be a user id (decimal digits) or an e-mail address`},
		{"no owner", env, "", []string{"remove-users", dev}, "--territory is required"},
		{"empty stdin", env, "", []string{"remove-territories", "-u", dev}, "no ids given: standard input holds none"},
		{"dash among ids", env, "", []string{"remove-users", "-t", northAmerica, dev, "-"}, `argument 2: "-" (read ids from standard input) must be the only id argument`},
		{"bad --except", env, "", []string{"remove-users", "-t", northAmerica, "--all", "--except", "x"}, `--except "x": must be a user id (decimal digits) or an e-mail address`},
		{"except without all", env, "", []string{"remove-users", "-t", northAmerica, "--except", dev, chloe}, "--except needs --all"},
		{"all and ids", env, "", []string{"remove-users", "-t", northAmerica, "--all", dev}, "--all lists the ids itself: give either --all or ids, not both"},
		{"bad output", env, "", []string{"remove-users", "-t", northAmerica, "-o", "yaml", dev}, `--output "yaml": want table, json or csv`},
		{"concurrency -1", env, "", []string{"remove-users", "-t", northAmerica, "--concurrency", "-1", dev}, "--concurrency -1: must be at least 1 (or 0: find Zoho's limit)"},
		{"concurrency cap 0", env, "", []string{"remove-users", "-t", northAmerica, "--concurrency-cap", "0", dev}, "--concurrency-cap 0: must be at least 1"},
		{"concurrency and cap", env, "", []string{"remove-users", "-t", northAmerica, "--concurrency", "3", "--concurrency-cap", "10", dev}, "--concurrency-cap 10: a fixed limit (--concurrency) leaves nothing to bound: give one of them"},
		{"max attempts 0", env, "", []string{"remove-users", "-t", northAmerica, "--max-attempts", "0", dev}, "--max-attempts 0: must be at least 1"},
		{"bad ZOHO_DC", with(env, "ZOHO_DC", "mars"), "", []string{"remove-users", "-t", northAmerica, dev},
			`ZOHO_DC "mars": unknown data centre: want one of US, EU, IN, AU, CN, JP, CA, SA, UK`},
		{"bad --dc", with(env, "ZOHO_DC", "EU"), "", []string{"remove-users", "--dc", "mars", "-t", northAmerica, dev},
			`--dc "mars": unknown data centre: want one of US, EU, IN, AU, CN, JP, CA, SA, UK`},
		{"bad ZOHO_API_VERSION", with(env, "ZOHO_API_VERSION", "v1"), "", []string{"list-users", "-t", northAmerica},
			`ZOHO_API_VERSION "v1": unsupported version: want one of v2, v2.1, v3, v4, v5, v6, v7, v8`},
		{"API domain with the API path", with(env, "ZOHO_API_DOMAIN", "https://www.zohoapis.eu/crm/v7"), "", []string{"remove-users", "-t", northAmerica, dev},
			`ZOHO_API_DOMAIN "https://www.zohoapis.eu/crm/v7": the path holds the API's own /crm/ part, which the client adds: give the domain alone, such as https://www.zohoapis.eu`},
		{"API domain with a query", env, "", []string{"remove-users", "--api-domain", "https://www.zohoapis.eu/?x=1", "-t", northAmerica, dev},
			`--api-domain "https://www.zohoapis.eu/?…": must not have a query or a fragment: give the URL alone, such as https://www.zohoapis.eu`},
		{"plain http", env, "", []string{"remove-users", "--api-domain", "http://zohoapis.example", "-t", northAmerica, dev},
			`--api-domain "http://zohoapis.example": plain http is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use https`},
		{"no credentials", with(env, "ZOHO_ACCESS_TOKEN", ""), "", []string{"remove-users", "-t", northAmerica, dev},
			"credentials: set ZOHO_ACCESS_TOKEN (a token from Zoho's self client, say), or ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN"},
		{"both credential sets", with(refresh, "ZOHO_ACCESS_TOKEN", "1000.x"), "", []string{"remove-users", "-t", northAmerica, dev},
			"credentials: both ZOHO_ACCESS_TOKEN and the refresh-token flow's variables are set; unset ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN"},
		{"half a refresh flow", with(refresh, "ZOHO_CLIENT_SECRET", ""), "", []string{"remove-users", "-t", northAmerica, dev},
			"credentials: the refresh-token flow also needs ZOHO_CLIENT_SECRET"},
		{"accounts URL with a token", env, "", []string{"remove-users", "--accounts-url", srv.URL(), "-t", northAmerica, dev},
			"--accounts-url: only the refresh-token flow uses an accounts server"},
		{"unknown flag", env, "", []string{"remove-users", "--territroy", northAmerica, dev}, "unknown flag: --territroy"},
		{"list with an argument", env, "", []string{"list-users", "-t", northAmerica, dev}, `unknown command "` + dev + `" for "zohoterritory list-users"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runCLI(t, tt.env, tt.stdin, tt.args...)
			assert.Equal(t, 1, out.code)
			assert.Equal(t, "zohoterritory: "+tt.want+"\n", out.stderr, "one line, prefixed once")
			assert.Empty(t, out.stdout)
		})
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
}

// TestFlagsOverrideEnvironment: each connection flag works on its own and
// wins over its environment variable.
func TestFlagsOverrideEnvironment(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	oc := srv.OAuthClient()

	// --api-domain and --api-version instead of the environment.
	out := runCLI(t, with(env, "ZOHO_API_DOMAIN", "https://www.zohoapis.eu", "ZOHO_API_VERSION", "v9"), "",
		"remove-users", "--api-domain", srv.URL(), "--api-version", "v2.1", "--territory", northAmerica, chloe)
	require.Equal(t, 0, out.code, out.stderr)
	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/crm/v2.1/settings/territories/"+northAmerica+"/users/"+chloe, reqs[0].Path)

	// --accounts-url for the refresh-token flow; the token reply's
	// api_domain then names the sandbox.
	refresh := map[string]string{"ZOHO_ACCOUNTS_URL": "https://accounts.zoho.eu",
		"ZOHO_CLIENT_ID": oc.ClientID, "ZOHO_CLIENT_SECRET": oc.ClientSecret, "ZOHO_REFRESH_TOKEN": oc.RefreshToken}
	out = runCLI(t, refresh, "", "remove-territories", "--accounts-url", srv.URL(), "--user", chloe, westCoast)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, []string{westCoast}, decode(t, out.stdout).Removed)
	assert.Equal(t, 1, srv.RefreshCount())

	// --dc decides the API domain when nothing else does: a dry run, which
	// needs no credentials, shows it.
	out = runCLI(t, nil, "", "remove-territories", "--dc", "au", "--dry-run", "--user", dev, westCoast)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "https://www.zohoapis.com.au/crm/v7/Users/"+dev+"/territories/"+westCoast)
	out = runCLI(t, map[string]string{"ZOHO_DC": "JP"}, "", "remove-territories", "--dry-run", "--user", dev, westCoast)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "https://www.zohoapis.jp/crm/v7/")
}
