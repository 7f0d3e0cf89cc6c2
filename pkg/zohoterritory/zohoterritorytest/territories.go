package zohoterritorytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The territories' lifecycle: create, update, delete, transfer and delete,
// a territory's children and the users' counts, with Zoho's rules as its
// pages and its OpenAPI file (zoho/crm-oas v8.0/territories) give them, and
// where they are silent, as api/openapi.yaml infers:
//
//   - names are unique in the org, compared without regard to case (Zoho
//     documents uniqueness, not its case rule); a seed may hold a name
//     twice (a test of a name that names two territories does), which
//     only a create or a rename refuses;
//   - a name holds 1 to 50 characters, a description at most 250;
//   - the organization territory (the root, reporting to none) can only be
//     renamed, and is never deleted;
//   - a territory cannot report to itself or to a descendant;
//   - a territory with children is not deleted; transfer and delete moves
//     them to transfer_to_id first, and the deleted territory's members
//     lose it;
//   - a manager must be an active user, and becomes a member;
//   - the org holds at most WithTerritoryLimit territories;
//   - a call carries at most 100 territories to create or update, 10 to
//     delete or transfer (INVALID_REQUEST past them).
//
// Items are worked through in the body's order against the state as it
// stands, so that a name created by an earlier item is taken for a later
// one, and each gets its own item in the `territories` envelope (200, 207
// or 400; 201 for a create that created every territory).

// DefaultTerritoryLimit is the most territories an org holds unless
// [WithTerritoryLimit] says otherwise: the largest limit Zoho documents, 250
// (Zoho One's help pages give CRM 150 territories, 250 with the add-on;
// Zoho's OpenAPI example of LIMIT_EXCEEDED names 250; no edition table of
// Zoho CRM's own names one).
const DefaultTerritoryLimit = 250

// The caps of one call and of a territory's fields.
const (
	maxTerritoriesPerChange = 100 // create, update: Zoho's pages and OpenAPI file
	maxTerritoriesPerDelete = 10  // delete, transfer: Zoho's pages (its OpenAPI file says 100)
	maxTerritoryName        = 50
	maxTerritoryDescription = 250
	// maxRuleConditions is the most conditions one rule may hold, nested
	// groups included (inferred: Zoho documents LIMIT_EXCEEDED "Maximum
	// Territory Criteria Limit reached", not the number; 25 is the size of
	// a group).
	maxRuleConditions = 25
	maxCountsPerPage  = 2000
)

// Messages of the lifecycle, as Zoho's OpenAPI file (zoho/crm-oas
// v8.0/territories) and its pages word them.
const (
	msgTerritoryCreated       = "Territory Created Successfully"
	msgTerritoryUpdated       = "Territory Updated Successfully"
	msgTerritoryDeleted       = "Given Territory Removed Successfully"
	msgTerritoryTransferred   = "Territory Transferred And Deleted Successfully"
	msgNameTaken              = "Given Territory name already exists"
	msgNameEmpty              = "Territory Name cannot be empty"
	msgTooLong                = "the value of the field exceeds the maximum allowed length"
	msgPermissionInvalid      = "Given Permission_type value is invalid"
	msgParentInvalid          = "Given Reporting To Territory value is invalid"
	msgDataInvalid            = "Invalid Data"
	msgInactiveUser           = "Inactive User"
	msgTerritoryLimit         = "Territory Limit reached"
	msgCriteriaLimit          = "Maximum Territory Criteria Limit reached"
	msgCriteriaInvalid        = "invalid data"
	msgRootOnlyRenamed        = "Cannot update the Org Territory except Name"
	msgParentIsDescendant     = "Reporting_to id should not be the child of given territory. Chosse another territory as Reporing_to"
	msgTerritoryIDInvalid     = "The Territory Id given seems to be invalid"
	msgHasChildren            = "Territory can't be deleted as it's having child"
	msgOrgNotDeleted          = "Org Territory cannot be deleted"
	msgTransferIDInvalid      = "Given Territoryid isn't valid one"
	msgTransferTargetInvalid  = "Given transfer_to_id isn't valid one"
	msgTransferTargetSame     = "Territory id and Transfer_to_id are same.Please choose different transfer_to_id"
	msgTransferTargetBelow    = "Choose correct transfer_to_id value"
	msgTransferTargetRequired = "This territory has its child. Please Give the transfer_to_id field value"
	msgInvalidRequest         = "unable to process your request. please verify whether you have entered proper method name, parameter and parameter values."
	msgMandatoryParamMissing  = "mandatory param missing"
)

