package zohoterritorytest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contractcheck"
)

// orgUsersURL is the users API's URL with the given spelling of `users`:
// the list when single is "", with query appended verbatim.
func orgUsersURL(srv *Server, version, users, single, query string) string {
	u := fmt.Sprintf("%s/crm/%s/%s", srv.URL(), version, users)
	if single != "" {
		u += "/" + single
	}
	if query != "" {
		u += "?" + query
	}
	return u
}

// orgTerritoriesURL is the territories API's URL: the list when single is
// "", with query appended verbatim.
func orgTerritoriesURL(srv *Server, version, single, query string) string {
	u := fmt.Sprintf("%s/crm/%s/settings/territories", srv.URL(), version)
	if single != "" {
		u += "/" + single
	}
	if query != "" {
		u += "?" + query
	}
	return u
}

// listAnswer is a list of the directory as the tests read it.
type listAnswer struct {
	Users       []map[string]any `json:"users"`
	Territories []map[string]any `json:"territories"`
	Info        *pageInfo        `json:"info"`
}

// readList GETs a list and decodes it; a 204 is the zero answer.
func readList(t *testing.T, rawURL, token string) (int, listAnswer) {
	t.Helper()
	status, body := get(t, rawURL, token)
	var a listAnswer
	if status == http.StatusOK {
		require.NoError(t, json.Unmarshal([]byte(body), &a), body)
	}
	return status, a
}

func idsOf(items []map[string]any) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i], _ = it["id"].(string)
	}
	return ids
}

// The small org of dirSeed: a user for each combination the user types
// tell apart, and two territories named alike.
const (
	dAna = "101" // the caller: CEO, Administrator
	dBo  = "102" // active admin, first and last name given, role Manager
	dCy  = "103" // inactive
	dDi  = "104" // deleted
	dEd  = "105" // active, not confirmed, a one-word name
	dFay = "106" // inactive, not confirmed
	dGil = "107" // deleted admin
	dHal = "108" // active admin, not confirmed

	dRoot = "201" // the default territory
	dKey1 = "202" // Key Accounts under the root
	dEast = "203" // no manager
	dKey2 = "204" // Key Accounts under East
)

func dirSeed() Seed {
	return Seed{
		Users: []User{
			{ID: dAna, FullName: "Ana Admin", Email: "ana@corp.example"},
			{ID: dBo, FirstName: "Bo", LastName: "Brand", Email: "Bo@Corp.example", Profile: ProfileAdministrator, Role: "Manager"},
			{ID: dCy, FullName: "Cy Cole", Email: "cy@corp.example", Status: StatusInactive},
			{ID: dDi, FullName: "Di Dunn", Email: "di@corp.example", Status: StatusDeleted},
			{ID: dEd, FullName: "Ed", NotConfirmed: true},
			{ID: dFay, FullName: "Fay Fox", Status: StatusInactive, NotConfirmed: true},
			{ID: dGil, FullName: "Gil Gray", Status: StatusDeleted, Profile: ProfileAdministrator},
			{ID: dHal, FullName: "Hal Hart", Profile: ProfileAdministrator, Role: "Manager", NotConfirmed: true},
		},
		Territories: []Territory{
			{ID: dRoot, Name: "Corp", ManagerID: dAna, Description: "Organization Parent Territory", Members: []string{dBo, dCy}},
			{ID: dKey1, Name: "Key Accounts", ManagerID: dBo, ReportingTo: dRoot},
			{ID: dEast, Name: "East", ReportingTo: dRoot, Members: []string{dEd}},
			{ID: dKey2, Name: "Key Accounts", ManagerID: dHal, ReportingTo: dEast, Description: "The east's largest customers"},
		},
		DefaultTerritoryID: dRoot,
		CallerID:           dAna,
	}
}

// assertOnlyBadRequests checks that the requests that broke the spec's
// rules are exactly those starting with prefixes, in order: the sandbox
// answers them as Zoho would, the spec refuses them.
func assertOnlyBadRequests(t *testing.T, srv *Server, prefixes ...string) {
	t.Helper()
	if !contractcheck.On {
		return // no validator in this build: make contract checks it
	}
	got := srv.RequestViolations()
	if assert.Len(t, got, len(prefixes), "%q", got) {
		for i, p := range prefixes {
			assert.True(t, strings.HasPrefix(got[i], p), "%q does not start with %q", got[i], p)
		}
	}
}

