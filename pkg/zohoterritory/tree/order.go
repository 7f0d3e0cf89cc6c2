package tree

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file orders intents into steps Zoho accepts one after the other,
// as Terraform walks its graph: names wanted by others freed first, then
// creates (parents first), updates and moves (shallowest final place
// first, so that no step makes a cycle), member adds, member removals,
// deletes (leaves first). The org's territory limit holds after every
// step, and names stay unique (ignoring case) after every step.

// TempNamePrefix starts the temporary name a territory holds while
// another takes its name: "~zt <tag> <its name>", cut to the name length.
const TempNamePrefix = "~zt "

// OrderOptions say how [Order] makes a plan.
type OrderOptions struct {
	// Rules are Zoho's rules; zero fields take their defaults.
	Rules Rules
	// Tag makes the temporary names of this plan unique, such as 8 hex
	// digits of the run's id; "" derives one from the intents, so that
	// the same intents give the same plan.
	Tag string
	// Created is when the plan is made (the caller's clock); Source the
	// file it was made from. Both are only recorded.
	Created time.Time
	Source  string
}

// model is the tree as it stands between steps: territories by id or
// create key.
type model struct {
	name, parent map[string]string
}

type orderer struct {
	in   *Intents
	ix   *orgIndex
	r    Rules
	plan *Plan
	// final is the tree the intents make; depth each territory's depth in it.
	final *model
	depth map[string]int
	// deleted: ids the intents delete; early: those deleted before the
	// creates, for the limit.
	deleted, early map[string]bool
	// temp: id → the temporary name it holds.
	temp map[string]string
	// gone: ids whose delete steps are made already.
	gone map[string]bool
}

// Order turns intents into a [Plan] of steps against the org as read:
//
//  1. free names: a territory whose name (ignoring case) another wants is
//     first renamed to a temporary name (swaps go through one);
//  2. creates, in waves: a call holds only territories whose parents
//     exist already, at most [Rules].CreatesPerCall;
//  3. updates and moves, moves by the depth they end at, shallowest first,
//     so that no territory is ever moved under itself; a call holds at
//     most [Rules].UpdatesPerCall;
//  4. member adds (a territory a step), then 5. member removals;
//  6. deletes, leaves first, a call holding only territories whose
//     children are gone, at most [Rules].DeletesPerCall.
//
// The org's territory limit holds after every step: when the creates
// would pass it before the deletes free room, deletes of whole subtrees
// that need no earlier step go first, as many as needed; when that is not
// enough, a [*ProblemsError] names the limit and the counts. Intents that
// contradict the org or each other (a territory that does not exist, a
// final tree with a cycle or a name twice) are an error. It reads and
// sends nothing.
func Order(in *Intents, org *Org, opts OrderOptions) (*Plan, error) {
	r, err := opts.Rules.complete()
	if err != nil {
		return nil, err
	}
	ix, err := indexOrg(org)
	if err != nil {
		return nil, err
	}
	in = in.clone() // Order sets paths; the caller's intents stay as they are
	o := &orderer{in: in, ix: ix, r: r, deleted: map[string]bool{}, early: map[string]bool{}, temp: map[string]string{}, gone: map[string]bool{},
		plan: &Plan{Format: PlanFormat, Version: PlanVersion, Created: opts.Created, APIDomain: org.APIDomain, APIVersion: org.APIVersion,
			Source: opts.Source, Steps: []Step{}, Skips: orEmptySkips(slices.Clone(in.Skips))}}
	if err := o.finalTree(); err != nil {
		return nil, err
	}
	if err := o.earlyDeletes(opts.Source); err != nil {
		return nil, err
	}
	tag, err := planTag(opts.Tag, in, org)
	if err != nil {
		return nil, err
	}
	o.paths()
	o.freeNames(tag)
	o.creates()
	o.updates()
	for _, m := range in.Adds {
		if len(m.Users) > 0 {
			o.plan.Steps = append(o.plan.Steps, Step{Kind: StepAdd, Members: &Members{Territory: m.Territory, Path: m.Path, Line: m.Line, Users: slices.Clone(m.Users)}})
		}
	}
	for _, m := range in.Removes {
		if len(m.Users) > 0 {
			o.plan.Steps = append(o.plan.Steps, Step{Kind: StepRemove, Members: &Members{Territory: m.Territory, Path: m.Path, Line: m.Line, Users: slices.Clone(m.Users)}})
		}
	}
	if err := o.deletes(); err != nil {
		return nil, err
	}
	o.before()
	return o.plan, nil
}

