package contracttests

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/api"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
)

// resultEntry is one code-carrying object of a body: the top-level error
// object, or one item of a `users`/`territories` envelope of a removal.
type resultEntry struct {
	code, message, status string
	item                  bool
}

// envelopeKeys are the keys of the two envelopes (and of the reads' arrays).
var envelopeKeys = []string{"users", "territories"}

// pageKeys are the keys of the reads' arrays: the envelopes' and the users'
// counts.
var pageKeys = []string{"users", "territories", "associated_users_count"}

// isReadPage reports whether a decoded body is a read's answer: a `users`,
// `territories` or `associated_users_count` array of records, which, unlike
// the changes' result items, carry no `code`.
func isReadPage(body any) bool {
	m, ok := body.(map[string]any)
	if !ok {
		return false
	}
	for _, key := range pageKeys {
		arr, ok := m[key].([]any)
		if !ok || len(arr) == 0 {
			continue
		}
		first, _ := arr[0].(map[string]any)
		_, hasCode := first["code"]
		return !hasCode
	}
	return false
}

// entriesOf returns the top-level error or the envelope items of a decoded
// body, and whether the body is an envelope. A read's page has neither.
func entriesOf(body any) (entries []resultEntry, envelope bool) {
	m, ok := body.(map[string]any)
	if !ok || isReadPage(body) {
		return nil, false
	}
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	for _, key := range envelopeKeys {
		arr, ok := m[key].([]any)
		if !ok {
			continue
		}
		for _, it := range arr {
			if im, ok := it.(map[string]any); ok {
				entries = append(entries, resultEntry{code: str(im, "code"), message: str(im, "message"), status: str(im, "status"), item: true})
			}
		}
		return entries, true
	}
	if _, ok := m["code"]; ok {
		return []resultEntry{{code: str(m, "code"), message: str(m, "message"), status: str(m, "status")}}, false
	}
	return nil, false
}

// caseEntries decodes a case's body into its entries.
func caseEntries(t *testing.T, c contract.Case) ([]resultEntry, bool) {
	t.Helper()
	if len(c.Response.Body) == 0 {
		return nil, false
	}
	var body any
	require.NoErrorf(t, json.Unmarshal(c.Response.Body, &body), "case %s", c.Name)
	return entriesOf(body)
}

// TestCoverageOperations fails when an operation of the spec has no
// recorded success case: a 200, or createTerritories' 201. A twin counts as
// its canonical operation: the cases in the other spelling of `users` route
// to it.
func TestCoverageOperations(t *testing.T) {
	t.Parallel()
	cases := loadCases(t)
	ok200 := map[string][]string{}
	for _, c := range cases {
		if c.Response.Status != http.StatusOK && c.Response.Status != http.StatusCreated {
			continue
		}
		vd, err := validator.Validate(c)
		require.NoError(t, err)
		ok200[vd.Operation] = append(ok200[vd.Operation], c.Name)
	}
	var specOps []string
	for _, item := range validator.Doc().Paths.Map() {
		for _, op := range item.Operations() {
			if id, twin := api.CanonicalOperationID(op.OperationID); !twin {
				specOps = append(specOps, id)
			}
		}
	}
	sort.Strings(specOps)
	want := slices.Clone(operations)
	sort.Strings(want)
	require.Equal(t, want, specOps, "the spec's operations changed; update the suite")
	for _, op := range specOps {
		assert.NotEmptyf(t, ok200[op], "operation %s has no recorded success case", op)
	}
}

// TestCoverageErrorCodes fails when an error code that appears in the
// spec's examples (top-level errors and error items) has no recorded case,
// and, more strictly, when an example's (code, message) pair has no
// recorded case under one of the statuses the example is listed under.
func TestCoverageErrorCodes(t *testing.T) {
	t.Parallel()
	doc := validator.Doc()
	cases := loadCases(t)

	recordedCodes := map[string]bool{}
	type pair struct{ code, message string }
	recorded := map[pair][]int{} // statuses a (code, message) pair was recorded under
	for _, c := range cases {
		entries, _ := caseEntries(t, c)
		for _, e := range entries {
			if e.status == "success" {
				continue
			}
			recordedCodes[e.code] = true
			p := pair{e.code, e.message}
			recorded[p] = append(recorded[p], c.Response.Status)
		}
	}

	specCodes := map[string]bool{}
	for name, ex := range doc.Components.Examples {
		require.NotNil(t, ex.Value, name)
		entries, _ := entriesOf(ex.Value.Value)
		for _, e := range entries {
			if e.status != "success" {
				specCodes[e.code] = true
			}
		}
	}
	require.NotEmpty(t, specCodes)
	for code := range specCodes {
		assert.Truef(t, recordedCodes[code], "error code %s appears in components/examples but in no recorded case", code)
	}

	statuses := map[string][]int{}
	uses, err := testkit.Examples()
	require.NoError(t, err)
	for _, u := range uses {
		if u.Name != "" && !slices.Contains(statuses[u.Name], u.Status) {
			statuses[u.Name] = append(statuses[u.Name], u.Status)
		}
	}
	for name, ex := range doc.Components.Examples {
		entries, _ := entriesOf(ex.Value.Value)
		for _, e := range entries {
			if e.status == "success" {
				continue
			}
			got := recorded[pair{e.code, e.message}]
			hit := slices.ContainsFunc(got, func(s int) bool { return slices.Contains(statuses[name], s) })
			assert.Truef(t, hit, "example %s: no case records %s %q under one of its statuses %v (recorded under %v)",
				name, e.code, e.message, statuses[name], got)
		}
	}
}

