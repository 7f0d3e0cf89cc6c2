package tree

import (
	"fmt"
	"slices"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file turns what a run of a plan made into the intents that take
// it back; [Order] makes them steps against the org as read then, so an
// undo is planned, shown and applied as any plan is.

// RestoreKeyPrefix starts the key of a create that brings back a deleted
// territory: "restore:" and the deleted territory's id.
const RestoreKeyPrefix = "restore:"

// Done is what a run of a plan made, as its journal tells it: only what
// Zoho is known to have made. A journal produces it from its records: a
// create's outcome carries the id Zoho gave it (Created); an update
// item's outcome says whether its territory changed (Freed for the items
// of free_name steps, Updated for those of update steps); a membership
// step's per-user outcomes say which users were added or removed (Added,
// Removed: one entry a step, its users those that succeeded); a delete
// item's outcome says whether the territory is gone (Deleted). An item
// whose answer was lost is settled first (as resume does: a create is
// looked up by name under its parent) or left out.
type Done struct {
	// Created maps the key of each territory the run created to the id
	// Zoho gave it.
	Created map[string]string `json:"created,omitempty"`
	// Freed and Updated are the ids of the territories whose free_name
	// and update items Zoho made.
	Freed   []string `json:"freed,omitempty"`
	Updated []string `json:"updated,omitempty"`
	// Added and Removed are the memberships Zoho changed: a territory (by
	// id, or by the key of a create) and its users.
	Added   []Members `json:"added,omitempty"`
	Removed []Members `json:"removed,omitempty"`
	// Deleted are the ids of the territories the run deleted.
	Deleted []string `json:"deleted,omitempty"`
}

// Empty reports whether the run made nothing: a restore has nothing to
// take back.
func (d Done) Empty() bool {
	return len(d.Created) == 0 && len(d.Freed) == 0 && len(d.Updated) == 0 && len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Deleted) == 0
}

// Undo returns the plan that takes back what a run of p made (done), made
// by [UndoIntents] and [Order] against the org as read now.
func Undo(p *Plan, done Done, org *Org, opts OrderOptions) (*Plan, error) {
	in, err := UndoIntents(p, done, org, opts.Rules)
	if err != nil {
		return nil, err
	}
	return Order(in, org, opts)
}

// undoer works out the intents of an undo.
type undoer struct {
	p     *Plan
	done  Done
	ix    *orgIndex
	r     Rules
	in    *Intents
	was   map[string]Territory // before state by id
	paths map[string]string    // id → path before the run
	// deleted: ids the run deleted; deleting: ids (created by the run)
	// the undo deletes.
	deleted, deleting map[string]bool
	// manager: territory id → its manager when the undo is made.
	manager map[string]string
	// back: id the run deleted → the territory of its name under its
	// parent that the org holds now (an earlier undo made it again).
	back map[string]string
}

// UndoIntents returns the intents that take back what a run of p made
// (done), against the org as read now (org): the territories it created
// are deleted (their members removed first, leaves first), every field it
// changed is put back to its value before the run (names, parents,
// managers, permissions, descriptions, rules), the territories it deleted
// are created again as they were (name, parent — itself created again
// when it was deleted too —, manager, permission, description, rules and
// members; each [Create] says which id it restores), the memberships it
// added are removed and those it removed are added back. What the org
// holds already as it was is left out; adds of users no longer active, or
// past a territory's user limit, are skips. Done naming what p does not
// hold is an error. It reads and sends nothing.
func UndoIntents(p *Plan, done Done, org *Org, rules Rules) (*Intents, error) {
	r, err := rules.complete()
	if err != nil {
		return nil, err
	}
	ix, err := indexOrg(org)
	if err != nil {
		return nil, err
	}
	u := &undoer{p: p, done: done, ix: ix, r: r, in: &Intents{}, was: map[string]Territory{}, paths: map[string]string{},
		deleted: map[string]bool{}, deleting: map[string]bool{}, manager: map[string]string{}, back: map[string]string{}}
	for _, t := range p.Before.Territories {
		u.was[t.ID] = t
	}
	if err := u.check(); err != nil {
		return nil, err
	}
	for _, t := range org.Territories {
		u.manager[t.ID] = t.ManagerID
	}
	if err := u.recreate(); err != nil {
		return nil, err
	}
	u.deleteCreated()
	if err := u.putBack(); err != nil {
		return nil, err
	}
	u.memberships()
	return u.in, nil
}

