package tree

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file checks Order and Undo as properties: random orgs, random
// target trees, every plan applied step by step to an in-memory model of
// Zoho that refuses what Zoho refuses. No step may make a cycle, give two
// territories one name (ignoring case), take the org past its territory
// limit or a territory past its user limit, create under a parent that
// does not exist yet, or delete a territory with children; the plan must
// end exactly at the target, and the undo of any prefix of it exactly
// where it began.

const propertyCases = 3000

func TestOrderProperty(t *testing.T) {
	t.Parallel()
	n := propertyCases
	if testing.Short() || raceEnabled {
		n = propertyCases / 5
	}
	var st stats
	for seed := range uint64(n) {
		r := rand.New(rand.NewPCG(seed, 31))
		c := newCase(r)
		if !c.run(t, seed, &st) {
			return
		}
	}
	t.Logf("%d cases: %+v", n, st)
	// The cases reach what they are for.
	for what, got := range map[string]int{"frees": st.Frees, "moves": st.Moves, "early deletes": st.EarlyDeletes, "creates under creates": st.NestedCreates,
		"deletes": st.Deletes, "undone creates": st.UndoDeletes, "undone deletes": st.UndoCreates, "undone updates": st.UndoUpdates} {
		require.Greater(t, got, n/50, what)
	}
	require.Less(t, st.Refused, n/10, "refused for the limit")
}

// stats counts what the cases exercised.
type stats struct {
	Frees, Moves, EarlyDeletes, NestedCreates, Deletes, Refused int
	UndoCreates, UndoDeletes, UndoUpdates                       int
}

func (st *stats) count(p *Plan, undo bool) {
	for i, s := range p.Steps {
		switch {
		case s.Kind == StepFreeName && !undo:
			st.Frees++
		case s.Kind == StepDelete && !undo && slices.ContainsFunc(p.Steps[i:], func(s Step) bool { return s.Kind == StepCreate }):
			st.EarlyDeletes++
		case s.Kind == StepDelete && !undo:
			st.Deletes++
		case s.Kind == StepCreate && !undo && s.Creates[0].Parent.Key != "":
			st.NestedCreates++
		case s.Kind == StepCreate && undo:
			st.UndoCreates++
		case s.Kind == StepDelete && undo:
			st.UndoDeletes++
		case s.Kind == StepUpdate && undo:
			st.UndoUpdates++
		}
		for _, u := range s.Updates {
			if u.Parent != nil && !undo {
				st.Moves++
			}
		}
	}
}

var propUsers = []zohoterritory.User{
	{ID: "1000000000000000001", Email: "a@x.com", Status: "active"},
	{ID: "1000000000000000002", Email: "b@x.com", Status: "active"},
	{ID: "1000000000000000003", Email: "C@x.com", Status: "active"},
	{ID: "1000000000000000004", Email: "d@x.com", Status: "active"},
	{ID: "1000000000000000005", Status: "active"},
	{ID: "1000000000000000006", Email: "f@x.com", Status: "inactive"},
	{ID: "1000000000000000007", Email: "g@x.com", Status: "deleted"},
}

// tnode is a territory of a target tree.
type tnode struct {
	id, name, manager, perm, desc string
	users                         []string
	rules                         json.RawMessage
	parent                        *tnode
	children                      []*tnode
}

type propCase struct {
	r      *rand.Rand
	org    *Org
	root   *tnode
	nextID int
}

func (c *propCase) pick(list []string) string { return list[c.r.IntN(len(list))] }

func (c *propCase) activeManager() string {
	if c.r.IntN(4) == 0 {
		return ""
	}
	return propUsers[c.r.IntN(5)].ID
}

func (c *propCase) users(manager string) []string {
	var out []string
	for _, u := range propUsers {
		if c.r.IntN(3) == 0 || u.ID == manager && manager != "" {
			out = append(out, u.ID)
		}
	}
	return out
}

func (c *propCase) rules() json.RawMessage {
	if c.r.IntN(4) > 0 {
		return nil
	}
	return json.RawMessage(fmt.Sprintf(`{"field":{"api_name":"Billing_State"},"comparator":"equal","value":%d}`, c.r.IntN(3)))
}

