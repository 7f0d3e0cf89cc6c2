package zohoterritory

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadMemberships(t *testing.T) {
	t.Parallel()
	rows, err := ReadMemberships(strings.NewReader("\uFEFFuser,territory,note\n"+
		"chloe@acme.com, West Coast ,x\n\n   \n"+
		"\"dev@acme.com\",\"North America/Key Accounts\"\n"+
		"5725767000000411002,5725767000000452002\n"), "reps.csv")
	require.NoError(t, err)
	assert.Equal(t, []MembershipRow{
		{File: "reps.csv", Line: 2, Territory: "West Coast", User: "chloe@acme.com"},
		{File: "reps.csv", Line: 5, Territory: "North America/Key Accounts", User: "dev@acme.com"},
		{File: "reps.csv", Line: 6, Territory: "5725767000000452002", User: "5725767000000411002"},
	}, rows)

	for _, tc := range []struct{ body, want string }{
		{"", "reps.csv: empty"},
		{"territory,user\n\n", "reps.csv: no membership"},
		{"name,email\nx,y\n", "reps.csv, line 1: the header \"name,email\" names no territory column"},
		{"territory\nx\n", "names no user column"},
		{"territory,user\nWest Coast,\n", "reps.csv, line 2: no user for territory \"West Coast\""},
		{"territory,user\n,chloe@acme.com\n", "reps.csv, line 2: no territory for user \"chloe@acme.com\""},
		{"territory,user\na,b\n\"c,d\n", "reps.csv, line 3: extraneous or missing \" in quoted-field"},
	} {
		_, err := ReadMemberships(strings.NewReader(tc.body), "reps.csv")
		var fe *FileError
		require.True(t, errors.As(err, &fe), "%q: %v", tc.body, err)
		assert.Contains(t, err.Error(), tc.want)
	}
}

