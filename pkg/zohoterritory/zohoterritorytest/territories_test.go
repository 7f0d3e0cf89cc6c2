package zohoterritorytest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lc sends one request of the territories' lifecycle (body "" for none,
// sent without a Content-Type header, as Zoho's SDKs send theirs) and
// decodes the answer; a 204 decodes to nil.
func lc(t *testing.T, srv *Server, method, path, body string, token ...string) (int, map[string]any) {
	t.Helper()
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL()+"/crm/v8"+path, rd)
	require.NoError(t, err)
	tok := srv.AccessToken()
	if len(token) > 0 {
		tok = token[0]
	}
	req.Header.Set("Authorization", "Zoho-oauthtoken "+tok)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	if resp.StatusCode == http.StatusNoContent {
		assert.Empty(t, raw)
		return resp.StatusCode, nil
	}
	var out map[string]any
	require.NoErrorf(t, json.Unmarshal(raw, &out), "%s %s: %s", method, path, raw)
	return resp.StatusCode, out
}

// items returns the codes and messages of a `territories` envelope, "CODE:
// message" each, and the ids of its success items.
func lcItems(t *testing.T, body map[string]any) (entries, ids []string) {
	t.Helper()
	arr, ok := body["territories"].([]any)
	require.Truef(t, ok, "no territories envelope in %v", body)
	for _, it := range arr {
		m := it.(map[string]any)
		entries = append(entries, m["code"].(string)+": "+m["message"].(string))
		if m["status"] == "success" {
			ids = append(ids, m["details"].(map[string]any)["id"].(string))
		}
	}
	return entries, ids
}

// lcTerritory reads one territory back through getTerritory, criteria
// included; nil when there is none.
func lcTerritory(t *testing.T, srv *Server, id string) map[string]any {
	t.Helper()
	status, body := lc(t, srv, http.MethodGet, "/settings/territories/"+id+"?include=account_rule_criteria,lead_rule_criteria,deal_rule_criteria", "")
	if status == http.StatusNoContent {
		return nil
	}
	require.Equal(t, http.StatusOK, status, "%v", body)
	return body["territories"].([]any)[0].(map[string]any)
}

func refOf(m map[string]any, key string) string {
	r, _ := m[key].(map[string]any)
	id, _ := r["id"].(string)
	return id
}