// ruleKeys are the three criteria of a territory, in the order of
// territoryState.rules.
var ruleKeys = [3]string{"account_rule_criteria", "lead_rule_criteria", "deal_rule_criteria"}

// WithTerritoryLimit makes the org hold at most n territories, the root
// included: a create past it is the error item LIMIT_EXCEEDED "Territory
// Limit reached" with `details.limit` n (Zoho's OpenAPI example). A seed
// with more keeps them. The default is [DefaultTerritoryLimit].
func WithTerritoryLimit(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("zohoterritorytest: territory limit %d: must be at least 1", n)
		}
		c.territoryLimit = n
		return nil
	}
}

// territoriesAPI reports whether op is one of the Territories API's URLs,
// where territory management off is 400 FEATURE_NOT_ENABLED.
func (op operation) territoriesAPI() bool {
	return op == opTerritories || op == opChildTerritories || op == opUsersCount || op == opTransfer
}

// lifecycle reports whether op is one of the lifecycle's own URLs.
func (op operation) lifecycle() bool {
	return op == opChildTerritories || op == opUsersCount || op == opTransfer
}

// matchLifecycle matches what follows settings/territories in the
// lifecycle's own URLs.
func matchLifecycle(seg []string) (crmRoute, bool) {
	switch {
	case len(seg) == 2 && seg[0] == "actions" && seg[1] == "transfer_and_delete":
		return crmRoute{op: opTransfer, bulk: true}, true
	case len(seg) == 2 && seg[0] == "actions" && seg[1] == "associated_users_count":
		return crmRoute{op: opUsersCount, bulk: true}, true
	case len(seg) == 2 && seg[1] == "__child_territories":
		return crmRoute{op: opChildTerritories, owner: seg[0], bulk: true}, true
	case len(seg) == 3 && seg[1] == "actions" && seg[2] == "transfer_and_delete":
		return crmRoute{op: opTransfer, single: seg[0]}, true
	}
	return crmRoute{}, false
}

// lifecycleMethodAllowed: the territories are read with GET, created with
// POST (the bulk form only), updated with PUT and deleted with DELETE;
// children and counts are read, transfers POSTed.
func lifecycleMethodAllowed(method string, rt crmRoute) bool {
	switch rt.op {
	case opTerritories:
		return method == http.MethodGet || method == http.MethodPut || method == http.MethodDelete ||
			(method == http.MethodPost && rt.bulk)
	case opTransfer:
		return method == http.MethodPost
	}
	return method == http.MethodGet
}

// lifecycleAllowed applies the Territories API's scopes: READ to read,
// CREATE to create, UPDATE to update, DELETE to delete or transfer, or
// ALL for each.
func lifecycleAllowed(op operation, method string, has func(string) bool) bool {
	if has(ScopeTerritoriesAll) {
		return true
	}
	switch {
	case op == opTransfer, method == http.MethodDelete:
		return has(ScopeTerritoriesDelete)
	case method == http.MethodPost:
		return has(ScopeTerritoriesCreate)
	case method == http.MethodPut:
		return has(ScopeTerritoriesUpdate)
	}
	return has(ScopeTerritoriesRead)
}

// serveLifecycle answers a request of the lifecycle that passed
// [Server.precheck].
func (s *Server) serveLifecycle(w http.ResponseWriter, r *http.Request, rt crmRoute) {
	var status int
	var body any
	switch {
	case rt.op == opChildTerritories:
		status, body = s.serveChildren(r, rt)
	case rt.op == opUsersCount:
		status, body = s.serveUsersCount(r)
	case rt.op == opTransfer:
		status, body = s.serveTransfer(r, rt)
	case r.Method == http.MethodPost:
		status, body = s.serveCreate(r)
	case r.Method == http.MethodPut:
		status, body = s.serveUpdate(r, rt)
	default:
		status, body = s.serveDelete(r, rt)
	}
	if body == nil {
		w.WriteHeader(status)
		return
	}
	writeJSON(w, status, body)
}

// refusal is a request-level answer: the error object and its status.
func refusal(e apiError) (int, any) { return e.status, e }

// territoriesEnvelope is the `territories` envelope of items, with its status: 200,
// 207 or 400 (created, for a create whose every item succeeded: 201).
func territoriesEnvelope(items []apiError, created bool) (int, any) {
	ok := 0
	for _, it := range items {
		if it.Status == "success" {
			ok++
		}
	}
	status := http.StatusMultiStatus
	switch ok {
	case len(items):
		status = http.StatusOK
		if created {
			status = http.StatusCreated
		}
	case 0:
		status = http.StatusBadRequest
	}
	return status, map[string][]apiError{"territories": items}
}

