package zohoterritory

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// PageSize is how many items the client asks for in each page of a
// listing: Zoho's maximum for both reads.
const PageSize = 200

// MaxPages is the most pages one listing reads (100,000 items). A server
// that still reports more records after that many pages is not believed:
// the listing fails with [ErrBadPage].
const MaxPages = 500

// ErrBadPage matches the failure of a listing whose pages contradict
// themselves: an id seen twice, a page with more items than were asked for,
// an empty page that claims more records, a full page without the `info`
// that says whether more follow, or more records still claimed after
// [MaxPages] pages. It comes wrapped in an [*APIError] naming the
// operation, the status and the page.
var ErrBadPage = errors.New("zohoterritory: inconsistent pages")

// Ref is a reference to another Zoho record: its id and its name. Zoho
// spells the name key `name` in some answers and `Name` in others; either
// fills Name. Name is empty when Zoho sent the id alone.
type Ref struct {
	ID   string
	Name string
}

// Territory is a territory as the reads return it: a territory assigned to
// a user ([Client.TerritoriesOfUser]) or one of the org's
// ([Client.ListTerritories], [Client.GetTerritory],
// [Client.ChildTerritories]).
type Territory struct {
	ID   string
	Name string
	// Manager is the territory's manager; nil when it has none.
	Manager *Ref
	// ReportingTo is the parent territory; nil for the organization's
	// default territory (see [Territory.IsDefault]).
	ReportingTo *Ref
	// PermissionType and Description are those of the org's territories
	// (the Territories API's reads); a user's territories do not carry
	// them, and leave them empty. Description is empty for none.
	PermissionType PermissionType
	Description    string
	// AccountRuleCriteria, LeadRuleCriteria and DealRuleCriteria are the
	// territory's rules for accounts, leads and deals, as the JSON Zoho
	// sent (a condition, or a group of them; see [CheckRule]): the literal
	// null when the territory has none, nil when the answer did not carry
	// the key (a user's territories; the org's, read without Zoho's
	// `include`). Compare them as whole values.
	AccountRuleCriteria, LeadRuleCriteria, DealRuleCriteria json.RawMessage
	// Raw is the territory object exactly as Zoho sent it, with any keys
	// not copied above.
	Raw json.RawMessage
}

// IsDefault reports whether t is the organization's default territory: the
// root of the territory tree, the one territory that reports to no other
// (Zoho's docs: "For the parent territory, this value is null"). Zoho
// refuses to remove it from a user, so an offboarding that removes "every
// territory" should leave it out.
func (t Territory) IsDefault() bool { return t.ReportingTo == nil }

// User is a user associated with a territory, as
// [Client.UsersOfTerritory] returns it.
type User struct {
	ID       string
	FullName string
	// FirstName and LastName are empty when Zoho sent null.
	FirstName string
	LastName  string
	Email     string
	// Status is Zoho's user status, such as "active" or "disabled".
	Status string
	// Role and Profile are nil when Zoho sent none.
	Role    *Ref
	Profile *Ref
	// Raw is the user object exactly as Zoho sent it, with the many keys
	// (address, locale, time zone, ...) not copied above.
	Raw json.RawMessage
}

// TerritoriesOfUser returns every territory assigned to the user, in
// Zoho's order, the organization's default territory included (see
// [Territory.IsDefault]). It reads page after page of [PageSize] until Zoho
// reports no more records; a user with no territories gives an empty slice
// and no error.
//
// The user id is checked before anything is sent (an [*InvalidIDError]).
// Each page is retried as [RetryPolicy] says (reads are safe to repeat),
// with one retry budget for the whole listing. A request-level failure is an
// [*APIError] (or [*RateLimitError], [*AuthError]) naming
// listTerritoriesOfUser and the status: Zoho answers an id that names no
// user with INVALID_DATA ([ErrInvalidData]). Pages that contradict each
// other fail with [ErrBadPage]. On any error no territories are returned,
// so that a partial list is never mistaken for the whole.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-user-territories.html
func (c *Client) TerritoriesOfUser(ctx context.Context, userID string) ([]Territory, error) {
	return listAll(ctx, c, territoryReads, userID)
}

