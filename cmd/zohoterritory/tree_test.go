package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// The demo org's export, edited as the "Done when" says: a child
// added (Europe/Nordics, with an inactive user, whose add is skipped), one
// renamed (Key Accounts Europe), one moved to another parent (West Coast,
// to Europe), a manager changed (North America's, to Dev), members changed
// (Chloe out of North America, Eve in) and one dropped (North
// America/Key Accounts, deleted with --allow-delete).
const editedTree = `format: zohoterritory-tree
version: 1
territories:
  - name: Acme Org
    id: "5725767000000452001"
    manager: ava@acme.com
    permission: read_write_delete
    description: Organization Parent Territory
    users: [ava@acme.com, ben@acme.com, chloe@acme.com, dev@acme.com, eve@acme.com]
    children:
      - name: Europe
        id: "5725767000000452003"
        manager: eve@acme.com
        permission: read_write_delete
        users: [chloe@acme.com, eve@acme.com, finn@acme.com]
        children:
          - name: Key Accounts EMEA
            id: "5725767000000452006"
            manager: chloe@acme.com
            permission: read_write_delete
            users: [chloe@acme.com, eve@acme.com]
          - name: Nordics
            manager: eve@acme.com
            permission: read_only
            description: Sweden, Norway, Denmark and Finland
            users: [chloe@acme.com, finn@acme.com]
          - name: West Coast
            id: "5725767000000452004"
            manager: dev@acme.com
            permission: read_write_delete
            users: [chloe@acme.com, dev@acme.com]
      - name: North America
        id: "5725767000000452002"
        manager: dev@acme.com
        permission: read_write_delete
        users: [ben@acme.com, dev@acme.com, eve@acme.com]
`

// keyAccountsGone is what apply --yes of editedTree says on stderr before
// it sends anything: the territory it deletes, what that takes away, and
// that the records assigned to it lose it for good.
const keyAccountsGone = "zohoterritory: the plan deletes 1 territory; the records assigned to it lose it, and a restore does not assign them again:\n" +
	"  - North America/Key Accounts (5725767000000452005): its 2 members (ben@acme.com, chloe@acme.com)\n"

// timeRE matches the times a run writes (the export's, a plan's).
var timeRE = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)

// stable is out with what changes from run to run made constant: the
// test's directory and the times.
func stable(out, dir string) string {
	return timeRE.ReplaceAllString(strings.ReplaceAll(out, dir, "DIR"), "TIME")
}

// withoutHeader is an export without its first line, which says when it
// was made.
func withoutHeader(export string) string {
	_, rest, _ := strings.Cut(export, "\n")
	return rest
}

// onlyReads asserts the sandbox was sent no change.
func onlyReads(t *testing.T, srv *zohoterritorytest.Server) {
	t.Helper()
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, "nothing was sent: %s %s", r.Method, r.Path)
	}
}

// writeTree writes text to name in dir and returns its path.
func writeTree(t *testing.T, dir, name, text string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o600))
	return path
}

// TestTreePlanOnlySkips: a file whose one difference from the org is a
// membership the plan must leave alone (an inactive user, whom Zoho does
// not add) plans no change, and says that the org matches the file but for
// it, not that it matches the file.
func TestTreePlanOnlySkips(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	out := runCLI(t, env, "", "export")
	require.Equal(t, 0, out.code, out.stderr)
	edited := strings.Replace(out.stdout, "users: [chloe@acme.com, dev@acme.com]\n", "users: [chloe@acme.com, dev@acme.com, finn@acme.com]\n", 1)
	require.NotEqual(t, out.stdout, edited, "West Coast's members")
	file := writeTree(t, t.TempDir(), "tree.yaml", edited)
	out = runCLI(t, env, "", "plan", file, "--detailed-exitcode", "-o", "table")
	assert.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stdout, "finn@acme.com skipped, not added (user_inactive)")
	assert.Contains(t, out.stdout, "No changes to make: the org matches the file but for the 1 membership left alone above.\n")
	assert.NotContains(t, out.stdout, "No changes: the org matches the file.")
	onlyReads(t, srv)
}

