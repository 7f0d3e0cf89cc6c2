package prism

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// prismTransport adds a Prefer header (which selects Prism's mock answer)
// and records every report Prism makes about a request or response: the
// sl-violations header it adds to an answer with violations, and the
// application/problem+json bodies it sends in place of an answer (an invalid
// request, an unknown route, or, under --errors, a response that breaks the
// spec).
type prismTransport struct {
	prefer string
	// preferLater, when set, replaces prefer for the pages after the first
	// of a listing (a `page` query parameter above 1): Prism serves the
	// example it is asked for whatever the page, so a listing that follows
	// more_records is given its last page this way.
	preferLater string
	// preferRead, when set, replaces prefer for the GETs of a test of
	// another operation: the listing a create whose answer was lost
	// looks its names up in.
	preferRead string

	mu      sync.Mutex
	reports []string
}

func (p *prismTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	prefer := p.prefer
	if pg := req.URL.Query().Get("page"); p.preferLater != "" && pg != "" && pg != "1" {
		prefer = p.preferLater
	}
	if p.preferRead != "" && req.Method == http.MethodGet {
		prefer = p.preferRead
	}
	if prefer != "" {
		req = req.Clone(req.Context())
		req.Header.Set("Prefer", prefer)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	where := fmt.Sprintf("%s %s -> %d", req.Method, req.URL.RequestURI(), resp.StatusCode)
	if v := resp.Header.Get("sl-violations"); v != "" {
		p.report(where + ": sl-violations: " + v)
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
		body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		if err != nil {
			return nil, err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		p.report(where + ": Prism answered in place of the server: " + string(body))
	}
	return resp, nil
}

func (p *prismTransport) report(s string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reports = append(p.reports, s)
}

// take returns the reports so far and forgets them.
func (p *prismTransport) take() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	r := p.reports
	p.reports = nil
	return r
}

// noRetries answers 429 and 5xx at once instead of backing off.
func noRetries() zohoterritory.RetryPolicy {
	p := zohoterritory.DefaultRetryPolicy()
	p.MaxAttempts = 1
	p.AttemptTimeout = 20 * time.Second
	return p
}

// operation is how the client reaches one operation of the spec.
type operation struct {
	bulk  bool   // the `ids` form: the client uses it for two ids or more
	key   string // the envelope key
	owner string // the id in the path: a territory or a user
	call  func(c *zohoterritory.Client, t *testing.T, owner string, ids []string) (*zohoterritory.Result, error)
}

func removeUsers(c *zohoterritory.Client, t *testing.T, territoryID string, ids []string) (*zohoterritory.Result, error) {
	return c.RemoveUsersFromTerritory(t.Context(), territoryID, ids...)
}

func removeTerritories(c *zohoterritory.Client, t *testing.T, userID string, ids []string) (*zohoterritory.Result, error) {
	return c.RemoveTerritoriesFromUser(t.Context(), userID, ids...)
}

// operations are the spec's four operations. The owners are the spec's
// parameter examples.
var operations = map[string]operation{
	"removeUserFromTerritory":   {bulk: false, key: "users", owner: "431581000000744113", call: removeUsers},
	"removeUsersFromTerritory":  {bulk: true, key: "users", owner: "431581000000744113", call: removeUsers},
	"removeTerritoryFromUser":   {bulk: false, key: "territories", owner: "5725767000000583004", call: removeTerritories},
	"removeTerritoriesFromUser": {bulk: true, key: "territories", owner: "5725767000000583004", call: removeTerritories},
}

// readOperation is how the client reaches one read of the spec.
type readOperation struct {
	list     bool   // a paged list; otherwise a read by id
	key      string // the array's key
	owner    string // the id in the path before the item's
	lastPage string // for a list: the example served for the pages after the first
	// call runs the client's method: the ids it returned, and whether a
	// read by id found its item (true for a list that did not fail).
	call func(c *zohoterritory.Client, t *testing.T, owner, id string) (ids []string, found bool, err error)
}

// readOperations are the spec's eleven reads: four of memberships, four of
// the directory, the organization's, and a territory's children and the
// users' counts. The owners are the spec's parameter examples; the
// directory's and the organization's reads have
// none.
var readOperations = map[string]readOperation{
	"getOrganization": {key: "org",
		call: func(c *zohoterritory.Client, t *testing.T, _, _ string) ([]string, bool, error) {
			o, err := c.Org(t.Context())
			if err != nil {
				return nil, false, err
			}
			return []string{o.ID}, true, nil
		}},
	"listUsers": {list: true, key: "users", lastPage: "UsersLastPage",
		call: func(c *zohoterritory.Client, t *testing.T, _, _ string) ([]string, bool, error) {
			return listedIDs(c.ListUsers(t.Context(), zohoterritory.AllUsers), func(u zohoterritory.User) string { return u.ID })
		}},
	"getUser": {key: "users",
		call: func(c *zohoterritory.Client, t *testing.T, _, userID string) ([]string, bool, error) {
			u, ok, err := c.GetUser(t.Context(), userID)
			if !ok {
				return nil, ok, err
			}
			return []string{u.ID}, ok, err
		}},
	"listTerritories": {list: true, key: "territories", lastPage: "TerritoriesLastPage",
		call: func(c *zohoterritory.Client, t *testing.T, _, _ string) ([]string, bool, error) {
			return listedIDs(c.ListTerritories(t.Context()), func(tr zohoterritory.Territory) string { return tr.ID })
		}},
	"getTerritory": {key: "territories",
		call: func(c *zohoterritory.Client, t *testing.T, _, territoryID string) ([]string, bool, error) {
			tr, ok, err := c.GetTerritory(t.Context(), territoryID)
			if !ok {
				return nil, ok, err
			}
			return []string{tr.ID}, ok, err
		}},
	"listTerritoriesOfUser": {list: true, key: "territories", owner: "5725767000000583004", lastPage: "TerritoriesOfUserLastPage",
		call: func(c *zohoterritory.Client, t *testing.T, userID, _ string) ([]string, bool, error) {
			ts, err := c.TerritoriesOfUser(t.Context(), userID)
			var ids []string
			for _, tr := range ts {
				ids = append(ids, tr.ID)
			}
			return ids, err == nil, err
		}},
	"getTerritoryOfUser": {key: "territories", owner: "5725767000000583004",
		call: func(c *zohoterritory.Client, t *testing.T, userID, territoryID string) ([]string, bool, error) {
			tr, ok, err := c.TerritoryOfUser(t.Context(), userID, territoryID)
			if !ok {
				return nil, ok, err
			}
			return []string{tr.ID}, ok, err
		}},
	"listUsersOfTerritory": {list: true, key: "users", owner: "431581000000744113", lastPage: "UsersOfTerritoryLastPage",
		call: func(c *zohoterritory.Client, t *testing.T, territoryID, _ string) ([]string, bool, error) {
			us, err := c.UsersOfTerritory(t.Context(), territoryID)
			var ids []string
			for _, u := range us {
				ids = append(ids, u.ID)
			}
			return ids, err == nil, err
		}},
	"getUserOfTerritory": {key: "users", owner: "431581000000744113",
		call: func(c *zohoterritory.Client, t *testing.T, territoryID, userID string) ([]string, bool, error) {
			u, ok, err := c.UserOfTerritory(t.Context(), territoryID, userID)
			if !ok {
				return nil, ok, err
			}
			return []string{u.ID}, ok, err
		}},
	"getChildTerritories": {list: true, key: "territories", owner: "431581000000744113", lastPage: "ChildTerritories",
		call: func(c *zohoterritory.Client, t *testing.T, territoryID, _ string) ([]string, bool, error) {
			return listedIDs(c.ChildTerritories(t.Context(), territoryID), func(tr zohoterritory.Territory) string { return tr.ID })
		}},
	"getAssociatedUsersCount": {list: true, key: "associated_users_count", lastPage: "UsersCounts",
		call: func(c *zohoterritory.Client, t *testing.T, _, _ string) ([]string, bool, error) {
			return listedIDs(c.AssociatedUsersCounts(t.Context()), func(n zohoterritory.UsersCount) string { return n.Territory.ID })
		}},
}

// listedIDs ranges over a directory listing: the ids it yielded, and
// whether it ended without an error.
func listedIDs[T any](seq iter.Seq2[T, error], id func(T) string) ([]string, bool, error) {
	var ids []string
	for v, err := range seq {
		if err != nil {
			return ids, false, err
		}
		ids = append(ids, id(v))
	}
	return ids, true, nil
}

// sentinels are the errors an *APIError with a code of the catalog matches.
var sentinels = map[string]error{
	"INVALID_DATA":           zohoterritory.ErrInvalidData,
	"NOT_ALLOWED":            zohoterritory.ErrNotAllowed,
	"INVALID_REQUEST_METHOD": zohoterritory.ErrInvalidRequestMethod,
	"REQUIRED_PARAM_MISSING": zohoterritory.ErrRequiredParamMissing,
	"API_NOT_SUPPORTED":      zohoterritory.ErrAPINotSupported,
	"OAUTH_SCOPE_MISMATCH":   zohoterritory.ErrOAuthScopeMismatch,
	"AUTHENTICATION_FAILURE": zohoterritory.ErrAuthenticationFailure,
	"INVALID_TOKEN":          zohoterritory.ErrInvalidToken,
	"NO_PERMISSION":          zohoterritory.ErrNoPermission,
	"PERMISSION_DENIED":      zohoterritory.ErrNoPermission,
	"TERRITORY_NOT_ENABLED":  zohoterritory.ErrTerritoryDisabled,
	"TERRITORY_DISABLED":     zohoterritory.ErrTerritoryDisabled,
	"INVALID_URL_PATTERN":    zohoterritory.ErrInvalidURLPattern,
	"TOO_MANY_REQUESTS":      zohoterritory.ErrTooManyRequests,
	"INTERNAL_ERROR":         zohoterritory.ErrInternal,
	"INTERNAL_SERVER_ERROR":  zohoterritory.ErrInternal,
	// The territories API's.
	"FEATURE_NOT_ENABLED":     zohoterritory.ErrTerritoryDisabled,
	"INVALID_REQUEST":         zohoterritory.ErrInvalidRequest,
	"DUPLICATE_DATA":          zohoterritory.ErrDuplicateData,
	"LIMIT_EXCEEDED":          zohoterritory.ErrLimitExceeded,
	"MANDATORY_NOT_FOUND":     zohoterritory.ErrMandatoryNotFound,
	"DEPENDENT_FIELD_MISSING": zohoterritory.ErrDependentFieldMissing,
}

// examples walks api/openapi.yaml: every operation, every documented
// status, every named example of its JSON body, and each 204 (which has
// no body, and so no example: name and value are empty).
func examples(t *testing.T) []testkit.Example {
	t.Helper()
	all, err := testkit.Examples()
	require.NoError(t, err)
	for _, ex := range all {
		_, known := operations[ex.Operation]
		_, read := readOperations[ex.Operation]
		_, add := addOperations[ex.Operation]
		_, change := lifecycleOperations[ex.Operation]
		require.Truef(t, known || read || add || change, "%s %s: operation %q is new to this test", ex.Method, ex.Path, ex.Operation)
		if ex.Name == "" {
			require.Containsf(t, []int{http.StatusNoContent, http.StatusNotModified}, ex.Status, "%s %d: no named JSON example", ex.Operation, ex.Status)
		}
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i], all[j]
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		if a.Status != b.Status {
			return a.Status < b.Status
		}
		return a.Name < b.Name
	})
	return all
}