// TestCoverageVariety keeps the recorded cases spread over data centres,
// environments, API versions, both spellings of the Users path and every
// status the spec declares.
func TestCoverageVariety(t *testing.T) {
	t.Parallel()
	cases := loadCases(t)
	hosts, versions, spellings, statuses := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[int]bool{}
	for _, c := range cases {
		u, err := url.Parse(c.Request.URL)
		require.NoError(t, err)
		hosts[u.Hostname()] = true
		seg := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
		require.GreaterOrEqualf(t, len(seg), 3, "case %s: short path", c.Name)
		versions[seg[1]] = true
		if seg[2] == "Users" || seg[2] == "users" {
			spellings[seg[2]] = true
		}
		statuses[c.Response.Status] = true
	}
	for _, tld := range []string{"com", "eu", "in", "com.au", "com.cn", "jp", "ca", "sa"} {
		assert.Truef(t, hosts["www.zohoapis."+tld], "no case on www.zohoapis.%s", tld)
	}
	for _, env := range []string{"sandbox", "developer"} {
		found := false
		for h := range hosts {
			found = found || strings.HasPrefix(h, env+".zohoapis.")
		}
		assert.Truef(t, found, "no case on a %s.zohoapis.* host", env)
	}
	for _, v := range []string{"v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"} {
		assert.Truef(t, versions[v], "no case on API version %s", v)
	}
	assert.True(t, spellings["Users"], "no case with the documented /Users/ path")
	assert.True(t, spellings["users"], "no case with the SDKs' /users/ path")
	for code := range validator.Doc().Paths.Find("/crm/{version}/Users/{user_id}/territories").Delete.Responses.Map() {
		status, err := strconv.Atoi(code)
		require.NoError(t, err)
		assert.Truef(t, statuses[status], "no case with status %d", status)
	}
}

// checkStatusSemantics checks what the schema cannot: which items an
// envelope may hold under which status, and that error objects come with
// error statuses.
func checkStatusSemantics(t *testing.T, what string, status int, entries []resultEntry, envelope bool) {
	t.Helper()
	if !envelope {
		require.Lenf(t, entries, 1, "%s: neither an envelope nor an error object", what)
		assert.GreaterOrEqualf(t, status, 400, "%s: error object %s under %d", what, entries[0].code, status)
		return
	}
	var ok, failed int
	for _, e := range entries {
		if e.status == "success" {
			ok++
			assert.Equalf(t, "SUCCESS", e.code, "%s: success item", what)
		} else {
			failed++
			assert.NotEqualf(t, "SUCCESS", e.code, "%s: %s item with code SUCCESS", what, e.status)
		}
	}
	switch status {
	case http.StatusOK, http.StatusCreated:
		assert.Zerof(t, failed, "%s: %d envelope with %d error items", what, status, failed)
	case http.StatusMultiStatus:
		assert.Truef(t, ok > 0 && failed > 0, "%s: 207 envelope is not mixed (%d success, %d error)", what, ok, failed)
	case http.StatusBadRequest:
		assert.Zerof(t, ok, "%s: 400 envelope with %d success items", what, ok)
	default:
		t.Errorf("%s: envelope under %d", what, status)
	}
}

