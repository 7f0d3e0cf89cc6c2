package tree

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// TestReadInput: each of the four kinds of file plan and apply take is
// told by what it holds, never by its name, and read by its own reader,
// whose errors come back as they are.
func TestReadInput(t *testing.T) {
	t.Parallel()
	treeYAML, err := os.ReadFile("testdata/export.yaml")
	require.NoError(t, err)
	treePlan, err := os.ReadFile("testdata/plan-edited.json")
	require.NoError(t, err)
	membershipPlan := `{"format": "zohoterritory-plan", "version": 2, "created": "2026-12-06T10:00:00Z", "by": "territory",
		"groups": [{"owner": "` + tWest + `", "add": ["` + uBen + `"], "remove": [], "unchanged": [], "skipped": [], "before": []}]}`
	treeJSON := `{"format": "zohoterritory-tree", "version": 1, "territories": [{"name": "Acme Org", "id": "` + tRoot + `"}]}`

	tests := []struct {
		name, text string
		want       InputKind
	}{
		{"a tree file", string(treeYAML), InputTree},
		{"a tree file in JSON", treeJSON, InputTree},
		{"a saved tree plan", string(treePlan), InputTreePlan},
		{"a saved membership plan", membershipPlan, InputMembershipPlan},
		{"a membership file", "\uFEFFterritory,user\nWest Coast,chloe@acme.com\n", InputMemberships},
		{"a membership file whose names have colons", "territory,user\nWest: Coast,chloe@acme.com\n", InputMemberships},
		{"a saved membership plan after blank lines", "  \n" + membershipPlan, InputMembershipPlan},
		{"a membership file whose first territory starts with a brace", "\uFEFFterritory,user\n{West},chloe@acme.com\n", InputMemberships},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in, err := ReadInput(strings.NewReader(tt.text), "input")
			require.NoError(t, err)
			assert.Equal(t, tt.want, in.Kind)
			assert.Equal(t, tt.want == InputTree, in.File != nil)
			assert.Equal(t, tt.want == InputTreePlan, in.Plan != nil)
			assert.Equal(t, tt.want == InputMembershipPlan, in.MembershipPlan != nil)
			assert.Equal(t, tt.want == InputMemberships, in.Memberships != nil)
		})
	}
	in, err := ReadInput(strings.NewReader(string(treeYAML)), "input")
	require.NoError(t, err)
	assert.Equal(t, tRoot, in.File.Root.ID)
	assert.Equal(t, "input", in.File.Name)
	f, err := ReadFile(strings.NewReader(string(treeYAML)), "input")
	require.NoError(t, err)
	assert.Equal(t, f, in.File, "read as ReadFile reads it, places included")
	in, err = ReadInput(strings.NewReader("territory,user\nWest Coast,chloe@acme.com\n"), "reorg.csv")
	require.NoError(t, err)
	assert.Equal(t, []zohoterritory.MembershipRow{{File: "reorg.csv", Line: 2, Territory: "West Coast", User: "chloe@acme.com"}}, in.Memberships)
}

// TestReadInputRefuses: a file that is none of the four, or a broken one
// of them, is refused by the reader of what it meant to be: a tree file
// with every problem in its place, the others with a *FileError.
func TestReadInputRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		// tree: the file meant to be a tree file, whose problems want
		// lists; else want is the *FileError's text.
		tree bool
		want string
	}{
		{"a tree file that does not parse", "format: zohoterritory-tree\nversion: 1\nterritories:\n  - name: [Acme\n",
			true, "input:3:1: not YAML: did not find expected ',' or ']'"},
		{"a tree file of two documents", "format: zohoterritory-tree\nversion: 1\nterritories: [{name: A}]\n---\nx: 1\n",
			true, "input:4:1: a second YAML document: a tree file holds one"},
		{"a tree file whose second document does not parse", "format: zohoterritory-tree\nversion: 1\nterritories: [{name: A}]\n---\nx: [\n",
			true, "input:5:1: not YAML: did not find expected node content"},
		{"a mapping without a format", "version: 1\nterritories:\n  - name: Acme Org\n",
			true, "input:1:1: no format: want format: zohoterritory-tree"},
		{"a tree file of another format", "format: zohoterritory-tre\nversion: 1\nterritories:\n  - name: Acme Org\n",
			true, "input:1:9: format: want zohoterritory-tree: not a tree file"},
		{"a JSON document of another format", `{"format": "other"}`,
			false, `input: a JSON document, but not a saved plan (its format is "other", not zohoterritory-tree-plan or zohoterritory-plan), nor a tree file (format zohoterritory-tree), nor a membership file`},
		{"a saved tree plan with a field it does not know", `{"format": "zohoterritory-tree-plan", "version": 1, "extra": 1}`,
			false, `input: not a saved tree plan: json: unknown field "extra"`},
		{"a CSV without the columns", "user,email\nx,y\n", false, "input, line 1: the header \"user,email\" names no territory column: want `territory,user`"},
		{"a JSON document without a format", `{"groups": []}`,
			false, `input: a JSON document, but not a saved plan (its format is "", not zohoterritory-tree-plan or zohoterritory-plan), nor a tree file (format zohoterritory-tree), nor a membership file`},
		{"a saved membership plan of another version", `{"format": "zohoterritory-plan", "version": 9}`,
			false, "input: plan format version 9 is not one this zohoterritory reads (it reads versions 1 and 2)"},
		{"a JSON array", "[1, 2]", false, `input, line 1: the header "[1,2]" names no territory and no user column: want ` + "`territory,user`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ReadInput(strings.NewReader(tt.text), "input")
			require.Error(t, err)
			if tt.tree {
				assert.Equal(t, []string{tt.want}, problemsOf(t, err))
				return
			}
			var fe *zohoterritory.FileError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, tt.want, err.Error())
		})
	}
}
