package tree

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// editedPlan plans testdata/edited.yaml against acme().
func editedPlan(t *testing.T) *Plan {
	t.Helper()
	in, err := Diff(editedFile(t), acme(), Options{AllowDelete: true})
	require.NoError(t, err)
	p, err := Order(in, acme(), OrderOptions{Created: t0, Source: "tree.yaml"})
	require.NoError(t, err)
	return p
}

// TestPlanGolden: the saved form of a plan (steps in order, skips, the
// before state, user labels) is the golden file's, and reads back as the
// same plan.
func TestPlanGolden(t *testing.T) {
	t.Parallel()
	p := editedPlan(t)
	var b bytes.Buffer
	_, err := p.WriteTo(&b)
	require.NoError(t, err)
	golden(t, "plan-edited.json", b.Bytes())

	back, err := ReadPlan(bytes.NewReader(b.Bytes()), "plan.json")
	require.NoError(t, err)
	var again bytes.Buffer
	_, err = back.WriteTo(&again)
	require.NoError(t, err)
	assert.Equal(t, b.String(), again.String())
	assert.Equal(t, p.Totals(), back.Totals())
	assert.Empty(t, Drifts(back, acme()))
}

// TestPlanTotalsAndChanges: the totals line and, territory by territory,
// what the plan does, in the file's order, then deletes.
func TestPlanTotalsAndChanges(t *testing.T) {
	t.Parallel()
	p := editedPlan(t)
	assert.True(t, p.HasChanges())
	assert.Equal(t, Totals{Create: 2, Update: 2, Delete: 1, Add: 2, Remove: 2}, p.Totals())
	assert.Equal(t, "Plan: 2 to create, 2 to update, 1 to delete; 2 memberships to add, 2 to remove", p.Totals().String())
	assert.Equal(t, "Plan: 0 to create, 1 to update, 0 to delete; 1 membership to add, 0 to remove", Totals{Update: 1, Add: 1}.String())

	del := Delete{ID: tEast, Name: "East Coast", Path: "North America/East Coast", Members: []string{uGus, uHal1}, Children: []string{}}
	assert.Equal(t, []TerritoryChange{
		{Action: ActionUpdate, Territory: Ref{ID: tWest}, Name: "West Coast", Path: "Europe/West Coast", Line: 23,
			Fields:  []FieldChange{{Field: "parent", Old: "North America", New: "Europe"}, {Field: "manager", Old: "Chloe@acme.com", New: "dev@acme.com"}},
			Removed: []string{uChloe}, Skips: p.Skips},
		{Action: ActionUpdate, Territory: Ref{ID: tNA}, Name: "Americas", Path: "Americas", Line: 30,
			Fields: []FieldChange{{Field: "name", Old: "North America", New: "Americas"}}, Removed: []string{uDev}},
		{Action: ActionCreate, Territory: Ref{Key: "new:Americas/Pacific"}, Name: "Pacific", Path: "Americas/Pacific", Line: 37,
			Fields: []FieldChange{{Field: "name", New: "Pacific"}, {Field: "parent", New: "Americas"}, {Field: "manager", New: "Chloe@acme.com"},
				{Field: "permission", New: PermissionReadOnly}},
			Added: []string{uChloe, uGus}},
		{Action: ActionCreate, Territory: Ref{Key: "new:Americas/Pacific/Hawaii"}, Name: "Hawaii", Path: "Americas/Pacific/Hawaii", Line: 42,
			Fields: []FieldChange{{Field: "name", New: "Hawaii"}, {Field: "parent", New: "Pacific"}, {Field: "permission", New: PermissionReadWriteDelete},
				{Field: "description", New: "Aloha"}}},
		{Action: ActionDelete, Territory: Ref{ID: tEast}, Name: "East Coast", Path: "North America/East Coast", Delete: &del, Children: []Child{}},
	}, p.Changes())
	assert.Equal(t, "Chloe@acme.com", p.UserLabel(uChloe))
	assert.Equal(t, uHal1, p.UserLabel(uHal1), "an address two users share names neither")
	tw, ok := p.Territory(tWest)
	require.True(t, ok)
	assert.Equal(t, PermissionReadOnly, tw.Permission, "what an update sends as its permission when it changes none")
	_, ok = p.Territory(tKey)
	assert.False(t, ok, "a territory the plan does not touch")
	for a, sym := range map[Action]string{ActionCreate: "+", ActionUpdate: "~", ActionMembers: "~", ActionDelete: "-"} {
		assert.Equal(t, sym, a.Symbol())
	}
}

// TestChangesSwap: a territory renamed through a temporary name shows as
// one rename, from its name as read to its final one, and counts once.
func TestChangesSwap(t *testing.T) {
	t.Parallel()
	p := swapPlan(t)
	assert.Equal(t, Totals{Update: 2}, p.Totals())
	ch := p.Changes()
	require.Len(t, ch, 2)
	assert.Equal(t, []FieldChange{{Field: "name", Old: "Europe", New: "North America"}}, ch[0].Fields)
	assert.Equal(t, []FieldChange{{Field: "name", Old: "North America", New: "Europe"}}, ch[1].Fields)
}