// UsersOfTerritory returns every user associated with the territory, in
// Zoho's order. It pages, checks ids, retries and fails as
// [Client.TerritoriesOfUser] does, under the operation name
// listUsersOfTerritory; a territory with no users gives an empty slice and
// no error.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-user-territory.html
func (c *Client) UsersOfTerritory(ctx context.Context, territoryID string) ([]User, error) {
	return listAll(ctx, c, userReads, territoryID)
}

// TerritoryOfUser reads one territory of a user. ok is false when Zoho
// answers that the territory is not assigned to the user (204 No Content).
// Zoho may instead answer an id it does not know, or one it will not
// discuss, with INVALID_DATA, returned as an [*APIError] matching
// [ErrInvalidData]. Ids are checked and failures reported as in
// [Client.TerritoriesOfUser], under the operation name getTerritoryOfUser.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-user-territories.html
func (c *Client) TerritoryOfUser(ctx context.Context, userID, territoryID string) (t Territory, ok bool, err error) {
	return getOne(ctx, c, territoryReads, userID, territoryID)
}

// UserOfTerritory reads one user of a territory. ok is false when Zoho
// answers that the user is not associated with the territory (204 No
// Content). Errors are as in [Client.TerritoryOfUser], under the operation
// name getUserOfTerritory.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-user-territory.html
func (c *Client) UserOfTerritory(ctx context.Context, territoryID, userID string) (u User, ok bool, err error) {
	return getOne(ctx, c, userReads, territoryID, userID)
}

// reads describes the two read operations on one path: the paged list and
// the read by id.
type reads[T any] struct {
	listOp, getOp     string
	ownerArg, itemArg string // argument names, for errors
	key               string // the array's key: "users" or "territories"
	sendList          func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, owner string, page, perPage int) (*http.Response, error)
	sendGet           func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, owner, id string) (*http.Response, error)
	// decode turns one array item into T and reports its id.
	decode func(raw json.RawMessage) (T, string, error)
}

var territoryReads = reads[Territory]{
	listOp:   "listTerritoriesOfUser",
	getOp:    "getTerritoryOfUser",
	ownerArg: "userID",
	itemArg:  "territoryID",
	key:      "territories",
	sendList: func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, userID string, page, perPage int) (*http.Response, error) {
		return gc.ListTerritoriesOfUser(ctx, v, userID, &zohoapi.ListTerritoriesOfUserParams{Page: &page, PerPage: &perPage})
	},
	sendGet: func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, userID, territoryID string) (*http.Response, error) {
		return gc.GetTerritoryOfUser(ctx, v, userID, territoryID)
	},
	decode: decodeTerritory,
}

var userReads = reads[User]{
	listOp:   "listUsersOfTerritory",
	getOp:    "getUserOfTerritory",
	ownerArg: "territoryID",
	itemArg:  "userID",
	key:      "users",
	sendList: func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, territoryID string, page, perPage int) (*http.Response, error) {
		return gc.ListUsersOfTerritory(ctx, v, territoryID, &zohoapi.ListUsersOfTerritoryParams{Page: &page, PerPage: &perPage})
	},
	sendGet: func(ctx context.Context, gc *zohoapi.Client, v zohoapi.Version, territoryID, userID string) (*http.Response, error) {
		return gc.GetUserOfTerritory(ctx, v, territoryID, userID)
	},
	decode: decodeUser,
}

// wireRef is a reference as Zoho sends it, with either spelling of the
// name key. The generated zohoapi.NamedRef keeps `Name` among its
// additional properties; this reads both in one pass.
type wireRef struct {
	ID    wireID  `json:"id"`
	Lower *string `json:"name"`
	Upper *string `json:"Name"`
}

