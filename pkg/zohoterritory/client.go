package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
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
// every op. Calls are also bounded by characters: see [BatchLimits].
const MaxBatchSize = 100

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
	limiter     *limiter
	limits      map[Op]BatchLimits
	// splitRefused sends a batch refused for its ids again in halves.
	splitRefused bool
	logger       *slog.Logger
	progress     func(Progress)

	genMu   sync.Mutex
	gen     *zohoapi.Client // built by api for genBase
	genBase string

	// Injected so tests control time and randomness.
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	rnd   func() float64
}

// Progress reports how far a change has come; see [WithProgress].
type Progress struct {
	// Total is how many ids the change has (repeats dropped).
	Total int
	// Done is how many ids have an outcome Zoho told: removed, or failed
	// for a reason of Zoho's.
	Done int
	// Unknown is how many ids were sent without their outcome being
	// learned; NotSent how many were never sent (stopped, cancelled, or
	// after a failure that every call would meet).
	Unknown, NotSent int
}

// New returns a Client configured by opts. It fails with an
// [*OptionError] naming the option when a value is invalid or when more
// than one way to authenticate is given.
//
// Credentials are optional: a Client built without WithAccessToken,
// WithRefreshToken or WithTokenSource checks ids and plans calls (the
// Plan methods) but sends nothing; its other calls fail with an
// [*AuthError] matching [ErrNoCredentials].
func New(opts ...Option) (*Client, error) {
	s := settings{
		dc:             US,
		version:        DefaultAPIVersion,
		userAgent:      "zohoterritory-go/1 (+https://github.com/seed-ab9c0d28/zohoterritory)",
		retry:          DefaultRetryPolicy(),
		concurrencyCap: DefaultConcurrencyCap,
		limits: map[Op]BatchLimits{
			OpRemoveUsers:       DefaultBatchLimits(OpRemoveUsers),
			OpRemoveTerritories: DefaultBatchLimits(OpRemoveTerritories),
			OpAddUsers:          DefaultBatchLimits(OpAddUsers),
			OpAddTerritories:    DefaultBatchLimits(OpAddTerritories),
		},
		maxBody: DefaultMaxResponseBytes,
	}
	for i, opt := range opts {
		if opt == nil {
			return nil, &OptionError{Option: fmt.Sprintf("opts[%d]", i), Err: errors.New("nil option")}
		}
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	if len(s.auth) > 1 {
		return nil, &OptionError{Option: s.auth[1], Err: fmt.Errorf("a second way to authenticate, after %s: give one of WithAccessToken, WithRefreshToken, WithTokenSource", s.auth[0])}
	}

	c := &Client{
		dc:           s.dc,
		version:      zohoapi.Version(s.version),
		accountsURL:  s.accountsURL,
		retry:        s.retry,
		limits:       s.limits,
		splitRefused: !s.noSplit,
		logger:       s.logger,
		progress:     s.progress,
		now:          time.Now,
		sleep:        sleepCtx,
		rnd:          rand.Float64,
	}
	if s.concurrency > 0 {
		c.limiter = newFixedLimiter(s.concurrency)
	} else {
		c.limiter = newAdaptiveLimiter(s.concurrencyCap)
		c.limiter.onChange = c.logLimit
	}
	if c.accountsURL == "" {
		c.accountsURL = s.dc.AccountsURL()
	}
	c.apiBase = s.apiDomain

	base := s.hc
	if base == nil {
		base = &http.Client{}
	}
	baseTransport := base.Transport
	if baseTransport == nil {
		baseTransport = defaultTransport(c.limiter.cap)
	}

	c.tokens = &tokenManager{timeout: s.retry.AttemptTimeout, now: func() time.Time { return c.now() }}
	switch {
	case len(s.auth) == 0:
		c.tokens.fetch = func(context.Context) (*oauth2.Token, error) { return nil, ErrNoCredentials }
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
		c.tokens.fetch = refreshFetch(cfg, s.refreshToken, accountsClient(baseTransport, base.Timeout))
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

// progressTracker serialises progress reports.
type progressTracker struct {
	mu sync.Mutex
	p  Progress
	fn func(Progress)
}

// add counts a batch's outcomes in.
func (t *progressTracker) add(items []ItemResult) {
	if t == nil || t.fn == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, it := range items {
		switch {
		case it.Outcome == Unknown:
			t.p.Unknown++
		case it.Reason == ReasonNotSent:
			t.p.NotSent++
		default:
			t.p.Done++
		}
	}
	t.fn(t.p)
}

// defaultTransport is http.DefaultTransport's configuration with room to
// keep a connection for every call the client may have in flight: with
// net/http's default of 2 idle connections a host, each wave of answers
// above 2 would close its connections and dial new ones for the next.
func defaultTransport(conns int) http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		return http.DefaultTransport // replaced by the program: its choice
	}
	t = t.Clone()
	t.MaxIdleConnsPerHost = max(conns, t.MaxIdleConnsPerHost)
	t.MaxIdleConns = max(conns, t.MaxIdleConns)
	return t
}
