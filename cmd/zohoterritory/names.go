package main

import (
	"context"
	"fmt"
	"slices"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// names are what the rows of a change show beside their ids: the users'
// names and e-mail addresses, or the territories' names and paths. They
// come from what the run read anyway (the directory, a listing, the
// resolved references) and, in a table, from the one read that showing
// them costs.
type names struct {
	users bool // rows are users (USER, EMAIL); else territories (TERRITORY, PATH)
	dir   *zohoterritory.Directory
	known map[string]jsonName // from the listings and the references
}

// jsonName is a name in the JSON output: "names": {"<id>": {...}}.
type jsonName struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Path  string `json:"path,omitempty"`
}

// newNames gathers the names of the rows' kind (users or territories);
// nil when nothing was read that names them, so that a run that read
// nothing shows no name columns.
func newNames(users bool, dir *zohoterritory.Directory, listedUsers []zohoterritory.User, listedTerritories []zohoterritory.Territory, refs []*ref) *names {
	n := &names{users: users, dir: dir, known: map[string]jsonName{}}
	for _, u := range listedUsers {
		n.known[u.ID] = jsonName{Name: u.FullName, Email: u.Email}
	}
	for _, t := range listedTerritories {
		n.known[t.ID] = jsonName{Name: t.Name}
	}
	for _, r := range refs {
		switch {
		case r.isUser && (r.User.FullName != "" || r.User.Email != ""):
			n.known[r.User.ID] = jsonName{Name: r.User.FullName, Email: r.User.Email}
		case !r.isUser && r.Territory.Name != "":
			n.known[r.Territory.ID] = jsonName{Name: r.Territory.Name}
		}
	}
	if len(n.known) == 0 && (dir == nil || (users && len(dir.Users()) == 0) || (!users && len(dir.Territories()) == 0)) {
		return nil
	}
	return n
}

// get returns id's name, if known.
func (n *names) get(id string) (jsonName, bool) {
	if n == nil {
		return jsonName{}, false
	}
	jn, ok := n.known[id]
	if n.dir != nil {
		if n.users {
			if u, found := n.dir.UserByID(id); found {
				jn, ok = jsonName{Name: u.FullName, Email: u.Email}, true
			}
		} else if t, found := n.dir.TerritoryByID(id); found {
			jn, ok = jsonName{Name: t.Name, Path: n.dir.Path(id)}, true
		}
	}
	return jn, ok
}

// headers are the two name columns of a table.
func (n *names) headers() (string, string) {
	if n.users {
		return "USER", "EMAIL"
	}
	return "TERRITORY", "PATH"
}

// cells are the two name cells of id's row.
func (n *names) cells(id string) (string, string) {
	jn, _ := n.get(id)
	if n.users {
		return cell(jn.Name), cell(jn.Email)
	}
	return cell(jn.Name), cell(jn.Path)
}

// json is the "names" object of the JSON output for ids, those whose name
// is known; nil (left out) when none is.
func (n *names) json(ids []string) map[string]jsonName {
	if n == nil {
		return nil
	}
	out := map[string]jsonName{}
	for _, id := range ids {
		if jn, ok := n.get(id); ok {
			out[id] = jn
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// reportNames returns the names a change's report shows: those of its
// rows' ids (users, or territories) and of its owner. It calls
// namesFor with the ids of each kind.
func (f *changeFlags) reportNames(ctx context.Context, a *app, c *zohoterritory.Client, idsAreUsers bool, l *lookup, rowIDs []string,
	listedUsers []zohoterritory.User, listedTerritories []zohoterritory.Territory) (users, territories *names) {
	var userIDs, territoryIDs []string
	if idsAreUsers {
		userIDs = rowIDs
	} else {
		territoryIDs = rowIDs
	}
	if l != nil && f.output.format == "csv" {
		// A table shows the names of its rows only; a CSV's rows name
		// the owner too.
		for _, r := range l.refs {
			if r.isUser {
				userIDs = append(userIDs, r.id())
			} else {
				territoryIDs = append(territoryIDs, r.id())
			}
		}
	}
	return f.namesFor(ctx, a, c, l, userIDs, territoryIDs, listedUsers, listedTerritories)
}

// namesFor returns the names of users and territories a report shows:
// those the run read anyway, and, in a table or CSV (unless --no-names),
// those still missing, with the one read that costs: the users by id (or
// their listing, past 100), the territories' listing, for their paths. It
// reads after the change, so that a change never waits on it; and names
// only decorate the output: a failed read shows none and says so on
// stderr.
func (f *changeFlags) namesFor(ctx context.Context, a *app, c *zohoterritory.Client, l *lookup, userIDs, territoryIDs []string,
	listedUsers []zohoterritory.User, listedTerritories []zohoterritory.Territory) (users, territories *names) {
	if f.noNames {
		return nil, nil
	}
	var refs []*ref
	var dir *zohoterritory.Directory
	if l != nil {
		refs, dir = l.refs, l.dir
	}
	users = newNames(true, dir, listedUsers, listedTerritories, refs)
	territories = newNames(false, dir, listedUsers, listedTerritories, refs)
	if !f.showNames() || c == nil {
		return users, territories
	}
	var q zohoterritory.DirectoryQuery
	if dir == nil || !dir.HasUsers() {
		seen := map[string]bool{}
		for _, id := range userIDs {
			if _, ok := users.get(id); !ok && !seen[id] && id != "" {
				seen[id] = true
				q.UserIDs = append(q.UserIDs, id)
			}
		}
	}
	if len(territoryIDs) > 0 && (dir == nil || !dir.HasTerritories()) {
		q.Territories = true
	}
	if q.IsZero() {
		return users, territories
	}
	read, err := c.ReadDirectory(ctx, q)
	if err != nil {
		_, msg := failure(err)
		fmt.Fprintf(a.io.Err, "zohoterritory: names not shown: reading them failed: %s\n", msg)
		return users, territories
	}
	us, ts := read.Users(), read.Territories()
	if dir != nil {
		us = append(slices.Clone(dir.Users()), us...)
		if ts == nil {
			ts = dir.Territories()
		}
	}
	merged := zohoterritory.NewDirectory(us, ts)
	return newNames(true, merged, listedUsers, listedTerritories, refs), newNames(false, merged, listedUsers, listedTerritories, refs)
}

// idsAreUsers reports whether op's ids are users (its owner a territory).
func idsAreUsers(op zohoterritory.Op) bool {
	return op == zohoterritory.OpRemoveUsers || op == zohoterritory.OpAddUsers
}
