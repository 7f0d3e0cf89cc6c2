package main

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testorg"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestAddUsersAndRestore: add-users by e-mail adds, a member already is
// "already present" (not done without --ignore-present), and restore of
// the add's journal removes those it added and only those.
func TestAddUsersAndRestore(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	out := runCLI(t, env, "", "add-users", "-t", "West Coast", "ben@acme.com", "eve@acme.com", "dev@acme.com", "-o", "json")
	require.Equal(t, 2, out.code, out.stderr) // Dev is a member already
	var res jsonAddResult
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &res))
	assert.Equal(t, []string{ben, eve}, res.Added)
	assert.Equal(t, []string{dev}, res.AlreadyPresent)
	assert.Equal(t, "Ben Brooks", res.Names[ben].Name)
	assert.Contains(t, out.stderr, "1 of 3 ids were not added")
	assert.ElementsMatch(t, []string{chloe, dev, ben, eve}, srv.Members(westCoast))
	require.NotEmpty(t, out.journal)

	again := runCLI(t, env, "", "add-users", "-t", westCoast, ben, "--ignore-present", "-o", "table", "--no-journal")
	require.Equal(t, 0, again.code, again.stderr)
	assert.Contains(t, again.stdout, "0 added, 1 already present, 0 failed, 0 unknown (1 call)")

	undone := runCLI(t, env, "", "restore", out.journal, "-o", "table")
	require.Equal(t, 0, undone.code, undone.stderr)
	assert.Contains(t, undone.stdout, ben+"  Ben Brooks  ben@acme.com  removed")
	assert.Contains(t, undone.stdout, "2 removed, 0 failed, 0 unknown (1 call)")
	assert.ElementsMatch(t, []string{chloe, dev}, srv.Members(westCoast), "Dev, a member before, stays")

	terr := runCLI(t, env, "", "add-territories", "-u", "finn@acme.com", "North America/Key Accounts", "Europe", "--dry-run", "-o", "json")
	require.Equal(t, 0, terr.code, terr.stderr)
	assert.Contains(t, terr.stdout, `"operation": "addTerritoriesToUser"`)
	assert.Contains(t, terr.stdout, keyAccountsNA)
}

// TestMoveIntoATerritoryWithRoomForOne: one of three users moves; the two
// whose add Zoho refused stay where they were, with the reason, exit 2;
// restore puts the one back.
func TestMoveIntoATerritoryWithRoomForOne(t *testing.T) {
	t.Parallel()
	// Key Accounts Europe holds Chloe and Eve: a limit of 3 leaves room
	// for one.
	srv, env := sandbox(t, zohoterritorytest.WithTerritoryUserLimit(3))
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	out := runCLI(t, env, "", "move-users", "--from", "North America", "--to", "Key Accounts Europe",
		"ben@acme.com", "dev@acme.com", "chloe@acme.com", "-o", "table")
	assert.Equal(t, 2, out.code, out.stderr)
	assert.Contains(t, out.stdout, "OP      TERRITORY                   USER            OUTCOME          REASON          MESSAGE")
	assert.Contains(t, out.stdout, "remove  North America               ben@acme.com    failed           manager")
	assert.Contains(t, out.stdout, "remove  North America               dev@acme.com    failed           kept            not removed, so the user keeps it: adding the user to territory "+keyAccountsEU+" failed (failed, limit_exceeded")
	assert.Contains(t, out.stdout, "remove  North America               chloe@acme.com  removed")
	assert.Contains(t, out.stdout, "1 added, 1 already present, 1 removed, 1 kept, 2 failed, 0 unknown (2 calls)")
	assert.ElementsMatch(t, []string{ben, dev}, srv.Members(northAmerica), "Dev stays, the manager stays")
	assert.ElementsMatch(t, []string{chloe, eve, ben}, srv.Members(keyAccountsEU))

	back := runCLI(t, env, "", "restore", out.journal, "-o", "json")
	require.Equal(t, 0, back.code, back.stderr)
	var set jsonSet
	require.NoError(t, json.Unmarshal([]byte(back.stdout), &set))
	assert.Equal(t, jsonCounts{Added: 1, Removed: 1, CallsSent: 2}, set.Counts)
	assert.ElementsMatch(t, []string{ben, chloe, dev}, srv.Members(northAmerica))
	assert.ElementsMatch(t, []string{chloe, eve}, srv.Members(keyAccountsEU), "Ben, added by the move, leaves; Chloe was there before")

	same := runCLI(t, env, "", "move-users", "--from", westCoast, "--to", "West Coast", chloe)
	assert.Equal(t, 1, same.code)
	assert.Contains(t, same.stderr, "must differ from the territory the users move from")
}

