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
		listedTerr: newIDQueue(), countsRead: make(chan struct{})}
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
	listedTerr  *idQueue
	// counts are the users' counts, set (or left nil: not read) before
	// countsRead is closed.
	counts     []zohoterritory.UsersCount
	countsRead chan struct{}

	mu      sync.Mutex // guards members and listed, which the listings fill side by side
	members map[string][]string
	listed  map[string]zohoterritory.User
}

// readCounts reads the users' counts. A failure leaves them unread (every
// territory is listed then), unless it is one every read would meet.
func (r *orgReader) readCounts(ctx context.Context) error {
	defer close(r.countsRead)
	if !r.cfg.counts {
		return nil
	}
	counts, err := collect(r.c.AssociatedUsersCounts(ctx))
	switch {
	case err == nil:
		r.counts = counts
	case zohoterritory.IsAuthFailure(err), ctx.Err() != nil:
		return err
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

// dispatch hands the listings to make to work: with counts, the territories
// counted (not empty), largest first, then those listed that the counts
// did not name; without, each territory as it is listed.
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
	select {
	case <-r.countsRead:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	counted := make(map[string]bool, len(r.counts))
	counts := slices.Clone(r.counts)
	slices.SortStableFunc(counts, func(a, b zohoterritory.UsersCount) int { return cmp.Compare(b.Count, a.Count) })
	for _, n := range counts {
		counted[n.Territory.ID] = true
		if n.Count == 0 {
			continue
		}
		if err := send(n.Territory.ID); err != nil {
			return err
		}
	}
	for {
		ids, more := r.listedTerr.take(ctx)
		for _, id := range ids {
			if counted[id] {
				continue
			}
			if err := send(id); err != nil {
				return err
			}
		}
		if !more {
			return ctx.Err()
		}
	}
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

// idQueue hands ids from one goroutine to another without ever making the
// first wait.
type idQueue struct {
	mu     sync.Mutex
	ids    []string
	closed bool
	ready  chan struct{} // holds a token while ids or closed are news
}

func newIDQueue() *idQueue { return &idQueue{ready: make(chan struct{}, 1)} }

func (q *idQueue) push(id string) {
	q.mu.Lock()
	q.ids = append(q.ids, id)
	q.mu.Unlock()
	q.signal()
}

func (q *idQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.signal()
}

func (q *idQueue) signal() {
	select {
	case q.ready <- struct{}{}:
	default:
	}
}

// take waits for ids, or the end, and returns the ids pushed since the
// last take; more is false once the queue is closed and drained, or ctx
// is done.
func (q *idQueue) take(ctx context.Context) (ids []string, more bool) {
	for {
		q.mu.Lock()
		ids, closed := q.ids, q.closed
		q.ids = nil
		q.mu.Unlock()
		if len(ids) > 0 || closed {
			return ids, !closed || len(ids) > 0
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
