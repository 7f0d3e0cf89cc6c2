package tree

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file matches the file's territories to the org's and says what
// must change ([Intents]); [Order] says in which steps.

// Options say how [Diff] plans.
type Options struct {
	// AllowDelete deletes the org's territories that the file leaves out;
	// without it each is a [Problem] naming what deleting it would take
	// away.
	AllowDelete bool
	// Rules are Zoho's rules; zero fields take their defaults.
	Rules Rules
}

// Intents are what must change for the org to hold the file, not yet
// ordered: [Order] makes them steps. Each list is in the file's order
// (deletes and what they take away in the org's).
type Intents struct {
	Creates []Create
	Updates []Update
	// Adds and Removes are memberships, a territory at a time.
	Adds, Removes []Members
	Deletes       []Delete
	// Skips are the memberships the file asks for that are left alone,
	// and why.
	Skips []Skip
}

// Ref names a territory that exists (ID) or that the plan creates (Key):
// exactly one of them is set.
type Ref struct {
	ID  string `json:"id,omitempty"`
	Key string `json:"key,omitempty"`
}

// String is the id, or the key.
func (r Ref) String() string {
	if r.ID != "" {
		return r.ID
	}
	return r.Key
}

// Create is a territory to create.
type Create struct {
	// Key names the territory in the plan until Zoho gives it an id:
	// "new:" and its path.
	Key  string `json:"key"`
	Name string `json:"name"`
	// Parent is an existing territory, or one the plan creates first.
	Parent      Ref      `json:"parent"`
	Permission  string   `json:"permission"`
	ManagerID   string   `json:"manager_id,omitempty"`
	Description string   `json:"description,omitempty"`
	Criteria    Criteria `json:"rules,omitzero"`
	// Path is where the territory ends, for people; Line is its line in
	// the file (0 when it comes from no file): the order changes are
	// shown in.
	Path string `json:"path"`
	Line int    `json:"line,omitempty"`
	// Restores is, in a plan made by [Undo], the id of the deleted
	// territory this one brings back.
	Restores string `json:"restores,omitempty"`
}

// Update is a change of an existing territory's fields: each field that
// changes has its old and new value; nil fields do not change. Zoho's
// update call takes the permission every time: when Permission is nil,
// send the territory's permission as the plan's before state holds it
// ([Plan.Territory]).
type Update struct {
	ID string `json:"id"`
	// Path is where the territory ends; Was where it was, when that
	// differs; Line as in [Create].
	Path string `json:"path"`
	Was  string `json:"was,omitempty"`
	Line int    `json:"line,omitempty"`

	Name        *Change         `json:"name,omitempty"`
	Parent      *Move           `json:"parent,omitempty"`
	Manager     *Change         `json:"manager,omitempty"`
	Permission  *Change         `json:"permission,omitempty"`
	Description *Change         `json:"description,omitempty"`
	Criteria    *CriteriaChange `json:"rules,omitempty"`
}

// empty reports whether the update changes nothing.
func (u *Update) empty() bool {
	return u.Name == nil && u.Parent == nil && u.Manager == nil && u.Permission == nil && u.Description == nil && u.Criteria == nil
}

// Change is a field's old and new value ("" for none; a manager by user
// id).
type Change struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// Move is a change of parent: Old is the parent's id as read, New the
// parent it gets.
type Move struct {
	Old string `json:"old"`
	New Ref    `json:"new"`
}

// CriteriaChange is a change of the assignment rules: the whole old and
// new [Criteria]; [Criteria.Changed] says which modules to send.
type CriteriaChange struct {
	Old Criteria `json:"old"`
	New Criteria `json:"new"`
}

// Members are users to add to, or remove from, one territory.
type Members struct {
	Territory Ref      `json:"territory"`
	Path      string   `json:"path"`
	Line      int      `json:"line,omitempty"`
	Users     []string `json:"users"`
}