// TestExport: the demo org as a tree file and as a membership file; a
// fresh export of either plans to no changes; --out writes a new file,
// mode 0600, and replaces one only with --clobber.
func TestExport(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	dir := t.TempDir()

	out := runCLI(t, env, "", "export")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.stderr)
	golden(t, "export_yaml", stable(out.stdout, dir))
	exported := writeTree(t, dir, "tree.yaml", out.stdout)

	out = runCLI(t, env, "", "export", "-o", "csv")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "export_csv", out.stdout)
	csvFile := writeTree(t, dir, "memberships.csv", out.stdout)

	for _, file := range []string{exported, csvFile} {
		out = runCLI(t, env, "", "plan", file, "--detailed-exitcode", "-o", "table")
		assert.Equal(t, 0, out.code, "%s: %s", file, out.stderr)
		assert.Contains(t, out.stdout, "No changes: the org", file)
	}
	onlyReads(t, srv)

	path := filepath.Join(dir, "out.yaml")
	out = runCLI(t, env, "", "export", "--out", path)
	require.Equal(t, 0, out.code, out.stderr)
	assert.Empty(t, out.stdout)
	assert.Equal(t, "zohoterritory: exported 6 territories and 17 memberships to "+path+"\n", out.stderr)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	require.NoError(t, os.WriteFile(path, []byte("edited\n"), 0o600))
	calls := srv.Stats().Calls
	out = runCLI(t, env, "", "export", "--out", path)
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: --out "+path+": the file exists; give --clobber to replace it, or another name\n", out.stderr)
	nowhere := filepath.Join(dir, "no such directory", "x.yaml")
	out = runCLI(t, env, "", "export", "--out", nowhere)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "zohoterritory: --out: ")
	out = runCLI(t, env, "", "plan", exported, "--out", nowhere)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "zohoterritory: --out: ")
	assert.Equal(t, calls, srv.Stats().Calls, "refused before the org is read")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "edited\n", string(b), "left as it was")
	out = runCLI(t, env, "", "export", "--out", path, "--clobber", "-o", "csv")
	require.Equal(t, 0, out.code, out.stderr)
	b, err = os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(b), "territory,user\n"))
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 3, "no temporary file left behind")

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-o", "json"}, `--output "json": want yaml or csv`},
		{[]string{"--clobber"}, "--clobber: give it with --out FILE"},
		{[]string{"extra"}, `unknown command "extra"`},
	} {
		out = runCLI(t, env, "", append([]string{"export"}, tt.args...)...)
		assert.Equal(t, 1, out.code, tt.args)
		assert.Contains(t, out.stderr, tt.want, tt.args)
	}
	out = runCLI(t, with(env, "ZOHO_ACCESS_TOKEN", "wrong"), "", "export")
	assert.Equal(t, 4, out.code, out.stderr)
	assert.Contains(t, out.stderr, "reading the org failed, so nothing was exported")
	assert.Empty(t, out.stdout)
}

// TestTreePlan: the edited export plans to exactly its edits, as a table
// and as JSON, and exits 2 with --detailed-exitcode; nothing is sent;
// --out saves the plan (mode 0600) that apply takes, and plan refuses it.
func TestTreePlan(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	dir := t.TempDir()
	file := writeTree(t, dir, "tree.yaml", editedTree)

	out := runCLI(t, env, "", "plan", file, "--allow-delete", "--detailed-exitcode", "-o", "table")
	assert.Equal(t, 2, out.code, out.stderr)
	assert.Equal(t, "zohoterritory: the org differs from the file: the plan has changes\n", out.stderr)
	golden(t, "plan_tree_table", out.stdout)

	out = runCLI(t, env, "", "plan", file, "--allow-delete", "--detailed-exitcode", "-o", "json")
	assert.Equal(t, 2, out.code, out.stderr)
	golden(t, "plan_tree_json", stable(out.stdout, dir))
	var planned jsonTreePlan
	dec := json.NewDecoder(strings.NewReader(out.stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&planned))
	assert.Equal(t, jsonTreeTotals{Create: 1, Update: 3, Delete: 1, Add: 3, Remove: 1}, planned.Totals)
	assert.Equal(t, file, planned.Plan.Source)

	saved := filepath.Join(dir, "tree.plan")
	out = runCLI(t, env, "", "plan", file, "--allow-delete", "--out", saved, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, "zohoterritory: saved the plan to "+saved+"; make it with: zohoterritory apply "+saved+"\n", out.stderr)
	fi, err := os.Stat(saved)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	fh, err := os.Open(saved)
	require.NoError(t, err)
	defer fh.Close()
	p, err := tree.ReadPlan(fh, saved)
	require.NoError(t, err)
	assert.Equal(t, planned.Plan.Steps, p.Steps)

	out = runCLI(t, env, "", "plan", saved)
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: "+saved+" is a saved tree plan, not a file to plan: make it with zohoterritory apply "+saved+"\n", out.stderr)
	onlyReads(t, srv)
}

