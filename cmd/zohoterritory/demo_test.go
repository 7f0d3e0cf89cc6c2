package main

import (
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
