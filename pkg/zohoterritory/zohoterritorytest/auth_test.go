package zohoterritorytest

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAuthentication(t *testing.T) {
	t.Parallel()
	authFailure := topError("AUTHENTICATION_FAILURE", msgAuthFailure, "")
	invalidToken := topError("INVALID_TOKEN", msgInvalidToken, "")
	seed := DefaultSeed()
	seed.AccessTokens = []Token{
		{AccessToken: "1000.expired", Scopes: AllScopes(), ExpiresAt: time.Now().Add(-time.Minute)},
		{AccessToken: "1000.forever", Scopes: AllScopes()},
		{AccessToken: "1000.later", Scopes: AllScopes(), ExpiresAt: time.Now().Add(time.Hour)},
	}
	srv := newServer(t, WithSeed(seed))
	tests := []struct {
		name       string
		auth       string
		send       bool
		wantStatus int
		wantBody   string
	}{
		{name: "no header", wantStatus: http.StatusUnauthorized, wantBody: authFailure},
		{name: "Bearer", auth: "Bearer " + srv.AccessToken(), send: true, wantStatus: http.StatusUnauthorized, wantBody: authFailure},
		{name: "bare token", auth: srv.AccessToken(), send: true, wantStatus: http.StatusUnauthorized, wantBody: authFailure},
		{name: "prefix without token", auth: "Zoho-oauthtoken ", send: true, wantStatus: http.StatusUnauthorized, wantBody: authFailure},
		{name: "unknown token", auth: "Zoho-oauthtoken 1000.nope", send: true, wantStatus: http.StatusUnauthorized, wantBody: invalidToken},
		{name: "seeded expired token", auth: "Zoho-oauthtoken 1000.expired", send: true, wantStatus: http.StatusUnauthorized, wantBody: invalidToken},
		{name: "seeded token without expiry", auth: "Zoho-oauthtoken 1000.forever", send: true, wantStatus: http.StatusBadRequest,
			wantBody: envelope("users", errItem(eve, msgUserNotAMember))},
		{name: "seeded token expiring later", auth: "Zoho-oauthtoken 1000.later", send: true, wantStatus: http.StatusBadRequest,
			wantBody: envelope("users", errItem(eve, msgUserNotAMember))},
		{name: "the server's token", auth: "Zoho-oauthtoken " + srv.AccessToken(), send: true, wantStatus: http.StatusBadRequest,
			wantBody: envelope("users", errItem(eve, msgUserNotAMember))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, body := callWithHeader(t, http.MethodDelete, usersURL(srv, "v8", west, eve, ""), tt.auth, tt.send)
			assert.Equal(t, tt.wantStatus, status)
			assert.JSONEq(t, tt.wantBody, body)
		})
	}
}

func TestAccessTokenIsRandomPerServer(t *testing.T) {
	t.Parallel()
	a, b := newServer(t), newServer(t)
	assert.NotEqual(t, a.AccessToken(), b.AccessToken())
	assert.True(t, strings.HasPrefix(a.AccessToken(), "1000."), a.AccessToken())
	assert.NotEqual(t, a.OAuthClient().RefreshToken, b.OAuthClient().RefreshToken)
	status, body := call(t, http.MethodDelete, usersURL(b, "v8", na, dev, ""), a.AccessToken())
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.JSONEq(t, topError("INVALID_TOKEN", msgInvalidToken, ""), body)
}

func TestExpireAccessTokens(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	issued := srv.IssueToken(AllScopes()...)
	srv.ExpireAccessTokens()
	for _, tok := range []string{srv.AccessToken(), issued} {
		status, body := call(t, http.MethodDelete, usersURL(srv, "v8", na, dev, ""), tok)
		assert.Equal(t, http.StatusUnauthorized, status)
		assert.JSONEq(t, topError("INVALID_TOKEN", msgInvalidToken, ""), body)
	}
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na))

	// The client's way out: refresh, then retry with the new token.
	c := srv.OAuthClient()
	_, reply := postToken(t, srv, url.Values{"grant_type": {"refresh_token"}, "client_id": {c.ClientID},
		"client_secret": {c.ClientSecret}, "refresh_token": {c.RefreshToken}})
	fresh, ok := reply["access_token"].(string)
	require.True(t, ok, "reply %v", reply)
	status, body := call(t, http.MethodDelete, usersURL(srv, "v8", na, dev, ""), fresh)
	assert.Equal(t, http.StatusOK, status)
	assert.JSONEq(t, envelope("users", okItem(dev, msgUserRemoved)), body)
	assert.Equal(t, 1, srv.RefreshCount())
}