func successItem(id, message string) apiError {
	return apiError{Code: "SUCCESS", Details: map[string]any{"id": id}, Message: message, Status: "success"}
}

func errorItem(code, message string, details map[string]any) apiError {
	return newError(0, code, message, details)
}

// record is one object of a body's `territories`, its keys as they came;
// f is nil when the entry is not a JSON object.
type record struct {
	i int
	f map[string]json.RawMessage
}

// path is the JSON path of key in the record, as Zoho's details name it.
func (rec record) path(key string) string { return fmt.Sprintf("$.territories[%d].%s", rec.i, key) }

// present reports whether the key is in the record, null included.
func (rec record) present(key string) bool {
	_, ok := rec.f[key]
	return ok
}

// given reports whether the key is in the record with a value other than
// null.
func (rec record) given(key string) bool {
	v, ok := rec.f[key]
	return ok && string(bytes.TrimSpace(v)) != "null"
}

// about is an error item naming a field of the record by api_name and
// json_path, as Zoho's examples do.
func (rec record) about(code, key, message string, more map[string]any) apiError {
	d := map[string]any{"api_name": key, "json_path": rec.path(key)}
	for k, v := range more {
		d[k] = v
	}
	return errorItem(code, message, d)
}

func (rec record) missing(key string) *apiError {
	e := rec.about("MANDATORY_NOT_FOUND", key, msgMandatoryNotFound, nil)
	return &e
}

// readRecords reads a body's `territories`: at most max of them, each an
// object or not (a record without fields, answered by its own item).
func readRecords(body io.Reader, max int) ([]record, *apiError) {
	entries, e := readArray(body, "territories", map[string]any{"api_name": "territories", "json_path": "$.territories"})
	if e != nil {
		return nil, e
	}
	if len(entries) > max {
		e := newError(http.StatusBadRequest, "INVALID_REQUEST", msgInvalidRequest, nil)
		return nil, &e
	}
	recs := make([]record, len(entries))
	for i, entry := range entries {
		recs[i].i = i
		_ = json.Unmarshal(entry, &recs[i].f) // not an object: no fields
	}
	return recs, nil
}

// change is what an item asks of one territory, checked and ready to be
// made: the fields given (nil for left as they are) and those cleared.
type change struct {
	name, description *string
	clearDescription  bool
	parent            *string
	permission        *PermissionType
	manager           *string
	clearManager      bool
	rules             [3]json.RawMessage // a rule, or nil
	setRule           [3]bool            // the rule was given (a rule or null)
}

// checkName reads the name: a string of 1 to 50 characters, taken by no
// other territory (compared without regard to case).
func (s *Server) checkName(rec record, self string) (string, *apiError) {
	var name string
	if json.Unmarshal(rec.f["name"], &name) != nil {
		e := rec.about("INVALID_DATA", "name", msgDataInvalid, nil)
		return "", &e
	}
	switch {
	case strings.TrimSpace(name) == "":
		e := rec.about("INVALID_DATA", "name", msgNameEmpty, nil)
		return "", &e
	case utf8.RuneCountInString(name) > maxTerritoryName:
		e := rec.about("INVALID_DATA", "name", msgTooLong, map[string]any{"maximum_length": maxTerritoryName})
		return "", &e
	}
	for id, t := range s.territories {
		if id != self && strings.EqualFold(t.Name, name) {
			e := rec.about("DUPLICATE_DATA", "name", msgNameTaken, nil)
			return "", &e
		}
	}
	return name, nil
}

// checkRef reads the id of an object {"id": ...} under key.
func checkRef(rec record, key string) (string, bool) {
	var ref struct {
		ID bodyID `json:"id"`
	}
	if json.Unmarshal(rec.f[key], &ref) != nil || !ref.ID.ok || !isRecordID(ref.ID.raw) {
		return "", false
	}
	return ref.ID.raw, true
}