func (c *propCase) perm() string {
	return []string{PermissionReadOnly, PermissionReadWriteDelete}[c.r.IntN(2)]
}

// freshName returns a name no territory of the target (nor, sometimes,
// of the org) has, ignoring case; now and then one the org has, which
// the target has given up.
func (c *propCase) freshName() string {
	taken := map[string]bool{}
	for _, n := range c.all() {
		taken[fold(n.name)] = true
	}
	for {
		name := fmt.Sprintf("%s%d", c.pick([]string{"t", "T", "Zone ", "zone "}), c.r.IntN(60))
		if c.r.IntN(10) == 0 {
			name += strings.Repeat("x", 40) // long names make long temporary names
		}
		if !taken[fold(name)] {
			return name
		}
	}
}

func (c *propCase) id() string {
	c.nextID++
	return fmt.Sprintf("57257670000%08d", c.nextID)
}

func newCase(r *rand.Rand) *propCase {
	c := &propCase{r: r, org: &Org{APIDomain: "https://www.zohoapis.eu", APIVersion: "v7", Users: propUsers, Members: map[string][]string{}}}
	// The org, built as a target first.
	c.root = &tnode{id: c.id(), name: "Org", perm: PermissionReadWriteDelete, manager: propUsers[0].ID}
	for _, u := range propUsers {
		c.root.users = append(c.root.users, u.ID)
	}
	for range r.IntN(20) {
		all := c.all()
		p := all[r.IntN(len(all))]
		m := c.activeManager()
		n := &tnode{id: c.id(), name: c.freshName(), manager: m, perm: c.perm(), parent: p, users: c.users(m), rules: c.rules()}
		if r.IntN(3) == 0 {
			n.desc = "about " + n.name
		}
		p.children = append(p.children, n)
	}
	for _, n := range c.all() {
		t := Territory{ID: n.id, Name: n.name, ManagerID: n.manager, Permission: n.perm, Description: n.desc, Criteria: Criteria{Accounts: n.rules}}
		if n.parent != nil {
			t.ParentID = n.parent.id
		}
		c.org.Members[n.id] = slices.Clone(n.users)
		c.org.Territories = append(c.org.Territories, t)
	}
	c.edit()
	return c
}

// all returns the target's territories, parents first.
func (c *propCase) all() []*tnode {
	var out []*tnode
	var walk func(n *tnode)
	walk = func(n *tnode) {
		out = append(out, n)
		for _, ch := range n.children {
			walk(ch)
		}
	}
	walk(c.root)
	return out
}

func (c *propCase) nonRoot() *tnode {
	all := c.all()
	if len(all) == 1 {
		return nil
	}
	return all[1+c.r.IntN(len(all)-1)]
}

func under(n, p *tnode) bool {
	for ; p != nil; p = p.parent {
		if p == n {
			return true
		}
	}
	return false
}

func (c *propCase) detach(n *tnode) {
	n.parent.children = slices.DeleteFunc(n.parent.children, func(x *tnode) bool { return x == n })
}

// move moves n under a territory outside its own subtree.
func (c *propCase) move(n *tnode) {
	var to []*tnode
	for _, p := range c.all() {
		if !under(n, p) && p != n.parent {
			to = append(to, p)
		}
	}
	if len(to) == 0 {
		return
	}
	p := to[c.r.IntN(len(to))]
	c.detach(n)
	n.parent = p
	p.children = append(p.children, n)
}

