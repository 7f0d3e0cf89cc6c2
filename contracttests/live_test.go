package contracttests

// Live mode sends the twenty-five operations to a real Zoho CRM organisation
// with the generated client and validates each real request and response
// with both validators: first the nine reads (the organization's, the
// directory's, then the memberships'), then the four removals, then the
// three adds, which put the removed memberships back; then the territories'
// lifecycle: it creates four territories under ZOHO_LIVE_TERRITORY_ID (named
// zohoterritory-live-<time>-a to -d), updates two, lists the children of
// ZOHO_LIVE_TERRITORY_ID, counts the users of every territory, and deletes
// the four again, two of them with transfer_and_delete (their children,
// none, going to ZOHO_LIVE_TERRITORY_ID). It is skipped
// unless every variable below is set:
//
//	ZOHO_LIVE=1                 opt in; the calls REALLY REMOVE memberships,
//	                            so use a sandbox or developer org
//	ZOHO_ACCESS_TOKEN           an access token with ZohoCRM.settings.territories.ALL,
//	                            ZohoCRM.users.ALL and ZohoCRM.org.READ (never printed);
//	                            the org needs room for four more territories
//	ZOHO_API_DOMAIN             the token reply's api_domain, e.g. https://sandbox.zohoapis.eu
//	ZOHO_LIVE_TERRITORY_ID      territory for getTerritory, the reads of users, removeUserFromTerritory,
//	                            removeTerritoryFromUser and addUserToTerritory, and the parent of the
//	                            territories the lifecycle creates and deletes
//	ZOHO_LIVE_USER_ID           user for getUser, the reads of territories, removeUserFromTerritory,
//	                            removeTerritoryFromUser, removeTerritoriesFromUser,
//	                            addUserToTerritory and addTerritoriesToUser
//	ZOHO_LIVE_USER_IDS          comma-separated users for removeUsersFromTerritory and
//	                            addUsersToTerritory (from and to ZOHO_LIVE_TERRITORY_ID)
//	ZOHO_LIVE_TERRITORY_IDS     comma-separated territories for removeTerritoriesFromUser
//	                            and addTerritoriesToUser
//	ZOHO_LIVE_VERSION           optional API version, default v8
//
// Any documented answer passes, not only 200: the second call on the same
// membership is answered with an error item, and a read of a membership
// that is not there with 204, which are part of the contract too. The reads
// ask for the first page only. The calls run in the order of `operations`:
// the adds at the end give back the memberships the removals took (an add of
// a membership that is there already is DUPLICATE_DATA, which also passes);
// check the org afterwards all the same.
//
// Example:
//
//	ZOHO_LIVE=1 ZOHO_ACCESS_TOKEN=... ZOHO_API_DOMAIN=https://sandbox.zohoapis.com \
//	ZOHO_LIVE_TERRITORY_ID=... ZOHO_LIVE_USER_ID=... ZOHO_LIVE_USER_IDS=...,... \
//	ZOHO_LIVE_TERRITORY_IDS=...,... go test -run TestLive -v ./contracttests/

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// maxLiveBody caps what is read of a live response (go-github and x/oauth2
// use the same 1 MiB limit).
const maxLiveBody = 1 << 20

// liveConfig is what live mode needs; token is a secret.
type liveConfig struct {
	token        string
	apiDomain    string
	version      zohoapi.ApiVersion
	territoryID  string
	userID       string
	userIDs      []string
	territoryIDs []string
}