// TestDirectoryShapes: one user and one territory of each kind, key for
// key, as Zoho's OpenAPI examples (crm-oas v8.0/users getUsers and
// getSingleUser, v8.0/territories getTerritories and getTerritoryById)
// show them.
func TestDirectoryShapes(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(dirSeed()))
	tok := srv.AccessToken()
	const at = `"2024-01-15T09:30:00+00:00"`
	ana := `{"id":"101","name":"Ana Admin"}`
	authors := `"created_by":` + ana + `,"created_time":` + at + `,"Modified_By":` + ana + `,"Modified_Time":` + at
	wantBo := `{"id":"102","first_name":"Bo","last_name":"Brand","full_name":"Bo Brand","email":"Bo@Corp.example","status":"active",` +
		`"confirm":true,"role":{"id":"5725767000000032001","name":"Manager"},"profile":{"id":"5725767000000031157","name":"Administrator"},` +
		`"zuid":"6102","Reporting_To":null,` + authors + `,"language":"en_US","locale":"en_US"}`
	wantEd := `{"id":"105","first_name":null,"last_name":"Ed","full_name":"Ed","status":"active",` +
		`"confirm":false,"role":{"id":"5725767000000031155","name":"Sales Representative"},"profile":{"id":"5725767000000031159","name":"Standard"},` +
		`"zuid":"6105","Reporting_To":null,` + authors + `,"language":"en_US","locale":"en_US"}`
	wantGil := strings.NewReplacer(`"105"`, `"107"`, `"6105"`, `"6107"`, `"first_name":null,"last_name":"Ed","full_name":"Ed","status":"active"`,
		`"first_name":"Gil","last_name":"Gray","full_name":"Gil Gray","status":"deleted"`, `"confirm":false`, `"confirm":true`,
		`"id":"5725767000000031159","name":"Standard"`, `"id":"5725767000000031157","name":"Administrator"`).Replace(wantEd)
	tauthors := `"created_time":` + at + `,"modified_time":` + at + `,"created_by":` + ana + `,"modified_by":` + ana
	wantRoot := `{"id":"201","name":"Corp","api_name":"Corp","description":"Organization Parent Territory","manager":{"id":"101","name":"Ana Admin"},` +
		`"reporting_to":null,"permission_type":"read_write_delete",` + tauthors + `}`
	wantEast := `{"id":"203","name":"East","api_name":"East","description":null,"manager":null,` +
		`"reporting_to":{"id":"201","name":"Corp"},"permission_type":"read_write_delete",` + tauthors + `}`
	wantKey2 := `{"id":"204","name":"Key Accounts","api_name":"Key_Accounts_2","description":"The east's largest customers","manager":{"id":"108","name":"Hal Hart"},` +
		`"reporting_to":{"id":"203","name":"East"},"permission_type":"read_write_delete",` + tauthors + `}`
	tests := []struct {
		name, url string
		want      string
	}{
		{"a user by id", orgUsersURL(srv, "v8", "users", dBo, ""), `{"users":[` + wantBo + `]}`},
		{"a user without a first name or e-mail", orgUsersURL(srv, "v8", "users", dEd, ""), `{"users":[` + wantEd + `]}`},
		{"a deleted user by id", orgUsersURL(srv, "v8", "users", dGil, ""), `{"users":[` + wantGil + `]}`},
		{"a page of users", orgUsersURL(srv, "v7", "users", "", "type=NotConfirmedUsers&per_page=1"), `{"users":[` + wantEd + `],` + info(1, 1, 1, true) + `}`},
		{"the root territory", orgTerritoriesURL(srv, "v8", dRoot, ""), `{"territories":[` + wantRoot + `]}`},
		{"a territory without a manager", orgTerritoriesURL(srv, "v8", dEast, ""), `{"territories":[` + wantEast + `]}`},
		{"a page of territories", orgTerritoriesURL(srv, "v8", "", "page=2&per_page=2"), `{"territories":[` + wantEast + `,` + wantKey2 + `],` + info(2, 2, 2, false) + `}`},
		{"territories by ids have no info", orgTerritoriesURL(srv, "v8", "", "ids="+dKey2+","+dRoot), `{"territories":[` + wantRoot + `,` + wantKey2 + `]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, tt.url, tok)
			assert.Equal(t, http.StatusOK, status)
			assert.JSONEq(t, tt.want, body)
		})
	}
	assert.Empty(t, srv.Violations(), "the directory's answers obey api/openapi.yaml")
	assert.Empty(t, srv.RequestViolations())
}

// TestDirectoryUserTypes: every `type` Zoho lists, on an org with a user
// for each combination they tell apart. Deleted users are in DeletedUsers
// only: Zoho's AllUsers is "both active and inactive users".
func TestDirectoryUserTypes(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(dirSeed()))
	tok := srv.AccessToken()
	all := []string{dAna, dBo, dCy, dEd, dFay, dHal}
	tests := []struct {
		query string
		want  []string // nil for 204
	}{
		{"", all},
		{"type=", all}, // outside the spec's enum, taken as absent
		{"type=AllUsers", all},
		{"type=ActiveAndDeactive", all},
		{"type=ActiveUsers", []string{dAna, dBo, dEd, dHal}},
		{"type=AllActiveUsers", []string{dAna, dBo, dEd, dHal}},
		{"type=DeactiveUsers", []string{dCy, dFay}},
		{"type=DeletedUsers", []string{dDi, dGil}},
		{"type=CurrentUser", []string{dAna}},
		{"type=ConfirmedUsers", []string{dAna, dBo, dCy}},
		{"type=NotConfirmedUsers", []string{dEd, dFay, dHal}},
		{"type=ActiveConfirmedUsers", []string{dAna, dBo}},
		{"type=AdminUsers", []string{dAna, dBo, dHal}},
		{"type=ActiveConfirmedAdmins", []string{dAna, dBo}},
		{"type=DeveloperUsers", nil},
		{"type=ActiveLiteUser", nil},
		{"type=ChildRoleUsers", nil},
		{"type=ParentRoleUsers", nil},
		{"type=SubordinateRoleUsers", nil},
		{"type=ConfirmedReportingUsers", nil},
		{"type=DeletedUsers&type=AllUsers", []string{dDi, dGil}}, // the first value counts
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[strings.TrimPrefix(strings.SplitN(tt.query, "&", 2)[0], "type=")] = true
		t.Run(tt.query, func(t *testing.T) {
			status, a := readList(t, orgUsersURL(srv, "v8", "users", "", tt.query), tok)
			if tt.want == nil {
				assert.Equal(t, http.StatusNoContent, status)
				return
			}
			require.Equal(t, http.StatusOK, status)
			assert.Equal(t, tt.want, idsOf(a.Users))
			assert.Equal(t, &pageInfo{PerPage: 200, Count: len(tt.want), Page: 1, MoreRecords: false}, a.Info)
		})
	}
	for _, typ := range UserTypes() {
		assert.True(t, tested[typ], "type %s is tested", typ)
	}
	assert.Len(t, UserTypes(), 18)
	assert.Empty(t, srv.Violations())
	assertOnlyBadRequests(t, srv, "GET /crm/v8/users?type=: ")
}

// TestDirectoryBadParams: a `type` Zoho does not list, and paging or ids
// out of range, are 400 INVALID_DATA naming the parameter, before
// anything is read.
func TestDirectoryBadParams(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(dirSeed()))
	tok := srv.AccessToken()
	param := func(name string) string {
		return topError("INVALID_DATA", fmt.Sprintf(msgInvalidParamFormat, name), `{"param_name":"`+name+`"}`)
	}
	tests := []struct {
		name, url, want string
	}{
		{"unknown type", orgUsersURL(srv, "v8", "users", "", "type=Everyone"), param("type")},
		{"type in lower case", orgUsersURL(srv, "v8", "users", "", "type=allusers"), param("type")},
		{"users, per_page over 200", orgUsersURL(srv, "v8", "users", "", "per_page=201"), param("per_page")},
		{"users, per_page 0", orgUsersURL(srv, "v8", "Users", "", "per_page=0"), param("per_page")},
		{"users, page 0", orgUsersURL(srv, "v8", "users", "", "page=0"), param("page")},
		{"users, page not a number", orgUsersURL(srv, "v8", "users", "", "page=two"), param("page")},
		{"paging before type", orgUsersURL(srv, "v8", "users", "", "type=Everyone&per_page=500"), param("per_page")},
		{"users, 101 ids", orgUsersURL(srv, "v8", "users", "", "ids="+strings.Join(shortIDs(101), ",")),
			topError("INVALID_DATA", msgTooManyIDs, `{"param_name":"ids","maximum_length":100}`)},
		{"users, trailing comma in ids", orgUsersURL(srv, "v8", "users", "", "ids="+dBo+","),
			topError("INVALID_DATA", msgIDsMalformed, `{"param_name":"ids"}`)},
		{"territories, per_page over 200", orgTerritoriesURL(srv, "v8", "", "per_page=2000"), param("per_page")},
		{"territories, page -1", orgTerritoriesURL(srv, "v8", "", "page=-1"), param("page")},
		{"territories, 101 ids", orgTerritoriesURL(srv, "v8", "", "ids="+strings.Join(shortIDs(101), ",")),
			topError("INVALID_DATA", msgTooManyIDs, `{"param_name":"ids","maximum_length":100}`)},
		{"territories, empty id", orgTerritoriesURL(srv, "v8", "", "ids="+dRoot+",,"+dEast),
			topError("INVALID_DATA", msgIDsMalformed, `{"param_name":"ids"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, tt.url, tok)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.JSONEq(t, tt.want, body)
		})
	}
	assert.Empty(t, srv.Violations(), "the refusals obey api/openapi.yaml")
	if contractcheck.On {
		assert.NotEmpty(t, srv.RequestViolations(), "and the requests break its rules")
	}
}

