package zohoterritorytest

import (
	"net/http"
	"strings"
)

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
