package tree

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// TestExportGolden: the export's form (comment, key order, sorting,
// quoting, rules as nested mappings) is the golden file's, it reads back
// and writes as the same bytes, and it plans to no changes.
func TestExportGolden(t *testing.T) {
	t.Parallel()
	org := acme()
	text := exported(t, org)
	golden(t, "export.yaml", []byte(text))

	f := read(t, text)
	assert.Equal(t, &Meta{APIDomain: "https://www.zohoapis.eu", APIVersion: "v7", Exported: t0}, f.Meta)
	assert.Equal(t, text, string(write(t, f)), "read and written back")

	in, err := Diff(f, org, Options{})
	require.NoError(t, err)
	assert.Equal(t, &Intents{}, in, "a fresh export changes nothing")
	plan, err := Order(in, org, OrderOptions{Created: t0})
	require.NoError(t, err)
	assert.False(t, plan.HasChanges())
	assert.Equal(t, "Plan: 0 to create, 0 to update, 0 to delete; 0 memberships to add, 0 to remove", plan.Totals().String())
}

// TestRoundTripValues: names, descriptions and criteria that YAML would
// read as something else (numbers, booleans, null, dates, comments,
// leading spaces, several lines) are written so that they read back the
// same, and plan to no changes.
func TestRoundTripValues(t *testing.T) {
	t.Parallel()
	org := acme()
	odd := []struct{ name, desc string }{
		{"123", "yes"}, {"true", "null"}, {"null", "~"}, {"2026-12-06", "3.14"}, {" leading", "trailing "},
		{"a: b", "#not a comment"}, {"- dash", "line one\nline two\n"}, {"Zürich ünïcödé", "\"quoted\" and 'single'"},
		{"[x]", "{y}"}, {"@at", "*star &amp !tag %pct"}, {"0x10", "1e3"}, {"ok?", "tab\there"}, {"<<", "<<"},
	}
	for i, o := range odd {
		org.Territories = append(org.Territories, Territory{ID: fmt.Sprintf("57257670000009000%02d", i), Name: o.name, ParentID: tKey,
			Permission: PermissionReadOnly, Description: o.desc})
	}
	org.Territories[4].Criteria = Criteria{
		Leads: json.RawMessage(`{"field":{"api_name":"Created_Time"},"comparator":"between","value":["2026-01-01","2026-12-31"]}`),
		Deals: json.RawMessage(`{"field":{"api_name":"Amount","id":null},"comparator":"less_equal","value":1.50e3,"flag":true,"text":"100","n":-0.5,"big":12345678901234567890123,"empty":{},"list":[]}`),
		// YAML's merge key, as a key and as a value: quoted, or it reads
		// back as a merge.
		Accounts: json.RawMessage(`{"<<":"<<","value":["<<"]}`),
	}
	text := exported(t, org)
	f := read(t, text)
	assert.Equal(t, text, string(write(t, f)))
	in, err := Diff(f, org, Options{})
	require.NoError(t, err)
	assert.Equal(t, &Intents{}, in)
	for _, n := range f.Root.Children[0].Children[0].Children {
		assert.Contains(t, odd, struct{ name, desc string }{n.Name, n.Description})
	}
}

// TestReadFile: values, nulls, the manager and users by e-mail or id,
// rules as YAML or JSON, and the place of each value.
func TestReadFile(t *testing.T) {
	t.Parallel()
	f := read(t, `# edited by hand
format: zohoterritory-tree
version: 1
territories:
- name: Acme Org
  id: 5725767000000452001
  manager: ava@acme.com
  children:
  - name: North America
    manager: "5725767000000411002"
    permission: read_only
    description: null
    rules: {accounts: {"comparator": "equal", "value": 100}, leads: null}
    users:
      - ben@acme.com
      - 5725767000000411003
    children: []
`)
	assert.Nil(t, f.Meta)
	root := f.Root
	assert.Equal(t, "Acme Org", root.Name)
	assert.Equal(t, tRoot, root.ID)
	assert.Equal(t, "ava@acme.com", root.Manager)
	assert.Equal(t, Pos{Line: 5, Col: 3}, root.Pos)
	require.Len(t, root.Children, 1)
	na := root.Children[0]
	assert.Equal(t, "North America", na.Name)
	assert.Equal(t, uBen, na.Manager)
	assert.Equal(t, PermissionReadOnly, na.Permission)
	assert.Empty(t, na.Description)
	assert.JSONEq(t, `{"comparator":"equal","value":100}`, string(na.Criteria.Accounts))
	assert.Nil(t, na.Criteria.Leads)
	assert.Equal(t, []string{"ben@acme.com", uChloe}, na.Users)
	assert.Empty(t, na.Children)
	assert.Equal(t, Pos{Line: 9, Col: 5}, na.Pos)
	assert.Equal(t, Pos{Line: 10, Col: 14}, na.At("manager"))
	assert.Equal(t, Pos{Line: 13, Col: 23}, na.At("rules.accounts"))
	assert.Equal(t, Pos{Line: 16, Col: 9}, na.At("users[1]"))
	assert.Equal(t, na.Pos, na.At("id"), "an absent field is placed at its territory")
}

