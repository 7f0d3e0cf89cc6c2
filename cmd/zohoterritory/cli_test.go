package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Ids of zohoterritorytest.DefaultSeed.
const (
	acme, northAmerica, europe, westCoast = "5725767000000452001", "5725767000000452002", "5725767000000452003", "5725767000000452004"
	ava, ben, chloe, dev, eve             = "5725767000000411001", "5725767000000411002", "5725767000000411003", "5725767000000411004", "5725767000000411005"
)

func decode(t *testing.T, s string) jsonResult {
	t.Helper()
	var r jsonResult
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&r), "stdout is one JSON object: %s", s)
	return r
}

func TestRemoveUsers(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runBinary(t, env, "", "remove-users", "--territory", northAmerica, chloe, dev)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, jsonResult{Removed: []string{chloe, dev}, Failed: []jsonFailed{}, Unknown: []string{}, Skipped: []jsonSkipped{}}, decode(t, out.stdout))
	assert.Equal(t, []string{ben}, srv.Members(northAmerica))
	assert.Empty(t, out.stderr)
}

func TestPartialFailureExits2(t *testing.T) {
	t.Parallel()
	_, env := sandbox(t)
	out := runBinary(t, env, "", "remove-users", "--territory", northAmerica, "--output", "json", dev, ben)
	assert.Equal(t, 2, out.code)
	assert.Equal(t, jsonResult{
		Removed: []string{dev},
		Failed: []jsonFailed{{ID: ben, Code: "INVALID_DATA", Reason: "manager",
			Message: "This user cannot be removed as the user is a manager of the mentioned Territory."}},
		Unknown: []string{},
		Skipped: []jsonSkipped{},
	}, decode(t, out.stdout))
	assert.Contains(t, out.stderr, "1 of 2 ids were not removed")
}

func TestRemoveTerritoriesTable(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runBinary(t, env, "", "remove-territories", "--user", dev, "--output", "table", westCoast, acme, europe)
	assert.Equal(t, 2, out.code)
	golden(t, "remove_territories_table", out.stdout)
	assert.Equal(t, []string{acme, northAmerica}, srv.TerritoriesOf(dev))
}

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
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, env := sandbox(t)
			args := append([]string{"remove-users", "--territory", northAmerica}, tt.args...)
			out := runBinary(t, env, tt.stdin, args...)
			require.Equal(t, 0, out.code, out.stderr)
			assert.Equal(t, []string{chloe, dev}, decode(t, out.stdout).Removed)
			assert.Equal(t, []string{ben}, srv.Members(northAmerica))
		})
	}
}

func TestBulkFromStdinIsBatched(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.Seed{
		Users:       []zohoterritorytest.User{{ID: "1", FullName: "Caller"}},
		Territories: []zohoterritorytest.Territory{{ID: "2", Name: "Big", ManagerID: "1"}},
		CallerID:    "1",
	}
	var ids []string
	for i := range 250 {
		id := fmt.Sprintf("9%05d", i)
		ids = append(ids, id)
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: id, FullName: "U"})
		seed.Territories[0].Members = append(seed.Territories[0].Members, id)
	}
	srv, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	out := runBinary(t, env, strings.Join(ids, "\n"), "remove-users", "--territory", "2", "--concurrency", "2")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, ids, decode(t, out.stdout).Removed)
	assert.Len(t, srv.Requests(), 3, "250 ids in 3 calls")
	assert.Empty(t, out.stderr, "no progress when stderr is not a terminal")
}