// edit makes the target: renames (swaps and rotations too), moves,
// deletes (children rescued elsewhere now and then), creates, field and
// member changes.
func (c *propCase) edit() {
	for range c.r.IntN(9) {
		switch c.r.IntN(7) {
		case 0: // rotate the names of a few territories
			all := c.all()
			k := min(len(all), 2+c.r.IntN(2))
			c.r.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
			first := all[0].name
			for i := range k - 1 {
				all[i].name = all[i+1].name
			}
			all[k-1].name = first
			if c.r.IntN(3) == 0 {
				all[0].name = strings.ToUpper(all[0].name)
			}
		case 1:
			all := c.all()
			all[c.r.IntN(len(all))].name = c.freshName()
		case 2:
			if n := c.nonRoot(); n != nil {
				c.move(n)
			}
		case 3: // delete a subtree, rescuing a child now and then
			n := c.nonRoot()
			if n == nil {
				break
			}
			if len(n.children) > 0 && c.r.IntN(2) == 0 {
				ch := n.children[c.r.IntN(len(n.children))]
				var to []*tnode
				for _, p := range c.all() {
					if !under(n, p) {
						to = append(to, p)
					}
				}
				p := to[c.r.IntN(len(to))]
				c.detach(ch)
				ch.parent = p
				p.children = append(p.children, ch)
			}
			c.detach(n)
		case 4, 5:
			all := c.all()
			p := all[c.r.IntN(len(all))]
			m := c.activeManager()
			n := &tnode{name: c.freshName(), manager: m, perm: c.perm(), parent: p, users: c.users(m), rules: c.rules()}
			p.children = append(p.children, n)
		case 6:
			if n := c.nonRoot(); n != nil {
				n.manager = c.activeManager()
				n.users = c.users(n.manager)
				if c.r.IntN(2) == 0 {
					n.perm = c.perm()
				}
				n.desc = []string{"", "changed", n.desc}[c.r.IntN(3)]
				n.rules = c.rules()
			}
		}
	}
}

// file writes the target as a tree file: children in random order, ids
// left out now and then where the territory is its parent's child of the
// same name in the org.
func (c *propCase) file() *File {
	orgParent := map[string]string{}
	orgName := map[string]string{}
	for _, t := range c.org.Territories {
		orgParent[t.ID], orgName[t.ID] = t.ParentID, t.Name
	}
	var node func(n *tnode) *Node
	node = func(n *tnode) *Node {
		out := &Node{Name: n.name, ID: n.id, Manager: n.manager, Permission: n.perm, Description: n.desc, Users: slices.Clone(n.users), Criteria: Criteria{Accounts: n.rules}}
		switch {
		case n.parent == nil:
			out.Permission = "" // absent: unchanged
			if c.r.IntN(2) == 0 {
				out.ID = ""
			}
		case n.id != "" && n.parent.id != "" && orgParent[n.id] == n.parent.id && fold(orgName[n.id]) == fold(n.name) && c.r.IntN(3) == 0:
			out.ID = "" // matched by its name under its parent
		}
		kids := slices.Clone(n.children)
		c.r.Shuffle(len(kids), func(i, j int) { kids[i], kids[j] = kids[j], kids[i] })
		for _, k := range kids {
			out.Children = append(out.Children, node(k))
		}
		return out
	}
	return &File{Name: "tree.yaml", Root: node(c.root)}
}

// run plans the case, applies the plan to the model, checks it ends at
// the target, then undoes a prefix of it and checks it ends where it
// began. It reports whether the case passed.
func (c *propCase) run(t *testing.T, seed uint64, st *stats) bool {
	t.Helper()
	org := c.org
	org.Limit = max(len(org.Territories), len(c.all())) + c.r.IntN(3)
	fail := func(format string, args ...any) bool {
		t.Errorf("seed %d: %s", seed, fmt.Sprintf(format, args...))
		return false
	}
	in, err := Diff(c.file(), org, Options{AllowDelete: true})
	if err != nil {
		return fail("Diff: %v", err)
	}
	plan, err := Order(in, org, OrderOptions{Created: t0})
	if err != nil {
		if limitRefusal(err, in, org) {
			st.Refused++
			return true
		}
		return fail("Order: %v", err)
	}
	st.count(plan, false)
	if d := Drifts(plan, org); len(d) > 0 {
		return fail("drifts against the org it was made on: %v", d)
	}
	s := newSim(org)
	for i, st := range plan.Steps {
		if err := s.apply(st); err != nil {
			return fail("step %d (%s): %v", i, st.Kind, err)
		}
	}
	if err := s.matches(c.root, org); err != nil {
		return fail("the plan does not end at the target: %v", err)
	}

	// Undo what a run killed after k steps made.
	k := c.r.IntN(len(plan.Steps) + 1)
	s = newSim(org)
	var done Done
	for _, st := range plan.Steps[:k] {
		require.NoError(t, s.apply(st))
		done.record(st, s)
	}
	now := s.org(org)
	undoIn, err := UndoIntents(plan, done, now, Rules{})
	if err != nil {
		return fail("UndoIntents after %d steps: %v", k, err)
	}
	undo, err := Order(undoIn, now, OrderOptions{Created: t0})
	if err != nil {
		if limitRefusal(err, undoIn, now) {
			st.Refused++
			return true
		}
		return fail("Order of the undo after %d steps: %v", k, err)
	}
	st.count(undo, true)
	for i, st := range undo.Steps {
		if err := s.apply(st); err != nil {
			return fail("undo after %d steps: step %d (%s): %v", k, i, st.Kind, err)
		}
	}
	if err := s.restored(org, undo, done); err != nil {
		return fail("the undo after %d steps does not end where the plan began: %v", k, err)
	}
	return true
}