// Delete is a territory to delete, and what deleting it takes away: its
// members and (each deleted too, or moved away first) its children.
// Records assigned to it lose the territory; Zoho gives them no other.
type Delete struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Path     string   `json:"path"`
	Members  []string `json:"members"`
	Children []string `json:"children"`
}

// Skip is a membership the file (or an undo) asks for that is left
// alone, and why.
type Skip struct {
	Territory Ref    `json:"territory"`
	Path      string `json:"path"`
	User      string `json:"user"`
	// Op is what was asked: [zohoterritory.OpAddUsers] or
	// [zohoterritory.OpRemoveUsers] (a territory's users).
	Op zohoterritory.Op `json:"op"`
	// Reason is [zohoterritory.ReasonDefaultTerritory],
	// [zohoterritory.ReasonUserInactive],
	// [zohoterritory.ReasonLimitExceeded] or
	// [zohoterritory.ReasonManager].
	Reason  zohoterritory.Reason `json:"reason"`
	Message string               `json:"message"`
}

// fnode is a territory of the file, matched to the org's.
type fnode struct {
	n      *Node
	parent *fnode
	path   string
	// id is the org's territory the node is, key the create's when it is
	// new; neither when its id was refused.
	id, key string
	// suspect: the node, or a parent, gave an id that was refused, so
	// whether it is new is not known.
	suspect bool
	manager string // user id
	users   []string
}

func (f *fnode) ref() Ref { return Ref{ID: f.id, Key: f.key} }

type differ struct {
	f     *File
	ix    *orgIndex
	r     Rules
	ps    *problems
	nodes []*fnode
	// matched: org id → the node that is it.
	matched map[string]*fnode
	// inactive: user id → status, for users listed who are not active.
	inactive map[string]string
}