// TestDirectoryIDs: `ids` narrows a list to the ids given (in the list's
// order, whatever theirs), on top of `type` for users; ids that name
// nothing are left out, and a list left empty is 204. An empty `ids` is no
// filter.
func TestDirectoryIDs(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(dirSeed()))
	tok := srv.AccessToken()
	tests := []struct {
		name, url string
		want      []string // nil for 204
		withInfo  bool
	}{
		{"users", orgUsersURL(srv, "v8", "users", "", "ids="+dHal+","+dAna), []string{dAna, dHal}, true},
		{"users, encoded comma", orgUsersURL(srv, "v8", "users", "", "ids="+dHal+"%2C"+dAna), []string{dAna, dHal}, true},
		{"users, unknown and malformed ids left out", orgUsersURL(srv, "v8", "users", "", "ids=999,"+dCy+",abc"), []string{dCy}, true}, // abc breaks the spec
		{"users, a deleted user is not among AllUsers", orgUsersURL(srv, "v8", "users", "", "ids="+dDi+","+dBo), []string{dBo}, true},
		{"users, ids and type", orgUsersURL(srv, "v8", "users", "", "type=DeletedUsers&ids="+dDi+","+dBo), []string{dDi}, true},
		{"users, ids and a page", orgUsersURL(srv, "v8", "users", "", "ids="+dAna+","+dBo+","+dCy+"&per_page=2&page=2"), []string{dCy}, true},
		{"users, none known", orgUsersURL(srv, "v8", "users", "", "ids=999,998"), nil, false},
		{"users, empty ids", orgUsersURL(srv, "v8", "users", "", "ids="), []string{dAna, dBo, dCy, dEd, dFay, dHal}, true}, // breaks the spec
		{"users, 100 ids", orgUsersURL(srv, "v8", "users", "", "ids="+strings.Join(append(shortIDs(99), dEd), ",")), []string{dEd}, true},
		{"territories", orgTerritoriesURL(srv, "v8", "", "ids="+dKey2+","+dKey1), []string{dKey1, dKey2}, false},
		{"territories, unknown left out", orgTerritoriesURL(srv, "v8", "", "ids=999,"+dEast), []string{dEast}, false},
		{"territories, none known", orgTerritoriesURL(srv, "v8", "", "ids=999"), nil, false},
		{"territories, 100 ids of 19 digits", orgTerritoriesURL(srv, "v8", "", "ids="+strings.Join(longIDs(100), ",")), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, a := readList(t, tt.url, tok)
			if tt.want == nil {
				assert.Equal(t, http.StatusNoContent, status)
				return
			}
			require.Equal(t, http.StatusOK, status)
			assert.Equal(t, tt.want, idsOf(append(a.Users, a.Territories...)))
			assert.Equal(t, tt.withInfo, a.Info != nil, "info")
		})
	}
	assert.Empty(t, srv.Violations())
	assertOnlyBadRequests(t, srv, "GET /crm/v8/users?ids=999,"+dCy+",abc: ", "GET /crm/v8/users?ids=: ")
}