// limitRefusal reports whether err is Order's refusal for the
// territory limit and the refusal is right: fewer whole subtrees are
// deleted than the creates need room for.
func limitRefusal(err error, in *Intents, org *Org) bool {
	var pe *ProblemsError
	if !errors.As(err, &pe) || !strings.Contains(err.Error(), "territories and at most") {
		return false
	}
	deleted := map[string]bool{}
	for _, d := range in.Deletes {
		deleted[d.ID] = true
	}
	for _, m := range in.Removes { // removals go before deletes
		deleted[m.Territory.ID] = false
	}
	kids := map[string][]string{}
	for _, t := range org.Territories {
		kids[t.ParentID] = append(kids[t.ParentID], t.ID)
	}
	var whole func(id string) bool
	eligible := 0
	whole = func(id string) bool {
		all := deleted[id]
		for _, k := range kids[id] {
			all = whole(k) && all
		}
		if all {
			eligible++
		}
		return all
	}
	whole("")
	need := len(org.Territories) + len(in.Creates) - max(org.Limit, len(org.Territories))
	return eligible < need
}

// record adds what the step made to d.
func (d *Done) record(st Step, s *sim) {
	for _, c := range st.Creates {
		if d.Created == nil {
			d.Created = map[string]string{}
		}
		d.Created[c.Key] = s.keys[c.Key]
	}
	for _, u := range st.Updates {
		if st.Kind == StepFreeName {
			d.Freed = append(d.Freed, u.ID)
		} else {
			d.Updated = append(d.Updated, u.ID)
		}
	}
	if st.Kind == StepAdd {
		d.Added = append(d.Added, *st.Members)
	}
	if st.Kind == StepRemove {
		d.Removed = append(d.Removed, *st.Members)
	}
	for _, del := range st.Deletes {
		d.Deleted = append(d.Deleted, del.ID)
	}
}

// sim is an in-memory Zoho: it makes steps as Zoho would, and refuses
// what Zoho refuses.
type sim struct {
	terr    map[string]*Territory
	order   []string // ids, in the order they came
	members map[string]map[string]bool
	keys    map[string]string // create key → id given
	root    string
	cap     int
	next    int
	active  map[string]bool // users Zoho adds and makes managers
}

func newSim(org *Org) *sim {
	s := &sim{terr: map[string]*Territory{}, members: map[string]map[string]bool{}, keys: map[string]string{},
		cap: DefaultRules().limit(org), next: 1, active: map[string]bool{}}
	for _, u := range org.Users {
		s.active[u.ID] = u.Status == "active"
	}
	for _, t := range org.Territories {
		t := t
		s.terr[t.ID] = &t
		s.order = append(s.order, t.ID)
		s.members[t.ID] = map[string]bool{}
		for _, u := range org.Members[t.ID] {
			s.members[t.ID][u] = true
		}
		if t.ParentID == "" {
			s.root = t.ID
		}
	}
	return s
}

