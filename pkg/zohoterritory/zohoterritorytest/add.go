package zohoterritorytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
)

// The adds mirror the removals: a request-level problem (the body, an
// unknown territory or user in the path, the caller's own territories) is
// one error object and changes nothing; otherwise every record of the body
// gets one item, in the body's order, and the status is 200, 207 or 400 as
// for a removal. Items are worked through in order against the state as it
// stands, so a record named twice is added by its first mention and the
// later ones are DUPLICATE_DATA, as a second call would be.

// serveAdd answers the PUTs: addUserToTerritory (no body),
// addUsersToTerritory and addTerritoriesToUser.
func (s *Server) serveAdd(w http.ResponseWriter, r *http.Request, rt crmRoute) {
	key := "users"
	if rt.op == opUserTerritories {
		key = "territories"
	}
	var refs []bodyID
	if rt.bulk {
		var e *apiError
		if refs, e = readRefs(r.Body, key); e != nil {
			writeJSON(w, e.status, e)
			return
		}
	}

	s.mu.Lock()
	var items []item
	var e *apiError
	switch {
	case rt.op == opTerritoryUsers && rt.bulk:
		items, e = s.addUsersLocked(rt.owner, refs)
	case rt.op == opTerritoryUsers:
		items, e = s.addUserLocked(rt.owner, rt.single)
	default:
		items, e = s.addTerritoriesLocked(rt.owner, refs)
	}
	s.mu.Unlock()
	if e != nil {
		writeJSON(w, e.status, e)
		return
	}
	writeJSON(w, envelopeStatus(items), map[string][]item{key: items})
}

// readArray reads a body's array of records under key, as JSON whatever
// its Content-Type: an empty body, or one without the array or with an
// empty one, is 400 MANDATORY_NOT_FOUND with missing as its details; a
// body that is not a JSON object, or whose array is not one, INVALID_DATA.
func readArray(body io.Reader, key string, missing map[string]any) ([]json.RawMessage, *apiError) {
	b, err := io.ReadAll(body) // bounded by serveHTTP's MaxBytesReader
	if err != nil {
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgBodyNotJSON, nil)
		return nil, &e
	}
	none := func() *apiError {
		e := newError(http.StatusBadRequest, "MANDATORY_NOT_FOUND", msgMandatoryNotFound, missing)
		return &e
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, none()
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil || obj == nil {
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgBodyNotJSON, nil)
		return nil, &e
	}
	raw, ok := obj[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, none()
	}
	var records []json.RawMessage
	if err := json.Unmarshal(raw, &records); err != nil {
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidDataType,
			map[string]any{"api_name": key, "expected_data_type": "jsonarray"})
		return nil, &e
	}
	if len(records) == 0 {
		return nil, none()
	}
	return records, nil
}

// readRefs reads an add's body, `{"users": [{"id": "..."}, ...]}` (key is
// `users` or `territories`), as JSON whatever its Content-Type, none
// included (Zoho's SDKs send none). An id is a string or the same digits
// as a JSON number (Zoho's Python SDK), read through [bodyID]. An empty
// body, or one without the array or with
// an empty one, is 400 MANDATORY_NOT_FOUND naming the array (Zoho-wide, as
// api/openapi.yaml's UsersMissing shows it); a body that is not a JSON
// object, or whose array is not one, is INVALID_DATA (wording unverified);
// more than 100 records is LIMIT_EXCEEDED with `details.limit` (unverified:
// Zoho documents the cap, not its answer). A record that is not an object or
// has no `id` is read as a record without an id, answered by its own item.
func readRefs(body io.Reader, key string) ([]bodyID, *apiError) {
	records, e := readArray(body, key, map[string]any{"api_name": key})
	if e != nil {
		return nil, e
	}
	switch {
	case len(records) > maxAddRecords:
		e := newError(http.StatusBadRequest, "LIMIT_EXCEEDED", msgTooManyRecords,
			map[string]any{"api_name": key, "limit": maxAddRecords})
		return nil, &e
	}
	refs := make([]bodyID, len(records))
	for i, rec := range records {
		// A map, not a struct, so that only the key `id` is the id
		// (encoding/json matches struct fields ignoring case).
		var fields map[string]json.RawMessage
		if json.Unmarshal(rec, &fields) != nil {
			continue
		}
		if idRaw, ok := fields["id"]; ok {
			_ = refs[i].UnmarshalJSON(idRaw) // never fails
		}
	}
	return refs, nil
}

// addItem is an error item of an add naming its record by its place in the
// body (`api_name` id and `json_path`), as Zoho's examples do, or saying
// nothing of it under [WithAnonymousErrorItems].
func (s *Server) addItem(code, key string, place int, message string) item {
	var details itemDetails
	if !s.cfg.anonymousItems {
		details.APIName, details.JSONPath = "id", fmt.Sprintf("$.%s[%d].id", key, place)
	}
	return item{Code: code, Details: details, Message: message, Status: "error"}
}

