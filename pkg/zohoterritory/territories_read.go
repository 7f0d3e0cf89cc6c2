package zohoterritory

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strconv"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// ChildTerritories lists the territories that report to the territory
// (its direct children), in Zoho's order, page by page as the caller
// ranges over it, with their full fields (permission type, description,
// rules), as [Client.ListTerritories] does. A territory without children
// yields nothing. The id is checked first: a bad one ends the range with
// an [*InvalidIDError] before anything is sent; Zoho answers an id that
// names no territory with INVALID_DATA ([ErrInvalidData]).
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-child-territories.html
func (c *Client) ChildTerritories(ctx context.Context, territoryID string) iter.Seq2[Territory, error] {
	if err := checkID("territoryID", territoryID); err != nil {
		return func(yield func(Territory, error) bool) { yield(Territory{}, err) }
	}
	return pages(ctx, c, pager[Territory]{op: "getChildTerritories", key: "territories", decode: decodeTerritory,
		send: func(ctx context.Context, gc *zohoapi.Client, page, perPage int) (*http.Response, error) {
			include := zohoapi.GetChildTerritoriesParamsIncludeAccountRuleCriterialeadRuleCriteriadealRuleCriteria
			return gc.GetChildTerritories(ctx, c.version, territoryID,
				&zohoapi.GetChildTerritoriesParams{Page: &page, PerPage: &perPage, Include: &include})
		}})
}

// UsersCount is how many users one territory has, as
// [Client.AssociatedUsersCounts] returns it.
type UsersCount struct {
	// Territory is the territory counted, by id and name.
	Territory Ref
	// Count is the number of its users, its manager included.
	Count int
}

// UsersCountsPageSize is how many counts the client asks for in each page
// of [Client.AssociatedUsersCounts]: Zoho's maximum for that read, so that
// the counts of an org of up to 2,000 territories take one call.
const UsersCountsPageSize = 2000

// AssociatedUsersCounts lists, for every territory of the org, how many
// users it has, in Zoho's order, page by page as the caller ranges over
// it ([UsersCountsPageSize] a page). A failed read ends the range with the
// error, as the other listings do.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-associated-users-count.html
func (c *Client) AssociatedUsersCounts(ctx context.Context) iter.Seq2[UsersCount, error] {
	return pages(ctx, c, pager[UsersCount]{op: "getAssociatedUsersCount", key: "associated_users_count", decode: decodeUsersCount,
		perPage: UsersCountsPageSize, send: func(ctx context.Context, gc *zohoapi.Client, page, perPage int) (*http.Response, error) {
			return gc.GetAssociatedUsersCount(ctx, c.version, &zohoapi.GetAssociatedUsersCountParams{Page: &page, PerPage: &perPage})
		}})
}

func decodeUsersCount(raw json.RawMessage) (UsersCount, string, error) {
	var w struct {
		// A number, as Zoho's OpenAPI file says; Zoho's Node SDK reads it
		// as a string, so digits in a string are taken too.
		Count     json.Number `json:"count"`
		Territory struct {
			ID   wireID `json:"id"`
			Name string `json:"name"`
		} `json:"territory"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return UsersCount{}, "", err
	}
	id := string(w.Territory.ID)
	n, err := strconv.Atoi(string(w.Count))
	if err != nil || n < 0 {
		return UsersCount{}, "", fmt.Errorf("count %q: not a number of users", w.Count)
	}
	return UsersCount{Territory: Ref{ID: id, Name: w.Territory.Name}, Count: n}, id, nil
}