// TestCSVOutput: -o csv is a header and a row per membership that
// encoding/csv reads back, every id listed, and a name a spreadsheet would
// run as a formula comes out inert.
func TestCSVOutput(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.DefaultSeed()
	seed.Territories[3].Name = `=HYPERLINK("http://evil.example","West, Coast")` // West Coast
	seed.Users[3].FullName = "+Dev Patel"                                        // Dev
	seed.Users[1].FullName = "@Ben\tBrooks"
	srv, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	out := runCLI(t, env, "", "remove-users", "-t", westCoast, chloe, dev, "ben@acme.com", "-o", "csv", "--no-journal")
	assert.Equal(t, 2, out.code, out.stderr) // Dev manages it, Ben is no member
	records, err := csv.NewReader(strings.NewReader(out.stdout)).ReadAll()
	require.NoError(t, err, out.stdout)
	require.Len(t, records, 4)
	assert.Equal(t, csvHeader, records[0])
	assert.Equal(t, []string{"remove", westCoast, `'=HYPERLINK("http://evil.example","West, Coast")`, `North America/=HYPERLINK("http://evil.example","West, Coast")`,
		chloe, "Chloe Chen", "chloe@acme.com", "removed", "", "SUCCESS", "Given User Removed from the mentioned territory Successfully", ""}, records[1])
	assert.Equal(t, "'+Dev Patel", records[2][5])
	assert.Equal(t, "manager", records[2][8])
	assert.Equal(t, "'@Ben\tBrooks", records[3][5])
	assert.Equal(t, "not_member", records[3][8])
	for _, rec := range records[1:] {
		for _, cell := range rec {
			if cell != "" {
				assert.NotContains(t, "=+-@\t\r", cell[:1], "cell %q would run as a formula", cell)
			}
		}
	}
	assert.Equal(t, []string{dev}, srv.Members(westCoast))

	// A set's CSV too; and ids never sent are listed in CSV and JSON.
	move := runCLI(t, env, "", "move-users", "--from", northAmerica, "--to", europe, dev, "-o", "csv", "--no-journal")
	require.Equal(t, 0, move.code, move.stderr)
	records, err = csv.NewReader(strings.NewReader(move.stdout)).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 3)
	assert.Equal(t, []string{"add", "remove"}, []string{records[1][0], records[2][0]})
}

// TestNotSentIsOneLine: an interrupted run's table keeps the ids never
// sent to one line with the resume command, and counts the calls sent; the
// JSON still lists every id.
func TestNotSentIsOneLine(t *testing.T) {
	t.Parallel()
	org := testorg.NewBulk()
	stop := make(chan struct{})
	var once sync.Once
	_, env := sandbox(t, zohoterritorytest.WithSeed(org.Seed),
		zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Arrived: func(*http.Request) { once.Do(func() { close(stop) }) }}))
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	out := cli{env: env, stdin: strings.Join(org.IDs, "\n"), stop: stop}.run(t, "remove-territories", "-u", testorg.Rep, "--concurrency", "1", "-o", "table")
	assert.Equal(t, 130, out.code, out.stderr)
	assert.Regexp(t, `(?m)^902 ids not sent \(-o json or -o csv lists them\); to send them, run: zohoterritory resume \S+$`, out.stdout)
	assert.Regexp(t, `(?m)^99 removed, 903 failed, 0 unknown \(1 of 11 calls sent\)$`, out.stdout)
	assert.NotContains(t, out.stdout, "not_sent")
	assert.Less(t, strings.Count(out.stdout, "\n"), 10, "the answer stays on one screen")
}

// TestOneRunnerPerJournal: two resumes of one journal started together:
// one runs, the other exits 1 at once, naming the process, and sends
// nothing.
func TestOneRunnerPerJournal(t *testing.T) {
	t.Parallel()
	arrived, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	var holding atomic.Bool // from the first resume on, a request waits for release
	srv, env := sandbox(t, zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Arrived: func(*http.Request) {
		if holding.Load() {
			once.Do(func() { close(arrived) })
			<-release
		}
	}}))
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	// A journal with its call never answered: the first resume has work.
	out := runCLI(t, with(env, "ZOHO_API_DOMAIN", "http://127.0.0.1:1"), "", "remove-users", "-t", northAmerica, chloe, "--max-attempts", "1")
	require.Equal(t, 2, out.code, out.stderr)
	require.NotEmpty(t, out.journal)

	holding.Store(true)
	first := make(chan result)
	go func() { first <- runCLI(t, env, "", "resume", out.journal) }()
	<-arrived // the first resume holds the journal and its call is at the sandbox
	second := runCLI(t, env, "", "resume", out.journal)
	assert.Equal(t, 1, second.code)
	assert.Regexp(t, `is in use: another process \(pid \d+\) is running it; wait for it to end \(or stop it\), then try again; nothing was sent`, second.stderr)
	restore := runCLI(t, env, "", "restore", out.journal)
	assert.Equal(t, 1, restore.code)
	assert.Contains(t, restore.stderr, "is in use")
	close(release)
	got := <-first
	assert.Equal(t, 0, got.code, got.stderr)
	assert.Len(t, srv.Requests(), 1, "the second resume and the restore sent nothing")
}
