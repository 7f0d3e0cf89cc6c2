package tree

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file is the plan as a value: its steps, what it assumed of the
// org, its totals, what it does to each territory (for people), and its
// saved form, versioned JSON read back strictly.

// PlanFormat is the value of every saved tree plan's "format".
const PlanFormat = "zohoterritory-tree-plan"

// PlanVersion is the saved tree plan format this package writes and
// reads.
const PlanVersion = 1

// StepKind is what a [Step] does.
type StepKind string

// The kinds of steps, in the order a plan makes them.
const (
	// StepFreeName renames territories to temporary names (Updates, each
	// of the name only), so that others can take their names.
	StepFreeName StepKind = "free_name"
	// StepCreate creates territories (Creates) whose parents exist.
	StepCreate StepKind = "create"
	// StepUpdate changes territories' fields and parents (Updates).
	StepUpdate StepKind = "update"
	// StepAdd adds users to a territory (Members).
	StepAdd StepKind = "add"
	// StepRemove removes users from a territory (Members).
	StepRemove StepKind = "remove"
	// StepDelete deletes territories (Deletes) whose children are gone,
	// with delete_previous_forecasts=false.
	StepDelete StepKind = "delete"
)

// Step is one step of a [Plan]: one call of create, update or delete
// (within Zoho's per-call caps), or one territory's member adds or
// removals, which [zohoterritory.Client.ApplySet] sends in as many calls
// as it needs. A step may name a territory the plan creates by its key
// ([Ref]): its id is known once the create's answer is.
type Step struct {
	Kind    StepKind `json:"kind"`
	Creates []Create `json:"creates,omitempty"`
	Updates []Update `json:"updates,omitempty"`
	Members *Members `json:"members,omitempty"`
	Deletes []Delete `json:"deletes,omitempty"`
}

// Before is what a plan assumed of the org when it was made: each
// territory a step names (changed, freed, deleted, or the parent of one
// created or moved) as read, and the members as read of each territory
// whose members the plan changes or that it deletes.
type Before struct {
	Territories []Territory         `json:"territories"`
	Members     map[string][]string `json:"members"`
}

// Plan is a change of the org's territory tree computed, not yet made:
// its steps in the order they are made, the memberships left alone and
// why, and what it assumed of the org. Build one with [Diff] and [Order]
// (or [Undo]); save it with [Plan.WriteTo] and read it back with
// [ReadPlan].
type Plan struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	Created    time.Time `json:"created"`
	APIDomain  string    `json:"api_domain,omitempty"`
	APIVersion string    `json:"api_version,omitempty"`
	// Source is the file the plan was made from.
	Source string `json:"source,omitempty"`
	Steps  []Step `json:"steps"`
	Skips  []Skip `json:"skips"`
	Before Before `json:"before"`
	// Users are the e-mail addresses of the users the plan names, by id,
	// for people (an address another user shares is left out).
	Users map[string]string `json:"users,omitempty"`
}

// Territory returns the territory as the plan found it.
func (p *Plan) Territory(id string) (Territory, bool) {
	for _, t := range p.Before.Territories {
		if t.ID == id {
			return t, true
		}
	}
	return Territory{}, false
}

// UserLabel returns the user's e-mail address when the plan knows it,
// else the id; "" for "".
func (p *Plan) UserLabel(id string) string {
	if e, ok := p.Users[id]; ok {
		return e
	}
	return id
}

// Totals counts what a plan does.
type Totals struct {
	// Create, Update and Delete count territories; a territory renamed
	// through a temporary name is one update, and one freed and then
	// deleted is one delete.
	Create, Update, Delete int
	// Add and Remove count memberships.
	Add, Remove int
}

// String is the line a person reads first: "Plan: 2 to create, 3 to
// update, 1 to delete; 14 memberships to add, 6 to remove".
func (t Totals) String() string {
	return fmt.Sprintf("Plan: %d to create, %d to update, %d to delete; %d %s to add, %d to remove",
		t.Create, t.Update, t.Delete, t.Add, pluralWord(t.Add, "membership", "memberships"), t.Remove)
}

// Totals counts the plan's territories and memberships.
func (p *Plan) Totals() Totals {
	var t Totals
	updated, deleted := map[string]bool{}, map[string]bool{}
	for _, s := range p.Steps {
		t.Create += len(s.Creates)
		for _, u := range s.Updates {
			updated[u.ID] = true
		}
		for _, d := range s.Deletes {
			deleted[d.ID] = true
		}
		if s.Members != nil && s.Kind == StepAdd {
			t.Add += len(s.Members.Users)
		}
		if s.Members != nil && s.Kind == StepRemove {
			t.Remove += len(s.Members.Users)
		}
	}
	for id := range updated {
		if !deleted[id] {
			t.Update++
		}
	}
	t.Delete = len(deleted)
	return t
}