// TestTreePlanRefusals: each thing the issue says is refused exits 1
// before anything is sent, by plan and by apply, naming every problem with
// its place in the file; a flag that does not apply to the file is
// refused naming it.
func TestTreePlanRefusals(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 51)
	many := strings.Builder{}
	for i := range 245 {
		fmt.Fprintf(&many, "          - name: Region %d\n            permission: read_only\n", i)
	}
	tests := []struct {
		name string
		// edit replaces old with new in editedTree, in pairs.
		edit []string
		args []string
		want []string
	}{
		{"a name over 50 characters", []string{"name: Nordics", "name: " + long}, nil,
			[]string{`tree.yaml:22:19: territory "Europe/` + long + `": name: 51 characters: Zoho allows at most 50`}},
		{"a name repeated", []string{"name: Nordics", "name: north america"}, nil,
			[]string{`tree.yaml:32:15: territory "North America": name: repeated: the territory at line 22 has this name too, and Zoho's names are unique ignoring case`}},
		{"an id twice", []string{`id: "5725767000000452004"`, `id: "5725767000000452006"`}, nil,
			[]string{`tree.yaml:28:17: territory "Europe/West Coast": id: repeated: the territory at line 17 has this id too, and an id names one territory`}},
		{"an id the org no longer has", []string{`id: "5725767000000452004"`, `id: "5725767000000452999"`}, nil,
			[]string{`tree.yaml:28:17: territory "Europe/West Coast": id: the org has no territory 5725767000000452999: deleted since the file was written? Leave the id out to create the territory anew`}},
		{"an unknown manager", []string{"manager: dev@acme.com\n        permission", "manager: zoe@acme.com\n        permission"}, nil,
			[]string{`tree.yaml:34:18: territory "North America": manager: no user of the org has the e-mail address "zoe@acme.com" (every user was read, deactivated ones included)`}},
		{"an inactive manager", []string{"manager: eve@acme.com\n            permission: read_only", "manager: finn@acme.com\n            permission: read_only"}, nil,
			[]string{`tree.yaml:23:22: territory "Europe/Nordics": manager: finn@acme.com is inactive: a territory's manager must be an active user`}},
		{"an unknown user", []string{"users: [ben@acme.com, dev@acme.com, eve@acme.com]", "users: [ben@acme.com, dev@acme.com, eve@acme.com, zoe@acme.com]"}, nil,
			[]string{`tree.yaml:36:59: territory "North America": users[3]: no user of the org has the e-mail address "zoe@acme.com" (every user was read, deactivated ones included)`}},
		{"a new territory without permission", []string{"            permission: read_only\n", ""}, nil,
			[]string{`tree.yaml:22:13: territory "Europe/Nordics": permission: a new territory needs one: read_only or read_write_delete`}},
		{"a second root", []string{"territories:\n", "territories:\n  - name: Second\n    permission: read_only\n"}, nil,
			[]string{`tree.yaml:6:5: territories: a second root: the org has one root territory, and every other is under it`}},
		{"a changed root", []string{"description: Organization Parent Territory", "description: The whole company"}, nil,
			[]string{`tree.yaml:8:18: territory "Acme Org": description: the org's root territory: Zoho changes only its name (it has "Organization Parent Territory")`}},
		{"a description over 250 characters", []string{"Sweden, Norway, Denmark and Finland", strings.Repeat("d", 251)}, nil,
			[]string{`tree.yaml:25:26: territory "Europe/Nordics": description: 251 characters: Zoho allows at most 250`}},
		{"more territories than the org holds", []string{"      - name: North America\n", many.String() + "      - name: North America\n"}, nil,
			[]string{`tree.yaml: the tree would hold 251 territories: the org holds at most 250`}},
		{"a territory left out", nil, []string{"--concurrency", "1"},
			[]string{`tree.yaml: territory "North America/Key Accounts": the org has it (id 5725767000000452005) and the file does not: deleting it, which must be allowed, would take away its 2 members (ben@acme.com, chloe@acme.com); the territory from the records assigned to it; give --allow-delete to delete it`}},
		{"--by with a tree file", nil, []string{"--by", "user"},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, env := sandbox(t)
			text := editedTree
			for i := 0; i+1 < len(tt.edit); i += 2 {
				require.Contains(t, text, tt.edit[i])
				text = strings.Replace(text, tt.edit[i], tt.edit[i+1], 1)
			}
			dir := t.TempDir()
			file := writeTree(t, dir, "tree.yaml", text)
			args := tt.args
			if args == nil {
				args = []string{"--allow-delete"}
			}
			for _, command := range [][]string{{"plan", file}, {"apply", file, "--yes"}} {
				out := runCLI(t, env, "", append(command, args...)...)
				assert.Equal(t, 1, out.code, out.stderr)
				assert.Empty(t, out.stdout)
				assert.Empty(t, out.journal, "no run began")
				got := strings.ReplaceAll(out.stderr, dir+"/", "")
				if tt.want == nil {
					assert.Equal(t, "zohoterritory: --by: tree.yaml is a tree file, which makes each territory's members exactly those it lists; --by is for a membership file; nothing was sent\n", got)
				} else {
					assert.Equal(t, fmt.Sprintf("zohoterritory: tree.yaml cannot be planned, %s; nothing was sent:\n  %s\n",
						plural(len(tt.want), "problem"), strings.Join(tt.want, "\n  ")), got)
				}
			}
			onlyReads(t, srv)
		})
	}
}

// TestTreePlanFlags: --allow-delete is refused beside a membership file;
// a file that is none of the four kinds is named.
func TestTreePlanFlags(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	dir := t.TempDir()
	file := writeTree(t, dir, "wc.csv", "territory,user\nWest Coast,chloe@acme.com\n")
	out := runCLI(t, env, "", "plan", file, "--allow-delete")
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: --allow-delete: "+file+" is a membership file, which deletes no territory; --allow-delete is for a tree file; nothing was sent\n", out.stderr)
	broken := writeTree(t, dir, "tree.yaml", "format: zohoterritory-tree\nversion: 1\nterritories:\n  - name: [Acme\n")
	out = runCLI(t, env, "", "plan", broken)
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: "+broken+" cannot be planned, 1 problem; nothing was sent:\n  "+broken+":3:1: not YAML: did not find expected ',' or ']'\n", out.stderr)
	assert.Empty(t, srv.Requests(), "a file that cannot be read reads nothing of the org")
}

// territoryOf returns the sandbox's territory id.
func territoryOf(t *testing.T, srv *zohoterritorytest.Server, id string) zohoterritorytest.Territory {
	t.Helper()
	for _, tr := range srv.Territories() {
		if tr.ID == id {
			return tr
		}
	}
	t.Fatalf("the sandbox has no territory %s", id)
	return zohoterritorytest.Territory{}
}

// named returns the ids of the sandbox's territories of name.
func namedIDs(srv *zohoterritorytest.Server, name string) []string {
	var ids []string
	for _, tr := range srv.Territories() {
		if strings.EqualFold(tr.Name, name) {
			ids = append(ids, tr.ID)
		}
	}
	return ids
}

