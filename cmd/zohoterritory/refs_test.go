package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestByEmailAndName: the issue's own example, a territory by name and a
// user by e-mail address; a path, in any case and spacing, names one too;
// e-mail addresses and names come on standard input too.
func TestByEmailAndName(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "remove-users", "--territory", "West Coast", "chloe@acme.com")
	require.Equal(t, 0, out.code, out.stderr)
	got := decode(t, out.stdout)
	assert.Equal(t, []string{chloe}, got.Removed)
	assert.Equal(t, map[string]jsonName{chloe: {Name: "Chloe Chen", Email: "chloe@acme.com"}}, got.Names, "JSON adds the names it read")
	assert.Equal(t, []string{dev}, srv.Members(westCoast))

	out = runCLI(t, env, "EVE@acme.com\n", "remove-users", "-t", " europe / key accounts europe ", "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, eve+"  Eve Evans  eve@acme.com  removed")
	assert.NotContains(t, srv.Members(keyAccountsEU), eve)

	out = runCLI(t, env, "territory\nNorth America\n\"West Coast\"\n", "remove-territories", "--user", "dev@acme.com", "-o", "table")
	require.Equal(t, 2, out.code, out.stderr) // Dev manages West Coast
	assert.Contains(t, out.stdout, northAmerica+"  North America  North America             removed")
	assert.Contains(t, out.stdout, westCoast+"  West Coast     North America/West Coast  failed   manager")
	assert.Empty(t, srv.RequestViolations())
}

// TestUnknownAndAmbiguousRefs: an unknown e-mail address or name, or an
// ambiguous name, exits 1 naming the reference (and the candidates, with
// the path that picks each) after the directory read, and sends no change.
func TestUnknownAndAmbiguousRefs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
		// twins: the org holds the name Key Accounts twice (twinSeed).
		twins bool
	}{
		{"unknown e-mail", "", []string{"remove-users", "-t", northAmerica, "chloe@acme.com", "zoe@acme.com"},
			`argument 2 "zoe@acme.com": no user of the org has the e-mail address "zoe@acme.com" (every user was read, deactivated ones included); nothing was sent`, false},
		{"unknown e-mail on stdin", "chloe@acme.com\nzoe@acme.com\n", []string{"remove-users", "-t", northAmerica},
			`standard input, line 2: "zoe@acme.com": no user of the org has the e-mail address`, false},
		{"unknown territory", "", []string{"remove-users", "-t", "Nowhere", chloe}, `--territory "Nowhere": no territory is named "Nowhere"; nothing was sent`, false},
		{"unknown path", "", []string{"remove-territories", "-u", chloe, "Europe/West Coast"}, `argument 1 "Europe/West Coast": no territory is named "Europe/West Coast", nor has that path`, false},
		{"ambiguous territory", "", []string{"remove-users", "-t", "key accounts", chloe},
			`--territory "key accounts": the territory name "key accounts" is ambiguous, 2 territories have it: ` +
				keyAccountsNA + ` (North America/Key Accounts), ` + keyAccountsEU + ` (Europe/Key Accounts); give the id or the path of the one you mean; nothing was sent`, true},
		{"ambiguous in --except", "", []string{"remove-territories", "-u", chloe, "--all", "--except", "Key Accounts"}, `--except "Key Accounts": the territory name "Key Accounts" is ambiguous`, true},
		{"unknown user to list", "", []string{"list-territories", "-u", "zoe@acme.com"}, `--user "zoe@acme.com": no user of the org has`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			seed := zohoterritorytest.DefaultSeed()
			if tt.twins {
				seed = twinSeed()
			}
			srv, env := sandbox(t, zohoterritorytest.WithSeed(seed))
			out := runCLI(t, env, tt.stdin, tt.args...)
			assert.Equal(t, 1, out.code, out.stderr)
			assert.Contains(t, out.stderr, "zohoterritory: "+tt.want)
			assert.Equal(t, 1, strings.Count(out.stderr, "\n"), "one line")
			assert.Empty(t, out.stdout)
			gets, deletes := calls(t, srv)
			assert.Empty(t, deletes, "no change was sent")
			assert.LessOrEqual(t, len(gets), 2, "the directory, read once: %v", gets)
		})
	}
}

