package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// treeWrites returns the index (from 1) of each change request an apply of
// the edited demo org makes, one call at a time, by its method: the
// requests before the first are the reads of the org. It applies the file
// once against a sandbox of its own.
func treeWrites(t *testing.T, file string) map[string][]int {
	t.Helper()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "apply", file, "--allow-delete", "--yes", "--concurrency", "1", "--no-journal", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	writes := map[string][]int{}
	for i, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			writes[r.Method] = append(writes[r.Method], i+1)
		}
	}
	return writes
}

// TestKilledTreeApplyIsResumed kills apply of a tree file with SIGKILL at
// several points (mid-create, mid-move, during the membership changes,
// mid-delete; before a call is sent, with it carried out and its answer
// lost, with half its answer read; and the resume killed too). Each time
// resume finishes the run: no territory is created twice, and the org is
// at the target (the file plans to no changes). Restore then brings back
// the org as it was.
func TestKilledTreeApplyIsResumed(t *testing.T) {
	t.Parallel()
	file := writeTree(t, t.TempDir(), "tree.yaml", editedTree)
	writes := treeWrites(t, file)
	require.Len(t, writes[http.MethodPost], 1, "a create: %v", writes)
	require.Len(t, writes[http.MethodPut], 3, "one update of three territories (the move among them), two adds: %v", writes)
	require.Len(t, writes[http.MethodDelete], 2, "a removal, a delete: %v", writes)
	create, move, add := writes[http.MethodPost][0], writes[http.MethodPut][0], writes[http.MethodPut][1]
	remove, del := writes[http.MethodDelete][0], writes[http.MethodDelete][1]
	require.Less(t, remove, del, "members change before the delete")

	type kill struct {
		at   int
		mode killMode
	}
	tests := []struct {
		name  string
		kills []kill // the first kills the apply, the next ones each a resume
	}{
		{"before the create is sent", []kill{{create, killBeforeSent}}},
		{"mid-create: the create carried out, its answer lost", []kill{{create, killAfterWork}}},
		{"mid-create: half its answer read", []kill{{create, killMidAnswer}}},
		{"mid-move: the update carried out, its answer lost", []kill{{move, killAfterWork}}},
		{"mid-move: half its answer read", []kill{{move, killMidAnswer}}},
		{"with an add carried out", []kill{{add, killAfterWork}}},
		{"with a removal carried out", []kill{{remove, killAfterWork}}},
		{"mid-delete: the delete carried out, its answer lost", []kill{{del, killAfterWork}}},
		{"mid-delete: before it is sent", []kill{{del, killBeforeSent}}},
		{"and the resume killed too", []kill{{create, killAfterWork}, {2, killAfterWork}, {1, killMidAnswer}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, env := sandbox(t)
			original := runCLI(t, env, "", "export")
			require.Equal(t, 0, original.code, original.stderr)
			state := t.TempDir()
			journalPath := filepath.Join(state, "apply.jsonl")
			procEnv := func(apiDomain string) []string {
				return []string{"PATH=" + os.Getenv("PATH"), "XDG_STATE_HOME=" + state,
					"ZOHO_API_DOMAIN=" + apiDomain, "ZOHO_ACCESS_TOKEN=" + srv.AccessToken()}
			}
			g := newGate(t, srv.URL(), tt.kills[0].at, tt.kills[0].mode)
			startKilled(t, g, procEnv(g.srv.URL), "", "apply", file, "--allow-delete", "--yes", "--concurrency", "1", "--journal", journalPath, "-o", "json")
			require.NoError(t, srv.WaitIdle(t.Context()))
			for _, k := range tt.kills[1:] {
				g := newGate(t, srv.URL(), k.at, k.mode)
				startKilled(t, g, procEnv(g.srv.URL), "", "resume", journalPath, "--concurrency", "1", "-o", "json")
				require.NoError(t, srv.WaitIdle(t.Context()))
			}

			stdout, stderr, code := runBinary(t, procEnv(srv.URL()), "resume", journalPath, "-o", "json")
			require.Equal(t, 0, code, "resume: %s", stderr)
			var res jsonTreeRun
			require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
			// The new territory's manager, whom Zoho makes a member as it
			// creates the territory, comes out present already, or added
			// when a killed add of it is settled by its retry.
			n := res.Counts
			assert.Equal(t, 3, n.Added+n.Present, "every add accounted for")
			n.Added, n.Present = 0, 0
			assert.Equal(t, jsonTreeCounts{Created: 1, Updated: 3, Deleted: 1, Removed: 1}, n, "every step of the plan accounted for")
			names := map[string]string{}
			for _, tr := range srv.Territories() {
				key := strings.ToLower(tr.Name)
				assert.Empty(t, names[key], "no name twice: %s and %s are both %q", names[key], tr.ID, tr.Name)
				names[key] = tr.ID
			}
			assert.Len(t, namedIDs(srv, "Nordics"), 1, "created once")
			if k := tt.kills[0]; k.at == create && k.mode != killBeforeSent {
				require.NotEmpty(t, res.Steps[0].Items)
				assert.True(t, res.Steps[0].Items[0].Inferred, "the create whose answer was lost was found by its name: %+v", res.Steps[0].Items[0])
			}
			out := runCLI(t, env, "", "plan", file, "--allow-delete", "--detailed-exitcode", "-o", "table")
			assert.Equal(t, 0, out.code, "the org is at the target: %s%s", out.stdout, out.stderr)

			stdout, stderr, code = runBinary(t, procEnv(srv.URL()), "restore", journalPath, "-o", "json")
			require.Equal(t, 0, code, "restore: %s", stderr)
			var restored jsonTreeRun
			require.NoError(t, json.Unmarshal([]byte(stdout), &restored), stdout)
			again := runCLI(t, env, "", "export")
			require.Equal(t, 0, again.code, again.stderr)
			assert.Equal(t, withoutHeader(strings.Replace(original.stdout, keyAccountsNA, restored.Restored[keyAccountsNA], 1)), withoutHeader(again.stdout),
				"the org as it was, the territory created again under its new id")
		})
	}
}
