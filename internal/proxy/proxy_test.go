package proxy

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/record"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// validator is shared by every test: loading the spec into both validators
// is the slow part. It is safe for concurrent use.
var validator *contract.Validator

func TestMain(m *testing.M) {
	v, err := contract.New()
	if err != nil {
		fmt.Fprintln(os.Stderr, "proxy: load the spec:", err)
		os.Exit(1)
	}
	validator = v
	os.Exit(m.Run())
}

// The demo org's ids (zohoterritorytest.DefaultSeed).
const (
	ava, chloe, dev, eve = "5725767000000411001", "5725767000000411003", "5725767000000411004", "5725767000000411005"
	org, na, eu, west    = "5725767000000452001", "5725767000000452002", "5725767000000452003", "5725767000000452004"
)

// env is a proxy in front of a sandbox, recording into dir.
type env struct {
	srv   *zohoterritorytest.Server
	proxy *Proxy
	http  *httptest.Server
	dir   string
	log   *testkit.SyncBuffer

	mu    sync.Mutex
	auths []string // the Authorization headers the sandbox received
}

func setup(t *testing.T, scrub *record.Scrubber, sopts ...zohoterritorytest.Option) *env {
	t.Helper()
	e := &env{log: &testkit.SyncBuffer{}, dir: filepath.Join(t.TempDir(), "recordings")}
	sopts = append(sopts, zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Arrived: func(r *http.Request) {
		e.mu.Lock()
		e.auths = append(e.auths, r.Header.Get("Authorization"))
		e.mu.Unlock()
	}}))
	srv, err := zohoterritorytest.NewServer(sopts...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	e.srv = srv
	dir, err := record.CreateDir(e.dir)
	require.NoError(t, err)
	e.proxy, err = New(srv.URL(), WithAccountsTarget(srv.URL()), WithValidator(validator), WithLog(e.log),
		WithRecording(dir), WithScrubber(scrub))
	require.NoError(t, err)
	e.http = httptest.NewServer(e.proxy)
	t.Cleanup(e.http.Close)
	return e
}

// client is the Go client pointed at the proxy for both the API and the
// token endpoint, with the refresh-token flow, retrying at once.
func (e *env) client(t *testing.T) *zohoterritory.Client {
	t.Helper()
	oc := e.srv.OAuthClient()
	c, err := zohoterritory.New(
		zohoterritory.WithAPIDomain(e.http.URL),
		zohoterritory.WithAccountsURL(e.http.URL),
		zohoterritory.WithRefreshToken(oc.ClientID, oc.ClientSecret, oc.RefreshToken),
		zohoterritory.WithConcurrency(1),
		zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 6, Budget: 20, AttemptTimeout: 30 * time.Second}),
	)
	require.NoError(t, err)
	return c
}

// secrets are every credential the run used: the sandbox's, and each token
// the sandbox was sent.
func (e *env) secrets() []zohoterritorytest.Secret {
	oc := e.srv.OAuthClient()
	out := []zohoterritorytest.Secret{
		{Name: "access token", Value: e.srv.AccessToken()},
		{Name: "client id", Value: oc.ClientID},
		{Name: "client secret", Value: oc.ClientSecret},
		{Name: "refresh token", Value: oc.RefreshToken},
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, a := range e.auths {
		if tok, ok := strings.CutPrefix(a, "Zoho-oauthtoken "); ok {
			out = append(out, zohoterritorytest.Secret{Name: fmt.Sprintf("token sent in request %d", i+1), Value: tok})
		}
	}
	return out
}

// files returns the contents of every file under the recording directory.
func (e *env) files(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, path := range recordedFiles(t, e.dir) {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		out[path] = string(b)
	}
	return out
}

// recordedFiles lists the files a recording directory holds: the cases and
// those of its accounts subdirectory (the only one the proxy makes).
func recordedFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"*", filepath.Join("accounts", "*")} {
		paths, err := filepath.Glob(filepath.Join(dir, pattern))
		require.NoError(t, err)
		for _, p := range paths {
			if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
				out = append(out, p)
			}
		}
	}
	return out
}

