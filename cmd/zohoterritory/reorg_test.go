package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// reorgOrg is an org of 200 users and 40 territories of 40 users each,
// managed by the caller, and a membership file of 2,000 rows that wants
// each territory to hold 50 users, 30 of them there already: 800 adds and
// 400 removals.
func reorgOrg(t *testing.T) (seed zohoterritorytest.Seed, file string, want map[string][]string) {
	t.Helper()
	const caller, root = "5725767000000600000", "5725767000000700000"
	seed = zohoterritorytest.Seed{CallerID: caller, DefaultTerritoryID: root,
		Users:       []zohoterritorytest.User{{ID: caller, FullName: "Caller", Email: "caller@acme.com"}},
		Territories: []zohoterritorytest.Territory{{ID: root, Name: "Acme", ManagerID: caller}}}
	user := func(i int) string { return fmt.Sprintf("57257670000006%05d", 1+i%200) }
	for i := range 200 {
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: user(i), FullName: fmt.Sprintf("Rep %d", i), Email: fmt.Sprintf("rep%d@acme.com", i)})
	}
	var rows strings.Builder
	rows.WriteString("\uFEFFterritory,user\n")
	want = map[string][]string{}
	for k := range 40 {
		id := fmt.Sprintf("57257670000007%05d", 1+k)
		tr := zohoterritorytest.Territory{ID: id, Name: fmt.Sprintf("Region %d", k), ManagerID: caller, ReportingTo: root}
		for i := k * 5; i < k*5+40; i++ {
			tr.Members = append(tr.Members, user(i))
		}
		seed.Territories = append(seed.Territories, tr)
		want[id] = []string{caller}
		for i := k*5 + 10; i < k*5+60; i++ {
			want[id] = append(want[id], user(i))
			if i%2 == 0 {
				fmt.Fprintf(&rows, "Region %d,rep%d@acme.com\n", k, i%200)
			} else {
				fmt.Fprintf(&rows, "Acme/Region %d,%s\n\n", k, user(i))
			}
		}
	}
	file = filepath.Join(t.TempDir(), "reorg.csv")
	require.NoError(t, os.WriteFile(file, []byte(rows.String()), 0o600))
	return seed, file, want
}

// TestPlanAndApplyAtScale: a 2,000-row file across 40 territories plans in
// one pass of reads, sending no change; apply makes the org equal the
// file; planning again says "no changes", exit 0 under --detailed-exitcode;
// restore returns the org to its state before the apply.
func TestPlanAndApplyAtScale(t *testing.T) {
	t.Parallel()
	seed, file, want := reorgOrg(t)
	srv, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	before := map[string][]string{}
	for id := range want {
		before[id] = srv.Members(id)
	}

	out := runCLI(t, env, "", "plan", file, "--detailed-exitcode", "-o", "json")
	assert.Equal(t, 2, out.code, out.stderr)
	var planned jsonPlanned
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &planned))
	assert.Equal(t, map[string]int{"add": 800, "remove": 400, "unchanged": 1240, "skipped": 0}, planned.Totals)
	assert.Len(t, planned.Groups, 40)
	assert.Equal(t, "rep40@acme.com", planned.Groups[0].Add[0].Email)
	reads := map[string]int{}
	for _, r := range srv.Requests() {
		require.Equal(t, http.MethodGet, r.Method, "plan sends no change")
		switch r.Path {
		case "/crm/v7/users":
			reads["users"]++
		case "/crm/v7/settings/territories":
			reads["territories"]++
		default:
			reads["members"]++
		}
	}
	assert.Equal(t, map[string]int{"users": 2, "territories": 1, "members": 40}, reads, "the directory once, each territory's users once")

	out = runCLI(t, env, "", "apply", file, "--yes", "-o", "csv")
	require.Equal(t, 0, out.code, out.stderr)
	records, err := csv.NewReader(strings.NewReader(out.stdout)).ReadAll()
	require.NoError(t, err)
	assert.Len(t, records, 1+800+400)
	for id, users := range want {
		assert.ElementsMatch(t, users, srv.Members(id), "territory %s holds the file's users and its manager", id)
	}

	again := runCLI(t, env, "", "plan", file, "--detailed-exitcode", "-o", "table")
	assert.Equal(t, 0, again.code, again.stderr)
	assert.Equal(t, "No changes: the org's memberships match the file.\nPlan: 0 to add, 0 to remove, 2040 unchanged, 0 skipped\n", again.stdout)

	undo := runCLI(t, env, "", "restore", out.journal, "-o", "json")
	require.Equal(t, 0, undo.code, undo.stderr)
	for id, members := range before {
		assert.ElementsMatch(t, members, srv.Members(id), "territory %s is back as it was", id)
	}
}

