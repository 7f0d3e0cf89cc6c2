package contracttests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// The twenty-five operations of api/openapi.yaml: the read of the
// organization, four reads of the directory (users and territories), four
// reads of memberships, four removals and the three adds that undo them,
// and the nine of the territories' lifecycle (create, update and delete
// territories, transfer and delete, a territory's children, the users'
// counts). The spec's twins (the same operations under the other spelling
// of `users`) are reported by the validator under these names.
const (
	opGetOrganization           = "getOrganization"
	opListUsers                 = "listUsers"
	opGetUser                   = "getUser"
	opListTerritories           = "listTerritories"
	opGetTerritory              = "getTerritory"
	opListUsersOfTerritory      = "listUsersOfTerritory"
	opGetUserOfTerritory        = "getUserOfTerritory"
	opListTerritoriesOfUser     = "listTerritoriesOfUser"
	opGetTerritoryOfUser        = "getTerritoryOfUser"
	opRemoveUserFromTerritory   = "removeUserFromTerritory"
	opRemoveUsersFromTerritory  = "removeUsersFromTerritory"
	opRemoveTerritoryFromUser   = "removeTerritoryFromUser"
	opRemoveTerritoriesFromUser = "removeTerritoriesFromUser"
	opAddUserToTerritory        = "addUserToTerritory"
	opAddUsersToTerritory       = "addUsersToTerritory"
	opAddTerritoriesToUser      = "addTerritoriesToUser"

	opCreateTerritories            = "createTerritories"
	opUpdateTerritories            = "updateTerritories"
	opUpdateTerritory              = "updateTerritory"
	opGetChildTerritories          = "getChildTerritories"
	opGetAssociatedUsersCount      = "getAssociatedUsersCount"
	opTransferAndDeleteTerritories = "transferAndDeleteTerritories"
	opTransferAndDeleteTerritory   = "transferAndDeleteTerritory"
	opDeleteTerritories            = "deleteTerritories"
	opDeleteTerritory              = "deleteTerritory"
)

// operations lists every operation, the reads first, then the removals and
// the adds, then the lifecycle (the order live mode calls them in: it reads
// the memberships, removes them and adds them back, then creates territories,
// changes them, reads them and deletes them).
var operations = []string{
	opGetOrganization,
	opListUsers,
	opGetUser,
	opListTerritories,
	opGetTerritory,
	opListUsersOfTerritory,
	opGetUserOfTerritory,
	opListTerritoriesOfUser,
	opGetTerritoryOfUser,
	opRemoveUserFromTerritory,
	opRemoveUsersFromTerritory,
	opRemoveTerritoryFromUser,
	opRemoveTerritoriesFromUser,
	opAddUserToTerritory,
	opAddUsersToTerritory,
	opAddTerritoriesToUser,
	opCreateTerritories,
	opUpdateTerritories,
	opUpdateTerritory,
	opGetChildTerritories,
	opGetAssociatedUsersCount,
	opTransferAndDeleteTerritories,
	opTransferAndDeleteTerritory,
	opDeleteTerritories,
	opDeleteTerritory,
}

// readOps are the operations that read the directory, memberships, a
// territory's children or the users' counts; their answers are pages of
// records (200), nothing (204, and 304 for the users' reads), or an error
// object, never the changes' envelope of per-id results. listOps are the
// paged ones; infoOptional are the lists whose page may come without `info`
// (listTerritories asked for by `ids`, as Zoho's OpenAPI example shows).
// addOps send a body with PUT, createOps with POST.
var (
	readOps = map[string]bool{
		opListUsers: true, opGetUser: true, opListTerritories: true, opGetTerritory: true,
		opListUsersOfTerritory: true, opGetUserOfTerritory: true, opListTerritoriesOfUser: true, opGetTerritoryOfUser: true,
		opGetChildTerritories: true, opGetAssociatedUsersCount: true,
	}
	listOps = map[string]bool{opListUsers: true, opListTerritories: true, opListUsersOfTerritory: true, opListTerritoriesOfUser: true,
		opGetChildTerritories: true, opGetAssociatedUsersCount: true}
	infoOptional = map[string]bool{opListTerritories: true}
	addOps       = map[string]bool{opAddUserToTerritory: true, opAddUsersToTerritory: true, opAddTerritoriesToUser: true,
		opUpdateTerritories: true, opUpdateTerritory: true}
	postOps = map[string]bool{opCreateTerritories: true, opTransferAndDeleteTerritories: true, opTransferAndDeleteTerritory: true}
)

