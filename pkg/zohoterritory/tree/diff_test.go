package tree

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// editedFile reads testdata/edited.yaml.
func editedFile(t *testing.T) *File {
	t.Helper()
	b, err := os.ReadFile("testdata/edited.yaml")
	require.NoError(t, err)
	return read(t, string(b))
}

// TestDiffEdited: a child added (and one under it), one renamed, one
// moved with a new manager, members changed, one dropped: each becomes
// its intent, in the file's order; a former manager is removed, a
// deleted user's add is a skip, rules that differ only in spelling do
// not change.
func TestDiffEdited(t *testing.T) {
	t.Parallel()
	in, err := Diff(editedFile(t), acme(), Options{AllowDelete: true})
	require.NoError(t, err)
	assert.Equal(t, &Intents{
		Creates: []Create{
			{Key: "new:Americas/Pacific", Name: "Pacific", Parent: Ref{ID: tNA}, Permission: PermissionReadOnly, ManagerID: uChloe, Path: "Americas/Pacific", Line: 37},
			{Key: "new:Americas/Pacific/Hawaii", Name: "Hawaii", Parent: Ref{Key: "new:Americas/Pacific"}, Permission: PermissionReadWriteDelete,
				Description: "Aloha", Path: "Americas/Pacific/Hawaii", Line: 42},
		},
		Updates: []Update{
			{ID: tWest, Path: "Europe/West Coast", Was: "North America/West Coast", Line: 23,
				Parent: &Move{Old: tNA, New: Ref{ID: tEU}}, Manager: &Change{Old: uChloe, New: uDev}},
			{ID: tNA, Path: "Americas", Was: "North America", Line: 30, Name: &Change{Old: "North America", New: "Americas"}},
		},
		Adds: []Members{
			{Territory: Ref{Key: "new:Americas/Pacific"}, Path: "Americas/Pacific", Line: 37, Users: []string{uChloe, uGus}},
		},
		Removes: []Members{
			{Territory: Ref{ID: tWest}, Path: "Europe/West Coast", Line: 23, Users: []string{uChloe}},
			{Territory: Ref{ID: tNA}, Path: "Americas", Line: 30, Users: []string{uDev}},
		},
		Deletes: []Delete{{ID: tEast, Name: "East Coast", Path: "North America/East Coast", Members: []string{uGus, uHal1}, Children: []string{}}},
		Skips: []Skip{{Territory: Ref{ID: tWest}, Path: "Europe/West Coast", User: uFay, Op: zohoterritory.OpAddUsers, Reason: zohoterritory.ReasonUserInactive,
			Message: "the user is deleted: Zoho adds only active users"}},
	}, in)

	// Without AllowDelete the dropped territory is a problem naming what
	// deleting it takes away.
	_, err = Diff(editedFile(t), acme(), Options{})
	assert.Equal(t, []string{
		`tree.yaml: territory "North America/East Coast": the org has it (id 5725767000000452004) and the file does not: deleting it, which must be allowed, would take away its 2 members (5725767000000411007, 5725767000000411008); the territory from the records assigned to it`,
	}, problemsOf(t, err))
	var pe *ProblemsError
	require.ErrorAs(t, err, &pe)
	assert.True(t, pe.Problems[0].Omitted)
}

