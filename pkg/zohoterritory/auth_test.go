package zohoterritory

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
)

const (
	testClientID     = "1000.CLIENTIDCLIENTID"
	testClientSecret = "client-secret-7f3a9b2c"
	testRefreshToken = "1000.refresh.token-5e8d1c"
)

// accounts is a fake Zoho accounts server that issues numbered tokens.
type accounts struct {
	srv       *httptest.Server
	refreshes atomic.Int32
	reply     func(n int32) map[string]any // nil: a normal token reply
}

func newAccounts(t *testing.T, apiDomain string) *accounts {
	t.Helper()
	a := &accounts{}
	a.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "/oauth/v2/token", r.URL.Path)
		require.NoError(t, r.ParseForm())
		n := a.refreshes.Add(1)
		if a.reply != nil {
			writeJSON(w, http.StatusOK, a.reply(n))
			return
		}
		if r.PostForm.Get("grant_type") != "refresh_token" || r.PostForm.Get("client_id") != testClientID ||
			r.PostForm.Get("client_secret") != testClientSecret || r.PostForm.Get("refresh_token") != testRefreshToken {
			writeJSON(w, http.StatusOK, map[string]any{"error": "invalid_client"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": fmt.Sprintf("1000.access-%d", n),
			"api_domain":   apiDomain,
			"token_type":   "Bearer",
			"expires_in":   3600,
		})
	}))
	t.Cleanup(a.srv.Close)
	return a
}

// TestRefreshOnceForConcurrentCallers: 50 callers hold a token Zoho has
// revoked; exactly one refresh happens and every call succeeds. The API
// refuses none of them until all 50 have sent the revoked token, so that
// all of them are after a fresh token at once.
func TestRefreshOnceForConcurrentCallers(t *testing.T) {
	t.Parallel()
	const callers = 50
	acc := newAccounts(t, "")
	var arrivals sync.WaitGroup
	arrivals.Add(callers)
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Zoho-oauthtoken 1000.access-2" {
			arrivals.Done()
			arrivals.Wait()
			writeJSON(w, http.StatusUnauthorized, zohoError("INVALID_TOKEN", "invalid oauth token"))
			return
		}
		allRemoved("territories")(w, r)
	}, WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(acc.srv.URL),
		// Every caller must be in flight at once for the handler's
		// barrier to open.
		WithConcurrency(callers))

	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", fmt.Sprint(i+1))
			if err == nil && !res.AllRemoved() {
				err = fmt.Errorf("not removed: %+v", res.Items)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		assert.NoError(t, err, "caller %d", i)
	}
	assert.Equal(t, int32(2), acc.refreshes.Load(), "one token at start, one refresh after INVALID_TOKEN")
	for _, r := range f.requests() {
		assert.True(t, strings.HasPrefix(r.Auth, "Zoho-oauthtoken 1000.access-"), "Zoho-oauthtoken, not Bearer: %q", r.Auth)
	}

	res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", "77")
	require.NoError(t, err)
	resp := res.Calls[0].Response
	require.NotNil(t, resp)
	assert.Empty(t, resp.Request.Header.Get("Authorization"), "the raw response does not carry the token")
	assertNoSecret(t, fmt.Sprintf("%+v %+v", res, resp.Request), "1000.access-")
}

// TestRefreshOnceWhenExpired: the cached token has expired (on the clock,
// before Zoho could reject it) when 200 calls start at once; they make one
// refresh call between them and none sends the expired token.
func TestRefreshOnceWhenExpired(t *testing.T) {
	t.Parallel()
	acc := newAccounts(t, "")
	c, f, _ := setup(t, allRemoved("territories"), WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(acc.srv.URL))
	c.tokens.tok = &oauth2.Token{AccessToken: "1000.access-expired", Expiry: time.Now().Add(-time.Minute)}

	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Go(func() {
			<-start
			res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", fmt.Sprint(i+1))
			if assert.NoError(t, err) {
				assert.True(t, res.AllRemoved())
			}
		})
	}
	close(start)
	wg.Wait()
	assert.Equal(t, int32(1), acc.refreshes.Load(), "200 callers, one refresh")
	reqs := f.requests()
	require.Len(t, reqs, 200)
	for _, r := range reqs {
		assert.Equal(t, "Zoho-oauthtoken 1000.access-1", r.Auth, "the expired token is never sent")
	}
}

