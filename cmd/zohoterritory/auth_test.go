package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// selfClient returns the environment of a person who has made the
// sandbox's Self Client: its accounts server, client id and secret, and
// nothing else.
func selfClient(srv *zohoterritorytest.Server) map[string]string {
	oc := srv.OAuthClient()
	return map[string]string{"ZOHO_ACCOUNTS_URL": srv.URL(), "ZOHO_CLIENT_ID": oc.ClientID, "ZOHO_CLIENT_SECRET": oc.ClientSecret}
}

var envLine = regexp.MustCompile(`^export (ZOHO_[A-Z_]+)='([^']*)'$`)

// readEnv reads what auth token wrote: an unset line, then export lines
// with single-quoted values. It returns the exported variables and the
// unset ones.
func readEnv(t *testing.T, text string) (map[string]string, []string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	require.NotEmpty(t, lines)
	unset, ok := strings.CutPrefix(lines[0], "unset ")
	require.True(t, ok, "first line %q", lines[0])
	env := map[string]string{}
	for _, l := range lines[1:] {
		m := envLine.FindStringSubmatch(l)
		require.NotNil(t, m, "line %q", l)
		env[m[1]] = m[2]
	}
	return env, strings.Fields(unset)
}

// TestAuthToken: a grant code becomes an env file of mode 0600 whose
// variables work: auth status and list-territories succeed with them
// alone. The code works once; the refusal is explained and exits 4, and
// leaves no file behind.
func TestAuthToken(t *testing.T) {
	t.Parallel()
	srv, _ := sandbox(t)
	env := selfClient(srv)
	code := srv.IssueGrantCode(zohoterritorytest.AllScopes()...)
	dir := t.TempDir()
	file := filepath.Join(dir, "zoho.env")

	out := cli{env: env, outTTY: true, inTTY: true, errTTY: true}.run(t, "auth", "token", "--code", code, "--env-file", file)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.stdout)
	assert.Equal(t, fmt.Sprintf("zohoterritory: wrote ZOHO_ACCOUNTS_URL, ZOHO_API_DOMAIN, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN "+
		"to %s (mode 0600); accounts server %s, API domain %s, scopes %s; next: . %s && zohoterritory auth status\n",
		file, srv.URL(), srv.URL(), strings.Join(zohoterritorytest.AllScopes(), " "), file), out.stderr)
	fi, err := os.Stat(file)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	b, err := os.ReadFile(file)
	require.NoError(t, err)
	written, unset := readEnv(t, string(b))
	assert.Equal(t, []string{"ZOHO_ACCESS_TOKEN", "ZOHO_DC"}, unset)
	oc := srv.OAuthClient()
	assert.Equal(t, srv.URL(), written["ZOHO_ACCOUNTS_URL"])
	assert.Equal(t, srv.URL(), written["ZOHO_API_DOMAIN"])
	assert.Equal(t, oc.ClientID, written["ZOHO_CLIENT_ID"])
	assert.Equal(t, oc.ClientSecret, written["ZOHO_CLIENT_SECRET"])
	assert.Regexp(t, `^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$`, written["ZOHO_REFRESH_TOKEN"])
	assert.NotEqual(t, oc.RefreshToken, written["ZOHO_REFRESH_TOKEN"], "a new refresh token, from the code")
	assert.Len(t, written, 5)

	// The variables alone are enough for the next commands.
	out = runCLI(t, written, "", "auth", "status", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	var st authStatus
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &st))
	assert.Equal(t, "accepted", st.Token)
	assert.Equal(t, &jsonRefNamed{ID: ava, Name: "Ava Admin", Email: "ava@acme.com"}, st.User)
	assert.Equal(t, "enabled", st.TerritoryManagement)
	out = runCLI(t, written, "", "list-territories", "--user", "dev@acme.com", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, westCoast)

	// The code is spent.
	again := filepath.Join(dir, "again.env")
	out = runCLI(t, env, "", "auth", "token", "--code", code, "--env-file", again)
	assert.Equal(t, 4, out.code)
	assert.Equal(t, "zohoterritory: exchange the grant code at "+srv.URL()+": invalid_code (the grant code is wrong, was used already, "+
		"has expired (a code lives a few minutes: three unless chosen otherwise), or was generated in another data centre than this "+
		"accounts server's: generate a new one in the API console of the org's data centre and exchange it at once)\n", out.stderr)
	assert.Empty(t, out.stdout)
	assert.NoFileExists(t, again, "a failed exchange leaves no file")

	// Without --env-file, the lines go to standard output when it is not a terminal.
	out = runCLI(t, env, "", "auth", "token", "--code", srv.IssueGrantCode(zohoterritorytest.ScopeUsersRead))
	require.Equal(t, 0, out.code, out.stderr)
	piped, _ := readEnv(t, out.stdout)
	assert.Equal(t, oc.ClientSecret, piped["ZOHO_CLIENT_SECRET"])
	assert.NotEqual(t, written["ZOHO_REFRESH_TOKEN"], piped["ZOHO_REFRESH_TOKEN"])
	assert.Regexp(t, `^zohoterritory: wrote ZOHO_ACCOUNTS_URL, ZOHO_API_DOMAIN, ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN to standard output; `+
		`accounts server http://127\.0\.0\.1:\d+, API domain http://127\.0\.0\.1:\d+, scopes ZohoCRM\.users\.READ\n$`, out.stderr)
}