// TestDiffMatchByName: territories without ids are their parent's child
// of the same name, ignoring case; a new parent makes its children new.
func TestDiffMatchByName(t *testing.T) {
	t.Parallel()
	f := read(t, `format: zohoterritory-tree
version: 1
territories:
  - name: Acme Org
    manager: ava@acme.com
    users: [ava@acme.com, ben@acme.com, Chloe@acme.com, dev@acme.com, eve@acme.com, "5725767000000411007"]
    children:
      - name: EUROPE
        manager: ava@acme.com
        users: [ava@acme.com]
        children:
          - {name: key accounts, description: The ten largest}
      - name: North America
        manager: ben@acme.com
        description: Sales in the US and Canada
        users: [ben@acme.com, Chloe@acme.com, dev@acme.com]
        children:
          - {name: East Coast, users: ["5725767000000411007", "5725767000000411008"]}
          - name: West Coast
            id: "5725767000000452003"
            manager: Chloe@acme.com
            rules: {accounts: {"group_operator":"AND","group":[{"field":{"api_name":"Billing_State","id":"5725767000000002001"},"comparator":"in","value":["CA","OR","WA"]},{"field":{"api_name":"Annual_Revenue","id":"5725767000000002002"},"comparator":"greater_than","value":100000}]}}
            users: [Chloe@acme.com, dev@acme.com, eve@acme.com]
`)
	in, err := Diff(f, acme(), Options{})
	require.NoError(t, err)
	assert.Equal(t, &Intents{Updates: []Update{
		{ID: tEU, Path: "EUROPE", Was: "Europe", Line: 8, Name: &Change{Old: "Europe", New: "EUROPE"}},
		{ID: tKey, Path: "EUROPE/key accounts", Was: "Europe/Key Accounts", Line: 12, Name: &Change{Old: "Key Accounts", New: "key accounts"}},
	}}, in, "matched by name; absent permissions unchanged")

	// Under a new parent, even a name the org has is new; the org's
	// territory of that name is omitted.
	f.Root.Children[1].Name, f.Root.Children[1].ID = "Nord", ""
	f.Root.Children[1].Children[1].ID = "" // West Coast, now under a new parent
	_, err = Diff(f, acme(), Options{})
	assert.Equal(t, []string{
		`tree.yaml:13:9: territory "Nord": permission: a new territory needs one: read_only or read_write_delete`,
		`tree.yaml:18:13: territory "Nord/East Coast": permission: a new territory needs one: read_only or read_write_delete`,
		`tree.yaml:19:13: territory "Nord/West Coast": permission: a new territory needs one: read_only or read_write_delete`,
		`tree.yaml: territory "North America": the org has it (id 5725767000000452002) and the file does not: deleting it, which must be allowed, would take away its 3 members (ben@acme.com, Chloe@acme.com, dev@acme.com); its children "North America/West Coast", "North America/East Coast"; the territory from the records assigned to it`,
		`tree.yaml: territory "North America/West Coast": the org has it (id 5725767000000452003) and the file does not: deleting it, which must be allowed, would take away its 3 members (Chloe@acme.com, dev@acme.com, eve@acme.com); the territory from the records assigned to it`,
		`tree.yaml: territory "North America/East Coast": the org has it (id 5725767000000452004) and the file does not: deleting it, which must be allowed, would take away its 2 members (5725767000000411007, 5725767000000411008); the territory from the records assigned to it`,
	}, problemsOf(t, err))
}

// TestDiffProblems: every refusal the issue lists, collected in one
// error with its place.
func TestDiffProblems(t *testing.T) {
	t.Parallel()
	text := exported(t, acme())
	for _, r := range []struct{ old, new string }{
		{"  - name: Acme Org\n    id: \"5725767000000452001\"\n    manager: ava@acme.com\n    permission: read_write_delete\n",
			"  - name: Acme Org\n    id: \"5725767000000459998\"\n    manager: ben@acme.com\n    permission: read_only\n    description: Root\n    rules: {leads: {a: 1}}\n"},
		{"      - name: Europe\n        id: \"5725767000000452005\"\n        manager: ava@acme.com\n",
			"      - name: Europe\n        id: \"5725767000000452001\"\n        manager: nobody@acme.com\n"},
		{"          - name: Key Accounts\n            id: \"5725767000000452006\"\n",
			"          - name: Key Accounts\n            id: \"5725767000000459999\"\n            manager: eve@acme.com\n            users: [hal@acme.com, \"5725767000000419999\", x@acme.com, fay@acme.com]\n"},
		{"          - name: East Coast\n", "          - name: New One\n            manager: HAL@acme.com\n            users: [gus@acme.com]\n          - name: East Coast\n"},
	} {
		require.Contains(t, text, r.old)
		text = strings.Replace(text, r.old, r.new, 1)
	}
	_, err := Diff(read(t, text), acme(), Options{AllowDelete: true, Rules: Rules{TerritoryLimit: 6}})
	assert.Equal(t, []string{
		`tree.yaml:6:9: territory "Acme Org": id: not the org's root territory (5725767000000452001 "Acme Org"): the file's first territory is the root`,
		`tree.yaml:7:14: territory "Acme Org": manager: the org's root territory: Zoho changes only its name (it has ava@acme.com)`,
		`tree.yaml:8:17: territory "Acme Org": permission: the org's root territory: Zoho changes only its name (it has read_write_delete)`,
		`tree.yaml:9:18: territory "Acme Org": description: the org's root territory: Zoho changes only its name (it has none)`,
		`tree.yaml:10:20: territory "Acme Org": rules.leads: the org's root territory: Zoho changes only its name (it has other criteria)`,
		`tree.yaml:14:13: territory "Europe": id: the org's root territory: it stays the root, and is the file's first territory`,
		`tree.yaml:15:18: territory "Europe": manager: no user of the org has the e-mail address "nobody@acme.com" (every user was read, deactivated ones included)`,
		`tree.yaml:20:17: territory "Europe/Key Accounts": id: the org has no territory 5725767000000459999: deleted since the file was written? Leave the id out to create the territory anew`,
		`tree.yaml:21:22: territory "Europe/Key Accounts": manager: eve@acme.com is inactive: a territory's manager must be an active user`,
		`tree.yaml:22:21: territory "Europe/Key Accounts": users[0]: the e-mail address "hal@acme.com" belongs to 2 users: 5725767000000411008 (Hal One, active), 5725767000000411009 (Hal Two, active); give the id of the one you mean`,
		`tree.yaml:22:35: territory "Europe/Key Accounts": users[1]: no user of the org has the id 5725767000000419999`,
		`tree.yaml:22:58: territory "Europe/Key Accounts": users[2]: no user of the org has the e-mail address "x@acme.com" (every user was read, deactivated ones included)`,
		`tree.yaml:32:13: territory "North America/New One": permission: a new territory needs one: read_only or read_write_delete`,
		`tree.yaml:33:22: territory "North America/New One": manager: the e-mail address "HAL@acme.com" belongs to 2 users: 5725767000000411008 (Hal One, active), 5725767000000411009 (Hal Two, active); give the id of the one you mean`,
		`tree.yaml:34:21: territory "North America/New One": users[0]: no user of the org has the e-mail address "gus@acme.com" (every user was read, deactivated ones included)`,
		`tree.yaml: the tree would hold 7 territories: the org holds at most 6`,
	}, problemsOf(t, err))
}