// TestTreeApplyAndRestore is the "Done when", from the CLI
// against the sandbox: export, edit (a child added, one renamed, one
// moved, a manager changed, members changed, one dropped), plan shows
// exactly that and exits 2, apply --yes makes it, a new export plans to
// no changes, and restore brings back the original tree and memberships,
// the id of the territory created again mapped from the deleted one's.
func TestTreeApplyAndRestore(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	dir := t.TempDir()
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	original := runCLI(t, env, "", "export")
	require.Equal(t, 0, original.code, original.stderr)
	file := writeTree(t, dir, "tree.yaml", editedTree)

	out := runCLI(t, env, "", "plan", file, "--allow-delete", "--detailed-exitcode", "-o", "table")
	require.Equal(t, 2, out.code, out.stderr)
	assert.Contains(t, out.stdout, "Plan: 1 to create, 3 to update, 1 to delete; 3 memberships to add, 1 to remove\n")
	onlyReads(t, srv)

	out = runCLI(t, env, "", "apply", file, "--allow-delete", "--yes", "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, keyAccountsGone, out.stderr, "apply --yes says what the delete takes away, as plan does")
	applied := out.journal
	require.NotEmpty(t, applied)
	golden(t, "apply_tree_table", out.stdout)
	nordics := namedIDs(srv, "Nordics")
	require.Len(t, nordics, 1)
	assert.Equal(t, zohoterritorytest.Territory{ID: nordics[0], Name: "Nordics", ManagerID: eve, ReportingTo: europe,
		Members: []string{chloe, eve}, Description: "Sweden, Norway, Denmark and Finland", PermissionType: zohoterritorytest.PermissionReadOnly},
		territoryOf(t, srv, nordics[0]))
	assert.Equal(t, "Key Accounts EMEA", territoryOf(t, srv, keyAccountsEU).Name)
	assert.Equal(t, europe, territoryOf(t, srv, westCoast).ReportingTo)
	assert.Equal(t, dev, territoryOf(t, srv, northAmerica).ManagerID)
	assert.ElementsMatch(t, []string{ben, dev, eve}, srv.Members(northAmerica))
	assert.Empty(t, namedIDs(srv, "Key Accounts"))

	again := runCLI(t, env, "", "export")
	require.Equal(t, 0, again.code, again.stderr)
	exported := writeTree(t, dir, "again.yaml", again.stdout)
	out = runCLI(t, env, "", "plan", exported, "--detailed-exitcode", "-o", "table")
	assert.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, "No changes: the org matches the file.\nPlan: 0 to create, 0 to update, 0 to delete; 0 memberships to add, 0 to remove\n", out.stdout)

	out = runCLI(t, env, "", "restore", applied, "--dry-run", "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	golden(t, "restore_tree_dry_run", out.stdout)
	out = runCLI(t, env, "", "restore", applied, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	var restored jsonTreeRun
	dec := json.NewDecoder(strings.NewReader(out.stdout))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&restored))
	require.Len(t, restored.Restored, 1)
	again = runCLI(t, env, "", "export")
	require.Equal(t, 0, again.code, again.stderr)
	assert.Equal(t, withoutHeader(strings.Replace(original.stdout, keyAccountsNA, restored.Restored[keyAccountsNA], 1)), withoutHeader(again.stdout),
		"the original tree and memberships, the territory created again under its new id")
	assert.Empty(t, namedIDs(srv, "Nordics"))

	out = runCLI(t, env, "", "restore", applied, "-o", "table")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, "zohoterritory: "+applied+": nothing to restore\n", out.stderr)
	assert.Equal(t, "No changes: nothing the run made is left to take back.\nPlan: 0 to create, 0 to update, 0 to delete; 0 memberships to add, 0 to remove\n", out.stdout)
	assert.Empty(t, out.journal, "nothing to restore, no journal")

	n := len(srv.Requests())
	out = runCLI(t, env, "", "resume", applied, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, "zohoterritory: "+applied+": every step has its outcome; nothing to send\n", out.stderr)
	var resumed jsonTreeRun
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &resumed))
	assert.Equal(t, jsonTreeCounts{Created: 1, Updated: 3, Deleted: 1, Added: 2, Present: 1, Removed: 1}, resumed.Counts, "as the journal holds it")
	assert.Len(t, srv.Requests(), n, "nothing sent, nothing read")

	out = runCLI(t, env, "", "runs", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	var runs []jsonRun
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &runs))
	require.Len(t, runs, 2)
	assert.Equal(t, []string{"apply", "tree", "tree.yaml", "complete"}, []string{runs[0].Command, runs[0].Op, runs[0].Owner, runs[0].State})
	assert.Equal(t, []string{"restore", "tree", filepath.Base(applied), "complete"}, []string{runs[1].Command, runs[1].Op, runs[1].Owner, runs[1].State})
	assert.Equal(t, 9, runs[0].IDs, "5 territories and 4 memberships")
}