// check refuses a Done that names what the plan does not hold, and
// gathers where each territory was before the run.
func (u *undoer) check() error {
	creates, freed, updated, deletes := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	steps := map[StepKind]map[string]map[string]bool{StepAdd: {}, StepRemove: {}}
	for _, s := range u.p.Steps {
		for _, c := range s.Creates {
			creates[c.Key] = true
		}
		for _, up := range s.Updates {
			if s.Kind == StepFreeName {
				freed[up.ID] = true
			} else {
				updated[up.ID] = true
			}
			if _, seen := u.paths[up.ID]; !seen {
				u.paths[up.ID] = cmpOr(up.Was, up.Path)
			}
		}
		for _, d := range s.Deletes {
			deletes[d.ID] = true
			u.paths[d.ID] = d.Path
		}
		if m := s.Members; m != nil {
			users := steps[s.Kind][m.Territory.String()]
			if users == nil {
				users = map[string]bool{}
				steps[s.Kind][m.Territory.String()] = users
			}
			for _, id := range m.Users {
				users[id] = true
			}
		}
	}
	for key, id := range u.done.Created {
		if !creates[key] {
			return fmt.Errorf("tree: Undo: the plan creates no %q", key)
		}
		if err := zohoterritory.CheckID(id); err != nil {
			return fmt.Errorf("tree: Undo: the id of %q: %w", key, err)
		}
	}
	for _, c := range []struct {
		what string
		ids  []string
		plan map[string]bool
	}{{"frees the name of", u.done.Freed, freed}, {"updates", u.done.Updated, updated}, {"deletes", u.done.Deleted, deletes}} {
		for _, id := range c.ids {
			if !c.plan[id] {
				return fmt.Errorf("tree: Undo: the plan %s no territory %s", c.what, id)
			}
		}
	}
	for _, c := range []struct {
		kind StepKind
		list []Members
	}{{StepAdd, u.done.Added}, {StepRemove, u.done.Removed}} {
		for _, m := range c.list {
			for _, id := range m.Users {
				if !steps[c.kind][m.Territory.String()][id] {
					return fmt.Errorf("tree: Undo: the plan does not %s user %s in territory %s", c.kind, id, m.Territory)
				}
			}
		}
	}
	for _, id := range u.done.Deleted {
		u.deleted[id] = true
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// parentRef names the territory that was id before the run: itself, or
// its create again when the run deleted it (or the territory that took
// its place already).
func (u *undoer) parentRef(id string) (Ref, error) {
	if b, ok := u.back[id]; ok {
		return Ref{ID: b}, nil
	}
	if u.deleted[id] {
		return Ref{Key: RestoreKeyPrefix + id}, nil
	}
	if !u.ix.has(id) {
		return Ref{}, fmt.Errorf("tree: Undo: territory %s (%q), a parent before the run, is gone", id, u.was[id].Name)
	}
	return Ref{ID: id}, nil
}

// recreate creates again each territory the run deleted, with its
// members, parents before children (the plan deleted leaves first). One
// whose name a territory under its parent holds already (an earlier undo
// of the same run made it again) is that territory: only the members it
// lacks are added.
func (u *undoer) recreate() error {
	ids := slices.Clone(u.done.Deleted)
	slices.Reverse(ids)
	for _, id := range ids {
		t, ok := u.was[id]
		if !ok {
			return fmt.Errorf("tree: Undo: the plan holds no before state of territory %s", id)
		}
		parent, err := u.parentRef(t.ParentID)
		if err != nil {
			return err
		}
		want := slices.Clone(u.p.Before.Members[id])
		if t.ManagerID != "" {
			want = append([]string{t.ManagerID}, slices.DeleteFunc(want, func(m string) bool { return m == t.ManagerID })...)
		}
		if b, ok := u.childNamed(parent.ID, t.Name); ok {
			u.back[id] = b
			u.adds(Ref{ID: b}, u.ix.paths[b], want, u.ix.org.Members[b])
			continue
		}
		key := RestoreKeyPrefix + id
		u.in.Creates = append(u.in.Creates, Create{Key: key, Name: t.Name, Parent: parent, Permission: t.Permission, ManagerID: t.ManagerID,
			Description: t.Description, Criteria: t.Criteria.normalized(), Path: u.paths[id], Restores: id})
		u.adds(Ref{Key: key}, u.paths[id], want, nil)
	}
	return nil
}

// childNamed returns the org's territory of the name (ignoring case) under
// the parent that the plan knows nothing of: neither one it found (it may
// have renamed it so) nor one the run created (the undo deletes it). None
// under a parent the undo creates.
func (u *undoer) childNamed(parent, name string) (string, bool) {
	if parent == "" {
		return "", false
	}
	for _, c := range u.ix.children[parent] {
		if _, known := u.was[c]; known || u.createdIDs()[c] || fold(u.ix.terr(c).Name) != fold(name) {
			continue
		}
		return c, true
	}
	return "", false
}

// createdIDs returns the ids of the territories the run created.
func (u *undoer) createdIDs() map[string]bool {
	out := make(map[string]bool, len(u.done.Created))
	for _, id := range u.done.Created {
		out[id] = true
	}
	return out
}

// deleteCreated deletes each territory the run created that the org
// still holds, its members removed first (its manager, whom Zoho keeps,
// aside).
func (u *undoer) deleteCreated() {
	keys := make([]string, 0, len(u.done.Created))
	for _, s := range u.p.Steps {
		for _, c := range s.Creates {
			if _, ok := u.done.Created[c.Key]; ok {
				keys = append(keys, c.Key)
			}
		}
	}
	for _, key := range keys {
		id := u.done.Created[key]
		if !u.ix.has(id) {
			continue
		}
		u.deleting[id] = true
		t := u.ix.terr(id)
		members := orEmpty(slices.Clone(u.ix.org.Members[id]))
		u.in.Deletes = append(u.in.Deletes, Delete{ID: id, Name: t.Name, Path: u.ix.paths[id], Members: members, Children: orEmpty(slices.Clone(u.ix.children[id]))})
		u.removes(Ref{ID: id}, u.ix.paths[id], members, t.ManagerID)
	}
}

// putBack returns each field a done update or free changed to its value
// before the run, when the org holds another now.
func (u *undoer) putBack() error {
	changed := map[string]map[string]bool{} // id → fields
	mark := func(id string, fields ...string) {
		if changed[id] == nil {
			changed[id] = map[string]bool{}
		}
		for _, f := range fields {
			changed[id][f] = true
		}
	}
	var order []string
	freed, updated := sliceSet(u.done.Freed), sliceSet(u.done.Updated)
	for _, s := range u.p.Steps {
		for _, up := range s.Updates {
			if (s.Kind == StepFreeName && !freed[up.ID]) || (s.Kind == StepUpdate && !updated[up.ID]) || u.deleted[up.ID] {
				continue
			}
			if changed[up.ID] == nil {
				order = append(order, up.ID)
			}
			mark(up.ID)
			for f, c := range map[string]bool{"name": up.Name != nil, "parent": up.Parent != nil, "manager": up.Manager != nil,
				"permission": up.Permission != nil, "description": up.Description != nil, "rules": up.Criteria != nil} {
				if c {
					mark(up.ID, f)
				}
			}
		}
	}
	for _, id := range order {
		was, ok := u.was[id]
		if !ok || !u.ix.has(id) {
			continue // gone since: nothing to put back
		}
		now := u.ix.terr(id)
		f := changed[id]
		up := Update{ID: id, Path: u.paths[id]}
		if now := u.ix.paths[id]; now != up.Path {
			up.Was = now
		}
		if f["name"] && now.Name != was.Name {
			up.Name = &Change{Old: now.Name, New: was.Name}
		}
		if f["parent"] && now.ParentID != was.ParentID {
			parent, err := u.parentRef(was.ParentID)
			if err != nil {
				return err
			}
			up.Parent = &Move{Old: now.ParentID, New: parent}
		}
		if f["manager"] && now.ManagerID != was.ManagerID {
			up.Manager = &Change{Old: now.ManagerID, New: was.ManagerID}
			u.manager[id] = was.ManagerID
		}
		if f["permission"] && now.Permission != was.Permission {
			up.Permission = &Change{Old: now.Permission, New: was.Permission}
		}
		if f["description"] && now.Description != was.Description {
			up.Description = &Change{Old: now.Description, New: was.Description}
		}
		if f["rules"] && !now.Criteria.Equal(was.Criteria) {
			up.Criteria = &CriteriaChange{Old: now.Criteria.normalized(), New: was.Criteria.normalized()}
		}
		if !up.empty() {
			u.in.Updates = append(u.in.Updates, up)
		}
	}
	return nil
}

func sliceSet(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// memberships removes what the run added and adds back what it removed,
// where the org holds it otherwise now.
func (u *undoer) memberships() {
	for _, m := range u.done.Added {
		id := m.Territory.ID
		if m.Territory.Key != "" {
			id = u.done.Created[m.Territory.Key]
		}
		if id == "" || !u.ix.has(id) || u.deleting[id] {
			continue // gone, or its members are removed before its delete
		}
		var members []string
		for _, user := range m.Users {
			if u.ix.members[id][user] {
				members = append(members, user)
			}
		}
		u.removes(Ref{ID: id}, u.ix.paths[id], members, u.manager[id])
	}
	for _, m := range u.done.Removed {
		id := m.Territory.ID
		if !u.ix.has(id) {
			continue
		}
		u.adds(Ref{ID: id}, u.ix.paths[id], m.Users, u.ix.org.Members[id])
	}
}

// adds plans adding want to the territory, which holds have: users no
// longer active, and those past the user limit, are skipped.
func (u *undoer) adds(ref Ref, path string, want, have []string) {
	add := setMinus(want, have)
	add = slices.DeleteFunc(add, func(user string) bool {
		if st := u.ix.users[user].Status; st != "active" {
			u.in.Skips = append(u.in.Skips, Skip{Territory: ref, Path: path, User: user, Op: zohoterritory.OpAddUsers, Reason: zohoterritory.ReasonUserInactive,
				Message: inactiveMessage(status(u.ix.users[user]))})
			return true
		}
		return false
	})
	if room := max(u.r.TerritoryUserLimit-len(have), 0); len(add) > room {
		for _, user := range add[room:] {
			u.in.Skips = append(u.in.Skips, Skip{Territory: ref, Path: path, User: user, Op: zohoterritory.OpAddUsers, Reason: zohoterritory.ReasonLimitExceeded,
				Message: zohoterritory.UserLimitSkipMessage(u.r.TerritoryUserLimit)})
		}
		add = add[:room]
	}
	if len(add) > 0 {
		u.in.Adds = append(u.in.Adds, Members{Territory: ref, Path: path, Users: add})
	}
}

// removes plans removing users from the territory, its manager (whom Zoho
// keeps) aside.
func (u *undoer) removes(ref Ref, path string, users []string, manager string) {
	var remove []string
	for _, user := range users {
		if user == manager {
			u.in.Skips = append(u.in.Skips, Skip{Territory: ref, Path: path, User: user, Op: zohoterritory.OpRemoveUsers, Reason: zohoterritory.ReasonManager,
				Message: "the user manages the territory"})
			continue
		}
		remove = append(remove, user)
	}
	if len(remove) > 0 {
		u.in.Removes = append(u.in.Removes, Members{Territory: ref, Path: path, Users: remove})
	}
}