// TestDiffMembers: the membership rules of the membership plans: the
// root's members never change, a manager is a member whether listed or
// not (added first when new), inactive users are not added, and adds
// past the territory's user limit are skipped, counting the members it
// holds before any removal.
func TestDiffMembers(t *testing.T) {
	t.Parallel()
	text := exported(t, acme())
	for _, r := range []struct{ old, new string }{
		{`users: [ava@acme.com, ben@acme.com, Chloe@acme.com, dev@acme.com, eve@acme.com, "5725767000000411007"]`,
			`users: [ava@acme.com, ben@acme.com, Chloe@acme.com, "5725767000000411008"]`},
		{"manager: ben@acme.com\n", "manager: dev@acme.com\n"},
		{`users: [ben@acme.com, Chloe@acme.com, dev@acme.com]`, `users: [ben@acme.com, eve@acme.com]`},
		{`users: [Chloe@acme.com, dev@acme.com, eve@acme.com]`, `users: [ben@acme.com, "5725767000000411007", eve@acme.com, ava@acme.com]`},
	} {
		require.Contains(t, text, r.old)
		text = strings.Replace(text, r.old, r.new, 1)
	}
	in, err := Diff(read(t, text), acme(), Options{Rules: Rules{TerritoryUserLimit: 4}})
	require.NoError(t, err)
	rootSkip := func(u string, op zohoterritory.Op, msg string) Skip {
		return Skip{Territory: Ref{ID: tRoot}, Path: "Acme Org", User: u, Op: op, Reason: zohoterritory.ReasonDefaultTerritory, Message: msg}
	}
	const rootRemove = "the organization's default territory: Zoho removes no user from it"
	assert.Equal(t, &Intents{
		Updates: []Update{{ID: tNA, Path: "North America", Line: 21, Manager: &Change{Old: uBen, New: uDev}}},
		Adds: []Members{
			{Territory: Ref{ID: tWest}, Path: "North America/West Coast", Line: 32, Users: []string{uBen}},
		},
		Removes: []Members{
			{Territory: Ref{ID: tNA}, Path: "North America", Line: 21, Users: []string{uChloe}},
			{Territory: Ref{ID: tWest}, Path: "North America/West Coast", Line: 32, Users: []string{uDev}},
		},
		Skips: []Skip{
			rootSkip(uHal1, zohoterritory.OpAddUsers, "the organization's default territory: its members are left as Zoho keeps them"),
			rootSkip(uDev, zohoterritory.OpRemoveUsers, rootRemove), rootSkip(uEve, zohoterritory.OpRemoveUsers, rootRemove), rootSkip(uGus, zohoterritory.OpRemoveUsers, rootRemove),
			{Territory: Ref{ID: tNA}, Path: "North America", User: uEve, Op: zohoterritory.OpAddUsers, Reason: zohoterritory.ReasonUserInactive,
				Message: "the user is inactive: Zoho adds only active users"},
			{Territory: Ref{ID: tWest}, Path: "North America/West Coast", User: uGus, Op: zohoterritory.OpAddUsers, Reason: zohoterritory.ReasonLimitExceeded,
				Message: zohoterritory.UserLimitSkipMessage(4)},
			{Territory: Ref{ID: tWest}, Path: "North America/West Coast", User: uAva, Op: zohoterritory.OpAddUsers, Reason: zohoterritory.ReasonLimitExceeded,
				Message: zohoterritory.UserLimitSkipMessage(4)},
		},
	}, in)
}