// missingID is the item of a record without an `id`.
func (s *Server) missingID(key string, place int) item {
	return s.addItem("MANDATORY_NOT_FOUND", key, place, msgMandatoryNotFound)
}

// full reports whether t holds as many users as [WithTerritoryUserLimit]
// allows.
func (s *Server) full(t *territoryState) bool {
	return s.cfg.territoryUserLimit > 0 && len(t.members) >= s.cfg.territoryUserLimit
}

// limitItem is the LIMIT_EXCEEDED item of a full territory; place < 0 for
// the single form, which names nothing but the limit (Zoho's example).
func (s *Server) limitItem(key string, place int) item {
	it := item{Code: "LIMIT_EXCEEDED", Message: msgTerritoryUserLimit, Status: "error"}
	if place >= 0 {
		it = s.addItem(it.Code, key, place, it.Message)
	}
	it.Details.Limit = s.cfg.territoryUserLimit
	return it
}

// unknownTerritoryInPath is the error object for an unknown territory in an
// add's path, as the removal of one user gives it.
func unknownTerritoryInPath() *apiError {
	e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidTerritoryID, map[string]any{"resource_path_index": 2})
	return &e
}

// addUsersLocked adds the users of the body to a territory.
func (s *Server) addUsersLocked(territoryID string, refs []bodyID) ([]item, *apiError) {
	t, ok := s.territories[territoryID]
	if !ok {
		return nil, unknownTerritoryInPath()
	}
	items := make([]item, 0, len(refs))
	for i, ref := range refs {
		id := ref.id()
		u, known := s.users[id]
		switch {
		case !ref.present:
			items = append(items, s.missingID("users", i))
		case !known:
			items = append(items, s.addItem("INVALID_DATA", "users", i, msgGivenUserIDInvalid))
		case u.Status != StatusActive:
			it := s.addItem("INVALID_DATA", "users", i, msgAddDeletedUser)
			if !s.cfg.anonymousItems {
				it.Details.OwnerStatus = string(u.Status)
			}
			items = append(items, it)
		case t.members[id]:
			items = append(items, s.addItem("DUPLICATE_DATA", "users", i, msgUserExists))
		case s.full(t):
			items = append(items, s.limitItem("users", i))
		default:
			t.members[id] = true
			items = append(items, s.success(id, msgUserAdded))
		}
	}
	return items, nil
}

// addUserLocked adds the user of the path to a territory. An unknown user is
// a top-level error, as for the removal of one user; the other failures are
// the envelope's one item, naming the user by `resource_path_index` 4 as
// Zoho's DUPLICATE_DATA example does.
func (s *Server) addUserLocked(territoryID, userID string) ([]item, *apiError) {
	t, ok := s.territories[territoryID]
	if !ok {
		return nil, unknownTerritoryInPath()
	}
	u, known := s.users[userID]
	if !known {
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgIDInvalid, map[string]any{"resource_path_index": 4})
		return nil, &e
	}
	byPath := func(code, message string) item {
		it := item{Code: code, Message: message, Status: "error"}
		if !s.cfg.anonymousItems {
			it.Details.ResourcePathIndex = pathIndex(4)
		}
		return it
	}
	switch {
	case u.Status != StatusActive:
		it := byPath("INVALID_DATA", msgAddDeletedUser)
		if !s.cfg.anonymousItems {
			it.Details.OwnerStatus = string(u.Status)
		}
		return []item{it}, nil
	case t.members[userID]:
		return []item{byPath("DUPLICATE_DATA", msgUserExists)}, nil
	case s.full(t):
		return []item{s.limitItem("users", -1)}, nil
	}
	t.members[userID] = true
	return []item{s.success(userID, msgUserAdded)}, nil
}

// addTerritoriesLocked adds the territories of the body to a user. The user
// is checked as by the removals (unknown, not active), except that the
// caller's own territories are Zoho's 403 NOT_ALLOWED of its OpenAPI file
// rather than the removals' 400.
func (s *Server) addTerritoriesLocked(userID string, refs []bodyID) ([]item, *apiError) {
	if e := s.ownerRefusalLocked(userID); e != nil {
		return nil, e
	}
	if userID == s.caller {
		e := newError(http.StatusForbidden, "NOT_ALLOWED", msgNotAllowedToAdd, nil)
		return nil, &e
	}
	items := make([]item, 0, len(refs))
	for i, ref := range refs {
		id := ref.id()
		t, known := s.territories[id]
		switch {
		case !ref.present:
			items = append(items, s.missingID("territories", i))
		case !known:
			items = append(items, s.addItem("INVALID_DATA", "territories", i, msgInvalidTerritoryID))
		case t.members[userID]:
			items = append(items, s.addItem("DUPLICATE_DATA", "territories", i, msgTerritoryExists))
		case s.full(t):
			items = append(items, s.limitItem("territories", i))
		default:
			t.members[userID] = true
			items = append(items, s.success(id, msgTerritoryAdded))
		}
	}
	return items, nil
}
