package zohoterritory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/sync/singleflight"
)

// tokenManager caches the access token and refreshes it once for all
// concurrent callers. x/oauth2 does the token handling (the refresh request,
// Zoho's 200-with-"error" replies, keeping the refresh token); what it cannot
// do is drop a token that Zoho rejected before it expires, which is what
// invalidate is for.
type tokenManager struct {
	// fetch obtains a token: from the accounts server for the refresh
	// flow, from the caller's source otherwise.
	fetch       func(ctx context.Context) (*oauth2.Token, error)
	accountsURL string // for errors; "" when tokens do not come from an accounts server
	timeout     time.Duration
	now         func() time.Time

	flight singleflight.Group
	mu     sync.Mutex
	tok    *oauth2.Token
	// refused is the accounts server's final word on the credentials
	// (see [permanentRefusal]): later calls fail with it unsent, instead
	// of asking again for each batch.
	refused error
}

// permanentRefusal reports whether an accounts server's error code says the
// credentials themselves are bad (a revoked refresh token, an unknown or
// wrong client), which no retry can change, unlike "Access Denied" for too
// many token requests.
func permanentRefusal(code string) bool {
	switch code {
	case "invalid_code", "invalid_client", "invalid_client_secret", "invalid_grant", "unauthorized_client":
		return true
	}
	return false
}

// token returns a valid access token, fetching one when none is cached.
// Concurrent callers share one fetch and its failure.
func (m *tokenManager) token(ctx context.Context) (*oauth2.Token, error) {
	m.mu.Lock()
	tok, refused := m.tok, m.refused
	m.mu.Unlock()
	if refused != nil {
		return nil, refused
	}
	if tok != nil && m.valid(tok) {
		return tok, nil
	}
	ch := m.flight.DoChan("token", func() (any, error) {
		// A caller that found no valid token may arrive just after a
		// fetch it could have shared has finished: take that fetch's
		// token rather than fetch again. A rejected token is never found
		// here, since invalidate dropped it.
		m.mu.Lock()
		cached, refused := m.tok, m.refused
		m.mu.Unlock()
		if refused != nil {
			return nil, refused
		}
		if cached != nil && m.valid(cached) {
			return cached, nil
		}
		// The fetch is shared, so one caller's cancellation must not fail
		// the others: it runs detached, bounded by its own timeout.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), m.timeout)
		defer cancel()
		t, err := m.fetch(fctx)
		if err != nil {
			err = m.wrap(err)
			if ae := (*AuthError)(nil); errors.As(err, &ae) && permanentRefusal(ae.Code) {
				m.mu.Lock()
				m.refused = err
				m.mu.Unlock()
			}
			return nil, err
		}
		if t == nil || t.AccessToken == "" {
			return nil, m.wrap(errors.New("token source returned no access token"))
		}
		t = m.fixExpiry(t)
		m.mu.Lock()
		m.tok = t
		m.mu.Unlock()
		return t, nil
	})
	select {
	case <-ctx.Done():
		cause := context.Cause(ctx)
		if errors.Is(cause, context.DeadlineExceeded) {
			// A fetch that outlasts the attempt's timeout is a failure
			// to get a token like any other, naming the accounts server.
			return nil, m.wrap(cause)
		}
		// Cancelled by the caller, or stopped by another batch's
		// failure, which is then the cause.
		return nil, cause
	case r := <-ch:
		if r.Err != nil {
			return nil, r.Err
		}
		return r.Val.(*oauth2.Token), nil
	}
}

func (m *tokenManager) valid(t *oauth2.Token) bool {
	if t.AccessToken == "" {
		return false
	}
	// Like oauth2.Token.Valid, with a margin, but on the injected clock.
	return t.Expiry.IsZero() || m.now().Add(10*time.Second).Before(t.Expiry)
}

// invalidate drops the cached token if it is the one Zoho rejected, so the
// next token call fetches a new one. A token that was already replaced is
// left alone: another caller refreshed it.
func (m *tokenManager) invalidate(rejected string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok != nil && m.tok.AccessToken == rejected {
		m.tok = nil
	}
}

// apiDomain returns the api_domain named by the last token reply, if any.
func (m *tokenManager) apiDomain() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.tok == nil {
		return ""
	}
	s, _ := m.tok.Extra("api_domain").(string)
	return s
}

// fixExpiry handles Zoho's replies that carry expires_in_sec: their
// expires_in is in milliseconds, which x/oauth2 reads as seconds.
func (m *tokenManager) fixExpiry(t *oauth2.Token) *oauth2.Token {
	var secs float64
	switch v := t.Extra("expires_in_sec").(type) {
	case float64:
		secs = v
	case string:
		secs, _ = strconv.ParseFloat(v, 64)
	case json.Number:
		secs, _ = v.Float64()
	}
	if secs > 0 {
		t = t.WithExtra(tokenExtra(t))
		t.Expiry = m.now().Add(time.Duration(secs) * time.Second)
	}
	return t
}

// tokenExtra keeps the fields x/oauth2 stored as extra, so WithExtra does
// not lose api_domain.
func tokenExtra(t *oauth2.Token) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"api_domain", "expires_in_sec", "scope"} {
		if v := t.Extra(k); v != nil {
			out[k] = v
		}
	}
	return out
}