// TestAuthTokenRefusals: what auth token refuses before the code is sent
// (a terminal for standard output, an existing file, a missing client id
// or secret, a bad data centre, a secret given as a flag), and how Zoho's
// refusals of the client are told (exit 4, no file). The code is still
// good afterwards.
func TestAuthTokenRefusals(t *testing.T) {
	t.Parallel()
	srv, _ := sandbox(t)
	env := selfClient(srv)
	code := srv.IssueGrantCode(zohoterritorytest.AllScopes()...)
	dir := t.TempDir()
	existing := filepath.Join(dir, "existing.env")
	require.NoError(t, os.WriteFile(existing, []byte("keep me\n"), 0o600))
	nowhere := filepath.Join(dir, "no", "such", "dir", "zoho.env")

	for _, tt := range []struct {
		name string
		run  cli
		args []string
		code int
		want string
	}{
		{"a terminal for standard output", cli{env: env, outTTY: true}, nil, 1,
			`zohoterritory: refusing to print a refresh token and a client secret to the terminal: give --env-file FILE, or send standard output elsewhere: eval "$(zohoterritory auth token --code ...)", or > FILE` + "\n"},
		{"an existing env file", cli{env: env}, []string{"--env-file", existing}, 1,
			"zohoterritory: --env-file " + existing + ": the file exists and is not overwritten (it may hold the only copy of a refresh token): remove it or give another name\n"},
		{"an env file that cannot be made", cli{env: env}, []string{"--env-file", nowhere}, 1, "no such file or directory"},
		{"no client id", cli{env: with(env, "ZOHO_CLIENT_ID", "")}, nil, 1,
			"zohoterritory: the client id: give --client-id or set ZOHO_CLIENT_ID (the Self Client's Client Secret tab shows it)\n"},
		{"no client secret, piped input", cli{env: with(env, "ZOHO_CLIENT_SECRET", ""), stdin: srv.OAuthClient().ClientSecret + "\n"}, nil, 1,
			"zohoterritory: the client secret: set ZOHO_CLIENT_SECRET, or run on a terminal to be asked for it (it is never read from a flag or from piped input)\n"},
		{"nothing typed", cli{env: with(env, "ZOHO_CLIENT_SECRET", ""), inTTY: true, readPassword: func() ([]byte, error) { return []byte(" \n"), nil }}, nil, 1,
			"the client secret: nothing was typed\n"},
		{"the terminal fails", cli{env: with(env, "ZOHO_CLIENT_SECRET", ""), inTTY: true, readPassword: func() ([]byte, error) { return nil, errors.New("EOF") }}, nil, 1,
			"the client secret: reading the terminal: EOF\n"},
		{"a secret flag", cli{env: env}, []string{"--client-secret", "x"}, 1, "unknown flag: --client-secret"},
		{"a bad data centre", cli{env: with(env, "ZOHO_ACCOUNTS_URL", "")}, []string{"--dc", "MARS"}, 1,
			`zohoterritory: --dc "MARS": unknown data centre: want one of US, EU, IN, AU, CN, JP, CA, SA, UK` + "\n"},
		{"a bad data centre from the environment", cli{env: with(env, "ZOHO_ACCOUNTS_URL", "", "ZOHO_DC", "mars")}, nil, 1, `ZOHO_DC "mars": unknown data centre`},
		{"plain http to another host", cli{env: with(env, "ZOHO_ACCOUNTS_URL", "http://accounts.example.com")}, nil, 1,
			`zohoterritory: ZOHO_ACCOUNTS_URL "http://accounts.example.com": plain http is allowed only for loopback addresses`},
		{"no code", cli{env: env}, []string{"--code", " "}, 1, "--code: empty"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := []string{"auth", "token"}
			if !strings.Contains(tt.name, "no code") {
				args = append(args, "--code", code)
			}
			out := tt.run.run(t, append(args, tt.args...)...)
			assert.Equal(t, tt.code, out.code, out.stderr)
			assert.Contains(t, out.stderr, tt.want)
			assert.Empty(t, out.stdout)
		})
	}
	b, err := os.ReadFile(existing)
	require.NoError(t, err)
	assert.Equal(t, "keep me\n", string(b), "an existing file is left alone")
	out := runCLI(t, nil, "", "auth", "token")
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, `required flag(s) "code" not set`)

	// Zoho refuses the client: exit 4, with what to do.
	for _, tt := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"unknown client", with(env, "ZOHO_CLIENT_ID", "1000.NOSUCHCLIENT"), ": invalid_client (the client id is wrong, or the Self Client was made in another data centre's API console than this accounts server's: check the client id and the data centre)\n"},
		{"wrong secret", with(env, "ZOHO_CLIENT_SECRET", "not-the-secret"), ": invalid_client_secret (the client secret is wrong: copy it again from the Self Client's Client Secret tab)\n"},
	} {
		file := filepath.Join(dir, tt.name+".env")
		out := runCLI(t, tt.env, "", "auth", "token", "--code", code, "--env-file", file)
		assert.Equal(t, 4, out.code, tt.name)
		assert.Equal(t, "zohoterritory: exchange the grant code at "+srv.URL()+tt.want, out.stderr, tt.name)
		assert.NoFileExists(t, file)
	}

	// None of that spent the code.
	out = runCLI(t, env, "", "auth", "token", "--code", code)
	assert.Equal(t, 0, out.code, out.stderr)
}