// TestDirectoryByID: a read by id answers whatever the user's status, and
// 204 for an id that names nothing, malformed or not, as Zoho's files
// give these reads no 400.
func TestDirectoryByID(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(dirSeed()))
	tok := srv.AccessToken()
	tests := []struct {
		name, url, want string // want "" for 204
	}{
		{"active user", orgUsersURL(srv, "v8", "users", dAna, ""), dAna},
		{"inactive user", orgUsersURL(srv, "v6", "users", dFay, ""), dFay},
		{"deleted user", orgUsersURL(srv, "v8", "Users", dDi, ""), dDi},
		{"unknown user", orgUsersURL(srv, "v8", "users", "999", ""), ""},
		{"territory", orgTerritoriesURL(srv, "v8", dKey1, ""), dKey1},
		{"unknown territory", orgTerritoriesURL(srv, "v2.1", "999", ""), ""},
		{"a member's id is no territory", orgTerritoriesURL(srv, "v8", dAna, ""), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, a := readList(t, tt.url, tok)
			if tt.want == "" {
				assert.Equal(t, http.StatusNoContent, status)
				return
			}
			require.Equal(t, http.StatusOK, status)
			assert.Equal(t, []string{tt.want}, idsOf(append(a.Users, a.Territories...)))
			assert.Nil(t, a.Info, "a read by id has no info, as in Zoho's examples")
		})
	}
	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())

	// Malformed ids break the spec's request rules; the answer is the
	// same 204.
	for _, u := range []string{orgUsersURL(srv, "v8", "users", "abc", ""), orgUsersURL(srv, "v8", "users", strings.Repeat("9", 20), ""),
		orgTerritoriesURL(srv, "v8", "west", "")} {
		status, body := get(t, u, tok)
		assert.Equal(t, http.StatusNoContent, status, u)
		assert.Empty(t, body)
	}
	assert.Empty(t, srv.Violations())
}

// manyOrg is an org of users listed users (AllUsers) and territories
// territories: the root and the rest under it in a tree four wide. Every
// 25th user is deleted on top of those, every 10th listed one inactive.
func manyOrg(users, territories int) Seed {
	s := Seed{CallerID: "1000001", DefaultTerritoryID: "2000001"}
	for i := 1; len(s.Users) < users+users/24; i++ {
		u := User{ID: fmt.Sprint(1000000 + i), FullName: fmt.Sprintf("User %d", i), Email: fmt.Sprintf("user%d@big.example", i)}
		switch {
		case i%25 == 0:
			u.Status = StatusDeleted
		case i%10 == 0:
			u.Status = StatusInactive
		}
		s.Users = append(s.Users, u)
	}
	for i := 1; i <= territories; i++ {
		t := Territory{ID: fmt.Sprint(2000000 + i), Name: fmt.Sprintf("Territory %d", i%300), ManagerID: s.Users[i%len(s.Users)].ID}
		if i > 1 {
			t.ReportingTo = fmt.Sprint(2000000 + (i+2)/4)
		}
		s.Territories = append(s.Territories, t)
	}
	return s
}

// TestDirectoryPaging: 1,000 users come in five pages of 200 and 450
// territories in three, each page's info saying whether another follows,
// and the page after the last is 204; smaller pages cut the same list the
// same way.
func TestDirectoryPaging(t *testing.T) {
	t.Parallel()
	seed := manyOrg(1000, 450)
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(seed))
	tok := srv.AccessToken()
	var listedIDs, deleted, territoryIDs []string
	for _, u := range seed.Users {
		if u.Status == StatusDeleted {
			deleted = append(deleted, u.ID)
		} else {
			listedIDs = append(listedIDs, u.ID)
		}
	}
	for _, tr := range seed.Territories {
		territoryIDs = append(territoryIDs, tr.ID)
	}
	require.Len(t, listedIDs, 1000)
	require.Len(t, deleted, 41)

	tests := []struct {
		name    string
		url     func(query string) string
		query   string // paging parameters other than page
		perPage int
		want    []string
	}{
		{"users", func(q string) string { return orgUsersURL(srv, "v8", "users", "", q) }, "", 200, listedIDs},
		{"users, type and per_page given", func(q string) string { return orgUsersURL(srv, "v8", "Users", "", q) }, "type=AllUsers&per_page=200&", 200, listedIDs},
		{"users, 7 a page", func(q string) string { return orgUsersURL(srv, "v8", "users", "", q) }, "per_page=7&", 7, listedIDs},
		{"deleted users, 1 a page", func(q string) string { return orgUsersURL(srv, "v8", "users", "", q) }, "type=DeletedUsers&per_page=1&", 1, deleted},
		{"territories", func(q string) string { return orgTerritoriesURL(srv, "v8", "", q) }, "", 200, territoryIDs},
		{"territories, 33 a page", func(q string) string { return orgTerritoriesURL(srv, "v7", "", q) }, "per_page=33&", 33, territoryIDs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := (len(tt.want) + tt.perPage - 1) / tt.perPage
			var got []string
			for page := 1; page <= pages; page++ {
				status, a := readList(t, tt.url(fmt.Sprintf("%spage=%d", tt.query, page)), tok)
				require.Equal(t, http.StatusOK, status, "page %d", page)
				items := append(a.Users, a.Territories...)
				want := min(tt.perPage, len(tt.want)-(page-1)*tt.perPage)
				require.Equal(t, &pageInfo{PerPage: tt.perPage, Count: want, Page: page, MoreRecords: page < pages}, a.Info, "page %d", page)
				require.Len(t, items, want)
				got = append(got, idsOf(items)...)
			}
			assert.Equal(t, tt.want, got, "the pages hold the list once, in order")
			status, _ := readList(t, tt.url(fmt.Sprintf("%spage=%d", tt.query, pages+1)), tok)
			assert.Equal(t, http.StatusNoContent, status, "the page after the last")
		})
	}
	for _, u := range []string{orgUsersURL(srv, "v8", "users", "", "page=9223372036854775807"), orgTerritoriesURL(srv, "v8", "", "page=9223372036854775807")} {
		status, _ := readList(t, u, tok)
		assert.Equal(t, http.StatusNoContent, status, "a huge page")
	}
	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())

	var reads int
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && r.Status == http.StatusOK {
			reads++
		}
	}
	assert.Equal(t, 5+5+143+41+3+14, reads, "Requests shows every page read")
}