// TestTreeApplySavedPlan: a saved tree plan is applied as it was made:
// flags that would change it, another API domain, and -o csv are refused
// naming the flag; a plan whose territories or memberships changed since
// is refused naming each change; without a terminal apply needs --yes, on
// one it shows the plan and asks. Nothing is sent until a fresh plan is
// applied.
func TestTreeApplySavedPlan(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	dir := t.TempDir()
	file := writeTree(t, dir, "tree.yaml", editedTree)
	saved := filepath.Join(dir, "tree.plan")
	require.Equal(t, 0, runCLI(t, env, "", "plan", file, "--allow-delete", "--out", saved, "-o", "json").code)

	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--allow-delete"}, env, "--allow-delete: " + saved + " is a saved plan, applied as it was made (from " + file + "); to change it, plan again with --allow-delete; nothing was sent"},
		{[]string{"--by", "user"}, env, "--by: " + saved + " is a saved tree plan, which makes each territory's members exactly those it lists; --by is for a membership file; nothing was sent"},
		{[]string{"--api-domain", "https://www.zohoapis.eu"}, env, `--api-domain "https://www.zohoapis.eu": ` + saved + " was made against " + srv.URL() + ", where a saved plan is applied; plan again against https://www.zohoapis.eu; nothing was sent"},
		{[]string{"--api-version", "v8"}, env, `--api-version "v8": ` + saved + " was made against API v7, where a saved plan is applied; plan again against v8; nothing was sent"},
		{[]string{}, with(env, "ZOHO_API_VERSION", "v6"), `ZOHO_API_VERSION "v6": ` + saved + " was made against API v7, where a saved plan is applied; plan again against v6; nothing was sent"},
		{[]string{"-o", "csv"}, env, `--output "csv": ` + saved + " is a saved tree plan, whose apply prints a table or json"},
		{nil, env, "apply asks before it changes anything, and standard input is not a terminal: give --yes to apply without asking"},
	} {
		args := append([]string{"apply", saved}, tt.args...)
		if tt.args != nil {
			args = append(args, "--yes")
		}
		out := runCLI(t, tt.env, "", args...)
		assert.Equal(t, 1, out.code, tt.args)
		assert.Equal(t, "zohoterritory: "+tt.want+"\n", out.stderr, tt.args)
		assert.Empty(t, out.journal)
	}
	out := cli{env: env, stdin: "no\n", inTTY: true}.run(t, "apply", saved)
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "~ North America ("+northAmerica+")\n    manager   ben@acme.com → dev@acme.com\n")
	assert.True(t, strings.HasSuffix(out.stderr, "Plan: 1 to create, 3 to update, 1 to delete; 3 memberships to add, 1 to remove\n"+
		"Apply these changes to the org? Only \"yes\" goes on: zohoterritory: apply cancelled; nothing was sent\n"), out.stderr)
	onlyReads(t, srv)

	// Someone changes the org meanwhile: the plan is stale.
	require.Equal(t, 0, runCLI(t, env, "", "add-users", "-t", northAmerica, ava, "--no-journal").code)
	n := len(srv.Requests())
	out = runCLI(t, env, "", "apply", saved, "--yes")
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: "+saved+" is stale: 1 change in the org since it was made: "+
		tree.Drift{Kind: tree.DriftMember, Territory: northAmerica, Name: "North America", Now: "member", User: ava}.String()+"; plan again; nothing was sent\n", out.stderr)
	for _, r := range srv.Requests()[n:] {
		assert.Equal(t, http.MethodGet, r.Method, "nothing was sent")
	}

	require.Equal(t, 0, runCLI(t, env, "", "plan", file, "--allow-delete", "--out", saved, "-o", "json").code)
	out = cli{env: env, stdin: "yes\n", inTTY: true}.run(t, "apply", saved, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	var run jsonTreeRun
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &run))
	assert.Equal(t, jsonTreeCounts{Created: 1, Updated: 3, Deleted: 1, Added: 2, Present: 1, Removed: 2}, run.Counts, "Ava, who joined meanwhile, leaves too")
	assert.Equal(t, map[string]string{"new:Europe/Nordics": namedIDs(srv, "Nordics")[0]}, run.Created)
}

// TestTreeApplyHalted: a create Zoho refuses (the org is full) stops the
// run before its next step: exit 2, the refusal and the steps not sent in
// the output, restore named as the way back; resume stops there again,
// and runs calls the run halted.
func TestTreeApplyHalted(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t, zohoterritorytest.WithTerritoryLimit(6))
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	file := writeTree(t, t.TempDir(), "tree.yaml", editedTree)
	out := runCLI(t, env, "", "apply", file, "--allow-delete", "--yes", "-o", "table")
	assert.Equal(t, 2, out.code, out.stderr)
	assert.Equal(t, keyAccountsGone+"zohoterritory: step 1 (create) failed, so the run stopped before the next: 0 created, 0 updated, 0 deleted; 0 memberships added, 0 removed; 1 refused, 0 unknown, 8 not sent; "+
		"nothing was made, so nothing needs taking back\n", out.stderr)
	assert.Contains(t, out.stdout, "1     create  Europe/Nordics              -                    -               failed   limit_exceeded")
	assert.Contains(t, out.stdout, "6     delete  North America/Key Accounts  5725767000000452005  -               failed   not_sent")
	assert.Len(t, srv.Territories(), 6)

	again := runCLI(t, env, "", "resume", out.journal, "-o", "json")
	assert.Equal(t, 2, again.code, again.stderr)
	assert.Contains(t, again.stderr, ": step 1 failed, which stopped the run; it stops there again\n")
	restore := runCLI(t, env, "", "restore", out.journal, "--dry-run", "-o", "json")
	assert.Equal(t, 0, restore.code, restore.stderr)
	assert.Contains(t, restore.stderr, ": the run is halted; restoring what it made")
	runs := runCLI(t, env, "", "runs", "-o", "json")
	require.Equal(t, 0, runs.code, runs.stderr)
	assert.Contains(t, runs.stdout, `"state": "halted"`)
	runs = runCLI(t, env, "", "runs", "-o", "table")
	require.Equal(t, 0, runs.code, runs.stderr)
	assert.Contains(t, runs.stdout, "halted (8 blocked)", "the places no resume sends, which no other column counts")
}