// checkFields reads the fields every create and update may carry, other
// than the name and the parent; an error item says what is wrong.
func (s *Server) checkFields(rec record, ch *change) *apiError {
	if rec.given("permission_type") {
		var p PermissionType
		_ = json.Unmarshal(rec.f["permission_type"], &p)
		if p != PermissionReadOnly && p != PermissionReadWriteDelete {
			e := rec.about("INVALID_DATA", "permission_type", msgPermissionInvalid,
				map[string]any{"supported_values": []string{string(PermissionReadOnly), string(PermissionReadWriteDelete)}})
			return &e
		}
		ch.permission = &p
	}
	switch {
	case rec.given("description"):
		var d string
		if json.Unmarshal(rec.f["description"], &d) != nil {
			e := rec.about("INVALID_DATA", "description", msgDataInvalid, nil)
			return &e
		}
		if utf8.RuneCountInString(d) > maxTerritoryDescription {
			e := rec.about("INVALID_DATA", "description", msgTooLong, map[string]any{"maximum_length": maxTerritoryDescription})
			return &e
		}
		ch.description = &d
	case rec.present("description"):
		ch.clearDescription = true
	}
	switch {
	case rec.given("manager"):
		id, ok := checkRef(rec, "manager")
		u, known := s.users[id]
		switch {
		case !ok || !known:
			e := rec.about("INVALID_DATA", "manager", msgDataInvalid, nil)
			return &e
		case u.Status != StatusActive:
			e := rec.about("NOT_ALLOWED", "manager", msgInactiveUser, nil)
			return &e
		}
		ch.manager = &id
	case rec.present("manager"):
		ch.clearManager = true
	}
	for i, key := range ruleKeys {
		if !rec.present(key) {
			continue
		}
		ch.setRule[i] = true
		if !rec.given(key) {
			continue
		}
		n, ok := ruleConditions(rec.f[key])
		switch {
		case !ok:
			e := rec.about("INVALID_DATA", key, msgCriteriaInvalid, map[string]any{"expected_data_type": "jsonobject"})
			return &e
		case n > maxRuleConditions:
			e := errorItem("LIMIT_EXCEEDED", msgCriteriaLimit, map[string]any{"limit": maxRuleConditions,
				"limit_due_to": []map[string]any{{"api_name": key, "json_path": rec.path(key)}}})
			return &e
		}
		ch.rules[i] = compactJSON(rec.f[key])
	}
	return nil
}

// comparators are those of api/openapi.yaml's RuleCondition.
var comparators = []string{"equal", "not_equal", "like", "not_like", "starts_with", "ends_with", "contains",
	"not_contains", "less_than", "less_equal", "greater_than", "greater_equal", "between", "not_between", "in",
	"not_in", "include_all", "include_any", "exclude_all", "exclude_any"}

// ruleConditions checks a rule's shape (a condition, or a group of 2 to 25
// rules joined by AND or OR) and counts its conditions.
func ruleConditions(raw json.RawMessage) (int, bool) {
	var r struct {
		Field *struct {
			APIName string `json:"api_name"`
		} `json:"field"`
		Comparator    string            `json:"comparator"`
		Value         json.RawMessage   `json:"value"`
		GroupOperator string            `json:"group_operator"`
		Group         []json.RawMessage `json:"group"`
	}
	if json.Unmarshal(raw, &r) != nil {
		return 0, false
	}
	if r.GroupOperator != "" || r.Group != nil {
		if !slices.Contains([]string{"AND", "OR", "and", "or"}, r.GroupOperator) || len(r.Group) < 2 || len(r.Group) > 25 {
			return 0, false
		}
		total := 0
		for _, g := range r.Group {
			n, ok := ruleConditions(g)
			if !ok {
				return 0, false
			}
			total += n
		}
		return total, true
	}
	if r.Field == nil || r.Field.APIName == "" || !slices.Contains(comparators, r.Comparator) || r.Value == nil {
		return 0, false
	}
	return 1, true
}

func compactJSON(raw json.RawMessage) json.RawMessage {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return slices.Clone(raw)
	}
	return b.Bytes()
}

// isRoot reports whether t is the organization territory: the root, or the
// seed's default territory.
func (s *Server) isRoot(t *territoryState) bool { return t.ReportingTo == "" || t.ID == s.defaultTerr }

// below reports whether candidate is id or lies in id's subtree.
func (s *Server) below(candidate, id string) bool {
	for cur := candidate; cur != ""; {
		if cur == id {
			return true
		}
		t, ok := s.territories[cur]
		if !ok {
			return false
		}
		cur = t.ReportingTo
	}
	return false
}

// hasChildren reports whether any territory reports to id.
func (s *Server) hasChildren(id string) bool {
	for _, t := range s.territories {
		if t.ReportingTo == id {
			return true
		}
	}
	return false
}

// now is the time the reads give a change, as Zoho writes it.
func (s *Server) nowString() string { return s.cfg.now().Format("2006-01-02T15:04:05-07:00") }

// serveCreate answers createTerritories.
func (s *Server) serveCreate(r *http.Request) (int, any) {
	recs, e := readRecords(r.Body, maxTerritoriesPerChange)
	if e != nil {
		return refusal(*e)
	}
	return s.eachRecord(recs, msgTerritoryCreated, true, s.createLocked)
}

