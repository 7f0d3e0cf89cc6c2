package zohoterritorytest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
)

// Messages Zoho sends, word for word as in api/openapi.yaml's examples
// (TestMessagesMatchSpec keeps them in step).
const (
	msgUserRemoved            = "Given User Removed from the mentioned territory Successfully"
	msgTerritoryRemoved       = "Territory removed from the user successfully"
	msgInvalidTerritoryID     = "Invalid Territory Id"
	msgInvalidRelatedID       = "the related id given seems to be invalid"
	msgUserIsManager          = "This user cannot be removed as the user is a manager of the mentioned Territory."
	msgUserNotAMember         = "The user is not a member of this territory."
	msgInvalidUserID          = "The user ID given seems to be invalid"
	msgUserDeleted            = "The user ID given has already been deleted or is not associated with Zoho CRM"
	msgNotAllowed             = "You cannot update the territories you belong to"
	msgInvalidTerritories     = "One or more given territory IDs seem to be invalid"
	msgOrgTerritory           = "Organization Territory cannot be removed from the user"
	msgNotLinked              = "The territory ID is not linked with the specified user"
	msgTerritoryManager       = "The territory given cannot be removed from the user"
	msgRequestMethod          = "The http request method type is not a valid one"
	msgParamMissing           = "One of the expected parameter is missing"
	msgTooManyIDs             = "Maximum number of ids exceeded"
	msgScopeMismatch          = "invalid oauth scope to access this URL"
	msgAuthFailure            = "Authentication failed"
	msgInvalidToken           = "invalid oauth token"
	msgURLPattern             = "Please check if the URL trying to access is a correct one"
	msgTooManyRequests        = "You have made too many requests. Please try again later."
	msgInternalError          = "Internal Server Error"
	msgInvalidUserOrTerritory = "You have specified an invalid ID for either the user, territory or both."
	// Not among the spec's examples; Zoho's wording is unverified.
	msgAPINotSupported    = "The requested API version is not supported"
	msgUnavailable        = "Service Unavailable"
	msgInvalidParamFormat = "The value of %s is invalid"
)

// maxIDs is the most ids one bulk call accepts, counted before duplicates
// are dropped (stricter than deduplicating first, so a client that sends
// too many fails here as it might at Zoho).
const maxIDs = 100

// latestVersion is what API_NOT_SUPPORTED names in details.supported_version.
const latestVersion = "v8"

var versions = []string{"v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"}

const tokenPath = "/oauth/v2/token"

// apiError is Zoho's top-level error object, and also an error item.
type apiError struct {
	status  int
	Code    string         `json:"code"`
	Details map[string]any `json:"details"`
	Message string         `json:"message"`
	Status  string         `json:"status"`
}

func newError(status int, code, message string, details map[string]any) apiError {
	if details == nil {
		details = map[string]any{}
	}
	return apiError{status: status, Code: code, Details: details, Message: message, Status: "error"}
}

// item is one entry of the `users` or `territories` envelope. Its details
// are a struct rather than a map: the encoder then neither sorts keys nor
// reflects over interfaces, which keeps a 100-item answer cheap.
type item struct {
	Code    string      `json:"code"`
	Details itemDetails `json:"details"`
	Message string      `json:"message"`
	Status  string      `json:"status"`
}

// itemDetails is `{"id": ...}`, or `{}` when the id is not named.
type itemDetails struct {
	ID string `json:"id,omitempty"`
}

type operation int

const (
	// The two paths, each read with GET and removed from with DELETE.
	opRemoveUsers       operation = iota // settings/territories/{territory_id}/users
	opRemoveTerritories                  // Users/{user_id}/territories
)

