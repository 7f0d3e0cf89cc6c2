package contracttests

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// prefix is where the test server mounts the API, so that a client that
// drops the server URL's path when joining fails loudly (go-github's setup).
const prefix = "/zoho-under-test"

// recorder is an httptest server that answers every operation with a valid
// 200 and keeps each request it received.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []*http.Request
}

func newRecorder(t *testing.T) *recorder {
	t.Helper()
	rec := &recorder{}
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The handler's context ends when it returns, and its body is
		// closed; the copy outlives both.
		kept := r.Clone(context.Background())
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		kept.Body = io.NopCloser(bytes.NewReader(body))
		kept.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, kept)
		rec.mu.Unlock()
		if op := operationOf(r.Method, r.URL.Path); op != "" {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			w.WriteHeader(okStatus(op))
			_, _ = io.WriteString(w, okBodies[op])
			return
		}
		http.Error(w, `{"code":"INVALID_URL_PATTERN","details":{},"message":"Please check if the URL trying to access is a correct one","status":"error"}`, http.StatusNotFound)
	})
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, api))
	rec.srv = httptest.NewServer(mux)
	t.Cleanup(rec.srv.Close)
	return rec
}

// requests returns the requests received so far.
func (rec *recorder) requests() []*http.Request {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]*http.Request(nil), rec.reqs...)
}

// client returns a generated client pointed at the recorder, with opts.
func (rec *recorder) client(t *testing.T, opts ...zohoapi.ClientOption) *zohoapi.Client {
	t.Helper()
	opts = append([]zohoapi.ClientOption{zohoapi.WithHTTPClient(rec.srv.Client())}, opts...)
	c, err := zohoapi.NewClient(rec.srv.URL+prefix, opts...)
	require.NoError(t, err)
	return c
}

func withToken(token string) zohoapi.ClientOption {
	return zohoapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
		req.Header.Set("Authorization", "Zoho-oauthtoken "+token)
		return nil
	})
}

// clientCall is one call of the generated client.
type clientCall struct {
	op     string
	call   func(ctx context.Context, c *zohoapi.Client) (*http.Response, error)
	path   string
	ids    []string          // the ids sent in the query, if any
	query  string            // the query of a read, if any
	body   string            // the JSON body of an add, if any
	header map[string]string // headers the call sets besides Authorization
}

var (
	userIDs      = []string{"431581000000258001", "431581000000258002", "431581000000258003"}
	territoryIDs = []string{"5725767000000452115", "5725767000000454003", "5725767000002709047"}
)

