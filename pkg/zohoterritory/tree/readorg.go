package tree

import (
	"cmp"
	"context"
	"errors"
	"iter"
	"slices"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file reads the org as an [Org]: the one place of the package, with
// apply.go, resume.go and restore.go, that calls Zoho.

// ReadOption changes how [ReadOrg] reads.
type ReadOption func(*readConfig)

type readConfig struct {
	counts bool
}

// WithoutUserCounts makes [ReadOrg] list every territory's members, without
// asking Zoho first how many users each territory has (which lets it skip
// the listings of empty territories).
func WithoutUserCounts() ReadOption {
	return func(c *readConfig) { c.counts = false }
}

// ReadOrg reads the org c is for as an [Org]: every territory with its
// fields (name, parent, manager, permission, description, rules), every
// user, and the members of every territory. The reads go side by side
// under the client's concurrency limit, the one its changes share:
//
//   - the users: Zoho's AllUsers listing (active and deactivated users),
//     200 a page; a member that listing leaves out (a deleted user Zoho
//     still lists in a territory) is added as the territory's listing
//     gives it, status included, at no extra call;
//   - the territories, 200 a page;
//   - each territory's users, one listing per territory (200 a page),
//     largest first, so that the longest listings do not come last; the
//     territories Zoho's users' counts ([zohoterritory.Client.AssociatedUsersCounts],
//     2,000 a page, read beside the territories) show empty are not
//     listed. A count that cannot be read costs nothing but that saving:
//     every territory is listed then.
//
// Zoho's API does not tell the org's territory limit, so [Org].Limit is 0
// (not known) and a plan assumes [Rules].TerritoryLimit. Territories are
// in Zoho's order, users in Zoho's order (those added from the members'
// listings after them, by id), each territory's members in its listing's
// order. On any failure nothing is returned, so that a partial org is
// never taken for the whole: the first request-level error (an
// [*zohoterritory.APIError], an [*zohoterritory.AuthError], ...) is
// returned as it is. It changes nothing.
func ReadOrg(ctx context.Context, c *zohoterritory.Client, opts ...ReadOption) (*Org, error) {
	cfg := readConfig{counts: true}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("tree: ReadOrg: a nil option")
		}
		o(&cfg)
	}
	r := &orgReader{c: c, cfg: cfg, members: map[string][]string{}, listed: map[string]zohoterritory.User{},
		listedTerr: newQueue[string](), counts: newQueue[[]zohoterritory.UsersCount]()}
	g, gctx := errgroup.WithContext(ctx)
	var users []zohoterritory.User
	g.Go(func() error {
		var err error
		users, err = collect(c.ListUsers(gctx, zohoterritory.AllUsers))
		return err
	})
	g.Go(func() error { return r.readCounts(gctx) })
	g.Go(func() error { return r.readTerritories(gctx) })
	work := make(chan string)
	g.Go(func() error { return r.dispatch(gctx, work) })
	for range max(c.Concurrency().Cap, 1) {
		g.Go(func() error { return r.listMembers(gctx, work) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}

	org := &Org{APIDomain: c.APIDomain(), APIVersion: c.APIVersion(), Territories: make([]Territory, 0, len(r.territories)),
		Members: make(map[string][]string, len(r.members))}
	for _, t := range r.territories {
		org.Territories = append(org.Territories, FromTerritory(t))
		if m, ok := r.members[t.ID]; ok && len(m) > 0 {
			org.Members[t.ID] = m
		}
	}
	org.Users = users
	known := make(map[string]bool, len(users))
	for _, u := range users {
		known[u.ID] = true
	}
	var extra []zohoterritory.User
	for id, u := range r.listed {
		if !known[id] {
			extra = append(extra, u)
		}
	}
	slices.SortFunc(extra, func(a, b zohoterritory.User) int { return compareIDs(a.ID, b.ID) })
	org.Users = append(org.Users, extra...)
	return org, nil
}

// FromTerritory returns the client's territory as a [Territory]: its
// manager's and parent's ids ("" for none), its permission, description,
// and its rules with Zoho's null as none.
func FromTerritory(t zohoterritory.Territory) Territory {
	out := Territory{ID: t.ID, Name: t.Name, Permission: string(t.PermissionType), Description: t.Description,
		Criteria: Criteria{Accounts: t.AccountRuleCriteria, Leads: t.LeadRuleCriteria, Deals: t.DealRuleCriteria}.normalized()}
	if t.Manager != nil {
		out.ManagerID = t.Manager.ID
	}
	if t.ReportingTo != nil {
		out.ParentID = t.ReportingTo.ID
	}
	return out
}

// orgReader is one run of ReadOrg: the territories as they are listed, the
// counts, and the members' listings they feed.
type orgReader struct {
	c   *zohoterritory.Client
	cfg readConfig

	// territories are written by readTerritories alone, and read once
	// the group is over; listedTerr hands their ids to dispatch as they
	// come.
	territories []zohoterritory.Territory
	listedTerr  *queue[string]
	// counts hands dispatch the users' counts, a page at a time; closed
	// when they are read (or cannot be).
	counts *queue[[]zohoterritory.UsersCount]

	mu      sync.Mutex // guards members and listed, which the listings fill side by side
	members map[string][]string
	listed  map[string]zohoterritory.User
}

// readCounts reads the users' counts, handing each page to dispatch as it
// comes. A failure ends them (the territories they did not count are
// listed then), unless it is one every read would meet.
func (r *orgReader) readCounts(ctx context.Context) error {
	defer r.counts.close()
	if !r.cfg.counts {
		return nil
	}
	var page []zohoterritory.UsersCount
	for n, err := range r.c.AssociatedUsersCounts(ctx) {
		if err != nil {
			if zohoterritory.IsAuthFailure(err) || ctx.Err() != nil {
				return err
			}
			return nil
		}
		page = append(page, n)
		if len(page) == zohoterritory.UsersCountsPageSize {
			r.counts.push(page)
			page = nil
		}
	}
	if len(page) > 0 {
		r.counts.push(page)
	}
	return nil
}

func (r *orgReader) readTerritories(ctx context.Context) error {
	defer r.listedTerr.close()
	for t, err := range r.c.ListTerritories(ctx) {
		if err != nil {
			return err
		}
		r.territories = append(r.territories, t)
		r.listedTerr.push(t.ID)
	}
	return nil
}

// dispatch hands the listings to make to work: the territories counted
// (not empty), largest first, a page of counts at a time, then those
// listed that the counts did not name (all of them without counts).
func (r *orgReader) dispatch(ctx context.Context, work chan<- string) error {
	defer close(work)
	send := func(id string) error {
		select {
		case work <- id:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	counted := map[string]bool{}
	for more := true; more; {
		var pages [][]zohoterritory.UsersCount
		pages, more = r.counts.take(ctx)
		for _, page := range pages {
			page = slices.Clone(page)
			slices.SortStableFunc(page, func(a, b zohoterritory.UsersCount) int { return cmp.Compare(b.Count, a.Count) })
			for _, n := range page {
				counted[n.Territory.ID] = true
				if n.Count == 0 {
					continue
				}
				if err := send(n.Territory.ID); err != nil {
					return err
				}
			}
		}
	}
	for more := true; more; {
		var ids []string
		ids, more = r.listedTerr.take(ctx)
		for _, id := range ids {
			if counted[id] {
				continue
			}
			if err := send(id); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// listMembers lists the users of each territory work hands it.
func (r *orgReader) listMembers(ctx context.Context, work <-chan string) error {
	for id := range work {
		us, err := r.c.UsersOfTerritory(ctx, id)
		if err != nil {
			return err
		}
		ids := make([]string, len(us))
		for i, u := range us {
			ids[i] = u.ID
		}
		r.mu.Lock()
		r.members[id] = ids
		for _, u := range us {
			r.listed[u.ID] = u
		}
		r.mu.Unlock()
	}
	return nil
}

// queue hands items from one goroutine to another without ever making the
// first wait.
type queue[T any] struct {
	mu     sync.Mutex
	items  []T
	closed bool
	ready  chan struct{} // holds a token while items or closed are news
}

func newQueue[T any]() *queue[T] { return &queue[T]{ready: make(chan struct{}, 1)} }

func (q *queue[T]) push(v T) {
	q.mu.Lock()
	q.items = append(q.items, v)
	q.mu.Unlock()
	q.signal()
}

func (q *queue[T]) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *queue[T]) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// take waits for items, or the end, and returns the items pushed since the
// last take; more is false once the queue is closed and drained, or ctx
// is done.
func (q *queue[T]) take(ctx context.Context) (items []T, more bool) {
	for {
		q.mu.Lock()
		items, closed := q.items, q.closed
		q.items = nil
		q.mu.Unlock()
		if len(items) > 0 || closed {
			return items, !closed || len(items) > 0
		}
		select {
		case <-q.ready:
		case <-ctx.Done():
			return nil, false
		}
	}
}

// collect gathers a listing: every item, or none and the error.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// compareIDs orders record ids by number.
func compareIDs(a, b string) int { return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b)) }
