package tree

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// plan diffs f against org, deletes allowed, and orders the intents.
func plan(t *testing.T, f *File, org *Org, opts OrderOptions) *Plan {
	t.Helper()
	in, err := Diff(f, org, Options{AllowDelete: true})
	require.NoError(t, err)
	p, err := Order(in, org, opts)
	require.NoError(t, err)
	return p
}

// kinds returns the plan's steps as "kind:n" (n items a call).
func kinds(p *Plan) []string {
	var out []string
	for _, s := range p.Steps {
		n := len(s.Creates) + len(s.Updates) + len(s.Deletes)
		if s.Members != nil {
			n = len(s.Members.Users)
		}
		out = append(out, fmt.Sprintf("%s:%d", s.Kind, n))
	}
	return out
}

// swapPlan swaps the names of Europe and North America.
func swapPlan(t *testing.T) *Plan {
	t.Helper()
	return plan(t, edit(t, acme(), "- name: Europe", "- name: SWAP", "- name: North America", "- name: Europe", "- name: SWAP", "- name: North America"), acme(), OrderOptions{Tag: "run1"})
}

// TestOrderSwap: two territories that swap names go through temporary
// names: both freed first, then both renamed.
func TestOrderSwap(t *testing.T) {
	t.Parallel()
	p := swapPlan(t)
	assert.Equal(t, []Step{
		{Kind: StepFreeName, Updates: []Update{
			{ID: tNA, Path: "North America", Name: &Change{Old: "North America", New: "~zt run1 North America"}},
			{ID: tEU, Path: "Europe", Name: &Change{Old: "Europe", New: "~zt run1 Europe"}},
		}},
		{Kind: StepUpdate, Updates: []Update{
			{ID: tEU, Path: "North America", Was: "Europe", Line: 11, Name: &Change{Old: "~zt run1 Europe", New: "North America"}},
			{ID: tNA, Path: "Europe", Was: "North America", Line: 21, Name: &Change{Old: "~zt run1 North America", New: "Europe"}},
		}},
	}, p.Steps)

	// Without a tag, one comes from what the plan does: the same intents
	// give the same plan.
	f := edit(t, acme(), "- name: Europe", "- name: SWAP", "- name: North America", "- name: Europe", "- name: SWAP", "- name: North America")
	a, b := plan(t, f, acme(), OrderOptions{}), plan(t, f, acme(), OrderOptions{})
	assert.Equal(t, a, b)
	assert.Regexp(t, `^~zt [0-9a-f]{8} North America$`, a.Steps[0].Updates[0].Name.New)

	in, err := Diff(f, acme(), Options{})
	require.NoError(t, err)
	_, err = Order(in, acme(), OrderOptions{Tag: "with space"})
	assert.ErrorContains(t, err, `OrderOptions.Tag "with space"`)
}

// TestOrderNames: a name a create wants and a rename to a name only in
// case: the first is freed, the second is not; a deleted territory whose
// name is wanted is freed, and deleted under its temporary name.
func TestOrderNames(t *testing.T) {
	t.Parallel()
	f := edit(t, acme(),
		"        children:\n          - name: Key Accounts\n            id: \"5725767000000452006\"\n            permission: read_only\n            description: The ten largest\n", "",
		"          - name: East Coast\n", "          - {name: KEY ACCOUNTS, permission: read_only}\n          - name: East Coast\n",
		"- name: West Coast", "- name: WEST COAST")
	p := plan(t, f, acme(), OrderOptions{Tag: "t"})
	assert.Equal(t, []string{"free_name:1", "create:1", "update:1", "delete:1"}, kinds(p))
	assert.Equal(t, &Change{Old: "Key Accounts", New: "~zt t Key Accounts"}, p.Steps[0].Updates[0].Name)
	assert.Equal(t, "KEY ACCOUNTS", p.Steps[1].Creates[0].Name)
	assert.Equal(t, &Change{Old: "West Coast", New: "WEST COAST"}, p.Steps[2].Updates[0].Name)
	assert.Equal(t, tKey, p.Steps[3].Deletes[0].ID)
	assert.Equal(t, Totals{Create: 1, Update: 1, Delete: 1}, p.Totals(), "a territory freed and deleted is a delete")
}