func TestInputAndConfigErrorsExit1AndSendNothing(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	tests := []struct {
		name  string
		env   map[string]string
		stdin string
		args  []string
		want  string
	}{
		{"no command", env, "", nil, "no command given"},
		{"unknown command", env, "", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"missing territory", env, "", []string{"remove-users", chloe}, "--territory is required"},
		{"missing user", env, "", []string{"remove-territories", europe}, "--user is required"},
		{"bad id", env, "", []string{"remove-users", "--territory", northAmerica, chloe, "12x"}, `userIDs[1] "12x": must contain decimal digits only`},
		{"bad owner", env, "", []string{"remove-territories", "--user", "me", europe}, `userID "me"`},
		{"empty stdin", env, "", []string{"remove-users", "--territory", northAmerica}, "standard input was empty"},
		{"dash among ids", env, "", []string{"remove-users", "--territory", northAmerica, chloe, "-"}, `"-"`},
		{"bad output", env, "", []string{"remove-users", "--territory", northAmerica, "--output", "xml", chloe}, `--output "xml"`},
		{"bad concurrency", env, "", []string{"remove-users", "--territory", northAmerica, "--concurrency", "0", chloe}, "--concurrency 0"},
		{"unknown flag", env, "", []string{"remove-users", "--territory", northAmerica, "--force", chloe}, "flag provided but not defined: -force"},
		{"bad ZOHO_DC", with(env, "ZOHO_DC", "MOON"), "", []string{"remove-users", "--territory", northAmerica, chloe}, `--dc / ZOHO_DC: unknown data centre "MOON"`},
		{"bad --dc", env, "", []string{"remove-users", "--dc", "xx", "--territory", northAmerica, chloe}, `--dc / ZOHO_DC`},
		{"bad ZOHO_API_VERSION", with(env, "ZOHO_API_VERSION", "v1"), "", []string{"remove-users", "--territory", northAmerica, chloe}, `--api-version / ZOHO_API_VERSION: WithAPIVersion("v1")`},
		{"plain http remote", with(env, "ZOHO_API_DOMAIN", "http://example.com"), "", []string{"remove-users", "--territory", northAmerica, chloe}, "--api-domain / ZOHO_API_DOMAIN"},
		{"no credentials", with(env, "ZOHO_ACCESS_TOKEN", ""), "", []string{"remove-users", "--territory", northAmerica, chloe}, "credentials: set ZOHO_ACCESS_TOKEN"},
		{"both credentials", with(env, "ZOHO_CLIENT_ID", "x"), "", []string{"remove-users", "--territory", northAmerica, chloe}, "not both"},
		{"half refresh flow", with(env, "ZOHO_ACCESS_TOKEN", "", "ZOHO_CLIENT_ID", "x"), "", []string{"remove-users", "--territory", northAmerica, chloe}, "also needs ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN"},
		{"plain http accounts", with(env, "ZOHO_ACCESS_TOKEN", "", "ZOHO_CLIENT_ID", "x", "ZOHO_CLIENT_SECRET", "y", "ZOHO_REFRESH_TOKEN", "z", "ZOHO_ACCOUNTS_URL", "http://accounts.example.com"), "", []string{"remove-users", "--territory", northAmerica, chloe}, "--accounts-url / ZOHO_ACCOUNTS_URL"},
		{"bad --max-attempts", env, "", []string{"remove-users", "--territory", northAmerica, "--max-attempts", "0", chloe}, "--max-attempts 0: must be at least 1"},
		{"bad --max-delay", env, "", []string{"remove-users", "--territory", northAmerica, "--max-delay", "0s", chloe}, "--max-delay 0s: must be positive"},
		{"bad --attempt-timeout", env, "", []string{"remove-users", "--territory", northAmerica, "--attempt-timeout", "-1s", chloe}, "--attempt-timeout -1s: must be positive"},
		{"sandbox negative fault count", env, "", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--truncate", "-1"}, "--truncate -1: must not be negative"},
		{"sandbox fault-every 0", env, "", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--fail-5xx", "2", "--fault-every", "0"}, "--fault-every 0: must be at least 1"},
		{"sandbox retry-after alone", env, "", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--retry-after", "1"}, "--retry-after needs --fail-429"},
		{"sandbox latency too long", env, "", []string{"sandbox", "serve", "--addr", "127.0.0.1:0", "--latency", "1m"}, "--latency 1m0s: must be between 0 and 30s"},
		{"sandbox without serve", env, "", []string{"sandbox"}, "missing subcommand serve"},
		{"sandbox remote addr", env, "", []string{"sandbox", "serve", "--addr", "0.0.0.0:0"}, "0.0.0.0:0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runBinary(t, tt.env, tt.stdin, tt.args...)
			assert.Equal(t, 1, out.code, "stderr: %s", out.stderr)
			assert.Contains(t, out.stderr, tt.want)
			assert.Empty(t, out.stdout)
		})
	}
	assert.Empty(t, srv.Requests(), "nothing was sent for bad input or config")
}

func TestDryRun(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runBinary(t, with(env, "ZOHO_ACCESS_TOKEN", ""), "", "remove-territories", "--user", dev, "--dry-run", "--output", "table", "--api-version", "v8", westCoast, acme, westCoast)
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "dry_run_table", out.stdout)

	out = runBinary(t, env, "", "remove-users", "--territory", northAmerica, "--dry-run", chloe)
	require.Equal(t, 0, out.code, out.stderr)
	var plan jsonPlan
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &plan))
	require.Len(t, plan.Planned, 1)
	assert.Equal(t, "removeUserFromTerritory", plan.Planned[0].Operation)
	assert.Equal(t, srv.URL()+"/crm/v7/settings/territories/"+northAmerica+"/users/"+chloe, plan.Planned[0].URL)
	assert.Empty(t, srv.Requests(), "a dry run sends nothing")
	assert.Len(t, srv.Members(northAmerica), 3)
}

