package zohoterritorytest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Zoho's Node and TypeScript SDKs parse every answer through a key map
// they ship (json_details.json): for each model class, the JSON key of each
// member and its type; for an interface (a response or action handler), the
// classes it may be, of which the SDK takes the one whose members the
// answer matches best. A key the class does not know is dropped without a
// word, so a name under `Manager.name` where the SDK reads `Manager.Name`
// reaches the SDK's user as no name at all. testdata/zoho-sdk holds the
// classes of the operations the sandbox serves, cut from the pinned
// packages by interop/zoho-sdk-keys.mjs (make interop checks that they
// still equal what the packages ship).

// sdkMember is one member of a class of an SDK's key map.
type sdkMember struct {
	Name          string          `json:"name"`
	Type          string          `json:"type"`
	StructureName string          `json:"structure_name"`
	SubType       json.RawMessage `json:"sub_type"`
	Keys          []sdkMember     `json:"keys"`
	Values        []any           `json:"values"`
	RequiredFor   string          `json:"required_for"`
	Required      bool            `json:"required"`
}

// sdkClass is a class of an SDK's key map: an interface and its classes,
// or members by the SDK's member name.
type sdkClass struct {
	Interface bool
	Classes   []string
	Members   map[string]sdkMember
}

type sdkKeyMap struct {
	name    string
	classes map[string]sdkClass
}

