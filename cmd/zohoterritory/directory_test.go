package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTerritoriesTree: the hierarchy as a tree with managers and member
// counts; as JSON the same tree; without counts, the listing alone.
func TestTerritoriesTree(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "territories", "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "territories_table", out.stdout)
	gets, _ := calls(t, srv)
	assert.Len(t, gets, 1+6, "the listing, and a count a territory")

	out = runCLI(t, env, "", "territories", "--no-counts")
	require.Equal(t, 0, out.code, out.stderr)
	var tree struct {
		Territories []jsonTreeNode `json:"territories"`
	}
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &tree))
	require.Len(t, tree.Territories, 1)
	root := tree.Territories[0]
	assert.Equal(t, acme, root.ID)
	assert.Nil(t, root.Members)
	require.Len(t, root.Children, 2)
	assert.Equal(t, "Europe/Key Accounts Europe", root.Children[1].Children[0].Path)
	assert.Equal(t, "Chloe Chen", root.Children[1].Children[0].Manager.Name)
	gets, _ = calls(t, srv)
	assert.Len(t, gets, 8, "no counts: one call more")
	assert.Empty(t, srv.RequestViolations())
}

func TestUsersCommand(t *testing.T) {
	t.Parallel()
	_, env := sandbox(t)
	out := runCLI(t, env, "", "users", "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "users_table", out.stdout)
	assert.NotContains(t, out.stdout, "gus@acme.com", "deleted users only with --status deleted")

	out = runCLI(t, env, "", "users", "--status", "deleted", "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "Gus Grant")
	assert.Equal(t, 3, strings.Count(out.stdout, "\n"))

	out = runCLI(t, env, "", "users", "--status", "gone")
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: --status \"gone\": want active, inactive, deleted or all\n", out.stderr)
}
