package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// MaxBatchSize is the most ids one call may carry: Zoho's documented
// limit for removing territories from a user, and the client's limit for
// both endpoints.
const MaxBatchSize = 100

// DefaultConcurrency is how many batches a [Client] sends at once unless
// [WithConcurrency] says otherwise: well under the smallest Zoho edition's
// limit of 5 concurrent calls.
const DefaultConcurrency = 4

// DefaultMaxResponseBytes is the largest response body a [Client] reads
// unless [WithMaxResponseBytes] says otherwise.
const DefaultMaxResponseBytes = 1 << 20

// DefaultAPIVersion is the API version a [Client] calls unless
// [WithAPIVersion] says otherwise.
const DefaultAPIVersion = "v7"

// Client removes territory membership in one Zoho CRM organization. Build
// it with [New]; it is safe for concurrent use by multiple goroutines.
type Client struct {
	dc          DataCenter
	version     zohoapi.Version
	apiBase     *url.URL // explicit API domain; nil to use the data centre's or the token's
	accountsURL string
	hc          *http.Client
	tokens      *tokenManager
	retry       RetryPolicy
	concurrency int
	batchSize   int
	logger      *slog.Logger
	progress    func(Progress)

	genMu   sync.Mutex
	gen     *zohoapi.Client // built by api for genBase
	genBase string

	// Injected so tests control time and randomness.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	rnd   func() float64
}

// Progress reports how far a removal has come; see [WithProgress].
type Progress struct {
	// Done is how many ids have an outcome so far; Total is how many the
	// removal has (repeats dropped).
	Done, Total int
}

// Option configures a [Client]. Options return an error for a bad value,
// and [New] reports it.
type Option func(*settings) error

type settings struct {
	dc           DataCenter
	version      string
	apiDomain    string
	accountsURL  string
	hc           *http.Client
	userAgent    string
	retry        RetryPolicy
	concurrency  int
	batchSize    int
	maxBody      int64
	logger       *slog.Logger
	progress     func(Progress)
	accessToken  secret
	clientID     string
	clientSecret secret
	refreshToken secret
	tokenSource  oauth2.TokenSource
	authSet      int
}

// WithDataCenter selects the data centre (default [US]). It decides the
// accounts server used for refreshing tokens and the API domain, unless
// [WithAccountsURL], [WithAPIDomain] or the token reply's api_domain say
// otherwise.
func WithDataCenter(dc DataCenter) Option {
	return func(s *settings) error {
		if !dc.Valid() {
			return fmt.Errorf("WithDataCenter(%q): unknown data centre: want one of %s", dc, dataCenterList())
		}
		s.dc = dc
		return nil
	}
}

// WithAPIVersion selects the API version (default [DefaultAPIVersion], v7).
// Every version of api/openapi.yaml is accepted: v2, v2.1, v3 … v8.
func WithAPIVersion(v string) Option {
	return func(s *settings) error {
		if !zohoapi.ApiVersion(v).Valid() {
			return fmt.Errorf("WithAPIVersion(%q): unsupported version: want one of v2, v2.1, v3, v4, v5, v6, v7, v8", v)
		}
		s.version = v
		return nil
	}
}

// WithAPIDomain sends requests to baseURL instead of the data centre's API
// domain, such as a sandbox (default: the token reply's api_domain, else
// the data centre's). It must be https, or plain http to a loopback
// address only; a path prefix is kept.
func WithAPIDomain(baseURL string) Option {
	return func(s *settings) error {
		if _, err := checkBaseURL("WithAPIDomain", baseURL); err != nil {
			return err
		}
		s.apiDomain = baseURL
		return nil
	}
}

// WithAccountsURL sets the accounts server for the refresh-token flow
// (default: the data centre's, such as https://accounts.zoho.com). The same
// https-or-loopback rule as [WithAPIDomain] applies.
func WithAccountsURL(baseURL string) Option {
	return func(s *settings) error {
		if _, err := checkBaseURL("WithAccountsURL", baseURL); err != nil {
			return err
		}
		s.accountsURL = strings.TrimSuffix(baseURL, "/")
		return nil
	}
}

// WithHTTPClient sets the HTTP client whose transport, jar and timeout
// requests go through (default: a client with http.DefaultTransport). The
// client is copied, not modified: the copy adds authentication and refuses
// redirects to other hosts.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("WithHTTPClient(nil): a client is required")
		}
		s.hc = hc
		return nil
	}
}

// WithUserAgent sets the User-Agent header (default
// "zohoterritory-go/1 (+https://github.com/seed-ab9c0d28/zohoterritory)").
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return fmt.Errorf("WithUserAgent(%q): must be non-empty and on one line", ua)
		}
		s.userAgent = ua
		return nil
	}
}

// WithRetryPolicy sets when and how requests are retried (default
// [DefaultRetryPolicy]).
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		if err := p.validate(); err != nil {
			return fmt.Errorf("WithRetryPolicy: %w", err)
		}
		s.retry = p
		return nil
	}
}