// TestDiffSnapshot: an org snapshot that is not one tree is an error,
// not a plan.
func TestDiffSnapshot(t *testing.T) {
	t.Parallel()
	f := read(t, exported(t, acme()))
	for _, tc := range []struct {
		name string
		edit func(*Org)
		want string
	}{
		{"no root", func(o *Org) { o.Territories[0].ParentID = tEU }, "the org has no root territory"},
		{"two roots", func(o *Org) { o.Territories[1].ParentID = "" }, "two root territories"},
		{"unknown parent", func(o *Org) { o.Territories[1].ParentID = "1" }, "reports to 1, which the org does not hold"},
		{"twice", func(o *Org) { o.Territories[2].ID = tNA }, "lists territory 5725767000000452002 twice"},
		{"bad id", func(o *Org) { o.Territories[2].ID = "x" }, `id "x"`},
		{"cycle", func(o *Org) { o.Territories[1].ParentID = tWest }, "is not under the root (its parents form a cycle)"},
	} {
		org := acme()
		tc.edit(org)
		_, err := Diff(f, org, Options{})
		assert.ErrorContains(t, err, tc.want, tc.name)
	}
	_, err := Diff(&File{}, acme(), Options{})
	assert.ErrorContains(t, err, "no file")
}

// TestDiffFields: each field that differs is an update with its old and
// new values; a manager deactivated since is no problem while it stays.
func TestDiffFields(t *testing.T) {
	t.Parallel()
	org := acme()
	org.Territories[3].ManagerID = uEve // East Coast, managed by a user now inactive
	f := edit(t, org,
		"            manager: Chloe@acme.com\n            permission: read_only\n",
		"            manager: Chloe@acme.com\n            permission: read_write_delete\n            description: Pacific states\n",
		`value: 100000`, `value: 200000`,
		"            users: [Chloe@acme.com, dev@acme.com, eve@acme.com]\n",
		"              leads: {comparator: equal, value: x}\n            users: [Chloe@acme.com, dev@acme.com, eve@acme.com]\n")
	in, err := Diff(f, org, Options{})
	require.NoError(t, err)
	require.Len(t, in.Updates, 1)
	u := in.Updates[0]
	assert.Equal(t, &Change{Old: PermissionReadOnly, New: PermissionReadWriteDelete}, u.Permission)
	assert.Equal(t, &Change{Old: "", New: "Pacific states"}, u.Description)
	require.NotNil(t, u.Criteria)
	assert.Equal(t, []string{"accounts", "leads"}, u.Criteria.New.Changed(u.Criteria.Old))
	assert.Nil(t, u.Name)
	assert.Nil(t, u.Manager)

	p, err := Order(in, org, OrderOptions{})
	require.NoError(t, err)
	fields := p.Changes()[0].Fields
	require.Len(t, fields, 4)
	assert.Equal(t, FieldChange{Field: "description", New: "Pacific states"}, fields[1])
	assert.Equal(t, "rules.leads", fields[3].Field)
	assert.Equal(t, "", fields[3].Old)
	assert.Equal(t, `{"comparator":"equal","value":"x"}`, fields[3].New)
	assert.Contains(t, fields[2].Old, `"value":100000}`)
	assert.Contains(t, fields[2].New, `"value":200000}`)

	// Giving the inactive manager to another territory is refused.
	f = edit(t, org, "          - name: West Coast\n            id: \"5725767000000452003\"\n            manager: Chloe@acme.com\n",
		"          - name: West Coast\n            id: \"5725767000000452003\"\n            manager: eve@acme.com\n")
	_, err = Diff(f, org, Options{})
	assert.Equal(t, []string{`tree.yaml:35:22: territory "North America/West Coast": manager: eve@acme.com is inactive: a territory's manager must be an active user`}, problemsOf(t, err))
}
