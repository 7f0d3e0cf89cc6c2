package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/loopback"
)

// Transport rules, beside the tests that already cover them:
// TestNewRefusesBadOptions and TestNewAcceptsLoopbackHTTP (plain http only
// to loopback), TestRedirectToAnotherHostIsRefused (no token after a
// redirect to another host), TestBodyLimit (bodies read with a limit),
// TestRefreshOnceForConcurrentCallers (the raw response keeps no token).

// hostRecorder is a transport that passes loopback requests to the default
// transport and records, then fails, every other request, so that a test
// can see where the client would have gone without leaving the machine.
type hostRecorder struct {
	mu    sync.Mutex
	other []*http.Request
}

func (h *hostRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if loopback.Host(req.URL.Hostname()) {
		return http.DefaultTransport.RoundTrip(req)
	}
	h.mu.Lock()
	h.other = append(h.other, req.Clone(context.Background()))
	h.mu.Unlock()
	return nil, errors.New("hostRecorder: not sent")
}

func (h *hostRecorder) requests() []*http.Request {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]*http.Request(nil), h.other...)
}

// TestUnsafeAPIDomainFromTokenReplyIsIgnored: a token reply naming a plain
// http API domain on another host is not followed; requests go to the
// data centre's https domain instead.
func TestUnsafeAPIDomainFromTokenReplyIsIgnored(t *testing.T) {
	t.Parallel()
	acc := newAccounts(t, "http://evil.example.com")
	rec := &hostRecorder{}
	c, err := New(WithRefreshToken(testClientID, testClientSecret, testRefreshToken), WithAccountsURL(acc.srv.URL),
		WithDataCenter(EU), WithHTTPClient(&http.Client{Transport: rec}),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 1, AttemptTimeout: time.Second}))
	require.NoError(t, err)
	res, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1")
	require.Error(t, err)
	assert.Equal(t, []string{"1"}, res.Unknown())
	reqs := rec.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "https", reqs[0].URL.Scheme)
	assert.Equal(t, "www.zohoapis.eu", reqs[0].URL.Host)
	assert.Equal(t, "https://www.zohoapis.eu", c.APIDomain())
}

// TestSameHostRedirectKeepsAuthentication: a redirect on the API host is
// followed, and the token goes with it.
func TestSameHostRedirectKeepsAuthentication(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/moved/") {
			http.Redirect(w, r, prefix+"/moved"+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return
		}
		allRemoved("users")(w, r)
	})
	res, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1", "2")
	require.NoError(t, err)
	assert.Equal(t, []string{"1", "2"}, res.Removed())
	reqs := f.requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		assert.Equal(t, "Zoho-oauthtoken test-token", r.Auth, r.Path)
	}
}

// TestCredentialsOnlyForTheAPIHost: the authenticating transport refuses to
// send the token to any other host, whatever sends through it.
func TestCredentialsOnlyForTheAPIHost(t *testing.T) {
	t.Parallel()
	var reached atomic.Bool
	other := httpTestServer(t, func(w http.ResponseWriter, r *http.Request) { reached.Store(true) })
	c, _, _ := setup(t, allRemoved("users"))
	req, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, other.URL+"/crm/v7/x", nil)
	require.NoError(t, err)
	resp, err := c.hc.Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refusing to send credentials to host")
	assert.False(t, reached.Load())
}

// TestAttemptTimeoutWithoutDeadline: a server that never answers cannot
// hold a call whose context has no deadline; each attempt ends at
// AttemptTimeout and the outcome is unknown. The bubble's clock makes the
// hour pass at once.
func TestAttemptTimeoutWithoutDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, requests := memClient(t, func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // never answers
		}, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, AttemptTimeout: time.Hour}))
		c.sleep = func(context.Context, time.Duration) error { return nil }
		start := time.Now()
		res, err := c.RemoveUsersFromTerritory(context.Background(), "5", "1", "2")
		assert.Equal(t, 2*time.Hour, time.Since(start), "two attempts of an hour each")
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Contains(t, err.Error(), "removeUsersFromTerritory: ")
		assert.Equal(t, []string{"1", "2"}, res.Unknown(), "the request was sent: it may have been carried out")
		assert.Equal(t, int32(2), requests.Load())
	})
}

// TestTokenFetchTimeoutWithoutDeadline: an accounts server that never
// answers gives an *AuthError after AttemptTimeout, and nothing is sent.
func TestTokenFetchTimeoutWithoutDeadline(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var apiRequests atomic.Int32
		h := func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/oauth/v2/token" {
				<-r.Context().Done() // the accounts server never answers
				return
			}
			apiRequests.Add(1)
			allRemoved("users")(w, r)
		}
		c, err := New(WithAPIDomain("http://127.0.0.1:1"), WithAccountsURL("http://127.0.0.1:2"),
			WithHTTPClient(&http.Client{Transport: memTransport{h}}),
			WithRefreshToken(testClientID, testClientSecret, testRefreshToken),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 1, AttemptTimeout: time.Hour}))
		require.NoError(t, err)
		start := time.Now()
		res, err := c.RemoveUsersFromTerritory(context.Background(), "5", "1")
		assert.Equal(t, time.Hour, time.Since(start))
		var authErr *AuthError
		require.ErrorAs(t, err, &authErr)
		assert.Equal(t, "http://127.0.0.1:2", authErr.AccountsURL)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, ReasonNotSent, res.Items[0].Reason)
		assert.Zero(t, apiRequests.Load())
		assertNoSecret(t, err.Error(), testClientSecret, testRefreshToken)
	})
}

// TestBodyLimitOnEveryStatus: the size limit holds for error answers too,
// including the 401 body the authenticating transport reads itself.
func TestBodyLimitOnEveryStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusUnauthorized, http.StatusBadRequest, http.StatusInternalServerError} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			t.Parallel()
			c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write([]byte(`{"code":"INVALID_TOKEN","message":"` + strings.Repeat("x", 8192) + `"}`))
			}, WithMaxResponseBytes(2048))
			res, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1")
			require.ErrorIs(t, err, ErrBodyTooLarge)
			assert.Contains(t, err.Error(), fmt.Sprintf("removeUserFromTerritory: %d: ", status))
			assert.Contains(t, err.Error(), "read body")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.LessOrEqual(t, len(apiErr.Body), 2049, "no more than the limit was kept")
			assert.NotEqual(t, Removed, res.Items[0].Outcome)
			assert.Len(t, f.requests(), 1, "a body too large is not retried")
		})
	}
}

// TestBaseURLErrorsHideCredentials: a URL option with a password or a
// query is refused without repeating them.
func TestBaseURLErrorsHideCredentials(t *testing.T) {
	t.Parallel()
	const pw = "pa55-9f8e7d"
	for _, raw := range []string{
		"https://user:" + pw + "@www.zohoapis.com",
		"https://www.zohoapis.com/?token=" + pw,
		"https://www.zohoapis.com/#" + pw,
		"https://user:" + pw + "@www.zohoapis.com/%zz",
		"http://[::1" + pw,
	} {
		_, err := New(WithAccessToken("t"), WithAPIDomain(raw))
		require.Error(t, err, raw)
		assert.Contains(t, err.Error(), "WithAPIDomain")
		assertNoSecret(t, err.Error(), pw, url.QueryEscape(pw))
		_, err = New(WithRefreshToken("i", "s", "r"), WithAccountsURL(raw))
		require.Error(t, err, raw)
		assertNoSecret(t, err.Error(), pw)
	}
}