// TestApplyAsksFirst: on a terminal apply shows the totals and goes on only
// on a typed "yes"; without a terminal it needs --yes; a stale saved plan
// is refused naming what changed.
func TestApplyAsksFirst(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	file := filepath.Join(t.TempDir(), "wc.csv")
	require.NoError(t, os.WriteFile(file, []byte("territory,user\nWest Coast,chloe@acme.com\nWest Coast,eve@acme.com\n"), 0o600))

	out := cli{env: env, stdin: "no\n", inTTY: true}.run(t, "apply", file)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "Plan: 1 to add, 0 to remove, 2 unchanged, 0 skipped\nApply these changes to the org? Only \"yes\" goes on: ")
	assert.Contains(t, out.stderr, "apply cancelled; nothing was sent")
	out = runCLI(t, env, "", "apply", file)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "give --yes")
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method)
	}

	plan := filepath.Join(t.TempDir(), "wc.plan")
	out = runCLI(t, env, "", "plan", file, "--out", plan, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	fi, err := os.Stat(plan)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())

	// Someone adds Eve by hand meanwhile: the plan is stale.
	require.Equal(t, 0, runCLI(t, env, "", "add-users", "-t", westCoast, eve, "--no-journal").code)
	out = runCLI(t, env, "", "apply", plan, "--yes")
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "is stale: 1 membership the plan touches changed since it was made: "+eve+" in "+westCoast+": a member now, not a member when the plan was made (the plan would add it); plan again; nothing was sent")

	out = cli{env: env, stdin: "yes\n", inTTY: true}.run(t, "apply", file, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stderr, "no changes: the org's memberships match")
	assert.Empty(t, out.journal, "no change, no journal")
}

// TestPlanRefusesBadFiles: a malformed row, or a name or address the org
// does not hold, is named by its line; nothing is read of the memberships.
func TestPlanRefusesBadFiles(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t, zohoterritorytest.WithSeed(twinSeed()))
	for _, tc := range []struct{ body, want string }{
		{"territory,user\nWest Coast,chloe@acme.com\nWest Coast\n", "line 3: no user for territory \"West Coast\""},
		{"territory,user\nWest Coast,zoe@acme.com\n", `line 2: "zoe@acme.com": no user of the org has the e-mail address`},
		{"territory,user\nKey Accounts,chloe@acme.com\n", `line 2: "Key Accounts": the territory name "Key Accounts" is ambiguous`},
		{"user,email\nx,y\n", "line 1: the header \"user,email\" names no territory column"},
	} {
		file := filepath.Join(t.TempDir(), "bad.csv")
		require.NoError(t, os.WriteFile(file, []byte(tc.body), 0o600))
		out := runCLI(t, env, "", "plan", file)
		assert.Equal(t, 1, out.code, tc.body)
		assert.Contains(t, out.stderr, file+", "+tc.want)
	}
	for _, r := range srv.Requests() {
		assert.True(t, slices.Contains([]string{"/crm/v7/users", "/crm/v7/settings/territories"}, r.Path), "only the directory was read: %s", r.Path)
	}
	out := runCLI(t, env, "", "plan", "no-such.csv")
	assert.Equal(t, 1, out.code)
	out = runCLI(t, env, "", "plan", "x.csv", "--add-only", "--remove-only")
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "give one of them")
}