// checkReadSemantics checks what the schema cannot about a read's answer
// (body nil for none): a 200 holds records of the operation's key, as many
// as its info says and no more than it asked for (one for a read by id); a
// 204 and a 304 have no body; anything else is an error object with an
// error status.
func checkReadSemantics(t *testing.T, what, op string, status int, body any) {
	t.Helper()
	switch status {
	case http.StatusOK:
		m, ok := body.(map[string]any)
		require.Truef(t, ok, "%s: 200 without a JSON object", what)
		require.Truef(t, isReadPage(body), "%s: 200 is not a page of records", what)
		recs, ok := m[readKey(op)].([]any)
		require.Truef(t, ok, "%s: no %q array", what, readKey(op))
		ids := map[string]bool{}
		for i, r := range recs {
			rec, _ := r.(map[string]any)
			if op == opGetAssociatedUsersCount {
				// A count names its territory.
				rec, _ = rec["territory"].(map[string]any)
			}
			id, _ := rec["id"].(string)
			assert.Regexpf(t, `^[0-9]{1,19}$`, id, "%s: %s[%d] has no record id", what, readKey(op), i)
			assert.Falsef(t, ids[id], "%s: id %s repeats", what, id)
			ids[id] = true
		}
		info, hasInfo := m["info"].(map[string]any)
		if !listOps[op] {
			assert.Lenf(t, recs, 1, "%s: a read by id answers one record", what)
		} else if !infoOptional[op] {
			require.Truef(t, hasInfo, "%s: a page of a list has info", what)
		}
		if hasInfo {
			count, _ := info["count"].(float64)
			perPage, _ := info["per_page"].(float64)
			assert.Equalf(t, len(recs), int(count), "%s: info.count", what)
			assert.LessOrEqualf(t, len(recs), int(perPage), "%s: more records than per_page", what)
		}
	case http.StatusNoContent, http.StatusNotModified:
		assert.Nilf(t, body, "%s: %d with a body", what, status)
	default:
		entries, envelope := entriesOf(body)
		assert.Falsef(t, envelope, "%s: a read answered with a removal envelope", what)
		checkStatusSemantics(t, what, status, entries, envelope)
	}
}

// checkOrgSemantics checks what the schema cannot about getOrganization's
// answer: a 200 holds the one organization, with a record id; anything
// else is an error object with an error status.
func checkOrgSemantics(t *testing.T, what string, status int, body any) {
	t.Helper()
	if status != http.StatusOK {
		entries, envelope := entriesOf(body)
		assert.Falsef(t, envelope, "%s: the organization answered with an envelope", what)
		checkStatusSemantics(t, what, status, entries, envelope)
		return
	}
	m, _ := body.(map[string]any)
	orgs, ok := m["org"].([]any)
	require.Truef(t, ok, "%s: no org array", what)
	require.Lenf(t, orgs, 1, "%s: the org array holds the one organization", what)
	id, _ := orgs[0].(map[string]any)["id"].(string)
	assert.Regexpf(t, `^[0-9]{1,19}$`, id, "%s: the organization has no record id", what)
}

// TestStatusSemantics applies checkStatusSemantics (checkReadSemantics for
// the reads) to every recorded case and every example of the spec under
// each status it is listed under.
func TestStatusSemantics(t *testing.T) {
	t.Parallel()
	for _, c := range loadCases(t) {
		what := "case " + c.Name
		op := expectedOperation(t, c.Request.Method, c.Request.URL)
		if op == opGetOrganization {
			checkOrgSemantics(t, what, c.Response.Status, decodeOrNil(c.Response.Body))
			continue
		}
		if readOps[op] {
			var body any
			if len(c.Response.Body) > 0 {
				require.NoErrorf(t, json.Unmarshal(c.Response.Body, &body), "%s", what)
			}
			checkReadSemantics(t, what, op, c.Response.Status, body)
			continue
		}
		entries, envelope := caseEntries(t, c)
		checkStatusSemantics(t, what, c.Response.Status, entries, envelope)
	}
	examples, err := testkit.Examples()
	require.NoError(t, err)
	for _, u := range examples {
		if u.Name == "" {
			continue
		}
		what := "example " + u.Name + " as " + u.Operation + " " + strconv.Itoa(u.Status)
		if u.Operation == opGetOrganization {
			checkOrgSemantics(t, what, u.Status, u.Value)
			continue
		}
		if readOps[u.Operation] {
			checkReadSemantics(t, what, u.Operation, u.Status, u.Value)
			continue
		}
		entries, envelope := entriesOf(u.Value)
		checkStatusSemantics(t, what, u.Status, entries, envelope)
	}
}