func loadSDKKeyMap(t *testing.T, file string) sdkKeyMap {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "zoho-sdk", file))
	require.NoError(t, err)
	var doc struct {
		Package string                                `json:"package"`
		Version string                                `json:"version"`
		Classes map[string]map[string]json.RawMessage `json:"classes"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	km := sdkKeyMap{name: doc.Package + " " + doc.Version, classes: map[string]sdkClass{}}
	for name, raw := range doc.Classes {
		if string(raw["interface"]) == "true" {
			var classes []string
			require.NoError(t, json.Unmarshal(raw["classes"], &classes))
			km.classes[name] = sdkClass{Interface: true, Classes: classes}
			continue
		}
		members := map[string]sdkMember{}
		for m, r := range raw {
			var sm sdkMember
			require.NoError(t, json.Unmarshal(r, &sm), "%s.%s", name, m)
			members[m] = sm
		}
		km.classes[name] = sdkClass{Members: members}
	}
	return km
}

// jsType is the type Object.prototype.toString gives a value of JSON.parse,
// an object counted as a map, as the SDKs' findRatio does.
func jsType(v any) string {
	switch v.(type) {
	case string:
		return "[object String]"
	case json.Number:
		return "[object Number]"
	case bool:
		return "[object Boolean]"
	case []any:
		return "[object Array]"
	case map[string]any:
		return "[object Map]"
	}
	return "[object Null]"
}

// sdkTypes is the SDKs' TYPE_VS_DATATYPE (utils/util/constants.js).
var sdkTypes = map[string]string{
	"map": "[object Map]", "hashmap": "[object Map]", "string": "[object String]", "list": "[object Array]",
	"long": "[object BigInt]", "integer": "[object Number]", "float": "[object Number]", "double": "[object Number]",
	"boolean": "[object Boolean]", "datetime": "[object Date]", "date": "[object Date]", "localtime": "[object Date]",
}

const sdkChoice = "utils/util/choice"

// looseEqual is JavaScript's == between a JSON value and a choice's value.
func looseEqual(v, choice any) bool {
	switch c := choice.(type) {
	case string:
		if s, ok := v.(string); ok {
			return s == c
		}
		if n, ok := v.(json.Number); ok {
			return n.String() == c
		}
	case float64:
		if n, ok := v.(json.Number); ok {
			f, err := n.Float64()
			return err == nil && f == c
		}
	case bool:
		b, ok := v.(bool)
		return ok && b == c
	}
	return false
}

// ratio is the SDKs' findRatio: the share of the class's members whose key
// the answer holds (not null) with a value of the member's type.
func (km sdkKeyMap) ratio(class string, obj map[string]any) float64 {
	members := km.classes[class].Members
	if len(members) == 0 {
		return 0
	}
	matches := 0
	for _, m := range members {
		v, ok := obj[m.Name]
		if m.Name == "" || !ok || v == nil {
			continue
		}
		typ := jsType(v)
		switch {
		case sdkTypes[strings.ToLower(m.Type)] == typ && typ != "":
			matches++
		case strings.ToLower(m.Name) == "count" && strings.EqualFold(m.Type, "Long") && typ == "[object Number]":
			matches++
		case m.Type == sdkChoice:
			if slices.ContainsFunc(m.Values, func(c any) bool { return looseEqual(v, c) }) {
				matches++
			}
		}
		if m.StructureName != "" && m.StructureName == m.Type {
			if m.Values == nil || slices.ContainsFunc(m.Values, func(c any) bool { return looseEqual(v, c) }) {
				matches++
			}
		}
	}
	return float64(matches) / float64(len(members))
}

// resolve is the SDKs' findMatch: the class of an interface an answer is
// parsed into, the first with the best ratio (1.0 ends the search).
func (km sdkKeyMap) resolve(class string, obj map[string]any) string {
	for {
		c := km.classes[class]
		if !c.Interface {
			return class
		}
		best, pick := 0.0, ""
		for _, cand := range c.Classes {
			// An interface among the classes has no members: ratio 0, as
			// in the SDKs.
			r := km.ratio(cand, obj)
			if r == 1 {
				pick = cand
				break
			}
			if r > best {
				best, pick = r, cand
			}
		}
		class = pick
	}
}

var (
	digitsOnly = regexp.MustCompile(`^[0-9]{1,19}$`)
	isoDate    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// walk checks obj as the SDK reads it into class: every key is a member of
// the class, every value of the member's type, every required member there;
// then it walks the members that are classes.
func (km sdkKeyMap) walk(class, path string, v any, problems *[]string) {
	bad := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	obj, ok := v.(map[string]any)
	if !ok {
		bad("%s is read into %s, which wants an object", jsType(v), class)
		return
	}
	if class == "" {
		bad("no class of the interface matched")
		return
	}
	class = km.resolve(class, obj)
	c, ok := km.classes[class]
	if !ok {
		bad("class %s is not in the key map", class)
		return
	}
	byKey := map[string]sdkMember{}
	for _, m := range c.Members {
		byKey[m.Name] = m
		if (m.Required || m.RequiredFor == "true") && obj[m.Name] == nil {
			bad("%s is required by %s and missing", m.Name, class)
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m, known := byKey[k]
		if !known {
			bad("key %q is unknown to %s (it knows %s)", k, class, knownKeys(c))
			continue
		}
		if obj[k] != nil {
			km.value(m, path+"."+k, obj[k], problems)
		}
	}
}

// knownKeys lists the keys a small class knows, for the failure message.
func knownKeys(c sdkClass) string {
	var ks []string
	for _, m := range c.Members {
		if m.Type != "HashMap" {
			ks = append(ks, m.Name)
		}
	}
	if len(ks) > 12 {
		return fmt.Sprintf("%d others", len(ks))
	}
	sort.Strings(ks)
	return strings.Join(ks, ", ")
}

// value checks one non-null value against its member's type.
func (km sdkKeyMap) value(m sdkMember, path string, v any, problems *[]string) {
	bad := func(format string, args ...any) {
		*problems = append(*problems, path+": "+fmt.Sprintf(format, args...))
	}
	if _, isClass := km.classes[m.Type]; isClass {
		km.walk(m.Type, path, v, problems)
		return
	}
	switch m.Type {
	case "List":
		arr, ok := v.([]any)
		if !ok {
			bad("%s where the SDK reads a List", jsType(v))
			return
		}
		var sub struct {
			Type string `json:"type"`
		}
		_ = json.Unmarshal(m.SubType, &sub)
		for i, e := range arr {
			km.value(sdkMember{Type: sub.Type}, fmt.Sprintf("%s[%d]", path, i), e, problems)
		}
	case "Map":
		obj, ok := v.(map[string]any)
		if !ok {
			bad("%s where the SDK reads a Map", jsType(v))
			return
		}
		// A Map takes any key; the keys it names must have their type.
		for _, k := range m.Keys {
			if x, ok := obj[k.Name]; ok && x != nil {
				km.value(k, path+"."+k.Name, x, problems)
			}
		}
	default:
		if _, isNumber := v.(json.Number); isNumber && m.Type == "String" && m.Name == "count" {
			// A users' count: a number, as Zoho's OpenAPI file and pages
			// show it, where the SDKs declare a String; they convert
			// with toString() (DatatypeConverter), so a count of users
			// reads as its digits.
			return
		}
		if why := primitiveMismatch(m.Type, v); why != "" {
			bad("%s", why)
		}
	}
}

// primitiveMismatch says why v is not what the SDK reads for typ, or "".
func primitiveMismatch(typ string, v any) string {
	s, isString := v.(string)
	_, isNumber := v.(json.Number)
	switch typ {
	case "String", "TimeZone":
		if !isString {
			return fmt.Sprintf("%s where the SDK reads a %s", jsType(v), typ)
		}
	case "Long":
		switch {
		case isNumber:
			return "a JSON number where the SDK reads a Long: JavaScript parses it as a float, and an id of 19 digits loses its last ones"
		case !isString || !digitsOnly.MatchString(s):
			return fmt.Sprintf("%s %v where the SDK reads a Long (a string of digits)", jsType(v), v)
		}
	case "Integer", "Float", "Double":
		if !isNumber {
			return fmt.Sprintf("%s where the SDK reads an %s", jsType(v), typ)
		}
	case "Boolean":
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("%s where the SDK reads a Boolean", jsType(v))
		}
	case "DateTime":
		if _, err := time.Parse(time.RFC3339, s); !isString || err != nil {
			return fmt.Sprintf("%v where the SDK reads a DateTime (ISO 8601 with an offset)", v)
		}
	case "Date":
		if !isString || !isoDate.MatchString(s) {
			return fmt.Sprintf("%v where the SDK reads a Date", v)
		}
	case sdkChoice:
		if isString || isNumber {
			return ""
		}
		if _, ok := v.(bool); !ok {
			return fmt.Sprintf("%s where the SDK reads a Choice", jsType(v))
		}
	case "Object":
	case "HashMap":
		return "a value under the SDK's own keyModified"
	default:
		return fmt.Sprintf("the SDK's type %q is new to this test: teach primitiveMismatch", typ)
	}
	return ""
}

// sdkCall is one request as Zoho's Node and TypeScript SDKs send it (paths
// with lower-case `users`, `ids` with a trailing `&`, bodies without
// Content-Type), and the handler the SDK parses its answer with.
type sdkCall struct {
	name, method, path, body, handler string
	token                             func(*Server) string
}

const (
	sdkOrgHandler       = "core/com/zoho/crm/api/org/response_handler"
	sdkUsersHandler     = "core/com/zoho/crm/api/users/response_handler"
	sdkTerrsHandler     = "core/com/zoho/crm/api/territories/response_handler"
	sdkTUReadHandler    = "core/com/zoho/crm/api/territory_users/response_handler"
	sdkTUActionHandler  = "core/com/zoho/crm/api/territory_users/action_handler"
	sdkUTReadHandler    = "core/com/zoho/crm/api/users_territories/response_handler"
	sdkUTActionHandler  = "core/com/zoho/crm/api/users_territories/action_handler"
	sdkTerrsAction      = "core/com/zoho/crm/api/territories/action_handler"
	sdkUsersTerritories = "/crm/v8/users/"
	sdkTerritoryUsers   = "/crm/v8/settings/territories/"
)

// sdkCalls are every operation the SDKs have for what the sandbox serves,
// each with the answers it gets from DefaultSeed: success, per-id errors,
// request-level errors, nothing (204). They run in order on one sandbox.
func sdkCalls() []sdkCall {
	bodyIDs := func(key string, ids ...string) string { return refs(key, ids...) }
	expired := func(s *Server) string {
		tok := s.IssueToken(AllScopes()...)
		s.mu.Lock()
		ts := s.tokens[tok]
		ts.expiresAt = s.cfg.now().Add(-time.Minute)
		s.tokens[tok] = ts
		s.mu.Unlock()
		return tok
	}
	weak := func(s *Server) string { return s.IssueToken(ScopeUsersRead) }
	return []sdkCall{
		// OrgOperations.getOrganization, and what the SDKs call while
		// they start (UsersOperations.getUsers type=CurrentUser, then org).
		{name: "getOrganization", method: http.MethodGet, path: "/crm/v8/org", handler: sdkOrgHandler},
		{name: "getOrganization, no org scope", method: http.MethodGet, path: "/crm/v8/org", handler: sdkOrgHandler, token: weak},
		{name: "getUsers CurrentUser", method: http.MethodGet, path: "/crm/v8/users?type=CurrentUser&", handler: sdkUsersHandler},
		{name: "getUsers", method: http.MethodGet, path: "/crm/v8/users?type=AllUsers&page=1&per_page=200&", handler: sdkUsersHandler},
		{name: "getUsers deleted, by ids", method: http.MethodGet, path: "/crm/v8/users?type=DeletedUsers&ids=" + gus + "&", handler: sdkUsersHandler},
		{name: "getUsers bad type", method: http.MethodGet, path: "/crm/v8/users?type=Nobody&", handler: sdkUsersHandler},
		{name: "getUser", method: http.MethodGet, path: "/crm/v8/users/" + finn, handler: sdkUsersHandler},
		{name: "getUser unknown", method: http.MethodGet, path: "/crm/v8/users/" + unknownID, handler: sdkUsersHandler},
		{name: "getTerritories", method: http.MethodGet, path: "/crm/v8/settings/territories?page=1&per_page=200&", handler: sdkTerrsHandler},
		{name: "getTerritories by ids", method: http.MethodGet, path: "/crm/v8/settings/territories?ids=" + org + "," + west + "&", handler: sdkTerrsHandler},
		{name: "getTerritory", method: http.MethodGet, path: "/crm/v8/settings/territories/" + keyEU, handler: sdkTerrsHandler},
		{name: "getTerritory expired token", method: http.MethodGet, path: "/crm/v8/settings/territories/" + keyEU, handler: sdkTerrsHandler, token: expired},
		{name: "getTerritoryUsers", method: http.MethodGet, path: sdkTerritoryUsers + na + "/users", handler: sdkTUReadHandler},
		{name: "getTerritoryUsers unknown territory", method: http.MethodGet, path: sdkTerritoryUsers + unknownID + "/users", handler: sdkTUReadHandler},
		{name: "getTerritoryUser", method: http.MethodGet, path: sdkTerritoryUsers + na + "/users/" + dev, handler: sdkTUReadHandler},
		{name: "getTerritoryUser not a member", method: http.MethodGet, path: sdkTerritoryUsers + na + "/users/" + eve, handler: sdkTUReadHandler},
		{name: "getTerritoryUser unknown user", method: http.MethodGet, path: sdkTerritoryUsers + na + "/users/" + unknownID, handler: sdkTUReadHandler},
		{name: "getTerritoriesOfUser", method: http.MethodGet, path: sdkUsersTerritories + chloe + "/territories", handler: sdkUTReadHandler},
		{name: "getTerritoriesOfUser unknown user", method: http.MethodGet, path: sdkUsersTerritories + unknownID + "/territories", handler: sdkUTReadHandler},
		{name: "getTerritoryOfUser", method: http.MethodGet, path: sdkUsersTerritories + dev + "/territories/" + west, handler: sdkUTReadHandler},
		{name: "getTerritoryOfUser the default territory", method: http.MethodGet, path: sdkUsersTerritories + dev + "/territories/" + org, handler: sdkUTReadHandler},
		{name: "getTerritoryOfUser unknown territory", method: http.MethodGet, path: sdkUsersTerritories + dev + "/territories/" + unknownID, handler: sdkUTReadHandler},

		// The adds.
		{name: "updateTerritoryUsers", method: http.MethodPut, path: sdkTerritoryUsers + west + "/users", body: bodyIDs("users", eve, ben), handler: sdkTUActionHandler},
		{name: "updateTerritoryUsers mixed", method: http.MethodPut, path: sdkTerritoryUsers + west + "/users", body: bodyIDs("users", eve, finn, ava, unknownID), handler: sdkTUActionHandler},
		{name: "updateTerritoryUsers no users", method: http.MethodPut, path: sdkTerritoryUsers + west + "/users", body: `{"users":[]}`, handler: sdkTUActionHandler},
		{name: "updateTerritoryUsers numeric ids (Python)", method: http.MethodPut, path: sdkTerritoryUsers + keyNA + "/users",
			body: `{"users":[{"id":5725767000000411004}]}`, handler: sdkTUActionHandler},
		{name: "updateTerritoryUser", method: http.MethodPut, path: sdkTerritoryUsers + eu + "/users/" + ben, handler: sdkTUActionHandler},
		{name: "updateTerritoryUser again", method: http.MethodPut, path: sdkTerritoryUsers + eu + "/users/" + ben, handler: sdkTUActionHandler},
		{name: "updateTerritoryUser deleted user", method: http.MethodPut, path: sdkTerritoryUsers + eu + "/users/" + gus, handler: sdkTUActionHandler},
		{name: "updateTerritoryUser unknown user", method: http.MethodPut, path: sdkTerritoryUsers + eu + "/users/" + unknownID, handler: sdkTUActionHandler},
		{name: "associateTerritoriesToUser", method: http.MethodPut, path: sdkUsersTerritories + eve + "/territories", body: bodyIDs("territories", na, west), handler: sdkUTActionHandler},
		{name: "associateTerritoriesToUser mixed", method: http.MethodPut, path: sdkUsersTerritories + eve + "/territories", body: bodyIDs("territories", keyNA, na, unknownID), handler: sdkUTActionHandler},
		{name: "associateTerritoriesToUser the caller's own", method: http.MethodPut, path: sdkUsersTerritories + ava + "/territories", body: bodyIDs("territories", na), handler: sdkUTActionHandler},

		// The removals.
		{name: "deassociateTerritoryUsers mixed", method: http.MethodDelete, path: sdkTerritoryUsers + na + "/users?ids=" + dev + "," + ben + "," + unknownID + "&", handler: sdkTUActionHandler},
		{name: "deassociateTerritoryUsers none", method: http.MethodDelete, path: sdkTerritoryUsers + na + "/users?ids=" + dev + "&", handler: sdkTUActionHandler},
		{name: "deassociateTerritoryUsers unknown territory", method: http.MethodDelete, path: sdkTerritoryUsers + unknownID + "/users?ids=" + dev + "&", handler: sdkTUActionHandler},
		{name: "deassociateTerritoryUser", method: http.MethodDelete, path: sdkTerritoryUsers + eu + "/users/" + finn, handler: sdkTUActionHandler},
		{name: "deassociateTerritoryUser unknown territory", method: http.MethodDelete, path: sdkTerritoryUsers + unknownID + "/users/" + finn, handler: sdkTUActionHandler},
		{name: "removeTerritoriesFromUser mixed", method: http.MethodDelete, path: sdkUsersTerritories + chloe + "/territories?ids=" + na + "," + org + "," + keyEU + "," + unknownID + "&", handler: sdkUTActionHandler},
		{name: "removeTerritoriesFromUser inactive user", method: http.MethodDelete, path: sdkUsersTerritories + finn + "/territories?ids=" + eu + "&", handler: sdkUTActionHandler},
		{name: "removeTerritoryFromUser", method: http.MethodDelete, path: sdkUsersTerritories + dev + "/territories/" + na, handler: sdkUTActionHandler},
		{name: "removeTerritoryFromUser its manager", method: http.MethodDelete, path: sdkUsersTerritories + dev + "/territories/" + west, handler: sdkUTActionHandler},
		{name: "removeTerritoryFromUser the caller's own", method: http.MethodDelete, path: sdkUsersTerritories + ava + "/territories/" + org, handler: sdkUTActionHandler},
		{name: "removeTerritoryFromUser no scope", method: http.MethodDelete, path: sdkUsersTerritories + dev + "/territories/" + org, handler: sdkUTActionHandler, token: weak},

		// The territories' lifecycle (TerritoriesOperations), last: it
		// changes the tree.
		{name: "createTerritories, a name taken", method: http.MethodPost, path: sdkTerritoryUsers[:len(sdkTerritoryUsers)-1],
			body: `{"territories":[{"name":"SDK North","reporting_to":{"id":"` + org + `"},"permission_type":"read_only","description":"d"},` +
				`{"name":"europe","reporting_to":{"id":"` + org + `"},"permission_type":"read_only"}]}`, handler: sdkTerrsAction},
		{name: "createTerritories, no permission type", method: http.MethodPost, path: sdkTerritoryUsers[:len(sdkTerritoryUsers)-1],
			body: `{"territories":[{"name":"SDK South","reporting_to":{"id":"` + org + `"}}]}`, handler: sdkTerrsAction},
		{name: "updateTerritories", method: http.MethodPut, path: sdkTerritoryUsers[:len(sdkTerritoryUsers)-1],
			body: `{"territories":[{"id":"` + west + `","description":"Pacific","permission_type":"read_write_delete","manager":null}]}`, handler: sdkTerrsAction},
		{name: "updateTerritory, the root re-parented", method: http.MethodPut, path: sdkTerritoryUsers + org,
			body: `{"territories":[{"id":"` + org + `","reporting_to":{"id":"` + na + `"},"permission_type":"read_only"}]}`, handler: sdkTerrsAction},
		{name: "getChildTerritory", method: http.MethodGet, path: sdkTerritoryUsers + na + "/__child_territories?page=1&per_page=200&", handler: sdkTerrsHandler},
		{name: "getChildTerritory, none", method: http.MethodGet, path: sdkTerritoryUsers + west + "/__child_territories", handler: sdkTerrsHandler},
		{name: "getChildTerritory, unknown", method: http.MethodGet, path: sdkTerritoryUsers + unknownID + "/__child_territories", handler: sdkTerrsHandler},
		{name: "getAssociatedUserCount", method: http.MethodGet, path: sdkTerritoryUsers + "actions/associated_users_count", handler: sdkTerrsHandler},
		{name: "deleteTerritory, with children", method: http.MethodDelete, path: sdkTerritoryUsers + na + "?delete_previous_forecasts=false&", handler: sdkTerrsAction},
		{name: "deleteTerritories mixed", method: http.MethodDelete, path: sdkTerritoryUsers[:len(sdkTerritoryUsers)-1] + "?ids=" + keyEU + "," + unknownID + "&delete_previous_forecasts=true&", handler: sdkTerrsAction},
		{name: "transferAndDeleteTerritories, no target", method: http.MethodPost, path: sdkTerritoryUsers + "actions/transfer_and_delete",
			body: `{"territories":[{"id":"` + na + `","delete_previous_forecasts":false}]}`, handler: sdkTerrsAction},
		{name: "transferAndDeleteTerritory", method: http.MethodPost, path: sdkTerritoryUsers + na + "/actions/transfer_and_delete",
			body: `{"territories":[{"id":"` + na + `","transfer_to_id":"` + org + `","delete_previous_forecasts":false}]}`, handler: sdkTerrsAction},
	}
}

// sdkAnswers sends every SDK call to a fresh sandbox made with opts and
// returns each call's status and JSON body (nil for no body).
func sdkAnswers(t *testing.T, opts ...Option) (statuses []int, bodies []any) {
	t.Helper()
	srv := newServer(t, opts...)
	for _, c := range sdkCalls() {
		tok := srv.AccessToken()
		if c.token != nil {
			tok = c.token(srv)
		}
		var rd io.Reader = http.NoBody
		if c.body != "" {
			rd = strings.NewReader(c.body)
		}
		req, err := http.NewRequestWithContext(t.Context(), c.method, srv.URL()+c.path, rd)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Zoho-oauthtoken "+tok)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		statuses = append(statuses, resp.StatusCode)
		if len(b) == 0 {
			bodies = append(bodies, nil)
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber() // numbers as written, as the check of Long needs
		var v any
		require.NoErrorf(t, dec.Decode(&v), "%s: %s", c.name, b)
		bodies = append(bodies, v)
	}
	return statuses, bodies
}

// sdkKeyMaps are the SDKs whose key maps the sandbox must fit.
var sdkKeyMaps = []string{"nodejs-sdk-8.0.json", "typescript-sdk-8.0.json"}

// TestAnswersFitZohoSDKKeyMaps walks every answer the sandbox gives, by
// default, to every call Zoho's Node and TypeScript SDKs make of what it
// serves, as each SDK parses it: no key the SDK does not know (it would be
// dropped), no value of another type than the SDK reads (an id as a JSON
// number would lose digits in JavaScript), no member the SDK marks
// required missing.
func TestAnswersFitZohoSDKKeyMaps(t *testing.T) {
	t.Parallel()
	calls := sdkCalls()
	statuses, bodies := sdkAnswers(t)
	seen := map[int]bool{}
	for _, s := range statuses {
		seen[s] = true
	}
	for _, want := range []int{200, 204, 207, 400, 401, 403} {
		assert.Truef(t, seen[want], "no SDK call is answered %d: the walk misses a kind of answer", want)
	}
	for _, file := range sdkKeyMaps {
		km := loadSDKKeyMap(t, file)
		t.Run(km.name, func(t *testing.T) {
			t.Parallel()
			walked := 0
			for i, c := range calls {
				if bodies[i] == nil {
					continue
				}
				walked++
				var problems []string
				km.walk(c.handler, c.name, bodies[i], &problems)
				assert.Emptyf(t, problems, "%s %s -> %d, as %s parses it:\n%s", c.method, c.path, statuses[i], km.name, strings.Join(problems, "\n"))
			}
			assert.Greater(t, walked, 30)
		})
	}
}

// TestSDKKeyMapWalkFails: the walk can fail. The sandbox's other spelling
// of a manager's name (WithManagerNameKey("name")), an id sent as a JSON
// number and an unknown key are each reported, for both SDKs.
func TestSDKKeyMapWalkFails(t *testing.T) {
	t.Parallel()
	calls := sdkCalls()
	i := slices.IndexFunc(calls, func(c sdkCall) bool { return c.name == "getTerritoryOfUser" })
	require.GreaterOrEqual(t, i, 0)
	_, bodies := sdkAnswers(t, WithManagerNameKey("name"))
	for _, file := range sdkKeyMaps {
		km := loadSDKKeyMap(t, file)
		var problems []string
		km.walk(calls[i].handler, "territory", bodies[i], &problems)
		require.Len(t, problems, 1, "%s: %q", km.name, problems)
		assert.Contains(t, problems[0], `territory.territories[0].Manager: key "name" is unknown to core/com/zoho/crm/api/users_territories/manager (it knows Name, id)`)

		problems = nil
		env := decodeNumbers(t, `{"territories":[{"code":"SUCCESS","details":{"id":5725767000000452002},"message":"m","status":"success","extra":1}]}`)
		km.walk(sdkUTActionHandler, "envelope", env, &problems)
		assert.Equal(t, []string{
			"envelope.territories[0].details.id: a JSON number where the SDK reads a Long: JavaScript parses it as a float, and an id of 19 digits loses its last ones",
			`envelope.territories[0]: key "extra" is unknown to core/com/zoho/crm/api/users_territories/success_response (it knows code, details, message, status)`,
		}, problems, km.name)
	}
}

// decodeNumbers decodes s with numbers as json.Number, as sdkAnswers does.
func decodeNumbers(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var out any
	require.NoError(t, dec.Decode(&out))
	return out
}