func clientCalls() []clientCall {
	page, perPage := 2, 200
	deleted := zohoapi.DeletedUsers
	since := time.Date(2019, 7, 25, 15, 26, 49, 0, time.FixedZone("IST", 5*3600+1800))
	filters := `{"field":{"api_name":"name"},"comparator":"equal","value":"West Coast"}`
	return []clientCall{
		{
			op: opGetOrganization,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.GetOrganization(ctx, zohoapi.V8)
			},
			path: "/crm/v8/org",
		},
		{
			op: opListUsers,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.ListUsers(ctx, zohoapi.V8, &zohoapi.ListUsersParams{Type: &deleted, Page: &page, PerPage: &perPage, IfModifiedSince: &since})
			},
			path:   "/crm/v8/users",
			query:  "type=DeletedUsers&page=2&per_page=200",
			header: map[string]string{"If-Modified-Since": "2019-07-25T15:26:49+05:30"},
		},
		{
			op: opGetUser,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.GetUser(ctx, zohoapi.V2, "5725767000000411001", nil)
			},
			path: "/crm/v2/users/5725767000000411001",
		},
		{
			op: opListTerritories,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.ListTerritories(ctx, zohoapi.V7, &zohoapi.ListTerritoriesParams{Filters: &filters})
			},
			path:  "/crm/v7/settings/territories",
			query: "filters=" + url.QueryEscape(filters),
		},
		{
			op: opGetTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.GetTerritory(ctx, zohoapi.V4, "5725767000002709047", nil)
			},
			path: "/crm/v4/settings/territories/5725767000002709047",
		},
		{
			op: opListUsersOfTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.ListUsersOfTerritory(ctx, zohoapi.V8, "431581000000744113", &zohoapi.ListUsersOfTerritoryParams{Page: &page, PerPage: &perPage})
			},
			path:  "/crm/v8/settings/territories/431581000000744113/users",
			query: "page=2&per_page=200",
		},
		{
			op: opGetUserOfTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.GetUserOfTerritory(ctx, zohoapi.V5, "431581000000744113", "431581000000258001")
			},
			path: "/crm/v5/settings/territories/431581000000744113/users/431581000000258001",
		},
		{
			op: opListTerritoriesOfUser,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				// No paging parameters: Zoho's defaults (page 1, 200 a page).
				return c.ListTerritoriesOfUser(ctx, zohoapi.V7, "5725767000000583004", &zohoapi.ListTerritoriesOfUserParams{})
			},
			path: "/crm/v7/Users/5725767000000583004/territories",
		},
		{
			op: opGetTerritoryOfUser,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.GetTerritoryOfUser(ctx, zohoapi.V3, "5725767000000583004", "5725767000002709047")
			},
			path: "/crm/v3/Users/5725767000000583004/territories/5725767000002709047",
		},
		{
			op: opRemoveUserFromTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.RemoveUserFromTerritory(ctx, zohoapi.V7, "431581000000744113", "431581000000258001")
			},
			path: "/crm/v7/settings/territories/431581000000744113/users/431581000000258001",
		},
		{
			op: opRemoveUsersFromTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.RemoveUsersFromTerritory(ctx, zohoapi.V8, "431581000000744113", &zohoapi.RemoveUsersFromTerritoryParams{Ids: strings.Join(userIDs, ",")})
			},
			path: "/crm/v8/settings/territories/431581000000744113/users",
			ids:  userIDs,
		},
		{
			op: opRemoveTerritoryFromUser,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.RemoveTerritoryFromUser(ctx, zohoapi.V21, "5725767000000583004", "5725767000002709047")
			},
			path: "/crm/v2.1/Users/5725767000000583004/territories/5725767000002709047",
		},
		{
			op: opRemoveTerritoriesFromUser,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.RemoveTerritoriesFromUser(ctx, zohoapi.V2, "5725767000000583004", &zohoapi.RemoveTerritoriesFromUserParams{Ids: strings.Join(territoryIDs, ",")})
			},
			path: "/crm/v2/Users/5725767000000583004/territories",
			ids:  territoryIDs,
		},
		{
			op: opAddUserToTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.AddUserToTerritory(ctx, zohoapi.V6, "431581000000744113", "431581000000258001")
			},
			path: "/crm/v6/settings/territories/431581000000744113/users/431581000000258001",
		},
		{
			op: opAddUsersToTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.AddUsersToTerritory(ctx, zohoapi.V8, "431581000000744113", zohoapi.UsersToAdd{Users: refsOf(userIDs)})
			},
			path: "/crm/v8/settings/territories/431581000000744113/users",
			body: `{"users":[{"id":"431581000000258001"},{"id":"431581000000258002"},{"id":"431581000000258003"}]}`,
		},
		{
			op: opAddTerritoriesToUser,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.AddTerritoriesToUser(ctx, zohoapi.V7, "5725767000000583004", zohoapi.TerritoriesToAdd{Territories: refsOf(territoryIDs)})
			},
			path: "/crm/v7/Users/5725767000000583004/territories",
			body: `{"territories":[{"id":"5725767000000452115"},{"id":"5725767000000454003"},{"id":"5725767000002709047"}]}`,
		},
		{
			op: opCreateTerritories,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				var parent, manager zohoapi.RecordIdInput
				if err := parent.FromRecordId("5725767000000452002"); err != nil {
					return nil, err
				}
				// A number, as Zoho's Python SDK sends ids.
				if err := manager.FromRecordIdInput1(5725767000000411004); err != nil {
					return nil, err
				}
				var rule zohoapi.NullableRuleCriteria
				if err := rule.FromRuleCondition(zohoapi.RuleCondition{Field: zohoapi.RuleField{ApiName: "Billing_State"}, Comparator: zohoapi.Equal, Value: "WA"}); err != nil {
					return nil, err
				}
				return c.CreateTerritories(ctx, zohoapi.V8, zohoapi.TerritoriesToCreate{Territories: []zohoapi.TerritoryToCreate{{
					Name: "Pacific", ReportingTo: zohoapi.IdReference{Id: parent}, PermissionType: zohoapi.ReadWriteDelete,
					Manager: &zohoapi.NullableIdReference{Id: manager}, AccountRuleCriteria: &rule,
				}}})
			},
			path: "/crm/v8/settings/territories",
			body: `{"territories":[{"name":"Pacific","reporting_to":{"id":"5725767000000452002"},"permission_type":"read_write_delete","manager":{"id":5725767000000411004},"account_rule_criteria":{"field":{"api_name":"Billing_State"},"comparator":"equal","value":"WA"}}]}`,
		},
		{
			op: opUpdateTerritories,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.UpdateTerritoriesWithBody(ctx, zohoapi.V7, "application/json", strings.NewReader(sampleBodies[opUpdateTerritories]))
			},
			path: "/crm/v7/settings/territories",
			body: sampleBodies[opUpdateTerritories],
		},
		{
			op: opUpdateTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.UpdateTerritoryWithBody(ctx, zohoapi.V6, "5725767000002709047", "application/json", strings.NewReader(sampleBodies[opUpdateTerritory]))
			},
			path: "/crm/v6/settings/territories/5725767000002709047",
			body: sampleBodies[opUpdateTerritory],
		},
		{
			op: opGetChildTerritories,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				include := zohoapi.GetChildTerritoriesParamsIncludeAccountRuleCriterialeadRuleCriteriadealRuleCriteria
				return c.GetChildTerritories(ctx, zohoapi.V8, "5725767000000452002", &zohoapi.GetChildTerritoriesParams{Page: &page, PerPage: &perPage, Include: &include})
			},
			path:  "/crm/v8/settings/territories/5725767000000452002/__child_territories",
			query: "page=2&per_page=200&include=account_rule_criteria%2Clead_rule_criteria%2Cdeal_rule_criteria",
		},
		{
			op: opGetAssociatedUsersCount,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				most := 2000
				return c.GetAssociatedUsersCount(ctx, zohoapi.V8, &zohoapi.GetAssociatedUsersCountParams{PerPage: &most})
			},
			path:  "/crm/v8/settings/territories/actions/associated_users_count",
			query: "per_page=2000",
		},
		{
			op: opTransferAndDeleteTerritories,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.TransferAndDeleteTerritoriesWithBody(ctx, zohoapi.V8, "application/json", strings.NewReader(sampleBodies[opTransferAndDeleteTerritories]))
			},
			path: "/crm/v8/settings/territories/actions/transfer_and_delete",
			body: sampleBodies[opTransferAndDeleteTerritories],
		},
		{
			op: opTransferAndDeleteTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.TransferAndDeleteTerritoryWithBody(ctx, zohoapi.V5, "5725767000000452002", "application/json", strings.NewReader(sampleBodies[opTransferAndDeleteTerritory]))
			},
			path: "/crm/v5/settings/territories/5725767000000452002/actions/transfer_and_delete",
			body: sampleBodies[opTransferAndDeleteTerritory],
		},
		{
			op: opDeleteTerritories,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.DeleteTerritories(ctx, zohoapi.V8, &zohoapi.DeleteTerritoriesParams{Ids: strings.Join(territoryIDs, ","), DeletePreviousForecasts: false})
			},
			path:  "/crm/v8/settings/territories",
			query: "ids=5725767000000452115%2C5725767000000454003%2C5725767000002709047&delete_previous_forecasts=false",
		},
		{
			op: opDeleteTerritory,
			call: func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
				return c.DeleteTerritory(ctx, zohoapi.V4, "5725767000002709047", &zohoapi.DeleteTerritoryParams{DeletePreviousForecasts: true})
			},
			path:  "/crm/v4/settings/territories/5725767000002709047",
			query: "delete_previous_forecasts=true",
		},
	}
}

