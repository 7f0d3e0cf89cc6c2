package zohoterritorytest

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// The directory is the org's users (GET users, users/{user_id}) and
// territories (GET settings/territories, settings/territories/{id}), read
// the way Zoho answers them: the users as Zoho's OpenAPI file
// (zoho/crm-oas v8.0/users, getUsers and getSingleUser) and its "Get
// Users" pages show them, the territories as crm-oas v8.0/territories
// (getTerritories, getTerritoryById) shows them, with lower-case keys.
// Both lists are in the seed's order, Zoho's being creation order.

// userType is one value of the users API's `type` parameter: which users
// it lists.
type userType func(s *Server, u User) bool

// listed is every status but deleted: Zoho's "all users" are the active and
// the deactivated ones ("both active and inactive"), the deleted ones
// having their own type.
func listed(u User) bool { return u.Status != StatusDeleted }

func admin(u User) bool { return u.Profile == ProfileAdministrator }

// userTypeOf is the `type` named, among the 18 values Zoho's OpenAPI file
// lists (its pages list the first ten), and false for any other. The seed
// has no lite users, developers, reporting lines or role hierarchy, so the
// types about those list nobody.
func userTypeOf(name string) (userType, bool) {
	none := func(*Server, User) bool { return false }
	switch name {
	case "AllUsers", "ActiveAndDeactive":
		return func(_ *Server, u User) bool { return listed(u) }, true
	case "ActiveUsers", "AllActiveUsers":
		return func(_ *Server, u User) bool { return u.Status == StatusActive }, true
	case "DeactiveUsers":
		return func(_ *Server, u User) bool { return u.Status == StatusInactive }, true
	case "DeletedUsers":
		return func(_ *Server, u User) bool { return u.Status == StatusDeleted }, true
	case "CurrentUser":
		return func(s *Server, u User) bool { return u.ID == s.caller }, true
	case "ConfirmedUsers":
		return func(_ *Server, u User) bool { return listed(u) && !u.NotConfirmed }, true
	case "NotConfirmedUsers":
		return func(_ *Server, u User) bool { return listed(u) && u.NotConfirmed }, true
	case "ActiveConfirmedUsers":
		return func(_ *Server, u User) bool { return u.Status == StatusActive && !u.NotConfirmed }, true
	case "AdminUsers":
		return func(_ *Server, u User) bool { return listed(u) && admin(u) }, true
	case "ActiveConfirmedAdmins":
		return func(_ *Server, u User) bool { return u.Status == StatusActive && !u.NotConfirmed && admin(u) }, true
	case "DeveloperUsers", "ActiveLiteUser", "ChildRoleUsers", "ParentRoleUsers", "SubordinateRoleUsers",
		"ConfirmedReportingUsers":
		return none, true
	}
	return nil, false
}

// defaultUserType is what Zoho lists when `type` is absent.
const defaultUserType = "AllUsers"

// UserTypes returns the values of the users API's `type` parameter that
// the server accepts: the 18 of Zoho's OpenAPI file. Any other value is
// 400 INVALID_DATA naming the parameter.
func UserTypes() []string {
	return []string{"AllUsers", "ActiveUsers", "DeactiveUsers", "ConfirmedUsers", "NotConfirmedUsers",
		"DeletedUsers", "ActiveConfirmedUsers", "AdminUsers", "ActiveConfirmedAdmins", "CurrentUser",
		"DeveloperUsers", "AllActiveUsers", "ActiveLiteUser", "ActiveAndDeactive", "ChildRoleUsers",
		"ParentRoleUsers", "SubordinateRoleUsers", "ConfirmedReportingUsers"}
}

// wireNamed is a reference with both keys always present, as the users
// and territories APIs send a role, a profile, a manager, a parent or an
// author.
type wireNamed struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// wireOrgUser is a user as the users API sends it: the keys of Zoho's
// example (crm-oas getUsers) that the seed fills, not the sixty the
// schema allows, and that Zoho's SDKs read (their `users/users` model):
// the example's `type__s` is left out, which they do not know.
type wireOrgUser struct {
	ID           string     `json:"id"`
	FirstName    *string    `json:"first_name"`
	LastName     *string    `json:"last_name"`
	FullName     string     `json:"full_name"`
	Email        string     `json:"email,omitempty"`
	Status       string     `json:"status"`
	Confirm      bool       `json:"confirm"`
	Role         wireNamed  `json:"role"`
	Profile      wireNamed  `json:"profile"`
	ZUID         string     `json:"zuid"`
	ReportingTo  *wireNamed `json:"Reporting_To"`
	CreatedBy    wireNamed  `json:"created_by"`
	CreatedTime  string     `json:"created_time"`
	ModifiedBy   wireNamed  `json:"Modified_By"`
	ModifiedTime string     `json:"Modified_Time"`
	Language     string     `json:"language"`
	Locale       string     `json:"locale"`
}