// TestTreeDocShowsThePlan keeps docs/tree.md's example plan the plan the
// command prints (plan_tree_table.golden).
func TestTreeDocShowsThePlan(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../../docs/tree.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(doc), "## What `plan` shows")
	require.True(t, ok)
	_, rest, ok = strings.Cut(rest, "```text\n")
	require.True(t, ok)
	block, _, ok := strings.Cut(rest, "```")
	require.True(t, ok)
	want, err := os.ReadFile("testdata/plan_tree_table.golden")
	require.NoError(t, err)
	assert.Equal(t, string(want), block, "docs/tree.md shows the plan as the command prints it")
}

// TestTreeApplyInterruptedOrRefused: Ctrl-C before the first call of a
// tree apply sends nothing and exits 130 naming the resume that finishes
// the run, which then does; a refused token is exit 4, nothing sent.
func TestTreeApplyInterruptedOrRefused(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t)
	file := writeTree(t, t.TempDir(), "tree.yaml", editedTree)
	out := runCLI(t, with(env, "ZOHO_ACCESS_TOKEN", "1000.wrong"), "", "apply", file, "--allow-delete", "--yes")
	assert.Equal(t, 4, out.code, out.stderr)
	assert.Contains(t, out.stderr, "reading the org failed, so nothing was sent")

	stop := make(chan struct{})
	close(stop) // the first Ctrl-C
	out = cli{env: env, stop: stop}.run(t, "apply", file, "--allow-delete", "--yes", "-o", "json")
	assert.Equal(t, 130, out.code, out.stderr)
	assert.Equal(t, keyAccountsGone+"zohoterritory: interrupted: 0 created, 0 updated, 0 deleted; 0 memberships added, 0 removed; 0 refused, 0 unknown, 9 not sent; to finish, run: zohoterritory resume "+out.journal+"\n", out.stderr)
	onlyReads(t, srv)

	out = runCLI(t, env, "", "resume", out.journal, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Len(t, namedIDs(srv, "Nordics"), 1)
}

// onFirst is a sandbox option whose hook calls do once, as the first
// request of method whose path ends in suffix arrives (before its work):
// someone changing the org while a run is under way. set gives it the
// server.
func onFirst(method, suffix string, do func(*zohoterritorytest.Server)) (zohoterritorytest.Option, func(*zohoterritorytest.Server)) {
	var srv atomic.Pointer[zohoterritorytest.Server]
	var once sync.Once
	opt := zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Arrived: func(r *http.Request) {
		if r.Method == method && strings.HasSuffix(r.URL.Path, suffix) {
			once.Do(func() { do(srv.Load()) })
		}
	}})
	return opt, func(s *zohoterritorytest.Server) { srv.Store(s) }
}

// TestTreeApplyMembershipsAsWanted: a removal that finds the user gone
// already and an add that finds the user a member already leave the org as
// the file wants it: the apply exits 0, and counts them done.
func TestTreeApplyMembershipsAsWanted(t *testing.T) {
	t.Parallel()
	// As the run's first change arrives, someone takes Chloe out of
	// North America and puts Eve in: two of the plan's membership
	// changes.
	opt, set := onFirst(http.MethodPost, "/settings/territories", func(srv *zohoterritorytest.Server) {
		c, err := srv.Client()
		if err == nil {
			_, err = c.RemoveUsersFromTerritory(context.Background(), northAmerica, chloe)
		}
		if err == nil {
			_, err = c.AddUsersToTerritory(context.Background(), northAmerica, eve)
		}
		assert.NoError(t, err)
	})
	srv, env := sandbox(t, opt)
	set(srv)
	file := writeTree(t, t.TempDir(), "tree.yaml", editedTree)
	out := runCLI(t, env, "", "apply", file, "--allow-delete", "--yes", "--no-journal", "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Equal(t, keyAccountsGone, out.stderr)
	var run jsonTreeRun
	require.NoError(t, json.Unmarshal([]byte(out.stdout), &run))
	for _, s := range run.Steps {
		assert.Equal(t, string(tree.StepDone), s.State, "step %d (%s)", s.Step, s.Kind)
	}
	assert.Equal(t, jsonTreeCounts{Created: 1, Updated: 3, Deleted: 1, Added: 1, Present: 2, Removed: 1}, run.Counts)
	assert.ElementsMatch(t, []string{ben, dev, eve}, srv.Members(northAmerica))
	outcomes := map[string]string{}
	for _, s := range run.Steps {
		for _, it := range s.Items {
			if it.User != nil && it.Territory.ID == northAmerica {
				outcomes[it.User.ID] = it.Outcome
			}
		}
	}
	assert.Equal(t, map[string]string{chloe: "absent", eve: "already_present"}, outcomes, "Chloe's removal found her gone: absent, as membership reports say")
}

// TestTreeApplyRateLimited: a step whose calls meet 429 past the retries
// stops the run, but Zoho refused nothing for good: exit 2 naming the
// resume that finishes the run (not the restore of a halted one), which
// then does; runs calls the run unfinished.
func TestTreeApplyRateLimited(t *testing.T) {
	t.Parallel()
	opt, set := onFirst(http.MethodPost, "/settings/territories", func(srv *zohoterritorytest.Server) {
		assert.NoError(t, srv.SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit}))
	})
	srv, env := sandbox(t, opt)
	set(srv)
	env = with(env, "XDG_STATE_HOME", t.TempDir())
	file := writeTree(t, t.TempDir(), "tree.yaml", editedTree)
	out := runCLI(t, env, "", "apply", file, "--allow-delete", "--yes", "--max-attempts", "1", "-o", "table")
	assert.Equal(t, 2, out.code, out.stderr)
	assert.Equal(t, keyAccountsGone+"zohoterritory: not all of the plan was made: 0 created, 0 updated, 0 deleted; 0 memberships added, 0 removed; "+
		"0 refused, 0 unknown, 9 not sent (createTerritories: 429: TOO_MANY_REQUESTS: You have made too many requests. Please try again later.); "+
		"to finish, run: zohoterritory resume "+out.journal+"\n", out.stderr)
	assert.Contains(t, out.stdout, "1     create  Europe/Nordics              -                    -               failed   rate_limited")
	runs := runCLI(t, env, "", "runs", "-o", "json")
	require.Equal(t, 0, runs.code, runs.stderr)
	assert.Contains(t, runs.stdout, `"state": "unfinished"`)

	require.NoError(t, srv.SetFaults())
	journalFile := out.journal
	out = runCLI(t, env, "", "resume", journalFile, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.Contains(t, out.stderr, "zohoterritory: resuming "+journalFile+": 9 of 9 changes to send, 0 of them perhaps done already\n")
	assert.Len(t, namedIDs(srv, "Nordics"), 1)
}