// drive runs reads, removals and adds of every operation family through c.
func drive(t *testing.T, c *zohoterritory.Client) {
	t.Helper()
	ctx := t.Context()
	_, err := c.TerritoriesOfUser(ctx, dev)
	require.NoError(t, err)
	_, err = c.UsersOfTerritory(ctx, na)
	require.NoError(t, err)
	_, _, err = c.TerritoryOfUser(ctx, chloe, west)
	require.NoError(t, err)
	res, err := c.RemoveTerritoriesFromUser(ctx, chloe, west, na)
	require.NoError(t, err)
	assert.Empty(t, res.Unknown())
	_, err = c.RemoveUsersFromTerritory(ctx, eu, chloe, eve) // eve manages Europe: 207
	require.NoError(t, err)
	_, err = c.RemoveUsersFromTerritory(ctx, na, chloe) // gone already: 400
	require.NoError(t, err)
	// The adds put it back: PUTs with a body (both directions) and without.
	_, err = c.AddTerritoriesToUser(ctx, chloe, west, na)
	require.NoError(t, err)
	_, err = c.AddUsersToTerritory(ctx, eu, chloe, eve) // eve is a member still: 207
	require.NoError(t, err)
	_, err = c.AddUsersToTerritory(ctx, na, chloe) // back already: DUPLICATE_DATA
	require.NoError(t, err)
}

// TestProxyInFrontOfSandbox drives the Go client through the proxy to the
// sandbox under each fault: every exchange is logged, the answers the spec
// does not describe are violations, every complete exchange is recorded,
// the recordings load as contract cases and get the proxy's verdict again,
// and no secret is in the log or the recordings.
func TestProxyInFrontOfSandbox(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name           string
		faults         []zohoterritorytest.Fault
		violations     int
		errors         int
		wantInLog      string
		wantViolations string // in the log, when violations > 0
	}{
		{name: "no fault", wantInLog: "removeTerritoriesFromUser 200 ok"},
		{name: "429", faults: []zohoterritorytest.Fault{{Kind: zohoterritorytest.FaultRateLimit, Count: 2}}, wantInLog: " 429 ok"},
		{name: "extra items", faults: []zohoterritorytest.Fault{{Kind: zohoterritorytest.FaultExtraItems, Count: 1, Every: 4}}, wantInLog: " 207 ok"},
		{name: "500 then 503", faults: []zohoterritorytest.Fault{{Kind: zohoterritorytest.FaultServerError, Count: 2}}, violations: 1, wantInLog: " 500 ok",
			wantViolations: " 503 VIOLATION (both): response: "},
		{name: "html 502", faults: []zohoterritorytest.Fault{{Kind: zohoterritorytest.FaultHTML502, Count: 1}}, violations: 1,
			wantViolations: " 502 VIOLATION (both): response: "},
		{name: "truncated json", faults: []zohoterritorytest.Fault{{Kind: zohoterritorytest.FaultTruncate, Count: 1, Every: 4}}, violations: 1,
			wantViolations: " VIOLATION (both): response: "},
		// The 4th API request, a removal: net/http re-sends a GET whose
		// reused connection is reset before any answer, as any reverse
		// proxy does, but never a DELETE.
		{name: "reset before", faults: []zohoterritorytest.Fault{{Kind: zohoterritorytest.FaultResetBefore, Count: 1, Every: 4}}, errors: 1,
			wantInLog: " - ERROR: the target did not answer: "},
		{name: "reset during", faults: []zohoterritorytest.Fault{{Kind: zohoterritorytest.FaultResetDuring, Count: 1}}, errors: 1,
			wantInLog: "ERROR: the answer's body was cut off after "},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := setup(t, record.NewScrubber(false), zohoterritorytest.WithFaults(tt.faults...))
			drive(t, e.client(t))
			e.http.Close() // waits for every exchange to be accounted for
			require.NoError(t, e.srv.WaitIdle(t.Context()))

			st := e.proxy.Stats()
			log := e.log.String()
			lines := strings.Split(strings.TrimSpace(log), "\n")
			assert.Len(t, lines, st.Exchanges, log)
			assert.Equal(t, len(e.srv.Requests()), st.Exchanges, log)
			assert.Equal(t, 1, st.Tokens, "one refresh through the proxy")
			assert.Equal(t, tt.violations, st.Violations, log)
			assert.Equal(t, tt.errors, st.Errors, log)
			assert.Zero(t, st.Refused+st.NotInSpec)
			assert.Equal(t, st.OK+st.Violations+st.Tokens, st.Recorded, "every complete exchange is recorded")
			if tt.wantInLog != "" {
				assert.Contains(t, log, tt.wantInLog)
			}
			if tt.violations > 0 {
				assert.Contains(t, log, tt.wantViolations)
			}
			assert.Regexp(t, `(?m)^0001 POST /oauth/v2/token \(token endpoint\) 200 recorded$`, log)

			// The recordings are contract cases, and get the same verdict.
			cases, err := contract.ReadCases(e.dir)
			require.NoError(t, err)
			assert.Len(t, cases, st.OK+st.Violations)
			failing := 0
			for _, c := range cases {
				assert.Regexp(t, `^\d{4}_(list|get|remove|add)\w+_\d{3}$`, c.Name)
				assert.Regexp(t, `^Recorded by zohoterritory-contract proxy on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ: `, c.Description)
				vd, err := validator.Validate(c)
				require.NoError(t, err)
				req, err := c.HTTPRequest()
				require.NoError(t, err)
				rq := validator.ValidateRequest(req)
				assert.True(t, rq.OK(), "%s: %s", c.Name, rq)
				if !vd.OK() {
					failing++
					assert.Contains(t, c.Description, "it broke the contract: response: ")
				}
			}
			assert.Equal(t, tt.violations, failing)
			tokens, err := contract.ReadCases(filepath.Join(e.dir, "accounts"))
			require.NoError(t, err)
			require.Len(t, tokens, 1)
			assert.Equal(t, "0001_token_200", tokens[0].Name)
			var reply map[string]any
			require.NoError(t, json.Unmarshal(tokens[0].Response.Body, &reply))
			assert.Equal(t, record.Redacted, reply["access_token"])
			assert.Equal(t, e.srv.URL(), reply["api_domain"], "the accounts server's own answer")

			for path, text := range e.files(t) {
				assert.Empty(t, zohoterritorytest.FindSecrets(text, e.secrets()...), path)
			}
			assert.Empty(t, zohoterritorytest.FindSecrets(log, e.secrets()...), "log")

			// The client converged through the proxy.
			assert.Contains(t, e.srv.Members(west), chloe, "removed, and added back")
			assert.Contains(t, e.srv.Members(na), chloe)
			assert.Contains(t, e.srv.Members(eu), chloe)
		})
	}
}