// TestMockExamples checks that the client reads every documented example as
// the spec means it, served by `prism mock` with the status and example
// chosen by the Prefer header:
//
//   - an envelope: each id of an item is Removed (success) or Failed with
//     the item's code (error); error items that name no id go, in order, to
//     the ids no item names when there are as many of each, and otherwise
//     stay unmatched while those ids are Unknown; items naming ids that
//     were not asked for stay unmatched;
//   - an error object: an *APIError with the status, code and message, that
//     matches the code's sentinel; a 429 is a *RateLimitError with the
//     Retry-After Prism sent; a 5xx leaves every id Unknown, other statuses
//     leave them Failed with the code.
//
// The ids asked for are those the example names, plus one made-up id for
// each error item that names none; a single-id operation asks for one id, a
// bulk one for at least two. The reads are checked by checkRead, a 204
// among them with Prism asked for the status alone; the adds by checkAdd;
// the territory changes by checkLifecycle.
func TestMockExamples(t *testing.T) {
	base := os.Getenv("ZOHO_PRISM_MOCK_URL")
	if base == "" {
		t.Skip("ZOHO_PRISM_MOCK_URL is not set: interop/prism.sh runs this test against `prism mock`")
	}
	all := examples(t)
	for _, ex := range all {
		name := ex.Name
		if name == "" {
			name = "no-body"
		}
		t.Run(fmt.Sprintf("%s/%d/%s", ex.Operation, ex.Status, name), func(t *testing.T) {
			t.Parallel()
			op := operations[ex.Operation]
			tr := &prismTransport{prefer: fmt.Sprintf("code=%d, example=%s", ex.Status, ex.Name)}
			if ex.Name == "" {
				tr.prefer = fmt.Sprintf("code=%d", ex.Status)
			}
			rop, read := readOperations[ex.Operation]
			if read && rop.list {
				tr.preferLater = "code=200, example=" + rop.lastPage
			}
			t.Cleanup(func() { assert.Empty(t, tr.take(), "Prism reported violations") })
			c, err := zohoterritory.New(
				zohoterritory.WithAPIDomain(base),
				zohoterritory.WithAccessToken("1000.prism-mock"),
				zohoterritory.WithHTTPClient(&http.Client{Transport: tr}),
				zohoterritory.WithRetryPolicy(noRetries()),
				// The mock answers the same example whatever is sent:
				// halves of a refused batch would learn nothing.
				zohoterritory.WithSplitRefusedBatches(false),
			)
			require.NoError(t, err)
			if read {
				checkRead(t, c, rop, ex, all)
				return
			}
			if _, add := addOperations[ex.Operation]; add {
				checkAdd(t, base, tr, ex)
				return
			}
			if lop, change := lifecycleOperations[ex.Operation]; change {
				tr.preferRead = "code=200, example=TerritoriesLastPage"
				checkLifecycle(t, c, lop, ex)
				return
			}

			body, ok := ex.Value.(map[string]any)
			require.Truef(t, ok, "example value is %T, want an object", ex.Value)
			if raw, isEnvelope := body[op.key]; isEnvelope {
				checkEnvelope(t, c, op, ex, raw)
			} else {
				require.Containsf(t, body, "code", "example is neither a %q envelope nor an error object", op.key)
				checkErrorObject(t, c, op, ex, body)
			}
		})
	}
	t.Logf("%d examples", len(all))
}