func (s *sim) resolve(r Ref) (string, error) {
	id := r.ID
	if r.Key != "" {
		id = s.keys[r.Key]
	}
	if s.terr[id] == nil {
		return "", fmt.Errorf("territory %s does not exist", r)
	}
	return id, nil
}

func (s *sim) nameTaken(name, except string) bool {
	for id, t := range s.terr {
		if id != except && fold(t.Name) == fold(name) {
			return true
		}
	}
	return false
}

func (s *sim) apply(st Step) error {
	switch st.Kind {
	case StepFreeName, StepUpdate:
		if len(st.Updates) > MaxUpdatesPerCall {
			return fmt.Errorf("%d updates in one call", len(st.Updates))
		}
		for _, u := range st.Updates {
			if st.Kind == StepFreeName && (u.Name == nil || u.Parent != nil || u.Manager != nil || u.Permission != nil || u.Description != nil || u.Criteria != nil) {
				return fmt.Errorf("a free_name update changes more than the name: %+v", u)
			}
			if err := s.update(u); err != nil {
				return err
			}
		}
	case StepCreate:
		if len(st.Creates) > MaxCreatesPerCall {
			return fmt.Errorf("%d creates in one call", len(st.Creates))
		}
		parents := make([]string, len(st.Creates))
		for i, c := range st.Creates {
			p, err := s.resolve(c.Parent)
			if err != nil {
				return fmt.Errorf("create %s: parent: %w (a call holds only creates whose parents exist)", c.Key, err)
			}
			parents[i] = p
		}
		for i, c := range st.Creates {
			if s.nameTaken(c.Name, "") {
				return fmt.Errorf("create %s: the name %q is taken", c.Key, c.Name)
			}
			if len(s.terr) >= s.cap {
				return fmt.Errorf("create %s: the org holds %d territories, its limit", c.Key, len(s.terr))
			}
			if c.ManagerID != "" && !s.active[c.ManagerID] {
				return fmt.Errorf("create %s: inactive manager", c.Key)
			}
			id := fmt.Sprintf("99999999%011d", s.next)
			for s.terr[id] != nil {
				s.next++
				id = fmt.Sprintf("99999999%011d", s.next)
			}
			s.keys[c.Key] = id
			s.terr[id] = &Territory{ID: id, Name: c.Name, ParentID: parents[i], ManagerID: c.ManagerID, Permission: c.Permission, Description: c.Description, Criteria: c.Criteria}
			s.order = append(s.order, id)
			s.members[id] = map[string]bool{}
		}
	case StepAdd, StepRemove:
		id, err := s.resolve(st.Members.Territory)
		if err != nil {
			return err
		}
		if id == s.root {
			return fmt.Errorf("the root's members are changed")
		}
		for _, u := range st.Members.Users {
			switch {
			case st.Kind == StepAdd && !s.active[u]:
				return fmt.Errorf("add of inactive user %s", u)
			case st.Kind == StepAdd:
				s.members[id][u] = true
			case !s.members[id][u]:
				return fmt.Errorf("remove of %s from %s: not a member", u, id)
			case s.terr[id].ManagerID == u:
				return fmt.Errorf("remove of %s from %s: the manager", u, id)
			default:
				delete(s.members[id], u)
			}
		}
		if len(s.members[id]) > zohoterritory.DefaultTerritoryUserLimit {
			return fmt.Errorf("territory %s holds %d users", id, len(s.members[id]))
		}
	case StepDelete:
		if len(st.Deletes) > MaxDeletesPerCall {
			return fmt.Errorf("%d deletes in one call", len(st.Deletes))
		}
		for _, d := range st.Deletes {
			if s.terr[d.ID] == nil || d.ID == s.root {
				return fmt.Errorf("delete of %s: gone, or the root", d.ID)
			}
			for _, t := range s.terr {
				if t.ParentID == d.ID {
					return fmt.Errorf("delete of %s: it has a child %s", d.ID, t.ID)
				}
			}
		}
		for _, d := range st.Deletes {
			delete(s.terr, d.ID)
			delete(s.members, d.ID)
			s.order = slices.DeleteFunc(s.order, func(id string) bool { return id == d.ID })
		}
	default:
		return fmt.Errorf("unknown step kind %q", st.Kind)
	}
	return s.invariants()
}