// fakeClock is a settable clock for withClock.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestTokensExpireAfterAnHour(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	srv := newServer(t, withClock(clock.Now))
	clock.Add(59 * time.Minute)
	status, _ := call(t, http.MethodDelete, usersURL(srv, "v8", west, eve, ""), srv.AccessToken())
	assert.Equal(t, http.StatusBadRequest, status, "valid for the hour")
	clock.Add(time.Minute)
	status, body := call(t, http.MethodDelete, usersURL(srv, "v8", west, eve, ""), srv.AccessToken())
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.JSONEq(t, topError("INVALID_TOKEN", msgInvalidToken, ""), body)
}

func TestScopes(t *testing.T) {
	t.Parallel()
	const (
		tAll = ScopeTerritoriesAll
		tDel = ScopeTerritoriesDelete
		uAll = ScopeUsersAll
		uDel = ScopeUsersDelete
	)
	tests := []struct {
		scopes           []string
		wantUsers        bool // may remove users from a territory
		wantTerritories  bool // may remove territories from a user
		alsoLowerCaseAll bool // the same with `.All`
	}{
		{scopes: nil},
		{scopes: []string{tAll}, wantUsers: true, alsoLowerCaseAll: true},
		{scopes: []string{tDel}},
		{scopes: []string{tDel, uAll}, wantUsers: true, wantTerritories: true, alsoLowerCaseAll: true},
		{scopes: []string{tDel, uDel}, wantTerritories: true},
		{scopes: []string{tAll, uDel}, wantUsers: true, wantTerritories: true, alsoLowerCaseAll: true},
		{scopes: []string{tAll, uAll}, wantUsers: true, wantTerritories: true, alsoLowerCaseAll: true},
		{scopes: []string{uAll}, alsoLowerCaseAll: true},
		{scopes: []string{uAll, uDel}},
		{scopes: []string{"ZohoCRM.settings.ALL", "ZohoCRM.modules.ALL"}},
		{scopes: []string{"ZohoCRM.settings.territories.READ", uAll}},
	}
	mismatch := topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, "")
	for _, tt := range tests {
		variants := [][]string{tt.scopes}
		if tt.alsoLowerCaseAll {
			lower := make([]string, len(tt.scopes))
			for i, sc := range tt.scopes {
				lower[i] = strings.Replace(sc, ".ALL", ".All", 1)
			}
			variants = append(variants, lower)
		}
		for _, scopes := range variants {
			t.Run(fmt.Sprint(scopes), func(t *testing.T) {
				t.Parallel()
				srv := newServer(t)
				tok := srv.IssueToken(scopes...)

				status, body := call(t, http.MethodDelete, usersURL(srv, "v8", na, "", "ids="+dev), tok)
				if tt.wantUsers {
					assert.Equal(t, http.StatusOK, status)
					assert.JSONEq(t, envelope("users", okItem(dev, msgUserRemoved)), body)
				} else {
					assert.Equal(t, http.StatusUnauthorized, status)
					assert.JSONEq(t, mismatch, body)
				}

				status, body = call(t, http.MethodDelete, territoriesURL(srv, "v8", "Users", chloe, eu, ""), tok)
				if tt.wantTerritories {
					assert.Equal(t, http.StatusOK, status)
					assert.JSONEq(t, envelope("territories", okItem(eu, msgTerritoryRemoved)), body)
				} else {
					assert.Equal(t, http.StatusUnauthorized, status)
					assert.JSONEq(t, mismatch, body)
					assert.Contains(t, srv.TerritoriesOf(chloe), eu)
				}
			})
		}
	}
}

