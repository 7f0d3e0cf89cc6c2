package zohoterritory

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
	"github.com/seed-ab9c0d28/zohoterritory/internal/loopback"
)

// Option configures a [Client]. An option returns an [*OptionError] for a
// bad value, and [New] reports it.
type Option func(*settings) error

type settings struct {
	dc          DataCenter
	version     string
	apiDomain   *url.URL
	accountsURL string
	hc          *http.Client
	userAgent   string
	retry       RetryPolicy
	concurrency int // fixed; 0 for adaptive
	// concurrencyCap bounds the adaptive limit; capSet says
	// WithConcurrencyCap gave it.
	concurrencyCap int
	capSet         bool
	limits         map[Op]BatchLimits
	noSplit        bool
	maxBody        int64
	logger         *slog.Logger
	progress       func(Progress)
	accessToken    secret
	clientID       string
	clientSecret   secret
	refreshToken   secret
	tokenSource    oauth2.TokenSource
	auth           []string // the options that set credentials, in order
}

func optErr(option string, value any, format string, args ...any) error {
	return &OptionError{Option: option, Value: value, Err: fmt.Errorf(format, args...)}
}

// WithDataCenter selects the data centre (default [US]); its case and
// surrounding spaces do not matter ("eu" is [EU]). It decides the accounts
// server used for refreshing tokens and the API domain, unless
// [WithAccountsURL], [WithAPIDomain] or the token reply's api_domain say
// otherwise.
func WithDataCenter(dc DataCenter) Option {
	return func(s *settings) error {
		parsed, err := ParseDataCenter(string(dc))
		if err != nil {
			return optErr("WithDataCenter", string(dc), "unknown data centre: want one of %s", dataCenterList())
		}
		s.dc = parsed
		return nil
	}
}

// WithAPIVersion selects the API version (default [DefaultAPIVersion], v7).
// Every version of api/openapi.yaml is accepted: v2, v2.1, v3 … v8.
func WithAPIVersion(v string) Option {
	return func(s *settings) error {
		if !zohoapi.ApiVersion(v).Valid() {
			return optErr("WithAPIVersion", v, "unsupported version: want one of %s", strings.Join(APIVersions(), ", "))
		}
		s.version = v
		return nil
	}
}

// APIVersions returns the API versions [WithAPIVersion] accepts, oldest
// first.
func APIVersions() []string {
	return []string{"v2", "v2.1", "v3", "v4", "v5", "v6", "v7", "v8"}
}

// WithAPIDomain sends requests to baseURL instead of the data centre's API
// domain, such as a sandbox (default: the token reply's api_domain, else
// the data centre's). It must be https, or plain http to a loopback
// address only. A path prefix is kept (for a proxy that serves the API
// below one), but it must not hold the API's own `crm` segment: give
// https://www.zohoapis.eu, not https://www.zohoapis.eu/crm/v7.
func WithAPIDomain(baseURL string) Option {
	return func(s *settings) error {
		u, err := checkBaseURL("WithAPIDomain", baseURL)
		if err != nil {
			return err
		}
		for seg := range strings.SplitSeq(u.Path, "/") {
			if strings.EqualFold(seg, "crm") {
				bare := url.URL{Scheme: u.Scheme, Host: u.Host}
				return optErr("WithAPIDomain", baseURL, "the path holds the API's own /crm/ part, which the client adds: give the domain alone, such as %s", bare.String())
			}
		}
		s.apiDomain = u
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
// requests go through (default: a client with http.DefaultTransport's
// settings and an idle connection kept for each call that may be in
// flight). The client is copied, not modified: the copy adds
// authentication and refuses redirects to other hosts. A transport of
// your own keeps its settings: give it MaxIdleConnsPerHost of at least the
// concurrency, or connections are closed and dialled again between calls.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return optErr("WithHTTPClient", nil, "a client is required, not nil")
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
			return optErr("WithUserAgent", ua, "must be non-empty and on one line")
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
			return err
		}
		s.retry = p
		return nil
	}
}

// WithConcurrency fixes how many calls the client has in flight at once,
// across all its calls, instead of finding Zoho's limit itself. Zoho limits
// concurrent calls per organization and app (5 to 25 by edition) and
// answers 429 above the limit; a fixed limit above it has calls refused and
// retried as the [RetryPolicy] says, spending the retry budget. Without
// this option the limit is adaptive: it starts at 4, grows while calls
// pass, comes down on a 429 and never exceeds [WithConcurrencyCap] (see
// [Client.Concurrency]).
func WithConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return optErr("WithConcurrency", n, "must be at least 1")
		}
		if s.capSet {
			return optErr("WithConcurrency", n, "a fixed limit leaves nothing for WithConcurrencyCap to bound: give one of them")
		}
		s.concurrency = n
		return nil
	}
}

// WithConcurrencyCap bounds the adaptive concurrency limit (default
// [DefaultConcurrencyCap], the limit of Zoho's largest edition): set it to
// an edition's limit to leave room for other apps of the organization, or
// to keep a client from ever probing past it.
func WithConcurrencyCap(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return optErr("WithConcurrencyCap", n, "must be at least 1")
		}
		if s.concurrency > 0 {
			return optErr("WithConcurrencyCap", n, "a fixed limit (WithConcurrency) leaves nothing to bound: give one of them")
		}
		s.concurrencyCap, s.capSet = n, true
		return nil
	}
}