// liveConfigFromEnv reads the variables documented at the top of this file.
// It reports ok=false, with the names of the missing variables, when live
// mode is not fully configured.
func liveConfigFromEnv(getenv func(string) string) (cfg liveConfig, missing []string, err error) {
	get := func(name string) string {
		v := strings.TrimSpace(getenv(name))
		if v == "" {
			missing = append(missing, name)
		}
		return v
	}
	if getenv("ZOHO_LIVE") != "1" {
		return cfg, []string{"ZOHO_LIVE=1"}, nil
	}
	split := func(s string) []string {
		var out []string
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	cfg = liveConfig{
		token:        get("ZOHO_ACCESS_TOKEN"),
		apiDomain:    strings.TrimRight(get("ZOHO_API_DOMAIN"), "/"),
		territoryID:  get("ZOHO_LIVE_TERRITORY_ID"),
		userID:       get("ZOHO_LIVE_USER_ID"),
		userIDs:      split(get("ZOHO_LIVE_USER_IDS")),
		territoryIDs: split(get("ZOHO_LIVE_TERRITORY_IDS")),
		version:      zohoapi.V8,
	}
	if v := strings.TrimSpace(getenv("ZOHO_LIVE_VERSION")); v != "" {
		cfg.version = zohoapi.ApiVersion(v)
		if !cfg.version.Valid() {
			return cfg, nil, fmt.Errorf("ZOHO_LIVE_VERSION: %q is not a version of the spec", v)
		}
	}
	if len(missing) > 0 {
		return cfg, missing, nil
	}
	u, err := url.Parse(cfg.apiDomain)
	if err != nil || u.Host == "" {
		return cfg, nil, fmt.Errorf("ZOHO_API_DOMAIN: %q is not an absolute URL", cfg.apiDomain)
	}
	if ip := net.ParseIP(u.Hostname()); u.Scheme != "https" && (ip == nil || !ip.IsLoopback()) {
		// The token would travel in clear text.
		return cfg, nil, fmt.Errorf("ZOHO_API_DOMAIN: %q must use https", cfg.apiDomain)
	}
	return cfg, nil, nil
}

// liveResult is one live call: what the validators said about the request
// the client sent and the response it got.
type liveResult struct {
	op       string
	status   int
	summary  string // the codes in the answer, comma-separated
	request  contract.Verdict
	response contract.Verdict
	err      error
}

// redact removes secret from s.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "<redacted>")
}

// report spells r out for a log line, with the token redacted.
func (r liveResult) report(token string) string {
	if r.err != nil {
		return redact(fmt.Sprintf("%s: %v", r.op, r.err), token)
	}
	return redact(fmt.Sprintf("%s: %d %s\n\trequest: %s\n\tresponse: %s", r.op, r.status, r.summary, describe(r.request), describe(r.response)), token)
}

// runLive sends the twenty-five operations with the generated client through hc
// and validates each request as sent and each response as received.
func runLive(ctx context.Context, cfg liveConfig, hc *http.Client) []liveResult {
	c, err := zohoapi.NewClient(cfg.apiDomain,
		zohoapi.WithHTTPClient(hc),
		zohoapi.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Zoho-oauthtoken "+cfg.token)
			return nil
		}))
	if err != nil {
		return []liveResult{{op: "NewClient", err: err}}
	}
	calls := []struct {
		op   string
		call func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error)
	}{
		{opGetOrganization, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.GetOrganization(ctx, cfg.version, capture)
		}},
		{opListUsers, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			allUsers := zohoapi.AllUsers
			return c.ListUsers(ctx, cfg.version, &zohoapi.ListUsersParams{Type: &allUsers}, capture)
		}},
		{opGetUser, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.GetUser(ctx, cfg.version, cfg.userID, &zohoapi.GetUserParams{}, capture)
		}},
		{opListTerritories, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.ListTerritories(ctx, cfg.version, &zohoapi.ListTerritoriesParams{}, capture)
		}},
		{opGetTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.GetTerritory(ctx, cfg.version, cfg.territoryID, &zohoapi.GetTerritoryParams{}, capture)
		}},
		{opListUsersOfTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.ListUsersOfTerritory(ctx, cfg.version, cfg.territoryID, &zohoapi.ListUsersOfTerritoryParams{}, capture)
		}},
		{opGetUserOfTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.GetUserOfTerritory(ctx, cfg.version, cfg.territoryID, cfg.userID, capture)
		}},
		{opListTerritoriesOfUser, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.ListTerritoriesOfUser(ctx, cfg.version, cfg.userID, &zohoapi.ListTerritoriesOfUserParams{}, capture)
		}},
		{opGetTerritoryOfUser, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.GetTerritoryOfUser(ctx, cfg.version, cfg.userID, cfg.territoryID, capture)
		}},
		{opRemoveUserFromTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.RemoveUserFromTerritory(ctx, cfg.version, cfg.territoryID, cfg.userID, capture)
		}},
		{opRemoveUsersFromTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.RemoveUsersFromTerritory(ctx, cfg.version, cfg.territoryID, &zohoapi.RemoveUsersFromTerritoryParams{Ids: strings.Join(cfg.userIDs, ",")}, capture)
		}},
		{opRemoveTerritoryFromUser, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.RemoveTerritoryFromUser(ctx, cfg.version, cfg.userID, cfg.territoryID, capture)
		}},
		{opRemoveTerritoriesFromUser, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.RemoveTerritoriesFromUser(ctx, cfg.version, cfg.userID, &zohoapi.RemoveTerritoriesFromUserParams{Ids: strings.Join(cfg.territoryIDs, ",")}, capture)
		}},
		{opAddUserToTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.AddUserToTerritory(ctx, cfg.version, cfg.territoryID, cfg.userID, capture)
		}},
		{opAddUsersToTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.AddUsersToTerritory(ctx, cfg.version, cfg.territoryID, zohoapi.UsersToAdd{Users: refsOf(cfg.userIDs)}, capture)
		}},
		{opAddTerritoriesToUser, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.AddTerritoriesToUser(ctx, cfg.version, cfg.userID, zohoapi.TerritoriesToAdd{Territories: refsOf(cfg.territoryIDs)}, capture)
		}},
	}
	calls = append(calls, liveLifecycle(c, cfg)...) //nolint:bodyclose // liveCall reads and closes every answer
	results := make([]liveResult, 0, len(calls))
	for _, call := range calls {
		results = append(results, liveCall(ctx, call.op, call.call))
	}
	return results
}

