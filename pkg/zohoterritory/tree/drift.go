package tree

import (
	"fmt"
	"slices"
)

// DriftKind is what changed in the org since a plan was made.
type DriftKind string

// The kinds of [Drift].
const (
	// DriftGone: a territory the plan names is gone.
	DriftGone DriftKind = "gone"
	// DriftField: a field of a territory the plan names changed.
	DriftField DriftKind = "field"
	// DriftNameTaken: another territory now has a name the plan gives.
	DriftNameTaken DriftKind = "name_taken"
	// DriftMember: a user joined or left a territory whose members the
	// plan changes or that it deletes.
	DriftMember DriftKind = "member"
	// DriftChild: a territory now reports to one the plan deletes.
	DriftChild DriftKind = "child"
)

// Drift is one thing the org holds otherwise than a plan assumed.
type Drift struct {
	Kind DriftKind
	// Territory is the id of the territory it is about; Name its name as
	// the plan knew it (for DriftNameTaken and DriftChild, the other
	// territory's name now).
	Territory, Name string
	// Field ("name", "parent", "manager", "permission", "description",
	// "rules"), Was and Now: the field and its values then and now.
	Field, Was, Now string
	// User is the user who joined (Now "member") or left (Was "member").
	User string
}

// String describes the drift for people.
func (d Drift) String() string {
	switch d.Kind {
	case DriftGone:
		return fmt.Sprintf("territory %q (%s) is gone", d.Name, d.Territory)
	case DriftField:
		return fmt.Sprintf("territory %q (%s): %s was %s, is %s now", d.Name, d.Territory, d.Field, orNone(d.Was), orNone(d.Now))
	case DriftNameTaken:
		return fmt.Sprintf("territory %s now has the name %q, which the plan gives another", d.Territory, d.Name)
	case DriftChild:
		return fmt.Sprintf("territory %q (%s) now reports to %s, which the plan deletes", d.Name, d.Territory, d.Was)
	}
	if d.Now != "" {
		return fmt.Sprintf("territory %q (%s): user %s is a member now, not when the plan was made", d.Name, d.Territory, d.User)
	}
	return fmt.Sprintf("territory %q (%s): user %s was a member when the plan was made, not now", d.Name, d.Territory, d.User)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return fmt.Sprintf("%q", s)
}

// Drifts compares what the plan assumed of the org (its before state and
// the names it gives) with the org now, and returns every difference: a
// territory gone, a field changed, a name now taken, a membership
// changed, a new child of a territory the plan deletes. A plan with
// drifts is stale: make it again. It reads nothing.
func Drifts(p *Plan, org *Org) []Drift {
	now := map[string]Territory{}
	for _, t := range org.Territories {
		now[t.ID] = t
	}
	known := map[string]bool{}
	var out []Drift
	for _, was := range p.Before.Territories {
		known[was.ID] = true
		t, ok := now[was.ID]
		if !ok {
			out = append(out, Drift{Kind: DriftGone, Territory: was.ID, Name: was.Name})
			continue
		}
		field := func(name, a, b string) {
			if a != b {
				out = append(out, Drift{Kind: DriftField, Territory: was.ID, Name: was.Name, Field: name, Was: a, Now: b})
			}
		}
		field("name", was.Name, t.Name)
		field("parent", was.ParentID, t.ParentID)
		field("manager", was.ManagerID, t.ManagerID)
		field("permission", was.Permission, t.Permission)
		field("description", was.Description, t.Description)
		if !was.Criteria.Equal(t.Criteria) {
			out = append(out, Drift{Kind: DriftField, Territory: was.ID, Name: was.Name, Field: "rules", Was: "criteria as planned", Now: "other criteria"})
		}
	}
	for _, was := range p.Before.Territories {
		members, ok := p.Before.Members[was.ID]
		if _, exists := now[was.ID]; !ok || !exists {
			continue
		}
		cur := org.Members[was.ID]
		for _, u := range setMinus(cur, members) {
			out = append(out, Drift{Kind: DriftMember, Territory: was.ID, Name: was.Name, User: u, Now: "member"})
		}
		for _, u := range setMinus(members, cur) {
			out = append(out, Drift{Kind: DriftMember, Territory: was.ID, Name: was.Name, User: u, Was: "member"})
		}
	}
	wanted := map[string]bool{}
	deleted := map[string]bool{}
	for _, s := range p.Steps {
		for _, c := range s.Creates {
			wanted[fold(c.Name)] = true
		}
		for _, u := range s.Updates {
			if u.Name != nil {
				wanted[fold(u.Name.New)] = true
			}
		}
		for _, d := range s.Deletes {
			deleted[d.ID] = true
		}
	}
	for _, t := range org.Territories {
		if known[t.ID] {
			continue
		}
		if wanted[fold(t.Name)] {
			out = append(out, Drift{Kind: DriftNameTaken, Territory: t.ID, Name: t.Name})
		}
		if deleted[t.ParentID] {
			out = append(out, Drift{Kind: DriftChild, Territory: t.ID, Name: t.Name, Was: t.ParentID})
		}
	}
	return slices.Clip(out)
}