// TestDirectoryScopes: the users API takes a users READ or ALL scope, the
// territories API a territories READ or ALL scope, in either spelling of
// ALL; nothing else.
func TestDirectoryScopes(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	reads := map[string]string{
		"getUsers":         orgUsersURL(srv, "v8", "users", "", ""),
		"getUser":          orgUsersURL(srv, "v8", "Users", ava, ""),
		"getTerritories":   orgTerritoriesURL(srv, "v8", "", ""),
		"getTerritoryByID": orgTerritoriesURL(srv, "v8", org, ""),
	}
	users := []string{"getUsers", "getUser"}
	territories := []string{"getTerritories", "getTerritoryByID"}
	tests := []struct {
		scopes []string
		allow  []string
	}{
		{nil, nil},
		{[]string{ScopeUsersRead}, users},
		{[]string{"ZohoCRM.users.read"}, users},
		{[]string{ScopeUsersAll}, users},
		{[]string{"ZohoCRM.users.All"}, users},
		{[]string{ScopeTerritoriesRead}, territories},
		{[]string{"ZohoCRM.settings.territories.All"}, territories},
		{[]string{ScopeUsersRead, ScopeTerritoriesAll}, append(users, territories...)},
		{[]string{ScopeUsersDelete, ScopeUsersUpdate, ScopeTerritoriesDelete, ScopeTerritoriesUpdate}, nil},
		{[]string{"ZohoCRM.settings.ALL", "ZohoCRM.users.CREATE", "ZohoCRM.org.READ"}, nil},
	}
	mismatch := topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, "")
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.scopes), func(t *testing.T) {
			t.Parallel()
			tok := srv.IssueToken(tt.scopes...)
			for op, u := range reads {
				status, body := get(t, u, tok)
				if slices.Contains(tt.allow, op) {
					assert.Equal(t, http.StatusOK, status, "%s: %s", op, body)
					continue
				}
				assert.Equal(t, http.StatusUnauthorized, status, op)
				assert.JSONEq(t, mismatch, body, op)
			}
		})
	}
	t.Cleanup(func() { assert.Empty(t, srv.Violations()) })
}

// TestDirectoryChecks: the directory is checked like the memberships, in
// the same order: URL, version, method, token, scopes, then the
// parameters.
func TestDirectoryChecks(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	tok := srv.AccessToken()
	weak := srv.IssueToken(ScopeTerritoriesRead)
	tests := []struct {
		name, method, url, token string
		wantStatus               int
		wantBody                 string
	}{
		{"USERS in capitals", http.MethodGet, orgUsersURL(srv, "v8", "USERS", "", ""), tok, 404, topError("INVALID_URL_PATTERN", msgURLPattern, "")},
		{"a user's unknown list", http.MethodGet, orgUsersURL(srv, "v8", "users", ava, "") + "/roles", tok, 404, topError("INVALID_URL_PATTERN", msgURLPattern, "")},
		{"trailing slash", http.MethodGet, orgTerritoriesURL(srv, "v8", "", "") + "/", tok, 404, topError("INVALID_URL_PATTERN", msgURLPattern, "")},
		{"version before token", http.MethodGet, orgUsersURL(srv, "v1", "users", "", "type=Nobody"), "", 400,
			topError("API_NOT_SUPPORTED", msgAPINotSupported, `{"supported_version":"v8"}`)},
		{"method before token", http.MethodDelete, orgUsersURL(srv, "v8", "users", ava, ""), "", 400, topError("INVALID_REQUEST_METHOD", msgRequestMethod, "")},
		{"POST a territory", http.MethodPost, orgTerritoriesURL(srv, "v8", org, ""), tok, 400, topError("INVALID_REQUEST_METHOD", msgRequestMethod, "")},
		{"PATCH territories", http.MethodPatch, orgTerritoriesURL(srv, "v8", "", ""), tok, 400, topError("INVALID_REQUEST_METHOD", msgRequestMethod, "")},
		{"token before type", http.MethodGet, orgUsersURL(srv, "v8", "users", "", "type=Nobody"), "", 401, topError("AUTHENTICATION_FAILURE", msgAuthFailure, "")},
		{"unknown token", http.MethodGet, orgTerritoriesURL(srv, "v8", "", ""), "1000.nope", 401, topError("INVALID_TOKEN", msgInvalidToken, "")},
		{"scopes before type", http.MethodGet, orgUsersURL(srv, "v8", "users", "", "type=Nobody"), weak, 401, topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, tt.method, tt.url, tt.token)
			assert.Equal(t, tt.wantStatus, status)
			assert.JSONEq(t, tt.wantBody, body)
		})
	}
	assert.Empty(t, srv.Violations())
}