// liveLifecycle is live mode's second half: four territories created under
// cfg.territoryID, two updated, the children and the counts read, and the
// four deleted, in the order of `operations`. The ids come from the
// create's answer; one it did not give is "1", which names no territory, so
// the calls that need it get Zoho's refusal (which passes too).
func liveLifecycle(c *zohoapi.Client, cfg liveConfig) []struct {
	op   string
	call func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error)
} {
	stamp := fmt.Sprintf("zohoterritory-live-%d", time.Now().Unix())
	created := []string{"1", "1", "1", "1"}
	body := func(v any) io.Reader {
		b, _ := json.Marshal(v) // maps and strings only
		return strings.NewReader(string(b))
	}
	type obj = map[string]any
	return []struct {
		op   string
		call func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error)
	}{
		{opCreateTerritories, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			var ts []obj
			for _, suffix := range []string{"a", "b", "c", "d"} {
				ts = append(ts, obj{"name": stamp + "-" + suffix, "reporting_to": obj{"id": cfg.territoryID}, "permission_type": "read_write_delete"})
			}
			resp, err := c.CreateTerritoriesWithBody(ctx, cfg.version, "application/json", body(obj{"territories": ts}), capture)
			if err != nil {
				return nil, err
			}
			// The new ids, for the calls that follow; the body is put
			// back for liveCall to read.
			raw, err := io.ReadAll(io.LimitReader(resp.Body, maxLiveBody+1))
			_ = resp.Body.Close()
			resp.Body = io.NopCloser(strings.NewReader(string(raw)))
			if err != nil {
				return resp, nil
			}
			var env struct {
				Territories []struct {
					Details struct {
						ID string `json:"id"`
					} `json:"details"`
				} `json:"territories"`
			}
			if json.Unmarshal(raw, &env) == nil {
				for i, it := range env.Territories {
					if i < len(created) && it.Details.ID != "" {
						created[i] = it.Details.ID
					}
				}
			}
			return resp, nil
		}},
		{opUpdateTerritories, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.UpdateTerritoriesWithBody(ctx, cfg.version, "application/json",
				body(obj{"territories": []obj{{"id": created[0], "name": stamp + "-a2", "permission_type": "read_write_delete"}}}), capture)
		}},
		{opUpdateTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.UpdateTerritoryWithBody(ctx, cfg.version, created[1], "application/json",
				body(obj{"territories": []obj{{"description": "made by zohoterritory's live mode", "permission_type": "read_write_delete"}}}), capture)
		}},
		{opGetChildTerritories, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.GetChildTerritories(ctx, cfg.version, cfg.territoryID, &zohoapi.GetChildTerritoriesParams{}, capture)
		}},
		{opGetAssociatedUsersCount, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.GetAssociatedUsersCount(ctx, cfg.version, &zohoapi.GetAssociatedUsersCountParams{}, capture)
		}},
		{opTransferAndDeleteTerritories, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.TransferAndDeleteTerritoriesWithBody(ctx, cfg.version, "application/json",
				body(obj{"territories": []obj{{"id": created[2], "transfer_to_id": cfg.territoryID, "delete_previous_forecasts": false}}}), capture)
		}},
		{opTransferAndDeleteTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.TransferAndDeleteTerritoryWithBody(ctx, cfg.version, created[3], "application/json",
				body(obj{"territories": []obj{{"transfer_to_id": cfg.territoryID, "delete_previous_forecasts": false}}}), capture)
		}},
		{opDeleteTerritories, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.DeleteTerritories(ctx, cfg.version, &zohoapi.DeleteTerritoriesParams{Ids: created[0], DeletePreviousForecasts: false}, capture)
		}},
		{opDeleteTerritory, func(ctx context.Context, capture zohoapi.RequestEditorFn) (*http.Response, error) {
			return c.DeleteTerritory(ctx, cfg.version, created[1], &zohoapi.DeleteTerritoryParams{DeletePreviousForecasts: false}, capture)
		}},
	}
}

