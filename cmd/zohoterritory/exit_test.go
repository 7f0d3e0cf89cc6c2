package main

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testorg"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestAuthFailuresExit4: a rejected token, a token without the scope (the
// message names the scopes the operation needs), and a refresh token the
// accounts server refuses each exit 4, and no secret is printed.
func TestAuthFailuresExit4(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	oc := srv.OAuthClient()
	weak := srv.IssueToken() // no scopes
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		reason string // of every id, "" when no id was sent
		want   string // stderr
	}{
		{"scope missing", with(env, "ZOHO_ACCESS_TOKEN", weak), []string{"remove-users", "-t", northAmerica, chloe, dev}, "unauthorized",
			"zohoterritory: removeUsersFromTerritory: 401: OAUTH_SCOPE_MISMATCH: invalid oauth scope to access this URL: " +
				"the token lacks a scope removeUsersFromTerritory needs: ZohoCRM.settings.territories.ALL, or ZohoCRM.settings.territories.DELETE and ZohoCRM.users.ALL\n"},
		{"token rejected", with(env, "ZOHO_ACCESS_TOKEN", "1000.revoked"), []string{"remove-territories", "-u", dev, westCoast}, "unauthorized",
			"zohoterritory: removeTerritoryFromUser: 401: INVALID_TOKEN: invalid oauth token: the token was rejected (expired, revoked, or issued in another data centre than --dc / ZOHO_DC)\n"},
		{"refresh refused", map[string]string{"ZOHO_API_DOMAIN": srv.URL(), "ZOHO_ACCOUNTS_URL": srv.URL(), "ZOHO_CLIENT_ID": oc.ClientID,
			"ZOHO_CLIENT_SECRET": oc.ClientSecret, "ZOHO_REFRESH_TOKEN": "1000.wrong"}, []string{"remove-territories", "-u", dev, westCoast}, "not_sent",
			"zohoterritory: refresh access token at " + srv.URL() + ": invalid_code (the refresh token is wrong or revoked)\n"},
		{"listing refused", with(env, "ZOHO_ACCESS_TOKEN", weak), []string{"remove-territories", "-u", dev, "--all"}, "",
			"zohoterritory: remove-territories --all: nothing was removed: the listing failed: listTerritoriesOfUser: 401: OAUTH_SCOPE_MISMATCH: invalid oauth scope to access this URL: " +
				"the token lacks a scope listTerritoriesOfUser needs: ZohoCRM.users.READ, or ZohoCRM.users.ALL, or ZohoCRM.settings.territories.READ, or ZohoCRM.settings.territories.ALL\n"},
		{"list refused", with(env, "ZOHO_ACCESS_TOKEN", weak), []string{"list-users", "-t", northAmerica}, "",
			"zohoterritory: listUsersOfTerritory: 401: OAUTH_SCOPE_MISMATCH: invalid oauth scope to access this URL: the token lacks a scope listUsersOfTerritory needs: ZohoCRM.users.READ, or ZohoCRM.users.ALL\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := runCLI(t, tt.env, "", tt.args...)
			assert.Equal(t, 4, out.code)
			assert.Equal(t, tt.want, out.stderr)
			if tt.reason != "" {
				for _, f := range decode(t, out.stdout).Failed {
					assert.Equal(t, tt.reason, f.Reason, f.ID)
				}
			}
			for _, secret := range []string{weak, oc.ClientSecret, srv.AccessToken()} {
				assert.NotContains(t, out.stdout+out.stderr, secret)
			}
		})
	}
}

// TestRequestLevelErrorExits2: a failure that is not about credentials,
// such as a proxy's 502 after the retries, exits 2 with one line naming it
// once; each retry was told on stderr.
func TestRequestLevelErrorExits2(t *testing.T) {
	t.Parallel()
	_, env := sandbox(t, zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHTML502}))
	out := runCLI(t, env, "", "remove-users", "-t", northAmerica, "--max-attempts", "2", "--max-delay", "1ms", chloe, dev)
	assert.Equal(t, 2, out.code)
	// The wait is jittered below --max-delay.
	assert.Regexp(t, `^zohoterritory: retrying removeUsersFromTerritory in (0s|1ms) after attempt 1: 502 Bad Gateway\n`+
		`zohoterritory: 1 of 1 call failed: removeUsersFromTerritory: 502: 502 Bad Gateway with a body that is not a Zoho error \(text/html, 143 bytes\); 0 removed, 0 failed, 2 unknown\n$`, out.stderr)
	r := decode(t, out.stdout)
	assert.Equal(t, []string{chloe, dev}, r.Unknown, "a proxy's 502 may come after Zoho acted")
}

