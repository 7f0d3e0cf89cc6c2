package tree

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDrifts: what changed since a plan was made, of what it assumed: a
// field of a territory it touches, a member of a territory whose members
// it changes, a name it gives now taken, a child of a territory it
// deletes; what it does not touch does not count.
func TestDrifts(t *testing.T) {
	t.Parallel()
	p := editedPlan(t)
	assert.Empty(t, Drifts(p, acme()))

	org := acme()
	org.Territories[4].Name = "Europa"            // the new parent of West Coast
	org.Territories[1].Description = "US, Canada" // North America
	org.Territories[2].Criteria.Accounts = json.RawMessage(`{"comparator":"equal","value":1}`)
	org.Territories[5].Description = "not touched"        // Key Accounts
	org.Members[tWest] = append(org.Members[tWest], uBen) // joined
	org.Members[tNA] = []string{uBen, uChloe}             // dev left
	org.Members[tKey] = []string{uAva}                    // not touched
	org.Territories = append(org.Territories,
		Territory{ID: "5725767000000452010", Name: "PACIFIC", ParentID: tRoot},  // a name the plan gives
		Territory{ID: "5725767000000452011", Name: "Late", ParentID: tEast},     // under a territory the plan deletes
		Territory{ID: "5725767000000452012", Name: "Elsewhere", ParentID: tKey}, // nothing to the plan
	)
	drifts := Drifts(p, org)
	var lines []string
	for _, d := range drifts {
		lines = append(lines, d.String())
	}
	assert.Equal(t, []string{
		`territory "North America" (5725767000000452002): description was "Sales in the US and Canada", is "US, Canada" now`,
		`territory "West Coast" (5725767000000452003): rules was "criteria as planned", is "other criteria" now`,
		`territory "Europe" (5725767000000452005): name was "Europe", is "Europa" now`,
		`territory "North America" (5725767000000452002): user 5725767000000411004 was a member when the plan was made, not now`,
		`territory "West Coast" (5725767000000452003): user 5725767000000411002 is a member now, not when the plan was made`,
		`territory 5725767000000452010 now has the name "PACIFIC", which the plan gives another`,
		`territory "Late" (5725767000000452011) now reports to 5725767000000452004, which the plan deletes`,
	}, lines)
	assert.Equal(t, Drift{Kind: DriftField, Territory: tEU, Name: "Europe", Field: "name", Was: "Europe", Now: "Europa"}, drifts[2])

	org = acme()
	org.Territories = org.Territories[:3] // East Coast, Europe, Key Accounts gone
	delete(org.Members, tEast)
	var gone []Drift
	for _, d := range Drifts(p, org) {
		if d.Kind == DriftGone {
			gone = append(gone, d)
		}
	}
	assert.Equal(t, []Drift{{Kind: DriftGone, Territory: tEast, Name: "East Coast"}, {Kind: DriftGone, Territory: tEU, Name: "Europe"}}, gone)
	assert.Equal(t, `territory "East Coast" (5725767000000452004) is gone`, gone[0].String())
}