func TestTokenEndpoint(t *testing.T) {
	t.Parallel()
	seed := DefaultSeed()
	seed.OAuthClients = []OAuthClient{
		{ClientID: "1000.CLIENT", ClientSecret: "s3cret", RefreshToken: "1000.refresh", Scopes: []string{ScopeTerritoriesAll}},
		{ClientID: "1000.OTHER", ClientSecret: "other", RefreshToken: "1000.other", Scopes: []string{ScopeUsersAll}},
	}
	good := url.Values{"grant_type": {"refresh_token"}, "client_id": {"1000.CLIENT"},
		"client_secret": {"s3cret"}, "refresh_token": {"1000.refresh"}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for key, vs := range good {
			f[key] = vs
		}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name      string
		form      url.Values
		wantError string // "" for success
	}{
		{name: "refresh", form: good},
		{name: "wrong client id", form: with("client_id", "1000.NOPE"), wantError: "invalid_client"},
		{name: "wrong secret", form: with("client_secret", "guess"), wantError: "invalid_client"},
		{name: "another client's secret", form: with("client_secret", "other"), wantError: "invalid_client"},
		{name: "wrong refresh token", form: with("refresh_token", "1000.stale"), wantError: "invalid_code"},
		{name: "another client's refresh token", form: with("refresh_token", "1000.other"), wantError: "invalid_code"},
		{name: "other grant", form: with("grant_type", "password"), wantError: "unsupported_grant_type"},
		{name: "a grant code's grant without a code", form: with("grant_type", "authorization_code"), wantError: "invalid_code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, WithSeed(seed))
			status, reply := postToken(t, srv, tt.form)
			assert.Equal(t, http.StatusOK, status, "Zoho answers token failures with 200")
			if tt.wantError != "" {
				assert.Equal(t, map[string]any{"error": tt.wantError}, reply)
				assert.Equal(t, 0, srv.RefreshCount())
				return
			}
			tok, ok := reply["access_token"].(string)
			require.True(t, ok, "reply %v", reply)
			assert.Equal(t, map[string]any{"access_token": tok, "api_domain": srv.URL(), "token_type": "Bearer", "expires_in": float64(3600)}, reply)
			assert.NotEqual(t, srv.AccessToken(), tok)
			assert.Equal(t, 1, srv.RefreshCount())

			// The new token carries the client's scopes: enough to remove users, not territories.
			status, _ = call(t, http.MethodDelete, usersURL(srv, "v8", na, dev, ""), tok)
			assert.Equal(t, http.StatusOK, status)
			status, body := call(t, http.MethodDelete, territoriesURL(srv, "v8", "Users", chloe, eu, ""), tok)
			assert.Equal(t, http.StatusUnauthorized, status)
			assert.JSONEq(t, topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, ""), body)
		})
	}
}

// TestGrantCodeExchange: a Self Client's grant code is exchanged once, within
// its three minutes, by its own client, for an access token and a refresh
// token with the code's scopes; the refresh token then works as a seeded
// one does. Every refusal is HTTP 200 with Zoho's error and leaves the code
// usable.
func TestGrantCodeExchange(t *testing.T) {
	t.Parallel()
	seed := DefaultSeed()
	seed.OAuthClients = []OAuthClient{
		{ClientID: "1000.CLIENT", ClientSecret: "s3cret", RefreshToken: "1000.refresh", Scopes: AllScopes()},
		{ClientID: "1000.OTHER", ClientSecret: "other", RefreshToken: "1000.other", Scopes: AllScopes()},
	}
	clock := &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	srv := newServer(t, WithSeed(seed), withClock(clock.Now))
	code := srv.IssueGrantCode(ScopeTerritoriesAll)
	assert.Regexp(t, `^1000\.[0-9a-f]{32}\.[0-9a-f]{32}$`, code)
	exchange := func(clientID, secret, code string) map[string]any {
		t.Helper()
		status, reply := postToken(t, srv, url.Values{"grant_type": {"authorization_code"}, "client_id": {clientID},
			"client_secret": {secret}, "code": {code}})
		assert.Equal(t, http.StatusOK, status, "Zoho answers token failures with 200")
		return reply
	}

	for _, tt := range []struct {
		name, clientID, secret, code, want string
	}{
		{"unknown client", "1000.NOPE", "s3cret", code, "invalid_client"},
		{"wrong secret", "1000.CLIENT", "guess", code, "invalid_client_secret"},
		{"another client's secret", "1000.CLIENT", "other", code, "invalid_client_secret"},
		{"another client's code", "1000.OTHER", "other", code, "invalid_code"},
		{"unknown code", "1000.CLIENT", "s3cret", "1000.nope", "invalid_code"},
		{"a refresh token as the code", "1000.CLIENT", "s3cret", "1000.refresh", "invalid_code"},
	} {
		assert.Equal(t, map[string]any{"error": tt.want}, exchange(tt.clientID, tt.secret, tt.code), tt.name)
	}
	assert.Equal(t, 0, srv.RefreshCount())

	clock.Add(GrantCodeLifetime - time.Second)
	reply := exchange("1000.CLIENT", "s3cret", code)
	access, ok := reply["access_token"].(string)
	require.True(t, ok, "reply %v", reply)
	refresh, ok := reply["refresh_token"].(string)
	require.True(t, ok, "reply %v", reply)
	assert.Equal(t, map[string]any{"access_token": access, "refresh_token": refresh, "scope": ScopeTerritoriesAll,
		"api_domain": srv.URL(), "token_type": "Bearer", "expires_in": float64(3600)}, reply)
	assert.NotEqual(t, "1000.refresh", refresh)
	assert.Equal(t, 1, srv.RefreshCount())
	assert.Equal(t, map[string]any{"error": "invalid_code"}, exchange("1000.CLIENT", "s3cret", code), "a code works once")

	// The token has the code's scopes: enough to remove users, not territories.
	status, _ := call(t, http.MethodDelete, usersURL(srv, "v8", na, dev, ""), access)
	assert.Equal(t, http.StatusOK, status)
	status, body := call(t, http.MethodDelete, territoriesURL(srv, "v8", "Users", chloe, eu, ""), access)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.JSONEq(t, topError("OAUTH_SCOPE_MISMATCH", msgScopeMismatch, ""), body)

	// The refresh token works for its client only, with the code's scopes.
	_, reply = postToken(t, srv, url.Values{"grant_type": {"refresh_token"}, "client_id": {"1000.OTHER"},
		"client_secret": {"other"}, "refresh_token": {refresh}})
	assert.Equal(t, map[string]any{"error": "invalid_code"}, reply)
	_, reply = postToken(t, srv, url.Values{"grant_type": {"refresh_token"}, "client_id": {"1000.CLIENT"},
		"client_secret": {"s3cret"}, "refresh_token": {refresh}})
	fresh, ok := reply["access_token"].(string)
	require.True(t, ok, "reply %v", reply)
	assert.Equal(t, map[string]any{"access_token": fresh, "api_domain": srv.URL(), "token_type": "Bearer", "expires_in": float64(3600)}, reply)
	status, _ = call(t, http.MethodDelete, usersURL(srv, "v8", na, ben, ""), fresh)
	assert.Equal(t, http.StatusBadRequest, status, "allowed; Ben manages North America")
	status, _ = call(t, http.MethodDelete, territoriesURL(srv, "v8", "Users", chloe, eu, ""), fresh)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, 2, srv.RefreshCount())

	// A code expires after its three minutes.
	late := srv.IssueGrantCode(AllScopes()...)
	clock.Add(GrantCodeLifetime)
	assert.Equal(t, map[string]any{"error": "invalid_code"}, exchange("1000.CLIENT", "s3cret", late), "expired")
	assert.Equal(t, 2, srv.RefreshCount())
}