func (s *sim) update(u Update) error {
	t := s.terr[u.ID]
	if t == nil {
		return fmt.Errorf("update of %s: gone", u.ID)
	}
	if u.ID == s.root && (u.Parent != nil || u.Manager != nil || u.Permission != nil || u.Description != nil || u.Criteria != nil) {
		return fmt.Errorf("the root changes more than its name")
	}
	// What the plan says a field holds is what it holds.
	for _, f := range []struct {
		c   *Change
		now string
	}{{u.Name, t.Name}, {u.Manager, t.ManagerID}, {u.Permission, t.Permission}, {u.Description, t.Description}} {
		if f.c != nil && f.c.Old != f.now {
			return fmt.Errorf("update of %s: old value %q, but it holds %q", u.ID, f.c.Old, f.now)
		}
	}
	if u.Parent != nil && u.Parent.Old != t.ParentID {
		return fmt.Errorf("move of %s: old parent %s, but it reports to %s", u.ID, u.Parent.Old, t.ParentID)
	}
	if u.Criteria != nil && !u.Criteria.Old.Equal(t.Criteria) {
		return fmt.Errorf("update of %s: old rules differ", u.ID)
	}
	if u.Name != nil {
		if s.nameTaken(u.Name.New, u.ID) {
			return fmt.Errorf("rename of %s to %q: the name is taken", u.ID, u.Name.New)
		}
		t.Name = u.Name.New
	}
	if u.Parent != nil {
		p, err := s.resolve(u.Parent.New)
		if err != nil {
			return fmt.Errorf("move of %s: %w", u.ID, err)
		}
		for at := p; at != ""; at = s.terr[at].ParentID {
			if at == u.ID {
				return fmt.Errorf("move of %s under %s: a cycle", u.ID, p)
			}
		}
		t.ParentID = p
	}
	if u.Manager != nil {
		if u.Manager.New != "" && !s.active[u.Manager.New] {
			return fmt.Errorf("update of %s: inactive manager", u.ID)
		}
		t.ManagerID = u.Manager.New
	}
	if u.Permission != nil {
		t.Permission = u.Permission.New
	}
	if u.Description != nil {
		t.Description = u.Description.New
	}
	if u.Criteria != nil {
		t.Criteria = u.Criteria.New
	}
	return nil
}

// invariants: one tree, names unique ignoring case, within the limit.
func (s *sim) invariants() error {
	names := map[string]string{}
	for id, t := range s.terr {
		if other, dup := names[fold(t.Name)]; dup {
			return fmt.Errorf("territories %s and %s are both named %q", id, other, t.Name)
		}
		names[fold(t.Name)] = id
		steps := 0
		for at := id; at != s.root; at = s.terr[at].ParentID {
			if s.terr[at] == nil || steps > len(s.terr) {
				return fmt.Errorf("territory %s is not under the root", id)
			}
			steps++
		}
	}
	if len(s.terr) > s.cap {
		return fmt.Errorf("the org holds %d territories, more than %d", len(s.terr), s.cap)
	}
	return nil
}

// org returns the model as an org snapshot.
func (s *sim) org(was *Org) *Org {
	o := &Org{APIDomain: was.APIDomain, APIVersion: was.APIVersion, Users: was.Users, Limit: was.Limit, Members: map[string][]string{}}
	for _, id := range s.order {
		o.Territories = append(o.Territories, *s.terr[id])
		for _, u := range was.Users {
			if s.members[id][u.ID] {
				o.Members[id] = append(o.Members[id], u.ID)
			}
		}
	}
	return o
}

func (s *sim) childNamed(parent, name string) *Territory {
	for _, t := range s.terr {
		if t.ParentID == parent && t.Name == name {
			return t
		}
	}
	return nil
}

