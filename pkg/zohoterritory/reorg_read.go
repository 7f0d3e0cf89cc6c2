package zohoterritory

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"golang.org/x/sync/errgroup"
)

// PlanMemberships reads what the org holds for every owner of desired (the
// users of each territory by territory, the territories of each user by
// user), side by side under the client's concurrency limit, and returns
// the [Plan] that makes the org hold desired ([Diff]). dir, if it holds
// the territories, gives their managers and the default territory; without
// it they are read too, beside the memberships. The users the plan would
// add (by user: add territories to) must be active, or Zoho refuses: their
// status comes from dir and the territories' users as read, and those
// neither tells are read by id, 100 a call, side by side; a user missing
// from a dir that holds every user, or from a read by id, is deleted or
// none of the org's. Nothing is changed.
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
	listed := map[string]User{} // the users the territories' listings named
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
					listed[u.ID] = u
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
	inactive, err := c.inactiveUsers(ctx, desired, members, dir, listed, opts)
	if err != nil {
		return nil, err
	}
	at := make(map[string]int, len(state))
	for i := range state {
		state[i].Unaddable = map[string]Reason{}
		at[state[i].Owner] = i
	}
	for _, m := range desired {
		if !inactive[m.UserID] {
			continue
		}
		if opts.By == ByUser {
			state[at[m.UserID]].Unaddable[m.TerritoryID] = ReasonUserInactive
		} else {
			state[at[m.TerritoryID]].Unaddable[m.UserID] = ReasonUserInactive
		}
	}
	p, err = Diff(desired, state, opts)
	if err != nil {
		return nil, err
	}
	p.Created, p.APIDomain, p.APIVersion = c.now().UTC(), c.APIDomain(), c.APIVersion()
	return p, nil
}

// inactiveUsers returns, of the users desired would add to a territory
// they are not in (by user: add a territory to), those who are not active:
// Zoho refuses to add them. Their status comes from dir and listed (the
// territories' users as read); the others are read by id. A user a dir
// that holds every user lacks, or whom a read by id does not return, is
// deleted (Zoho's listings leave deleted users out) or none of the org's.
func (c *Client) inactiveUsers(ctx context.Context, desired []Membership, members map[string][]string, dir *Directory, listed map[string]User, opts PlanOptions) (map[string]bool, error) {
	if opts.RemoveOnly {
		return nil, nil
	}
	held := make(map[string]map[string]bool, len(members))
	for owner, ids := range members {
		held[owner] = make(map[string]bool, len(ids))
		for _, id := range ids {
			held[owner][id] = true
		}
	}
	status := map[string]string{}
	var unknown []string
	for _, m := range desired {
		owner, member := m.TerritoryID, m.UserID
		if opts.By == ByUser {
			owner, member = m.UserID, m.TerritoryID
		}
		if _, seen := status[m.UserID]; seen || held[owner][member] {
			continue
		}
		u, ok := listed[m.UserID]
		if !ok && dir != nil {
			u, ok = dir.UserByID(m.UserID)
		}
		switch {
		case ok:
			status[m.UserID] = u.Status
		case dir != nil && dir.HasUsers():
			status[m.UserID] = "deleted"
		default:
			status[m.UserID] = ""
			unknown = append(unknown, m.UserID)
		}
	}
	for _, id := range unknown {
		status[id] = "deleted" // unless a read returns the user
	}
	// The reads by id, 100 ids each, side by side under the client's
	// concurrency limit.
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.limiter.cap)
	for start := 0; start < len(unknown); start += usersPerIDCall {
		batch := unknown[start:min(start+usersPerIDCall, len(unknown))]
		g.Go(func() error {
			us, err := c.UsersByID(gctx, batch...)
			mu.Lock()
			defer mu.Unlock()
			for _, u := range us {
				status[u.ID] = u.Status
			}
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for id, st := range status {
		if st != "" && !strings.EqualFold(st, "active") {
			out[id] = true
		}
	}
	return out, nil
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
