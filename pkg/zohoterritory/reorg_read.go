package zohoterritory

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
)

// PlanMemberships reads what the org holds for every owner of desired (the
// users of each territory by territory, the territories of each user by
// user), side by side under the client's concurrency limit, and returns
// the [Plan] that makes the org hold desired ([Diff]). dir, if it holds
// the territories, gives their managers and the default territory; without
// it they are read too, beside the memberships. Nothing is changed.
func (c *Client) PlanMemberships(ctx context.Context, desired []Membership, dir *Directory, opts PlanOptions) (*Plan, error) {
	opts, err := opts.check()
	if err != nil {
		return nil, err
	}
	owners := planOwners(desired, opts.By)
	p, err := Diff(desired, emptyStates(owners), opts) // the ids, checked before anything is sent
	if err != nil || len(owners) == 0 {
		return p, err
	}
	var g errgroup.Group
	var members map[string][]string
	var protected map[string]map[string]Reason
	if opts.By == ByTerritory {
		if dir == nil || !dir.HasTerritories() {
			g.Go(func() (err error) {
				dir, err = c.ReadDirectory(ctx, DirectoryQuery{Territories: true})
				return err
			})
		}
		g.Go(func() error {
			us, err := c.UsersOfTerritories(ctx, owners...)
			members = map[string][]string{}
			for id, list := range us {
				for _, u := range list {
					members[id] = append(members[id], u.ID)
				}
			}
			return err
		})
		if err := g.Wait(); err != nil {
			return nil, err
		}
		protected = territoryProtections(dir, owners, members)
	} else {
		ts, err := c.TerritoriesOfUsers(ctx, owners...)
		if err != nil {
			return nil, err
		}
		members, protected = map[string][]string{}, map[string]map[string]Reason{}
		for user, list := range ts {
			protected[user] = map[string]Reason{}
			for _, t := range list {
				members[user] = append(members[user], t.ID)
				switch {
				case t.IsDefault():
					protected[user][t.ID] = ReasonDefaultTerritory
				case t.Manager != nil && t.Manager.ID == user:
					protected[user][t.ID] = ReasonManager
				}
			}
		}
	}
	state := make([]OwnerState, len(owners))
	for i, o := range owners {
		state[i] = OwnerState{Owner: o, Members: members[o], Protected: protected[o]}
	}
	p, err = Diff(desired, state, opts)
	if err != nil {
		return nil, err
	}
	p.Created, p.APIDomain, p.APIVersion = c.now().UTC(), c.APIDomain(), c.APIVersion()
	return p, nil
}

// territoryProtections says, for each territory, which of its members Zoho
// refuses to remove: its manager; every member of the default territory.
func territoryProtections(dir *Directory, owners []string, members map[string][]string) map[string]map[string]Reason {
	out := map[string]map[string]Reason{}
	for _, id := range owners {
		out[id] = map[string]Reason{}
		t, ok := dir.TerritoryByID(id)
		if !ok {
			continue
		}
		if t.IsDefault() {
			for _, m := range members[id] {
				out[id][m] = ReasonDefaultTerritory
			}
		}
		if t.Manager != nil {
			out[id][t.Manager.ID] = ReasonManager
		}
	}
	return out
}

func planOwners(desired []Membership, by PlanBy) []string {
	var owners []string
	seen := map[string]bool{}
	for _, m := range desired {
		o := m.TerritoryID
		if by == ByUser {
			o = m.UserID
		}
		if !seen[o] {
			seen[o] = true
			owners = append(owners, o)
		}
	}
	return owners
}

func emptyStates(owners []string) []OwnerState {
	out := make([]OwnerState, len(owners))
	for i, o := range owners {
		out[i] = OwnerState{Owner: o}
	}
	return out
}

// CheckPlan reads the members of every owner of a saved plan now, side by
// side, and returns the memberships the plan touches that changed since it
// was made ([Plan.Drifts]): a plan with any is stale, and applying it would
// do what its author did not see. Nothing is changed.
func (c *Client) CheckPlan(ctx context.Context, p *Plan) ([]Drift, error) {
	owners := make([]string, 0, len(p.Groups))
	for _, g := range p.Groups {
		owners = append(owners, g.Owner)
	}
	now := map[string][]string{}
	if len(owners) == 0 {
		return nil, nil
	}
	switch p.By {
	case ByUser:
		ts, err := c.TerritoriesOfUsers(ctx, owners...)
		if err != nil {
			return nil, err
		}
		for u, list := range ts {
			for _, t := range list {
				now[u] = append(now[u], t.ID)
			}
		}
	case ByTerritory:
		us, err := c.UsersOfTerritories(ctx, owners...)
		if err != nil {
			return nil, err
		}
		for t, list := range us {
			for _, u := range list {
				now[t] = append(now[t], u.ID)
			}
		}
	default:
		return nil, fmt.Errorf("zohoterritory: plan by %q: want %q or %q", p.By, ByTerritory, ByUser)
	}
	return p.Drifts(now), nil
}
