package zohoterritorytest

import (
	"net/http"
	"slices"
	"strings"
)

// operation names the path a request is for: a membership seen from the
// territory or from the user. Each is read with GET and changed with
// DELETE, and added to with PUT.
type operation int

const (
	opTerritoryUsers  operation = iota // settings/territories/{territory_id}/users
	opUserTerritories                  // Users/{user_id}/territories
)

// crmRoute is a request path that matched one of the four URLs.
type crmRoute struct {
	op      operation
	version string
	owner   string // territory_id for opTerritoryUsers, user_id for opUserTerritories
	single  string // the id in the single-id form, "" in the bulk form
	bulk    bool
}

// matchCRM matches a path against the four URLs, taking `Users` (Zoho's
// documentation) and `users` (Zoho's SDKs) alike. Segments may be anything non-empty; ids are checked
// later so that a bad id gets Zoho's INVALID_DATA rather than a 404.
func matchCRM(path string) (crmRoute, bool) {
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	if len(seg) < 5 || seg[0] != "crm" || slices.Contains(seg, "") {
		return crmRoute{}, false
	}
	rt := crmRoute{version: seg[1]}
	switch {
	case len(seg) >= 6 && seg[2] == "settings" && seg[3] == "territories" && seg[5] == "users":
		rt.op, rt.owner = opTerritoryUsers, seg[4]
		seg = seg[6:]
	case (seg[2] == "Users" || seg[2] == "users") && seg[4] == "territories":
		rt.op, rt.owner = opUserTerritories, seg[3]
		seg = seg[5:]
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
	switch r.Method {
	case http.MethodGet:
		s.serveRead(w, r, rt)
		return
	case http.MethodPut:
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
// operation's scopes, and then the org's 403s: territory management off
// (the seed's territory_feature) or a caller without the permission
// (caller_without_permission).
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
	switch s.feature {
	case TerritoriesNotEnabled:
		return newError(http.StatusForbidden, "TERRITORY_NOT_ENABLED", msgTerritoryNotOn, nil), true
	case TerritoriesDisabled:
		return newError(http.StatusForbidden, "TERRITORY_DISABLED", msgTerritoryOff, nil), true
	}
	if s.callerDenied {
		return newError(http.StatusForbidden, "NO_PERMISSION", msgPermissionDenied, nil), true
	}
	return apiError{}, false
}

// methodAllowed reports whether the URL has an operation for method: GET
// and DELETE everywhere, PUT on a territory's users (both forms) and on a
// user's territories (the bulk form only, as Zoho documents no other).
func methodAllowed(method string, rt crmRoute) bool {
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
	switch {
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