func liveCall(ctx context.Context, op string, call func(context.Context, zohoapi.RequestEditorFn) (*http.Response, error)) liveResult {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var sent *http.Request
	// Editors run in order, so this one sees the request as it will be
	// sent, Authorization included.
	capture := func(ctx context.Context, req *http.Request) error {
		sent = req.Clone(context.WithoutCancel(ctx))
		if req.GetBody != nil {
			// The clone shares the body the transport will read; the
			// validators read a fresh copy.
			body, err := req.GetBody()
			if err != nil {
				return err
			}
			sent.Body = body
		}
		return nil
	}
	resp, err := call(ctx, capture)
	if err != nil {
		return liveResult{op: op, err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxLiveBody+1))
	if err != nil {
		return liveResult{op: op, status: resp.StatusCode, err: fmt.Errorf("read body: %w", err)}
	}
	if len(body) > maxLiveBody {
		return liveResult{op: op, status: resp.StatusCode, err: errors.New("body over 1 MiB")}
	}
	if sent == nil {
		return liveResult{op: op, err: errors.New("request was not captured")}
	}
	var summary []string
	decoded := decodeOrNil(body)
	if entries, _ := entriesOf(decoded); len(entries) > 0 {
		for _, e := range entries {
			summary = append(summary, e.code)
		}
	} else if isReadPage(decoded) {
		for _, key := range envelopeKeys {
			if recs, ok := decoded.(map[string]any)[key].([]any); ok {
				summary = append(summary, fmt.Sprintf("%d %s", len(recs), key))
			}
		}
	}
	return liveResult{
		op:       op,
		status:   resp.StatusCode,
		summary:  strings.Join(summary, ","),
		request:  validator.ValidateRequest(sent),
		response: validator.ValidateResponse(sent, contract.Response{StatusCode: resp.StatusCode, Header: resp.Header, Body: body}),
	}
}

func decodeOrNil(b []byte) any {
	var v any
	if jsonErr := json.Unmarshal(b, &v); jsonErr != nil {
		return nil
	}
	return v
}

// checkLive asserts on results without letting the token reach the output.
func checkLive(t *testing.T, token string, results []liveResult) {
	t.Helper()
	require.Len(t, results, len(operations))
	for i, r := range results {
		t.Log(r.report(token))
		assert.Equal(t, operations[i], r.op)
		if !assert.Nilf(t, r.err, "%s", r.report(token)) {
			continue
		}
		assert.Equalf(t, r.op, r.request.Operation, "%s", r.report(token))
		assert.Truef(t, r.request.ListedServer, "the API domain is not a server of the spec: %s", r.report(token))
		assert.Truef(t, r.request.OK(), "request rejected: %s", r.report(token))
		assert.Truef(t, r.response.OK(), "response rejected: %s", r.report(token))
	}
}

// TestLive runs live mode; see the top of this file.
func TestLive(t *testing.T) {
	cfg, missing, err := liveConfigFromEnv(os.Getenv)
	if len(missing) > 0 {
		t.Skipf("live mode needs %s", strings.Join(missing, ", "))
	}
	require.NoError(t, err)
	results := runLive(t.Context(), cfg, &http.Client{Timeout: time.Minute})
	checkLive(t, cfg.token, results)
}

