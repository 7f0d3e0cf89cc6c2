package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// TestJournalByDefault: a removal writes its journal in the state
// directory, says where on stderr, and keeps it private and secret-free.
func TestJournalByDefault(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	state := t.TempDir()
	env = with(env, "XDG_STATE_HOME", state)
	out := runCLI(t, env, "", "remove-users", "--territory", northAmerica, chloe, dev)
	require.Equal(t, 0, out.code, out.stderr)
	require.NotEmpty(t, out.journal)
	assert.Equal(t, filepath.Join(state, "zohoterritory"), filepath.Dir(out.journal))
	assert.True(t, strings.HasSuffix(out.journal, "-remove-users-"+northAmerica+".jsonl"), out.journal)

	fi, err := os.Stat(out.journal)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(filepath.Dir(out.journal))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
	b, err := os.ReadFile(out.journal)
	require.NoError(t, err)
	assert.NotContains(t, string(b), srv.AccessToken())

	run, err := journal.Read(out.journal)
	require.NoError(t, err)
	assert.Equal(t, "remove-users", run.Command)
	assert.Equal(t, srv.URL(), run.APIDomain)
	assert.True(t, run.Complete())
	assert.Equal(t, []string{chloe, dev}, run.Changes[0].Done())
}

func TestJournalFlags(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	state := t.TempDir()
	env = with(env, "XDG_STATE_HOME", state)
	dir := filepath.Join(state, "zohoterritory")

	out := runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--no-journal", chloe)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.journal)
	assert.NoDirExists(t, dir, "no journal, no state directory")

	out = runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--dry-run", dev)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.journal, "a dry run sends nothing and journals nothing")

	out = runCLI(t, env, "", "remove-users", "--territory", northAmerica, "x1")
	assert.Equal(t, 1, out.code)
	assert.NoDirExists(t, dir, "bad input leaves no journal")

	mine := filepath.Join(t.TempDir(), "sub", "mine.jsonl")
	out = runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--journal", mine, dev)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, mine, out.journal)
	requests := len(srv.Requests())
	out = runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--journal", mine, dev)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "exists already; a journal is never overwritten")
	assert.Len(t, srv.Requests(), requests, "nothing sent")

	out = runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--journal", mine, "--no-journal", dev)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "--journal and --no-journal: give one of them")

	out = runCLI(t, with(env, "XDG_STATE_HOME", "", "HOME", "relative"), "", "remove-users", "--territory", northAmerica, dev)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "no state directory")
	assert.Contains(t, out.stderr, "to an absolute path, or give --journal FILE (or --no-journal)")
	assert.Len(t, srv.Requests(), requests, "nothing sent")
}

// TestResumeRefusesBadJournals: a journal that cannot be taken whole is
// refused by file and line, and nothing is sent.
func TestResumeRefusesBadJournals(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	out := runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--journal", good, chloe)
	require.Equal(t, 0, out.code, out.stderr)
	b, err := os.ReadFile(good)
	require.NoError(t, err)
	header, rest, _ := strings.Cut(string(b), "\n")
	requests := len(srv.Requests())

	for name, body := range map[string]string{
		"malformed":       header + "\n{oops\n" + rest,
		"unknown version": strings.Replace(header, `"version":2`, `"version":9`, 1) + "\n" + rest,
		"not a journal":   "id\n" + chloe + "\n",
		"empty":           "",
	} {
		p := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".jsonl")
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		for _, cmd := range []string{"resume", "restore"} {
			out := runCLI(t, env, "", cmd, p)
			assert.Equal(t, 1, out.code, "%s %s", cmd, name)
			assert.Contains(t, out.stderr, p, "%s %s", cmd, name)
			assert.Contains(t, out.stderr, "nothing was sent", "%s %s", cmd, name)
		}
	}
	assert.Len(t, srv.Requests(), requests, "nothing sent")

	out = runCLI(t, env, "", "resume")
	assert.Equal(t, 1, out.code, "the journal is required")
	out = runCLI(t, env, "", "resume", filepath.Join(dir, "none.jsonl"))
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "no such file")

	// A complete journal: nothing to send, the result again.
	out = runCLI(t, env, "", "resume", good)
	assert.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, []string{chloe}, decode(t, out.stdout).Removed)
	assert.Contains(t, out.stderr, "every id has its outcome; nothing to send")
	assert.Len(t, srv.Requests(), requests)
}

