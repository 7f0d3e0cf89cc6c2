package tree

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file is the org as read: the snapshot [Diff], [Order] and [Undo]
// compare with, and [Export] writes as a tree file.

// Org is an org's territories, users and memberships as read at one
// time.
type Org struct {
	// APIDomain and APIVersion say where the org was read (for the plan
	// and the export comment), such as https://www.zohoapis.eu and v7.
	APIDomain, APIVersion string
	// Territories are every territory of the org; one of them, the root,
	// has no parent.
	Territories []Territory
	// Users are every user of the org, of every status: e-mail addresses
	// in a file resolve against them.
	Users []zohoterritory.User
	// Members holds each territory's members by id: territory id → user
	// ids. A territory absent has none.
	Members map[string][]string
	// Limit is the most territories the org holds; 0 when not known
	// ([Rules].TerritoryLimit then).
	Limit int
}

// Memberships counts the org's memberships: each member of each
// territory once.
func (o *Org) Memberships() int {
	n := 0
	for _, users := range o.Members {
		n += len(users)
	}
	return n
}

// Territory is one territory of an [Org], or of a plan's before state.
type Territory struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// ParentID is "" for the root (the organization territory).
	ParentID string `json:"parent_id,omitempty"`
	// ManagerID is "" for no manager.
	ManagerID string `json:"manager_id,omitempty"`
	// Permission is read_only or read_write_delete.
	Permission string `json:"permission,omitempty"`
	// Description is "" for none.
	Description string   `json:"description,omitempty"`
	Criteria    Criteria `json:"rules,omitzero"`
}

// orgIndex answers questions about an org without scanning it.
type orgIndex struct {
	org      *Org
	root     string
	at       map[string]int      // id → index in org.Territories
	children map[string][]string // id → children's ids, in the org's order
	members  map[string]map[string]bool
	users    map[string]zohoterritory.User
	dir      *zohoterritory.Directory
	emails   map[string]int    // folded e-mail → how many users have it
	paths    map[string]string // id → path, as [zohoterritory.Directory.Path] writes it
}

// indexOrg indexes org, refusing a snapshot that is not one tree: no
// root or two, a territory twice, a parent the org does not hold, a
// cycle.
func indexOrg(org *Org) (*orgIndex, error) {
	ix := &orgIndex{
		org: org, at: map[string]int{}, children: map[string][]string{}, members: map[string]map[string]bool{},
		users: map[string]zohoterritory.User{}, emails: map[string]int{}, paths: map[string]string{},
	}
	for i, t := range org.Territories {
		if err := zohoterritory.CheckID(t.ID); err != nil {
			return nil, fmt.Errorf("tree: the org's territory %q: id %q: %w", t.Name, t.ID, err)
		}
		if _, dup := ix.at[t.ID]; dup {
			return nil, fmt.Errorf("tree: the org lists territory %s twice", t.ID)
		}
		ix.at[t.ID] = i
		if t.ParentID == "" {
			if ix.root != "" {
				return nil, fmt.Errorf("tree: the org has two root territories, %s and %s", ix.root, t.ID)
			}
			ix.root = t.ID
		}
	}
	if ix.root == "" {
		return nil, fmt.Errorf("tree: the org has no root territory (one that reports to none)")
	}
	for _, t := range org.Territories {
		if t.ParentID == "" {
			continue
		}
		if _, ok := ix.at[t.ParentID]; !ok {
			return nil, fmt.Errorf("tree: the org's territory %s reports to %s, which the org does not hold", t.ID, t.ParentID)
		}
		ix.children[t.ParentID] = append(ix.children[t.ParentID], t.ID)
	}
	// Walk from the root: every territory is reached once, or there is a
	// cycle.
	var walk func(id, path string)
	walk = func(id, path string) {
		ix.paths[id] = path
		for _, c := range ix.children[id] {
			if _, seen := ix.paths[c]; !seen {
				walk(c, childPath(path, ix.terr(c).Name))
			}
		}
	}
	walk(ix.root, "")
	ix.paths[ix.root] = ix.terr(ix.root).Name
	if len(ix.paths) != len(org.Territories) {
		for _, t := range org.Territories {
			if _, ok := ix.paths[t.ID]; !ok {
				return nil, fmt.Errorf("tree: the org's territory %s is not under the root (its parents form a cycle)", t.ID)
			}
		}
	}
	for id, users := range org.Members {
		set := make(map[string]bool, len(users))
		for _, u := range users {
			set[u] = true
		}
		ix.members[id] = set
	}
	for _, u := range org.Users {
		ix.users[u.ID] = u
		if u.Email != "" {
			ix.emails[fold(u.Email)]++
		}
	}
	ix.dir = zohoterritory.NewDirectory(org.Users, nil)
	return ix, nil
}

func (ix *orgIndex) terr(id string) *Territory { return &ix.org.Territories[ix.at[id]] }

func (ix *orgIndex) has(id string) bool {
	_, ok := ix.at[id]
	return ok
}

// label is how a file names the user: the e-mail address when the user
// has one that no other user of the org shares, else the id.
func (ix *orgIndex) label(id string) string {
	if u, ok := ix.users[id]; ok && u.Email != "" && ix.emails[fold(u.Email)] == 1 {
		return u.Email
	}
	return id
}

// fold is the key names and e-mail addresses are compared by, as Zoho
// and the sandbox compare them: case folded.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Export returns the org as a tree file: every territory from the root,
// children sorted by name (case folded, then as written), each with its
// id, manager, permission, description, rules and members; users sorted
// by e-mail address, those written by id (no e-mail address, or one
// another user shares) last. meta is written as the file's first line.
// Planning the file against the same org changes nothing. It fails only
// for a snapshot that is not one tree.
func Export(org *Org, meta Meta) (*File, error) {
	ix, err := indexOrg(org)
	if err != nil {
		return nil, err
	}
	var node func(id string) *Node
	node = func(id string) *Node {
		t := ix.terr(id)
		n := &Node{Name: t.Name, ID: t.ID, Permission: t.Permission, Description: t.Description, Criteria: t.Criteria.normalized()}
		if t.ManagerID != "" {
			n.Manager = ix.label(t.ManagerID)
		}
		for _, u := range org.Members[id] {
			n.Users = append(n.Users, ix.label(u))
		}
		slices.SortFunc(n.Users, compareUsers)
		n.Users = slices.Compact(n.Users)
		kids := slices.Clone(ix.children[id])
		slices.SortFunc(kids, func(a, b string) int {
			na, nb := ix.terr(a).Name, ix.terr(b).Name
			return cmp.Or(cmp.Compare(fold(na), fold(nb)), cmp.Compare(na, nb), cmp.Compare(a, b))
		})
		for _, c := range kids {
			n.Children = append(n.Children, node(c))
		}
		return n
	}
	return &File{Meta: &meta, Root: node(ix.root)}, nil
}

// compareUsers orders e-mail addresses (case folded, then as written)
// before ids, ids by number.
func compareUsers(a, b string) int {
	ida, idb := !strings.Contains(a, "@"), !strings.Contains(b, "@")
	switch {
	case ida != idb:
		if ida {
			return 1
		}
		return -1
	case ida:
		return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
	}
	return cmp.Or(cmp.Compare(fold(a), fold(b)), cmp.Compare(a, b))
}