// Diff compares the file (the desired state, exactly) with the org as
// read and returns what must change. A node with an id is that territory
// (renamed or moved when its name or parent differ); a node without one
// is its parent's child of the same name (ignoring case) when the org has
// one, else new; the org's territories no node is are deleted, with
// AllowDelete. Memberships follow the rules of the membership plans: the
// root's (the default territory's) are never changed, a manager is always
// a member, adds of inactive users and adds past a territory's user limit
// are skipped with their reasons. Every problem with the file, or between
// the file and the org, is reported with its place in one
// [*ProblemsError]; nothing is planned then. It reads and sends nothing.
func Diff(f *File, org *Org, opts Options) (*Intents, error) {
	r, err := opts.Rules.complete()
	if err != nil {
		return nil, err
	}
	if f == nil || f.Root == nil {
		return nil, errors.New("tree: Diff: no file, or a file without territories")
	}
	ix, err := indexOrg(org)
	if err != nil {
		return nil, err
	}
	d := &differ{f: f, ix: ix, r: r, ps: &problems{file: f.Name}, matched: map[string]*fnode{}, inactive: map[string]string{}}
	checkFile(f, r, d.ps)
	d.match()
	for _, n := range d.nodes {
		d.resolve(n)
	}
	d.checkRoot()
	omitted := d.omitted(opts.AllowDelete)
	if count, limit := len(d.nodes)+len(omitted)*boolInt(!opts.AllowDelete), r.limit(org); count > limit {
		d.ps.add(Pos{}, "", "", "the tree would hold %d territories: the org holds at most %d", count, limit)
	}
	if err := d.ps.err(); err != nil {
		return nil, err
	}
	in := &Intents{}
	for _, n := range d.nodes {
		d.intents(n, in)
	}
	for _, id := range omitted {
		t := d.ix.terr(id)
		in.Deletes = append(in.Deletes, Delete{ID: id, Name: t.Name, Path: d.ix.paths[id],
			Members: orEmpty(slices.Clone(org.Members[id])), Children: orEmpty(slices.Clone(d.ix.children[id]))})
	}
	return in, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// match gives each node of the file its org territory, or its key when
// it is new: ids first (an id claims its territory wherever the node is),
// then names under matched parents.
func (d *differ) match() {
	claimed := map[string]bool{}
	walkFile(d.f.Root, func(n *Node, _ string, _ *Node) {
		if zohoterritory.CheckID(n.ID) == nil && d.ix.has(n.ID) {
			claimed[n.ID] = true
		}
	})
	byNode := map[*Node]*fnode{}
	seenID := map[string]bool{}
	walkFile(d.f.Root, func(n *Node, path string, parent *Node) {
		fn := &fnode{n: n, path: path, parent: byNode[parent]}
		byNode[n] = fn
		d.nodes = append(d.nodes, fn)
		isRoot := parent == nil
		if fn.parent != nil && fn.parent.suspect {
			fn.suspect = true
		}
		switch {
		case n.ID != "" && zohoterritory.CheckID(n.ID) != nil, seenID[n.ID]:
			fn.suspect = true // reported by checkFile
		case n.ID != "" && isRoot && n.ID != d.ix.root:
			d.ps.add(n.At("id"), path, "id", "not the org's root territory (%s %q): the file's first territory is the root", d.ix.root, d.ix.terr(d.ix.root).Name)
		case n.ID != "" && !d.ix.has(n.ID):
			d.ps.add(n.At("id"), path, "id", "the org has no territory %s: deleted since the file was written? Leave the id out to create the territory anew", n.ID)
			fn.suspect = true
		case n.ID != "" && !isRoot && n.ID == d.ix.root:
			d.ps.add(n.At("id"), path, "id", "the org's root territory: it stays the root, and is the file's first territory")
			fn.suspect = true
		case n.ID != "":
			fn.id = n.ID
		case isRoot:
		case fn.parent.id != "":
			for _, c := range d.ix.children[fn.parent.id] {
				if !claimed[c] && d.matched[c] == nil && fold(d.ix.terr(c).Name) == fold(n.Name) {
					fn.id = c
					break
				}
			}
		}
		if n.ID != "" {
			seenID[n.ID] = true
		}
		if isRoot {
			fn.id, fn.suspect = d.ix.root, false
		}
		switch {
		case fn.id != "":
			d.matched[fn.id] = fn
		case !fn.suspect:
			fn.key = "new:" + path
			if n.Permission == "" && !n.has("permission") {
				d.ps.add(n.At("permission"), path, "permission", "a new territory needs one: %s or %s", PermissionReadOnly, PermissionReadWriteDelete)
			}
		}
	})
}

// resolve finds the node's manager and users among the org's users.
func (d *differ) resolve(fn *fnode) {
	n := fn.n
	if n.Manager != "" {
		if u, ok := d.user(fn, "manager", -1, n.Manager); ok {
			// A manager kept is no change for Zoho to refuse, even one
			// deactivated since.
			kept := fn.id != "" && d.ix.terr(fn.id).ManagerID == u.ID
			if u.Status != "active" && !kept {
				d.ps.add(n.At("manager"), fn.path, "manager", "%s is %s: a territory's manager must be an active user", n.Manager, status(u))
			}
			fn.manager = u.ID
		}
	}
	seen := make(map[string]bool, len(n.Users))
	for i, ref := range n.Users {
		u, ok := d.user(fn, "users", i, ref)
		if !ok || seen[u.ID] {
			continue
		}
		seen[u.ID] = true
		if u.Status != "active" {
			d.inactive[u.ID] = status(u)
		}
		fn.users = append(fn.users, u.ID)
	}
}

// inactiveMessage is the message of an add skipped because the user is
// not active (status: "inactive", "deleted", ...).
func inactiveMessage(status string) string {
	return fmt.Sprintf("the user is %s: Zoho adds only active users", status)
}

func status(u zohoterritory.User) string {
	if u.Status == "" {
		return "of no known status"
	}
	return u.Status
}

// user resolves a reference given at field of fn's node (its i-th entry,
// for i >= 0), reporting a problem when it names no user or several. The
// entry's name ("users[3]") is made only for a problem: a plan of many
// users resolves them all.
func (d *differ) user(fn *fnode, field string, i int, s string) (zohoterritory.User, bool) {
	ref, err := zohoterritory.ParseUserRef(s)
	if err != nil {
		return zohoterritory.User{}, false // reported by checkFile
	}
	u, err := d.ix.dir.User(ref)
	if err == nil && ref.IsID() {
		if _, known := d.ix.users[ref.ID]; !known {
			err = fmt.Errorf("no user of the org has the id %s", ref.ID)
		}
	}
	if err != nil {
		if i >= 0 {
			field = fmt.Sprintf("%s[%d]", field, i)
		}
		d.ps.add(fn.n.At(field), fn.path, field, "%v", err)
		return zohoterritory.User{}, false
	}
	return u, true
}

// checkRoot refuses changes to the root other than its name: Zoho's
// "Cannot update the Org Territory except Name".
func (d *differ) checkRoot() {
	root, t := d.nodes[0], d.ix.terr(d.ix.root)
	n := root.n
	refuse := func(field, was string) {
		d.ps.add(n.At(field), root.path, field, "the org's root territory: Zoho changes only its name (it has %s)", was)
	}
	// A manager that did not resolve is reported already.
	if root.manager != t.ManagerID && (n.Manager == "" || root.manager != "") {
		refuse("manager", d.describeUser(t.ManagerID))
	}
	if n.Permission != "" && n.Permission != t.Permission {
		refuse("permission", t.Permission)
	}
	if n.Description != t.Description {
		refuse("description", quoteOrNone(t.Description))
	}
	for _, m := range n.Criteria.Changed(t.Criteria) {
		refuse("rules."+m, "other criteria")
	}
}

func (d *differ) describeUser(id string) string {
	if id == "" {
		return "no manager"
	}
	return d.ix.label(id)
}

func quoteOrNone(s string) string {
	if s == "" {
		return "none"
	}
	return fmt.Sprintf("%q", s)
}

// omitted returns the org's territories that no node is, in the org's
// order, and without allowDelete reports each with what deleting it
// would take away.
func (d *differ) omitted(allowDelete bool) []string {
	var out []string
	for _, t := range d.ix.org.Territories {
		if d.matched[t.ID] == nil {
			out = append(out, t.ID)
		}
	}
	if allowDelete {
		return out
	}
	for _, id := range out {
		var away []string
		if m := d.ix.org.Members[id]; len(m) > 0 {
			labels := make([]string, len(m))
			for i, u := range m {
				labels[i] = d.ix.label(u)
			}
			away = append(away, fmt.Sprintf("its %s (%s)", plural(len(m), "member"), strings.Join(labels, ", ")))
		}
		if kids := d.ix.children[id]; len(kids) > 0 {
			names := make([]string, len(kids))
			for i, c := range kids {
				names[i] = fmt.Sprintf("%q", d.ix.paths[c])
			}
			away = append(away, fmt.Sprintf("its %s %s", pluralWord(len(kids), "child", "children"), strings.Join(names, ", ")))
		}
		away = append(away, "the territory from the records assigned to it")
		d.ps.list = append(d.ps.list, Problem{File: d.f.Name, Territory: d.ix.paths[id], Omitted: true,
			Rule: fmt.Sprintf("the org has it (id %s) and the file does not: deleting it, which must be allowed, would take away %s",
				id, strings.Join(away, "; "))})
	}
	return out
}

func plural(n int, word string) string { return fmt.Sprintf("%d %s", n, pluralWord(n, word, word+"s")) }

func pluralWord(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// intents adds what the node needs to in.
func (d *differ) intents(fn *fnode, in *Intents) {
	n := fn.n
	var parent Ref
	if fn.parent != nil {
		parent = fn.parent.ref()
	}
	var have []string
	if fn.key != "" {
		in.Creates = append(in.Creates, Create{Key: fn.key, Name: n.Name, Parent: parent, Permission: n.Permission,
			ManagerID: fn.manager, Description: n.Description, Criteria: n.Criteria.normalized(), Path: fn.path, Line: n.Pos.Line})
	} else {
		t := d.ix.terr(fn.id)
		have = d.ix.org.Members[fn.id]
		u := Update{ID: fn.id, Path: fn.path, Line: n.Pos.Line}
		if was := d.ix.paths[fn.id]; was != fn.path {
			u.Was = was
		}
		if n.Name != t.Name {
			u.Name = &Change{Old: t.Name, New: n.Name}
		}
		if fn.parent != nil && parent.ID != t.ParentID {
			u.Parent = &Move{Old: t.ParentID, New: parent}
		}
		if fn.manager != t.ManagerID {
			u.Manager = &Change{Old: t.ManagerID, New: fn.manager}
		}
		if n.Permission != "" && n.Permission != t.Permission {
			u.Permission = &Change{Old: t.Permission, New: n.Permission}
		}
		if n.Description != t.Description {
			u.Description = &Change{Old: t.Description, New: n.Description}
		}
		if !n.Criteria.Equal(t.Criteria) {
			u.Criteria = &CriteriaChange{Old: t.Criteria.normalized(), New: n.Criteria.normalized()}
		}
		if !u.empty() {
			in.Updates = append(in.Updates, u)
		}
	}
	want := fn.users
	if fn.manager != "" {
		want = append([]string{fn.manager}, slices.DeleteFunc(slices.Clone(want), func(u string) bool { return u == fn.manager })...)
	}
	d.members(fn, want, have, in)
}

// members plans the node's memberships: want (the manager first) against
// have (as read; none for a new territory).
func (d *differ) members(fn *fnode, want, have []string, in *Intents) {
	ref := fn.ref()
	skip := func(user string, op zohoterritory.Op, reason zohoterritory.Reason, msg string) {
		in.Skips = append(in.Skips, Skip{Territory: ref, Path: fn.path, User: user, Op: op, Reason: reason, Message: msg})
	}
	add, remove := setMinus(want, have), setMinus(have, want)
	if fn.parent == nil {
		for _, u := range add {
			skip(u, zohoterritory.OpAddUsers, zohoterritory.ReasonDefaultTerritory, "the organization's default territory: its members are left as Zoho keeps them")
		}
		for _, u := range remove {
			skip(u, zohoterritory.OpRemoveUsers, zohoterritory.ReasonDefaultTerritory, "the organization's default territory: Zoho removes no user from it")
		}
		return
	}
	add = slices.DeleteFunc(add, func(u string) bool {
		if st, ok := d.inactive[u]; ok {
			skip(u, zohoterritory.OpAddUsers, zohoterritory.ReasonUserInactive, inactiveMessage(st))
			return true
		}
		return false
	})
	if room := max(d.r.TerritoryUserLimit-len(have), 0); len(add) > room {
		for _, u := range add[room:] {
			skip(u, zohoterritory.OpAddUsers, zohoterritory.ReasonLimitExceeded, zohoterritory.UserLimitSkipMessage(d.r.TerritoryUserLimit))
		}
		add = add[:room]
	}
	if len(add) > 0 {
		in.Adds = append(in.Adds, Members{Territory: ref, Path: fn.path, Line: fn.n.Pos.Line, Users: add})
	}
	if len(remove) > 0 {
		in.Removes = append(in.Removes, Members{Territory: ref, Path: fn.path, Line: fn.n.Pos.Line, Users: remove})
	}
}

// setMinus returns the elements of a not in b, in a's order, each once.
func setMinus(a, b []string) []string {
	drop := make(map[string]bool, len(b)+len(a))
	for _, x := range b {
		drop[x] = true
	}
	var out []string
	for _, x := range a {
		if !drop[x] {
			drop[x] = true
			out = append(out, x)
		}
	}
	return out
}