// TestAuthTokenPrompt: without ZOHO_CLIENT_SECRET, a terminal is asked for
// the secret without echo (a fake terminal here), and the prompt names the
// client, never the secret.
func TestAuthTokenPrompt(t *testing.T) {
	t.Parallel()
	srv, _ := sandbox(t)
	oc := srv.OAuthClient()
	asked := 0
	typed := func() ([]byte, error) {
		asked++
		return []byte(oc.ClientSecret + "\n"), nil
	}
	out := cli{env: with(selfClient(srv), "ZOHO_CLIENT_SECRET", ""), inTTY: true, errTTY: true, readPassword: typed,
		stdin: "not read\n"}.run(t, "auth", "token", "--code", srv.IssueGrantCode(zohoterritorytest.AllScopes()...))
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, 1, asked)
	first, rest, _ := strings.Cut(out.stderr, "\n")
	assert.Equal(t, "Client secret of "+oc.ClientID+" (from the Self Client's Client Secret tab; not shown as you type): ", first)
	assert.True(t, strings.HasPrefix(rest, "zohoterritory: wrote "), rest)
	assert.NotContains(t, out.stderr, oc.ClientSecret)
	env, _ := readEnv(t, out.stdout)
	assert.Equal(t, oc.ClientSecret, env["ZOHO_CLIENT_SECRET"], "the typed secret is the one written")

	// The client id from the flag.
	out = cli{env: with(selfClient(srv), "ZOHO_CLIENT_ID", "")}.run(t, "auth", "token", "--client-id", oc.ClientID,
		"--code", srv.IssueGrantCode(zohoterritorytest.AllScopes()...))
	require.Equal(t, 0, out.code, out.stderr)
	env, _ = readEnv(t, out.stdout)
	assert.Equal(t, oc.ClientID, env["ZOHO_CLIENT_ID"])
}