// TestTreeProblems: the CLI's list of a *tree.ProblemsError names the file
// it was given, one problem a line, however many there are (none
// included), and leaves other errors as they are.
func TestTreeProblems(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&tree.ProblemsError{}, "tree.yaml cannot be planned; nothing was sent"},
		{&tree.ProblemsError{Problems: []tree.Problem{{File: "tree.yaml", Line: 3, Col: 5, Territory: "Europe", Field: "name", Rule: "repeated"}}},
			"tree.yaml cannot be planned, 1 problem; nothing was sent:\n  tree.yaml:3:5: territory \"Europe\": name: repeated"},
		{&tree.ProblemsError{Problems: []tree.Problem{{File: "tree.yaml", Territory: "Europe", Rule: "left out", Omitted: true}, {File: "tree.yaml", Rule: "too many"}}},
			"tree.yaml cannot be planned, 2 problems; nothing was sent:\n  tree.yaml: territory \"Europe\": left out; give --allow-delete to delete it\n  tree.yaml: too many"},
	} {
		err := treeProblems(tt.err, "tree.yaml")
		var ee *cmdutil.ExitError
		require.ErrorAs(t, err, &ee)
		assert.Equal(t, cmdutil.ExitUsage, ee.ExitCode(), tt.want)
		assert.Equal(t, tt.want, err.Error())
	}
	other := errors.New("the disk is full")
	assert.Equal(t, other, treeProblems(other, "tree.yaml"))
}

// TestFoldList: a one-line list names the first five things, then how
// many more there are.
func TestFoldList(t *testing.T) {
	t.Parallel()
	list := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprint(i + 1)
		}
		return out
	}
	assert.Equal(t, "", foldList(list(0), "; "))
	assert.Equal(t, "1", foldList(list(1), "; "))
	assert.Equal(t, "1; 2; 3; 4; 5", foldList(list(5), "; "))
	assert.Equal(t, "1, 2, 3, 4, 5, and 1 more", foldList(list(6), ", "))
	six := list(6)
	foldList(six, "; ")
	assert.Equal(t, "6", six[5], "the list given is left as it was")
	assert.Equal(t, "1; 2; 3; 4; 5; and 95 more", foldList(list(100), "; "))
	assert.Equal(t, []string{"a", "b"}, strs([]tree.Ref{{ID: "a"}, {Key: "b"}}))
}

// TestWarnDeletes: what apply --yes says of a plan's deletes: a line for
// each of the first five, with its members and what becomes of each
// child first, then how many more and where every one is.
func TestWarnDeletes(t *testing.T) {
	t.Parallel()
	id := func(n int) string { return fmt.Sprintf("57257670000004520%02d", n) }
	org := &tree.Org{
		Territories: []tree.Territory{{ID: id(1), Name: "Root", Permission: tree.PermissionReadWriteDelete},
			{ID: id(2), Name: "A", ParentID: id(1), Permission: tree.PermissionReadOnly},
			{ID: id(3), Name: "A1", ParentID: id(2), Permission: tree.PermissionReadOnly},
			{ID: id(4), Name: "A2", ParentID: id(2), Permission: tree.PermissionReadOnly}},
		Users:   []zohoterritory.User{{ID: ava, Email: "ava@acme.com", Status: "active"}, {ID: ben, Status: "active"}},
		Members: map[string][]string{id(2): {ava, ben}},
	}
	for n, name := range []string{"B", "C", "D", "E", "F"} {
		org.Territories = append(org.Territories, tree.Territory{ID: id(5 + n), Name: name, ParentID: id(1), Permission: tree.PermissionReadOnly})
	}
	f, err := tree.ReadFile(strings.NewReader("format: zohoterritory-tree\nversion: 1\nterritories:\n  - name: Root\n    id: \""+id(1)+
		"\"\n    children:\n      - name: A1\n        id: \""+id(3)+"\"\n"), "tree.yaml")
	require.NoError(t, err)
	in, err := tree.Diff(f, org, tree.Options{AllowDelete: true})
	require.NoError(t, err)
	plan, err := tree.Order(in, org, tree.OrderOptions{})
	require.NoError(t, err)

	var b strings.Builder
	warnDeletes(&b, plan, "every one: zohoterritory plan tree.yaml")
	assert.Equal(t, "zohoterritory: the plan deletes 7 territories; the records assigned to them lose them, and a restore does not assign them again:\n"+
		"  - A ("+id(2)+"): its 2 members (ava@acme.com, "+ben+"); its 2 children A1 (moved away first), A/A2 (deleted first)\n"+
		"  - A/A2 ("+id(4)+"): no member, no child\n"+
		"  - B ("+id(5)+"): no member, no child\n"+
		"  - C ("+id(6)+"): no member, no child\n"+
		"  - D ("+id(7)+"): no member, no child\n"+
		"  (and 2 more; every one: zohoterritory plan tree.yaml)\n", b.String())
	b.Reset()
	warnDeletes(&b, plan, "every one is in tree.plan")
	assert.Contains(t, b.String(), "  (and 2 more; every one is in tree.plan)\n")
}