func TestRefreshFailureIsTypedAndSecretFree(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		reply    map[string]any
		wantCode string
	}{
		{"revoked refresh token", map[string]any{"error": "invalid_code"}, "invalid_code"},
		{"wrong client or data centre", map[string]any{"error": "invalid_client"}, "invalid_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			acc := newAccounts(t, "")
			acc.reply = func(int32) map[string]any { return tt.reply }
			var logs bytes.Buffer
			c, f, _ := setup(t, allRemoved("users"),
				WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(acc.srv.URL),
				WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			res, err := c.RemoveUsersFromTerritory(t.Context(), "5", numberedIDs(150)...)
			require.Error(t, err)
			var authErr *AuthError
			require.ErrorAs(t, err, &authErr)
			assert.Equal(t, acc.srv.URL, authErr.AccountsURL)
			assert.Equal(t, tt.wantCode, authErr.Code)
			assert.Contains(t, err.Error(), acc.srv.URL, "the error names the accounts server")
			assert.Empty(t, f.requests(), "nothing reaches the API without a token")
			assert.Equal(t, int32(1), acc.refreshes.Load(), "a failed refresh is shared, not repeated per batch")
			for _, it := range res.Items {
				assert.Equal(t, ReasonNotSent, it.Reason)
			}
			all := err.Error() + fmt.Sprintf("%v %+v %#v", err, res, c) + logs.String()
			assertNoSecret(t, all, testClientSecret, testRefreshToken)

			_, err = c.RemoveUsersFromTerritory(t.Context(), "5", "1")
			require.ErrorAs(t, err, &authErr)
			assert.Equal(t, tt.wantCode, authErr.Code)
			assert.Equal(t, int32(1), acc.refreshes.Load(), "credentials Zoho refused are not offered again")
		})
	}
}

func TestAPIDomainFromTokenReply(t *testing.T) {
	t.Parallel()
	api := httptest.NewServer(allRemoved("territories"))
	t.Cleanup(api.Close)
	acc := newAccounts(t, api.URL)
	c, err := New(WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(acc.srv.URL), WithDataCenter(EU))
	require.NoError(t, err)
	assert.Equal(t, "https://www.zohoapis.eu", c.APIDomain(), "before any token")
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", "1")
	require.NoError(t, err)
	assert.True(t, res.AllRemoved())
	assert.Equal(t, api.URL, c.APIDomain(), "the token reply's api_domain is used")
}

func TestStaticTokenIsNotRefreshed(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, zohoError("INVALID_TOKEN", "invalid oauth token"))
	})
	_, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1")
	require.ErrorIs(t, err, ErrInvalidToken)
	assert.Len(t, f.requests(), 1, "a static token cannot be refreshed, so no second try")
}

func TestTokenSourceIsAskedAgainOnce(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	ts := tokenFunc(func() (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: fmt.Sprintf("tok-%d", n.Add(1))}, nil
	})
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "Zoho-oauthtoken tok-1" {
			writeJSON(w, http.StatusUnauthorized, zohoError("INVALID_TOKEN", "invalid oauth token"))
			return
		}
		allRemoved("users")(w, r)
	}, WithTokenSource(ts))
	res, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1")
	require.NoError(t, err)
	assert.True(t, res.AllRemoved())
	assert.Equal(t, int32(2), n.Load())
	assert.Len(t, f.requests(), 2)
}

func TestScopeMismatchDoesNotRefresh(t *testing.T) {
	t.Parallel()
	acc := newAccounts(t, "")
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, zohoError("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"))
	}, WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(acc.srv.URL))
	_, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1")
	require.ErrorIs(t, err, ErrOAuthScopeMismatch)
	assert.Equal(t, int32(1), acc.refreshes.Load(), "refreshing does not cure a missing scope")
	assert.Len(t, f.requests(), 1)
}

