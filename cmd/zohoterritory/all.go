package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// Why --all leaves an id alone. The first two are Zoho's documented rules,
// named as the client's [zohoterritory.Reason] for the same refusal.
const (
	skipDefault  = string(zohoterritory.ReasonDefaultTerritory) // the organization's default territory
	skipManager  = string(zohoterritory.ReasonManager)          // the user manages the territory
	skipExcepted = "excepted"                                   // named in --except
)

// jsonSkipped is an id that --all listed and did not send, with the reason.
type jsonSkipped struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

func skipMessage(reason string) string {
	switch reason {
	case skipDefault:
		return "the organization's default territory cannot be removed"
	case skipManager:
		return "the user manages the territory"
	case skipExcepted:
		return "named in --except"
	}
	return "-"
}

// idList is a repeatable flag of ids, each value one id or several
// separated by commas.
type idList []string

func (l *idList) String() string { return strings.Join(*l, ",") }

func (l *idList) Set(v string) error {
	for id := range strings.SplitSeq(v, ",") {
		if id = strings.TrimSpace(id); id != "" {
			*l = append(*l, id)
		}
	}
	return nil
}

// selectTerritories lists the user's territories and keeps those Zoho
// would remove: not the default territory (the root, whose Reporting_To is
// null), not one the user manages.
func selectTerritories(ctx context.Context, c *zohoterritory.Client, userID string) ([]string, []jsonSkipped, error) {
	ts, err := c.TerritoriesOfUser(ctx, userID)
	if err != nil {
		return nil, nil, err
	}
	ids, skipped := []string{}, []jsonSkipped{}
	for _, t := range ts {
		switch {
		case t.IsDefault():
			skipped = append(skipped, jsonSkipped{ID: t.ID, Reason: skipDefault})
		case t.Manager != nil && t.Manager.ID == userID:
			skipped = append(skipped, jsonSkipped{ID: t.ID, Reason: skipManager})
		default:
			ids = append(ids, t.ID)
		}
	}
	return ids, skipped, nil
}

// managerLookups bounds how many users selectUsers asks about the
// territory before it gives up.
const managerLookups = 3

// selectUsers lists the territory's users and keeps all but its manager.
//
// The users list does not say who manages the territory, and this tool
// owns no read of a territory by id. A territory read through one of its
// users (getTerritoryOfUser) carries its Manager, so that costs one more
// GET, sent for an active user where there is one. Only when memberships
// change meanwhile (Zoho answers 204) is the next user asked, at most
// managerLookups in all.
func selectUsers(ctx context.Context, c *zohoterritory.Client, territoryID string) ([]string, []jsonSkipped, error) {
	us, err := c.UsersOfTerritory(ctx, territoryID)
	if err != nil {
		return nil, nil, err
	}
	ids, skipped := []string{}, []jsonSkipped{}
	if len(us) == 0 {
		return ids, skipped, nil
	}
	ask := slices.Clone(us)
	slices.SortStableFunc(ask, func(a, b zohoterritory.User) int {
		return boolRank(a.Status != "active") - boolRank(b.Status != "active")
	})
	var manager *zohoterritory.Ref
	found := false
	for _, u := range ask[:min(len(ask), managerLookups)] {
		t, ok, err := c.TerritoryOfUser(ctx, u.ID, territoryID)
		if err != nil {
			return nil, nil, fmt.Errorf("find the territory's manager: %w", err)
		}
		if ok {
			manager, found = t.Manager, true
			break
		}
	}
	if !found {
		return nil, nil, errors.New("find the territory's manager: the territory is not assigned to the users it lists; its memberships are changing, try again")
	}
	for _, u := range us {
		if manager != nil && u.ID == manager.ID {
			skipped = append(skipped, jsonSkipped{ID: u.ID, Reason: skipManager})
			continue
		}
		ids = append(ids, u.ID)
	}
	return ids, skipped, nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// applyExcept moves the ids named in except from ids to skipped, after the
// ids the rules skip, keeping the listing's order in each. unlisted are the
// ids of except that the listing did not hold at all.
func applyExcept(ids []string, skipped []jsonSkipped, except []string) (keep []string, _ []jsonSkipped, unlisted []string) {
	keep = []string{}
	for _, id := range ids {
		if slices.Contains(except, id) {
			skipped = append(skipped, jsonSkipped{ID: id, Reason: skipExcepted})
			continue
		}
		keep = append(keep, id)
	}
	for _, id := range except {
		listed := slices.ContainsFunc(skipped, func(s jsonSkipped) bool { return s.ID == id })
		if !listed && !slices.Contains(unlisted, id) {
			unlisted = append(unlisted, id)
		}
	}
	return keep, skipped, unlisted
}