// wireOrgTerritory is a territory as the territories API sends it
// (crm-oas TerritoryGETSchema, all of its required keys): lower-case keys,
// `manager` null when there is none, `reporting_to` null at the root.
type wireOrgTerritory struct {
	ID             string     `json:"id"`
	Name           string     `json:"name"`
	APIName        string     `json:"api_name"`
	Description    *string    `json:"description"`
	Manager        *wireNamed `json:"manager"`
	ReportingTo    *wireNamed `json:"reporting_to"`
	PermissionType string     `json:"permission_type"`
	CreatedTime    string     `json:"created_time"`
	ModifiedTime   string     `json:"modified_time"`
	CreatedBy      wireNamed  `json:"created_by"`
	ModifiedBy     wireNamed  `json:"modified_by"`
}

// maxDirectoryIDsChars bounds the directory's `ids`: Zoho documents 100 ids
// and no length, and 100 ids of 19 digits take 1,999 characters.
const maxDirectoryIDsChars = maxTerritoryIDsChars

// serveDirectory answers a read of the directory that passed
// [Server.precheck]. A read by id is `{"users":[one]}` or
// `{"territories":[one]}` with no `info`, as in Zoho's examples, and 204
// for an id that names nothing (malformed ones included: Zoho's files give
// these reads no 400). A list is one page of the users of `type`, or of
// the territories, restricted to `ids` when given, with `info`; 204 when
// nothing matches or the page is past the end. The territories asked for
// by `ids` come all at once without `info`, as crm-oas's example of that
// form shows.
func (s *Server) serveDirectory(w http.ResponseWriter, r *http.Request, rt crmRoute) {
	key := "users"
	if rt.op == opTerritories {
		key = "territories"
	}
	include, ie := parseInclude(r.URL.Query())
	if ie != nil && rt.op == opTerritories {
		writeJSON(w, ie.status, ie)
		return
	}
	if !rt.bulk {
		s.mu.Lock()
		item, ok := s.directoryItemLocked(rt.op, rt.single, include)
		s.mu.Unlock()
		if !ok {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{key: []any{item}})
		return
	}

	q := r.URL.Query()
	page, perPage, e := parsePaging(q)
	if e != nil {
		writeJSON(w, e.status, e)
		return
	}
	var match userType
	if rt.op == opUsers {
		if match, e = parseUserType(q); e != nil {
			writeJSON(w, e.status, e)
			return
		}
	}
	var ids []string
	if v := q.Get("ids"); strings.TrimSpace(v) != "" {
		if ids, _, e = parseIDs(v, maxDirectoryIDsChars); e != nil {
			writeJSON(w, e.status, e)
			return
		}
	}

	// Only the page asked for is turned into answers: a listing of 10,000
	// users is 50 pages, and each page costs its 200 users, not the org.
	s.mu.Lock()
	var matched []string
	if rt.op == opUsers {
		matched = s.orgUserIDsLocked(match, ids)
	} else {
		matched = s.orgTerritoryIDsLocked(ids)
	}
	whole := rt.op == opTerritories && ids != nil // Zoho answers a read by ids in one, without info
	start, end := 0, len(matched)
	if !whole {
		start, end = pageWindow(len(matched), page, perPage)
	}
	items := make([]any, 0, end-start)
	for _, id := range matched[start:end] {
		item, _ := s.directoryItemLocked(rt.op, id, include)
		items = append(items, item)
	}
	s.mu.Unlock()

	switch {
	case len(items) == 0:
		// Nothing matched, or a page past the end.
		w.WriteHeader(http.StatusNoContent)
	case whole:
		writeJSON(w, http.StatusOK, map[string]any{key: items})
	default:
		writeJSON(w, http.StatusOK, map[string]any{
			key:    items,
			"info": pageInfo{PerPage: perPage, Count: len(items), Page: page, MoreRecords: end < len(matched)},
		})
	}
}

// pageWindow is where page (counted from 1) of n items, perPage a page,
// starts and ends; start == end for a page past the end. Pages are
// counted before start is computed, so that a huge page number cannot
// overflow.
func pageWindow(n, page, perPage int) (start, end int) {
	if pages := (n + perPage - 1) / perPage; page > pages {
		return n, n
	}
	start = (page - 1) * perPage
	return start, min(start+perPage, n)
}