func TestRequestLevelErrorExits2(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	weak := srv.IssueToken() // no scopes
	out := runBinary(t, with(env, "ZOHO_ACCESS_TOKEN", weak), "", "remove-users", "--territory", northAmerica, chloe, dev)
	assert.Equal(t, 2, out.code)
	assert.Contains(t, out.stderr, "OAUTH_SCOPE_MISMATCH")
	r := decode(t, out.stdout)
	require.Len(t, r.Failed, 2)
	assert.Equal(t, "unauthorized", r.Failed[0].Reason)
	assert.NotContains(t, out.stdout+out.stderr, weak, "the token is never printed")
}

func TestRefreshFlowFromEnvironment(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	oc := srv.OAuthClient()
	refreshEnv := with(env, "ZOHO_ACCESS_TOKEN", "", "ZOHO_API_DOMAIN", "", "ZOHO_ACCOUNTS_URL", srv.URL(),
		"ZOHO_CLIENT_ID", oc.ClientID, "ZOHO_CLIENT_SECRET", oc.ClientSecret, "ZOHO_REFRESH_TOKEN", oc.RefreshToken)
	out := runBinary(t, refreshEnv, "", "remove-territories", "--user", chloe, europe)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, []string{europe}, decode(t, out.stdout).Removed)
	assert.Equal(t, 1, srv.RefreshCount())

	// A wrong secret: the error names the accounts server, never a secret.
	bad := with(refreshEnv, "ZOHO_CLIENT_SECRET", "wrong-secret-6d1f")
	out = runBinary(t, bad, "", "remove-territories", "--user", chloe, westCoast)
	assert.Equal(t, 2, out.code)
	assert.Contains(t, out.stderr, "refresh access token at "+srv.URL())
	assert.Contains(t, out.stderr, "invalid_client")
	for _, s := range []string{"wrong-secret-6d1f", oc.RefreshToken, oc.ClientSecret} {
		assert.NotContains(t, out.stdout+out.stderr, s)
	}
	assert.Equal(t, "not_sent", decode(t, out.stdout).Failed[0].Reason)
}

func TestHelp(t *testing.T) {
	t.Parallel()
	out := runBinary(t, nil, "", "help")
	assert.Equal(t, 0, out.code)
	assert.Contains(t, out.stdout, "zohoterritory remove-users --territory ID")
	assert.Contains(t, out.stdout, "ZOHO_REFRESH_TOKEN")
	out = runBinary(t, nil, "", "remove-users", "-h")
	assert.Equal(t, 0, out.code)
	assert.Contains(t, out.stderr, "-territory")
}

func TestDemo(t *testing.T) {
	t.Parallel()
	out := runBinary(t, nil, "", "demo")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "demo", out.stdout)
}

func TestSandboxServe(t *testing.T) {
	t.Parallel()
	cmd, env, stderr := startServe(t, "--contract-check")
	assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, env["ZOHO_API_DOMAIN"])

	static := with(env, "ZOHO_CLIENT_ID", "", "ZOHO_CLIENT_SECRET", "", "ZOHO_REFRESH_TOKEN", "", "ZOHO_ACCOUNTS_URL", "")
	out := runBinary(t, static, "", "remove-users", "--territory", northAmerica, chloe)
	require.Equal(t, 0, out.code, out.stderr)
	refresh := with(env, "ZOHO_ACCESS_TOKEN", "")
	out = runBinary(t, refresh, "", "remove-territories", "--user", dev, westCoast)
	require.Equal(t, 0, out.code, out.stderr)

	require.NoError(t, cmd.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		require.NoError(t, err, "stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox serve did not stop on SIGINT")
	}
	assert.Contains(t, stderr.String(), "sandbox stopped")
}

// TestProgressOnTerminal runs the command in-process with a pretend
// terminal on stderr.
func TestProgressOnTerminal(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.Seed{
		Users:       []zohoterritorytest.User{{ID: "1", FullName: "Caller"}, {ID: "3", FullName: "Rep"}},
		Territories: []zohoterritorytest.Territory{{ID: "2", Name: "Org", ManagerID: "1", Members: []string{"3"}}},
		CallerID:    "1",
	}
	var ids []string
	for i := range 150 {
		id := fmt.Sprintf("8%05d", i)
		ids = append(ids, id)
		seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: id, Name: "T", ManagerID: "1", ReportingTo: "2", Members: []string{"3"}})
	}
	_, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	var out, errb bytes.Buffer
	io := &streams{in: strings.NewReader(""), out: &out, err: &errb, errTTY: true, outTTY: true}
	code := run(t.Context(), append([]string{"remove-territories", "--user", "3"}, ids...), io, func(k string) string { return env[k] })
	require.Equal(t, 0, code, errb.String())
	assert.Contains(t, errb.String(), "150/150 ids")
	assert.Contains(t, out.String(), "150 removed, 0 failed, 0 unknown", "table output on a terminal")
}

// syncBuffer is a bytes.Buffer safe to read while a process writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