func TestTokenEndpointQueryAndMethod(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.OAuthClient()
	q := url.Values{"grant_type": {"refresh_token"}, "client_id": {c.ClientID},
		"client_secret": {c.ClientSecret}, "refresh_token": {c.RefreshToken}}

	status, body := call(t, http.MethodPost, srv.URL()+"/oauth/v2/token?"+q.Encode(), "")
	assert.Equal(t, http.StatusOK, status)
	assert.Contains(t, body, `"access_token":"1000.`)
	assert.Equal(t, 1, srv.RefreshCount())

	status, body = call(t, http.MethodGet, srv.URL()+"/oauth/v2/token?"+q.Encode(), "")
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	assert.JSONEq(t, `{"error":"invalid_request"}`, body)
	assert.Equal(t, 1, srv.RefreshCount())
}

func TestConcurrentRefreshes(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c := srv.OAuthClient()
	form := url.Values{"grant_type": {"refresh_token"}, "client_id": {c.ClientID},
		"client_secret": {c.ClientSecret}, "refresh_token": {c.RefreshToken}}
	const n = 20
	tokens := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			_, reply := postToken(t, srv, form)
			tok, _ := reply["access_token"].(string)
			tokens <- tok
		})
	}
	wg.Wait()
	close(tokens)
	seen := map[string]bool{}
	for tok := range tokens {
		assert.NotEmpty(t, tok)
		seen[tok] = true
	}
	assert.Len(t, seen, n, "every refresh issues a new token")
	assert.Equal(t, n, srv.RefreshCount())
}

func TestOAuthClientHidesSecrets(t *testing.T) {
	t.Parallel()
	c := OAuthClient{ClientID: "1000.ID", ClientSecret: "topsecret", RefreshToken: "1000.refreshme", Scopes: []string{ScopeUsersAll}}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("client", "c", c)
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s %q", c, c, c, c, c), c.String(), logged.String()} {
		assert.Contains(t, s, "1000.ID")
		assert.NotContains(t, s, "topsecret")
		assert.NotContains(t, s, "refreshme")
	}
}