// HasChanges reports whether applying the plan would send anything.
func (p *Plan) HasChanges() bool { return len(p.Steps) > 0 }

// Action is what a plan does to a territory, as Terraform shows it.
type Action string

// The actions of a [TerritoryChange].
const (
	ActionCreate  Action = "create"  // +
	ActionUpdate  Action = "update"  // ~ its fields, and maybe its members
	ActionMembers Action = "members" // ~ its members only
	ActionDelete  Action = "delete"  // -
)

// Symbol is Terraform's sign for the action: "+", "~" or "-".
func (a Action) Symbol() string {
	switch a {
	case ActionCreate:
		return "+"
	case ActionDelete:
		return "-"
	}
	return "~"
}

// TerritoryChange is what a plan does to one territory, for people.
type TerritoryChange struct {
	Action    Action
	Territory Ref
	// Name and Path are the territory's at the end (a deleted one's as
	// read); Line is its line in the file (0 when none).
	Name, Path string
	Line       int
	// Fields are the fields that change, old → new, in the order name,
	// parent, manager, permission, description, rules.accounts,
	// rules.leads, rules.deals; a create's have no old values.
	Fields []FieldChange
	// Added and Removed are the users (ids; [Plan.UserLabel] names them)
	// whose membership changes; Skips those left alone.
	Added, Removed []string
	Skips          []Skip
	// Delete is what deleting the territory takes away; Children says of
	// each of its children what the plan does to it first.
	Delete   *Delete
	Children []Child
	// Restores is the id of the deleted territory a create of [Undo]
	// brings back.
	Restores string
}

// Child is a child of a territory a plan deletes: Zoho deletes no
// territory that has children, so the plan deletes it first (Deleted), or
// moves it away first, to the parent the file gives it.
type Child struct {
	// ID and Name are the child's as read; Path is where it ends (a
	// deleted one's, where it was).
	ID, Name, Path string
	Deleted        bool
}

// FieldChange is one field's old and new value as people read them:
// users by e-mail address, parents by name, rules as compact JSON, ""
// for none.
type FieldChange struct {
	Field    string
	Old, New string
}

// Changes says, territory by territory, what the plan does: creates,
// updates and membership changes in the file's order (by path for a plan
// that comes from no file), then deletes by path.
func (p *Plan) Changes() []TerritoryChange {
	var out []*TerritoryChange
	at := map[string]*TerritoryChange{}
	get := func(r Ref, path string, line int) *TerritoryChange {
		if c, ok := at[r.String()]; ok {
			return c
		}
		c := &TerritoryChange{Action: ActionMembers, Territory: r, Path: path, Line: line, Name: lastName(path)}
		at[r.String()] = c
		out = append(out, c)
		return c
	}
	finalName := map[string]string{}
	freed := map[string]string{}
	for _, s := range p.Steps {
		for _, c := range s.Creates {
			finalName[c.Key] = c.Name
		}
		for _, u := range s.Updates {
			if u.Name != nil && s.Kind == StepFreeName {
				freed[u.ID] = u.Name.Old
			} else if u.Name != nil {
				finalName[u.ID] = u.Name.New
			}
		}
	}
	// nameOf names a territory as read (was) or as it ends.
	nameOf := func(r Ref, was bool) string {
		if n, ok := finalName[r.String()]; ok && !was {
			return n
		}
		if t, ok := p.Territory(r.ID); ok {
			return t.Name
		}
		return r.String()
	}
	for _, s := range p.Steps {
		for _, cr := range s.Creates {
			c := get(Ref{Key: cr.Key}, cr.Path, cr.Line)
			c.Action, c.Name, c.Restores = ActionCreate, cr.Name, cr.Restores
			c.Fields = createFields(p, cr, nameOf)
		}
		if s.Kind == StepUpdate {
			for _, u := range s.Updates {
				c := get(Ref{ID: u.ID}, u.Path, u.Line)
				c.Action = ActionUpdate
				c.Fields = updateFields(p, u, freed, nameOf)
			}
		}
		if m := s.Members; m != nil {
			c := get(m.Territory, m.Path, m.Line)
			if s.Kind == StepAdd {
				c.Added = append(c.Added, m.Users...)
			} else {
				c.Removed = append(c.Removed, m.Users...)
			}
		}
	}
	for _, sk := range p.Skips {
		c := get(sk.Territory, sk.Path, 0)
		c.Skips = append(c.Skips, sk)
	}
	slices.SortStableFunc(out, func(a, b *TerritoryChange) int {
		if (a.Line == 0) != (b.Line == 0) {
			return cmp.Compare(b.Line, a.Line)
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), comparePaths(a.Path, b.Path))
	})
	var dels []*TerritoryChange
	for _, s := range p.Steps {
		for _, d := range s.Deletes {
			d := d
			dels = append(dels, &TerritoryChange{Action: ActionDelete, Territory: Ref{ID: d.ID}, Name: d.Name, Path: d.Path, Delete: &d})
		}
	}
	slices.SortStableFunc(dels, func(a, b *TerritoryChange) int { return comparePaths(a.Path, b.Path) })
	res := make([]TerritoryChange, 0, len(out)+len(dels))
	for _, c := range append(out, dels...) {
		res = append(res, *c)
	}
	for i, c := range res {
		if c.Delete != nil {
			res[i].Children = p.children(c.Delete, res)
		}
	}
	return res
}