func TestExpiresInSec(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	m := &tokenManager{now: func() time.Time { return now }}
	tok := (&oauth2.Token{AccessToken: "a", Expiry: now.Add(3600000 * time.Second)}).WithExtra(map[string]any{
		"expires_in_sec": float64(3600), "api_domain": "https://www.zohoapis.eu",
	})
	fixed := m.fixExpiry(tok)
	assert.Equal(t, now.Add(time.Hour), fixed.Expiry)
	assert.Equal(t, "https://www.zohoapis.eu", fixed.Extra("api_domain"))
	plain := &oauth2.Token{AccessToken: "b", Expiry: now.Add(time.Hour)}
	assert.Equal(t, plain.Expiry, m.fixExpiry(plain).Expiry)
}

func TestSecretsNeverPrint(t *testing.T) {
	t.Parallel()
	var s settings
	for _, o := range []Option{WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccessToken("access-token-9a8b7c")} {
		require.NoError(t, o(&s))
	}
	c, err := New(WithRefreshToken(testClientID, testClientSecret, testRefreshToken))
	require.NoError(t, err)
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("settings", "s", s.clientSecret, "r", s.refreshToken, "a", s.accessToken)
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, s) + fmt.Sprintf(verb, c) + fmt.Sprintf(verb, s.clientSecret)
		assertNoSecret(t, out, testClientSecret, testRefreshToken, "access-token-9a8b7c")
	}
	assertNoSecret(t, logs.String(), testClientSecret, testRefreshToken, "access-token-9a8b7c")
	assert.Contains(t, logs.String(), redacted)
	assert.Equal(t, testClientSecret, s.clientSecret.reveal())
}

func TestInvalidTokenAfterRefreshStillFails(t *testing.T) {
	t.Parallel()
	acc := newAccounts(t, "")
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, zohoError("INVALID_TOKEN", "invalid oauth token"))
	}, WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(acc.srv.URL))
	_, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1")
	require.ErrorIs(t, err, ErrInvalidToken)
	assert.Equal(t, int32(2), acc.refreshes.Load(), "one refresh, one retry, then the error")
	assert.Len(t, f.requests(), 2)
	assert.False(t, errors.Is(err, ErrOAuthScopeMismatch))
}

type tokenFunc func() (*oauth2.Token, error)

func (f tokenFunc) Token() (*oauth2.Token, error) { return f() }

// TestAccountsServerRedirectIsNotFollowed: one rule for every call to the
// accounts server, a refresh as well as a grant code's exchange: a 307 or
// a 308 (which would send the form, client secret and all, again to where
// it points) is not followed; the failure names the status, and the place
// it pointed to gets nothing.
func TestAccountsServerRedirectIsNotFollowed(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			var stolen atomic.Int32
			elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				stolen.Add(1)
				writeJSON(w, http.StatusOK, map[string]any{"access_token": "1000.x", "refresh_token": "1000.y", "token_type": "Bearer"})
			}))
			t.Cleanup(elsewhere.Close)
			var asked atomic.Int32
			accounts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked.Add(1)
				http.Redirect(w, r, elsewhere.URL+r.URL.Path, status)
			}))
			t.Cleanup(accounts.Close)

			// The refresh-token flow.
			c, f, _ := setup(t, allRemoved("territories"), WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(accounts.URL))
			res, err := c.RemoveTerritoriesFromUser(t.Context(), "5725767000000583004", "5725767000000583005")
			var ae *AuthError
			require.ErrorAs(t, err, &ae)
			assert.Empty(t, ae.Grant)
			assert.Contains(t, err.Error(), fmt.Sprintf("refresh access token at %s: HTTP %d: a redirect, not followed", accounts.URL, status))
			assert.True(t, IsAuthFailure(err))
			assert.Equal(t, ReasonNotSent, res.Items[0].Reason)
			assert.Empty(t, f.requests(), "no token, no API call")

			// A grant code's exchange.
			_, err = ExchangeGrantCode(t.Context(), testClientID, testClientSecret, testGrantCode, WithAccountsURL(accounts.URL))
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, GrantAuthorizationCode, ae.Grant)
			assert.Contains(t, err.Error(), fmt.Sprintf("exchange the grant code at %s: HTTP %d: a redirect, not followed", accounts.URL, status))

			assert.Equal(t, int32(2), asked.Load())
			assert.Zero(t, stolen.Load(), "nothing went where the redirect pointed")
		})
	}
}
