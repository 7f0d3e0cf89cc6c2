package zohoterritorytest

import (
	"net/http"
	"slices"
	"strings"
)

// operation names the path a request is for. The memberships, seen from
// the territory or from the user, are read with GET, changed with DELETE
// and added to with PUT; the directory (the org's users and territories)
// is only read.
type operation int

const (
	opTerritoryUsers   operation = iota // settings/territories/{territory_id}/users
	opUserTerritories                   // users/{user_id}/territories
	opUsers                             // users, users/{user_id}
	opTerritories                       // settings/territories, settings/territories/{territory_id}
	opChildTerritories                  // settings/territories/{territory_id}/__child_territories
	opUsersCount                        // settings/territories/actions/associated_users_count
	opTransfer                          // settings/territories[/{territory_id}]/actions/transfer_and_delete
	opOrg                               // org
)

// directory reports whether op is a read of the org's users or
// territories rather than of a membership.
func (op operation) directory() bool { return op == opUsers || op == opTerritories }

// crmRoute is a request path that matched one of the URLs.
type crmRoute struct {
	op      operation
	version string
	owner   string // territory_id for opTerritoryUsers, user_id for opUserTerritories, "" otherwise
	single  string // the id in the single-id form, "" in the bulk form
	bulk    bool
}

// matchCRM matches a path against the URLs the sandbox serves, taking
// `Users` (Zoho's documentation of the removals) and `users` (Zoho's SDKs,
// and the documentation of everything else) alike wherever a user path
// starts. Segments may be anything non-empty; ids are checked later so
// that a bad id gets Zoho's answer for it rather than a 404.
func matchCRM(path string) (crmRoute, bool) {
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(seg) < 3 || seg[0] != "crm" || slices.Contains(seg, "") {
		return crmRoute{}, false
	}
	rt := crmRoute{version: seg[1]}
	if len(seg) == 3 && seg[2] == "org" {
		rt.op = opOrg
		return rt, true
	}
	var list, member operation // the route of the collection, and of its members' memberships
	var members string         // the segment naming the memberships
	switch rest := seg[2:]; {
	case len(rest) >= 2 && rest[0] == "settings" && rest[1] == "territories":
		list, member, members, seg = opTerritories, opTerritoryUsers, "users", rest[2:]
	case rest[0] == "Users" || rest[0] == "users":
		list, member, members, seg = opUsers, opUserTerritories, "territories", rest[1:]
	default:
		return crmRoute{}, false
	}
	if list == opTerritories {
		if lrt, ok := matchLifecycle(seg); ok {
			lrt.version = rt.version
			return lrt, true
		}
	}
	// seg is now what follows the collection: nothing, {id}, or
	// {id}/{members}[/{id}].
	switch {
	case len(seg) <= 1:
		rt.op = list
	case seg[1] == members:
		rt.op, rt.owner = member, seg[0]
		seg = seg[2:]
	default:
		return crmRoute{}, false
	}
	switch len(seg) {
	case 0:
		rt.bulk = true
	case 1:
		rt.single = seg[0]
	default:
		return crmRoute{}, false
	}
	return rt, true
}

func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == tokenPath {
		s.serveToken(w, r)
		return
	}
	rt, ok := matchCRM(r.URL.Path)
	if !ok {
		writeJSON(w, http.StatusNotFound, newError(http.StatusNotFound, "INVALID_URL_PATTERN", msgURLPattern, nil))
		return
	}
	if e, failed := s.precheck(r, rt); failed {
		writeJSON(w, e.status, e)
		return
	}
	switch {
	case rt.op.lifecycle() || (rt.op == opTerritories && r.Method != http.MethodGet):
		s.serveLifecycle(w, r, rt)
		return
	case rt.op == opOrg:
		s.serveOrg(w)
		return
	case rt.op.directory():
		s.serveDirectory(w, r, rt)
		return
	case r.Method == http.MethodGet:
		s.serveRead(w, r, rt)
		return
	case r.Method == http.MethodPut:
		s.serveAdd(w, r, rt)
		return
	}
	ids, at := []string{rt.single}, map[string]int{rt.single: 0}
	if rt.bulk {
		maxChars := maxTerritoryIDsChars
		if rt.op == opTerritoryUsers {
			maxChars = maxUserIDsChars
		}
		var e *apiError
		if ids, at, e = parseIDs(r.URL.Query().Get("ids"), maxChars); e != nil {
			writeJSON(w, e.status, e)
			return
		}
	}

	s.mu.Lock()
	var items []item
	var e *apiError
	if rt.op == opTerritoryUsers {
		items, e = s.removeUsersLocked(rt.owner, ids, rt.bulk)
	} else {
		items, e = s.removeTerritoriesLocked(rt.owner, ids, at, rt.bulk)
	}
	s.mu.Unlock()
	if e != nil {
		writeJSON(w, e.status, e)
		return
	}
	key := "users"
	if rt.op == opUserTerritories {
		key = "territories"
	}
	writeJSON(w, envelopeStatus(items), map[string][]item{key: items})
}