// wrap turns a fetch failure into an [*AuthError] that names the accounts
// server and never carries the reply body (which a misbehaving server could
// fill with anything).
func (m *tokenManager) wrap(err error) error {
	ae := &AuthError{AccountsURL: m.accountsURL}
	var re *oauth2.RetrieveError
	switch {
	case errors.As(err, &re):
		ae.Code = re.ErrorCode
		switch {
		case re.Response == nil:
		case re.Response.StatusCode >= 300 && re.Response.StatusCode < 400:
			ae.Err = fmt.Errorf("HTTP %d: a redirect, not followed: a token request goes to the accounts server and nowhere else", re.Response.StatusCode)
		case ae.Code == "" || re.Response.StatusCode != http.StatusOK:
			// Zoho refuses with 200 and an error code, which says it all.
			ae.Err = fmt.Errorf("HTTP %d", re.Response.StatusCode)
		}
	default:
		ae.Err = err
	}
	return ae
}

// accountsClient returns the HTTP client of every call to an accounts
// server, a refresh as well as a grant code's exchange: transport (nil:
// net/http's default), the timeout, no cookie jar, and no redirect
// followed. A token request carries the client secret, and the refresh
// token or the grant code, in its form; a 307 or a 308 would send the form
// again to wherever it points. The redirect's own answer is the answer,
// which x/oauth2 reports as a failure ([AuthError] names its status).
func accountsClient(transport http.RoundTripper, timeout time.Duration) *http.Client {
	return &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// refreshFetch returns a fetch function for the refresh-token flow. The
// returned token's refresh token is remembered, in case Zoho ever rotates it.
func refreshFetch(cfg *oauth2.Config, refreshToken secret, hc *http.Client) func(context.Context) (*oauth2.Token, error) {
	var mu sync.Mutex
	rt := refreshToken
	return func(ctx context.Context) (*oauth2.Token, error) {
		mu.Lock()
		cur := rt
		mu.Unlock()
		ctx = context.WithValue(ctx, oauth2.HTTPClient, hc)
		// A token with no access token makes x/oauth2 refresh at once.
		t, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: cur.reveal()}).Token()
		if err != nil {
			return nil, err
		}
		if t.RefreshToken != "" {
			mu.Lock()
			rt = newSecret(t.RefreshToken)
			mu.Unlock()
		}
		return t, nil
	}
}

// authTransport sends the access token as `Authorization: Zoho-oauthtoken`
// (not Bearer, although Zoho's token reply says Bearer) to the API host
// only, and on INVALID_TOKEN refreshes once and retries once.
type authTransport struct {
	base      http.RoundTripper
	tokens    *tokenManager
	apiHost   func() string // the host that may receive the token
	userAgent string
	maxBody   int64
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Host != t.apiHost() {
		// Never reached through the client's own calls; a guard for
		// anything else sent through this transport.
		return nil, fmt.Errorf("zohoterritory: refusing to send credentials to host %q", req.URL.Host)
	}
	tok, err := t.tokens.token(req.Context())
	if err != nil {
		return nil, err
	}
	resp, err := t.send(req, tok.AccessToken)
	if err != nil || resp.StatusCode != http.StatusUnauthorized {
		return resp, err
	}
	body, readErr := io.ReadAll(resp.Body)
	_ = resp.Body.Close() // read to the end: nothing is lost
	if readErr != nil {
		// Hand the caller the same failure, such as ErrBodyTooLarge,
		// after the bytes that were read.
		resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), errReader{readErr}))
		return resp, nil
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if !isInvalidToken(body) {
		return resp, nil
	}
	t.tokens.invalidate(tok.AccessToken)
	fresh, err := t.tokens.token(req.Context())
	if err != nil {
		return nil, err
	}
	if fresh.AccessToken == tok.AccessToken {
		// The source cannot refresh (a static token): Zoho's answer stands.
		return resp, nil
	}
	return t.send(req, fresh.AccessToken)
}

func (t *authTransport) send(req *http.Request, token string) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Zoho-oauthtoken "+token)
	if t.userAgent != "" {
		r.Header.Set("User-Agent", t.userAgent)
	}
	resp, err := t.base.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	// The response keeps the request without its Authorization header, so
	// that a caller inspecting the raw response cannot leak the token.
	resp.Request = req
	resp.Body = &limitedBody{rc: resp.Body, left: t.maxBody}
	return resp, nil
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

// isInvalidToken reports whether a 401 body is Zoho's INVALID_TOKEN, the
// one 401 a refresh can cure (OAUTH_SCOPE_MISMATCH and
// AUTHENTICATION_FAILURE cannot).
func isInvalidToken(body []byte) bool {
	var e struct {
		Code string `json:"code"`
	}
	return json.Unmarshal(body, &e) == nil && e.Code == "INVALID_TOKEN"
}

// ErrBodyTooLarge is returned while reading a response body longer than the
// client's limit (see [WithMaxResponseBytes]).
var ErrBodyTooLarge = errors.New("zohoterritory: response body exceeds the size limit")

// limitedBody fails a read once more than its limit has been read, rather
// than silently truncating.
type limitedBody struct {
	rc   io.ReadCloser
	left int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, ErrBodyTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		return n, ErrBodyTooLarge
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
