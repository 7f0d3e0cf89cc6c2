package main

import (
	"context"
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// names are what the rows of an output show beside their ids: the users'
// names and e-mail addresses, or the territories' names and paths, from a
// directory the library gathered ([zohoterritory.Client.ReadNames]).
type names struct {
	users bool // rows are users (USER, EMAIL); else territories (TERRITORY, PATH)
	dir   *zohoterritory.Directory
}

// jsonName is a name in the JSON output: "names": {"<id>": {...}}.
type jsonName struct {
	Name  string `json:"name"`
	Email string `json:"email,omitempty"`
	Path  string `json:"path,omitempty"`
}

// newNames returns the names of one kind that dir holds; nil when it holds
// none, so that a run that read nothing shows no name columns.
func newNames(users bool, dir *zohoterritory.Directory) *names {
	if dir == nil || (users && len(dir.Users()) == 0) || (!users && len(dir.Territories()) == 0) {
		return nil
	}
	return &names{users: users, dir: dir}
}

// readNames returns the names a report shows: those known (what the run
// read anyway), and, in a table or CSV (unless --no-names), those still
// missing, with the one read each that costs, after the change, so that a
// change never waits on it. Names only decorate: a failed read shows what
// was known and says so on stderr.
func (f *changeFlags) readNames(ctx context.Context, a *app, c *zohoterritory.Client, known *zohoterritory.Directory, userIDs, territoryIDs []string) (users, territories *names) {
	if f.noNames {
		return nil, nil
	}
	dir := known
	if f.showNames() && c != nil {
		var err error
		if dir, err = c.ReadNames(ctx, known, userIDs, territoryIDs); err != nil {
			_, msg := failure(err)
			fmt.Fprintf(a.io.Err, "zohoterritory: names not shown: reading them failed: %s\n", msg)
		}
	}
	return newNames(true, dir), newNames(false, dir)
}

// get returns id's name, if known.
func (n *names) get(id string) (jsonName, bool) {
	if n == nil {
		return jsonName{}, false
	}
	if n.users {
		u, ok := n.dir.UserByID(id)
		return jsonName{Name: u.FullName, Email: u.Email}, ok
	}
	t, ok := n.dir.TerritoryByID(id)
	return jsonName{Name: t.Name, Path: n.dir.Path(id)}, ok
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

// named describes an id of a plan: a user, or a territory.
func named(dir *zohoterritory.Directory, id string, user bool) jsonRefNamed {
	r := jsonRefNamed{ID: id}
	if n := newNames(user, dir); n != nil {
		if jn, ok := n.get(id); ok {
			r.Name, r.Email, r.Path = jn.Name, jn.Email, jn.Path
		}
	}
	return r
}

// label is how a table shows an id: a user's e-mail address, a
// territory's path, or the id.
func label(n jsonRefNamed) string {
	switch {
	case n.Email != "":
		return n.Email
	case n.Path != "":
		return n.Path
	case n.Name != "":
		return n.Name
	}
	return n.ID
}
