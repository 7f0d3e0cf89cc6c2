package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

func TestRemoveUsers(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "remove-users", "--territory", northAmerica, chloe, dev)
	require.Equal(t, 0, out.code, out.stderr)
	want := emptyResult()
	want.Removed = []string{chloe, dev}
	assert.Equal(t, want, decode(t, out.stdout))
	assert.Equal(t, []string{ben}, srv.Members(northAmerica))
	assert.Empty(t, out.stderr)
}

func TestPartialFailureExits2(t *testing.T) {
	t.Parallel()
	_, env := sandbox(t)
	out := runCLI(t, env, "", "remove-users", "-t", northAmerica, "-o", "json", dev, ben)
	assert.Equal(t, 2, out.code)
	want := emptyResult()
	want.Removed = []string{dev}
	want.Failed = []jsonFailed{{ID: ben, Code: "INVALID_DATA", Reason: "manager",
		Message: "This user cannot be removed as the user is a manager of the mentioned Territory."}}
	assert.Equal(t, want, decode(t, out.stdout))
	assert.Equal(t, "zohoterritory: 1 of 2 ids were not removed (1 removed, 1 failed, 0 unknown)\n", out.stderr)
}

func TestRemoveTerritoriesTable(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "remove-territories", "--user", dev, "--output", "table", northAmerica, acme, europe)
	assert.Equal(t, 2, out.code)
	golden(t, "remove_territories_table", out.stdout)
	assert.Equal(t, []string{acme, westCoast}, srv.TerritoriesOf(dev))
}

// TestTableOnATerminal: table is the default on a terminal, JSON when
// piped.
func TestTableOnATerminal(t *testing.T) {
	t.Parallel()
	_, env := sandbox(t)
	out := cli{env: env, outTTY: true}.run(t, "remove-users", "-t", northAmerica, dev)
	require.Equal(t, 0, out.code, out.stderr)
	assert.True(t, strings.HasPrefix(out.stdout, "ID "), out.stdout)
	assert.True(t, strings.HasSuffix(out.stdout, "1 removed, 0 failed, 0 unknown (1 call)\n"), out.stdout)
}

// TestLongTableShowsWhatNeedsAttention: past 50 rows the table keeps to
// the failed and unknown ids and the counts; --all-rows shows every id;
// JSON always holds every id.
func TestLongTableShowsWhatNeedsAttention(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.Seed{
		Users:       []zohoterritorytest.User{{ID: "1", FullName: "Caller"}, {ID: "2", FullName: "Boss"}},
		Territories: []zohoterritorytest.Territory{{ID: "3", Name: "Big", ManagerID: "2"}},
		CallerID:    "1",
	}
	var ids []string
	for i := range 120 {
		id := fmt.Sprintf("9%05d", i)
		ids = append(ids, id)
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: id, FullName: "U"})
		seed.Territories[0].Members = append(seed.Territories[0].Members, id)
	}
	ids = append(ids, "2") // the manager: refused
	stdin := strings.Join(ids, "\n")

	_, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	out := runCLI(t, env, stdin, "remove-users", "-t", "3", "-o", "table")
	assert.Equal(t, 2, out.code)
	golden(t, "remove_users_long_table", out.stdout)

	_, env = sandbox(t, zohoterritorytest.WithSeed(seed))
	out = runCLI(t, env, stdin, "remove-users", "-t", "3", "-o", "table", "--all-rows")
	assert.Equal(t, 2, out.code)
	assert.Equal(t, 1+121+1, strings.Count(out.stdout, "\n"), "a header, a row per id, the summary")

	_, env = sandbox(t, zohoterritorytest.WithSeed(seed))
	out = runCLI(t, env, stdin, "remove-users", "-t", "3", "-o", "json")
	assert.Len(t, decode(t, out.stdout).Removed, 120)
}