// TestReadFileProblems: every problem of a file's form is reported, with
// its place, in one error.
func TestReadFileProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text string
		want       []string
	}{
		{"empty", "", []string{"tree.yaml: empty: want format: zohoterritory-tree, version: 1 and territories"}},
		{"not YAML", "format: [\n", []string{"tree.yaml:1:1: not YAML: did not find expected node content"}},
		{"not a mapping", "- a\n", []string{"tree.yaml:1:1: want a mapping of format, version and territories"}},
		{"two documents", "format: zohoterritory-tree\nversion: 1\nterritories: [{name: A}]\n---\nx: 1\n",
			[]string{"tree.yaml:4:1: a second YAML document: a tree file holds one"}},
		{"top level", "format: zohoterritory-plan\nversion: 2\nterritory: []\nformat: x\n", []string{
			"tree.yaml:1:1: no territories: want the root territory and, under it, every other",
			"tree.yaml:1:9: format: want zohoterritory-tree: not a tree file",
			"tree.yaml:2:10: version: want 1: a tree file of another version",
			"tree.yaml:3:1: unknown key \"territory\": a tree file has format, version and territories",
			"tree.yaml:4:1: format: repeated: each key is given once",
		}},
		{"missing", "territories: [{name: A}]\n", []string{
			"tree.yaml:1:1: no format: want format: zohoterritory-tree",
			"tree.yaml:1:1: no version: want version: 1",
		}},
		{"no root", "format: zohoterritory-tree\nversion: 1\nterritories: []\n",
			[]string{"tree.yaml:3:14: territories: want a list of one territory: the root, with every other under it"}},
		{"second root", "format: zohoterritory-tree\nversion: 1\nterritories:\n  - name: A\n  - name: B\n  - name: C\n", []string{
			"tree.yaml:5:5: territories: a second root: the org has one root territory, and every other is under it",
			"tree.yaml:6:5: territories: a second root: the org has one root territory, and every other is under it",
		}},
		{"territories", `format: zohoterritory-tree
version: 1
territories:
  - name: Acme Org
    owner: blue
    users: ava@acme.com
    children:
      - name: [x]
        rules: {accounts: {a: 1}, contacts: {}, leads: &l {a: 2}, deals: *l}
      - manager: {id: 1}
        users: [[a], null, b@c.d]
        children: {name: x}
      - just a string
      - name: Sub
        id: 123
        name: Sub
`, []string{
			"tree.yaml:5:5: territory \"Acme Org\": unknown key \"owner\": a territory has name, id, manager, permission, description, rules, users, children",
			"tree.yaml:6:12: territory \"Acme Org\": users: want a list of e-mail addresses or user ids",
			"tree.yaml:8:15: name: want the territory's name",
			"tree.yaml:9:35: rules: unknown module \"contacts\": want accounts, leads or deals",
			"tree.yaml:9:74: rules.deals: aliases are not supported: write the value out",
			"tree.yaml:10:9: no name: every territory has one",
			"tree.yaml:10:18: manager: want a single value",
			"tree.yaml:11:17: users[0]: want an e-mail address or a user id",
			"tree.yaml:11:22: users[1]: want an e-mail address or a user id",
			"tree.yaml:12:19: children: want a list of territories",
			"tree.yaml:13:9: want a territory: a mapping of name, id, manager, permission, description, rules, users, children",
			"tree.yaml:16:9: territory \"Sub\": name: repeated: each key is given once",
		}},
		{"rules values", `format: zohoterritory-tree
version: 1
territories:
  - name: A
    rules:
      accounts: {v: .inf}
      leads: {1: x, 1: y}
      deals: {d: !!binary aGk=}
`, []string{
			"tree.yaml:6:17: territory \"A\": rules.accounts: line 6: \".inf\" is not a number JSON can hold",
			"tree.yaml:7:14: territory \"A\": rules.leads: line 7: key \"1\" repeated",
			"tree.yaml:8:14: territory \"A\": rules.deals: line 8: the tag !!binary has no JSON value",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := ReadFile(strings.NewReader(tc.text), "tree.yaml")
			assert.Nil(t, f)
			assert.Equal(t, tc.want, problemsOf(t, err))
		})
	}
}