// eachRecord makes each of recs with apply, under the lock, and answers
// with an item for each: apply's refusal, or success with message (a
// record that is not an object refused first). created says Zoho answers
// the change 201.
func (s *Server) eachRecord(recs []record, message string, created bool, apply func(record) (string, *apiError)) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	items := make([]apiError, len(recs))
	for i, rec := range recs {
		if rec.f == nil {
			items[i] = rec.about("INVALID_DATA", "territories", msgDataInvalid, nil)
			continue
		}
		if id, e := apply(rec); e != nil {
			items[i] = *e
		} else {
			items[i] = successItem(id, message)
		}
	}
	return territoriesEnvelope(items, created)
}

func (s *Server) createLocked(rec record) (string, *apiError) {
	for _, key := range []string{"name", "reporting_to", "permission_type"} {
		if !rec.given(key) {
			return "", rec.missing(key)
		}
	}
	name, e := s.checkName(rec, "")
	if e != nil {
		return "", e
	}
	parent, ok := checkRef(rec, "reporting_to")
	if _, known := s.territories[parent]; !ok || !known {
		e := rec.about("INVALID_DATA", "reporting_to", msgParentInvalid, nil)
		return "", &e
	}
	var ch change
	if e := s.checkFields(rec, &ch); e != nil {
		return "", e
	}
	if len(s.territories) >= s.cfg.territoryLimit {
		e := errorItem("LIMIT_EXCEEDED", msgTerritoryLimit, map[string]any{"limit": s.cfg.territoryLimit})
		return "", &e
	}
	id := s.newTerritoryIDLocked()
	t := &territoryState{Territory: Territory{ID: id, Name: name, ReportingTo: parent, PermissionType: *ch.permission},
		members: map[string]bool{}, apiName: s.apiNames.of(name), created: s.nowString()}
	t.modified = t.created
	s.territories[id] = t
	s.territoryOrder = append(s.territoryOrder, id)
	s.applyLocked(t, ch)
	return id, nil
}

// newTerritoryIDLocked gives a created territory an id: one more than the
// largest territory id the org has had, so that no id is given twice.
func (s *Server) newTerritoryIDLocked() string {
	for id := range s.territories {
		if n, err := strconv.ParseUint(id, 10, 64); err == nil && n > s.lastTerritoryID {
			s.lastTerritoryID = n
		}
	}
	s.lastTerritoryID++
	return strconv.FormatUint(s.lastTerritoryID, 10)
}

// applyLocked makes the change's fields the territory's.
func (s *Server) applyLocked(t *territoryState, ch change) {
	if ch.name != nil {
		t.Name = *ch.name
	}
	if ch.parent != nil {
		t.ReportingTo = *ch.parent
	}
	if ch.permission != nil {
		t.PermissionType = *ch.permission
	}
	switch {
	case ch.description != nil:
		t.Description = *ch.description
	case ch.clearDescription:
		t.Description = ""
	}
	switch {
	case ch.manager != nil:
		// A manager is always a member (Zoho's pages: the manager of a
		// territory cannot be removed from it).
		t.ManagerID = *ch.manager
		t.members[*ch.manager] = true
	case ch.clearManager:
		t.ManagerID = ""
	}
	for i := range ruleKeys {
		if ch.setRule[i] {
			t.rules[i] = ch.rules[i]
		}
	}
}

// serveUpdate answers updateTerritories and updateTerritory.
func (s *Server) serveUpdate(r *http.Request, rt crmRoute) (int, any) {
	limit := maxTerritoriesPerChange
	if !rt.bulk {
		limit = 1
	}
	s.mu.Lock()
	_, known := s.territories[rt.single]
	s.mu.Unlock()
	if !rt.bulk && !known {
		return refusal(*invalidPathID(2, msgInvalidTerritoryID))
	}
	recs, e := readRecords(r.Body, limit)
	if e != nil {
		return refusal(*e)
	}
	return s.eachRecord(recs, msgTerritoryUpdated, false, func(rec record) (string, *apiError) { return s.updateLocked(rec, rt) })
}