// crmRoute is a request path that matched one of the four URLs.
type crmRoute struct {
	op      operation
	version string
	owner   string // territory_id for opRemoveUsers, user_id for opRemoveTerritories
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
		rt.op, rt.owner = opRemoveUsers, seg[4]
		seg = seg[6:]
	case (seg[2] == "Users" || seg[2] == "users") && seg[4] == "territories":
		rt.op, rt.owner = opRemoveTerritories, seg[3]
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

// captureWriter remembers the status and, when asked, the body.
type captureWriter struct {
	http.ResponseWriter
	status   int
	keepBody bool
	body     bytes.Buffer
}

func (w *captureWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.keepBody {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// serveHTTP is the server's handler: it records each request, applies the
// faults to CRM API requests and, under WithContractCheck, checks the
// exchange around the actual handling.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.begin()()
	api := r.URL.Path != tokenPath
	checked := s.contract != nil && api
	var reqFinding error
	if checked {
		reqFinding = s.contract.CheckRequest(r)
	}
	var plan faultPlan
	if api {
		if s.cfg.hooks.Arrived != nil {
			s.cfg.hooks.Arrived(r)
		}
		s.mu.Lock()
		plan = s.faults.planLocked()
		s.mu.Unlock()
	}
	answering := func(status int) {
		if api && s.cfg.hooks.Answering != nil {
			s.cfg.hooks.Answering(r, status)
		}
	}

	rec := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Fault: plan.kind, Latency: plan.delay}
	var respFinding error
	switch {
	case plan.delay > 0 && !s.wait(context.WithoutCancel(r.Context()), plan.delay):
		// The server is closing: drop the request undone. A client that
		// gave up does not stop the work, as at a server that is merely
		// slow.
		resetConn(w, nil)
	case plan.kind == FaultHang:
		if !s.untilGivenUp(r) {
			resetConn(w, nil) // the server is closing: undone
			break
		}
		// The client gave up; the work is done all the same, as by a
		// server that was merely slow.
		answer := httptest.NewRecorder()
		s.route(answer, r)
		if checked {
			respFinding = s.contract.CheckResponse(r, answer.Code, answer.Header(), answer.Body.Bytes())
		}
	case plan.kind == "" && api && s.cfg.hooks.Answering != nil:
		answer := httptest.NewRecorder()
		s.route(answer, r)
		answering(answer.Code)
		copyHeader(w.Header(), answer.Header())
		w.WriteHeader(answer.Code)
		_, _ = w.Write(answer.Body.Bytes())
		rec.Status = answer.Code
		if checked {
			respFinding = s.contract.CheckResponse(r, answer.Code, answer.Header(), answer.Body.Bytes())
		}
	case plan.kind == "":
		cw := &captureWriter{ResponseWriter: w, keepBody: checked}
		s.route(cw, r)
		rec.Status = cw.status
		if checked {
			respFinding = s.contract.CheckResponse(r, cw.status, cw.Header(), cw.body.Bytes())
		}
	default:
		// When the fault lets the work be done, the handler's own answer
		// is checked against the contract; what the fault then makes of
		// it is outside the contract on purpose.
		var answer *httptest.ResponseRecorder
		if plan.doesWork() {
			answer = httptest.NewRecorder()
			s.route(answer, r)
		}
		if status := plan.status(answer); status != 0 {
			answering(status)
		}
		rec.Status = s.serveFault(w, r, plan, answer)
		if checked && answer != nil {
			respFinding = s.contract.CheckResponse(r, answer.Code, answer.Header(), answer.Body.Bytes())
		}
	}

	if r.URL.Path == tokenPath {
		rec.RawQuery = redactQuery(rec.RawQuery)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, rec)
	if reqFinding != nil {
		s.reqViolation = append(s.reqViolation, reqFinding.Error())
	}
	if respFinding != nil {
		s.violations = append(s.violations, respFinding.Error())
	}
}

// redactQuery hides credentials a client sent in the token endpoint's query.
func redactQuery(raw string) string {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return redacted
	}
	for _, k := range []string{"client_secret", "refresh_token", "code"} {
		if q.Has(k) {
			q.Set(k, redacted)
		}
	}
	return q.Encode()
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
	if r.Method == http.MethodGet {
		s.serveRead(w, r, rt)
		return
	}
	var ids []string
	if rt.bulk {
		var e *apiError
		if ids, e = parseIDs(r.URL.Query().Get("ids")); e != nil {
			writeJSON(w, e.status, e)
			return
		}
	} else {
		ids = []string{rt.single}
	}

	s.mu.Lock()
	var items []item
	var e *apiError
	if rt.op == opRemoveUsers {
		items, e = s.removeUsersLocked(rt.owner, ids)
	} else {
		items, e = s.removeTerritoriesLocked(rt.owner, ids)
	}
	s.mu.Unlock()
	if e != nil {
		writeJSON(w, e.status, e)
		return
	}
	key := "users"
	if rt.op == opRemoveTerritories {
		key = "territories"
	}
	writeJSON(w, envelopeStatus(items), map[string][]item{key: items})
}