// TestTreeTerritoryLimit: Zoho's API does not tell an org's territory
// limit; --territory-limit (or ZOHO_TERRITORY_LIMIT) states it, and a plan
// over it is refused by plan and apply before anything is sent, where
// without it the org refuses the create once the run has begun. A bad
// value is named by the flag or the variable it came from; the flag is
// refused beside a file it cannot change.
func TestTreeTerritoryLimit(t *testing.T) {
	t.Parallel()
	srv, env := sandbox(t, zohoterritorytest.WithTerritoryLimit(6))
	dir := t.TempDir()
	export := runCLI(t, env, "", "export")
	require.Equal(t, 0, export.code, export.stderr)
	// The demo org's six territories and one more.
	file := writeTree(t, dir, "tree.yaml", strings.Replace(export.stdout, "    children:\n", "    children:\n      - name: Asia\n        permission: read_only\n", 1))
	const over = ": tree.yaml cannot be planned, 1 problem; nothing was sent:\n  tree.yaml: the tree would hold 7 territories: the org holds at most 6\n"
	for _, tt := range []struct {
		env  map[string]string
		args []string
	}{
		{env, []string{"--territory-limit", "6"}},
		{with(env, "ZOHO_TERRITORY_LIMIT", "6"), nil},
		{with(env, "ZOHO_TERRITORY_LIMIT", "300"), []string{"--territory-limit", "6"}},
	} {
		for _, command := range [][]string{{"plan", file}, {"apply", file, "--yes"}} {
			out := runCLI(t, tt.env, "", append(command, tt.args...)...)
			assert.Equal(t, 1, out.code, "%v %v: %s", command, tt.args, out.stderr)
			assert.Equal(t, "zohoterritory"+over, strings.ReplaceAll(out.stderr, dir+"/", ""), "%v %v", command, tt.args)
			assert.Empty(t, out.journal, "no run began")
		}
	}
	onlyReads(t, srv)

	for _, tt := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{env, []string{"--territory-limit", "-1"}, "--territory-limit -1: must not be negative (0 takes the default, 250)"},
		{with(env, "ZOHO_TERRITORY_LIMIT", "-1"), nil, "ZOHO_TERRITORY_LIMIT -1: must not be negative (0 takes the default, 250)"},
		{with(env, "ZOHO_TERRITORY_LIMIT", "many"), nil, `ZOHO_TERRITORY_LIMIT "many": want a whole number of territories`},
	} {
		out := runCLI(t, tt.env, "", append([]string{"plan", file}, tt.args...)...)
		assert.Equal(t, 1, out.code, tt.want)
		assert.Equal(t, "zohoterritory: "+tt.want+"\n", out.stderr)
	}
	csv := writeTree(t, dir, "wc.csv", "territory,user\nWest Coast,chloe@acme.com\n")
	out := runCLI(t, with(env, "ZOHO_TERRITORY_LIMIT", "many"), "", "plan", csv, "--territory-limit", "6")
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: --territory-limit: "+csv+" is a membership file, which creates no territory; --territory-limit is for a tree file; nothing was sent\n", out.stderr)
	saved := filepath.Join(dir, "tree.plan")
	require.Equal(t, 0, runCLI(t, env, "", "plan", file, "--out", saved, "-o", "json").code)
	out = runCLI(t, env, "", "apply", saved, "--yes", "--territory-limit", "6")
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "zohoterritory: --territory-limit: "+saved+" is a saved plan, applied as it was made")
	onlyReads(t, srv)

	// Without it, the plan assumes Zoho's documented 250, and the org
	// refuses the create once the run has begun.
	out = runCLI(t, env, "", "apply", file, "--yes", "-o", "json")
	assert.Equal(t, 2, out.code, out.stderr)
	assert.Equal(t, "zohoterritory: not all of the plan was made: Zoho refused 1 for good: 0 created, 0 updated, 0 deleted; 0 memberships added, 0 removed; "+
		"1 refused, 0 unknown, 0 not sent; nothing was made, so nothing needs taking back\n", out.stderr)
	assert.Contains(t, out.stdout, `"reason": "limit_exceeded"`)
}