// clone copies the lists of in, so that their items can be changed.
func (in *Intents) clone() *Intents {
	return &Intents{Creates: slices.Clone(in.Creates), Updates: slices.Clone(in.Updates), Adds: slices.Clone(in.Adds),
		Removes: slices.Clone(in.Removes), Deletes: slices.Clone(in.Deletes), Skips: slices.Clone(in.Skips)}
}

func orEmptySkips(s []Skip) []Skip {
	if s == nil {
		return []Skip{}
	}
	return s
}

// planTag returns the tag of the temporary names: the one given, or 8 hex
// digits of a hash of what the plan does.
func planTag(tag string, in *Intents, org *Org) (string, error) {
	if tag != "" {
		if len(tag) > 16 || strings.ContainsAny(tag, " \t\r\n") {
			return "", fmt.Errorf("tree: OrderOptions.Tag %q: want at most 16 characters and no spaces", tag)
		}
		return tag, nil
	}
	h := fnv.New32a()
	b, err := json.Marshal(in)
	if err != nil {
		return "", err
	}
	_, _ = h.Write(b) // a hash's Write never fails
	_, _ = h.Write([]byte(org.APIDomain))
	return fmt.Sprintf("%08x", h.Sum32()), nil
}

// finalTree works out the tree the intents make, refusing intents that
// name what does not exist or that make no tree.
func (o *orderer) finalTree() error {
	f := &model{name: map[string]string{}, parent: map[string]string{}}
	for _, d := range o.in.Deletes {
		switch {
		case !o.ix.has(d.ID):
			return fmt.Errorf("tree: Order: delete of %s: the org has no such territory", d.ID)
		case d.ID == o.ix.root:
			return errors.New("tree: Order: the org's root territory cannot be deleted")
		case o.deleted[d.ID]:
			return fmt.Errorf("tree: Order: territory %s is deleted twice", d.ID)
		}
		o.deleted[d.ID] = true
	}
	for _, t := range o.ix.org.Territories {
		if !o.deleted[t.ID] {
			f.name[t.ID], f.parent[t.ID] = t.Name, t.ParentID
		}
	}
	for _, c := range o.in.Creates {
		if c.Key == "" || allDigits(c.Key) {
			return fmt.Errorf("tree: Order: create %q: its key %q must not be empty or an id", c.Name, c.Key)
		}
		if _, dup := f.name[c.Key]; dup {
			return fmt.Errorf("tree: Order: two creates have the key %q", c.Key)
		}
		f.name[c.Key], f.parent[c.Key] = c.Name, c.Parent.String()
	}
	updated := map[string]bool{}
	for _, u := range o.in.Updates {
		switch {
		case !o.ix.has(u.ID) || o.deleted[u.ID]:
			return fmt.Errorf("tree: Order: update of %s: the org has no such territory, or the plan deletes it", u.ID)
		case updated[u.ID]:
			return fmt.Errorf("tree: Order: territory %s is updated twice", u.ID)
		case u.ID == o.ix.root && u.Parent != nil:
			return errors.New("tree: Order: the org's root territory cannot move")
		}
		updated[u.ID] = true
		if u.Name != nil {
			f.name[u.ID] = u.Name.New
		}
		if u.Parent != nil {
			f.parent[u.ID] = u.Parent.New.String()
		}
	}
	for id, p := range f.parent {
		if _, ok := f.name[p]; !ok && id != o.ix.root {
			return fmt.Errorf("tree: Order: territory %s would report to %s, which the plan does not keep", id, p)
		}
	}
	for _, m := range o.in.Adds {
		if _, ok := f.name[m.Territory.String()]; !ok {
			return fmt.Errorf("tree: Order: adds to %s: the plan does not keep that territory", m.Territory)
		}
	}
	for _, m := range o.in.Removes { // before a delete, as an undo's are
		if _, ok := f.name[m.Territory.String()]; !ok && !o.deleted[m.Territory.ID] {
			return fmt.Errorf("tree: Order: removals from %s: the plan neither keeps nor deletes that territory", m.Territory)
		}
	}
	// Depths from the root; a territory not reached is in a cycle.
	o.depth = map[string]int{o.ix.root: 0}
	kids := map[string][]string{}
	for id, p := range f.parent {
		kids[p] = append(kids[p], id)
	}
	queue := []string{o.ix.root}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, c := range kids[id] {
			o.depth[c] = o.depth[id] + 1
			queue = append(queue, c)
		}
	}
	if len(o.depth) != len(f.name) {
		return errors.New("tree: Order: the territories the plan keeps would not form one tree (a cycle)")
	}
	holder := map[string]string{}
	for id, n := range f.name {
		if other, dup := holder[fold(n)]; dup {
			return fmt.Errorf("tree: Order: territories %s and %s would both be named %q", min(id, other), max(id, other), n)
		}
		holder[fold(n)] = id
	}
	o.final = f
	return nil
}

