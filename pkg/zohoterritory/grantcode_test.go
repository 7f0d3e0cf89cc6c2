package zohoterritory

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

const testGrantCode = "1000.grant-code-9a8b7c6d.e5f4"

// grantServer is a fake accounts server mounted under prefix that answers
// the exchange with reply and records each request's form.
func grantServer(t *testing.T, reply func(w http.ResponseWriter, r *http.Request)) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc(prefix+"/oauth/v2/token", func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		assert.Equal(t, http.MethodPost, r.Method)
		assert.Equal(t, "application/x-www-form-urlencoded", r.Header.Get("Content-Type"))
		assert.Empty(t, r.Header.Get("Authorization"), "the credentials go in the form (AuthStyleInParams)")
		require.NoError(t, r.ParseForm())
		assert.Empty(t, r.URL.RawQuery, "nothing in the URL, where proxies log it")
		reply(w, r)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the accounts prefix: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, &n
}

// TestExchangeGrantCode: the exchange posts Zoho's form (no redirect_uri)
// to the accounts server, and the reply's tokens, api_domain, expiry and
// scopes come back, the tokens in Secrets that print nothing.
func TestExchangeGrantCode(t *testing.T) {
	t.Parallel()
	srv, n := grantServer(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, map[string][]string{"grant_type": {"authorization_code"}, "client_id": {testClientID},
			"client_secret": {testClientSecret}, "code": {testGrantCode}}, map[string][]string(r.PostForm))
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "1000.access-x", "refresh_token": testRefreshToken,
			"scope": "ZohoCRM.users.ALL ZohoCRM.settings.territories.ALL", "api_domain": "https://www.zohoapis.eu",
			"token_type": "Bearer", "expires_in": 3600})
	})
	before := time.Now()
	tok, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, WithAccountsURL(srv.URL+prefix))
	require.NoError(t, err)
	assert.Equal(t, int32(1), n.Load())
	assert.Equal(t, "1000.access-x", tok.AccessToken.Reveal())
	assert.Equal(t, testRefreshToken, tok.RefreshToken.Reveal())
	assert.Equal(t, "https://www.zohoapis.eu", tok.APIDomain)
	assert.Equal(t, []string{"ZohoCRM.users.ALL", "ZohoCRM.settings.territories.ALL"}, tok.Scopes)
	assert.Equal(t, srv.URL+prefix, tok.AccountsURL)
	assert.WithinRange(t, tok.Expiry, before.Add(time.Hour-time.Second), time.Now().Add(time.Hour+time.Second))

	var logs strings.Builder
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("tokens", "tok", tok, "value", *tok)
	js, err := json.Marshal(tok)
	require.NoError(t, err)
	printed := fmt.Sprintf("%v %+v %#v %s %q %x %v", tok, *tok, *tok, tok.RefreshToken, tok.RefreshToken, tok.AccessToken, tok.AccessToken) +
		string(js) + logs.String() + tok.RefreshToken.String() + tok.AccessToken.GoString()
	assertNoSecret(t, printed, testRefreshToken, "1000.access-x")
	assert.Contains(t, printed, "[REDACTED]")
	assert.Contains(t, printed, "https://www.zohoapis.eu", "what is not secret prints")
	assert.False(t, tok.RefreshToken.IsZero())
	assert.True(t, Secret{}.IsZero())
	assert.Empty(t, Secret{}.Reveal())
}

// TestExchangeGrantCodeReplies: what is kept of the reply's optional and
// odd fields.
func TestExchangeGrantCodeReplies(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name       string
		extra      map[string]any
		wantDomain string
		wantScopes []string
		wantExpiry time.Duration
	}{
		{"nothing optional", map[string]any{}, "", nil, 0},
		{"comma-separated scopes", map[string]any{"scope": "ZohoCRM.users.READ,ZohoCRM.settings.territories.READ"}, "",
			[]string{"ZohoCRM.users.READ", "ZohoCRM.settings.territories.READ"}, 0},
		{"empty scope", map[string]any{"scope": " "}, "", nil, 0},
		{"expires_in in milliseconds", map[string]any{"expires_in_sec": 3600, "expires_in": 3600000}, "", nil, time.Hour},
		{"plain http api_domain", map[string]any{"api_domain": "http://zohoapis.example.com"}, "", nil, 0},
		{"api_domain with a query", map[string]any{"api_domain": "https://www.zohoapis.com/?x=1"}, "", nil, 0},
		{"loopback api_domain", map[string]any{"api_domain": "http://127.0.0.1:8080/"}, "http://127.0.0.1:8080", nil, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, _ := grantServer(t, func(w http.ResponseWriter, _ *http.Request) {
				reply := map[string]any{"access_token": "1000.a", "refresh_token": "1000.r", "token_type": "Bearer"}
				for k, v := range tt.extra {
					reply[k] = v
				}
				writeJSON(w, http.StatusOK, reply)
			})
			before := time.Now()
			tok, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, WithAccountsURL(srv.URL+prefix))
			require.NoError(t, err)
			assert.Equal(t, tt.wantDomain, tok.APIDomain)
			assert.Equal(t, tt.wantScopes, tok.Scopes)
			if tt.wantExpiry == 0 {
				assert.True(t, tok.Expiry.IsZero(), "%v", tok.Expiry)
			} else {
				assert.WithinRange(t, tok.Expiry, before.Add(tt.wantExpiry-time.Second), time.Now().Add(tt.wantExpiry+time.Second))
			}
		})
	}
}

