package zohoterritory_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Known secret values: the sandbox and the fake servers below are set up
// with them, and none may ever appear in an error, a log line or a result.
const (
	secAccess        = "1000.access-token-3f9a1c7e.b2d4"
	secWeak          = "1000.weak-token-8d2b6a05.c3e5" // a token with no scope
	secClientID      = "1000.PUBLICCLIENTID"           // not a secret
	secClientSecret  = "client-secret-5e7c9b1d"
	secRefresh       = "1000.refresh-token-a4c8e2f6.d6f8"
	secWrongSecret   = "wrong-client-secret-77aa"
	secWrongRefresh  = "1000.wrong-refresh-42bb.e7a9"
	secLeakedByProxy = "proxy-echo-1b3d5f"
)

var knownSecrets = []zohoterritorytest.Secret{
	{Name: "access token", Value: secAccess},
	{Name: "scope-less access token", Value: secWeak},
	{Name: "client secret", Value: secClientSecret},
	{Name: "refresh token", Value: secRefresh},
	{Name: "wrong client secret", Value: secWrongSecret},
	{Name: "wrong refresh token", Value: secWrongRefresh},
}

// secretSeed is the default org, with the known credentials.
func secretSeed() zohoterritorytest.Seed {
	s := zohoterritorytest.DefaultSeed()
	s.AccessTokens = []zohoterritorytest.Token{
		{AccessToken: secAccess, Scopes: zohoterritorytest.AllScopes()},
		{AccessToken: secWeak},
	}
	s.OAuthClients = []zohoterritorytest.OAuthClient{{
		ClientID: secClientID, ClientSecret: secClientSecret, RefreshToken: secRefresh, Scopes: zohoterritorytest.AllScopes(),
	}}
	return s
}

// leakCheck collects everything a scenario printed or returned, and fails
// the test when any known secret is in it.
type leakCheck struct {
	t       *testing.T
	logs    bytes.Buffer
	logger  *slog.Logger
	runs    int
	secrets []zohoterritorytest.Secret
}

func newLeakCheck(t *testing.T) *leakCheck {
	lc := &leakCheck{t: t, secrets: slices.Clone(knownSecrets)}
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	lc.logger = slog.New(slog.NewMultiHandler(slog.NewTextHandler(&lc.logs, opts), slog.NewJSONHandler(&lc.logs, opts)))
	t.Cleanup(func() {
		assert.Positive(t, lc.runs)
		assert.Contains(t, lc.logs.String(), "retrying", "the retry paths were logged")
		lc.assertClean("logs", lc.logs.String())
	})
	return lc
}

func (lc *leakCheck) assertClean(where, text string) {
	lc.t.Helper()
	if leaks := zohoterritorytest.FindSecrets(text, lc.secrets...); len(leaks) > 0 {
		lc.t.Errorf("%s shows the %s", where, strings.Join(leaks, ", "))
	}
}

// add makes values known only at run time (the sandbox's grant codes and
// the tokens it issues for them) secrets too.
func (lc *leakCheck) add(secrets ...zohoterritorytest.Secret) {
	lc.secrets = append(lc.secrets, secrets...)
}

// check looks at an error and whatever else a scenario produced, printed
// every way a caller might print them, and logs them too.
func (lc *leakCheck) check(name string, err error, values ...any) {
	lc.t.Helper()
	lc.runs++
	var b strings.Builder
	all := append([]any{err}, values...)
	if err != nil {
		b.WriteString(err.Error() + "\n")
	}
	for _, v := range all {
		fmt.Fprintf(&b, "%v\n%+v\n%#v\n", v, v, v)
		if res, ok := v.(*zohoterritory.Result); ok && res != nil {
			for _, it := range append(res.Items, res.Unmatched...) {
				fmt.Fprintf(&b, "%s %s %v\n", it.Message, it.Details, it.Err)
			}
			for _, c := range res.Calls {
				fmt.Fprintf(&b, "%v %s\n", c.Err, c.Body)
				if c.Response != nil {
					fmt.Fprintf(&b, "%v %+v\n", c.Response.Request.Header, c.Response.Request)
				}
			}
		}
	}
	lc.logger.Info(name, "err", err, "values", values)
	lc.assertClean(name, b.String())
}