// paths sets the path of each create, update and membership change to
// where its territory ends, and each update's Was to where it was when
// that differs.
func (o *orderer) paths() {
	final := map[string]string{}
	var path func(id string) string
	path = func(id string) string {
		if p, ok := final[id]; ok {
			return p
		}
		p := o.final.name[id]
		if parent := o.final.parent[id]; parent != o.ix.root && id != o.ix.root {
			p = path(parent) + "/" + p
		}
		final[id] = p
		return p
	}
	for i := range o.in.Creates {
		o.in.Creates[i].Path = path(o.in.Creates[i].Key)
	}
	for i := range o.in.Updates {
		u := &o.in.Updates[i]
		u.Path, u.Was = path(u.ID), ""
		if was := o.ix.paths[u.ID]; was != u.Path {
			u.Was = was
		}
	}
	for _, list := range [][]Members{o.in.Adds, o.in.Removes} {
		for i := range list {
			if id := list[i].Territory.String(); !o.deleted[id] {
				list[i].Path = path(id)
			}
		}
	}
}

// earlyDeletes chooses the deletes that go before the creates, so that
// the creates do not take the org past its limit: whole subtrees the plan
// deletes (none of whose members it removes first), leaves first, as many
// as needed.
func (o *orderer) earlyDeletes(source string) error {
	count, limit := len(o.ix.org.Territories), o.r.limit(o.ix.org)
	need := count + len(o.in.Creates) - limit
	if need <= 0 {
		return nil
	}
	removing := map[string]bool{} // the members of which go first
	for _, m := range o.in.Removes {
		removing[m.Territory.ID] = true
	}
	var eligible []string // leaves first
	var walk func(id string) bool
	walk = func(id string) bool {
		all := true
		for _, c := range o.ix.children[id] {
			all = walk(c) && all
		}
		if all && o.deleted[id] && !removing[id] {
			eligible = append(eligible, id)
			return true
		}
		return false
	}
	walk(o.ix.root)
	if len(eligible) < need {
		ps := &problems{file: source}
		ps.add(Pos{}, "", "", "the org holds %d territories and at most %d: the plan creates %d, and can delete only %d before it creates (deletes wait for moves); make room first, or create less",
			count, limit, len(o.in.Creates), len(eligible))
		return ps.err()
	}
	var ids []string
	for _, id := range eligible[:need] {
		o.early[id] = true
		ids = append(ids, id)
	}
	return o.deleteSteps(ids)
}