// TestExchangeGrantCodeErrors: Zoho's refusals (HTTP 200 with "error") and
// other failures are *AuthErrors naming the accounts server, Zoho's code and
// what to do; the request is sent once; no error shows the secret, the
// code, or the reply's body.
func TestExchangeGrantCodeErrors(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		status   int
		body     string
		wantCode string
		wantText string
	}{
		{"used, expired or another data centre's code", 200, `{"error":"invalid_code"}`, "invalid_code",
			"invalid_code (the grant code is wrong, was used already, has expired (a code lives a few minutes: three unless chosen otherwise), or was generated in another data centre than this accounts server's: generate a new one in the API console of the org's data centre and exchange it at once)"},
		{"wrong client or data centre", 200, `{"error":"invalid_client"}`, "invalid_client",
			"invalid_client (the client id is wrong, or the Self Client was made in another data centre's API console than this accounts server's: check the client id and the data centre)"},
		{"wrong secret", 200, `{"error":"invalid_client_secret"}`, "invalid_client_secret",
			"invalid_client_secret (the client secret is wrong: copy it again from the Self Client's Client Secret tab)"},
		{"not a Self Client", 200, `{"error":"invalid_redirect_uri"}`, "invalid_redirect_uri", "invalid_redirect_uri (the client is not a Self Client"},
		{"an unknown code passes through", 200, `{"error":"access_denied"}`, "access_denied", ": access_denied"},
		{"an echo of the form", 200, `{"error":"invalid_code","error_description":"client_secret=` + testClientSecret + `&code=` + testGrantCode + `"}`, "invalid_code", "invalid_code ("},
		{"a proxy's HTML page", 502, `<html>` + testClientSecret + `</html>`, "", ": HTTP 502"},
		{"a 400 with a code", 400, `{"error":"invalid_client"}`, "invalid_client", "invalid_client (the client id is wrong"},
		{"no refresh token", 200, `{"access_token":"1000.a","token_type":"Bearer"}`, "", "the reply has no access token or no refresh token"},
		{"a redirect elsewhere", 307, "", "", ": HTTP 307"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, n := grantServer(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.status == http.StatusTemporaryRedirect {
					w.Header().Set("Location", "https://elsewhere.example.com/steal")
				}
				if strings.HasPrefix(tt.body, "{") {
					w.Header().Set("Content-Type", "application/json;charset=UTF-8")
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, tt.body)
			})
			accounts := srv.URL + prefix
			tok, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, WithAccountsURL(accounts))
			require.Error(t, err)
			assert.Nil(t, tok)
			var ae *AuthError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, GrantAuthorizationCode, ae.Grant)
			assert.Equal(t, accounts, ae.AccountsURL)
			assert.Equal(t, tt.wantCode, ae.Code)
			assert.Contains(t, err.Error(), "zohoterritory: exchange the grant code at "+accounts)
			assert.Contains(t, err.Error(), tt.wantText)
			assert.Equal(t, int32(1), n.Load(), "a grant code works once: never sent again")
			assertNoSecret(t, fmt.Sprintf("%v %+v %#v", err, err, err), testClientSecret, testGrantCode)
		})
	}

	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	_, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, WithAccountsURL(down.URL))
	var ae *AuthError
	require.ErrorAs(t, err, &ae)
	assert.Empty(t, ae.Code, "a transport failure has no OAuth code")
	assert.Contains(t, err.Error(), "exchange the grant code at "+down.URL)
	assertNoSecret(t, err.Error(), testClientSecret, testGrantCode)
}