// TestApplySavedPlanAsSaved: a saved plan is applied as it was made: a
// flag that would change it exits 1 naming the flag, and so does an API
// domain other than the one it was made against; nothing is sent.
func TestApplySavedPlanAsSaved(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	dir := t.TempDir()
	file, plan := filepath.Join(dir, "wc.csv"), filepath.Join(dir, "wc.plan")
	require.NoError(t, os.WriteFile(file, []byte("territory,user\nWest Coast,chloe@acme.com\nWest Coast,eve@acme.com\n"), 0o600))
	require.Equal(t, 0, runCLI(t, env, "", "plan", file, "--out", plan, "-o", "json").code)

	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--by", "user"}, env, "--by: " + plan + " is a saved plan, applied as it was made (by territory); to change it, plan again with --by; nothing was sent"},
		{[]string{"--by", "territory"}, env, "--by: " + plan + " is a saved plan"},
		{[]string{"--add-only"}, env, "--add-only: " + plan + " is a saved plan"},
		{[]string{"--remove-only"}, env, "--remove-only: " + plan + " is a saved plan"},
		{[]string{"--api-domain", "https://www.zohoapis.eu"}, env, `--api-domain "https://www.zohoapis.eu": ` + plan + " was made against " + srv.URL() + ", where a saved plan is applied"},
		{nil, with(env, "ZOHO_API_DOMAIN", "https://www.zohoapis.eu"), `ZOHO_API_DOMAIN "https://www.zohoapis.eu": ` + plan + " was made against"},
	} {
		out := runCLI(t, tt.env, "", append([]string{"apply", plan, "--yes"}, tt.args...)...)
		assert.Equal(t, 1, out.code, tt.args)
		assert.Contains(t, out.stderr, "zohoterritory: "+tt.want, tt.args)
		assert.Empty(t, out.journal)
	}
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, "nothing was sent")
	}

	// The plan is not a membership file, and the file is not a plan.
	out := runCLI(t, env, "", "plan", plan)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, plan+" is a saved membership plan, not a file to plan: make it with zohoterritory apply "+plan)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "other.json"), []byte(`{"format": "other"}`), 0o600))
	out = runCLI(t, env, "", "apply", filepath.Join(dir, "other.json"), "--yes")
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "a JSON document, but not a saved plan")

	// As saved, it applies, where it was made.
	out = runCLI(t, with(env, "ZOHO_API_DOMAIN", ""), "", "apply", plan, "--yes", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.ElementsMatch(t, []string{chloe, dev, eve}, srv.Members(westCoast))
}

// TestApplyShowsThePlanFirst: on a terminal apply shows the plan as plan
// prints it, on stderr (standard output keeps the result's format), then
// asks; a long plan is folded to its first lines, with the count and where
// every one is; a saved plan is shown with its names.
func TestApplyShowsThePlanFirst(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	file := filepath.Join(t.TempDir(), "wc.csv")
	require.NoError(t, os.WriteFile(file, []byte("territory,user\nWest Coast,chloe@acme.com\nWest Coast,eve@acme.com\n"), 0o600))
	out := cli{env: env, stdin: "no\n", inTTY: true}.run(t, "apply", file, "-o", "json")
	assert.Equal(t, 1, out.code)
	assert.Empty(t, out.stdout)
	assert.Equal(t, "North America/West Coast ("+westCoast+")\n"+
		"  + eve@acme.com  "+eve+"  Eve Evans\n"+
		"Plan: 1 to add, 0 to remove, 2 unchanged, 0 skipped\n"+
		"Apply these changes to the org? Only \"yes\" goes on: zohoterritory: apply cancelled; nothing was sent\n", out.stderr)

	plan := filepath.Join(t.TempDir(), "wc.plan")
	require.Equal(t, 0, runCLI(t, env, "", "plan", file, "--out", plan, "-o", "json").code)
	out = cli{env: env, stdin: "yes\n", inTTY: true}.run(t, "apply", plan, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stderr, "  + eve@acme.com  "+eve+"  Eve Evans\n", "a saved plan is shown with names")
	assert.Contains(t, srv.Members(westCoast), eve)

	seed, big, _ := reorgOrg(t)
	_, env2 := sandbox(t, zohoterritorytest.WithSeed(seed))
	out = cli{env: env2, stdin: "no\n", inTTY: true}.run(t, "apply", big)
	assert.Equal(t, 1, out.code)
	lines := strings.Split(out.stderr, "\n")
	assert.Contains(t, out.stderr, "(50 of 1200 lines shown; every one: zohoterritory plan "+big+" (-o json, or --out PLAN to keep it))\n"+
		"Plan: 800 to add, 400 to remove, 1240 unchanged, 0 skipped\nApply these changes")
	assert.Less(t, len(lines), 60, "folded")
}