// exampleIDs returns the ids of the records under key in an example's
// value, and its info.more_records.
func exampleIDs(t *testing.T, value any, key string) (ids []string, more bool) {
	t.Helper()
	body, ok := value.(map[string]any)
	require.Truef(t, ok, "example value is %T, want an object", value)
	recs, ok := body[key].([]any)
	require.Truef(t, ok, "no %q array", key)
	for _, r := range recs {
		m, _ := r.(map[string]any)
		id, _ := m["id"].(string)
		if tr, ok := m["territory"].(map[string]any); ok && id == "" {
			id, _ = tr["id"].(string) // a users' count names its territory
		}
		ids = append(ids, id)
	}
	if info, ok := body["info"].(map[string]any); ok {
		more, _ = info["more_records"].(bool)
	}
	return ids, more
}

// checkRead checks what the client makes of one answer of a read:
//
//   - 200 from a list: every record of the example, in order, and when the
//     example says more_records, those of the last-page example Prism is
//     asked for on page 2 after them;
//   - 200 from a read by id: the record, found;
//   - 204: an empty list, or not found;
//   - an error object: an *APIError naming the operation, with the
//     status, code and message and the code's sentinel (a
//     *RateLimitError for 429, ErrInternal for 5xx).
func checkRead(t *testing.T, c *zohoterritory.Client, op readOperation, ex testkit.Example, all []testkit.Example) {
	switch {
	case ex.Status == http.StatusOK && op.list:
		want, more := exampleIDs(t, ex.Value, op.key)
		if more {
			i := slices.IndexFunc(all, func(e testkit.Example) bool { return e.Operation == ex.Operation && e.Name == op.lastPage })
			require.GreaterOrEqualf(t, i, 0, "no example %s", op.lastPage)
			last, lastMore := exampleIDs(t, all[i].Value, op.key)
			require.False(t, lastMore, "the last page says more_records false")
			want = append(want, last...)
		}
		got, _, err := op.call(c, t, op.owner, "")
		require.NoError(t, err)
		assert.Equal(t, want, got)
	case ex.Status == http.StatusOK:
		want, _ := exampleIDs(t, ex.Value, op.key)
		require.Len(t, want, 1)
		got, found, err := op.call(c, t, op.owner, want[0])
		require.NoError(t, err)
		assert.True(t, found)
		assert.Equal(t, want, got)
	case ex.Status == http.StatusNotModified:
		// The client never sends If-Modified-Since, so a 304 answers
		// nothing it asked: an error, never an empty list.
		_, _, err := op.call(c, t, op.owner, madeUp(1))
		var apiErr *zohoterritory.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, ex.Operation, apiErr.Operation)
		assert.Equal(t, http.StatusNotModified, apiErr.StatusCode)
	case ex.Status == http.StatusNoContent:
		got, found, err := op.call(c, t, op.owner, madeUp(1))
		require.NoError(t, err)
		assert.Empty(t, got)
		assert.Equal(t, op.list, found, "a list is empty; a read by id finds nothing")
	default:
		body, ok := ex.Value.(map[string]any)
		require.Truef(t, ok, "example value is %T, want an object", ex.Value)
		code, message := fmt.Sprint(body["code"]), fmt.Sprint(body["message"])
		_, _, err := op.call(c, t, op.owner, madeUp(1))
		require.Error(t, err)
		var apiErr *zohoterritory.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, ex.Operation, apiErr.Operation)
		assert.Equal(t, ex.Status, apiErr.StatusCode)
		assert.Equal(t, code, apiErr.Code)
		assert.Equal(t, message, apiErr.Message)
		if s, ok := sentinels[code]; ok {
			assert.ErrorIs(t, err, s)
		}
		var rl *zohoterritory.RateLimitError
		assert.Equal(t, ex.Status == http.StatusTooManyRequests, errors.As(err, &rl), "*RateLimitError")
		if ex.Status >= 500 {
			assert.ErrorIs(t, err, zohoterritory.ErrInternal)
		}
	}
}