// TestNamesCostNothingWithIDsAlone: a run given ids only reads nothing more
// than before with -o json or --no-names; a table reads the names of its
// rows, after the change, with one call (the users by id, or the
// territories for their paths).
func TestNamesCostNothingWithIDsAlone(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "remove-users", "-t", northAmerica, chloe)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Nil(t, decode(t, out.stdout).Names)
	out = runCLI(t, env, "", "remove-users", "-t", northAmerica, dev, "-o", "table", "--no-names")
	require.Equal(t, 0, out.code, out.stderr)
	assert.True(t, strings.HasPrefix(out.stdout, "ID                   OUTCOME"), out.stdout)
	gets, deletes := calls(t, srv)
	assert.Empty(t, gets)
	assert.Len(t, deletes, 2)

	out = runCLI(t, env, "", "remove-territories", "-u", chloe, europe, "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, europe+"  Europe     Europe  removed")
	out = runCLI(t, env, "", "remove-users", "-t", westCoast, chloe, "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, chloe+"  Chloe Chen  chloe@acme.com  removed")
	reqs := srv.Requests()
	require.Len(t, reqs, 6)
	assert.Equal(t, []string{"DELETE", "GET /crm/v7/settings/territories", "DELETE", "GET /crm/v7/users"},
		[]string{reqs[2].Method, reqs[3].Method + " " + reqs[3].Path, reqs[4].Method, reqs[5].Method + " " + reqs[5].Path},
		"the names are read after the change, in one call")
	assert.Contains(t, reqs[5].RawQuery, "ids="+chloe)
}

// TestNamesReadFailureIsNotTheRunsFailure: names only decorate a table; a
// failed read of them leaves them out and says so, and the exit status is
// the change's.
func TestNamesReadFailureIsNotTheRunsFailure(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	require.NoError(t, srv.SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit, Every: 2}))
	out := runCLI(t, env, "", "remove-users", "-t", northAmerica, chloe, "-o", "table", "--max-attempts", "1")
	require.Equal(t, 0, out.code, out.stderr)
	assert.True(t, strings.HasPrefix(out.stdout, "ID                   OUTCOME"), out.stdout)
	assert.Contains(t, out.stderr, "zohoterritory: names not shown: reading them failed: ")
}

// TestDirectoryAtScale: 300 e-mail addresses of an org of 1,000 users and
// 450 territories resolve with 5 + 3 GETs, and are removed.
func TestDirectoryAtScale(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.Seed{CallerID: "1", DefaultTerritoryID: "2000000"}
	seed.Users = append(seed.Users, zohoterritorytest.User{ID: "1", FullName: "Caller", Email: "caller@acme.com"})
	var emails []string
	var members []string
	for i := range 999 { // and the caller: 1,000
		id := fmt.Sprint(1000000 + i)
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: id, FullName: "P" + id, Email: "p" + id + "@acme.com"})
		if i%3 == 0 && len(emails) < 300 {
			emails = append(emails, "P"+id+"@ACME.COM")
			members = append(members, id)
		}
	}
	seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: "2000000", Name: "Org", ManagerID: "1"})
	for i := 1; i < 450; i++ {
		seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: fmt.Sprint(2000000 + i), Name: fmt.Sprintf("T%d", i), ReportingTo: "2000000"})
	}
	seed.Territories[449].Members = members
	srv, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	out := runCLI(t, env, strings.Join(emails, "\n"), "remove-users", "-t", "T449")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, members, decode(t, out.stdout).Removed)
	gets, deletes := calls(t, srv)
	var users, territories int
	for _, g := range gets {
		switch {
		case strings.HasPrefix(g, "/crm/v7/users?"):
			users++
		case strings.HasPrefix(g, "/crm/v7/settings/territories?"):
			territories++
		}
	}
	assert.Equal(t, []int{5, 3, 8}, []int{users, territories, len(gets)})
	assert.Len(t, deletes, 5, "300 ids of 7 digits: 62 a call for the 500-character cap")
	assert.Empty(t, srv.Members("2000449"))
}