func TestRestore(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	before := srv.Members(northAmerica)
	p := filepath.Join(t.TempDir(), "na.jsonl")
	out := runCLI(t, env, "", "remove-users", "--territory", northAmerica, "--journal", p, chloe, dev, ben)
	require.Equal(t, 2, out.code, "Ben manages it: %s", out.stderr)
	assert.Equal(t, []string{ben}, srv.Members(northAmerica))

	out = runCLI(t, nil, "", "restore", "--dry-run", "-o", "json", p)
	require.Equal(t, 0, out.code, "a dry run needs no credentials: %s", out.stderr)
	var plan jsonPlan
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &plan))
	require.Len(t, plan.Planned, 1)
	assert.Equal(t, "PUT", plan.Planned[0].Method)
	assert.Equal(t, "addUsersToTerritory", plan.Planned[0].Operation)
	assert.Equal(t, []string{chloe, dev}, plan.Planned[0].IDs, "never Ben, whom the removal did not remove")

	out = runCLI(t, env, "", "restore", "-o", "json", p)
	require.Equal(t, 0, out.code, out.stderr)
	assert.NotEmpty(t, out.journal, "a restore is journaled too")
	var res jsonAddResult
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &res))
	assert.Equal(t, []string{chloe, dev}, res.Added)
	assert.Equal(t, before, srv.Members(northAmerica))

	// Again: every membership is there already, which counts as restored.
	out = runCLI(t, env, "", "restore", "-o", "json", p)
	require.Equal(t, 0, out.code, out.stderr)
	res = jsonAddResult{}
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &res))
	assert.Equal(t, []string{chloe, dev}, res.AlreadyPresent)
	assert.Empty(t, res.Added)

	// A restore's own journal is an add; the second restore added nothing
	// (every membership was there), so there is nothing to undo.
	out2 := runCLI(t, env, "", "restore", out.journal)
	assert.Equal(t, 0, out2.code, out2.stderr)
	assert.Contains(t, out2.stderr, "the run changed nothing; nothing to restore")
}

func TestRuns(t *testing.T) {
	t.Parallel()
	_, env := sandbox(t)
	state := t.TempDir()
	env = with(env, "XDG_STATE_HOME", state)
	out := runCLI(t, env, "", "remove-users", "--territory", northAmerica, chloe, dev)
	require.Equal(t, 0, out.code, out.stderr)
	first := out.journal
	out = runCLI(t, env, "", "remove-territories", "--user", chloe, westCoast, acme)
	require.Equal(t, 2, out.code, out.stderr)
	require.NoError(t, os.WriteFile(filepath.Join(state, "zohoterritory", "zz-broken.jsonl"), []byte("{oops\n"), 0o600))

	out = runCLI(t, env, "", "runs", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	var runs []jsonRun
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &runs))
	require.Len(t, runs, 3)
	assert.Equal(t, first, runs[0].Path, "oldest first")
	assert.Equal(t, jsonRun{Path: first, Started: runs[0].Started, Command: "remove-users", Op: "remove-users", Owner: northAmerica,
		State: "complete", IDs: 2, Done: 2}, runs[0])
	assert.Equal(t, "remove-territories", runs[1].Command)
	assert.Equal(t, 1, runs[1].Done)
	assert.Equal(t, 1, runs[1].Failed, "the default territory")
	assert.Equal(t, "unreadable", runs[2].State)
	assert.Contains(t, runs[2].Error, "line 1")

	out = runCLI(t, env, "", "runs", "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "STARTED")
	assert.Contains(t, out.stdout, filepath.Base(first))

	out = runCLI(t, with(env, "XDG_STATE_HOME", t.TempDir()), "", "runs", "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "no journals in")
}
