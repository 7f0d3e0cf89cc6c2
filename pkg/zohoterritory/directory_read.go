package zohoterritory

import (
	"context"
	"iter"
	"net/http"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// UserType says which users [Client.ListUsers] lists: Zoho's `type`
// parameter. Zoho documents more values than these constants name; any of
// them may be given.
type UserType string

// The user types an admin's tool needs.
const (
	// AllUsers are the active and the deactivated users: those whose
	// territories an offboarding changes.
	AllUsers UserType = "AllUsers"
	// ActiveUsers are the users who can sign in.
	ActiveUsers UserType = "ActiveUsers"
	// DeactiveUsers are the deactivated users.
	DeactiveUsers UserType = "DeactiveUsers"
	// DeletedUsers are the deleted users.
	DeletedUsers UserType = "DeletedUsers"
	// CurrentUser is the user the access token belongs to.
	CurrentUser UserType = "CurrentUser"
)

// usersPerIDCall is the most ids one read by id carries: Zoho's cap on
// `ids`.
const usersPerIDCall = 100

// ListUsers lists the org's users of the given type, in Zoho's order, page
// by page ([PageSize] a page) as the caller ranges over it: a [Directory]
// of thousands of users is read in ceil(users/200) calls. Each page is
// retried as [RetryPolicy] says; a failed read, or pages that contradict
// each other ([ErrBadPage]), ends the range with the error (an
// [*APIError] naming listUsers). An org with no such users yields nothing.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-users.html
func (c *Client) ListUsers(ctx context.Context, typ UserType) iter.Seq2[User, error] {
	return pages(ctx, c, c.usersPager(typ, ""))
}

func (c *Client) usersPager(typ UserType, ids string) pager[User] {
	return pager[User]{op: "listUsers", key: "users", decode: decodeUser,
		send: func(ctx context.Context, gc *zohoapi.Client, page, perPage int) (*http.Response, error) {
			p := &zohoapi.ListUsersParams{Page: &page, PerPage: &perPage}
			if typ != "" {
				t := zohoapi.UserType(typ)
				p.Type = &t
			}
			if ids != "" {
				p.Ids = &ids
			}
			return gc.ListUsers(ctx, c.version, p)
		}}
}

// UsersByID reads the users with the given ids, 100 ids a call, the calls
// side by side under the client's concurrency limit; each call's users come
// in Zoho's order, the calls in the order of their ids. Ids that name no
// user (or a deleted one) are left out, as Zoho leaves them out. The ids are
// checked before anything is sent. On any error no users are returned.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-users.html
func (c *Client) UsersByID(ctx context.Context, ids ...string) ([]User, error) {
	ids, err := checkIDs("ids", ids)
	if err != nil {
		return nil, err
	}
	batches := make([][]User, (len(ids)+usersPerIDCall-1)/usersPerIDCall)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.limiter.cap) // the limiter decides; this bounds the goroutines waiting for it
	for i := range batches {
		batch := ids[i*usersPerIDCall : min((i+1)*usersPerIDCall, len(ids))]
		g.Go(func() (err error) {
			batches[i], err = collect(pages(gctx, c, c.usersPager("", strings.Join(batch, ","))))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return emptyIfNil(slices.Concat(batches...)), nil
}

// Me returns the user the access token belongs to (Zoho's CurrentUser).
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-users.html
func (c *Client) Me(ctx context.Context) (User, error) {
	for u, err := range c.ListUsers(ctx, CurrentUser) {
		return u, err
	}
	return User{}, &APIError{Operation: "listUsers", StatusCode: http.StatusNoContent, Message: "Zoho named no current user"}
}

// ListTerritories lists every territory of the org, in Zoho's order, page
// by page as the caller ranges over it, as [Client.ListUsers] does. The
// organization's default territory is among them ([Territory.IsDefault]).
// With territory management off, Zoho answers FEATURE_NOT_ENABLED
// ([ErrFeatureNotEnabled]).
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-territories.html
func (c *Client) ListTerritories(ctx context.Context) iter.Seq2[Territory, error] {
	return pages(ctx, c, pager[Territory]{op: "listTerritories", key: "territories", decode: decodeTerritory,
		send: func(ctx context.Context, gc *zohoapi.Client, page, perPage int) (*http.Response, error) {
			include := zohoapi.ListTerritoriesParamsIncludeAccountRuleCriterialeadRuleCriteriadealRuleCriteria
			return gc.ListTerritories(ctx, c.version, &zohoapi.ListTerritoriesParams{Page: &page, PerPage: &perPage, Include: &include})
		}})
}

// GetUser reads one user of the org by id. ok is false when Zoho answers
// that no user has it (204). The id is checked before anything is sent.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-users.html
func (c *Client) GetUser(ctx context.Context, userID string) (u User, ok bool, err error) {
	return getByID(ctx, c, "getUser", "userID", userID, "users", decodeUser,
		func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) {
			return gc.GetUser(ctx, c.version, userID, nil)
		})
}

// GetTerritory reads one territory of the org by id. ok is false when Zoho
// answers that no territory has it (204). The id is checked before
// anything is sent.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-territories.html
func (c *Client) GetTerritory(ctx context.Context, territoryID string) (t Territory, ok bool, err error) {
	return getByID(ctx, c, "getTerritory", "territoryID", territoryID, "territories", decodeTerritory,
		func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) {
			include := zohoapi.GetTerritoryParamsIncludeAccountRuleCriterialeadRuleCriteriadealRuleCriteria
			return gc.GetTerritory(ctx, c.version, territoryID, &zohoapi.GetTerritoryParams{Include: &include})
		})
}

// DirectoryQuery says what [Client.ReadDirectory] reads. The zero query
// reads nothing.
type DirectoryQuery struct {
	// Users reads every user of the org, deactivated ones included
	// ([AllUsers]): what resolving an e-mail address needs.
	Users bool
	// UserIDs, when Users is false, reads these users only, for their
	// names beside their ids: one call for up to 100 ids; more are read
	// with the listing instead, which then costs no more than reading them
	// by id.
	UserIDs []string
	// Territories reads every territory: what resolving a name or a path,
	// and showing a territory's path, need.
	Territories bool
}

// IsZero reports whether q reads nothing.
func (q DirectoryQuery) IsZero() bool { return !q.Users && len(q.UserIDs) == 0 && !q.Territories }

// ReadDirectory reads what q asks for, once, and returns it indexed: the
// users in ceil(users/200) calls and the territories in
// ceil(territories/200), the two listings side by side, whatever the number
// of references resolved from it later. On any error nothing is returned,
// so that a reference is never reported unknown because a read was cut
// short.
func (c *Client) ReadDirectory(ctx context.Context, q DirectoryQuery) (*Directory, error) {
	var users []User
	var territories []Territory
	fullUsers := q.Users || len(q.UserIDs) > usersPerIDCall
	var g errgroup.Group
	switch {
	case fullUsers:
		g.Go(func() (err error) {
			users, err = collect(c.ListUsers(ctx, AllUsers))
			return err
		})
	case len(q.UserIDs) > 0:
		g.Go(func() (err error) {
			users, err = c.UsersByID(ctx, q.UserIDs...)
			return err
		})
	}
	if q.Territories {
		g.Go(func() (err error) {
			territories, err = collect(c.ListTerritories(ctx))
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return newDirectory(users, territories, fullUsers, q.Territories), nil
}
