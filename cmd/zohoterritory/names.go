package main

import (
	"context"
	"fmt"

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

// names returns the names a change's rows (rowIDs, users or territories)
// show: those the run read anyway, and in a table (unless --no-names) those
// still missing, with the one read that costs: the users by id, or the
// territories' listing, for their paths. It reads after the change, so
// that a change never waits on it; and names only decorate the output: a
// failed read shows none and says so on stderr.
func (f *changeFlags) names(ctx context.Context, a *app, c *zohoterritory.Client, idsAreUsers bool, l *lookup, rowIDs []string,
	listedUsers []zohoterritory.User, listedTerritories []zohoterritory.Territory) *names {
	if f.noNames {
		return nil
	}
	var refs []*ref
	var dir *zohoterritory.Directory
	if l != nil {
		refs, dir = l.refs, l.dir
	}
	n := newNames(idsAreUsers, dir, listedUsers, listedTerritories, refs)
	if !f.showNames() || c == nil || len(rowIDs) == 0 {
		return n
	}
	var q zohoterritory.DirectoryQuery
	switch {
	case idsAreUsers && (dir == nil || !dir.HasUsers()):
		for _, id := range rowIDs {
			if n == nil {
				q.UserIDs = append(q.UserIDs, id)
			} else if _, ok := n.get(id); !ok {
				q.UserIDs = append(q.UserIDs, id)
			}
		}
	case !idsAreUsers && (dir == nil || !dir.HasTerritories()):
		q.Territories = true
	}
	if q.IsZero() {
		return n
	}
	read, err := c.ReadDirectory(ctx, q)
	if err != nil {
		_, msg := failure(err)
		fmt.Fprintf(a.io.Err, "zohoterritory: names not shown: reading them failed: %s\n", msg)
		return n
	}
	if idsAreUsers && dir != nil && dir.HasTerritories() {
		// Keep the territories read before beside the users read now.
		read = zohoterritory.NewDirectory(read.Users(), dir.Territories())
	}
	return newNames(idsAreUsers, read, listedUsers, listedTerritories, refs)
}

// idsAreUsers reports whether op's ids are users (its owner a territory).
func idsAreUsers(op zohoterritory.Op) bool {
	return op == zohoterritory.OpRemoveUsers || op == zohoterritory.OpAddUsers
}