// opMethod is the HTTP method of each operation.
func opMethod(op string) string {
	switch {
	case readOps[op], op == opGetOrganization:
		return http.MethodGet
	case addOps[op]:
		return http.MethodPut
	case postOps[op]:
		return http.MethodPost
	}
	return http.MethodDelete
}

// sampleBodies are valid request bodies of the operations that take one.
var sampleBodies = map[string]string{
	opAddUsersToTerritory:  `{"users":[{"id":"431581000000258001"},{"id":"431581000000258002"}]}`,
	opAddTerritoriesToUser: `{"territories":[{"id":"5725767000000452115"}]}`,

	opCreateTerritories:            `{"territories":[{"name":"Pacific","reporting_to":{"id":"5725767000000452002"},"permission_type":"read_write_delete"}]}`,
	opUpdateTerritories:            `{"territories":[{"id":"5725767000002709047","reporting_to":{"id":"5725767000000452001"},"permission_type":"read_only","manager":null}]}`,
	opUpdateTerritory:              `{"territories":[{"name":"West","permission_type":"read_write_delete"}]}`,
	opTransferAndDeleteTerritories: `{"territories":[{"id":"5725767000000452002","transfer_to_id":"5725767000000452001","delete_previous_forecasts":false}]}`,
	opTransferAndDeleteTerritory:   `{"territories":[{"transfer_to_id":"5725767000000452001","delete_previous_forecasts":true}]}`,
}

// sampleRequest builds op's request on rawURL with header, carrying op's
// sample body when it takes one.
func sampleRequest(t *testing.T, op, rawURL string, header http.Header) *http.Request {
	t.Helper()
	c := contract.Case{Request: contract.CaseRequest{Method: opMethod(op), URL: rawURL, Body: json.RawMessage(sampleBodies[op])}}
	for k := range header {
		if c.Request.Headers == nil {
			c.Request.Headers = map[string]string{}
		}
		c.Request.Headers[k] = header.Get(k)
	}
	req, err := c.HTTPRequest()
	require.NoError(t, err)
	return req
}

// readKey is the key of a read operation's array: "users", "territories"
// or, for the users' counts, "associated_users_count".
func readKey(op string) string {
	switch op {
	case opListUsersOfTerritory, opGetUserOfTerritory, opListUsers, opGetUser:
		return "users"
	case opGetAssociatedUsersCount:
		return "associated_users_count"
	}
	return "territories"
}