// TestProxyPseudonymize: with pseudonymization no real id, e-mail address
// or name reaches the recordings, and they still validate.
func TestProxyPseudonymize(t *testing.T) {
	t.Parallel()
	e := setup(t, record.NewScrubber(true))
	drive(t, e.client(t))
	e.http.Close()

	st := e.proxy.Stats()
	require.Zero(t, st.Violations, e.log.String())
	seed := zohoterritorytest.DefaultSeed()
	var real []zohoterritorytest.Secret
	for _, u := range seed.Users {
		real = append(real, zohoterritorytest.Secret{Name: "user id " + u.ID, Value: u.ID},
			zohoterritorytest.Secret{Name: "e-mail " + u.Email, Value: u.Email},
			zohoterritorytest.Secret{Name: "name " + u.FullName, Value: u.FullName})
	}
	for _, tr := range seed.Territories {
		real = append(real, zohoterritorytest.Secret{Name: "territory id " + tr.ID, Value: tr.ID},
			zohoterritorytest.Secret{Name: "territory name " + tr.Name, Value: tr.Name})
	}
	files := e.files(t)
	require.Len(t, files, st.Recorded)
	for path, text := range files {
		assert.Empty(t, zohoterritorytest.FindSecrets(text, real...), path)
		assert.Empty(t, zohoterritorytest.FindSecrets(text, e.secrets()...), path)
	}
	assert.Empty(t, zohoterritorytest.FindSecrets(e.log.String(), real...), "log")

	cases, err := contract.ReadCases(e.dir)
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	for _, c := range cases {
		vd, err := validator.Validate(c)
		require.NoError(t, err)
		assert.True(t, vd.OK(), "%s: %s", c.Name, vd)
		assert.Contains(t, c.Description, "stand-ins")
	}
}

// TestProxyRedirects: a redirect to the target's own host is passed on,
// made relative; one to another host is refused with a 502 and counted.
func TestProxyRedirects(t *testing.T) {
	t.Parallel()
	const path = "/crm/v7/settings/territories/" + na + "/users/" + dev
	var target *httptest.Server
	target = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("to") {
		case "self":
			http.Redirect(w, r, target.URL+path+"?page=1", http.StatusFound)
		case "other":
			http.Redirect(w, r, "https://evil.example/steal?access_token=x", http.StatusTemporaryRedirect)
		}
	}))
	t.Cleanup(target.Close)
	var log testkit.SyncBuffer
	p, err := New(target.URL, WithValidator(validator), WithLog(&log))
	require.NoError(t, err)
	hs := httptest.NewServer(p)
	t.Cleanup(hs.Close)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	for _, tt := range []struct {
		to       string
		status   int
		location string
		body     string
	}{
		{"self", http.StatusFound, path + "?page=1", ""},
		{"other", http.StatusBadGateway, "", "zohoterritory-contract proxy: refused a redirect to another host (https://evil.example); it forwards only to " + target.URL},
	} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, hs.URL+path+"?to="+tt.to, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Zoho-oauthtoken 1000.abcdefabcdef.abcdef")
		resp, err := noFollow.Do(req)
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, tt.status, resp.StatusCode, tt.to)
		assert.Equal(t, tt.location, resp.Header.Get("Location"), tt.to)
		if tt.body != "" {
			assert.Equal(t, tt.body, strings.TrimSpace(string(b)))
		}
	}
	hs.Close()
	st := p.Stats()
	assert.Equal(t, 1, st.Refused)
	assert.Equal(t, 1, st.Violations, "a 302 is no answer of the spec")
	assert.Equal(t, 2, st.Failed())
	assert.Contains(t, log.String(), "0002 GET "+path+"?to=other getUserOfTerritory 307 REFUSED: redirect to another host (https://evil.example); answered 502\n")
}