// TestLiveHarness runs live mode's code against a local server, so that it
// is known to work (and to keep the token out of its reports) before anyone
// points it at a real org.
func TestLiveHarness(t *testing.T) {
	t.Parallel()
	const token = "1000.livetoken-under-test"
	var (
		mu   sync.Mutex
		seen []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		if op := operationOf(r.Method, r.URL.Path); op != "" {
			w.Header().Set("Content-Type", "application/json;charset=UTF-8")
			w.WriteHeader(okStatus(op))
			_, _ = io.WriteString(w, okBodies[op])
			return
		}
		w.WriteHeader(http.StatusNotFound)
	}))
	t.Cleanup(srv.Close)

	env := map[string]string{
		"ZOHO_LIVE":               "1",
		"ZOHO_ACCESS_TOKEN":       token,
		"ZOHO_API_DOMAIN":         srv.URL,
		"ZOHO_LIVE_TERRITORY_ID":  "431581000000744113",
		"ZOHO_LIVE_USER_ID":       "5725767000000583004",
		"ZOHO_LIVE_USER_IDS":      "431581000000258001, 431581000000258002",
		"ZOHO_LIVE_TERRITORY_IDS": "5725767000000452115,5725767000000454003",
		"ZOHO_LIVE_VERSION":       "v7",
	}
	cfg, missing, err := liveConfigFromEnv(func(k string) string { return env[k] })
	require.NoError(t, err)
	require.Empty(t, missing)
	assert.Equal(t, []string{"431581000000258001", "431581000000258002"}, cfg.userIDs)

	results := runLive(t.Context(), cfg, srv.Client())
	checkLive(t, token, results)

	mu.Lock()
	want := make([]string, len(operations))
	for i := range want {
		want[i] = "Zoho-oauthtoken " + token
	}
	assert.Equal(t, want, seen)
	mu.Unlock()
	for _, r := range results {
		assert.NotContains(t, r.report(token), token)
		// A failing validator would quote what it saw; the report must
		// still hide the token.
		r.err = errors.New("header Authorization: Zoho-oauthtoken " + token)
		assert.Equal(t, r.op+": header Authorization: Zoho-oauthtoken <redacted>", r.report(token))
	}
}

// TestLiveConfig checks the refusals of liveConfigFromEnv.
func TestLiveConfig(t *testing.T) {
	t.Parallel()
	full := map[string]string{
		"ZOHO_LIVE":               "1",
		"ZOHO_ACCESS_TOKEN":       "1000.xxxx.xxxx",
		"ZOHO_API_DOMAIN":         "https://sandbox.zohoapis.eu/",
		"ZOHO_LIVE_TERRITORY_ID":  "1",
		"ZOHO_LIVE_USER_ID":       "2",
		"ZOHO_LIVE_USER_IDS":      "3,4",
		"ZOHO_LIVE_TERRITORY_IDS": "5,6",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for a, b := range full {
			m[a] = b
		}
		m[k] = v
		return m
	}
	tests := []struct {
		name        string
		env         map[string]string
		wantMissing []string
		wantErr     string
	}{
		{"complete", full, nil, ""},
		{"not_opted_in", with("ZOHO_LIVE", ""), []string{"ZOHO_LIVE=1"}, ""},
		{"no_token", with("ZOHO_ACCESS_TOKEN", " "), []string{"ZOHO_ACCESS_TOKEN"}, ""},
		{"no_ids", with("ZOHO_LIVE_TERRITORY_IDS", ""), []string{"ZOHO_LIVE_TERRITORY_IDS"}, ""},
		{"plain_http", with("ZOHO_API_DOMAIN", "http://www.zohoapis.com"), nil, "must use https"},
		{"bad_version", with("ZOHO_LIVE_VERSION", "v9"), nil, "ZOHO_LIVE_VERSION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg, missing, err := liveConfigFromEnv(func(k string) string { return tt.env[k] })
			assert.Equal(t, tt.wantMissing, missing)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				assert.NotContains(t, err.Error(), full["ZOHO_ACCESS_TOKEN"])
				return
			}
			require.NoError(t, err)
			if tt.wantMissing == nil {
				assert.Equal(t, "https://sandbox.zohoapis.eu", cfg.apiDomain)
				assert.Equal(t, zohoapi.V8, cfg.version)
			}
		})
	}
}