// TestAuthVars: for a standard data centre the file names ZOHO_DC and
// unsets ZOHO_ACCOUNTS_URL; values are single-quoted, quotes and all.
func TestAuthVars(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	tok, err := zohoterritory.ExchangeGrantCode(t.Context(), "x", "y", "z", zohoterritory.WithHTTPClient(&http.Client{
		Transport: rtFunc(func(*http.Request) (*http.Response, error) {
			rec := httptest.NewRecorder()
			rec.Header().Set("Content-Type", "application/json")
			fmt.Fprint(rec, `{"access_token":"1000.a","refresh_token":"1000.r'x","api_domain":"https://www.zohoapis.eu"}`)
			return rec.Result(), nil
		})}), zohoterritory.WithDataCenter(zohoterritory.EU))
	require.NoError(t, err)
	require.NoError(t, writeVars(&b, nil, authVars("", zohoterritory.EU, tok.APIDomain, "1000.ID", "it's", tok.RefreshToken)))
	assert.Equal(t, `unset ZOHO_ACCESS_TOKEN ZOHO_ACCOUNTS_URL
export ZOHO_DC='EU'
export ZOHO_API_DOMAIN='https://www.zohoapis.eu'
export ZOHO_CLIENT_ID='1000.ID'
export ZOHO_CLIENT_SECRET='it'\''s'
export ZOHO_REFRESH_TOKEN='1000.r'\''x'
`, b.String())

	b.Reset()
	require.NoError(t, writeVars(&b, nil, authVars("", zohoterritory.US, "", "1000.ID", "s", tok.RefreshToken)))
	assert.True(t, strings.HasPrefix(b.String(), "unset ZOHO_ACCESS_TOKEN ZOHO_ACCOUNTS_URL ZOHO_API_DOMAIN\nexport ZOHO_DC='US'\n"), b.String())

	// Zoho's refusals in a standard data centre name it, and the flag.
	f := &authTokenFlags{fs: newAuthTokenCmd(&app{getenv: func(string) string { return "" }}).Flags(), getenv: func(string) string { return "" }}
	err = exchangeFailure(&zohoterritory.AuthError{AccountsURL: "https://accounts.zoho.eu", Grant: zohoterritory.GrantAuthorizationCode, Code: "invalid_code"}, f, zohoterritory.EU)
	assert.Equal(t, 4, exitCode(err))
	assert.True(t, strings.HasSuffix(err.Error(), "\nThe data centre was EU (--dc): a Self Client and its codes work only in the data centre whose API console made them."), err.Error())
	err = exchangeFailure(&zohoterritory.AuthError{AccountsURL: "https://accounts.zoho.eu", Grant: zohoterritory.GrantAuthorizationCode, Err: errors.New("dial tcp: refused")}, f, zohoterritory.EU)
	assert.Equal(t, 2, exitCode(err), "not reached: not a refusal")
	assert.Contains(t, err.Error(), "the grant code may still work")
}

type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func exitCode(err error) int {
	var ee interface{ ExitCode() int }
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return -1
}

// decodeStatus reads auth status's JSON.
func decodeStatus(t *testing.T, s string) authStatus {
	t.Helper()
	var st authStatus
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&st), s)
	return st
}