// precheck answers, in this order: an unsupported version, a method other
// than GET (the reads), DELETE (the removals) and PUT (the adds, on the
// three URLs that have one), a missing or malformed
// Authorization header, an unknown or expired token, a token without the
// operation's scopes, and then the org's refusals: territory management
// off (the seed's territory_feature), which is a 403 on the memberships, a
// 400 FEATURE_NOT_ENABLED on the territories API (as Zoho's OpenAPI
// examples for it show) and nothing on the users API, and a caller without
// the permission (caller_without_permission), a 403 on every call.
func (s *Server) precheck(r *http.Request, rt crmRoute) (apiError, bool) {
	if !slices.Contains(versions, rt.version) {
		return newError(http.StatusBadRequest, "API_NOT_SUPPORTED", msgAPINotSupported,
			map[string]any{"supported_version": latestVersion}), true
	}
	if !methodAllowed(r.Method, rt) {
		return newError(http.StatusBadRequest, "INVALID_REQUEST_METHOD", msgRequestMethod, nil), true
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Zoho-oauthtoken ")
	tok = strings.TrimSpace(tok)
	if !ok || tok == "" {
		return newError(http.StatusUnauthorized, "AUTHENTICATION_FAILURE", msgAuthFailure, nil), true
	}
	s.mu.Lock()
	ts, known := s.tokens[tok]
	live := known && (ts.expiresAt.IsZero() || s.cfg.now().Before(ts.expiresAt))
	s.mu.Unlock()
	if !live {
		return newError(http.StatusUnauthorized, "INVALID_TOKEN", msgInvalidToken, nil), true
	}
	if !allowed(rt.op, r.Method, ts.scopes) {
		return newError(http.StatusUnauthorized, "OAUTH_SCOPE_MISMATCH", msgScopeMismatch, nil), true
	}
	switch {
	case rt.op == opUsers, rt.op == opOrg:
	case rt.op.territoriesAPI() && s.feature == TerritoriesNotEnabled:
		return newError(http.StatusBadRequest, "FEATURE_NOT_ENABLED", msgFeatureNotEnabled, nil), true
	case rt.op.territoriesAPI() && s.feature == TerritoriesDisabled:
		return newError(http.StatusBadRequest, "FEATURE_NOT_ENABLED", msgFeatureDisabled, nil), true
	case s.feature == TerritoriesNotEnabled:
		return newError(http.StatusForbidden, "TERRITORY_NOT_ENABLED", msgTerritoryNotOn, nil), true
	case s.feature == TerritoriesDisabled:
		return newError(http.StatusForbidden, "TERRITORY_DISABLED", msgTerritoryOff, nil), true
	}
	if s.callerDenied {
		return newError(http.StatusForbidden, "NO_PERMISSION", msgPermissionDenied, nil), true
	}
	return apiError{}, false
}

// methodAllowed reports whether the URL has an operation for method: GET
// everywhere, DELETE on the memberships, PUT on a territory's users (both
// forms) and on a user's territories (the bulk form only, as Zoho
// documents no other). The users are only read; the territories are also
// created, changed and deleted (lifecycleMethodAllowed).
func methodAllowed(method string, rt crmRoute) bool {
	if rt.op.territoriesAPI() {
		return lifecycleMethodAllowed(method, rt)
	}
	if rt.op.directory() || rt.op == opOrg {
		return method == http.MethodGet
	}
	switch method {
	case http.MethodGet, http.MethodDelete:
		return true
	case http.MethodPut:
		return rt.op == opTerritoryUsers || rt.bulk
	}
	return false
}

// allowed applies each operation's scope rule, as api/openapi.yaml's
// security says. Zoho spells the last part of a scope ALL or All, so it is
// compared without case.
func allowed(op operation, method string, scopes []string) bool {
	has := func(want string) bool {
		return slices.ContainsFunc(scopes, func(sc string) bool { return normalizeScope(sc) == want })
	}
	read := method == http.MethodGet
	if op.territoriesAPI() {
		return lifecycleAllowed(op, method, has)
	}
	switch {
	case op == opOrg:
		return has(ScopeOrgRead) || has(ScopeOrgAll)
	case op == opUsers:
		return has(ScopeUsersRead) || has(ScopeUsersAll)
	case op == opTerritories:
		return has(ScopeTerritoriesRead) || has(ScopeTerritoriesAll)
	case method == http.MethodPut && op == opTerritoryUsers:
		return has(ScopeTerritoriesAll) && has(ScopeUsersAll)
	case method == http.MethodPut:
		return (has(ScopeUsersAll) || has(ScopeUsersUpdate)) &&
			(has(ScopeTerritoriesAll) || has(ScopeTerritoriesUpdate))
	case read && op == opTerritoryUsers:
		return has(ScopeUsersRead) || has(ScopeUsersAll)
	case read:
		return has(ScopeUsersRead) || has(ScopeUsersAll) || has(ScopeTerritoriesRead) || has(ScopeTerritoriesAll)
	}
	switch op {
	case opTerritoryUsers:
		return has(ScopeTerritoriesAll) || (has(ScopeTerritoriesDelete) && has(ScopeUsersAll))
	case opUserTerritories:
		return (has(ScopeUsersAll) || has(ScopeUsersDelete)) &&
			(has(ScopeTerritoriesAll) || has(ScopeTerritoriesDelete))
	}
	return false
}

func normalizeScope(sc string) string {
	i := strings.LastIndexByte(sc, '.')
	return sc[:i+1] + strings.ToUpper(sc[i+1:])
}
