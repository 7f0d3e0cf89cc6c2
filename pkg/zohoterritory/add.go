package zohoterritory

import (
	"context"
	"net/http"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// The associate operations: the way back from a removal. They batch,
// retry and report per id as the removals do; an id that is a member
// already comes out [AlreadyPresent] (Zoho's DUPLICATE_DATA), which changes
// nothing, so sending the same add twice is safe.

var addUsers = endpoint{
	op:             OpAddUsers,
	ownerPathIndex: 2, // settings/territories/{territory_id}
	singleOp:       "addUserToTerritory",
	bulkOp:         "addUsersToTerritory",
	ownerArg:       "territoryID",
	idsArg:         "userIDs",
	key:            "users",
	newRequest: func(server string, v zohoapi.Version, territoryID string, ids []string) (*http.Request, error) {
		if len(ids) == 1 {
			return zohoapi.NewAddUserToTerritoryRequest(server, v, territoryID, ids[0])
		}
		users, err := refs(ids)
		if err != nil {
			return nil, err
		}
		return zohoapi.NewAddUsersToTerritoryRequest(server, v, territoryID, zohoapi.AddUsersToTerritoryJSONRequestBody{Users: users})
	},
}

var addTerritories = endpoint{
	op:             OpAddTerritories,
	ownerPathIndex: 1, // users/{user_id}
	singleOp:       "addTerritoriesToUser",
	bulkOp:         "addTerritoriesToUser",
	ownerArg:       "userID",
	idsArg:         "territoryIDs",
	key:            "territories",
	newRequest: func(server string, v zohoapi.Version, userID string, ids []string) (*http.Request, error) {
		territories, err := refs(ids)
		if err != nil {
			return nil, err
		}
		req, err := zohoapi.NewAddTerritoriesToUserRequest(server, v, userID, zohoapi.AddTerritoriesToUserJSONRequestBody{Territories: territories})
		if err != nil {
			return nil, err
		}
		// Zoho's page and SDKs spell this path `users`; the spec names
		// one path item, `Users`, for the URL. Sent as documented.
		req.URL.Path = strings.Replace(req.URL.Path, "/Users/", "/users/", 1)
		req.URL.RawPath = ""
		return req, nil
	},
}

// refs names each id in an add's body. The spec lets a body give an id as
// a string or as a JSON number (RecordIdInput, for what Zoho's Python SDK
// sends); the client sends the string, as Zoho's documentation and both
// forms' readers allow.
func refs(ids []string) ([]zohoapi.RecordRef, error) {
	out := make([]zohoapi.RecordRef, len(ids))
	for i, id := range ids {
		if err := out[i].Id.FromRecordId(id); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// AddUsersToTerritory adds users to a territory: the way back from
// [Client.RemoveUsersFromTerritory]. One id is sent with the single-user
// form of the endpoint, more in the body of the bulk form, in batches of at
// most 100. A user who is in the territory already comes out
// [AlreadyPresent]. Ids are checked, and the [Result] and the error read,
// as for RemoveUsersFromTerritory.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/associate-users-territory.html
func (c *Client) AddUsersToTerritory(ctx context.Context, territoryID string, userIDs ...string) (*Result, error) {
	return c.change(ctx, addUsers, Change{Op: OpAddUsers, Owner: territoryID, IDs: userIDs}, nil)
}

// AddTerritoriesToUser adds territories to a user: the way back from
// [Client.RemoveTerritoriesFromUser], in batches of at most 100. A
// territory the user has already comes out [AlreadyPresent]. Zoho refuses
// to change the caller's own territories (NOT_ALLOWED).
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/associate-territories-to-user.html
func (c *Client) AddTerritoriesToUser(ctx context.Context, userID string, territoryIDs ...string) (*Result, error) {
	return c.change(ctx, addTerritories, Change{Op: OpAddTerritories, Owner: userID, IDs: territoryIDs}, nil)
}

// PlanAddUsersToTerritory checks the ids as [Client.AddUsersToTerritory]
// does and returns the calls it would make, sending nothing. It needs no
// credentials.
func (c *Client) PlanAddUsersToTerritory(territoryID string, userIDs ...string) ([]PlannedCall, error) {
	return c.plan(addUsers, territoryID, userIDs)
}

// PlanAddTerritoriesToUser checks the ids as [Client.AddTerritoriesToUser]
// does and returns the calls it would make, sending nothing. It needs no
// credentials.
func (c *Client) PlanAddTerritoriesToUser(userID string, territoryIDs ...string) ([]PlannedCall, error) {
	return c.plan(addTerritories, userID, territoryIDs)
}

// PlanCalls checks ch as [Client.Apply] does and returns the calls it
// would make, sending nothing. It needs no credentials.
func (c *Client) PlanCalls(ch Change) ([]PlannedCall, error) {
	e, err := ch.endpoint()
	if err != nil {
		return nil, err
	}
	return c.plan(e, ch.Owner, ch.IDs)
}
