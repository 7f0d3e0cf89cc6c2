package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDemo: the demo runs the tool's own commands against the sandbox and
// shows, in one screen, a refused id, an offboarding with --all, a fault
// whose lost answer resume settles, a restore from a journal, and the exit
// statuses.
func TestDemo(t *testing.T) {
	t.Parallel()
	out := runCLI(t, nil, "", "demo")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.stderr)
	golden(t, "demo", out.stdout)
	assert.LessOrEqual(t, strings.Count(out.stdout, "\n"), 50, "one screen")
	for _, s := range []string{"failed   manager", "skipped  default_territory", "unknown", "removed by an earlier attempt", "added", "(exit 2)", "(exit 0)"} {
		assert.Contains(t, out.stdout, s)
	}
}

// TestVerbose: -v logs each attempt and each retry on stderr, one line
// each, never a token.
func TestVerbose(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	require.NoError(t, srv.SetFaults())
	out := runCLI(t, env, "", "-v", "remove-users", "-t", northAmerica, chloe, dev)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Regexp(t, `^zohoterritory: removeUsersFromTerritory attempt 1: DELETE /crm/v7/settings/territories/`+northAmerica+`/users -> 200 \(\d+(\.\d+)?m?s\)\n`+
		`zohoterritory: 1 call; adaptive concurrency: limit 4 \(cap 25\), no 429, at most 1 in flight\n$`, out.stderr)
	assert.NotContains(t, out.stderr, srv.AccessToken())

	out = runCLI(t, env, "", "remove-users", "-t", northAmerica, ben)
	assert.Empty(t, strings.TrimPrefix(out.stderr, "zohoterritory: 1 of 1 ids were not removed (0 removed, 1 failed, 0 unknown)\n"), "without -v no attempt is logged")
}

// TestDemoTree: the tree demo exports the sandbox's org, edits the file,
// plans it (exit 2, the delete's warning), applies the saved plan, finds
// the org matching the file, and restores the org, naming the territory
// created again under its new id.
func TestDemoTree(t *testing.T) {
	t.Parallel()
	out := runCLI(t, nil, "", "demo", "tree")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.stderr)
	golden(t, "demo_tree", out.stdout)
	codes := regexp.MustCompile(`\(exit (\d+)\)`).FindAllStringSubmatch(out.stdout, -1)
	var got []string
	for _, m := range codes {
		got = append(got, m[1])
	}
	assert.Equal(t, []string{"0", "2", "0", "0", "0"}, got, "export, plan, apply, plan again, restore")
	for _, s := range []string{
		"Plan: 1 to create, 1 to update, 1 to delete; 2 memberships to add, 0 to remove",
		"name  West Coast → Pacific",
		"No changes: the org matches the file.",
		"created again: North America/Key Accounts: 5725767000000452005 → ",
		"a restore does not assign them again",
		"restore-tree.jsonl\nstderr: zohoterritory: the plan deletes 1 territory", // the restore warns before it deletes Nordics
	} {
		assert.Contains(t, out.stdout, s)
	}
	assert.NotContains(t, out.stdout, os.TempDir(), "the demo's files are shown by name")
}