// deleteSteps adds the delete calls of ids, leaves first: a call holds
// only territories whose children are gone. The territories under each
// are deleted too (among ids, or earlier), or moved away: finalTree
// refuses a plan that keeps a territory under one it deletes.
func (o *orderer) deleteSteps(ids []string) error {
	byID := map[string]Delete{}
	for _, d := range o.in.Deletes {
		byID[d.ID] = d
	}
	for len(ids) > 0 {
		var wave, rest []string
		for _, id := range ids {
			ready := true
			for _, c := range o.ix.children[id] {
				ready = ready && (!o.deleted[c] || o.gone[c])
			}
			if ready {
				wave = append(wave, id)
			} else {
				rest = append(rest, id)
			}
		}
		if len(wave) == 0 {
			return fmt.Errorf("tree: Order: territory %s keeps a child the plan neither deletes nor moves", rest[0])
		}
		for chunk := range slices.Chunk(wave, o.r.DeletesPerCall) {
			s := Step{Kind: StepDelete}
			for _, id := range chunk {
				s.Deletes = append(s.Deletes, byID[id])
			}
			o.plan.Steps = append(o.plan.Steps, s)
		}
		for _, id := range wave {
			o.gone[id] = true
		}
		ids = rest
	}
	return nil
}

// freeNames renames to a temporary name each territory whose name
// another wants: the final name of a create or of a rename.
func (o *orderer) freeNames(tag string) {
	wanted := map[string]string{} // folded name → who wants it
	for _, c := range o.in.Creates {
		wanted[fold(c.Name)] = c.Key
	}
	for _, u := range o.in.Updates {
		if u.Name != nil {
			wanted[fold(u.Name.New)] = u.ID
		}
	}
	taken := map[string]bool{}
	for _, t := range o.ix.org.Territories {
		taken[fold(t.Name)] = true
	}
	for _, n := range o.final.name {
		taken[fold(n)] = true
	}
	var frees []Update
	for _, t := range o.ix.org.Territories {
		if w, ok := wanted[fold(t.Name)]; !ok || w == t.ID || o.early[t.ID] {
			continue
		}
		name := tempName(tag, t.Name, o.r.NameLength, taken)
		taken[fold(name)] = true
		o.temp[t.ID] = name
		frees = append(frees, Update{ID: t.ID, Path: o.ix.paths[t.ID], Name: &Change{Old: t.Name, New: name}})
	}
	for chunk := range slices.Chunk(frees, o.r.UpdatesPerCall) {
		o.plan.Steps = append(o.plan.Steps, Step{Kind: StepFreeName, Updates: chunk})
	}
}

// tempName returns a temporary name for a territory named name, unique
// among taken (folded names): the prefix, which makes it unique, whole,
// and as much of the name as the length leaves room for.
func tempName(tag, name string, length int, taken map[string]bool) string {
	for n := 1; ; n++ {
		prefix := TempNamePrefix + tag + " "
		if n > 1 {
			prefix = fmt.Sprintf("%s%s-%d ", TempNamePrefix, tag, n)
		}
		s := strings.TrimRight(prefix+truncate(name, length-utf8.RuneCountInString(prefix)), " ")
		if !taken[fold(s)] {
			return s
		}
	}
}

// truncate cuts s to at most n characters.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:max(n, 0)])
}

// creates adds the create calls: a wave per depth below the territories
// that exist, each wave in calls of at most CreatesPerCall.
func (o *orderer) creates() {
	wave := map[string]int{}
	var waveOf func(c Create) int
	byKey := map[string]Create{}
	for _, c := range o.in.Creates {
		byKey[c.Key] = c
	}
	waveOf = func(c Create) int {
		if w, ok := wave[c.Key]; ok {
			return w
		}
		w := 0
		if p, isNew := byKey[c.Parent.Key]; c.Parent.Key != "" && isNew {
			w = waveOf(p) + 1
		}
		wave[c.Key] = w
		return w
	}
	creates := slices.Clone(o.in.Creates)
	for _, c := range creates {
		waveOf(c)
	}
	slices.SortStableFunc(creates, func(a, b Create) int { return wave[a.Key] - wave[b.Key] })
	for _, w := range chunkBy(creates, func(c Create) int { return wave[c.Key] }, o.r.CreatesPerCall) {
		o.plan.Steps = append(o.plan.Steps, Step{Kind: StepCreate, Creates: w})
	}
}