// refsOf names ids as an add's body does: as strings (RecordIdInput's
// first form), which is what the generated client sends when built so.
func refsOf(ids []string) []zohoapi.RecordRef {
	refs := make([]zohoapi.RecordRef, len(ids))
	for i, id := range ids {
		_ = refs[i].Id.FromRecordId(id) // encoding a string cannot fail
	}
	return refs
}

// TestGeneratedClientRequests sends each operation with the generated
// client to a local server and validates the request the server received,
// and the response the client got, with both validators.
func TestGeneratedClientRequests(t *testing.T) {
	t.Parallel()
	for _, cc := range clientCalls() {
		t.Run(cc.op, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(t)
			resp, err := cc.call(t.Context(), rec.client(t, withToken("test")))
			require.NoError(t, err)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, resp.Body.Close())
			require.NoError(t, err)
			require.Equal(t, okStatus(cc.op), resp.StatusCode, "body: %s", body)

			reqs := rec.requests()
			require.Len(t, reqs, 1)
			got := reqs[0]
			assert.Equal(t, opMethod(cc.op), got.Method)
			assert.Equal(t, cc.path, got.URL.Path)
			assert.Equal(t, "Zoho-oauthtoken test", got.Header.Get("Authorization"))
			for k, v := range cc.header {
				assert.Equal(t, v, got.Header.Get(k), k)
			}
			if cc.ids == nil {
				assert.Equal(t, cc.query, got.URL.RawQuery)
			} else {
				// Commas may be sent literally (form, explode=false) or
				// percent-encoded; both decode to the same list.
				assert.Contains(t, []string{
					"ids=" + strings.Join(cc.ids, ","),
					"ids=" + strings.Join(cc.ids, "%2C"),
				}, got.URL.RawQuery)
				assert.Equal(t, []string{strings.Join(cc.ids, ",")}, got.URL.Query()["ids"])
			}

			sent, err := io.ReadAll(got.Body)
			require.NoError(t, err)
			if cc.body == "" {
				assert.Empty(t, sent, "no body")
			} else {
				assert.JSONEq(t, cc.body, string(sent))
				assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			}
			got.Body = io.NopCloser(bytes.NewReader(sent))

			t.Logf("sent %s %s?%s %s", got.Method, got.URL.Path, got.URL.RawQuery, sent)
			vd := validator.ValidateRequest(got)
			assert.Equal(t, cc.op, vd.Operation)
			assert.True(t, vd.ListedServer, "a loopback host counts as the sandbox server")
			assert.Truef(t, vd.OK(), "request %s: %s", got.URL, describe(vd))

			vd = validator.ValidateResponse(got, contract.Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body})
			assert.Equal(t, cc.op, vd.Operation)
			assert.Truef(t, vd.OK(), "response: %s", describe(vd))
		})
	}
}

