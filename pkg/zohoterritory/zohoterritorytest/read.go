package zohoterritorytest

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Paging of the two lists, as api/openapi.yaml's Page and PerPage say.
const (
	defaultPerPage = 200
	maxPerPage     = 200
)

// wireTerritory is a territory as the reads of a user's territories send
// it (api/openapi.yaml's UserTerritory).
type wireTerritory struct {
	ID          string   `json:"id"`
	Name        string   `json:"Name"`
	Manager     *wireRef `json:"Manager"`
	ReportingTo *wireRef `json:"Reporting_To"`
}

// wireRef is a NamedRef with the name under `name` or `Name` (at most one
// is set). A record with an empty name is given by id alone, as some of
// Zoho's samples do.
type wireRef struct {
	ID    string `json:"id"`
	Lower string `json:"name,omitempty"`
	Upper string `json:"Name,omitempty"`
}

// wireUser is a user as the reads of a territory's users send it
// (api/openapi.yaml's TerritoryUser): the 15 keys Zoho's OpenAPI file
// requires, and last_name.
type wireUser struct {
	ID           string   `json:"id"`
	FullName     string   `json:"full_name"`
	FirstName    *string  `json:"first_name"`
	LastName     *string  `json:"last_name"`
	Email        string   `json:"email"`
	Status       string   `json:"status"`
	Category     string   `json:"category"`
	Profile      *wireRef `json:"profile"`
	Role         *wireRef `json:"role"`
	CreatedBy    *wireRef `json:"created_by"`
	CreatedTime  string   `json:"created_time"`
	ModifiedBy   *wireRef `json:"Modified_By"`
	ModifiedTime string   `json:"Modified_Time"`
	Language     string   `json:"language"`
	Locale       string   `json:"locale"`
	ZUID         string   `json:"zuid"`
}

// pageInfo is api/openapi.yaml's PageInfo.
type pageInfo struct {
	PerPage     int  `json:"per_page"`
	Count       int  `json:"count"`
	Page        int  `json:"page"`
	MoreRecords bool `json:"more_records"`
}

