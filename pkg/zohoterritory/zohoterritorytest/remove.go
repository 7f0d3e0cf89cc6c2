package zohoterritorytest

import (
	"fmt"
	"net/http"
	"strings"
)

// parseIDs reads the first `ids` parameter, as a servlet's getParameter
// and both contract validators do (a repeated `ids` is ignored). It
// refuses what Zoho's files refuse: no value, an empty entry (a trailing
// comma too), more than 100 ids, more characters than maxChars. It returns
// the ids with repeats dropped (the first kept) and, for each, its place
// in the request.
func parseIDs(value string, maxChars int) (ids []string, at map[string]int, e *apiError) {
	raw := strings.Split(value, ",")
	switch {
	case strings.TrimSpace(value) == "":
		e := newError(http.StatusBadRequest, "REQUIRED_PARAM_MISSING", msgParamMissing, map[string]any{"param_name": "ids"})
		return nil, nil, &e
	case len(raw) > maxIDs:
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgTooManyIDs,
			map[string]any{"param_name": "ids", "maximum_length": maxIDs})
		return nil, nil, &e
	case len(value) > maxChars:
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgIDsTooLong,
			map[string]any{"param_name": "ids", "maximum_length": maxChars})
		return nil, nil, &e
	}
	at = make(map[string]int, len(raw))
	for i, id := range raw {
		if id = strings.TrimSpace(id); id == "" {
			e := newError(http.StatusBadRequest, "INVALID_DATA", msgIDsMalformed, map[string]any{"param_name": "ids"})
			return nil, nil, &e
		}
		if _, dup := at[id]; !dup {
			at[id] = i
			ids = append(ids, id)
		}
	}
	return ids, at, nil
}

func (s *Server) success(id, message string) item {
	return item{Code: "SUCCESS", Details: itemDetails{ID: id}, Message: message, Status: "success"}
}

// failure is a removal's error item: `"details": {}`, as Zoho's
// documentation shows it, or under [WithNamedErrorItems] naming its id in
// details.id, as Zoho's OpenAPI examples do.
func (s *Server) failure(id, message string) item {
	var details itemDetails
	if s.cfg.namedItems && isRecordID(id) {
		details.ID = id
	}
	return item{Code: "INVALID_DATA", Details: details, Message: message, Status: "error"}
}

// atPlace is a removal's error item about an unknown territory among
// several: `"details": {}`, or under [WithNamedErrorItems] naming it by its
// place in the request, as Zoho's OpenAPI example does.
func (s *Server) atPlace(key string, place int, message string) item {
	var details itemDetails
	if s.cfg.namedItems {
		details.APIName, details.JSONPath = "id", fmt.Sprintf("$.%s[%d].id", key, place)
	}
	return item{Code: "INVALID_DATA", Details: details, Message: message, Status: "error"}
}

func pathIndex(i int) *int { return &i }

// removeUsersLocked removes users from a territory. In the bulk form an
// unknown territory is one item of the envelope (Zoho's example), in the
// single form a top-level error; an unknown user is an item in the bulk
// form and a top-level error (resource_path_index 4) in the single one.
func (s *Server) removeUsersLocked(territoryID string, userIDs []string, bulk bool) ([]item, *apiError) {
	t, ok := s.territories[territoryID]
	switch {
	case !ok && bulk:
		return []item{{Code: "INVALID_DATA", Details: itemDetails{ResourcePathIndex: pathIndex(2)}, Message: msgGivenIDInvalid, Status: "error"}}, nil
	case !ok:
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidTerritoryID, map[string]any{"resource_path_index": 2})
		return nil, &e
	case !bulk:
		if _, known := s.users[userIDs[0]]; !known {
			e := newError(http.StatusBadRequest, "INVALID_DATA", msgIDInvalid, map[string]any{"resource_path_index": 4})
			return nil, &e
		}
	}
	items := make([]item, 0, len(userIDs))
	for _, id := range userIDs {
		_, known := s.users[id]
		switch {
		case !known:
			items = append(items, s.failure(id, msgGivenUserIDInvalid))
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

// removeTerritoriesLocked removes territories from a user. An unknown
// territory among several is an item naming its place (Zoho's example), or,
// under [WithRequestLevelInvalidIDs], one top-level error for the whole
// call, as Zoho's documentation also lists; alone, it is a top-level error
// (resource_path_index 3).
func (s *Server) removeTerritoriesLocked(userID string, territoryIDs []string, at map[string]int, bulk bool) ([]item, *apiError) {
	if e := s.ownerRefusalLocked(userID); e != nil {
		return nil, e
	}
	if userID == s.caller {
		e := newError(http.StatusBadRequest, "NOT_ALLOWED", msgNotAllowed, nil)
		return nil, &e
	}
	for _, id := range territoryIDs {
		if _, ok := s.territories[id]; ok {
			continue
		}
		switch {
		case !bulk:
			e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidTerritoryID, map[string]any{"resource_path_index": 3})
			return nil, &e
		case s.cfg.requestLevelInvalidIDs:
			e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidTerritories, nil)
			return nil, &e
		}
	}
	items := make([]item, 0, len(territoryIDs))
	for _, id := range territoryIDs {
		t, known := s.territories[id]
		switch {
		case !known:
			items = append(items, s.atPlace("territories", at[id], msgInvalidTerritoryID))
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

// ownerRefusalLocked refuses, for the territories of a user (removed or
// added), a user who does not exist (resource_path_index 1) or is not
// active (owner_status); nil for a user whose territories may change.
func (s *Server) ownerRefusalLocked(userID string) *apiError {
	u, ok := s.users[userID]
	switch {
	case !ok:
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgInvalidUserID, map[string]any{"resource_path_index": 1})
		return &e
	case u.Status != StatusActive:
		e := newError(http.StatusBadRequest, "INVALID_DATA", msgUserDeleted, map[string]any{"owner_status": string(u.Status)})
		return &e
	}
	return nil
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