func (s *Server) updateLocked(rec record, rt crmRoute) (string, *apiError) {
	if !rt.bulk && rec.given("id") {
		// The path names the territory; an id in the body must agree.
		var ref bodyID
		_ = json.Unmarshal(rec.f["id"], &ref)
		if ref.raw != rt.single {
			e := rec.about("INVALID_DATA", "id", msgTerritoryIDInvalid, nil)
			return "", &e
		}
	}
	var t *territoryState
	if rt.bulk {
		if !rec.given("id") {
			return "", rec.missing("id")
		}
		var ref bodyID
		_ = json.Unmarshal(rec.f["id"], &ref)
		t = s.territories[ref.raw]
		if !ref.ok || t == nil {
			e := rec.about("INVALID_DATA", "id", msgTerritoryIDInvalid, nil)
			return "", &e
		}
	} else if t = s.territories[rt.single]; t == nil {
		// Deleted by an earlier item: the path names no territory now.
		e := rec.about("INVALID_DATA", "id", msgTerritoryIDInvalid, nil)
		return "", &e
	}
	if !rec.given("permission_type") {
		// Zoho's pages make it mandatory on an update too.
		return "", rec.missing("permission_type")
	}
	var ch change
	if rec.present("name") {
		name, e := s.checkName(rec, t.ID)
		if e != nil {
			return "", e
		}
		ch.name = &name
	}
	if rec.present("reporting_to") {
		parent, ok := checkRef(rec, "reporting_to")
		if _, known := s.territories[parent]; !ok || !known {
			e := rec.about("INVALID_DATA", "reporting_to", msgParentInvalid, nil)
			return "", &e
		}
		ch.parent = &parent
	}
	if e := s.checkFields(rec, &ch); e != nil {
		return "", e
	}
	if s.isRoot(t) && !s.onlyRenames(t, ch) {
		e := errorItem("NOT_ALLOWED", msgRootOnlyRenamed, nil)
		return "", &e
	}
	if ch.parent != nil && s.below(*ch.parent, t.ID) {
		e := rec.about("NOT_ALLOWED", "reporting_to", msgParentIsDescendant, nil)
		return "", &e
	}
	s.applyLocked(t, ch)
	t.modified = s.nowString()
	return t.ID, nil
}

// onlyRenames reports whether ch changes nothing of t but its name: a
// field given with the value t has already is no change.
func (s *Server) onlyRenames(t *territoryState, ch change) bool {
	switch {
	case ch.parent != nil:
		return false
	case ch.permission != nil && *ch.permission != t.PermissionType:
		return false
	case ch.description != nil && *ch.description != t.Description, ch.clearDescription && t.Description != "":
		return false
	case ch.manager != nil && *ch.manager != t.ManagerID, ch.clearManager && t.ManagerID != "":
		return false
	}
	for i := range ruleKeys {
		if ch.setRule[i] && !bytes.Equal(ch.rules[i], t.rules[i]) {
			return false
		}
	}
	return true
}

// deleteLocked removes a territory from the org: its members lose it.
func (s *Server) deleteLocked(id string) {
	delete(s.territories, id)
	s.territoryOrder = slices.DeleteFunc(slices.Clone(s.territoryOrder), func(o string) bool { return o == id })
}

// parseForecasts reads delete_previous_forecasts, mandatory on Zoho's
// pages.
func parseForecasts(q url.Values) *apiError {
	v := q.Get("delete_previous_forecasts")
	switch {
	case !q.Has("delete_previous_forecasts"):
		e := newError(http.StatusBadRequest, "REQUIRED_PARAM_MISSING", msgParamMissing, map[string]any{"param_name": "delete_previous_forecasts"})
		return &e
	case v != "true" && v != "false":
		e := newError(http.StatusBadRequest, "INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, "delete_previous_forecasts"),
			map[string]any{"param_name": "delete_previous_forecasts"})
		return &e
	}
	return nil
}