// TestOrderMoves: a parent moved under its own child: the child moves up
// first (it ends shallower), then the parent under it.
func TestOrderMoves(t *testing.T) {
	t.Parallel()
	f := &File{Name: "tree.yaml", Root: &Node{Name: "Acme Org", ID: tRoot, Manager: uAva, Users: []string{uAva, uBen, uChloe, uDev, uEve, uGus},
		Children: []*Node{
			{Name: "Europe", ID: tEU, Manager: uAva, Users: []string{uAva}, Children: []*Node{{Name: "Key Accounts", ID: tKey, Description: "The ten largest"}}},
			{Name: "West Coast", ID: tWest, Manager: uChloe, Criteria: Criteria{Accounts: westRules}, Users: []string{uChloe, uDev, uEve}, Children: []*Node{
				{Name: "North America", ID: tNA, Manager: uBen, Description: "Sales in the US and Canada", Users: []string{uBen, uChloe, uDev}, Children: []*Node{
					{Name: "East Coast", ID: tEast, Users: []string{uGus, uHal1}},
				}},
			}},
		}}}
	p := plan(t, f, acme(), OrderOptions{})
	require.Equal(t, []string{"update:1", "update:1"}, kinds(p))
	assert.Equal(t, &Move{Old: tNA, New: Ref{ID: tRoot}}, p.Steps[0].Updates[0].Parent)
	assert.Equal(t, tWest, p.Steps[0].Updates[0].ID)
	assert.Equal(t, &Move{Old: tRoot, New: Ref{ID: tWest}}, p.Steps[1].Updates[0].Parent)
}

// TestOrderCalls: creates a wave per depth in calls of at most 100,
// deletes leaves first in calls of at most 10, and the rules' caps when
// set.
func TestOrderCalls(t *testing.T) {
	t.Parallel()
	org := &Org{Territories: []Territory{{ID: tRoot, Name: "Root", Permission: PermissionReadWriteDelete}}, Limit: 1000}
	for i := range 23 {
		org.Territories = append(org.Territories, Territory{ID: fmt.Sprintf("57257670000006%05d", i), Name: fmt.Sprintf("Old %d", i), ParentID: tRoot, Permission: PermissionReadOnly})
	}
	org.Territories = append(org.Territories, Territory{ID: "5725767000000700000", Name: "Old child", ParentID: "5725767000000600000", Permission: PermissionReadOnly})
	root := &Node{Name: "Root", ID: tRoot}
	for i := range 150 {
		n := &Node{Name: fmt.Sprintf("New %d", i), Permission: PermissionReadOnly}
		if i < 5 {
			n.Children = []*Node{{Name: fmt.Sprintf("New %d.1", i), Permission: PermissionReadOnly}}
		}
		root.Children = append(root.Children, n)
	}
	f := &File{Name: "tree.yaml", Root: root}
	p := plan(t, f, org, OrderOptions{})
	assert.Equal(t, []string{"create:100", "create:50", "create:5", "delete:10", "delete:10", "delete:3", "delete:1"}, kinds(p))
	assert.Equal(t, "Old child", p.Steps[5].Deletes[2].Name, "leaves first")
	assert.Equal(t, "Old 0", p.Steps[6].Deletes[0].Name, "its parent once it is gone")

	in, err := Diff(f, org, Options{AllowDelete: true})
	require.NoError(t, err)
	p, err = Order(in, org, OrderOptions{Rules: Rules{CreatesPerCall: 60, DeletesPerCall: 20}})
	require.NoError(t, err)
	assert.Equal(t, []string{"create:60", "create:60", "create:30", "create:5", "delete:20", "delete:3", "delete:1"}, kinds(p))
}

// TestOrderLimit: when the creates would take the org past its limit
// before the deletes, whole subtrees deleted go first, as many as needed;
// when even that is not enough, the plan is refused.
func TestOrderLimit(t *testing.T) {
	t.Parallel()
	org := acme()
	org.Limit = 7
	f := edit(t, org,
		"          - name: Key Accounts\n            id: \"5725767000000452006\"\n            permission: read_only\n            description: The ten largest\n",
		"          - {name: New 1, permission: read_only}\n          - {name: New 2, permission: read_only}\n          - {name: New 3, permission: read_only}\n",
		"          - name: East Coast\n            id: \"5725767000000452004\"\n            permission: read_only\n            users: [\"5725767000000411007\", \"5725767000000411008\"]\n", "")
	p := plan(t, f, org, OrderOptions{})
	assert.Equal(t, []string{"delete:2", "create:3"}, kinds(p))
	assert.Equal(t, []string{tEast, tKey}, []string{p.Steps[0].Deletes[0].ID, p.Steps[0].Deletes[1].ID})

	// North America deleted, its children moved to Europe: its delete
	// waits for the moves, after the creates.
	org.Limit = 7
	f = &File{Name: "tree.yaml", Root: &Node{Name: "Acme Org", ID: tRoot, Manager: uAva, Users: []string{uAva, uBen, uChloe, uDev, uEve, uGus},
		Children: []*Node{{Name: "Europe", ID: tEU, Manager: uAva, Users: []string{uAva}, Children: []*Node{
			{Name: "Key Accounts", ID: tKey, Description: "The ten largest"},
			{Name: "West Coast", ID: tWest, Manager: uChloe, Criteria: Criteria{Accounts: westRules}, Users: []string{uChloe, uDev, uEve}},
			{Name: "East Coast", ID: tEast, Users: []string{uGus, uHal1}},
			{Name: "New 1", Permission: PermissionReadOnly},
			{Name: "New 2", Permission: PermissionReadOnly},
		}}}}}
	in, err := Diff(f, org, Options{AllowDelete: true})
	require.NoError(t, err)
	_, err = Order(in, org, OrderOptions{Source: "tree.yaml"})
	assert.Equal(t, []string{"tree.yaml: the org holds 6 territories and at most 7: the plan creates 2, and can delete only 0 before it creates (deletes wait for moves); make room first, or create less"},
		problemsOf(t, err))

	// An org that holds more than a limit not known exactly is not
	// refused for it.
	org = acme()
	org.Limit = 3
	_ = plan(t, edit(t, org, "- name: Key Accounts", "- name: Key Clients"), org, OrderOptions{})
}