// TestGeneratedClientWithoutToken checks that a request without an
// Authorization header is refused by the security check.
func TestGeneratedClientWithoutToken(t *testing.T) {
	t.Parallel()
	for _, cc := range clientCalls() {
		t.Run(cc.op, func(t *testing.T) {
			t.Parallel()
			rec := newRecorder(t)
			resp, err := cc.call(t.Context(), rec.client(t))
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())

			reqs := rec.requests()
			require.Len(t, reqs, 1)
			assert.Empty(t, reqs[0].Header.Values("Authorization"))
			vd := validator.ValidateRequest(reqs[0])
			assert.Equal(t, cc.op, vd.Operation)
			require.Errorf(t, vd.Kin, "kin-openapi accepted a request without Authorization: %s", describe(vd))
			assert.Contains(t, vd.Kin.Error(), "security requirements failed")
			// libopenapi-validator checks that the apiKey header is present,
			// so it refuses the request too.
			assert.Equalf(t, byBoth, vd.CaughtBy(), "%s", describe(vd))
		})
	}
}

// TestGeneratedClientBatchLimit shows that the generated client sends
// whatever ids it is given, and that the spec holds `ids` to Zoho's caps:
// 2,000 characters for territories (100 ids of 19 digits pass, 101 do
// not), 500 for users (25 such ids pass, 26 do not). Batching within them
// belongs to pkg/zohoterritory.
func TestGeneratedClientBatchLimit(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		users bool
		n     int
		ok    bool
	}{{false, 1, true}, {false, 100, true}, {false, 101, false}, {true, 25, true}, {true, 26, false}} {
		t.Run(fmt.Sprintf("users=%t/%d", tt.users, tt.n), func(t *testing.T) {
			t.Parallel()
			ids := make([]string, tt.n)
			for i := range ids {
				ids[i] = fmt.Sprint(5725767000000400000 + i)
			}
			rec := newRecorder(t)
			c := rec.client(t, withToken("test"))
			op := opRemoveTerritoriesFromUser
			var resp *http.Response
			var err error
			if tt.users {
				op = opRemoveUsersFromTerritory
				resp, err = c.RemoveUsersFromTerritory(t.Context(), zohoapi.V7, "5725767000000583004", &zohoapi.RemoveUsersFromTerritoryParams{Ids: strings.Join(ids, ",")})
			} else {
				resp, err = c.RemoveTerritoriesFromUser(t.Context(), zohoapi.V7, "5725767000000583004", &zohoapi.RemoveTerritoriesFromUserParams{Ids: strings.Join(ids, ",")})
			}
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())

			reqs := rec.requests()
			require.Len(t, reqs, 1)
			assert.Len(t, strings.Split(reqs[0].URL.Query().Get("ids"), ","), tt.n)
			vd := validator.ValidateRequest(reqs[0])
			assert.Equal(t, op, vd.Operation)
			if tt.ok {
				assert.Truef(t, vd.OK(), "%d ids: %s", tt.n, describe(vd))
			} else {
				assert.Equalf(t, byBoth, vd.CaughtBy(), "%d ids: %s", tt.n, describe(vd))
			}
		})
	}
}