// WithConcurrency sets how many batches are sent at once (default
// [DefaultConcurrency]). Zoho limits concurrent calls per organization
// (5 to 25 by edition), and answers 429 above the limit.
func WithConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return fmt.Errorf("WithConcurrency(%d): must be at least 1", n)
		}
		s.concurrency = n
		return nil
	}
}

// WithBatchSize sets how many ids one call carries (default and maximum
// [MaxBatchSize]).
func WithBatchSize(n int) Option {
	return func(s *settings) error {
		if n < 1 || n > MaxBatchSize {
			return fmt.Errorf("WithBatchSize(%d): must be between 1 and %d", n, MaxBatchSize)
		}
		s.batchSize = n
		return nil
	}
}

// WithMaxResponseBytes sets the largest response body read (default
// [DefaultMaxResponseBytes], 1 MiB); a longer one fails with
// [ErrBodyTooLarge].
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n < 1024 {
			return fmt.Errorf("WithMaxResponseBytes(%d): must be at least 1024", n)
		}
		s.maxBody = n
		return nil
	}
}

// WithLogger sets a logger for retries and refreshes (default: none). No
// secret is ever logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("WithLogger(nil): a logger is required")
		}
		s.logger = l
		return nil
	}
}

// WithProgress sets a function called after each batch with how many ids
// have an outcome (default: none). It is called from the goroutines that
// send batches, one call at a time.
func WithProgress(fn func(Progress)) Option {
	return func(s *settings) error {
		if fn == nil {
			return errors.New("WithProgress(nil): a function is required")
		}
		s.progress = fn
		return nil
	}
}

// WithAccessToken authenticates with a fixed access token, such as one from
// Zoho's self client. It is not refreshed: when Zoho rejects it, calls fail
// with [ErrInvalidToken]. Exactly one of WithAccessToken,
// [WithRefreshToken] and [WithTokenSource] is required.
func WithAccessToken(token string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(token) == "" {
			return errors.New("WithAccessToken: the token is empty")
		}
		s.accessToken = newSecret(token)
		s.authSet++
		return nil
	}
}

// WithRefreshToken authenticates with the refresh-token flow: the client
// asks the accounts server for access tokens as needed, once for all
// concurrent callers, and again once when Zoho rejects one as invalid.
func WithRefreshToken(clientID, clientSecret, refreshToken string) Option {
	return func(s *settings) error {
		switch {
		case strings.TrimSpace(clientID) == "":
			return errors.New("WithRefreshToken: the client id is empty")
		case strings.TrimSpace(clientSecret) == "":
			return errors.New("WithRefreshToken: the client secret is empty")
		case strings.TrimSpace(refreshToken) == "":
			return errors.New("WithRefreshToken: the refresh token is empty")
		}
		s.clientID, s.clientSecret, s.refreshToken = clientID, newSecret(clientSecret), newSecret(refreshToken)
		s.authSet++
		return nil
	}
}

// WithTokenSource authenticates with tokens from ts, which should cache
// them (as oauth2.ReuseTokenSource does). When Zoho rejects a token, ts is
// asked once more; if it returns the same token, the call fails with
// [ErrInvalidToken].
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(s *settings) error {
		if ts == nil {
			return errors.New("WithTokenSource(nil): a token source is required")
		}
		s.tokenSource = ts
		s.authSet++
		return nil
	}
}

// New returns a Client configured by opts. It fails, naming the option,
// when a value is invalid or when no (or more than one) way to
// authenticate is given.
func New(opts ...Option) (*Client, error) {
	s := settings{
		dc:          US,
		version:     DefaultAPIVersion,
		userAgent:   "zohoterritory-go/1 (+https://github.com/seed-ab9c0d28/zohoterritory)",
		retry:       DefaultRetryPolicy(),
		concurrency: DefaultConcurrency,
		batchSize:   MaxBatchSize,
		maxBody:     DefaultMaxResponseBytes,
	}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("zohoterritory.New: nil option")
		}
		if err := opt(&s); err != nil {
			return nil, fmt.Errorf("zohoterritory.New: %w", err)
		}
	}
	switch {
	case s.authSet == 0:
		return nil, errors.New("zohoterritory.New: no credentials: use WithAccessToken, WithRefreshToken or WithTokenSource")
	case s.authSet > 1:
		return nil, errors.New("zohoterritory.New: more than one way to authenticate: use one of WithAccessToken, WithRefreshToken, WithTokenSource")
	}

	c := &Client{
		dc:          s.dc,
		version:     zohoapi.Version(s.version),
		accountsURL: s.accountsURL,
		retry:       s.retry,
		concurrency: s.concurrency,
		batchSize:   s.batchSize,
		logger:      s.logger,
		progress:    s.progress,
		now:         time.Now,
		sleep:       sleepCtx,
		rnd:         rand.Float64,
	}
	if c.accountsURL == "" {
		c.accountsURL = s.dc.AccountsURL()
	}
	if s.apiDomain != "" {
		c.apiBase, _ = checkBaseURL("WithAPIDomain", s.apiDomain)
	}

	base := s.hc
	if base == nil {
		base = &http.Client{}
	}
	baseTransport := base.Transport
	if baseTransport == nil {
		baseTransport = http.DefaultTransport
	}

	c.tokens = &tokenManager{timeout: s.retry.AttemptTimeout, now: func() time.Time { return c.now() }}
	switch {
	case s.accessToken.isSet():
		tok := &oauth2.Token{AccessToken: s.accessToken.reveal()}
		c.tokens.fetch = func(context.Context) (*oauth2.Token, error) { return tok, nil }
	case s.tokenSource != nil:
		c.tokens.fetch = func(context.Context) (*oauth2.Token, error) { return s.tokenSource.Token() }
	default:
		cfg := &oauth2.Config{
			ClientID:     s.clientID,
			ClientSecret: s.clientSecret.reveal(),
			Endpoint: oauth2.Endpoint{
				TokenURL:  c.accountsURL + "/oauth/v2/token",
				AuthStyle: oauth2.AuthStyleInParams,
			},
		}
		// The accounts server gets the caller's transport but not the
		// authenticating one.
		tokenHC := &http.Client{Transport: baseTransport, Timeout: base.Timeout}
		c.tokens.fetch = refreshFetch(cfg, s.refreshToken, tokenHC)
		c.tokens.accountsURL = c.accountsURL
	}

	c.hc = &http.Client{
		Transport: &authTransport{
			base:      baseTransport,
			tokens:    c.tokens,
			apiHost:   func() string { return c.baseURL().Host },
			userAgent: s.userAgent,
			maxBody:   s.maxBody,
		},
		CheckRedirect: c.checkRedirect,
		Jar:           base.Jar,
		Timeout:       base.Timeout,
	}
	return c, nil
}