// TestAuthStatus: accepted, refused, unrefreshable, misconfigured, without
// a scope, in an org without territory management, and failing otherwise;
// each with its exit status.
func TestAuthStatus(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	oc := srv.OAuthClient()
	refresh := map[string]string{"ZOHO_ACCOUNTS_URL": srv.URL(), "ZOHO_CLIENT_ID": oc.ClientID, "ZOHO_CLIENT_SECRET": oc.ClientSecret, "ZOHO_REFRESH_TOKEN": oc.RefreshToken}
	enabled := func(t *testing.T, st authStatus) {
		assert.Equal(t, "accepted", st.Token)
		assert.Equal(t, &jsonRefNamed{ID: ava, Name: "Ava Admin", Email: "ava@acme.com"}, st.User)
		assert.Equal(t, "enabled", st.TerritoryManagement)
		assert.Empty(t, st.Problems)
	}

	out := runCLI(t, env, "", "auth", "status", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.stderr)
	st := decodeStatus(t, out.stdout)
	enabled(t, st)
	assert.Equal(t, authStatus{DataCentre: "US", APIDomain: srv.URL(), Credentials: "access_token", Token: "accepted",
		User: st.User, TerritoryManagement: "enabled", Problems: []string{}}, st, "a static token's scopes are not known")

	out = runCLI(t, refresh, "", "auth", "status", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	st = decodeStatus(t, out.stdout)
	enabled(t, st)
	assert.Equal(t, "refresh_token", st.Credentials)
	assert.Equal(t, oc.ClientID, st.ClientID)
	assert.Equal(t, srv.URL(), st.AccountsURL)
	assert.Equal(t, srv.URL(), st.APIDomain, "the token reply's api_domain")
	assert.Nil(t, st.Scopes, "the sandbox's refresh reply names no scope, as Zoho's documented ones")
	assert.Nil(t, st.Commands)

	out = cli{env: env, outTTY: true}.run(t, "auth", "status")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "auth_status_table", out.stdout)

	for _, tt := range []struct {
		name  string
		env   map[string]string
		code  int
		token string
		want  string
	}{
		{"a token Zoho refuses", with(env, "ZOHO_ACCESS_TOKEN", "1000.nope"), 4, "refused",
			"zohoterritory: listUsers: 401: INVALID_TOKEN: invalid oauth token: the token was rejected (expired, revoked, or issued in another data centre than --dc / ZOHO_DC)\n"},
		{"a revoked refresh token", with(refresh, "ZOHO_REFRESH_TOKEN", "1000.revoked"), 4, "refused",
			"zohoterritory: refresh access token at " + srv.URL() + ": invalid_code (the refresh token is wrong or revoked)\n"},
		{"a wrong client secret", with(refresh, "ZOHO_CLIENT_SECRET", "wrong"), 4, "refused", ": invalid_client ("},
		{"a token without the users scope", with(env, "ZOHO_ACCESS_TOKEN", srv.IssueToken(zohoterritorytest.ScopeTerritoriesAll)), 4, "accepted",
			"zohoterritory: the token lacks ZohoCRM.users.READ (or .ALL): whose it is cannot be read, nor users by e-mail address\n"},
		{"a token without the territories scope", with(env, "ZOHO_ACCESS_TOKEN", srv.IssueToken(zohoterritorytest.ScopeUsersAll)), 4, "accepted",
			"zohoterritory: the token lacks ZohoCRM.settings.territories.READ (or .ALL): whether territory management is on cannot be read, nor territories by name\n"},
	} {
		out := runCLI(t, tt.env, "", "auth", "status", "-o", "json", "--max-attempts", "1")
		assert.Equal(t, tt.code, out.code, tt.name)
		assert.Contains(t, out.stderr, tt.want, tt.name)
		st := decodeStatus(t, out.stdout)
		assert.Equal(t, tt.token, st.Token, tt.name)
		assert.NotEmpty(t, st.Problems, tt.name)
	}

	// Configuration errors: nothing is sent.
	before := len(srv.Requests())
	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{with(env, "ZOHO_ACCESS_TOKEN", ""), nil, "credentials: set ZOHO_ACCESS_TOKEN"},
		{env, []string{"--dc", "MARS"}, `--dc "MARS": unknown data centre`},
		{with(refresh, "ZOHO_CLIENT_SECRET", ""), nil, "the refresh-token flow also needs ZOHO_CLIENT_SECRET"},
		{env, []string{"-o", "csv"}, `--output "csv": want table or json`},
	} {
		out := runCLI(t, tt.env, "", append([]string{"auth", "status"}, tt.args...)...)
		assert.Equal(t, 1, out.code, tt.want)
		assert.Contains(t, out.stderr, tt.want)
		assert.Empty(t, out.stdout)
	}
	assert.Len(t, srv.Requests(), before, "nothing sent")
}

// TestAuthStatusTerritoriesOff: an org without territory management is
// told plainly, and exits 2: every membership command would fail there.
func TestAuthStatusTerritoriesOff(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.DefaultSeed()
	seed.TerritoryFeature = zohoterritorytest.TerritoriesNotEnabled
	_, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	out := runCLI(t, env, "", "auth", "status", "-o", "json")
	assert.Equal(t, 2, out.code)
	st := decodeStatus(t, out.stdout)
	assert.Equal(t, "accepted", st.Token)
	assert.Equal(t, "disabled", st.TerritoryManagement)
	assert.NotNil(t, st.User)
	assert.Regexp(t, `^zohoterritory: territory management is off in this org \(listTerritories: 400: FEATURE_NOT_ENABLED: Territory Management is not enabled\): `+
		`every membership command fails until an administrator of the org enables it\n$`, out.stderr)
}

// TestAuthStatusFailure: a read that fails for another reason (a 5xx here)
// exits 2 and says which.
func TestAuthStatusFailure(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	require.NoError(t, srv.SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHTML502, Count: 10}))
	out := runCLI(t, env, "", "auth", "status", "-o", "json", "--max-attempts", "1")
	assert.Equal(t, 2, out.code)
	st := decodeStatus(t, out.stdout)
	assert.Equal(t, "unknown", st.Token)
	assert.Equal(t, "unknown", st.TerritoryManagement)
	assert.Contains(t, out.stderr, "zohoterritory: reading the current user: ")
	assert.Contains(t, out.stderr, "reading the territories: ")
}