// samplePaths are a valid path and query for each operation, used where a
// test needs a request and the ids do not matter.
var samplePaths = map[string]string{
	opGetOrganization:           "/crm/v8/org",
	opListUsers:                 "/crm/v8/users?type=AllUsers&page=1&per_page=200",
	opGetUser:                   "/crm/v8/users/5725767000000411001",
	opListTerritories:           "/crm/v8/settings/territories?page=1&per_page=200",
	opGetTerritory:              "/crm/v8/settings/territories/5725767000002709047",
	opListUsersOfTerritory:      "/crm/v7/settings/territories/431581000000744113/users?page=2&per_page=200",
	opGetUserOfTerritory:        "/crm/v7/settings/territories/431581000000744113/users/431581000000258001",
	opListTerritoriesOfUser:     "/crm/v7/Users/5725767000000583004/territories?page=1&per_page=50",
	opGetTerritoryOfUser:        "/crm/v7/Users/5725767000000583004/territories/5725767000002709047",
	opRemoveUserFromTerritory:   "/crm/v7/settings/territories/431581000000744113/users/431581000000258001",
	opRemoveUsersFromTerritory:  "/crm/v7/settings/territories/431581000000744113/users?ids=431581000000258001,431581000000258002",
	opRemoveTerritoryFromUser:   "/crm/v7/Users/5725767000000583004/territories/5725767000002709047",
	opRemoveTerritoriesFromUser: "/crm/v7/Users/5725767000000583004/territories?ids=5725767000000452115,5725767000000454003",
	opAddUserToTerritory:        "/crm/v8/settings/territories/431581000000744113/users/431581000000258001",
	opAddUsersToTerritory:       "/crm/v8/settings/territories/431581000000744113/users",
	opAddTerritoriesToUser:      "/crm/v8/Users/5725767000000583004/territories",

	opCreateTerritories:            "/crm/v8/settings/territories",
	opUpdateTerritories:            "/crm/v8/settings/territories",
	opUpdateTerritory:              "/crm/v8/settings/territories/5725767000002709047",
	opGetChildTerritories:          "/crm/v8/settings/territories/5725767000000452002/__child_territories?page=1&per_page=200",
	opGetAssociatedUsersCount:      "/crm/v8/settings/territories/actions/associated_users_count?page=1&per_page=2000",
	opTransferAndDeleteTerritories: "/crm/v8/settings/territories/actions/transfer_and_delete",
	opTransferAndDeleteTerritory:   "/crm/v8/settings/territories/5725767000000452002/actions/transfer_and_delete",
	opDeleteTerritories:            "/crm/v8/settings/territories?ids=5725767000002712001,5725767000002712002&delete_previous_forecasts=false",
	opDeleteTerritory:              "/crm/v8/settings/territories/5725767000002712001?delete_previous_forecasts=true",
}