// updates adds the update calls: moves by the depth they end at,
// shallowest first (when a territory moves under another, every
// territory shallower than it has its final parent already, so it is not
// among its new parent's ancestors); updates that move nothing with the
// first moves.
func (o *orderer) updates() {
	var updates []Update
	first := -1
	for _, u := range o.in.Updates {
		if u.empty() {
			continue
		}
		if u.Name != nil {
			if t, freed := o.temp[u.ID]; freed {
				u.Name = &Change{Old: t, New: u.Name.New}
			}
		}
		if u.Parent != nil && (first < 0 || o.depth[u.ID] < first) {
			first = o.depth[u.ID]
		}
		updates = append(updates, u)
	}
	key := func(u Update) int {
		if u.Parent == nil {
			return max(first, 0)
		}
		return o.depth[u.ID]
	}
	slices.SortStableFunc(updates, func(a, b Update) int { return key(a) - key(b) })
	for _, w := range chunkBy(updates, key, o.r.UpdatesPerCall) {
		o.plan.Steps = append(o.plan.Steps, Step{Kind: StepUpdate, Updates: w})
	}
}

// chunkBy splits items (sorted by wave) into calls of at most n, a call
// never holding two waves.
func chunkBy[T any](items []T, wave func(T) int, n int) [][]T {
	var out [][]T
	for len(items) > 0 {
		end := 1
		for end < len(items) && end < n && wave(items[end]) == wave(items[0]) {
			end++
		}
		out = append(out, items[:end:end])
		items = items[end:]
	}
	return out
}

// deletes adds the delete calls of what the early deletes left.
func (o *orderer) deletes() error {
	var ids []string
	for _, t := range o.ix.org.Territories {
		if o.deleted[t.ID] && !o.early[t.ID] {
			ids = append(ids, t.ID)
		}
	}
	return o.deleteSteps(ids)
}

// before records what the plan assumes of the org: each territory a step
// names (as the one it changes, its parent, old or new), and the members
// of each territory whose members it changes or that it deletes.
func (o *orderer) before() {
	touched := map[string]bool{}
	members := map[string]bool{}
	users := map[string]bool{}
	touch := func(r Ref) {
		if r.ID != "" {
			touched[r.ID] = true
		}
	}
	for _, s := range o.plan.Steps {
		for _, c := range s.Creates {
			touch(c.Parent)
			users[c.ManagerID] = true
		}
		for _, u := range s.Updates {
			touched[u.ID] = true
			if u.Parent != nil {
				touched[u.Parent.Old] = true
				touch(u.Parent.New)
			}
			if u.Manager != nil {
				users[u.Manager.Old], users[u.Manager.New] = true, true
			}
		}
		if m := s.Members; m != nil {
			touch(m.Territory)
			members[m.Territory.ID] = true
			for _, u := range m.Users {
				users[u] = true
			}
		}
		for _, d := range s.Deletes {
			touched[d.ID], members[d.ID] = true, true
			for _, u := range d.Members {
				users[u] = true
			}
		}
	}
	for _, sk := range o.plan.Skips {
		users[sk.User] = true
	}
	b := Before{Territories: []Territory{}, Members: map[string][]string{}}
	for _, t := range o.ix.org.Territories {
		if touched[t.ID] {
			t.Criteria = t.Criteria.normalized()
			b.Territories = append(b.Territories, t)
		}
		if members[t.ID] {
			b.Members[t.ID] = orEmpty(slices.Clone(o.ix.org.Members[t.ID]))
		}
	}
	o.plan.Before = b
	for id := range users {
		if l := o.ix.label(id); l != id {
			if o.plan.Users == nil {
				o.plan.Users = map[string]string{}
			}
			o.plan.Users[id] = l
		}
	}
}

func allDigits(s string) bool { return s != "" && zohoterritory.CheckID(s) == nil }