// TestDirectorySpellings: every user path takes `users` and `Users`, and
// answers the same; Requests shows the path as sent.
func TestDirectorySpellings(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(dirSeed()))
	tok := srv.AccessToken()
	for _, pair := range [][2]string{
		{orgUsersURL(srv, "v8", "users", "", "type=ActiveUsers"), orgUsersURL(srv, "v8", "Users", "", "type=ActiveUsers")},
		{orgUsersURL(srv, "v2", "users", dBo, ""), orgUsersURL(srv, "v2", "Users", dBo, "")},
		{territoriesURL(srv, "v8", "users", dBo, "", ""), territoriesURL(srv, "v8", "Users", dBo, "", "")},
	} {
		status, lower := get(t, pair[0], tok)
		assert.Equal(t, http.StatusOK, status)
		status, upper := get(t, pair[1], tok)
		assert.Equal(t, http.StatusOK, status)
		assert.JSONEq(t, lower, upper)
	}
	got := srv.Requests()
	require.Len(t, got, 6)
	assert.Equal(t, Request{Method: "GET", Path: "/crm/v8/users", RawQuery: "type=ActiveUsers", Status: 200}, got[0])
	assert.Equal(t, Request{Method: "GET", Path: "/crm/v8/Users", RawQuery: "type=ActiveUsers", Status: 200}, got[1])
	assert.Equal(t, Request{Method: "GET", Path: "/crm/v2/Users/" + dBo, Status: 200}, got[3])
	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())
}

// TestDirectoryFeatureOff: with territory management off, the territories
// API answers 400 FEATURE_NOT_ENABLED in the words of Zoho's examples, the
// memberships their 403 as ever, and the users API as if nothing were off.
// A caller without the permission gets 403 on all of them.
func TestDirectoryFeatureOff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		feature     TerritoryFeature
		denied      bool
		territories string // the territories API's answer
		memberships string
		usersStatus int
	}{
		{TerritoriesNotEnabled, false, topError("FEATURE_NOT_ENABLED", "Territory Management is not enabled", ""),
			topError("TERRITORY_NOT_ENABLED", msgTerritoryNotOn, ""), http.StatusOK},
		{TerritoriesDisabled, false, topError("FEATURE_NOT_ENABLED", "Territory Management is disabled", ""),
			topError("TERRITORY_DISABLED", msgTerritoryOff, ""), http.StatusOK},
		{"", true, topError("NO_PERMISSION", msgPermissionDenied, ""), topError("NO_PERMISSION", msgPermissionDenied, ""), http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(string(tt.feature), func(t *testing.T) {
			t.Parallel()
			seed := dirSeed()
			seed.TerritoryFeature, seed.CallerWithoutPermission = tt.feature, tt.denied
			srv := newServer(t, WithContractCheck(checker(t)), WithSeed(seed))
			tok := srv.AccessToken()
			for _, u := range []string{orgTerritoriesURL(srv, "v8", "", ""), orgTerritoriesURL(srv, "v8", dRoot, ""), orgTerritoriesURL(srv, "v8", "", "ids=999")} {
				status, body := call(t, http.MethodGet, u, tok)
				assert.Equal(t, map[bool]int{false: 400, true: 403}[tt.denied], status, u)
				assert.JSONEq(t, tt.territories, body, u)
			}
			status, body := call(t, http.MethodGet, usersURL(srv, "v8", dRoot, "", ""), tok)
			assert.Equal(t, http.StatusForbidden, status)
			assert.JSONEq(t, tt.memberships, body)
			for _, u := range []string{orgUsersURL(srv, "v8", "users", "", ""), orgUsersURL(srv, "v8", "Users", dBo, "")} {
				status, _ := get(t, u, tok)
				assert.Equal(t, tt.usersStatus, status, u)
			}
			status, _ = get(t, orgTerritoriesURL(srv, "v8", "", ""), srv.IssueToken(ScopeUsersRead))
			assert.Equal(t, http.StatusUnauthorized, status, "scopes are checked before the feature")
			assert.Empty(t, srv.Violations())
		})
	}
}