// wireItem is one entry of an example's envelope.
type wireItem struct {
	id, status, code string
	place            int  // the place in the request a json_path names, or -1
	urlError         bool // an error about the URL (resource_path_index)
}

func (w wireItem) outcome() zohoterritory.Outcome {
	switch w.status {
	case "success":
		return zohoterritory.Removed
	case "error", "failure":
		return zohoterritory.Failed
	}
	return zohoterritory.Unknown
}

// madeUp returns the n-th id that no example uses.
func madeUp(n int) string { return fmt.Sprintf("9%018d", n) }

func checkEnvelope(t *testing.T, c *zohoterritory.Client, op operation, ex testkit.Example, raw any) {
	list, ok := raw.([]any)
	require.Truef(t, ok, "%q is %T, want an array", op.key, raw)
	var items []wireItem
	for _, e := range list {
		m, ok := e.(map[string]any)
		require.Truef(t, ok, "item is %T", e)
		it := wireItem{status: fmt.Sprint(m["status"]), code: fmt.Sprint(m["code"]), place: -1}
		if d, ok := m["details"].(map[string]any); ok {
			if id, ok := d["id"].(string); ok {
				it.id = id
			}
			if jp, ok := d["json_path"].(string); ok {
				_, err := fmt.Sscanf(jp, "$."+op.key+"[%d]", &it.place)
				require.NoError(t, err, "json_path %q", jp)
			}
			_, it.urlError = d["resource_path_index"]
		}
		items = append(items, it)
	}
	if len(items) == 1 && items[0].urlError {
		// An error about the URL inside the envelope (Zoho's example of an
		// unknown territory of the bulk users DELETE): the whole call's.
		body := list[0].(map[string]any)
		checkErrorObject(t, c, op, ex, body)
		return
	}

	// The ids to ask for.
	var ids []string
	anonymous := 0
	for _, it := range items {
		switch {
		case it.id == "":
			anonymous++
		case !slices.Contains(ids, it.id):
			ids = append(ids, it.id)
		}
	}
	made := 0
	if op.bulk {
		for range anonymous {
			made++
			ids = append(ids, madeUp(made))
		}
		for len(ids) < 2 {
			made++
			ids = append(ids, madeUp(made))
		}
	} else if len(ids) > 0 {
		ids = ids[:1]
	} else {
		ids = []string{madeUp(1)}
	}
	// An item naming its id by place (json_path) names the id sent there.
	for n, it := range items {
		if it.place >= 0 && it.place < len(ids) {
			items[n].id = ids[it.place]
		}
	}

	// What the spec says becomes of each id.
	want := make([]zohoterritory.Outcome, len(ids))
	wantCode := make([]string, len(ids))
	assigned := make([]int, len(ids))
	for i := range assigned {
		assigned[i] = -1
	}
	var anon, unmatched []int
	for n, it := range items {
		i := slices.Index(ids, it.id)
		switch {
		case it.id != "" && i >= 0 && assigned[i] < 0:
			assigned[i] = n
		case it.id == "":
			anon = append(anon, n)
		default:
			unmatched = append(unmatched, n)
		}
	}
	var open []int
	for i := range ids {
		if assigned[i] < 0 {
			open = append(open, i)
		}
	}
	if len(open) == len(anon) {
		for k, i := range open {
			assigned[i] = anon[k]
		}
	} else {
		unmatched = append(unmatched, anon...)
	}
	for i, n := range assigned {
		if n < 0 {
			want[i] = zohoterritory.Unknown
			continue
		}
		want[i], wantCode[i] = items[n].outcome(), items[n].code
	}
	var wantUnmatched []string
	for _, n := range unmatched {
		wantUnmatched = append(wantUnmatched, items[n].outcome().String()+" "+items[n].code)
	}

	res, err := op.call(c, t, op.owner, ids)
	require.NoError(t, err, "an envelope is never a request-level failure")
	require.Len(t, res.Calls, 1)
	require.NotNil(t, res.Calls[0].Response)
	assert.Equal(t, ex.Status, res.Calls[0].Response.StatusCode)
	assert.Equal(t, ex.Operation, res.Calls[0].Operation, "the client used another operation")
	require.Len(t, res.Items, len(ids))
	for i, got := range res.Items {
		assert.Equalf(t, ids[i], got.ID, "item %d", i)
		assert.Equalf(t, want[i], got.Outcome, "id %s: outcome (%s)", ids[i], got.Message)
		if want[i] == zohoterritory.Failed {
			assert.Equalf(t, wantCode[i], got.Code, "id %s: code", ids[i])
			assert.NotEmptyf(t, got.Reason, "id %s: reason", ids[i])
		}
	}
	var gotUnmatched []string
	for _, u := range res.Unmatched {
		gotUnmatched = append(gotUnmatched, u.Outcome.String()+" "+u.Code)
	}
	sort.Strings(wantUnmatched)
	sort.Strings(gotUnmatched)
	assert.Equal(t, wantUnmatched, gotUnmatched, "unmatched items")
}