func (w *wireRef) ref() *Ref {
	if w == nil {
		return nil
	}
	r := &Ref{ID: string(w.ID)}
	switch {
	case w.Lower != nil:
		r.Name = *w.Lower
	case w.Upper != nil:
		r.Name = *w.Upper
	}
	return r
}

func decodeTerritory(raw json.RawMessage) (Territory, string, error) {
	var w struct {
		ID          wireID   `json:"id"`
		Name        string   `json:"Name"`
		Manager     *wireRef `json:"Manager"`
		ReportingTo *wireRef `json:"Reporting_To"`
		// The org's territories spell these so; encoding/json matches
		// the keys above without regard to case.
		PermissionType PermissionType  `json:"permission_type"`
		Description    *string         `json:"description"`
		Account        json.RawMessage `json:"account_rule_criteria"`
		Lead           json.RawMessage `json:"lead_rule_criteria"`
		Deal           json.RawMessage `json:"deal_rule_criteria"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return Territory{}, "", err
	}
	t := Territory{ID: string(w.ID), Name: w.Name, Manager: w.Manager.ref(), ReportingTo: w.ReportingTo.ref(),
		PermissionType: w.PermissionType, AccountRuleCriteria: w.Account, LeadRuleCriteria: w.Lead, DealRuleCriteria: w.Deal, Raw: raw}
	if w.Description != nil {
		t.Description = *w.Description
	}
	return t, string(w.ID), nil
}

func decodeUser(raw json.RawMessage) (User, string, error) {
	var w struct {
		ID        wireID   `json:"id"`
		FullName  string   `json:"full_name"`
		FirstName *string  `json:"first_name"`
		LastName  *string  `json:"last_name"`
		Email     string   `json:"email"`
		Status    string   `json:"status"`
		Role      *wireRef `json:"role"`
		Profile   *wireRef `json:"profile"`
	}
	if err := json.Unmarshal(raw, &w); err != nil {
		return User{}, "", err
	}
	deref := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	return User{ID: string(w.ID), FullName: w.FullName, FirstName: deref(w.FirstName), LastName: deref(w.LastName),
		Email: w.Email, Status: w.Status, Role: w.Role.ref(), Profile: w.Profile.ref(), Raw: raw}, string(w.ID), nil
}

// wireInfo is Zoho's `info` object of a page.
type wireInfo struct {
	PerPage     int  `json:"per_page"`
	Count       int  `json:"count"`
	Page        int  `json:"page"`
	MoreRecords bool `json:"more_records"`
}

// page is one decoded 200 answer of a read.
type page[T any] struct {
	items []T
	ids   []string
	info  *wireInfo // nil when the answer had none
}

// decodePage reads the array under key, and info, from a 200 body. Every
// item must carry a valid record id: the ids are what a caller removes.
// The envelope is walked token by token, so that the body, which classify
// has checked is JSON, is scanned once more for the items' bounds rather
// than once for each level of a map of raw values: a listing of thousands
// of territories' users spends most of its CPU here.
func decodePage[T any](body []byte, key string, decode func(json.RawMessage) (T, string, error)) (page[T], error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil {
		return page[T]{}, err
	} else if tok != json.Delim('{') {
		return page[T]{}, fmt.Errorf("the body is not a JSON object")
	}
	var p page[T]
	var raws []json.RawMessage
	found := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return page[T]{}, err
		}
		switch name, _ := tok.(string); name {
		case key:
			found, raws = true, nil
			if err := dec.Decode(&raws); err != nil {
				return page[T]{}, fmt.Errorf("%s: %w", key, err)
			}
		case "info":
			p.info = nil
			if err := dec.Decode(&p.info); err != nil {
				return page[T]{}, fmt.Errorf("info: %w", err)
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return page[T]{}, err
			}
		}
	}
	if !found {
		return page[T]{}, fmt.Errorf("no %q array in the body", key)
	}
	p.items = make([]T, 0, len(raws))
	p.ids = make([]string, 0, len(raws))
	for i, raw := range raws {
		v, id, err := decode(raw)
		if err != nil {
			return page[T]{}, fmt.Errorf("%s[%d]: %w", key, i, err)
		}
		if err := checkID(fmt.Sprintf("%s[%d].id", key, i), id); err != nil {
			return page[T]{}, err
		}
		p.items = append(p.items, v)
		p.ids = append(p.ids, id)
	}
	return p, nil
}

// listAll reads every page of r's list for owner, all or nothing.
func listAll[T any](ctx context.Context, c *Client, r reads[T], owner string) ([]T, error) {
	if err := checkID(r.ownerArg, owner); err != nil {
		return nil, err
	}
	return collect(pages(ctx, c, pager[T]{op: r.listOp, key: r.key, decode: r.decode,
		send: func(ctx context.Context, gc *zohoapi.Client, page, perPage int) (*http.Response, error) {
			return r.sendList(ctx, gc, c.version, owner, page, perPage)
		}}))
}

// collect gathers a listing: every item, or none and the error, so that a
// partial list is never mistaken for the whole.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// pager describes one paged list: its operation, the array's key, how an
// item is read, how page n is asked for, and how many items a page holds
// ([PageSize] when 0).
type pager[T any] struct {
	op      string
	key     string
	decode  func(raw json.RawMessage) (T, string, error)
	send    func(ctx context.Context, gc *zohoapi.Client, page, perPage int) (*http.Response, error)
	perPage int
}

// pages reads a list page by page as the caller ranges over it, [PageSize]
// items a page (or the pager's own size), until Zoho reports no more records: the one paging loop of
// every listing. Each page goes through the request core, with one retry
// budget for the listing. A failed read, or a page that contradicts the
// others ([ErrBadPage]), is yielded as the error and ends the range; the
// items of earlier pages have been yielded by then.
func pages[T any](ctx context.Context, c *Client, p pager[T]) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		size := cmp.Or(p.perPage, PageSize)
		b := newBudget(c.retry.Budget)
		firstSeen := map[string]int{} // id → the page it came on
		total := 0
		for n := 1; ; n++ {
			resp, body, err := c.read(ctx, p.op, b, func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) {
				return p.send(ctx, gc, n, size)
			})
			if err != nil {
				yield(zero, err)
				return
			}
			if resp.StatusCode == http.StatusNoContent {
				// Nothing (more) to list. Zoho answers 204 rather than an
				// empty page.
				return
			}
			bad := func(format string, args ...any) error {
				return &APIError{Operation: p.op, StatusCode: resp.StatusCode, Response: resp, Body: body,
					Err: fmt.Errorf("page %d: %s: %w", n, fmt.Sprintf(format, args...), ErrBadPage)}
			}
			pg, err := decodePage(body, p.key, p.decode)
			if err != nil {
				yield(zero, &APIError{Operation: p.op, StatusCode: resp.StatusCode, Response: resp, Body: body,
					Err: fmt.Errorf("page %d: decode body: %w", n, err)})
				return
			}
			if len(pg.items) > size {
				yield(zero, bad("%d %s, more than the %d asked for", len(pg.items), p.key, size))
				return
			}
			for _, id := range pg.ids {
				if first, dup := firstSeen[id]; dup {
					yield(zero, bad("id %s repeats (first seen on page %d)", id, first))
					return
				}
				firstSeen[id] = n
			}
			var more bool
			switch {
			case pg.info != nil:
				more = pg.info.MoreRecords
			case len(pg.items) == size:
				// A full page without info could go on or end here.
				yield(zero, bad("a full page without %q to say whether more records follow", "info"))
				return
			default:
				// A short page is the last one.
			}
			switch {
			case more && len(pg.items) == 0:
				yield(zero, bad("no %s, yet more_records is true", p.key))
				return
			case more && n >= MaxPages:
				yield(zero, bad("more_records is still true after %d pages (%d %s)", MaxPages, total+len(pg.items), p.key))
				return
			}
			for _, v := range pg.items {
				if !yield(v, nil) {
					return
				}
			}
			total += len(pg.items)
			if !more {
				return
			}
		}
	}
}

// getOne reads one item of r by id. ok is false for 204, and for a 200 with
// an empty array.
func getOne[T any](ctx context.Context, c *Client, r reads[T], owner, id string) (v T, ok bool, err error) {
	if err := checkID(r.ownerArg, owner); err != nil {
		return v, false, err
	}
	return getByID(ctx, c, r.getOp, r.itemArg, id, r.key, r.decode, func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) {
		return r.sendGet(ctx, gc, c.version, owner, id)
	})
}

// getByID reads the one item with id under key, sent by send as operation
// op; arg names the id in errors. ok is false for 204, and for a 200 with
// an empty array.
func getByID[T any](ctx context.Context, c *Client, op, arg, id, key string, decode func(json.RawMessage) (T, string, error), send sendFunc) (v T, ok bool, err error) {
	if err := checkID(arg, id); err != nil {
		return v, false, err
	}
	resp, body, err := c.read(ctx, op, newBudget(c.retry.Budget), send) //nolint:bodyclose // c.read reads and closes the body; it hands back the bytes
	if err != nil {
		return v, false, err
	}
	if resp.StatusCode == http.StatusNoContent {
		return v, false, nil
	}
	p, err := decodePage(body, key, decode)
	if err != nil {
		return v, false, &APIError{Operation: op, StatusCode: resp.StatusCode, Response: resp, Body: body,
			Err: fmt.Errorf("decode body: %w", err)}
	}
	for i, got := range p.ids {
		if got == id {
			return p.items[i], true, nil
		}
	}
	if len(p.ids) == 0 {
		return v, false, nil
	}
	return v, false, &APIError{Operation: op, StatusCode: resp.StatusCode, Response: resp, Body: body,
		Err: fmt.Errorf("decode body: asked for %s %s, got %v", arg, id, p.ids)}
}

// read sends a GET through the request core, spending b, and returns a 200
// or 204 read in full. Any other outcome is the error: an [*APIError] (a
// [*RateLimitError] for 429) for an answer, an [*AuthError] when no token
// could be had, the transport's error otherwise. A read changes nothing, so
// the core may repeat it after any failure that may pass.
func (c *Client) read(ctx context.Context, op string, b *budget, send sendFunc) (*http.Response, []byte, error) {
	s := c.do(ctx, &call{op: op, send: send, budget: b})
	if err := readErr(op, s); err != nil {
		return nil, nil, err
	}
	return s.last.resp, s.last.body, nil
}

// UsersOfTerritories lists the users of every territory given, as
// [Client.UsersOfTerritory] does, the territories side by side under the
// client's concurrency limit (the one its changes share), so that the
// memberships of thousands of territories are read as fast as Zoho allows.
// It returns every listing, by territory id, or the first failure and none.
func (c *Client) UsersOfTerritories(ctx context.Context, territoryIDs ...string) (map[string][]User, error) {
	return listMany(ctx, c, userReads, "territoryIDs", territoryIDs)
}

// TerritoriesOfUsers lists the territories of every user given, as
// [Client.TerritoriesOfUser] does, side by side as
// [Client.UsersOfTerritories] does.
func (c *Client) TerritoriesOfUsers(ctx context.Context, userIDs ...string) (map[string][]Territory, error) {
	return listMany(ctx, c, territoryReads, "userIDs", userIDs)
}

func listMany[T any](ctx context.Context, c *Client, r reads[T], arg string, owners []string) (map[string][]T, error) {
	owners, err := checkIDs(arg, owners)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]T, len(owners))
	var mu sync.Mutex
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(c.limiter.cap) // the limiter decides; this bounds the goroutines waiting for it
	for _, owner := range owners {
		g.Go(func() error {
			items, err := listAll(gctx, c, r, owner)
			if err != nil {
				return err
			}
			mu.Lock()
			out[owner] = items
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return out, nil
}