// TestCoverageReads keeps the read cases covering what a client of the
// reads must handle: for each read, a 200 and a 204 (and a 304 for the
// users' list); for each list, a sequence of pages (page 1 with
// more_records true, then a last page); among a user's territories, a
// manager named with `name`, one named with `Name`, one given by id alone,
// a null Manager and a null Reporting_To (the default territory); among the
// Territories API's, a null manager and the root's null reporting_to; and
// users that are active, deactivated (`inactive`) and deleted.
func TestCoverageReads(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, c := range loadCases(t) {
		op := expectedOperation(t, c.Request.Method, c.Request.URL)
		if !readOps[op] {
			continue
		}
		seen[op+" "+strconv.Itoa(c.Response.Status)] = true
		if c.Response.Status != http.StatusOK {
			continue
		}
		var body struct {
			Info *struct {
				Page        int  `json:"page"`
				MoreRecords bool `json:"more_records"`
			} `json:"info"`
			Territories []map[string]any `json:"territories"`
			Users       []map[string]any `json:"users"`
		}
		require.NoError(t, json.Unmarshal(c.Response.Body, &body))
		if listOps[op] && body.Info != nil {
			switch {
			case body.Info.Page == 1 && body.Info.MoreRecords:
				seen[op+" first page"] = true
			case body.Info.Page > 1 && !body.Info.MoreRecords:
				seen[op+" last page"] = true
			}
		}
		for _, u := range body.Users {
			if st, ok := u["status"].(string); ok && (op == opListUsers || op == opGetUser) {
				seen["user "+st] = true
			}
		}
		for _, tr := range body.Territories {
			for _, key := range []string{"Manager", "Reporting_To", "manager", "reporting_to"} {
				v, present := tr[key]
				ref, _ := v.(map[string]any)
				switch {
				case present && v == nil:
					seen[key+" null"] = true
				case ref["name"] != nil:
					seen[key+" name"] = true
				case ref["Name"] != nil:
					seen[key+" Name"] = true
				case ref != nil:
					seen[key+" id only"] = true
				}
			}
		}
	}
	want := []string{"Manager name", "Manager Name", "Manager id only", "Manager null", "Reporting_To null", "Reporting_To Name",
		"manager name", "manager null", "reporting_to null", "reporting_to name",
		"user active", "user inactive", "user deleted", opListUsers + " 304"}
	for op := range readOps {
		want = append(want, op+" 200", op+" 204")
		if listOps[op] {
			want = append(want, op+" first page", op+" last page")
		}
	}
	for _, w := range want {
		assert.Truef(t, seen[w], "no read case with %s", w)
	}
}

// TestSeedCases pins the samples of Zoho's documentation to what the pages
// show, so that an edit of a seed case cannot drift from its source.
func TestSeedCases(t *testing.T) {
	t.Parallel()
	cases := loadCases(t)
	tests := []struct {
		name    string
		status  int
		ids     int // ids in the request (0 for the single-id URL)
		items   int
		success int
	}{
		{"seed_v7_remove_users_ids_single", http.StatusOK, 1, 1, 1},
		{"seed_v6_remove_territory_single", http.StatusOK, 0, 1, 1},
		{"seed_v6_remove_territories_bulk_mixed", http.StatusMultiStatus, 3, 5, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := caseByName(t, cases, tt.name)
			assert.Equal(t, tt.status, c.Response.Status)
			u, err := url.Parse(c.Request.URL)
			require.NoError(t, err)
			assert.Equal(t, "www.zohoapis.com", u.Host, "the samples use the US domain")
			if tt.ids == 0 {
				assert.Empty(t, u.RawQuery)
			} else {
				assert.Len(t, strings.Split(u.Query().Get("ids"), ","), tt.ids)
			}
			entries, envelope := caseEntries(t, c)
			require.True(t, envelope)
			assert.Len(t, entries, tt.items)
			success := 0
			for _, e := range entries {
				if e.status == "success" {
					success++
				}
			}
			assert.Equal(t, tt.success, success)
		})
	}
}

// TestRetryAfter checks that the recorded 429 carries a Retry-After a
// client can parse (seconds or an HTTP date).
func TestRetryAfter(t *testing.T) {
	t.Parallel()
	var found bool
	for _, c := range loadCases(t) {
		if c.Response.Status != http.StatusTooManyRequests {
			continue
		}
		found = true
		ra := c.HTTPResponse().Header.Get("Retry-After")
		require.NotEmptyf(t, ra, "case %s: 429 without Retry-After", c.Name)
		_, errSec := strconv.Atoi(ra)
		_, errDate := http.ParseTime(ra)
		assert.Truef(t, errSec == nil || errDate == nil, "case %s: Retry-After %q is neither seconds nor an HTTP date", c.Name, ra)
	}
	assert.True(t, found, "no recorded 429 case")
}