// TestDiff: each territory ends with the users of the file and its
// manager; each user with the territories of the file, the default one
// and those they manage; what Zoho forbids is skipped with its reason.
func TestDiff(t *testing.T) {
	t.Parallel()
	const t1, t2, root, u1, u2, u3, boss = "101", "102", "100", "1", "2", "3", "9"
	m := func(t, u string) Membership { return Membership{TerritoryID: t, UserID: u} }
	byTerritory := []OwnerState{
		{Owner: t1, Members: []string{boss, u1, u3}, Protected: map[string]Reason{boss: ReasonManager}},
		{Owner: t2, Members: []string{}},
		{Owner: root, Members: []string{u1, u2}, Protected: map[string]Reason{u1: ReasonDefaultTerritory, u2: ReasonDefaultTerritory}},
	}
	tests := []struct {
		name    string
		desired []Membership
		state   []OwnerState
		opts    PlanOptions
		want    []PlanGroup
		totals  PlanTotals
	}{
		{"by territory", []Membership{m(t1, u1), m(t1, u2), m(t1, u2), m(t2, u3)}, byTerritory, PlanOptions{},
			[]PlanGroup{
				{Owner: t1, Add: []string{u2}, Remove: []string{u3}, Unchanged: []string{u1, boss}, Skipped: []PlanSkip{}, Before: []string{boss, u1, u3}},
				{Owner: t2, Add: []string{u3}, Remove: []string{}, Unchanged: []string{}, Skipped: []PlanSkip{}, Before: []string{}},
			}, PlanTotals{Add: 2, Remove: 1, Unchanged: 2}},
		{"the default territory", []Membership{m(root, u1), m(root, u3)}, byTerritory, PlanOptions{},
			[]PlanGroup{{Owner: root, Add: []string{u3}, Remove: []string{}, Unchanged: []string{u1}, Before: []string{u1, u2},
				Skipped: []PlanSkip{{ID: u2, Op: OpRemoveUsers, Reason: ReasonDefaultTerritory, Message: "the organization's default territory: Zoho removes no user from it"}}}},
			PlanTotals{Add: 1, Unchanged: 1, Skipped: 1}},
		{"add only", []Membership{m(t1, u2)}, byTerritory, PlanOptions{AddOnly: true},
			[]PlanGroup{{Owner: t1, Add: []string{u2}, Remove: []string{}, Unchanged: []string{boss}, Before: []string{boss, u1, u3},
				Skipped: []PlanSkip{{ID: u1, Op: OpRemoveUsers, Reason: ReasonExcepted, Message: "the plan makes adds only"}, {ID: u3, Op: OpRemoveUsers, Reason: ReasonExcepted, Message: "the plan makes adds only"}}}},
			PlanTotals{Add: 1, Unchanged: 1, Skipped: 2}},
		{"remove only", []Membership{m(t1, u2)}, byTerritory, PlanOptions{RemoveOnly: true},
			[]PlanGroup{{Owner: t1, Add: []string{}, Remove: []string{u1, u3}, Unchanged: []string{boss}, Before: []string{boss, u1, u3},
				Skipped: []PlanSkip{{ID: u2, Op: OpAddUsers, Reason: ReasonExcepted, Message: "the plan makes removals only"}}}},
			PlanTotals{Remove: 2, Unchanged: 1, Skipped: 1}},
		{"a territory full while the adds go first", []Membership{m(t1, u1), m(t1, u2), m(t1, "4"), m(t1, "5")}, byTerritory, PlanOptions{TerritoryUserLimit: 4},
			[]PlanGroup{{Owner: t1, Add: []string{u2}, Remove: []string{u3}, Unchanged: []string{u1, boss}, Before: []string{boss, u1, u3},
				Skipped: []PlanSkip{
					{ID: "4", Op: OpAddUsers, Reason: ReasonLimitExceeded, Message: UserLimitSkipMessage(4)},
					{ID: "5", Op: OpAddUsers, Reason: ReasonLimitExceeded, Message: UserLimitSkipMessage(4)}}}},
			PlanTotals{Add: 1, Remove: 1, Unchanged: 2, Skipped: 2}},
		{"a user not active, and what they would lose", []Membership{m(t1, u1), m(t1, u2), m(t2, u3)}, []OwnerState{
			{Owner: t1, Members: []string{boss, u1, u3}, Protected: map[string]Reason{boss: ReasonManager}, Unaddable: map[string]Reason{u2: ReasonUserInactive}},
			{Owner: t2, Members: []string{u2}, Unaddable: map[string]Reason{}},
		}, PlanOptions{},
			[]PlanGroup{
				{Owner: t1, Add: []string{}, Remove: []string{u3}, Unchanged: []string{u1, boss}, Before: []string{boss, u1, u3},
					Skipped: []PlanSkip{{ID: u2, Op: OpAddUsers, Reason: ReasonUserInactive, Message: "the user is not active (deactivated or deleted): Zoho adds no such user to a territory"}}},
				{Owner: t2, Add: []string{u3}, Remove: []string{}, Unchanged: []string{}, Before: []string{u2},
					Skipped: []PlanSkip{{ID: u2, Op: OpRemoveUsers, Reason: ReasonKept, Message: "not removed, so the user keeps it: adding the user to territory 101 is skipped (user_inactive)"}}},
			}, PlanTotals{Add: 1, Remove: 1, Unchanged: 2, Skipped: 2}},
		{"by user", []Membership{m(t1, u1), m(t2, u1)}, []OwnerState{
			{Owner: u1, Members: []string{root, t1, "103", "104"}, Protected: map[string]Reason{root: ReasonDefaultTerritory, "104": ReasonManager}},
		}, PlanOptions{By: ByUser},
			[]PlanGroup{{Owner: u1, Add: []string{t2}, Remove: []string{"103"}, Unchanged: []string{t1, root}, Before: []string{root, t1, "103", "104"},
				Skipped: []PlanSkip{{ID: "104", Op: OpRemoveTerritories, Reason: ReasonManager, Message: "the user manages the territory"}}}},
			PlanTotals{Add: 1, Remove: 1, Unchanged: 2, Skipped: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p, err := Diff(tc.desired, tc.state, tc.opts)
			require.NoError(t, err)
			for i := range tc.want {
				if tc.want[i].Skipped == nil {
					tc.want[i].Skipped = []PlanSkip{}
				}
			}
			assert.Equal(t, tc.want, p.Groups)
			assert.Equal(t, tc.totals, p.Totals())
			assert.Equal(t, tc.totals.Add+tc.totals.Remove > 0, p.HasChanges())
		})
	}

	_, err := Diff([]Membership{m(t1, "x")}, byTerritory, PlanOptions{})
	var idErr *InvalidIDError
	require.ErrorAs(t, err, &idErr)
	assert.Equal(t, "desired[0].UserID", idErr.Arg)
	_, err = Diff(nil, nil, PlanOptions{AddOnly: true, RemoveOnly: true})
	var oe *OptionError
	require.ErrorAs(t, err, &oe)
	assert.Equal(t, OptionError{Option: "PlanOptions", Field: "AddOnly and RemoveOnly", Err: oe.Err}, *oe)
	assert.EqualError(t, PlanOptions{By: "team"}.Check(), `zohoterritory: PlanOptions: By "team": want "territory" or "user"`)
	assert.NoError(t, PlanOptions{}.Check())
	_, err = Diff([]Membership{m("555", u1)}, byTerritory, PlanOptions{})
	require.ErrorContains(t, err, "no state for territory 555")
}