// TestIgnoreAbsent: a re-run converges visibly. Without the flag the ids
// gone already fail not_member and exit 2; with it they are "absent",
// done, and the exit status is 0.
func TestIgnoreAbsent(t *testing.T) {
	t.Parallel()
	_, env := sandbox(t)
	first := runCLI(t, env, "", "remove-territories", "-u", chloe, westCoast, northAmerica, europe)
	require.Equal(t, 0, first.code, first.stderr)

	again := runCLI(t, env, "", "remove-territories", "-u", chloe, westCoast, northAmerica, europe)
	assert.Equal(t, 2, again.code)
	r := decode(t, again.stdout)
	require.Len(t, r.Failed, 3)
	assert.Equal(t, "not_member", r.Failed[0].Reason)
	assert.Empty(t, r.Absent)

	converged := runCLI(t, env, "", "remove-territories", "-u", chloe, "--ignore-absent", westCoast, northAmerica, europe)
	assert.Equal(t, 0, converged.code, converged.stderr)
	r = decode(t, converged.stdout)
	assert.Equal(t, []string{westCoast, northAmerica, europe}, r.Absent)
	assert.Empty(t, r.Failed)
	assert.Empty(t, converged.stderr)

	table := runCLI(t, env, "", "remove-territories", "-u", chloe, "--ignore-absent", "-o", "table", westCoast)
	assert.Equal(t, 0, table.code)
	assert.Contains(t, table.stdout, westCoast+"  West Coast  North America/West Coast  absent   already not a member")
	assert.Contains(t, table.stdout, "0 removed, 0 failed, 0 unknown, 1 absent (1 call)")
}

// TestInferredAndUnknownCausesInJSON: an id removed by an attempt whose
// answer was lost is listed under "inferred" (and "removed"); an unknown
// id has its cause.
func TestInferredAndUnknownCausesInJSON(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t, zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError, Count: 1}))
	out := runCLI(t, env, "", "remove-users", "-t", northAmerica, "--max-delay", "1ms", chloe, dev)
	require.Equal(t, 0, out.code, out.stderr)
	r := decode(t, out.stdout)
	assert.Equal(t, []string{chloe, dev}, r.Removed)
	assert.Equal(t, []string{chloe, dev}, r.Inferred, "the 500 had removed them; the retry says not a member")

	require.NoError(t, srv.SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError, Count: 1}))
	out = runCLI(t, env, "", "remove-territories", "-u", dev, "--max-attempts", "1", westCoast)
	assert.Equal(t, 2, out.code)
	r = decode(t, out.stdout)
	assert.Equal(t, []string{westCoast}, r.Unknown)
	require.Len(t, r.UnknownCauses, 1)
	assert.Equal(t, jsonCause{ID: westCoast, Cause: "removeTerritoryFromUser: 500: INTERNAL_SERVER_ERROR: Internal Server Error"}, r.UnknownCauses[0])
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
	out := runCLI(t, env, strings.Join(ids, "\n"), "remove-users", "--territory", "2", "--concurrency", "2")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, ids, decode(t, out.stdout).Removed)
	assert.Len(t, srv.Requests(), 4, "250 ids of 6 digits in 4 calls of at most 500 characters (71 ids)")
	assert.Empty(t, out.stderr, "no progress when stderr is not a terminal")
}

// TestProgressOnTerminal: on a terminal, progress counts the ids whose
// outcome is known.
func TestProgressOnTerminal(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.Seed{
		Users:       []zohoterritorytest.User{{ID: "1", FullName: "Caller"}},
		Territories: []zohoterritorytest.Territory{{ID: "2", Name: "Big", ManagerID: "1"}},
		CallerID:    "1",
	}
	var ids []string
	for i := range 150 {
		id := fmt.Sprintf("9%05d", i)
		ids = append(ids, id)
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: id})
		seed.Territories[0].Members = append(seed.Territories[0].Members, id)
	}
	_, env := sandbox(t, zohoterritorytest.WithSeed(seed))
	out := cli{env: env, stdin: strings.Join(ids, "\n"), errTTY: true}.run(t, "remove-users", "-t", "2", "--concurrency", "1")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, "\r71 of 150 ids done\r142 of 150 ids done\r150 of 150 ids done\n", out.stderr)
}