func checkErrorObject(t *testing.T, c *zohoterritory.Client, op operation, ex testkit.Example, body map[string]any) {
	code, message := fmt.Sprint(body["code"]), fmt.Sprint(body["message"])
	ids := []string{madeUp(1)}
	if op.bulk {
		ids = append(ids, madeUp(2))
	}
	res, err := op.call(c, t, op.owner, ids)
	require.Error(t, err)
	var apiErr *zohoterritory.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, ex.Operation, apiErr.Operation)
	assert.Equal(t, ex.Status, apiErr.StatusCode)
	assert.Equal(t, code, apiErr.Code)
	assert.Equal(t, message, apiErr.Message)
	if s, ok := sentinels[code]; ok {
		assert.ErrorIs(t, err, s)
	}
	require.NotNil(t, res)
	require.Len(t, res.Items, len(ids))

	switch {
	case ex.Status == http.StatusTooManyRequests:
		var rl *zohoterritory.RateLimitError
		require.ErrorAs(t, err, &rl)
		assert.ErrorIs(t, err, zohoterritory.ErrTooManyRequests)
		// The larger of the Retry-After header and details.retry_after.
		want := time.Duration(0)
		if ra := apiErr.Response.Header.Get("Retry-After"); ra != "" {
			secs, convErr := strconv.Atoi(ra)
			require.NoError(t, convErr, "Retry-After %q", ra)
			want = time.Duration(secs) * time.Second
		}
		if d, ok := body["details"].(map[string]any); ok {
			if secs, ok := d["retry_after"].(float64); ok {
				want = max(want, time.Duration(secs)*time.Second)
			}
		}
		assert.Equal(t, want, rl.RetryAfter)
	case ex.Status >= 500:
		assert.ErrorIs(t, err, zohoterritory.ErrInternal)
	}
	for _, it := range res.Items {
		if ex.Status >= 500 {
			assert.Equalf(t, zohoterritory.Unknown, it.Outcome, "id %s: after a server fault the outcome is not known", it.ID)
			continue
		}
		assert.Equalf(t, zohoterritory.Failed, it.Outcome, "id %s", it.ID)
		assert.Equalf(t, code, it.Code, "id %s", it.ID)
		assert.ErrorAsf(t, it.Err, new(*zohoterritory.APIError), "id %s", it.ID)
	}
}