// roundTripFunc is an http.RoundTripper made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestExchangeGrantCodeOptions: the data centre chooses the accounts
// server (US by default); credentials as options and empty arguments are
// refused before anything is sent.
func TestExchangeGrantCodeOptions(t *testing.T) {
	t.Parallel()
	for _, dc := range DataCenters() {
		var got string
		hc := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			got = r.URL.String()
			return nil, fmt.Errorf("not sent")
		})}
		opts := []Option{WithHTTPClient(hc)}
		if dc != US {
			opts = append(opts, WithDataCenter(dc))
		}
		_, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, opts...)
		require.Error(t, err)
		assert.Equal(t, dc.AccountsURL()+"/oauth/v2/token", got, dc)
	}

	sent := false
	hc := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		sent = true
		return nil, fmt.Errorf("not sent")
	})}
	for name, call := range map[string]func() error{
		"access token option": func() error {
			_, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, WithHTTPClient(hc), WithAccessToken("1000.x"))
			return err
		},
		"token source option": func() error {
			_, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, WithHTTPClient(hc),
				WithTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "1000.x"})))
			return err
		},
		"bad data centre": func() error {
			_, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, WithHTTPClient(hc), WithDataCenter("MARS"))
			return err
		},
		"nil option": func() error {
			_, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, nil)
			return err
		},
		"empty client id": func() error {
			_, err := ExchangeGrantCode(t.Context(), " ", testClientSecret, testGrantCode, WithHTTPClient(hc))
			return err
		},
		"empty secret": func() error {
			_, err := ExchangeGrantCode(t.Context(), testClientID, "", testGrantCode, WithHTTPClient(hc))
			return err
		},
		"empty code": func() error {
			_, err := ExchangeGrantCode(t.Context(), testClientID, testClientSecret, "", WithHTTPClient(hc))
			return err
		},
	} {
		err := call()
		require.Error(t, err, name)
		assertNoSecret(t, err.Error(), testClientSecret, testGrantCode)
	}
	assert.False(t, sent, "nothing is sent for a refused call")
}

// TestScopesAllow: a token allows an operation when it holds every scope of
// one of the operation's sets, the last part compared without case.
func TestScopesAllow(t *testing.T) {
	t.Parallel()
	const (
		tAll, tDel, tRead = "ZohoCRM.settings.territories.ALL", "ZohoCRM.settings.territories.DELETE", "ZohoCRM.settings.territories.READ"
		uAll, uRead       = "ZohoCRM.users.ALL", "ZohoCRM.users.READ"
	)
	for _, tt := range []struct {
		granted []string
		op      string
		want    bool
	}{
		{nil, "removeUsersFromTerritory", false},
		{[]string{tAll}, "removeUsersFromTerritory", true},
		{[]string{"ZohoCRM.settings.territories.All"}, "removeUsersFromTerritory", true},
		{[]string{tDel}, "removeUsersFromTerritory", false},
		{[]string{tDel, uAll}, "removeUsersFromTerritory", true},
		{[]string{tDel, uAll}, "removeTerritoriesFromUser", true},
		{[]string{tAll}, "removeTerritoriesFromUser", false},
		{[]string{tAll, uAll}, "addUsersToTerritory", true},
		{[]string{tAll}, "addUsersToTerritory", false},
		{[]string{uRead}, "listUsers", true},
		{[]string{tRead}, "listUsers", false},
		{[]string{tRead}, "listTerritoriesOfUser", true},
		{[]string{"ZohoCRM.settings.ALL", "ZohoCRM.modules.ALL"}, "listTerritories", false},
		{[]string{tAll, uAll}, "noSuchOperation", false},
	} {
		assert.Equal(t, tt.want, ScopesAllow(tt.granted, tt.op), "%v %s", tt.granted, tt.op)
	}
}

// TestTokenScopes: the scopes of the refresh-token flow's last reply, when
// it names them; never for a static token or before a token was fetched.
func TestTokenScopes(t *testing.T) {
	t.Parallel()
	api := httptest.NewServer(allRemoved("territories"))
	t.Cleanup(api.Close)
	for _, tt := range []struct {
		name  string
		scope any
		want  []string
	}{
		{"named", "ZohoCRM.users.ALL ZohoCRM.settings.territories.ALL", []string{"ZohoCRM.users.ALL", "ZohoCRM.settings.territories.ALL"}},
		{"not named", nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			acc := newAccounts(t, api.URL)
			acc.reply = func(int32) map[string]any {
				r := map[string]any{"access_token": "1000.a", "api_domain": api.URL, "token_type": "Bearer", "expires_in": 3600}
				if tt.scope != nil {
					r["scope"] = tt.scope
				}
				return r
			}
			c, err := New(WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(acc.srv.URL))
			require.NoError(t, err)
			scopes, ok := c.TokenScopes()
			assert.False(t, ok, "not before a token was fetched")
			assert.Nil(t, scopes)
			_, err = c.RemoveTerritoriesFromUser(t.Context(), "9", "1")
			require.NoError(t, err)
			scopes, ok = c.TokenScopes()
			assert.Equal(t, tt.want != nil, ok)
			assert.Equal(t, tt.want, scopes)
		})
	}
	c, err := New(WithAPIDomain(api.URL), WithAccessToken("1000.static"))
	require.NoError(t, err)
	_, err = c.RemoveTerritoriesFromUser(t.Context(), "9", "1")
	require.NoError(t, err)
	_, ok := c.TokenScopes()
	assert.False(t, ok, "a static token's scopes are never known")
}