// children says what the plan does first to each child of d, from the
// plan's changes.
func (p *Plan) children(d *Delete, changes []TerritoryChange) []Child {
	out := make([]Child, 0, len(d.Children))
	for _, id := range d.Children {
		ch := Child{ID: id}
		if t, ok := p.Territory(id); ok {
			ch.Name = t.Name
		}
		for _, c := range changes {
			if c.Territory.ID == id {
				ch.Path, ch.Deleted = c.Path, c.Action == ActionDelete
			}
		}
		out = append(out, ch)
	}
	return out
}

func createFields(p *Plan, c Create, nameOf func(Ref, bool) string) []FieldChange {
	fs := []FieldChange{{Field: "name", New: c.Name}, {Field: "parent", New: nameOf(c.Parent, false)}}
	if c.ManagerID != "" {
		fs = append(fs, FieldChange{Field: "manager", New: p.UserLabel(c.ManagerID)})
	}
	fs = append(fs, FieldChange{Field: "permission", New: c.Permission})
	if c.Description != "" {
		fs = append(fs, FieldChange{Field: "description", New: c.Description})
	}
	for _, m := range c.Criteria.Changed(Criteria{}) {
		fs = append(fs, FieldChange{Field: "rules." + m, New: compact(*c.Criteria.get(m))})
	}
	return fs
}

func updateFields(p *Plan, u Update, freed map[string]string, nameOf func(Ref, bool) string) []FieldChange {
	var fs []FieldChange
	if u.Name != nil {
		old := u.Name.Old
		if o, ok := freed[u.ID]; ok {
			old = o
		}
		fs = append(fs, FieldChange{Field: "name", Old: old, New: u.Name.New})
	}
	if u.Parent != nil {
		fs = append(fs, FieldChange{Field: "parent", Old: nameOf(Ref{ID: u.Parent.Old}, true), New: nameOf(u.Parent.New, false)})
	}
	if u.Manager != nil {
		fs = append(fs, FieldChange{Field: "manager", Old: p.UserLabel(u.Manager.Old), New: p.UserLabel(u.Manager.New)})
	}
	if u.Permission != nil {
		fs = append(fs, FieldChange{Field: "permission", Old: u.Permission.Old, New: u.Permission.New})
	}
	if u.Description != nil {
		fs = append(fs, FieldChange{Field: "description", Old: u.Description.Old, New: u.Description.New})
	}
	if c := u.Criteria; c != nil {
		for _, m := range c.New.Changed(c.Old) {
			fs = append(fs, FieldChange{Field: "rules." + m, Old: compact(*c.Old.get(m)), New: compact(*c.New.get(m))})
		}
	}
	return fs
}