func TestCreateTerritories(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	status, body := lc(t, srv, http.MethodPost, "/settings/territories", `{"territories":[
		{"name":"Pacific","reporting_to":{"id":"`+na+`"},"permission_type":"read_only","manager":{"id":`+dev+`},"description":"WA and OR",
		 "account_rule_criteria":{"group_operator":"OR","group":[{"field":{"api_name":"Billing_State"},"comparator":"equal","value":"WA"},{"field":{"api_name":"Billing_State"},"comparator":"equal","value":"OR"}]}},
		{"name":"pacific","reporting_to":{"id":"`+eu+`"},"permission_type":"read_write_delete"}]}`)
	require.Equal(t, http.StatusMultiStatus, status, "%v", body)
	entries, ids := lcItems(t, body)
	assert.Equal(t, []string{"SUCCESS: " + msgTerritoryCreated, "DUPLICATE_DATA: " + msgNameTaken}, entries,
		"a name taken by an earlier item of the same call, compared without regard to case")
	require.Len(t, ids, 1)
	assert.Equal(t, "5725767000000452007", ids[0], "one more than the largest id")

	got := lcTerritory(t, srv, ids[0])
	require.NotNil(t, got)
	assert.Equal(t, "Pacific", got["name"])
	assert.Equal(t, "read_only", got["permission_type"])
	assert.Equal(t, "WA and OR", got["description"])
	assert.Equal(t, na, refOf(got, "reporting_to"))
	assert.Equal(t, dev, refOf(got, "manager"), "an id sent as a number, as Zoho's Python SDK sends it")
	assert.JSONEq(t, `{"group_operator":"OR","group":[{"field":{"api_name":"Billing_State"},"comparator":"equal","value":"WA"},{"field":{"api_name":"Billing_State"},"comparator":"equal","value":"OR"}]}`,
		mustJSON(t, got["account_rule_criteria"]))
	assert.Nil(t, got["lead_rule_criteria"])
	assert.Contains(t, got, "lead_rule_criteria", "asked for: null")
	assert.Equal(t, []string{dev}, srv.Members(ids[0]), "the manager is a member")

	// The reads reflect it: the listing, a user's territories, the counts.
	assert.Contains(t, srv.TerritoriesOf(dev), ids[0])
	status, body = lc(t, srv, http.MethodGet, "/settings/territories/"+na+"/__child_territories", "")
	require.Equal(t, http.StatusOK, status)
	var names []string
	for _, c := range body["territories"].([]any) {
		names = append(names, c.(map[string]any)["name"].(string))
	}
	assert.Equal(t, []string{"West Coast", "Key Accounts", "Pacific"}, names)
	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

// TestCreateRefusals: each of Zoho's refusals of a create, one territory at
// a time, as an item of a 400 envelope (or, for the whole request, an
// error object); nothing is created.
func TestCreateRefusals(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 51)
	rule := func(n int) string {
		conds := make([]string, n)
		for i := range conds {
			conds[i] = fmt.Sprintf(`{"field":{"api_name":"City"},"comparator":"equal","value":"%d"}`, i)
		}
		return `{"group_operator":"AND","group":[` + strings.Join(conds[:n-2], ",") + `,{"group_operator":"OR","group":[` + strings.Join(conds[n-2:], ",") + `]}]}`
	}
	tests := []struct {
		name, territory string
		opts            []Option
		want            string // "CODE: message"
		details         map[string]any
	}{
		{"name taken", `{"name":"north AMERICA","reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}`, nil,
			"DUPLICATE_DATA: " + msgNameTaken, map[string]any{"api_name": "name", "json_path": "$.territories[0].name"}},
		{"no name", `{"reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}`, nil,
			"MANDATORY_NOT_FOUND: " + msgMandatoryNotFound, map[string]any{"api_name": "name", "json_path": "$.territories[0].name"}},
		{"no parent", `{"name":"P","permission_type":"read_only"}`, nil,
			"MANDATORY_NOT_FOUND: " + msgMandatoryNotFound, map[string]any{"api_name": "reporting_to", "json_path": "$.territories[0].reporting_to"}},
		{"no permission type", `{"name":"P","reporting_to":{"id":"` + org + `"}}`, nil,
			"MANDATORY_NOT_FOUND: " + msgMandatoryNotFound, map[string]any{"api_name": "permission_type", "json_path": "$.territories[0].permission_type"}},
		{"empty name", `{"name":" ","reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}`, nil,
			"INVALID_DATA: " + msgNameEmpty, map[string]any{"api_name": "name", "json_path": "$.territories[0].name"}},
		{"name too long", `{"name":"` + long + `","reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}`, nil,
			"INVALID_DATA: " + msgTooLong, map[string]any{"api_name": "name", "json_path": "$.territories[0].name", "maximum_length": float64(50)}},
		{"fifty characters, not bytes", `{"name":"` + strings.Repeat("é", 50) + `","reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}`, nil,
			"SUCCESS: " + msgTerritoryCreated, nil},
		{"description too long", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only","description":"` + strings.Repeat("d", 251) + `"}`, nil,
			"INVALID_DATA: " + msgTooLong, map[string]any{"api_name": "description", "json_path": "$.territories[0].description", "maximum_length": float64(250)}},
		{"permission type unknown", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"all"}`, nil,
			"INVALID_DATA: " + msgPermissionInvalid, map[string]any{"api_name": "permission_type", "json_path": "$.territories[0].permission_type",
				"supported_values": []any{"read_only", "read_write_delete"}}},
		{"parent unknown", `{"name":"P","reporting_to":{"id":"` + unknownID + `"},"permission_type":"read_only"}`, nil,
			"INVALID_DATA: " + msgParentInvalid, map[string]any{"api_name": "reporting_to", "json_path": "$.territories[0].reporting_to"}},
		{"manager unknown", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only","manager":{"id":"` + unknownID + `"}}`, nil,
			"INVALID_DATA: " + msgDataInvalid, map[string]any{"api_name": "manager", "json_path": "$.territories[0].manager"}},
		{"manager inactive", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only","manager":{"id":"` + finn + `"}}`, nil,
			"NOT_ALLOWED: " + msgInactiveUser, map[string]any{"api_name": "manager", "json_path": "$.territories[0].manager"}},
		{"manager deleted", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only","manager":{"id":"` + gus + `"}}`, nil,
			"NOT_ALLOWED: " + msgInactiveUser, map[string]any{"api_name": "manager", "json_path": "$.territories[0].manager"}},
		{"criteria not a rule", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only","deal_rule_criteria":{"field":{"api_name":"Amount"},"comparator":"sounds_like","value":1}}`, nil,
			"INVALID_DATA: " + msgCriteriaInvalid, map[string]any{"api_name": "deal_rule_criteria", "json_path": "$.territories[0].deal_rule_criteria", "expected_data_type": "jsonobject"}},
		{"criteria of 25 conditions", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only","lead_rule_criteria":` + rule(25) + `}`, nil,
			"SUCCESS: " + msgTerritoryCreated, nil},
		{"criteria of 26 conditions", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only","lead_rule_criteria":` + rule(26) + `}`, nil,
			"LIMIT_EXCEEDED: " + msgCriteriaLimit, map[string]any{"limit": float64(25),
				"limit_due_to": []any{map[string]any{"api_name": "lead_rule_criteria", "json_path": "$.territories[0].lead_rule_criteria"}}}},
		{"territory limit", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}`, []Option{WithTerritoryLimit(6)},
			"LIMIT_EXCEEDED: " + msgTerritoryLimit, map[string]any{"limit": float64(6)}},
		{"under the territory limit", `{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}`, []Option{WithTerritoryLimit(7)},
			"SUCCESS: " + msgTerritoryCreated, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, append([]Option{WithContractCheck(checker(t))}, tt.opts...)...)
			before := len(srv.Territories())
			status, body := lc(t, srv, http.MethodPost, "/settings/territories", `{"territories":[`+tt.territory+`]}`)
			entries, ids := lcItems(t, body)
			assert.Equal(t, []string{tt.want}, entries)
			if strings.HasPrefix(tt.want, "SUCCESS") {
				assert.Equal(t, http.StatusCreated, status)
				assert.Len(t, srv.Territories(), before+1)
				assert.Len(t, ids, 1)
				return
			}
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, tt.details, body["territories"].([]any)[0].(map[string]any)["details"])
			assert.Len(t, srv.Territories(), before, "nothing created")
			assert.Empty(t, srv.Violations())
		})
	}
}

// TestChangeRequestRefusals: what Zoho refuses for a whole call, with one
// error object and nothing done.
func TestChangeRequestRefusals(t *testing.T) {
	t.Parallel()
	many := func(n int, item string) string {
		items := make([]string, n)
		for i := range items {
			items[i] = fmt.Sprintf(item, i)
		}
		return `{"territories":[` + strings.Join(items, ",") + `]}`
	}
	ids := make([]string, 11)
	for i := range ids {
		ids[i] = fmt.Sprint(5725767000000460000 + i)
	}
	tests := []struct {
		name, method, path, body string
		code, message            string
	}{
		{"create 101", http.MethodPost, "/settings/territories", many(101, `{"name":"T%d","reporting_to":{"id":"`+org+`"},"permission_type":"read_only"}`), "INVALID_REQUEST", msgInvalidRequest},
		{"update 101", http.MethodPut, "/settings/territories", many(101, `{"id":"`+west+`","name":"W%d","permission_type":"read_only"}`), "INVALID_REQUEST", msgInvalidRequest},
		{"transfer 11", http.MethodPost, "/settings/territories/actions/transfer_and_delete", many(11, `{"id":"`+west+`","transfer_to_id":"`+org+`","x":%d}`), "INVALID_REQUEST", msgInvalidRequest},
		{"delete 11", http.MethodDelete, "/settings/territories?ids=" + strings.Join(ids, ",") + "&delete_previous_forecasts=false", "", "INVALID_REQUEST", msgInvalidRequest},
		{"delete without ids", http.MethodDelete, "/settings/territories?delete_previous_forecasts=false", "", "REQUIRED_PARAM_MISSING", msgMandatoryParamMissing},
		{"delete without forecasts", http.MethodDelete, "/settings/territories?ids=" + west, "", "REQUIRED_PARAM_MISSING", msgParamMissing},
		{"delete with forecasts maybe", http.MethodDelete, "/settings/territories/" + west + "?delete_previous_forecasts=maybe", "", "INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, "delete_previous_forecasts")},
		{"create without body", http.MethodPost, "/settings/territories", "", "MANDATORY_NOT_FOUND", msgMandatoryNotFound},
		{"create with no territories", http.MethodPost, "/settings/territories", `{"territories":[]}`, "MANDATORY_NOT_FOUND", msgMandatoryNotFound},
		{"create with a body not JSON", http.MethodPost, "/settings/territories", `territories`, "INVALID_DATA", msgBodyNotJSON},
		{"update of an unknown territory in the path", http.MethodPut, "/settings/territories/" + unknownID, `{"territories":[{"permission_type":"read_only"}]}`, "INVALID_DATA", msgInvalidTerritoryID},
		{"update of two in the single form", http.MethodPut, "/settings/territories/" + west, many(2, `{"permission_type":"read_only","x":%d}`), "INVALID_REQUEST", msgInvalidRequest},
		{"delete of an unknown territory in the path", http.MethodDelete, "/settings/territories/" + unknownID + "?delete_previous_forecasts=true", "", "INVALID_DATA", msgInvalidTerritoryID},
		{"delete of a territory with children", http.MethodDelete, "/settings/territories/" + na + "?delete_previous_forecasts=true", "", "NOT_ALLOWED", msgHasChildren},
		{"delete of the root", http.MethodDelete, "/settings/territories/" + org + "?delete_previous_forecasts=true", "", "NOT_ALLOWED", msgOrgNotDeleted},
		{"transfer of an unknown territory in the path", http.MethodPost, "/settings/territories/" + unknownID + "/actions/transfer_and_delete", `{"territories":[{"transfer_to_id":"` + org + `"}]}`, "INVALID_DATA", msgInvalidTerritoryID},
		{"children of an unknown territory", http.MethodGet, "/settings/territories/" + unknownID + "/__child_territories", "", "INVALID_DATA", msgInvalidTerritoryID},
		{"counts of 2001 a page", http.MethodGet, "/settings/territories/actions/associated_users_count?per_page=2001", "", "INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, "per_page")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, WithContractCheck(checker(t)))
			before := srv.Territories()
			status, body := lc(t, srv, tt.method, tt.path, tt.body)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.Equal(t, tt.code, body["code"])
			assert.Equal(t, tt.message, body["message"])
			assert.Equal(t, before, srv.Territories(), "nothing changed")
			assert.Empty(t, srv.Violations())
		})
	}
}

func TestUpdateTerritories(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	// Rules and a description to clear later.
	status, body := lc(t, srv, http.MethodPut, "/settings/territories/"+west, `{"territories":[{"id":"`+west+`","permission_type":"read_write_delete",
		"description":"Coast","lead_rule_criteria":{"field":{"api_name":"State"},"comparator":"in","value":["CA","WA"]}}]}`)
	require.Equal(t, http.StatusOK, status, "%v", body)

	status, body = lc(t, srv, http.MethodPut, "/settings/territories", `{"territories":[
		{"id":"`+west+`","name":"West","reporting_to":{"id":"`+org+`"},"permission_type":"read_only","manager":null,"description":null,"lead_rule_criteria":null},
		{"id":"`+na+`","reporting_to":{"id":"`+keyNA+`"},"permission_type":"read_write_delete"},
		{"id":"`+eu+`","reporting_to":{"id":"`+eu+`"},"permission_type":"read_write_delete"},
		{"id":"`+org+`","name":"Acme","permission_type":"read_write_delete"},
		{"id":"`+org+`","permission_type":"read_only"},
		{"id":"`+keyEU+`","name":"west","permission_type":"read_write_delete"},
		{"id":"`+unknownID+`","name":"Nowhere","permission_type":"read_write_delete"},
		{"id":"`+keyEU+`","name":"Key EU"},
		{"name":"No id","permission_type":"read_write_delete"}]}`)
	require.Equal(t, http.StatusMultiStatus, status)
	entries, _ := lcItems(t, body)
	assert.Equal(t, []string{
		"SUCCESS: " + msgTerritoryUpdated,
		"NOT_ALLOWED: " + msgParentIsDescendant, // under its own child
		"NOT_ALLOWED: " + msgParentIsDescendant, // under itself
		"SUCCESS: " + msgTerritoryUpdated,       // the root renamed, its permission type sent as it is
		"NOT_ALLOWED: " + msgRootOnlyRenamed,
		"DUPLICATE_DATA: " + msgNameTaken, // the name West took above, in another case
		"INVALID_DATA: " + msgTerritoryIDInvalid,
		"MANDATORY_NOT_FOUND: " + msgMandatoryNotFound,
		"MANDATORY_NOT_FOUND: " + msgMandatoryNotFound,
	}, entries)

	got := lcTerritory(t, srv, west)
	assert.Equal(t, "West", got["name"])
	assert.Equal(t, org, refOf(got, "reporting_to"), "re-parented")
	assert.Equal(t, "read_only", got["permission_type"])
	assert.Nil(t, got["manager"], "null clears the manager")
	assert.Nil(t, got["description"], "null clears the description")
	assert.Nil(t, got["lead_rule_criteria"], "null clears a rule")
	assert.Contains(t, srv.Members(west), dev, "the manager that was keeps the membership")
	assert.Equal(t, "Acme", lcTerritory(t, srv, org)["name"])
	assert.Equal(t, na, refOf(lcTerritory(t, srv, keyNA), "reporting_to"), "nothing else moved")

	// The single form: an id in the body must be the path's.
	status, body = lc(t, srv, http.MethodPut, "/settings/territories/"+west, `{"territories":[{"id":"`+na+`","name":"W2","permission_type":"read_only"}]}`)
	assert.Equal(t, http.StatusBadRequest, status)
	entries, _ = lcItems(t, body)
	assert.Equal(t, []string{"INVALID_DATA: " + msgTerritoryIDInvalid}, entries)
	assert.Empty(t, srv.Violations())
}

func TestDeleteTerritories(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	require.Contains(t, srv.TerritoriesOf(chloe), west)
	status, body := lc(t, srv, http.MethodDelete, "/settings/territories?ids="+strings.Join([]string{na, west, org, unknownID, west, keyNA}, ",")+"&delete_previous_forecasts=false", "")
	require.Equal(t, http.StatusMultiStatus, status)
	entries, ids := lcItems(t, body)
	assert.Equal(t, []string{
		"NOT_ALLOWED: " + msgHasChildren, // its children are deleted after it is tried
		"SUCCESS: " + msgTerritoryDeleted,
		"NOT_ALLOWED: " + msgOrgNotDeleted,
		"INVALID_DATA: " + msgInvalidTerritoryID,
		"INVALID_DATA: " + msgInvalidTerritoryID, // gone already
		"SUCCESS: " + msgTerritoryDeleted,
	}, entries)
	assert.Equal(t, []string{west, keyNA}, ids)
	assert.NotContains(t, srv.TerritoriesOf(chloe), west, "the members lose a deleted territory")
	assert.Nil(t, lcTerritory(t, srv, west), "a deleted territory reads as none")

	status, body = lc(t, srv, http.MethodDelete, "/settings/territories/"+na+"?delete_previous_forecasts=true", "")
	assert.Equal(t, http.StatusOK, status, "childless now")
	entries, _ = lcItems(t, body)
	assert.Equal(t, []string{"SUCCESS: " + msgTerritoryDeleted}, entries)
	assert.Empty(t, srv.Violations())
}

func TestTransferAndDeleteTerritories(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	status, body := lc(t, srv, http.MethodPost, "/settings/territories/actions/transfer_and_delete", `{"territories":[
		{"id":"`+na+`","delete_previous_forecasts":false},
		{"id":"`+na+`","transfer_to_id":"`+west+`"},
		{"id":"`+na+`","transfer_to_id":"`+na+`"},
		{"id":"`+na+`","transfer_to_id":"`+unknownID+`"},
		{"id":"`+unknownID+`","transfer_to_id":"`+org+`"},
		{"id":"`+org+`","transfer_to_id":"`+na+`"},
		{"id":"`+na+`","transfer_to_id":`+eu+`,"delete_previous_forecasts":true}]}`)
	require.Equal(t, http.StatusMultiStatus, status, "%v", body)
	entries, ids := lcItems(t, body)
	assert.Equal(t, []string{
		"DEPENDENT_FIELD_MISSING: " + msgTransferTargetRequired,
		"INVALID_DATA: " + msgTransferTargetBelow,
		"INVALID_DATA: " + msgTransferTargetSame,
		"INVALID_DATA: " + msgTransferTargetInvalid,
		"INVALID_DATA: " + msgTransferIDInvalid,
		"NOT_ALLOWED: " + msgOrgNotDeleted,
		"SUCCESS: " + msgTerritoryTransferred,
	}, entries)
	assert.Equal(t, []string{na}, ids)
	assert.Equal(t, map[string]any{"api_name": "transfer_to_id", "json_path": "$.territories[0].transfer_to_id",
		"dependee": map[string]any{"api_name": "id", "json_path": "$.territories[0].id"}},
		body["territories"].([]any)[0].(map[string]any)["details"])
	assert.Equal(t, eu, refOf(lcTerritory(t, srv, west), "reporting_to"), "the children moved to transfer_to_id")
	assert.Equal(t, eu, refOf(lcTerritory(t, srv, keyNA), "reporting_to"))
	assert.Nil(t, lcTerritory(t, srv, na))
	assert.NotContains(t, srv.TerritoriesOf(ben), na, "the members lose it")

	// The single form without transfer_to_id names the path as the dependee.
	status, body = lc(t, srv, http.MethodPost, "/settings/territories/"+eu+"/actions/transfer_and_delete", `{"territories":[{"delete_previous_forecasts":true}]}`)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, map[string]any{"api_name": "transfer_to_id", "json_path": "$.territories[0].transfer_to_id",
		"dependee": map[string]any{"resource_path_index": float64(2)}}, body["territories"].([]any)[0].(map[string]any)["details"])
	// A childless territory needs no target.
	status, _ = lc(t, srv, http.MethodPost, "/settings/territories/"+keyEU+"/actions/transfer_and_delete", `{"territories":[{"id":"`+keyEU+`"}]}`)
	assert.Equal(t, http.StatusOK, status)
	assert.Empty(t, srv.Violations())
}

func TestChildTerritoriesAndCounts(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	status, body := lc(t, srv, http.MethodGet, "/settings/territories/"+na+"/__child_territories?per_page=1&page=2", "")
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, map[string]any{"per_page": float64(1), "count": float64(1), "page": float64(2), "more_records": false}, body["info"])
	assert.Equal(t, keyNA, body["territories"].([]any)[0].(map[string]any)["id"])
	assert.NotContains(t, body["territories"].([]any)[0], "account_rule_criteria", "criteria only when asked for")
	status, _ = lc(t, srv, http.MethodGet, "/settings/territories/"+na+"/__child_territories?page=3&per_page=1", "")
	assert.Equal(t, http.StatusNoContent, status, "past the last page")
	status, _ = lc(t, srv, http.MethodGet, "/settings/territories/"+west+"/__child_territories", "")
	assert.Equal(t, http.StatusNoContent, status, "no children")

	status, body = lc(t, srv, http.MethodGet, "/settings/territories/actions/associated_users_count?per_page=2000", "")
	require.Equal(t, http.StatusOK, status)
	counts := map[string]float64{}
	for _, c := range body["associated_users_count"].([]any) {
		m := c.(map[string]any)
		counts[m["territory"].(map[string]any)["id"].(string)] = m["count"].(float64)
	}
	assert.Equal(t, map[string]float64{org: 5, na: 3, eu: 3, west: 2, keyNA: 2, keyEU: 2}, counts)
	assert.Equal(t, float64(2000), body["info"].(map[string]any)["per_page"])
	status, _ = lc(t, srv, http.MethodGet, "/settings/territories/actions/associated_users_count?page=2", "")
	assert.Equal(t, http.StatusNoContent, status)
	assert.Empty(t, srv.Violations())
}

// TestLifecycleFeatureScopesPermission: territory management off is 400
// FEATURE_NOT_ENABLED on every URL of the lifecycle; each needs its scope;
// a caller without permission gets 403 NO_PERMISSION.
func TestLifecycleFeatureScopesPermission(t *testing.T) {
	t.Parallel()
	type req struct{ method, path, body, scope string }
	reqs := []req{
		{http.MethodPost, "/settings/territories", `{"territories":[{"name":"P","reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}]}`, ScopeTerritoriesCreate},
		{http.MethodPut, "/settings/territories", `{"territories":[{"id":"` + west + `","name":"W","permission_type":"read_only"}]}`, ScopeTerritoriesUpdate},
		{http.MethodPut, "/settings/territories/" + west, `{"territories":[{"name":"W","permission_type":"read_only"}]}`, ScopeTerritoriesUpdate},
		{http.MethodDelete, "/settings/territories?ids=" + west + "&delete_previous_forecasts=false", "", ScopeTerritoriesDelete},
		{http.MethodDelete, "/settings/territories/" + west + "?delete_previous_forecasts=false", "", ScopeTerritoriesDelete},
		{http.MethodPost, "/settings/territories/actions/transfer_and_delete", `{"territories":[{"id":"` + west + `","transfer_to_id":"` + org + `"}]}`, ScopeTerritoriesDelete},
		{http.MethodPost, "/settings/territories/" + west + "/actions/transfer_and_delete", `{"territories":[{"transfer_to_id":"` + org + `"}]}`, ScopeTerritoriesDelete},
		{http.MethodGet, "/settings/territories/" + na + "/__child_territories", "", ScopeTerritoriesRead},
		{http.MethodGet, "/settings/territories/actions/associated_users_count", "", ScopeTerritoriesRead},
	}
	for _, feature := range []TerritoryFeature{TerritoriesNotEnabled, TerritoriesDisabled} {
		seed := DefaultSeed()
		seed.TerritoryFeature = feature
		srv := newServer(t, WithSeed(seed))
		for _, r := range reqs {
			status, body := lc(t, srv, r.method, r.path, r.body)
			assert.Equal(t, http.StatusBadRequest, status, "%s %s", r.method, r.path)
			assert.Equal(t, "FEATURE_NOT_ENABLED", body["code"], "%s %s", r.method, r.path)
		}
	}
	denied := DefaultSeed()
	denied.CallerWithoutPermission = true
	srvDenied := newServer(t, WithSeed(denied))
	for _, r := range reqs {
		status, body := lc(t, srvDenied, r.method, r.path, r.body)
		assert.Equal(t, http.StatusForbidden, status)
		assert.Equal(t, "NO_PERMISSION", body["code"])
	}
	srv := newServer(t)
	for _, r := range reqs {
		others := slices.DeleteFunc([]string{ScopeTerritoriesCreate, ScopeTerritoriesUpdate, ScopeTerritoriesDelete, ScopeTerritoriesRead,
			ScopeUsersAll}, func(s string) bool { return s == r.scope })
		status, body := lc(t, srv, r.method, r.path, r.body, srv.IssueToken(others...))
		assert.Equal(t, http.StatusUnauthorized, status, "%s %s without %s", r.method, r.path, r.scope)
		assert.Equal(t, "OAUTH_SCOPE_MISMATCH", body["code"])
		status, _ = lc(t, srv, r.method, r.path, r.body, srv.IssueToken(r.scope))
		assert.Less(t, status, http.StatusUnauthorized, "%s %s with %s", r.method, r.path, r.scope)
	}
	status, _ := lc(t, srv, http.MethodGet, "/settings/territories/actions/associated_users_count", "", srv.IssueToken(ScopeTerritoriesAll))
	assert.Equal(t, http.StatusOK, status, "ALL does all")
}

// TestCreateUnderFaults: the fault injection applies to the lifecycle as to
// every call: a server error after acting creates the territory and loses
// the answer.
func TestCreateUnderFaults(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithFaults(Fault{Kind: FaultServerError, Count: 1}))
	status, _ := lc(t, srv, http.MethodPost, "/settings/territories", `{"territories":[{"name":"P","reporting_to":{"id":"`+org+`"},"permission_type":"read_only"}]}`)
	assert.Equal(t, http.StatusInternalServerError, status)
	var names []string
	for _, tr := range srv.Territories() {
		names = append(names, tr.Name)
	}
	assert.Contains(t, names, "P", "the work was done before the answer was lost")
	assert.Equal(t, FaultServerError, srv.Requests()[0].Fault)
}

func TestWithTerritoryLimit(t *testing.T) {
	t.Parallel()
	_, err := NewServer(WithTerritoryLimit(0))
	require.EqualError(t, err, "zohoterritorytest: territory limit 0: must be at least 1")
}