// WithBatchSize sets how many ids one call of every op carries at most
// (default and maximum [MaxBatchSize]); the character caps of
// [DefaultBatchLimits] stay.
func WithBatchSize(n int) Option {
	return func(s *settings) error {
		if n < 1 || n > MaxBatchSize {
			return optErr("WithBatchSize", n, "must be between 1 and %d", MaxBatchSize)
		}
		for op, l := range s.limits {
			l.IDs = n
			s.limits[op] = l
		}
		return nil
	}
}

// WithSplitRefusedBatches says whether a batch that Zoho refuses as a
// whole for some of its ids (a request-level INVALID_DATA such as "One or
// more given territory IDs seem to be invalid", or an over-long `ids`:
// nothing was done) is sent again in halves until the bad ids fail alone
// and the others are removed (default true). Off, every id of such a batch
// fails as Zoho answered.
func WithSplitRefusedBatches(on bool) Option {
	return func(s *settings) error {
		s.noSplit = !on
		return nil
	}
}

// WithBatchLimits sets the limits of one call of op (default
// [DefaultBatchLimits]), for a Zoho that proves stricter or looser than
// its files say.
func WithBatchLimits(op Op, l BatchLimits) Option {
	return func(s *settings) error {
		if _, ok := s.limits[op]; !ok {
			return optErr("WithBatchLimits", string(op), "unknown op")
		}
		if err := l.validate(); err != nil {
			return &OptionError{Option: "WithBatchLimits", Value: string(op), Err: err}
		}
		s.limits[op] = l
		return nil
	}
}

// WithMaxResponseBytes sets the largest response body read (default
// [DefaultMaxResponseBytes], 1 MiB); a longer one fails with
// [ErrBodyTooLarge].
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n < 1024 {
			return optErr("WithMaxResponseBytes", n, "must be at least 1024")
		}
		s.maxBody = n
		return nil
	}
}

// WithLogger sets a logger for requests, retries and refreshes (default:
// none). No secret is ever logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return optErr("WithLogger", nil, "a logger is required, not nil")
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
			return optErr("WithProgress", nil, "a function is required, not nil")
		}
		s.progress = fn
		return nil
	}
}

// WithAccessToken authenticates with a fixed access token, such as one from
// Zoho's self client. It is not refreshed: when Zoho rejects it, calls fail
// with [ErrInvalidToken]. At most one of WithAccessToken,
// [WithRefreshToken] and [WithTokenSource] may be given.
func WithAccessToken(token string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(token) == "" {
			return optErr("WithAccessToken", nil, "the token is empty")
		}
		s.accessToken = newSecret(token)
		s.auth = append(s.auth, "WithAccessToken")
		return nil
	}
}

// WithRefreshToken authenticates with the refresh-token flow: the client
// asks the accounts server for access tokens as needed, once for all
// concurrent callers, and again once when Zoho rejects one as invalid.
// When the accounts server refuses the credentials themselves (a revoked
// refresh token, a wrong client: invalid_code, invalid_client…), the
// Client keeps that [*AuthError] and fails later calls with it without
// asking again.
func WithRefreshToken(clientID, clientSecret, refreshToken string) Option {
	return func(s *settings) error {
		switch {
		case strings.TrimSpace(clientID) == "":
			return optErr("WithRefreshToken", nil, "the client id is empty")
		case strings.TrimSpace(clientSecret) == "":
			return optErr("WithRefreshToken", nil, "the client secret is empty")
		case strings.TrimSpace(refreshToken) == "":
			return optErr("WithRefreshToken", nil, "the refresh token is empty")
		}
		s.clientID, s.clientSecret, s.refreshToken = clientID, newSecret(clientSecret), newSecret(refreshToken)
		s.auth = append(s.auth, "WithRefreshToken")
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
			return optErr("WithTokenSource", nil, "a token source is required, not nil")
		}
		s.tokenSource = ts
		s.auth = append(s.auth, "WithTokenSource")
		return nil
	}
}

// checkBaseURL parses a base URL and enforces https, or http to loopback
// only. The result ends in "/" so that operation paths are joined below
// any path prefix. A refusal is an [*OptionError] of option what.
func checkBaseURL(what, raw string) (*url.URL, error) {
	// The URL is quoted in errors only once it is known to carry no user
	// info and no query, where a password or token could hide.
	u, err := url.Parse(raw)
	if err != nil {
		// A url.Error would quote the whole URL.
		return nil, optErr(what, nil, "not a URL: %w", errors.Unwrap(err))
	}
	if u.User != nil {
		return nil, optErr(what, u.Redacted(), "must not have user info")
	}
	if u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
		shown := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
		bare := url.URL{Scheme: u.Scheme, Host: u.Host, Path: strings.TrimSuffix(u.Path, "/")}
		return nil, optErr(what, shown.String()+"?…", "must not have a query or a fragment: give the URL alone, such as %s", bare.String())
	}
	if u.Host == "" {
		return nil, optErr(what, raw, "must be an absolute URL such as https://www.zohoapis.com")
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback.Host(u.Hostname()) {
			return nil, optErr(what, raw, "plain http is allowed only for loopback addresses (127.0.0.1, ::1, localhost); use https")
		}
	default:
		return nil, optErr(what, raw, "scheme must be https (or http for loopback)")
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	return u, nil
}