func compact(raw json.RawMessage) string {
	if none(raw) {
		return ""
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

func lastName(path string) string {
	if i := strings.LastIndex(path, "/"); i >= 0 {
		return path[i+1:]
	}
	return path
}

// comparePaths orders paths as a tree is read: a parent before its
// children, siblings by name.
func comparePaths(a, b string) int {
	return slices.Compare(strings.Split(a, "/"), strings.Split(b, "/"))
}

// WriteTo writes the plan as indented JSON, the saved plan's form.
func (p *Plan) WriteTo(w io.Writer) (int64, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(p); err != nil {
		return 0, err
	}
	n, err := w.Write(b.Bytes())
	return int64(n), err
}

// ReadPlan reads a saved tree plan, refusing one that is not a tree plan,
// of another format version, malformed (unknown fields, ids that are not
// record ids, steps without what their kind needs, a territory named by a
// key no earlier step creates, a skip of an op other than a territory's
// users' add or removal), with a [*zohoterritory.FileError] naming name.
func ReadPlan(r io.Reader, name string) (*Plan, error) {
	fail := func(format string, args ...any) error {
		return &zohoterritory.FileError{Name: name, Err: fmt.Errorf(format, args...)}
	}
	dec := json.NewDecoder(io.LimitReader(r, 256<<20))
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, fail("not a saved tree plan: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fail("not a saved tree plan: more after the plan")
	}
	switch {
	case p.Format == zohoterritory.PlanFormat:
		return nil, fail("a membership plan (format %s), not a tree plan (format %s)", p.Format, PlanFormat)
	case p.Format != PlanFormat:
		return nil, fail("not a saved tree plan (its format is %q, not %s)", p.Format, PlanFormat)
	case p.Version != PlanVersion:
		return nil, fail("tree plan format version %d is not one this zohoterritory reads (it reads version %d)", p.Version, PlanVersion)
	}
	if err := p.check(); err != nil {
		return nil, fail("%w", err)
	}
	if p.Skips == nil {
		p.Skips = []Skip{}
	}
	return &p, nil
}

// check checks what ReadPlan cannot leave to the JSON decoder.
func (p *Plan) check() error {
	created := map[string]bool{}
	ref := func(i int, what string, r Ref) error {
		switch {
		case (r.ID == "") == (r.Key == ""):
			return fmt.Errorf("steps[%d]: %s: want an id or a key", i, what)
		case r.ID != "":
			return checkID(i, what, r.ID)
		case !created[r.Key]:
			return fmt.Errorf("steps[%d]: %s: %q is created by no earlier step", i, what, r.Key)
		}
		return nil
	}
	for i, s := range p.Steps {
		items := len(s.Creates) + len(s.Updates) + len(s.Deletes)
		if s.Members != nil {
			items++
		}
		var own int // the items of the field the kind uses
		switch s.Kind {
		case StepCreate:
			own = len(s.Creates)
		case StepFreeName, StepUpdate:
			own = len(s.Updates)
		case StepAdd, StepRemove:
			own = boolInt(s.Members != nil)
		case StepDelete:
			own = len(s.Deletes)
		default:
			return fmt.Errorf("steps[%d]: unknown kind %q", i, s.Kind)
		}
		if own == 0 || own != items {
			return fmt.Errorf("steps[%d]: a %s step holds %s, and only those", i, s.Kind, stepHolds(s.Kind))
		}
		for _, c := range s.Creates {
			if err := ref(i, "parent of "+c.Key, c.Parent); err != nil {
				return err
			}
			if c.Key == "" || created[c.Key] {
				return fmt.Errorf("steps[%d]: create key %q: empty or used twice", i, c.Key)
			}
			created[c.Key] = true
		}
		for _, u := range s.Updates {
			if err := checkID(i, "update", u.ID); err != nil {
				return err
			}
			if u.Parent != nil {
				if err := ref(i, "new parent of "+u.ID, u.Parent.New); err != nil {
					return err
				}
			}
		}
		if m := s.Members; m != nil {
			if err := ref(i, "territory", m.Territory); err != nil {
				return err
			}
			if len(m.Users) == 0 {
				return fmt.Errorf("steps[%d]: no users", i)
			}
			for _, u := range m.Users {
				if err := checkID(i, "user", u); err != nil {
					return err
				}
			}
		}
		for _, d := range s.Deletes {
			if err := checkID(i, "delete", d.ID); err != nil {
				return err
			}
		}
	}
	for i, sk := range p.Skips {
		if sk.Op != zohoterritory.OpAddUsers && sk.Op != zohoterritory.OpRemoveUsers {
			return fmt.Errorf("skips[%d]: op %q: want %q or %q", i, sk.Op, zohoterritory.OpAddUsers, zohoterritory.OpRemoveUsers)
		}
	}
	for _, t := range p.Before.Territories {
		if err := zohoterritory.CheckID(t.ID); err != nil {
			return fmt.Errorf("before: %w", err)
		}
	}
	return nil
}

func checkID(step int, what, id string) error {
	if err := zohoterritory.CheckID(id); err != nil {
		return fmt.Errorf("steps[%d]: %s: %w", step, what, err)
	}
	return nil
}

func stepHolds(k StepKind) string {
	switch k {
	case StepCreate:
		return "creates"
	case StepAdd, StepRemove:
		return "members"
	case StepDelete:
		return "deletes"
	}
	return "updates"
}