// TestReadPlanRefuses: another format, another version, unknown fields,
// steps that do not hold what their kind needs, bad ids, keys no earlier
// step creates: each a FileError naming the file.
func TestReadPlanRefuses(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	_, err := editedPlan(t).WriteTo(&b)
	require.NoError(t, err)
	good := b.String()
	tests := []struct{ name, text, want string }{
		{"not JSON", "format: x", "plan.json: not a saved tree plan: invalid character"},
		{"membership plan", `{"format":"zohoterritory-plan","version":1,"steps":[]}`, "plan.json: a membership plan (format zohoterritory-plan), not a tree plan (format zohoterritory-tree-plan)"},
		{"other format", `{"format":"x","version":1}`, `plan.json: not a saved tree plan (its format is "x", not zohoterritory-tree-plan)`},
		{"other version", strings.Replace(good, `"version": 1`, `"version": 2`, 1), "plan.json: tree plan format version 2 is not one this zohoterritory reads (it reads version 1)"},
		{"unknown field", strings.Replace(good, `"source"`, `"sauce"`, 1), `plan.json: not a saved tree plan: json: unknown field "sauce"`},
		{"trailing", good + "{}", "plan.json: not a saved tree plan: more after the plan"},
		{"unknown kind", strings.Replace(good, `"kind": "update"`, `"kind": "rename"`, 1), `plan.json: steps[2]: unknown kind "rename"`},
		{"wrong items", strings.Replace(good, `"kind": "update"`, `"kind": "create"`, 1), "plan.json: steps[2]: a create step holds creates, and only those"},
		{"bad id", strings.Replace(good, `"id": "5725767000000452003",`, `"id": "west",`, 1), `plan.json: steps[2]: update: zohoterritory: id "west": must contain decimal digits only`},
		{"unknown key", strings.Replace(good, `"key": "new:Americas/Pacific"
          },`, `"key": "new:Elsewhere"
          },`, 1), `plan.json: steps[1]: parent of new:Americas/Pacific/Hawaii: "new:Elsewhere" is created by no earlier step`},
		{"an untyped op", strings.Replace(good, `"op": "add-users"`, `"op": "add"`, 1), `plan.json: skips[0]: op "add": want "add-users" or "remove-users"`},
		{"ref both", strings.Replace(good, `"id": "5725767000000452005"
            }`, `"id": "5725767000000452005", "key": "k"
            }`, 1), "plan.json: steps[2]: new parent of 5725767000000452003: want an id or a key"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.NotEqual(t, good, tc.text, "the edit applies")
			_, err := ReadPlan(strings.NewReader(tc.text), "plan.json")
			var fe *zohoterritory.FileError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.Equal(t, "plan.json", fe.Name)
			assert.ErrorContains(t, err, tc.want)
		})
	}
}

// TestChangesDeleteChildren: what a delete takes away says, of each
// child, whether the plan deletes it first or moves it away first, and
// where it ends.
func TestChangesDeleteChildren(t *testing.T) {
	t.Parallel()
	// North America dropped: West Coast kept under Europe, East Coast
	// dropped with it.
	f := read(t, `format: zohoterritory-tree
version: 1
territories:
  - name: Acme Org
    id: "5725767000000452001"
    manager: ava@acme.com
    users: [ava@acme.com, ben@acme.com, Chloe@acme.com, dev@acme.com, eve@acme.com, "5725767000000411007"]
    children:
      - name: Europe
        id: "5725767000000452005"
        manager: ava@acme.com
        users: [ava@acme.com]
        children:
          - name: Key Accounts
            id: "5725767000000452006"
            description: The ten largest
          - name: West Coast
            id: "5725767000000452003"
            manager: Chloe@acme.com
            rules:
              accounts: {"group_operator":"AND","group":[{"field":{"api_name":"Billing_State","id":"5725767000000002001"},"comparator":"in","value":["CA","OR","WA"]},{"field":{"api_name":"Annual_Revenue","id":"5725767000000002002"},"comparator":"greater_than","value":100000}]}
            users: [Chloe@acme.com, dev@acme.com, eve@acme.com]
`)
	in, err := Diff(f, acme(), Options{AllowDelete: true})
	require.NoError(t, err)
	p, err := Order(in, acme(), OrderOptions{Created: t0})
	require.NoError(t, err)
	var na *TerritoryChange
	for _, c := range p.Changes() {
		if c.Territory.ID == tNA {
			na = &c
		}
	}
	require.NotNil(t, na)
	assert.Equal(t, ActionDelete, na.Action)
	assert.Equal(t, []Child{
		{ID: tWest, Name: "West Coast", Path: "Europe/West Coast"},
		{ID: tEast, Name: "East Coast", Path: "North America/East Coast", Deleted: true},
	}, na.Children, "in the org's order")
}