// TestDirectoryFaults: faults and the concurrency limit apply to the
// directory as to any CRM call; a removal's extra items never reach a
// read, whose answer by id has an envelope's shape.
func TestDirectoryFaults(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)), WithSeed(dirSeed()),
		WithFaults(Fault{Kind: FaultRateLimit, Count: 1, RetryAfter: 2 * time.Second}, Fault{Kind: FaultExtraItems, Count: 2}, Fault{Kind: FaultHTML502, Count: 1}))
	tok := srv.AccessToken()
	u := orgUsersURL(srv, "v8", "users", dBo, "")
	status, body := call(t, http.MethodGet, u, tok)
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.JSONEq(t, topError("TOO_MANY_REQUESTS", msgTooManyRequests, `{"retry_after":2,"trace_id":"sandbox-1"}`), body)
	_, want := get(t, orgUsersURL(srv, "v8", "users", dBo, ""), tok) // extra_items: left as it is
	status, got := get(t, orgTerritoriesURL(srv, "v8", "", "ids="+dKey1), tok)
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, want, `"id":"102"`)
	var env map[string][]any
	require.NoError(t, json.Unmarshal([]byte(got), &env))
	assert.Len(t, env["territories"], 1, "no extra items in a read")
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, orgTerritoriesURL(srv, "v8", "", ""), nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Zoho-oauthtoken "+tok)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)

	var kinds []FaultKind
	for _, r := range srv.Requests() {
		kinds = append(kinds, r.Fault)
	}
	assert.Equal(t, []FaultKind{FaultRateLimit, FaultExtraItems, FaultExtraItems, FaultHTML502}, kinds)
	assert.Empty(t, srv.Violations())

	// The concurrency limit counts directory reads like any other call.
	held, release := make(chan struct{}), make(chan struct{})
	limited := newServer(t, WithContractCheck(checker(t)), WithConcurrencyLimit(1), WithHooks(Hooks{
		Answering: func(r *http.Request, _ int) {
			if r.URL.Path == "/crm/v8/users" {
				close(held)
				<-release
			}
		},
	}))
	done := make(chan int)
	go func() {
		status, _ := send(t, http.MethodGet, orgUsersURL(limited, "v8", "users", "", ""), limited.AccessToken())
		done <- status
	}()
	<-held
	status, body = call(t, http.MethodGet, orgTerritoriesURL(limited, "v8", "", ""), limited.AccessToken())
	assert.Equal(t, http.StatusTooManyRequests, status)
	assert.JSONEq(t, topError("TOO_MANY_REQUESTS", msgTooManyRequests, ""), body)
	close(release)
	assert.Equal(t, http.StatusOK, <-done)
	assert.Equal(t, Stats{Calls: 2, Refused: 1, PeakInFlight: 1}, limited.Stats())
	assert.Empty(t, limited.Violations())
}