// serveRead answers a GET that passed [Server.precheck]: a page of a list
// in the bulk form, one item in the single-id form. An empty list, a page
// past the end and an item outside the owner's memberships are 204 with no
// body.
func (s *Server) serveRead(w http.ResponseWriter, r *http.Request, rt crmRoute) {
	var page, perPage int
	if rt.bulk {
		var e *apiError
		if page, perPage, e = parsePaging(r.URL.Query()); e != nil {
			writeJSON(w, e.status, e)
			return
		}
	}
	key := "users"
	if rt.op == opUserTerritories {
		key = "territories"
	}

	s.mu.Lock()
	var items []any
	var e *apiError
	switch {
	case rt.op == opTerritoryUsers && rt.bulk:
		items, e = s.usersOfTerritoryLocked(rt.owner)
	case rt.op == opTerritoryUsers:
		items, e = s.userOfTerritoryLocked(rt.owner, rt.single)
	case rt.bulk:
		items, e = s.territoriesOfUserLocked(rt.owner)
	default:
		items, e = s.territoryOfUserLocked(rt.owner, rt.single)
	}
	s.mu.Unlock()
	if e != nil {
		writeJSON(w, e.status, e)
		return
	}
	if !rt.bulk {
		if len(items) == 0 {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		// Zoho's OpenAPI files give a read by id an `info` too (its
		// documentation pages show none); api/openapi.yaml takes both.
		writeJSON(w, http.StatusOK, map[string]any{key: items,
			"info": pageInfo{PerPage: defaultPerPage, Count: len(items), Page: 1, MoreRecords: false}})
		return
	}
	// Pages are counted before start is computed, so that a huge page
	// number cannot overflow.
	pages := (len(items) + perPage - 1) / perPage
	if page > pages {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	start := (page - 1) * perPage
	end := min(start+perPage, len(items))
	writeJSON(w, http.StatusOK, map[string]any{
		key:    items[start:end],
		"info": pageInfo{PerPage: perPage, Count: end - start, Page: page, MoreRecords: end < len(items)},
	})
}

// parsePaging reads the first `page` and `per_page` parameters; absent or
// empty ones take their defaults. A value that is not a whole number in
// range is INVALID_DATA naming the parameter.
func parsePaging(q url.Values) (page, perPage int, e *apiError) {
	read := func(name string, def, lo, hi int) (int, *apiError) {
		v := q.Get(name)
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			e := newError(http.StatusBadRequest, "INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, name),
				map[string]any{"param_name": name})
			return 0, &e
		}
		return n, nil
	}
	if page, e = read("page", 1, 1, int(^uint(0)>>1)); e != nil {
		return 0, 0, e
	}
	if perPage, e = read("per_page", defaultPerPage, 1, maxPerPage); e != nil {
		return 0, 0, e
	}
	return page, perPage, nil
}

func invalidPathID(index int, message string) *apiError {
	e := newError(http.StatusBadRequest, "INVALID_DATA", message, map[string]any{"resource_path_index": index})
	return &e
}

// territoriesOfUserLocked lists the user's territories in numeric id order.
// An unknown user is INVALID_DATA at path index 1 (Users/{user_id}).
func (s *Server) territoriesOfUserLocked(userID string) ([]any, *apiError) {
	if _, ok := s.users[userID]; !ok {
		return nil, invalidPathID(1, msgInvalidRelatedID)
	}
	var ids []string
	for id, t := range s.territories {
		if t.members[userID] {
			ids = append(ids, id)
		}
	}
	items := make([]any, 0, len(ids))
	for _, id := range sortIDs(ids) {
		items = append(items, s.wireTerritoryLocked(s.territories[id]))
	}
	return items, nil
}

// territoryOfUserLocked is the territory if the user belongs to it, and no
// item otherwise. The user is checked first (index 1), then the territory
// (index 3, Users/{user_id}/territories/{territory_id}).
func (s *Server) territoryOfUserLocked(userID, territoryID string) ([]any, *apiError) {
	if _, ok := s.users[userID]; !ok {
		return nil, invalidPathID(1, msgInvalidRelatedID)
	}
	t, ok := s.territories[territoryID]
	if !ok {
		return nil, invalidPathID(3, msgInvalidUserOrTerritory)
	}
	if !t.members[userID] {
		return nil, nil
	}
	return []any{s.wireTerritoryLocked(t)}, nil
}

// usersOfTerritoryLocked lists the territory's users, its manager
// included, in numeric id order. An unknown territory is INVALID_DATA at
// path index 2 (settings/territories/{territory_id}).
func (s *Server) usersOfTerritoryLocked(territoryID string) ([]any, *apiError) {
	t, ok := s.territories[territoryID]
	if !ok {
		return nil, invalidPathID(2, msgInvalidRelatedID)
	}
	ids := make([]string, 0, len(t.members))
	for id := range t.members {
		ids = append(ids, id)
	}
	items := make([]any, 0, len(ids))
	for _, id := range sortIDs(ids) {
		items = append(items, s.wireUserOf(s.users[id]))
	}
	return items, nil
}

// userOfTerritoryLocked is the user if they belong to the territory, and
// no item otherwise. The territory is checked first (index 2), then the
// user (index 4, settings/territories/{territory_id}/users/{user_id}).
func (s *Server) userOfTerritoryLocked(territoryID, userID string) ([]any, *apiError) {
	t, ok := s.territories[territoryID]
	if !ok {
		return nil, invalidPathID(2, msgInvalidRelatedID)
	}
	u, ok := s.users[userID]
	if !ok {
		return nil, invalidPathID(4, msgInvalidRelatedID)
	}
	if !t.members[userID] {
		return nil, nil
	}
	return []any{s.wireUserOf(u)}, nil
}

// wireTerritoryLocked renders t. A territory with no parent is a root, whose
// Reporting_To is null: in a Zoho org the one root is the default
// territory, so a seed should make its root the DefaultTerritoryID.
func (s *Server) wireTerritoryLocked(t *territoryState) wireTerritory {
	wt := wireTerritory{ID: t.ID, Name: t.Name}
	if t.ManagerID != "" {
		wt.Manager = &wireRef{ID: t.ManagerID}
		name := s.users[t.ManagerID].FullName
		if s.cfg.managerNameKey == "name" {
			wt.Manager.Lower = name
		} else {
			wt.Manager.Upper = name
		}
	}
	if t.ReportingTo != "" {
		// Zoho's samples spell the parent's name key `Name`.
		wt.ReportingTo = &wireRef{ID: t.ReportingTo, Upper: s.territories[t.ReportingTo].Name}
	}
	return wt
}

// The roles and profiles every org has, with the ids the sandbox gives
// them, and when the org was set up. Other names of the seed get ids from
// firstRoleID and firstProfileID on.
const (
	adminProfileID, standardProfileID = "5725767000000031157", "5725767000000031159"
	ceoRoleID, repRoleID              = "5725767000000031151", "5725767000000031155"
	firstRoleID, firstProfileID       = 5725767000000032001, 5725767000000033001
	roleCEO, roleRep, profileStandard = "CEO", "Sales Representative", "Standard"
	seededAt                          = "2024-01-15T09:30:00+00:00"
)

// withDefaults fills in what u leaves to the server (see [User]).
func (u User) withDefaults(caller bool) User {
	if u.Status == "" {
		u.Status = StatusActive
	}
	u.FullName, u.FirstName, u.LastName = strings.TrimSpace(u.FullName), strings.TrimSpace(u.FirstName), strings.TrimSpace(u.LastName)
	switch {
	case u.FullName == "":
		u.FullName = strings.TrimSpace(u.FirstName + " " + u.LastName)
	case u.FirstName == "" && u.LastName == "":
		first, last, ok := strings.Cut(u.FullName, " ")
		if ok {
			u.FirstName, u.LastName = first, strings.TrimSpace(last)
		} else {
			u.LastName = first
		}
	}
	switch {
	case u.Role != "":
	case caller:
		u.Role = roleCEO
	default:
		u.Role = roleRep
	}
	switch {
	case u.Profile != "":
	case caller:
		u.Profile = ProfileAdministrator
	default:
		u.Profile = profileStandard
	}
	return u
}

// wireUserOf renders u for the reads of a territory's users.
func (s *Server) wireUserOf(u User) wireUser {
	caller := s.users[s.caller]
	by := &wireRef{ID: caller.ID, Lower: caller.FullName}
	return wireUser{ID: u.ID, FullName: u.FullName, FirstName: nullable(u.FirstName), LastName: nullable(u.LastName),
		Email: u.Email, Status: string(u.Status), Category: "regular_user", CreatedBy: by, CreatedTime: seededAt,
		ModifiedBy: by, ModifiedTime: seededAt, Language: "en_US", Locale: "en_US", ZUID: zuid(u.ID),
		Profile: &wireRef{ID: s.profileIDs[u.Profile], Lower: u.Profile}, Role: &wireRef{ID: s.roleIDs[u.Role], Lower: u.Role}}
}