// TestOrderRefusesIntents: intents that do not fit the org are an error.
func TestOrderRefusesIntents(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   Intents
		want string
	}{
		{"update of no territory", Intents{Updates: []Update{{ID: "1", Name: &Change{New: "x"}}}}, "update of 1: the org has no such territory"},
		{"update twice", Intents{Updates: []Update{{ID: tEU, Name: &Change{New: "x"}}, {ID: tEU, Name: &Change{New: "y"}}}}, "updated twice"},
		{"root moved", Intents{Updates: []Update{{ID: tRoot, Parent: &Move{New: Ref{ID: tEU}}}}}, "root territory cannot move"},
		{"root deleted", Intents{Deletes: []Delete{{ID: tRoot}}}, "root territory cannot be deleted"},
		{"deleted twice", Intents{Deletes: []Delete{{ID: tKey}, {ID: tKey}}}, "deleted twice"},
		{"delete of no territory", Intents{Deletes: []Delete{{ID: "1"}}}, "delete of 1: the org has no such territory"},
		{"kept under deleted", Intents{Deletes: []Delete{{ID: tEU}}}, "territory 5725767000000452006 would report to 5725767000000452005, which the plan does not keep"},
		{"create key an id", Intents{Creates: []Create{{Key: "123", Name: "x", Parent: Ref{ID: tRoot}}}}, `its key "123" must not be empty or an id`},
		{"create key twice", Intents{Creates: []Create{{Key: "k", Name: "x", Parent: Ref{ID: tRoot}}, {Key: "k", Name: "y", Parent: Ref{ID: tRoot}}}}, `two creates have the key "k"`},
		{"cycle", Intents{Updates: []Update{{ID: tNA, Parent: &Move{New: Ref{ID: tWest}}}}}, "would not form one tree"},
		{"names", Intents{Updates: []Update{{ID: tEU, Name: &Change{New: "WEST COAST"}}}}, `would both be named`},
		{"adds to deleted", Intents{Deletes: []Delete{{ID: tKey}}, Adds: []Members{{Territory: Ref{ID: tKey}, Users: []string{uAva}}}}, "adds to 5725767000000452006"},
		{"removes from nothing", Intents{Removes: []Members{{Territory: Ref{Key: "k"}, Users: []string{uAva}}}}, "removals from k"},
	}
	for _, tc := range tests {
		_, err := Order(&tc.in, acme(), OrderOptions{})
		assert.ErrorContains(t, err, tc.want, tc.name)
	}
}

// TestTempName: temporary names are unique among the names taken, and at
// most the name length in characters.
func TestTempName(t *testing.T) {
	t.Parallel()
	taken := map[string]bool{"~zt a x": true, "~zt a-2 x": true}
	assert.Equal(t, "~zt a-3 X", tempName("a", "X", 50, taken))
	long := strings.Repeat("é", 60)
	got := tempName("abcdef12", long, 50, map[string]bool{})
	assert.Equal(t, "~zt abcdef12 "+strings.Repeat("é", 37), got)
	assert.Equal(t, "~zt abcdef12-2 "+strings.Repeat("é", 35), tempName("abcdef12", long, 50, map[string]bool{fold(got): true}))
	assert.Equal(t, "~zt a-2", tempName("a", "x", 5, map[string]bool{"~zt a": true}), "the prefix, which makes it unique, is kept whole")
}