// TestAuthStatusScopes: when the refresh reply names the token's scopes,
// auth status lists which commands they allow. The sandbox's accounts
// server names none, so a stand-in accounts server hands out the sandbox's
// tokens and names their scopes.
func TestAuthStatusScopes(t *testing.T) {
	t.Parallel()
	srv, _ := sandbox(t)
	scopes := []string{zohoterritorytest.ScopeUsersRead, "ZohoCRM.settings.territories.All"}
	accounts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"scope":%q,"api_domain":%q,"token_type":"Bearer","expires_in":3600}`,
			srv.IssueToken(scopes...), strings.Join(scopes, " "), srv.URL())
	}))
	t.Cleanup(accounts.Close)
	env := map[string]string{"ZOHO_ACCOUNTS_URL": accounts.URL, "ZOHO_CLIENT_ID": "1000.ID", "ZOHO_CLIENT_SECRET": "s", "ZOHO_REFRESH_TOKEN": "1000.r"}
	out := runCLI(t, env, "", "auth", "status", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	st := decodeStatus(t, out.stdout)
	assert.Equal(t, scopes, st.Scopes)
	allowed := map[string]bool{}
	for _, c := range st.Commands {
		allowed[c.Command] = c.Allowed
	}
	assert.Equal(t, map[string]bool{
		"list-users": true, "list-territories": true, "remove-users": true, "remove-territories": false,
		"add-users": false, "add-territories": false, "move-users": false,
		"users, users by e-mail address": true, "territories --no-counts, territories by name or path": true, "territories": true,
	}, allowed)

	out = cli{env: env, outTTY: true}.run(t, "auth", "status")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "SCOPES                ZohoCRM.users.READ ZohoCRM.settings.territories.All\n")
	assert.Contains(t, out.stdout, "\nCOMMAND                                               THE SCOPES ALLOW IT\nlist-users  ")
	assert.Regexp(t, `(?m)^remove-territories +no$`, out.stdout)
}

// TestAuthTokenInterruptedAtThePrompt: Ctrl-C at the secret's prompt,
// typed (the terminal is raw, so it is read as a byte) or as a signal (the
// first interrupt), gives the terminal its state back, leaves no
// --env-file behind, sends nothing and exits 130.
func TestAuthTokenInterruptedAtThePrompt(t *testing.T) {
	t.Parallel()
	srv, _ := sandbox(t)
	env := with(selfClient(srv), "ZOHO_CLIENT_SECRET", "")
	code := srv.IssueGrantCode(zohoterritorytest.AllScopes()...)
	dir := t.TempDir()

	typed := &typedTerminal{read: func() ([]byte, error) { return []byte("half a sec\x03ret\r"), nil }}
	file := filepath.Join(dir, "typed.env")
	out := cli{env: env, inTTY: true, errTTY: true, terminal: typed}.run(t, "auth", "token", "--code", code, "--env-file", file)
	assert.Equal(t, 130, out.code, out.stderr)
	assert.Contains(t, out.stderr, "zohoterritory: the client secret: interrupted at the prompt; nothing was sent\n")
	assert.NotContains(t, out.stderr, "half a sec")
	assert.NoFileExists(t, file, "no empty --env-file is left")
	assert.Equal(t, int32(1), typed.restored.Load(), "the terminal has its echo back")

	stop, release := make(chan struct{}), make(chan struct{})
	t.Cleanup(func() { close(release) })
	waiting := &typedTerminal{read: func() ([]byte, error) {
		close(stop) // Ctrl-C as a signal, while no key is pressed
		<-release
		return nil, io.EOF
	}}
	file = filepath.Join(dir, "signal.env")
	out = cli{env: env, inTTY: true, errTTY: true, terminal: waiting, stop: stop}.run(t, "auth", "token", "--code", code, "--env-file", file)
	assert.Equal(t, 130, out.code, out.stderr)
	assert.NoFileExists(t, file)
	assert.Equal(t, int32(1), waiting.restored.Load())

	// Nothing was sent: the code still works.
	out = runCLI(t, selfClient(srv), "", "auth", "token", "--code", code, "--env-file", filepath.Join(dir, "zoho.env"))
	assert.Equal(t, 0, out.code, out.stderr)
}
