// Package zohoterritory removes territory membership in Zoho CRM safely,
// and adds it back.
//
// It wraps the client generated from api/openapi.yaml (package
// gen/zohoapi) with what production use needs: OAuth tokens sent as
// `Authorization: Zoho-oauthtoken <token>` and refreshed once for all
// callers when Zoho rejects them, the data centres, validation of ids
// before anything is sent, batches of at most 100 ids sent with bounded
// concurrency, retries with backoff that honour Retry-After, typed errors,
// and a per-id [Result] that never reports an id removed that was not.
//
// A [Client] is built once with [New] and is safe for concurrent use:
//
//	c, err := zohoterritory.New(
//		zohoterritory.WithDataCenter(zohoterritory.EU),
//		zohoterritory.WithRefreshToken(clientID, clientSecret, refreshToken),
//	)
//	res, err := c.RemoveTerritoriesFromUser(ctx, userID, territoryIDs...)
//
// Request-level failures (authentication, scope, bad URL, server faults) are
// returned as errors, usually an [*APIError] that matches the ErrX sentinels
// with [errors.Is]; per-id outcomes are data in the [Result], in the order
// the ids were given. When an error is returned together with a Result, the
// Result still accounts for every id.
//
// [Client.AddUsersToTerritory] and [Client.AddTerritoriesToUser] undo the
// removals; an id that is a member already comes out [AlreadyPresent]. A
// [Change] given to [Client.Apply] may carry a [Journal], which records
// every attempt before it is sent and every answer after it is read, so
// that a run killed half-way can be finished by another process and a
// mistaken one undone; package journal holds the file implementation.
//
// The territories themselves are created, updated (renamed, re-parented,
// their manager, description, permission type or rules changed), deleted
// and deleted after their children move elsewhere with
// [Client.CreateTerritories], [Client.UpdateTerritories],
// [Client.DeleteTerritories] and [Client.TransferAndDeleteTerritories]
// ([Client.ApplyTerritories] with a [TerritoryJournal]), with one
// [TerritoryItem] per territory; a create whose answer was lost is looked up
// by its name under its parent before it is ever sent again.
// [Client.ChildTerritories] and [Client.AssociatedUsersCounts] read the
// tree and its people.
package zohoterritory
