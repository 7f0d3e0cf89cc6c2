package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"slices"
)

// ReasonExcepted is the reason of an id a [RemovalPlan] leaves alone because the
// caller named it among the exceptions.
const ReasonExcepted Reason = "excepted"

// Skipped is an id a [RemovalPlan] leaves alone, and why: [ReasonDefaultTerritory]
// and [ReasonManager] are Zoho's documented refusals, so sending those ids
// would only fail; [ReasonExcepted] is the caller's choice.
type Skipped struct {
	ID     string
	Reason Reason
}

// String returns "<id> skipped (<reason>)".
func (s Skipped) String() string { return s.ID + " skipped (" + string(s.Reason) + ")" }

// RemovalPlan is what [Client.PlanOffboardUser] and
// [Client.PlanEmptyTerritory] found: the memberships to remove and those to
// leave alone. Nothing has been removed; pass IDs to the matching removal.
type RemovalPlan struct {
	// Owner is the user or territory the plan is for.
	Owner string
	// IDs are the ids to remove, in Zoho's listing order.
	IDs []string
	// Skipped are the listed ids left alone: those Zoho's rules forbid
	// first, then those excepted, each in listing order.
	Skipped []Skipped
	// Unlisted are the excepted ids that the listing did not hold at all.
	Unlisted []string
	// Calls are the requests the removal of IDs would send.
	Calls []PlannedCall
	// Territories (of PlanOffboardUser) or Users (of PlanEmptyTerritory)
	// are the listing the plan was made from, in Zoho's order, with the
	// names an admin reads.
	Territories []Territory
	Users       []User
}

// PlanOffboardUser lists every territory of the user (every page) and
// plans the removal of all of them but those Zoho refuses to remove: the
// organization's default territory (the root of the hierarchy, see
// [Territory.IsDefault]) and the territories the user manages. The ids in
// except are left alone too. The ids are checked before anything is sent;
// a failed listing is returned as the error, with no plan, so that a
// partial list is never taken for the whole.
//
// Remove the planned territories with
// [Client.RemoveTerritoriesFromUser](ctx, userID, plan.IDs...).
func (c *Client) PlanOffboardUser(ctx context.Context, userID string, except ...string) (*RemovalPlan, error) {
	if err := c.checkPlanArgs(removeTerritories, userID, except); err != nil {
		return nil, err
	}
	ts, err := c.TerritoriesOfUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	p := &RemovalPlan{Owner: userID, Territories: ts}
	for _, t := range ts {
		switch {
		case t.IsDefault():
			p.Skipped = append(p.Skipped, Skipped{t.ID, ReasonDefaultTerritory})
		case t.Manager != nil && t.Manager.ID == userID:
			p.Skipped = append(p.Skipped, Skipped{t.ID, ReasonManager})
		default:
			p.IDs = append(p.IDs, t.ID)
		}
	}
	return c.finishPlan(removeTerritories, p, except)
}

// managerLookups bounds how many users PlanEmptyTerritory asks about the
// territory before it gives up.
const managerLookups = 3

// PlanEmptyTerritory lists every user of the territory (every page) and
// plans the removal of all of them but its manager, whom Zoho refuses to
// remove, and the ids in except. Ids are checked and failures returned as
// in [Client.PlanOffboardUser].
//
// The users list does not say who manages the territory, so the territory
// is read once more through one of its users (getTerritoryOfUser, whose
// answer names the Manager), an active one where there is one. Only when
// memberships change meanwhile (Zoho answers 204) is the next user asked,
// at most three in all.
//
// Remove the planned users with
// [Client.RemoveUsersFromTerritory](ctx, territoryID, plan.IDs...).
func (c *Client) PlanEmptyTerritory(ctx context.Context, territoryID string, except ...string) (*RemovalPlan, error) {
	if err := c.checkPlanArgs(removeUsers, territoryID, except); err != nil {
		return nil, err
	}
	us, err := c.UsersOfTerritory(ctx, territoryID)
	if err != nil {
		return nil, err
	}
	p := &RemovalPlan{Owner: territoryID, Users: us}
	if len(us) == 0 {
		return c.finishPlan(removeUsers, p, except)
	}
	ask := slices.Clone(us)
	slices.SortStableFunc(ask, func(a, b User) int { return rank(a.Status != "active") - rank(b.Status != "active") })
	var manager *Ref
	found := false
	for _, u := range ask[:min(len(ask), managerLookups)] {
		t, ok, err := c.TerritoryOfUser(ctx, u.ID, territoryID)
		if err != nil {
			return nil, fmt.Errorf("find the territory's manager: %w", err)
		}
		if ok {
			manager, found = t.Manager, true
			break
		}
	}
	if !found {
		return nil, errors.New("find the territory's manager: the territory is not assigned to the users it lists; its memberships are changing, try again")
	}
	for _, u := range us {
		if manager != nil && u.ID == manager.ID {
			p.Skipped = append(p.Skipped, Skipped{u.ID, ReasonManager})
			continue
		}
		p.IDs = append(p.IDs, u.ID)
	}
	return c.finishPlan(removeUsers, p, except)
}

func rank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// checkPlanArgs checks the owner and the exceptions before anything is
// sent; an exception is named as except[i].
func (c *Client) checkPlanArgs(e endpoint, owner string, except []string) error {
	if err := checkID(e.ownerArg, owner); err != nil {
		return err
	}
	for i, id := range except {
		if err := checkID(fmt.Sprintf("except[%d]", i), id); err != nil {
			return err
		}
	}
	return nil
}

// finishPlan moves the excepted ids from p.IDs to p.Skipped, notes the
// exceptions the listing did not hold, and plans the calls.
func (c *Client) finishPlan(e endpoint, p *RemovalPlan, except []string) (*RemovalPlan, error) {
	keep := []string{}
	for _, id := range p.IDs {
		if slices.Contains(except, id) {
			p.Skipped = append(p.Skipped, Skipped{id, ReasonExcepted})
			continue
		}
		keep = append(keep, id)
	}
	p.IDs = keep
	if p.Skipped == nil {
		p.Skipped = []Skipped{}
	}
	for _, id := range except {
		listed := slices.ContainsFunc(p.Skipped, func(s Skipped) bool { return s.ID == id })
		if !listed && !slices.Contains(p.Unlisted, id) {
			p.Unlisted = append(p.Unlisted, id)
		}
	}
	p.Calls = []PlannedCall{}
	if len(p.IDs) > 0 {
		calls, err := c.plan(e, p.Owner, p.IDs)
		if err != nil {
			return nil, err
		}
		p.Calls = calls
	}
	return p, nil
}