// TestInterruption: the first Ctrl-C stops sending new calls; the calls in
// flight finish and are reported; the ids never sent are not_sent; stderr
// holds one line with the counts and what to do; the exit status is 130.
// A second Ctrl-C (the context's end) stops at once.
func TestInterruption(t *testing.T) {
	t.Parallel()
	org := testorg.NewBulk()
	stop := make(chan struct{})
	var once sync.Once
	srv, env := sandbox(t, zohoterritorytest.WithSeed(org.Seed), zohoterritorytest.WithHooks(zohoterritorytest.Hooks{
		Arrived: func(r *http.Request) {
			// Ctrl-C while the first two calls are in flight.
			once.Do(func() { close(stop) })
		},
	}))
	out := cli{env: env, stdin: strings.Join(org.IDs, "\n"), stop: stop}.run(t,
		"remove-territories", "-u", testorg.Rep, "--concurrency", "1")
	assert.Equal(t, 130, out.code)
	r := decode(t, out.stdout)
	assert.Len(t, r.Removed, 99, "the first call finished: 100 ids but the default territory")
	notSent := 0
	for _, f := range r.Failed {
		if f.Reason == "not_sent" {
			notSent++
		}
	}
	assert.Equal(t, 902, notSent, "902 ids never sent")
	require.NotEmpty(t, out.journal)
	assert.Equal(t, "zohoterritory: interrupted: 99 removed, 0 unknown, 902 not sent; to finish, run: zohoterritory resume "+out.journal+"\n", out.stderr)
	require.NoError(t, srv.WaitIdle(t.Context()))
	assert.Len(t, srv.Requests(), 1)

	// The line's command finishes the run: every id of it accounted for,
	// those the first run removed among the removed.
	resumed := cli{env: env}.run(t, "resume", out.journal)
	assert.Equal(t, 2, resumed.code, "the default territory and the managed one cannot be removed: %s", resumed.stderr)
	rr := decode(t, resumed.stdout)
	assert.Len(t, rr.Removed, 1000)
	assert.Subset(t, rr.Removed, r.Removed)
	require.Len(t, rr.Failed, 2)
	assert.Equal(t, "default_territory", rr.Failed[0].Reason)
	assert.Equal(t, "manager", rr.Failed[1].Reason)
	assert.Contains(t, resumed.stderr, "902 of 1002 ids to send, 0 of them perhaps done already")
	assert.Len(t, srv.Requests(), 11, "only the 902 ids not sent went out, in 10 calls")

	// The second Ctrl-C: the context ends while a call is held in flight.
	ctx, cancel := context.WithCancel(t.Context())
	srv2, env2 := sandbox(t, zohoterritorytest.WithSeed(org.Seed), zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHang}),
		zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Arrived: func(*http.Request) { cancel() }}))
	out = cli{env: env2, stdin: strings.Join(org.IDs, "\n"), ctx: ctx}.run(t, "remove-territories", "-u", testorg.Rep, "--concurrency", "1")
	assert.Equal(t, 130, out.code)
	r = decode(t, out.stdout)
	assert.Len(t, r.Unknown, 100, "the call in flight may have been carried out")
	assert.Equal(t, "zohoterritory: interrupted: 0 removed, 100 unknown, 902 not sent; to finish, run: zohoterritory resume "+out.journal+"\n", out.stderr)
	require.NoError(t, srv2.WaitIdle(t.Context()))
}

// TestInterruptedAfterTheLastCall: a Ctrl-C that comes while the last
// call is answered leaves nothing to send: the run is told as it ended
// (exit 0 when all is done), with a line saying the interrupt came after
// it, never "to finish, run resume".
func TestInterruptedAfterTheLastCall(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		method string // of the last call
		suffix string
		args   func(dir string) []string
		before string // what stderr says before the run
	}{
		{"a change", http.MethodDelete, "/users/" + dev, func(string) []string {
			return []string{"remove-users", "-t", northAmerica, dev, "-o", "json"}
		}, ""},
		{"a tree run", http.MethodDelete, "/settings/territories/" + keyAccountsNA, func(dir string) []string {
			return []string{"apply", writeTree(t, dir, "tree.yaml", editedTree), "--allow-delete", "--yes", "-o", "json"}
		}, keyAccountsGone},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			stop := make(chan struct{})
			var once sync.Once
			_, env := sandbox(t, zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Answering: func(r *http.Request, _ int) {
				if r.Method == tt.method && strings.HasSuffix(r.URL.Path, tt.suffix) {
					once.Do(func() { close(stop) }) // Ctrl-C as the last answer goes out
				}
			}}))
			out := cli{env: env, stop: stop}.run(t, tt.args(t.TempDir())...)
			assert.Equal(t, 0, out.code, out.stderr)
			assert.Equal(t, tt.before+"zohoterritory: interrupted after the run had sent everything: nothing is left to send\n", out.stderr)
		})
	}
}

// TestRerun: a change without a journal says to run the same command
// again with the flags that count what it made as done, and only the flags
// its command has: --ignore-absent for removals, --ignore-present for adds,
// none where the counts take both as done (a move, an apply).
func TestRerun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		adds, removes bool
		opts          zohoterritory.CountOptions
		want          string
	}{
		{"remove-users", false, true, zohoterritory.CountOptions{}, "run the same command again with --ignore-absent"},
		{"add-users", true, false, zohoterritory.CountOptions{}, "run the same command again with --ignore-present"},
		{"add-users --ignore-present", true, false, zohoterritory.CountOptions{PresentIsDone: true}, "run the same command again"},
		{"move-users", true, true, zohoterritory.CountOptions{PresentIsDone: true}, "run the same command again with --ignore-absent"},
		{"apply", true, true, zohoterritory.CountOptions{PresentIsDone: true, AbsentIsDone: true}, "run the same command again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, rerun(zohoterritory.Counts{Adds: tt.adds, Removes: tt.removes}, tt.opts))
		})
	}
}