// TestCheck: the rules a file's values must keep without the org, every
// broken one reported.
func TestCheck(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 51)
	f := read(t, `format: zohoterritory-tree
version: 1
territories:
  - name: Acme Org
    children:
      - name: "`+long+`"
        id: "12a"
      - name: "  "
        permission: ""
      - name: west
        id: "5725767000000452003"
        permission: read-only
        description: "`+strings.Repeat("x", 251)+`"
        rules: {accounts: [1], leads: "x", deals: {ok: 1}}
        manager: ben
        users: [ok@acme.com, "", "a b@c.d", "12345678901234567890"]
        children:
          - name: West
            id: "5725767000000452003"
`)
	err := f.Check(Rules{})
	assert.Equal(t, []string{
		`tree.yaml:6:15: territory "` + long + `": name: 51 characters: Zoho allows at most 50`,
		`tree.yaml:7:13: territory "` + long + `": id: "12a" is not a record id: must contain decimal digits only`,
		`tree.yaml:8:15: territory "  ": name: empty: every territory has a name`,
		`tree.yaml:9:21: territory "  ": permission: "": want read_only or read_write_delete`,
		`tree.yaml:12:21: territory "west": permission: "read-only": want read_only or read_write_delete`,
		`tree.yaml:13:22: territory "west": description: 251 characters: Zoho allows at most 250`,
		`tree.yaml:14:27: territory "west": rules.accounts: want a criterion (a JSON object: a condition or a group), as Zoho gives them`,
		`tree.yaml:14:39: territory "west": rules.leads: want a criterion (a JSON object: a condition or a group), as Zoho gives them`,
		`tree.yaml:15:18: territory "west": manager: "ben" must be a user id (decimal digits) or an e-mail address`,
		`tree.yaml:16:30: territory "west": users[1]: "" must not be empty`,
		`tree.yaml:16:34: territory "west": users[2]: "a b@c.d" must be a user id (decimal digits) or an e-mail address`,
		`tree.yaml:16:45: territory "west": users[3]: "12345678901234567890" an id must have at most 19 digits`,
		`tree.yaml:18:19: territory "west/West": name: repeated: the territory at line 10 has this name too, and Zoho's names are unique ignoring case`,
		`tree.yaml:19:17: territory "west/West": id: repeated: the territory at line 10 has this id too, and an id names one territory`,
	}, problemsOf(t, err))

	assert.NoError(t, read(t, exported(t, acme())).Check(Rules{}))
	err = read(t, exported(t, acme())).Check(Rules{NameLength: -1})
	var oe *zohoterritory.OptionError
	require.ErrorAs(t, err, &oe, "a rule refused names its field")
	assert.Equal(t, zohoterritory.OptionError{Option: "Rules", Field: "NameLength", Value: -1, Err: oe.Err}, *oe)
	assert.EqualError(t, err, "zohoterritory: Rules: NameLength -1: must not be negative (0 takes the default, 50)")
	assert.Equal(t, err, Rules{NameLength: -1}.Check())
	require.NoError(t, Rules{TerritoryLimit: 300}.Check())
	assert.Error(t, read(t, exported(t, acme())).Check(Rules{NameLength: 5}), "a rule changed is the rule kept")
}