// TestDirectorySeedDefaults: names, roles and profiles the seed leaves out
// are filled in, and Users and Territories report the org as the reads
// show it.
func TestDirectorySeedDefaults(t *testing.T) {
	t.Parallel()
	seed := dirSeed()
	seed.Users = append(seed.Users,
		User{ID: "109", FirstName: " Io ", LastName: "Ives", Role: "Manager", Profile: "Sales"},
		User{ID: "110", FullName: "Jo  de la Cruz", Role: "Intern"})
	srv := newServer(t, WithSeed(seed))
	users := srv.Users()
	require.Len(t, users, 10)
	assert.Equal(t, User{ID: dAna, FullName: "Ana Admin", FirstName: "Ana", LastName: "Admin", Email: "ana@corp.example",
		Status: StatusActive, Role: "CEO", Profile: ProfileAdministrator}, users[0])
	assert.Equal(t, User{ID: dEd, FullName: "Ed", LastName: "Ed", Status: StatusActive, Role: "Sales Representative",
		Profile: "Standard", NotConfirmed: true}, users[4])
	assert.Equal(t, User{ID: "109", FullName: "Io Ives", FirstName: "Io", LastName: "Ives", Status: StatusActive,
		Role: "Manager", Profile: "Sales"}, users[8])
	assert.Equal(t, User{ID: "110", FullName: "Jo  de la Cruz", FirstName: "Jo", LastName: "de la Cruz", Status: StatusActive,
		Role: "Intern", Profile: "Standard"}, users[9])

	status, body := get(t, orgUsersURL(srv, "v8", "users", "", "ids=109,110,102"), srv.AccessToken())
	require.Equal(t, http.StatusOK, status)
	var a struct {
		Users []struct {
			Role, Profile wireNamed
		} `json:"users"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &a))
	assert.Equal(t, []wireNamed{{"5725767000000032001", "Manager"}, {"5725767000000032001", "Manager"}, {"5725767000000032002", "Intern"}},
		[]wireNamed{a.Users[0].Role, a.Users[1].Role, a.Users[2].Role}, "a role met again keeps its id")
	assert.Equal(t, wireNamed{"5725767000000033001", "Sales"}, a.Users[1].Profile)

	territories := srv.Territories()
	require.Len(t, territories, 4)
	assert.Equal(t, Territory{ID: dRoot, Name: "Corp", ManagerID: dAna, Description: "Organization Parent Territory",
		Members: []string{dAna, dBo, dCy}, PermissionType: PermissionReadWriteDelete}, territories[0], "the manager is a member")
	assert.Equal(t, Territory{ID: dEast, Name: "East", ReportingTo: dRoot, Members: []string{dEd}, PermissionType: PermissionReadWriteDelete},
		territories[2], "the permission type defaults to read_write_delete")
	call(t, http.MethodDelete, usersURL(srv, "v8", dRoot, dCy, ""), srv.AccessToken())
	assert.Equal(t, []string{dAna, dBo}, srv.Territories()[0].Members, "members as they are now")
	users[0].FullName = "changed"
	assert.Equal(t, "Ana Admin", srv.Users()[0].FullName, "Users returns a copy")
}

// TestDirectorySeedValidation: the rules on the directory's fields.
func TestDirectorySeedValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mutate  func(*Seed)
		wantErr []string
	}{
		{"not an address", func(s *Seed) { s.Users[1].Email = "bo at corp" }, []string{`seed: users[1].email: "bo at corp" is not an e-mail address`}},
		{"no domain", func(s *Seed) { s.Users[1].Email = "bo@" }, []string{`users[1].email: "bo@" is not an e-mail address`}},
		{"undotted domain", func(s *Seed) { s.Users[1].Email = "bo@corp" }, []string{`users[1].email: "bo@corp" is not an e-mail address`}},
		{"two @", func(s *Seed) { s.Users[1].Email = "bo@x@corp.example" }, []string{`users[1].email: "bo@x@corp.example" is not`}},
		{"a list", func(s *Seed) { s.Users[1].Email = "bo@corp.example,cy@corp.example" }, []string{`users[1].email:`}},
		{"duplicate address, other case", func(s *Seed) { s.Users[2].Email = "ANA@corp.EXAMPLE" },
			[]string{`seed: users[2].email: "ANA@corp.EXAMPLE" is also users[0]'s: Zoho keeps e-mail addresses unique`}},
		{"long first name", func(s *Seed) { s.Users[3].FirstName = strings.Repeat("é", 51) }, []string{"seed: users[3].first_name: 51 characters, more than Zoho's 50"}},
		{"long last name", func(s *Seed) { s.Users[3].LastName = strings.Repeat("x", 51) }, []string{"users[3].last_name: 51 characters"}},
		{"long full name", func(s *Seed) { s.Users[3].FullName = strings.Repeat("x", 101) }, []string{"users[3].full_name: 101 characters, more than Zoho's 100"}},
		{"long role", func(s *Seed) { s.Users[3].Role = strings.Repeat("x", 201) }, []string{"users[3].role: 201 characters"}},
		{"long profile", func(s *Seed) { s.Users[3].Profile = strings.Repeat("x", 51) }, []string{"users[3].profile: 51 characters"}},
		{"long description", func(s *Seed) { s.Territories[1].Description = strings.Repeat("x", 251) },
			[]string{"seed: territories[1].description: 251 characters, more than Zoho's 250"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			seed := dirSeed()
			tt.mutate(&seed)
			_, err := NewServer(WithSeed(seed))
			require.Error(t, err)
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
	seed := dirSeed()
	seed.Users[1].Email = strings.Repeat("x", 88) + "@corp.example" // 101 characters
	assert.ErrorContains(t, seed.Validate(), "is not an e-mail address")
	seed.Users[1].Email = "o'neil+crm@sub.corp.example"
	seed.Users[3].FirstName = strings.Repeat("é", 50)
	assert.NoError(t, seed.Validate())
}

// TestAPINames: a territory's api_name comes from its name, numbered when
// a name comes again.
func TestAPINames(t *testing.T) {
	t.Parallel()
	names := newAPINames(0)
	for _, tt := range []struct{ name, want string }{
		{"West Coast", "West_Coast"},
		{"Key Accounts", "Key_Accounts"},
		{"Key Accounts", "Key_Accounts_2"},
		{" Key  Accounts! ", "Key_Accounts_3"},
		{"Île-de-France", "le_de_France"},
		{"---", "Territory"},
		{"", "Territory_2"},
		{strings.Repeat("a", 120), strings.Repeat("a", 90)},
		{"Key_Accounts_5", "Key_Accounts_5"},
		{"Key Accounts", "Key_Accounts_4"},
		{"Key Accounts", "Key_Accounts_6"},
	} {
		assert.Equal(t, tt.want, names.of(tt.name), tt.name)
	}
}

// TestAPINamesOfOneName: 100,000 territories of one name are numbered
// each once (the sandbox of BenchmarkUnderZohosLimit); numbering from 2
// each time took minutes.
func TestAPINamesOfOneName(t *testing.T) {
	t.Parallel()
	names := newAPINames(0)
	seen := map[string]bool{}
	for i := range 100000 {
		n := names.of("Territory")
		require.False(t, seen[n], "%s given twice", n)
		seen[n] = true
		if i == 99999 {
			assert.Equal(t, "Territory_100000", n)
		}
	}
}

// TestDefaultSeedDirectory: the demo org as the directory reads it: names
// and e-mails at acme.com, West Coast managed by Dev, and two Key
// Accounts under different parents.
func TestDefaultSeedDirectory(t *testing.T) {
	t.Parallel()
	srv := newServer(t, WithContractCheck(checker(t)))
	tok := srv.AccessToken()
	status, users := readList(t, orgUsersURL(srv, "v8", "users", "", ""), tok)
	require.Equal(t, http.StatusOK, status)
	var emails []string
	for _, u := range users.Users {
		emails = append(emails, fmt.Sprintf("%s %s %s", u["email"], u["full_name"], u["status"]))
	}
	assert.Equal(t, []string{"ava@acme.com Ava Admin active", "ben@acme.com Ben Brooks active", "chloe@acme.com Chloe Chen active",
		"dev@acme.com Dev Patel active", "eve@acme.com Eve Evans active", "finn@acme.com Finn Foster inactive"}, emails,
		"AllUsers leaves Gus, deleted, out")
	status, deleted := readList(t, orgUsersURL(srv, "v8", "users", "", "type=DeletedUsers"), tok)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "gus@acme.com", deleted.Users[0]["email"])

	status, territories := readList(t, orgTerritoriesURL(srv, "v8", "", ""), tok)
	require.Equal(t, http.StatusOK, status)
	var tree []string
	for _, tr := range territories.Territories {
		line := fmt.Sprintf("%s %s manager=%v", tr["id"], tr["name"], tr["manager"].(map[string]any)["name"])
		if parent, ok := tr["reporting_to"].(map[string]any); ok {
			line += fmt.Sprintf(" under=%s", parent["name"])
		}
		tree = append(tree, line)
	}
	assert.Equal(t, []string{
		org + " Acme Org manager=Ava Admin",
		na + " North America manager=Ben Brooks under=Acme Org",
		eu + " Europe manager=Eve Evans under=Acme Org",
		west + " West Coast manager=Dev Patel under=North America",
		keyNA + " Key Accounts manager=Ben Brooks under=North America",
		keyEU + " Key Accounts Europe manager=Chloe Chen under=Europe",
	}, tree)
	assert.Equal(t, &pageInfo{PerPage: 200, Count: 6, Page: 1, MoreRecords: false}, territories.Info)
	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())
}