// precheck answers, in this order: an unsupported version, a method other
// than GET (the reads) and DELETE (the removals), a missing or malformed Authorization header, an unknown or
// expired token, and a token without the operation's scopes.
func (s *Server) precheck(r *http.Request, rt crmRoute) (apiError, bool) {
	if !slices.Contains(versions, rt.version) {
		return newError(http.StatusBadRequest, "API_NOT_SUPPORTED", msgAPINotSupported,
			map[string]any{"supported_version": latestVersion}), true
	}
	if r.Method != http.MethodDelete && r.Method != http.MethodGet {
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
	if !allowed(rt.op, r.Method == http.MethodGet, ts.scopes) {
		return newError(http.StatusUnauthorized, "OAUTH_SCOPE_MISMATCH", msgScopeMismatch, nil), true
	}
	return apiError{}, false
}

// allowed applies each operation's scope rule, as api/openapi.yaml's
// security says. Zoho spells the last part of a scope ALL or All, so it is
// compared without case.
func allowed(op operation, read bool, scopes []string) bool {
	has := func(want string) bool {
		return slices.ContainsFunc(scopes, func(sc string) bool { return normalizeScope(sc) == want })
	}
	switch {
	case read && op == opRemoveUsers:
		return has(ScopeUsersRead) || has(ScopeUsersAll)
	case read:
		return has(ScopeUsersRead) || has(ScopeUsersAll) || has(ScopeTerritoriesRead) || has(ScopeTerritoriesAll)
	}
	switch op {
	case opRemoveUsers:
		return has(ScopeTerritoriesAll) || (has(ScopeTerritoriesDelete) && has(ScopeUsersAll))
	case opRemoveTerritories:
		return (has(ScopeUsersAll) || has(ScopeUsersDelete)) &&
			(has(ScopeTerritoriesAll) || has(ScopeTerritoriesDelete))
	}
	return false
}

func normalizeScope(sc string) string {
	i := strings.LastIndexByte(sc, '.')
	return sc[:i+1] + strings.ToUpper(sc[i+1:])
}

// parseIDs reads the first `ids` parameter, as a servlet's getParameter
// and both contract validators do (a repeated `ids` is ignored):
// comma-separated, empty entries skipped, duplicates dropped (the first one
// kept).
func parseIDs(value string) ([]string, *apiError) {
	var raw []string
	for id := range strings.SplitSeq(value, ",") {
		if id = strings.TrimSpace(id); id != "" {
			raw = append(raw, id)
		}
	}
	if len(raw) == 0 {
		e := newError(http.StatusBadRequest, "REQUIRED_PARAM_MISSING", msgParamMissing, map[string]any{"param_name": "ids"})
		return nil, &e
	}
	if len(raw) > maxIDs {
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgTooManyIDs,
			map[string]any{"param_name": "ids", "maximum_length": maxIDs})
		return nil, &e
	}
	seen := make(map[string]bool, len(raw))
	ids := raw[:0]
	for _, id := range raw {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (s *Server) success(id, message string) item {
	return item{Code: "SUCCESS", Details: itemDetails{ID: id}, Message: message, Status: "success"}
}

func (s *Server) failure(id, message string) item {
	var details itemDetails
	if s.cfg.errorItemIDs && isRecordID(id) {
		details.ID = id
	}
	return item{Code: "INVALID_DATA", Details: details, Message: message, Status: "error"}
}

func (s *Server) removeUsersLocked(territoryID string, userIDs []string) ([]item, *apiError) {
	t, ok := s.territories[territoryID]
	if !ok {
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidTerritoryID, map[string]any{"resource_path_index": 2})
		return nil, &e
	}
	items := make([]item, 0, len(userIDs))
	for _, id := range userIDs {
		_, known := s.users[id]
		switch {
		case !known:
			items = append(items, s.failure(id, msgInvalidRelatedID))
		case id == t.ManagerID:
			items = append(items, s.failure(id, msgUserIsManager))
		case !t.members[id]:
			items = append(items, s.failure(id, msgUserNotAMember))
		default:
			delete(t.members, id)
			items = append(items, s.success(id, msgUserRemoved))
		}
	}
	return items, nil
}

func (s *Server) removeTerritoriesLocked(userID string, territoryIDs []string) ([]item, *apiError) {
	u, ok := s.users[userID]
	switch {
	case !ok:
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidUserID, map[string]any{"resource_path_index": 1})
		return nil, &e
	case u.Status != StatusActive:
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgUserDeleted, map[string]any{"owner_status": string(u.Status)})
		return nil, &e
	case userID == s.caller:
		e := newError(http.StatusBadRequest, "NOT_ALLOWED", msgNotAllowed, nil)
		return nil, &e
	}
	for _, id := range territoryIDs {
		if _, ok := s.territories[id]; !ok {
			e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidTerritories, nil)
			return nil, &e
		}
	}
	items := make([]item, 0, len(territoryIDs))
	for _, id := range territoryIDs {
		t := s.territories[id]
		switch {
		case id == s.defaultTerr:
			items = append(items, s.failure(id, msgOrgTerritory))
		case !t.members[userID]:
			items = append(items, s.failure(id, msgNotLinked))
		case t.ManagerID == userID:
			items = append(items, s.failure(id, msgTerritoryManager))
		default:
			delete(t.members, userID)
			items = append(items, s.success(id, msgTerritoryRemoved))
		}
	}
	return items, nil
}