// matches checks the model holds the target exactly: names, parents,
// fields, members (those the plan had to skip aside).
func (s *sim) matches(root *tnode, org *Org) error {
	orgMember := map[string]map[string]bool{}
	for id, us := range org.Members {
		orgMember[id] = map[string]bool{}
		for _, u := range us {
			orgMember[id][u] = true
		}
	}
	count := 0
	var check func(n *tnode, t *Territory) error
	check = func(n *tnode, t *Territory) error {
		count++
		if n.id != "" && t.ID != n.id {
			return fmt.Errorf("%q is %s, not %s", n.name, t.ID, n.id)
		}
		if t.Name != n.name || t.ManagerID != n.manager || t.Permission != n.perm || t.Description != n.desc || !t.Criteria.Equal(Criteria{Accounts: n.rules}) {
			return fmt.Errorf("%q: got %+v", n.name, *t)
		}
		if n.parent != nil {
			want := map[string]bool{}
			for _, u := range append(slices.Clone(n.users), n.manager) {
				if u != "" && (s.active[u] || orgMember[t.ID][u]) {
					want[u] = true
				}
			}
			if fmt.Sprint(want) != fmt.Sprint(s.members[t.ID]) {
				return fmt.Errorf("%q: members %v, want %v", n.name, s.members[t.ID], want)
			}
		} else if fmt.Sprint(s.members[t.ID]) != fmt.Sprint(orgMember[t.ID]) {
			return fmt.Errorf("the root's members changed")
		}
		for _, ch := range n.children {
			c := s.childNamed(t.ID, ch.name)
			if c == nil {
				return fmt.Errorf("%q has no child %q", n.name, ch.name)
			}
			if err := check(ch, c); err != nil {
				return err
			}
		}
		return nil
	}
	if err := check(root, s.terr[s.root]); err != nil {
		return err
	}
	if count != len(s.terr) {
		return fmt.Errorf("the org holds %d territories, the target %d", len(s.terr), count)
	}
	return nil
}

// restored checks the model holds the org again: the territories a run
// deleted under new ids (the undo's creates say which), members but
// those Zoho no longer adds (inactive users the run removed).
func (s *sim) restored(org *Org, undo *Plan, done Done) error {
	newID := map[string]string{}
	for _, st := range undo.Steps {
		for _, c := range st.Creates {
			if c.Restores != "" {
				newID[c.Restores] = s.keys[c.Key]
			}
		}
	}
	id := func(old string) string {
		if n, ok := newID[old]; ok {
			return n
		}
		return old
	}
	lost := map[string]map[string]bool{} // territory → inactive users the run removed
	for _, m := range done.Removed {
		for _, u := range m.Users {
			if !s.active[u] {
				if lost[m.Territory.ID] == nil {
					lost[m.Territory.ID] = map[string]bool{}
				}
				lost[m.Territory.ID][u] = true
			}
		}
	}
	for _, d := range done.Deleted {
		lost[d] = map[string]bool{}
		for _, u := range org.Members[d] {
			lost[d][u] = !s.active[u]
		}
	}
	if len(s.terr) != len(org.Territories) {
		return fmt.Errorf("the org holds %d territories, not %d", len(s.terr), len(org.Territories))
	}
	for _, was := range org.Territories {
		t := s.terr[id(was.ID)]
		if t == nil {
			return fmt.Errorf("territory %s (%q) is gone", was.ID, was.Name)
		}
		want := was
		want.ID, want.ParentID = t.ID, id(was.ParentID)
		if fmt.Sprint(*t) != fmt.Sprint(want) {
			return fmt.Errorf("territory %s: got %+v, want %+v", was.ID, *t, want)
		}
		var members []string
		for _, u := range org.Members[was.ID] {
			if !lost[was.ID][u] {
				members = append(members, u)
			}
		}
		var got []string
		for _, u := range org.Users {
			if s.members[t.ID][u.ID] {
				got = append(got, u.ID)
			}
		}
		slices.Sort(members)
		if !slices.Equal(got, members) {
			return fmt.Errorf("territory %s (%q): members %v, want %v", was.ID, was.Name, got, members)
		}
	}
	return nil
}