// parseUserType reads the first `type`: absent or empty is AllUsers, a
// value Zoho does not list is INVALID_DATA naming the parameter.
func parseUserType(q url.Values) (userType, *apiError) {
	name := q.Get("type")
	if name == "" {
		name = defaultUserType
	}
	match, ok := userTypeOf(name)
	if !ok {
		e := newError(http.StatusBadRequest, "INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, "type"),
			map[string]any{"param_name": "type"})
		return nil, &e
	}
	return match, nil
}

// directoryItemLocked is the user or territory with the id, and false when
// there is none; a territory carries the criteria include asks for.
func (s *Server) directoryItemLocked(op operation, id string, include [3]bool) (any, bool) {
	if op == opUsers {
		u, ok := s.users[id]
		if !ok {
			return nil, false
		}
		return s.wireOrgUserOf(u), true
	}
	t, ok := s.territories[id]
	if !ok {
		return nil, false
	}
	return s.wireTerritoryWithRulesLocked(t, include), true
}

// orgUserIDsLocked lists the ids of the users that match, in the seed's
// order, and only those of ids when ids is not nil.
func (s *Server) orgUserIDsLocked(match userType, ids []string) []string {
	var out []string
	for _, id := range s.userOrder {
		if match(s, s.users[id]) && (ids == nil || slices.Contains(ids, id)) {
			out = append(out, id)
		}
	}
	return out
}

// orgTerritoryIDsLocked lists the ids of the territories in the seed's
// order, and only those of ids when ids is not nil.
func (s *Server) orgTerritoryIDsLocked(ids []string) []string {
	if ids == nil {
		return s.territoryOrder
	}
	var out []string
	for _, id := range s.territoryOrder {
		if slices.Contains(ids, id) {
			out = append(out, id)
		}
	}
	return out
}

// callerRef is the org's administrator, who created and last changed
// every user and territory of the seed.
func (s *Server) callerRef() wireNamed {
	return wireNamed{ID: s.caller, Name: s.users[s.caller].FullName}
}

func (s *Server) wireOrgUserOf(u User) wireOrgUser {
	by := s.callerRef()
	return wireOrgUser{
		ID: u.ID, FirstName: nullable(u.FirstName), LastName: nullable(u.LastName), FullName: u.FullName,
		Email: u.Email, Status: string(u.Status), Confirm: !u.NotConfirmed,
		Role:    wireNamed{ID: s.roleIDs[u.Role], Name: u.Role},
		Profile: wireNamed{ID: s.profileIDs[u.Profile], Name: u.Profile},
		ZUID:    zuid(u.ID), CreatedBy: by, CreatedTime: seededAt, ModifiedBy: by, ModifiedTime: seededAt,
		Language: "en_US", Locale: "en_US",
	}
}

func (s *Server) wireOrgTerritoryLocked(t *territoryState) wireOrgTerritory {
	by := s.callerRef()
	wt := wireOrgTerritory{
		ID: t.ID, Name: t.Name, APIName: t.apiName, Description: nullable(t.Description),
		PermissionType: string(t.PermissionType), CreatedTime: t.created, ModifiedTime: t.modified, CreatedBy: by, ModifiedBy: by,
	}
	if t.ManagerID != "" {
		wt.Manager = &wireNamed{ID: t.ManagerID, Name: s.users[t.ManagerID].FullName}
	}
	if t.ReportingTo != "" {
		wt.ReportingTo = &wireNamed{ID: t.ReportingTo, Name: s.territories[t.ReportingTo].Name}
	}
	return wt
}

// nullable is nil for "", so that the reads send null.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// zuid makes a user's Zoho account id from the CRM id: the sandbox has no
// accounts, but each user needs one, and always the same.
func zuid(id string) string { return "6" + id[max(0, len(id)-10):] }

// apiNames gives territories their api_name, as Zoho does from a name
// without one: each run of characters other than ASCII letters and digits
// becomes "_". Zoho keeps api names unique, so a name met again is
// numbered (Key_Accounts, Key_Accounts_2); how Zoho numbers them is
// unverified. It remembers the last number of each name, so that an org
// of 100,000 territories of one name is numbered in linear time.
type apiNames struct {
	taken map[string]bool
	last  map[string]int // the last number given to a base name
}

func newAPINames(n int) *apiNames {
	return &apiNames{taken: make(map[string]bool, n), last: map[string]int{}}
}

// of returns the api_name of a territory named name.
func (a *apiNames) of(name string) string {
	var b strings.Builder
	under := false
	for _, c := range name {
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			if under && b.Len() > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(c)
			under = false
			continue
		}
		under = true
	}
	base := b.String()
	if base == "" {
		base = "Territory"
	}
	base = base[:min(len(base), 90)]
	name = base
	for n := max(2, a.last[base]+1); a.taken[name]; n++ {
		name = fmt.Sprintf("%s_%d", base, n)
		a.last[base] = n
	}
	a.taken[name] = true
	return name
}