// envelopeStatus is 200 when every item succeeded, 400 when none did, and
// 207 Multi-Status otherwise.
func envelopeStatus(items []item) int {
	ok := 0
	for _, it := range items {
		if it.Status == "success" {
			ok++
		}
	}
	switch ok {
	case len(items):
		return http.StatusOK
	case 0:
		return http.StatusBadRequest
	}
	return http.StatusMultiStatus
}

// serveToken is Zoho's refresh-token grant. Like Zoho, it reports bad
// credentials with HTTP 200 and an `error` field.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	// Zoho's Node SDK posts multipart/form-data; curl and x/oauth2 post
	// application/x-www-form-urlencoded. ParseMultipartForm reads both.
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	if r.Form.Get("grant_type") != "refresh_token" {
		writeJSON(w, http.StatusOK, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.clients, func(c OAuthClient) bool { return c.ClientID == r.Form.Get("client_id") })
	switch {
	case i < 0 || s.clients[i].ClientSecret != r.Form.Get("client_secret"):
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_client"})
	case s.clients[i].RefreshToken != r.Form.Get("refresh_token"):
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_code"})
	default:
		s.refreshes++
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": s.issueLocked(slices.Clone(s.clients[i].Scopes)),
			"api_domain":   s.url,
			"token_type":   "Bearer",
			"expires_in":   int(s.cfg.tokenLifetime.Seconds()),
		})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only plain maps and structs are written
		status, b = http.StatusInternalServerError, []byte(`{"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