// TestPlanPredictsWhatZohoWouldRefuse: the plan skips the add of a user
// who is not active (Finn), and keeps what he would lose; applied, every
// change sent is done.
func TestPlanPredictsWhatZohoWouldRefuse(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	file := filepath.Join(t.TempDir(), "reorg.csv")
	require.NoError(t, os.WriteFile(file, []byte("territory,user\nWest Coast,chloe@acme.com\nWest Coast,finn@acme.com\nEurope,eve@acme.com\nEurope,chloe@acme.com\n"), 0o600))
	out := runCLI(t, env, "", "plan", file, "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "  ! finn@acme.com  "+finn+"  skipped, not added (user_inactive): the user is not active (deactivated or deleted): Zoho adds no such user to a territory\n")
	assert.Contains(t, out.stdout, "  ! finn@acme.com  "+finn+"  skipped, not removed (kept): not removed, so the user keeps it: adding the user to territory "+westCoast+" is skipped (user_inactive)\n")
	assert.Contains(t, out.stdout, "Plan: 0 to add, 0 to remove, 4 unchanged, 2 skipped\n")

	out = runCLI(t, env, "", "apply", file, "--yes", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stderr, "no changes")
	assert.Contains(t, srv.Members(europe), finn)
}

// TestEveryBadReferenceIsNamed: every unknown or ambiguous reference of a
// run is named at once, each by where it was given; nothing is sent.
func TestEveryBadReferenceIsNamed(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t, zohoterritorytest.WithSeed(twinSeed()))
	out := runCLI(t, env, "zoe@acme.com\nchloe@acme.com\nzed@acme.com\n", "remove-users", "-t", "Key Accounts")
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: 3 references name nothing the org holds, or more than one thing; nothing was sent:\n"+
		`  --territory "Key Accounts": the territory name "Key Accounts" is ambiguous, 2 territories have it: `+keyAccountsNA+` (North America/Key Accounts), `+keyAccountsEU+` (Europe/Key Accounts); give the id or the path of the one you mean`+"\n"+
		`  standard input, line 1: "zoe@acme.com": no user of the org has the e-mail address "zoe@acme.com" (every user was read, deactivated ones included)`+"\n"+
		`  standard input, line 3: "zed@acme.com": no user of the org has the e-mail address "zed@acme.com" (every user was read, deactivated ones included)`+"\n", out.stderr)

	file := filepath.Join(t.TempDir(), "bad.csv")
	require.NoError(t, os.WriteFile(file, []byte("territory,user\nWest Coast,zoe@acme.com\nNowhere,chloe@acme.com\nWest Coast,chloe@acme.com\n"), 0o600))
	out = runCLI(t, env, "", "plan", file)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "\n  "+file+`, line 2: "zoe@acme.com": no user`)
	assert.Contains(t, out.stderr, "\n  "+file+`, line 3: "Nowhere": no territory is named "Nowhere"`)
	gets, deletes := calls(t, srv)
	assert.Empty(t, deletes)
	assert.Len(t, gets, 4, "the directory, read once a run")
}

// TestApplyQuestionInterrupted: Ctrl-C at apply's question ends it at
// once, whatever standard input holds: exit 130, nothing sent.
func TestApplyQuestionInterrupted(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	file := filepath.Join(t.TempDir(), "wc.csv")
	require.NoError(t, os.WriteFile(file, []byte("territory,user\nWest Coast,eve@acme.com\n"), 0o600))
	nobody, typing := io.Pipe() // a terminal no one types on
	t.Cleanup(func() { _ = typing.Close() })
	stop := make(chan struct{})
	close(stop) // the first Ctrl-C
	out := cli{env: env, in: nobody, inTTY: true, stop: stop}.run(t, "apply", file)
	assert.Equal(t, 130, out.code)
	assert.Contains(t, out.stderr, "Apply these changes to the org? Only \"yes\" goes on: \nzohoterritory: interrupted at the question; nothing was sent\n")
	assert.Empty(t, out.journal)
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method)
	}
}