// TestProxyRouting: the proxy sends everything to its target whatever the
// Host, tells the API's paths from others, and refuses the token endpoint
// without an accounts target.
func TestProxyRouting(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var hosts []string
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hosts = append(hosts, r.Host)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"code":"INVALID_URL_PATTERN","details":{},"message":"Please check if the URL trying to access is a correct one","status":"error"}`))
	}))
	t.Cleanup(target.Close)
	var log testkit.SyncBuffer
	dir, err := record.CreateDir(filepath.Join(t.TempDir(), "rec"))
	require.NoError(t, err)
	p, err := New(target.URL, WithValidator(validator), WithLog(&log), WithRecording(dir))
	require.NoError(t, err)
	hs := httptest.NewServer(p)
	t.Cleanup(hs.Close)

	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{http.MethodGet, "/favicon.ico", http.StatusNotFound},
		{http.MethodGet, "/crm/v7/settings/territories/" + na + "/nothing", http.StatusNotFound},
		{http.MethodPost, "/oauth/v2/token", http.StatusBadGateway},
	} {
		req, err := http.NewRequestWithContext(t.Context(), tt.method, hs.URL+tt.path, nil)
		require.NoError(t, err)
		req.Host = "evil.example"
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		assert.Equal(t, tt.status, resp.StatusCode, tt.path)
	}
	hs.Close()
	assert.Equal(t, []string{strings.TrimPrefix(target.URL, "http://"), strings.TrimPrefix(target.URL, "http://")}, hosts)
	st := p.Stats()
	assert.Equal(t, Stats{Exchanges: 3, NotInSpec: 1, Violations: 1, Tokens: 1, Errors: 1, Recorded: 1}, st)
	assert.Equal(t, "0001 GET /favicon.ico (not an operation of the spec) 404 passed on unchecked\n"+
		"0002 GET /crm/v7/settings/territories/"+na+"/nothing (no operation) 404 VIOLATION: no operation of the spec is GET /crm/v7/settings/territories/"+na+"/nothing\n"+
		"0003 POST /oauth/v2/token (token endpoint) - ERROR: no accounts target: requests under /oauth/ are refused (--accounts-target); not recorded\n", log.String())
	_, err = os.Stat(filepath.Join(dir.Path(), "0002_unrouted_404.json"))
	assert.NoError(t, err)
}

func TestParseTarget(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, want, err string
	}{
		{in: "https://www.zohoapis.com", want: "https://www.zohoapis.com"},
		{in: "https://www.zohoapis.eu/", want: "https://www.zohoapis.eu"},
		{in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{in: "http://[::1]:8080", want: "http://[::1]:8080"},
		{in: "http://localhost:1", want: "http://localhost:1"},
		{in: "http://www.zohoapis.com", err: "must be https; plain http is allowed only to a loopback host"},
		{in: "https://www.zohoapis.com/crm/v7", err: "must be the host alone"},
		{in: "https://u:p@www.zohoapis.com", err: "must be the host alone"},
		{in: "www.zohoapis.com", err: "must be an absolute http(s) URL"},
		{in: "ftp://127.0.0.1", err: "must be an absolute http(s) URL"},
		{in: "https://u:s3cret@www.zohoapis.com/x", err: `"https://…@www.zohoapis.com/x": must be the host alone`},
		{in: "https://u:s3cret@www.zohoapis.com:bad", err: `"https://…@www.zohoapis.com:bad": invalid port`},
	} {
		u, err := ParseTarget(tt.in)
		if tt.err != "" {
			assert.ErrorContains(t, err, tt.err, tt.in)
			if err != nil {
				assert.NotContains(t, err.Error(), "s3cret", "a target's credentials never reach an error")
			}
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, u.String())
	}
}