// TestPlanChangeSetAndDrifts: the plan's changes (adds, then removals),
// its JSON round trip, and what makes a saved plan stale.
func TestPlanChangeSetAndDrifts(t *testing.T) {
	t.Parallel()
	p, err := Diff([]Membership{{"101", "1"}, {"101", "2"}, {"102", "3"}}, []OwnerState{
		{Owner: "101", Members: []string{"1", "7"}}, {Owner: "102", Members: []string{"8"}},
	}, PlanOptions{})
	require.NoError(t, err)
	set := p.ChangeSet()
	assert.Equal(t, []Change{
		{Op: OpAddUsers, Owner: "101", IDs: []string{"2"}},
		{Op: OpAddUsers, Owner: "102", IDs: []string{"3"}},
		{Op: OpRemoveUsers, Owner: "101", IDs: []string{"7"}},
		{Op: OpRemoveUsers, Owner: "102", IDs: []string{"8"}},
	}, set.Changes)

	var buf bytes.Buffer
	_, err = p.WriteTo(&buf)
	require.NoError(t, err)
	saved := buf.String()
	back, err := ReadPlan(&buf, "plan.json")
	require.NoError(t, err)
	assert.Equal(t, p, back)
	_, err = ReadPlan(strings.NewReader(strings.Replace(saved, `"version": 2`, `"version": 7`, 1)), "plan.json")
	assert.ErrorContains(t, err, "plan.json: plan format version 7")
	_, err = ReadPlan(strings.NewReader("territory,user\n"), "plan.json")
	assert.ErrorContains(t, err, "not a saved plan")

	users, territories := p.IDs()
	assert.Equal(t, []string{"2", "7", "1", "3", "8"}, users, "adds, removals, unchanged, each once")
	assert.Equal(t, []string{"101", "102"}, territories)

	assert.Empty(t, p.Drifts(map[string][]string{"101": {"1", "7"}, "102": {"8"}}))
	drifts := p.Drifts(map[string][]string{"101": {"1", "2", "7"}, "102": {}})
	require.Len(t, drifts, 2)
	assert.Equal(t, "2 in 101: a member now, not a member when the plan was made (the plan would add it)", drifts[0].String())
	assert.Equal(t, Drift{Owner: "102", ID: "8", Planned: OpRemoveUsers, Was: true, Now: false}, drifts[1])
}

// TestReadPlanVersion1: a plan saved by the version before, whose skips
// name their op "add" or "remove", is read as this version's; an op that
// is not the plan's is refused.
func TestReadPlanVersion1(t *testing.T) {
	t.Parallel()
	const v1 = `{"format": "zohoterritory-plan", "version": 1, "created": "2026-12-02T09:30:00Z", "by": "user",
  "groups": [{"owner": "1", "add": ["101"], "remove": [], "unchanged": [],
    "skipped": [{"id": "104", "op": "remove", "reason": "manager", "message": "the user manages the territory"},
                {"id": "105", "op": "add", "reason": "excepted", "message": "--remove-only: no add"}],
    "before": ["104"]}]}`
	p, err := ReadPlan(strings.NewReader(v1), "old.plan")
	require.NoError(t, err)
	assert.Equal(t, PlanVersion, p.Version)
	assert.Equal(t, []PlanSkip{
		{ID: "104", Op: OpRemoveTerritories, Reason: ReasonManager, Message: "the user manages the territory"},
		{ID: "105", Op: OpAddTerritories, Reason: ReasonExcepted, Message: "--remove-only: no add"},
	}, p.Groups[0].Skipped)

	var buf bytes.Buffer
	_, err = p.WriteTo(&buf)
	require.NoError(t, err)
	assert.Contains(t, buf.String(), `"version": 2`)
	assert.Contains(t, buf.String(), `"op": "remove-territories"`)

	_, err = ReadPlan(strings.NewReader(strings.Replace(buf.String(), `"remove-territories"`, `"remove-users"`, 1)), "bad.plan")
	assert.ErrorContains(t, err, `bad.plan: groups[0].skipped[0]: op "remove-users": want "add-territories" or "remove-territories"`)
}