// operationPatterns tell a request's operation from its method and path
// without asking either validator, so that routing is checked against an
// independent answer. The `users` segment of every path on a user is matched
// in both spellings: the spec's twins route each to its operation.
var operationPatterns = []struct {
	method string
	re     *regexp.Regexp
	op     string
}{
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/org$`), opGetOrganization},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/[Uu]sers$`), opListUsers},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/[Uu]sers/[^/]+$`), opGetUser},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/settings/territories$`), opListTerritories},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[^/]+$`), opGetTerritory},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[^/]+/users/[^/]+$`), opGetUserOfTerritory},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[^/]+/users$`), opListUsersOfTerritory},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/[Uu]sers/[^/]+/territories/[^/]+$`), opGetTerritoryOfUser},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/[Uu]sers/[^/]+/territories$`), opListTerritoriesOfUser},
	{http.MethodDelete, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[^/]+/users/[^/]+$`), opRemoveUserFromTerritory},
	{http.MethodDelete, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[^/]+/users$`), opRemoveUsersFromTerritory},
	{http.MethodDelete, regexp.MustCompile(`^/crm/[^/]+/[Uu]sers/[^/]+/territories/[^/]+$`), opRemoveTerritoryFromUser},
	{http.MethodDelete, regexp.MustCompile(`^/crm/[^/]+/[Uu]sers/[^/]+/territories$`), opRemoveTerritoriesFromUser},
	{http.MethodPut, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[^/]+/users/[^/]+$`), opAddUserToTerritory},
	{http.MethodPut, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[^/]+/users$`), opAddUsersToTerritory},
	{http.MethodPut, regexp.MustCompile(`^/crm/[^/]+/[Uu]sers/[^/]+/territories$`), opAddTerritoriesToUser},
	{http.MethodPost, regexp.MustCompile(`^/crm/[^/]+/settings/territories$`), opCreateTerritories},
	{http.MethodPut, regexp.MustCompile(`^/crm/[^/]+/settings/territories$`), opUpdateTerritories},
	{http.MethodPut, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[0-9]+$`), opUpdateTerritory},
	{http.MethodDelete, regexp.MustCompile(`^/crm/[^/]+/settings/territories$`), opDeleteTerritories},
	{http.MethodDelete, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[0-9]+$`), opDeleteTerritory},
	{http.MethodPost, regexp.MustCompile(`^/crm/[^/]+/settings/territories/actions/transfer_and_delete$`), opTransferAndDeleteTerritories},
	{http.MethodPost, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[0-9]+/actions/transfer_and_delete$`), opTransferAndDeleteTerritory},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/settings/territories/[0-9]+/__child_territories$`), opGetChildTerritories},
	{http.MethodGet, regexp.MustCompile(`^/crm/[^/]+/settings/territories/actions/associated_users_count$`), opGetAssociatedUsersCount},
}

// operationOf returns the operationId of method on path, or "".
func operationOf(method, path string) string {
	for _, p := range operationPatterns {
		if p.method == method && p.re.MatchString(path) {
			return p.op
		}
	}
	return ""
}

// expectedOperation returns the operationId that method on rawURL's path
// belongs to.
func expectedOperation(t *testing.T, method, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	op := operationOf(method, u.Path)
	if op == "" {
		t.Fatalf("%s %s matches no operation", method, rawURL)
	}
	return op
}

// loadCases reads every recorded case in testdata.
func loadCases(t *testing.T) []contract.Case {
	t.Helper()
	cases, err := contract.ReadCases("testdata")
	require.NoError(t, err)
	require.NotEmpty(t, cases, "no case files in testdata")
	return cases
}

// caseByName returns the recorded case called name.
func caseByName(t *testing.T, cases []contract.Case, name string) contract.Case {
	t.Helper()
	for _, c := range cases {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no case %q in testdata", name)
	return contract.Case{}
}

// cloneCase returns a deep copy of c, so that a mutation never reaches the
// case other parallel tests read.
func cloneCase(t *testing.T, c contract.Case) contract.Case {
	t.Helper()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var out contract.Case
	require.NoError(t, json.Unmarshal(b, &out))
	out.Name = c.Name
	return out
}

// withBody returns a copy of c whose JSON body has been changed by edit.
// Numbers decode as json.Number, so that record ids keep their digits.
func withBody(t *testing.T, c contract.Case, edit func(body map[string]any)) contract.Case {
	t.Helper()
	out := cloneCase(t, c)
	dec := json.NewDecoder(bytes.NewReader(out.Response.Body))
	dec.UseNumber()
	var body map[string]any
	require.NoError(t, dec.Decode(&body), "case %s: body is not a JSON object", c.Name)
	edit(body)
	b, err := json.Marshal(body)
	require.NoError(t, err)
	out.Response.Body = b
	return out
}

// items returns the array under key (`users` or `territories`) of body.
func items(t *testing.T, body map[string]any, key string) []any {
	t.Helper()
	arr, ok := body[key].([]any)
	require.Truef(t, ok, "body has no %q array", key)
	return arr
}

// item returns the i-th result object under key.
func item(t *testing.T, body map[string]any, key string, i int) map[string]any {
	t.Helper()
	arr := items(t, body, key)
	require.Greater(t, len(arr), i)
	m, ok := arr[i].(map[string]any)
	require.Truef(t, ok, "%s[%d] is not an object", key, i)
	return m
}

// describe spells out a verdict with both validators' findings, for failure
// messages.
func describe(vd contract.Verdict) string {
	var b strings.Builder
	fmt.Fprintf(&b, "operation=%q listedServer=%t caughtBy=%s", vd.Operation, vd.ListedServer, vd.CaughtBy())
	fmt.Fprintf(&b, "\n\tkin-openapi: %s", finding(vd.Kin))
	fmt.Fprintf(&b, "\n\tlibopenapi-validator: %s", finding(vd.Lib))
	return b.String()
}

func finding(err error) string {
	if err == nil {
		return "accepted"
	}
	return strings.ReplaceAll(err.Error(), "\n", " | ")
}

// realLookingToken matches a Zoho access or refresh token as Zoho issues them,
// so that no recorded file or log line carries one.
var realLookingToken = regexp.MustCompile(`1000\.[0-9a-f]{32}\.[0-9a-f]{32}`)