// serveDelete answers deleteTerritories and deleteTerritory.
func (s *Server) serveDelete(r *http.Request, rt crmRoute) (int, any) {
	q := r.URL.Query()
	var ids []string
	if rt.bulk {
		v := q.Get("ids")
		if strings.TrimSpace(v) == "" {
			return refusal(newError(http.StatusBadRequest, "REQUIRED_PARAM_MISSING", msgMandatoryParamMissing, map[string]any{"param_name": "ids"}))
		}
		ids = strings.Split(v, ",")
		if len(ids) > maxTerritoriesPerDelete {
			return refusal(newError(http.StatusBadRequest, "INVALID_REQUEST", msgInvalidRequest, nil))
		}
		for _, id := range ids {
			if strings.TrimSpace(id) == "" {
				return refusal(newError(http.StatusBadRequest, "INVALID_DATA", msgIDsMalformed, map[string]any{"param_name": "ids"}))
			}
		}
	}
	if e := parseForecasts(q); e != nil {
		return refusal(*e)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !rt.bulk {
		t, ok := s.territories[rt.single]
		switch {
		case !ok:
			return refusal(*invalidPathID(2, msgInvalidTerritoryID))
		case s.isRoot(t):
			return refusal(newError(http.StatusBadRequest, "NOT_ALLOWED", msgOrgNotDeleted, map[string]any{"resource_path_index": 2}))
		case s.hasChildren(t.ID):
			return refusal(newError(http.StatusBadRequest, "NOT_ALLOWED", msgHasChildren, map[string]any{"resource_path_index": 2}))
		}
		s.deleteLocked(t.ID)
		return territoriesEnvelope([]apiError{successItem(t.ID, msgTerritoryDeleted)}, false)
	}
	items := make([]apiError, len(ids))
	for i, id := range ids {
		id = strings.TrimSpace(id)
		details := map[string]any{}
		if isRecordID(id) {
			details["id"] = id
		}
		t, ok := s.territories[id]
		switch {
		case !ok:
			items[i] = errorItem("INVALID_DATA", msgInvalidTerritoryID, details)
		case s.isRoot(t):
			items[i] = errorItem("NOT_ALLOWED", msgOrgNotDeleted, details)
		case s.hasChildren(id):
			items[i] = errorItem("NOT_ALLOWED", msgHasChildren, details)
		default:
			s.deleteLocked(id)
			items[i] = successItem(id, msgTerritoryDeleted)
		}
	}
	return territoriesEnvelope(items, false)
}

// serveTransfer answers transferAndDeleteTerritories and
// transferAndDeleteTerritory: each territory's children move to
// transfer_to_id, then the territory is deleted and its members lose it.
func (s *Server) serveTransfer(r *http.Request, rt crmRoute) (int, any) {
	limit := maxTerritoriesPerDelete
	if !rt.bulk {
		limit = 1
		s.mu.Lock()
		_, known := s.territories[rt.single]
		s.mu.Unlock()
		if !known {
			return refusal(*invalidPathID(2, msgInvalidTerritoryID))
		}
	}
	recs, e := readRecords(r.Body, limit)
	if e != nil {
		return refusal(*e)
	}
	return s.eachRecord(recs, msgTerritoryTransferred, false, func(rec record) (string, *apiError) { return s.transferLocked(rec, rt) })
}

func (s *Server) transferLocked(rec record, rt crmRoute) (string, *apiError) {
	id := rt.single
	if rec.given("id") {
		var ref bodyID
		_ = json.Unmarshal(rec.f["id"], &ref)
		if !ref.ok || (!rt.bulk && ref.raw != rt.single) {
			e := rec.about("INVALID_DATA", "id", msgTransferIDInvalid, nil)
			return "", &e
		}
		id = ref.raw
	} else if rt.bulk {
		return "", rec.missing("id")
	}
	t, ok := s.territories[id]
	if !ok {
		e := rec.about("INVALID_DATA", "id", msgTransferIDInvalid, nil)
		return "", &e
	}
	if rec.present("delete_previous_forecasts") {
		var b bool
		if json.Unmarshal(rec.f["delete_previous_forecasts"], &b) != nil {
			e := rec.about("INVALID_DATA", "delete_previous_forecasts", msgDataInvalid, nil)
			return "", &e
		}
	}
	if s.isRoot(t) {
		e := errorItem("NOT_ALLOWED", msgOrgNotDeleted, map[string]any{"id": id})
		return "", &e
	}
	target := ""
	if rec.given("transfer_to_id") {
		var ref bodyID
		_ = json.Unmarshal(rec.f["transfer_to_id"], &ref)
		_, known := s.territories[ref.raw]
		switch {
		case !ref.ok || !known:
			e := rec.about("INVALID_DATA", "transfer_to_id", msgTransferTargetInvalid, nil)
			return "", &e
		case ref.raw == id:
			e := rec.about("INVALID_DATA", "transfer_to_id", msgTransferTargetSame, nil)
			return "", &e
		case s.below(ref.raw, id):
			e := rec.about("INVALID_DATA", "transfer_to_id", msgTransferTargetBelow, nil)
			return "", &e
		}
		target = ref.raw
	}
	if target == "" && s.hasChildren(id) {
		dependee := map[string]any{"api_name": "id", "json_path": rec.path("id")}
		if !rt.bulk {
			dependee = map[string]any{"resource_path_index": 2}
		}
		e := rec.about("DEPENDENT_FIELD_MISSING", "transfer_to_id", msgTransferTargetRequired, map[string]any{"dependee": dependee})
		return "", &e
	}
	for _, child := range s.territories {
		if child.ReportingTo == id {
			child.ReportingTo = target
			child.modified = s.nowString()
		}
	}
	s.deleteLocked(id)
	return id, nil
}

// parseInclude reads `include`: the criteria the reads add to each
// territory.
func parseInclude(q url.Values) ([3]bool, *apiError) {
	var inc [3]bool
	v := q.Get("include")
	if v == "" {
		return inc, nil
	}
	for _, part := range strings.Split(v, ",") {
		i := slices.Index(ruleKeys[:], strings.TrimSpace(part))
		if i < 0 {
			e := newError(http.StatusBadRequest, "INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, "include"), map[string]any{"param_name": "include"})
			return inc, &e
		}
		inc[i] = true
	}
	return inc, nil
}

// serveChildren answers getChildTerritories: a page of the territories
// that report to the one of the path, in the org's order.
func (s *Server) serveChildren(r *http.Request, rt crmRoute) (int, any) {
	q := r.URL.Query()
	page, perPage, e := parsePaging(q)
	if e != nil {
		return refusal(*e)
	}
	inc, e := parseInclude(q)
	if e != nil {
		return refusal(*e)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.territories[rt.owner]; !ok {
		return refusal(*invalidPathID(2, msgInvalidTerritoryID))
	}
	var children []string
	for _, id := range s.territoryOrder {
		if s.territories[id].ReportingTo == rt.owner {
			children = append(children, id)
		}
	}
	start, end := pageWindow(len(children), page, perPage)
	if start == end {
		return http.StatusNoContent, nil
	}
	items := make([]any, 0, end-start)
	for _, id := range children[start:end] {
		items = append(items, s.wireTerritoryWithRulesLocked(s.territories[id], inc))
	}
	return http.StatusOK, map[string]any{"territories": items,
		"info": pageInfo{PerPage: perPage, Count: len(items), Page: page, MoreRecords: end < len(children)}}
}

// usersCount is one item of associated_users_count.
type usersCount struct {
	Count     int       `json:"count"`
	Territory wireNamed `json:"territory"`
}

// serveUsersCount answers getAssociatedUsersCount: a page of each
// territory's number of users, managers included, in the org's order.
func (s *Server) serveUsersCount(r *http.Request) (int, any) {
	q := r.URL.Query()
	perQ := url.Values{"page": q["page"]}
	page, _, e := parsePaging(perQ)
	if e != nil {
		return refusal(*e)
	}
	perPage := defaultPerPage
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxCountsPerPage {
			return refusal(newError(http.StatusBadRequest, "INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, "per_page"),
				map[string]any{"param_name": "per_page"}))
		}
		perPage = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	start, end := pageWindow(len(s.territoryOrder), page, perPage)
	if start == end {
		return http.StatusNoContent, nil
	}
	items := make([]usersCount, 0, end-start)
	for _, id := range s.territoryOrder[start:end] {
		t := s.territories[id]
		items = append(items, usersCount{Count: len(t.members), Territory: wireNamed{ID: t.ID, Name: t.Name}})
	}
	return http.StatusOK, map[string]any{"associated_users_count": items,
		"info": pageInfo{PerPage: perPage, Count: len(items), Page: page, MoreRecords: end < len(s.territoryOrder)}}
}

// wireTerritoryWithRules is a territory as the Territories API reads it,
// with the criteria `include` asked for (null for a rule it has not).
type wireTerritoryWithRules struct {
	wireOrgTerritory
	AccountRuleCriteria *json.RawMessage `json:"account_rule_criteria,omitempty"`
	LeadRuleCriteria    *json.RawMessage `json:"lead_rule_criteria,omitempty"`
	DealRuleCriteria    *json.RawMessage `json:"deal_rule_criteria,omitempty"`
}

var jsonNull = json.RawMessage("null")

func (s *Server) wireTerritoryWithRulesLocked(t *territoryState, inc [3]bool) any {
	w := wireTerritoryWithRules{wireOrgTerritory: s.wireOrgTerritoryLocked(t)}
	for i, p := range []**json.RawMessage{&w.AccountRuleCriteria, &w.LeadRuleCriteria, &w.DealRuleCriteria} {
		if !inc[i] {
			continue
		}
		rule := jsonNull
		if t.rules[i] != nil {
			rule = t.rules[i]
		}
		*p = &rule
	}
	return w
}

// Rules returns a territory's account, lead and deal rule criteria as the
// JSON they were set with, nil for each it has not; ok is false for an
// unknown territory.
func (s *Server) Rules(territoryID string) (rules [3]json.RawMessage, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.territories[territoryID]
	if !ok {
		return rules, false
	}
	for i, r := range t.rules {
		rules[i] = slices.Clone(r)
	}
	return rules, true
}