// checkRedirect follows redirects on the API host only, so that the token
// is never sent elsewhere (go-github's checkRedirectHost).
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("zohoterritory: stopped after 10 redirects")
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return fmt.Errorf("zohoterritory: refusing redirect from %s to another host %s", via[0].URL.Host, req.URL.Host)
	}
	return nil
}

// baseURL is where API requests go: the explicit API domain, else the
// api_domain of the token reply, else the data centre's API domain.
func (c *Client) baseURL() *url.URL {
	if c.apiBase != nil {
		return c.apiBase
	}
	if d := c.tokens.apiDomain(); d != "" {
		if u, err := checkBaseURL("api_domain", d); err == nil {
			return u
		}
	}
	u, _ := url.Parse(c.dc.APIDomain() + "/")
	return u
}

// api returns the generated client for the current base URL, built with
// [zohoapi.NewClient] over the authenticating HTTP client. The base URL may
// change once, when the first token reply names an api_domain; the
// generated client is then built again for it.
func (c *Client) api() (*zohoapi.Client, error) {
	base := c.baseURL().String()
	c.genMu.Lock()
	defer c.genMu.Unlock()
	if c.gen != nil && c.genBase == base {
		return c.gen, nil
	}
	gc, err := zohoapi.NewClient(base, zohoapi.WithHTTPClient(c.hc))
	if err != nil {
		return nil, fmt.Errorf("generated client for %s: %w", base, err)
	}
	c.gen, c.genBase = gc, base
	return gc, nil
}

// APIDomain returns the base URL requests currently go to.
func (c *Client) APIDomain() string { return strings.TrimSuffix(c.baseURL().String(), "/") }

// APIVersion returns the API version the client calls.
func (c *Client) APIVersion() string { return string(c.version) }

// checkBaseURL parses a base URL and enforces https, or http to loopback
// only. The result ends in "/" so that operation paths are joined below
// any path prefix.
func checkBaseURL(what, raw string) (*url.URL, error) {
	// The URL is quoted in errors only once it is known to carry no user
	// info and no query, where a password or token could hide.
	u, err := url.Parse(raw)
	if err != nil {
		// A url.Error would quote the whole URL.
		return nil, fmt.Errorf("%s: not a URL: %w", what, errors.Unwrap(err))
	}
	if u.User != nil {
		return nil, fmt.Errorf("%s(%q): must not have user info", what, u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		bare := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
		return nil, fmt.Errorf("%s(%q): must not have a query or a fragment", what, bare.String()+"?…")
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%s(%q): must be an absolute URL such as https://www.zohoapis.com", what, raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !isLoopbackHost(u.Hostname()) {
			return nil, fmt.Errorf("%s(%q): plain http is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use https", what, raw)
		}
	default:
		return nil, fmt.Errorf("%s(%q): scheme must be https (or http for loopback)", what, raw)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// logRetry logs a retry, if a logger is set.
func (c *Client) logRetry(op string, attempt int, wait time.Duration, why string) {
	if c.logger != nil {
		c.logger.Warn("zohoterritory: retrying", "operation", op, "attempt", attempt, "wait", wait, "reason", why)
	}
}

// progressTracker serialises progress reports.
type progressTracker struct {
	mu    sync.Mutex
	done  int
	total int
	fn    func(Progress)
}

func (p *progressTracker) add(n int) {
	if p == nil || p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += n
	p.fn(Progress{Done: p.done, Total: p.total})
}