// TestNoSecretIsEverPrinted runs every operation and every error path of
// the client with known secrets (a static token, the refresh-token flow, a
// token source; a token without scope, an expired token, refused and
// failing refreshes, accounts servers that echo the secrets, every sandbox
// fault, a redirect to another host, a body too large, bad options), and
// checks that no secret shows in any error, result, log line or %v of the
// client.
func TestNoSecretIsEverPrinted(t *testing.T) {
	t.Parallel()
	lc := newLeakCheck(t)
	ctx := t.Context()
	const (
		ben, chloe, dev, ava    = "5725767000000411002", "5725767000000411003", "5725767000000411004", "5725767000000411001"
		acme, northAmerica, eur = "5725767000000452001", "5725767000000452002", "5725767000000452003"
	)
	fast := zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 2, BaseDelay: time.Millisecond,
		MaxDelay: 2 * time.Millisecond, AttemptTimeout: 300 * time.Millisecond})
	newSandbox := func(opts ...zohoterritorytest.Option) *zohoterritorytest.Server {
		srv, err := zohoterritorytest.NewServer(append([]zohoterritorytest.Option{zohoterritorytest.WithSeed(secretSeed())}, opts...)...)
		require.NoError(t, err)
		t.Cleanup(srv.Close)
		return srv
	}
	newClient := func(opts ...zohoterritory.Option) *zohoterritory.Client {
		c, err := zohoterritory.New(append([]zohoterritory.Option{zohoterritory.WithLogger(lc.logger), fast}, opts...)...)
		require.NoError(t, err)
		lc.check("client", nil, c)
		return c
	}
	// every runs each operation, successes and per-id failures included.
	every := func(name string, c *zohoterritory.Client) {
		res, err := c.RemoveUsersFromTerritory(ctx, northAmerica, chloe)
		lc.check(name+": remove one user", err, res)
		res, err = c.RemoveUsersFromTerritory(ctx, northAmerica, dev, ben, "999")
		lc.check(name+": remove users", err, res)
		res, err = c.RemoveTerritoriesFromUser(ctx, dev, eur)
		lc.check(name+": remove one territory", err, res)
		res, err = c.RemoveTerritoriesFromUser(ctx, chloe, eur, acme, northAmerica)
		lc.check(name+": remove territories", err, res)
		res, err = c.RemoveTerritoriesFromUser(ctx, ava, eur)
		lc.check(name+": NOT_ALLOWED", err, res)
		res, err = c.RemoveTerritoriesFromUser(ctx, "999", eur)
		lc.check(name+": unknown user", err, res)
		res, err = c.RemoveUsersFromTerritory(ctx, northAmerica, "12x")
		lc.check(name+": invalid id", err, res)
		plan, err := c.PlanRemoveUsersFromTerritory(northAmerica, chloe, dev)
		lc.check(name+": plan users", err, plan)
		plan, err = c.PlanRemoveTerritoriesFromUser(dev, eur, acme)
		lc.check(name+": plan territories", err, plan)
	}

	srv := newSandbox()
	every("static token", newClient(zohoterritory.WithAPIDomain(srv.URL()), zohoterritory.WithAccessToken(secAccess)))
	every("refresh flow", newClient(zohoterritory.WithRefreshToken(secClientID, secClientSecret, secRefresh), zohoterritory.WithAccountsURL(srv.URL())))
	every("token source", newClient(zohoterritory.WithAPIDomain(srv.URL()),
		zohoterritory.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secAccess, RefreshToken: secRefresh}))))
	every("no scope", newClient(zohoterritory.WithAPIDomain(srv.URL()), zohoterritory.WithAccessToken(secWeak)))
	every("wrong client secret", newClient(zohoterritory.WithRefreshToken(secClientID, secWrongSecret, secRefresh), zohoterritory.WithAccountsURL(srv.URL())))
	every("revoked refresh token", newClient(zohoterritory.WithRefreshToken(secClientID, secClientSecret, secWrongRefresh), zohoterritory.WithAccountsURL(srv.URL())))
	every("empty token source", newClient(zohoterritory.WithAPIDomain(srv.URL()),
		zohoterritory.WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{RefreshToken: secRefresh}))))

	// Expired tokens: the static one fails, the refresh flow refreshes.
	expired := newSandbox()
	static := newClient(zohoterritory.WithAPIDomain(expired.URL()), zohoterritory.WithAccessToken(secAccess))
	refresh := newClient(zohoterritory.WithRefreshToken(secClientID, secClientSecret, secRefresh), zohoterritory.WithAccountsURL(expired.URL()))
	every("refresh before expiry", refresh)
	expired.ExpireAccessTokens()
	every("expired static token", static)
	every("refresh after expiry", refresh)
	require.Equal(t, 2, expired.RefreshCount())

	// Accounts servers that fail, or echo the secrets back.
	for name, h := range map[string]http.HandlerFunc{
		"accounts echo in error_description": func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"invalid_client","error_description":"client_secret %s refresh_token %s"}`, r.Form.Get("client_secret"), r.Form.Get("refresh_token"))
		},
		"accounts echo in 200 reply": func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"error":"invalid_code","error_description":%q}`, r.Form.Encode())
		},
		"accounts HTML 500 with the form": func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprintf(w, "<html>%s</html>", r.Form.Encode())
		},
	} {
		acc := httptest.NewServer(h)
		t.Cleanup(acc.Close)
		every(name, newClient(zohoterritory.WithRefreshToken(secClientID, secClientSecret, secRefresh), zohoterritory.WithAccountsURL(acc.URL)))
	}
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	every("accounts server down", newClient(zohoterritory.WithRefreshToken(secClientID, secClientSecret, secRefresh), zohoterritory.WithAccountsURL(down.URL)))

	// Every sandbox fault, through each way to authenticate.
	faulty := newSandbox()
	var faults []zohoterritorytest.Fault
	for _, k := range zohoterritorytest.FaultKinds() {
		f := zohoterritorytest.Fault{Kind: k, Count: 2}
		if k == zohoterritorytest.FaultLatency || k == zohoterritorytest.FaultSlowBody {
			f.Delay = time.Second // longer than the attempt timeout
		}
		if k == zohoterritorytest.FaultRateLimit {
			f.RetryAfter = time.Second
		}
		faults = append(faults, f)
	}
	for _, c := range []*zohoterritory.Client{
		newClient(zohoterritory.WithAPIDomain(faulty.URL()), zohoterritory.WithAccessToken(secAccess)),
		newClient(zohoterritory.WithRefreshToken(secClientID, secClientSecret, secRefresh), zohoterritory.WithAccountsURL(faulty.URL())),
	} {
		require.NoError(t, faulty.SetFaults(faults...))
		for range 8 {
			every("faults", c)
		}
	}

	// A redirect to another host, and a body over the limit.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"users":[],"echo":%q}`, r.Header.Get("Authorization"))
	}))
	t.Cleanup(other.Close)
	redirecting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirecting.Close)
	every("redirect", newClient(zohoterritory.WithAPIDomain(redirecting.URL), zohoterritory.WithAccessToken(secAccess)))
	huge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"code":"INVALID_TOKEN","message":"%s"}`, strings.Repeat(secLeakedByProxy, 1000))
	}))
	t.Cleanup(huge.Close)
	every("body too large", newClient(zohoterritory.WithAPIDomain(huge.URL), zohoterritory.WithAccessToken(secAccess),
		zohoterritory.WithMaxResponseBytes(1024)))

	// Grant codes: exchanged, reused, refused, echoed back; and the
	// refresh token one gave, at work.
	grants := newSandbox()
	exchange := func(name, clientID, clientSecret, code, accounts string) *zohoterritory.Tokens {
		tok, err := zohoterritory.ExchangeGrantCode(ctx, clientID, clientSecret, code, zohoterritory.WithAccountsURL(accounts), fast)
		if tok != nil {
			lc.add(zohoterritorytest.Secret{Name: name + " access token", Value: tok.AccessToken.Reveal()},
				zohoterritorytest.Secret{Name: name + " refresh token", Value: tok.RefreshToken.Reveal()})
			lc.check(name, err, tok, *tok, tok.AccessToken, tok.RefreshToken)
			return tok
		}
		lc.check(name, err)
		return nil
	}
	code := grants.IssueGrantCode(zohoterritorytest.AllScopes()...)
	lc.add(zohoterritorytest.Secret{Name: "grant code", Value: code})
	for _, bad := range []struct{ name, id, secret string }{
		{"grant code, unknown client", "1000.NOSUCHCLIENT", secClientSecret},
		{"grant code, wrong secret", secClientID, secWrongSecret},
	} {
		require.Nil(t, exchange(bad.name, bad.id, bad.secret, code, grants.URL()))
	}
	tok := exchange("grant code", secClientID, secClientSecret, code, grants.URL())
	require.NotNil(t, tok)
	require.Nil(t, exchange("grant code used again", secClientID, secClientSecret, code, grants.URL()))
	every("refresh token from a grant code", newClient(zohoterritory.WithAccountsURL(grants.URL()),
		zohoterritory.WithRefreshToken(secClientID, secClientSecret, tok.RefreshToken.Reveal())))
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"error":"invalid_code","error_description":%q}`, r.Form.Encode())
	}))
	t.Cleanup(echo.Close)
	require.Nil(t, exchange("grant code echoed back", secClientID, secClientSecret, code, echo.URL))
	require.Nil(t, exchange("grant code, accounts server down", secClientID, secClientSecret, code, down.URL))

	// Options that are refused.
	for name, opts := range map[string][]zohoterritory.Option{
		"password in the API domain":    {zohoterritory.WithAccessToken(secAccess), zohoterritory.WithAPIDomain("https://u:" + secClientSecret + "@www.zohoapis.com")},
		"token in the accounts URL":     {zohoterritory.WithRefreshToken(secClientID, secClientSecret, secRefresh), zohoterritory.WithAccountsURL("https://accounts.zoho.com/?refresh_token=" + secRefresh)},
		"bad URL with a password":       {zohoterritory.WithAccessToken(secAccess), zohoterritory.WithAPIDomain("https://u:" + secClientSecret + "@host/%zz")},
		"refresh flow missing a token":  {zohoterritory.WithRefreshToken(secClientID, secClientSecret, " ")},
		"two ways to authenticate":      {zohoterritory.WithAccessToken(secAccess), zohoterritory.WithRefreshToken(secClientID, secClientSecret, secRefresh)},
		"plain http with a token":       {zohoterritory.WithAccessToken(secAccess), zohoterritory.WithAPIDomain("http://zoho.example.com")},
		"unknown data centre, refresh":  {zohoterritory.WithRefreshToken(secClientID, secClientSecret, secRefresh), zohoterritory.WithDataCenter("MARS")},
		"bad retry policy with a token": {zohoterritory.WithAccessToken(secAccess), zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{})},
	} {
		c, err := zohoterritory.New(opts...)
		require.Error(t, err, name)
		lc.check(name, err, c)
	}
}
