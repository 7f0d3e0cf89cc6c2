// Package proxy is the validating, recording reverse proxy of
// `zohoterritory-contract proxy`: a client points its API domain (and its
// accounts URL) at it, and it forwards every request to one target host,
// streams the answer back, checks both halves with the two validators of
// internal/contract, logs one line per exchange, and records each exchange
// as a contract case with its secrets removed (package record).
//
// What it decides:
//   - It forwards only to the target it was given (the incoming Host is
//     ignored), over https unless the target is on loopback. It never
//     follows a redirect; a redirect to the target's own host is passed on
//     with its Location made relative, so that the client comes back
//     through the proxy; a redirect to any other host is refused: the
//     client gets a 502 that says so, and the exchange counts as a failure.
//   - Requests under /oauth/ go to the accounts target, when there is one,
//     and are recorded (secrets removed) but not validated: the token
//     endpoint is not part of the spec. When the token reply names the API
//     target as its api_domain, the client is given the proxy's own address
//     instead, so that it keeps calling through the proxy; the recording
//     keeps what the accounts server sent.
//   - Requests under /crm/ are the API's: each is validated, request and
//     response, and recorded; one that no operation of the spec describes
//     is a violation. Any other path (a browser's favicon) is forwarded,
//     logged as not an operation of the spec, not recorded, not a violation.
//   - An exchange without a complete answer (the target did not answer,
//     the body was cut off, the client went away) is logged as an error and
//     not recorded: a case holds a complete answer.
//   - The proxy asks the target for gzip itself and passes answers on
//     decompressed (net/http's transparent compression), so that it can
//     read them; the client's Accept-Encoding is not forwarded.
package proxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/loopback"
	"github.com/seed-ab9c0d28/zohoterritory/internal/record"
)

// DefaultMaxBodyBytes is how much of a body the proxy keeps to validate and
// record, unless [WithMaxBodyBytes] says otherwise: Zoho's largest page
// (200 users) is well under it. Longer bodies are still passed on whole.
const DefaultMaxBodyBytes = 4 << 20

// Proxy is the validating, recording reverse proxy; it is an
// [http.Handler]. It is safe for concurrent use.
type Proxy struct {
	target, accounts *url.URL // accounts is nil without WithAccountsTarget
	api, auth        *httputil.ReverseProxy
	validator        *contract.Validator
	scrub            *record.Scrubber
	dir              *record.Dir // nil: nothing is recorded
	log              io.Writer
	transport        http.RoundTripper
	maxBody          int64
	now              func() time.Time

	seq   atomic.Int64
	logMu sync.Mutex
	mu    sync.Mutex
	stats Stats
}

// Stats counts the exchanges the proxy has seen.
type Stats struct {
	// Exchanges is every request the proxy answered or passed on.
	Exchanges int
	// OK is the API exchanges both validators accepted.
	OK int
	// Violations is the API exchanges that broke the contract: a request
	// or a response either validator rejected, or a /crm/ request that no
	// operation describes.
	Violations int
	// Refused is the redirects to another host the proxy did not pass on.
	Refused int
	// NotInSpec is the requests outside the API (/crm/) and the token
	// endpoint, passed on unchecked.
	NotInSpec int
	// Tokens is the token endpoint's exchanges.
	Tokens int
	// Errors is the exchanges without a complete answer, or with a body
	// too long to check.
	Errors int
	// Recorded is the case files written.
	Recorded int
}

// Failed returns the exchanges that make `--fail-on-violation` fail: the
// violations and the refused redirects.
func (s Stats) Failed() int { return s.Violations + s.Refused }

func (s Stats) String() string {
	return fmt.Sprintf("%d exchanges: %d ok, %d broke the contract, %d redirects refused, %d token requests, %d not operations of the spec, %d errors; %d recorded",
		s.Exchanges, s.OK, s.Violations, s.Refused, s.Tokens, s.NotInSpec, s.Errors, s.Recorded)
}

// Option configures a [Proxy]; it returns an error for a bad value, which
// [New] returns.
type Option func(*Proxy) error

// WithAccountsTarget sends requests under /oauth/ (the token endpoint) to
// rawURL, such as "https://accounts.zoho.eu", with the rules of [New]'s
// target. The default is none: such requests are answered 502.
func WithAccountsTarget(rawURL string) Option {
	return func(p *Proxy) error {
		u, err := ParseTarget(rawURL)
		if err != nil {
			return err
		}
		p.accounts = u
		return nil
	}
}

// WithValidator sets the contract check. The default is [contract.New].
func WithValidator(v *contract.Validator) Option {
	return func(p *Proxy) error {
		if v == nil {
			return errors.New("proxy: WithValidator(nil): a validator is required")
		}
		p.validator = v
		return nil
	}
}

// WithRecording writes every recorded exchange into dir. The default is to
// record nothing.
func WithRecording(dir *record.Dir) Option {
	return func(p *Proxy) error {
		if dir == nil {
			return errors.New("proxy: WithRecording(nil): a directory is required")
		}
		p.dir = dir
		return nil
	}
}

// WithScrubber sets what removes secrets (and, if it does, pseudonymizes)
// the recordings and the log. The default is record.NewScrubber(false).
func WithScrubber(s *record.Scrubber) Option {
	return func(p *Proxy) error {
		if s == nil {
			return errors.New("proxy: WithScrubber(nil): a scrubber is required")
		}
		p.scrub = s
		return nil
	}
}

// WithLog sets where the line of each exchange goes. The default is
// nowhere. Lines are written one at a time.
func WithLog(w io.Writer) Option {
	return func(p *Proxy) error {
		if w == nil {
			return errors.New("proxy: WithLog(nil): a writer is required")
		}
		p.log = w
		return nil
	}
}

// WithTransport sets the transport requests are sent with. The default is
// a clone of [http.DefaultTransport]. It must not follow redirects
// ([http.Transport] never does).
func WithTransport(rt http.RoundTripper) Option {
	return func(p *Proxy) error {
		if rt == nil {
			return errors.New("proxy: WithTransport(nil): a transport is required")
		}
		p.transport = rt
		return nil
	}
}

// WithMaxBodyBytes sets how much of each body is kept to validate and
// record; the default is [DefaultMaxBodyBytes].
func WithMaxBodyBytes(n int64) Option {
	return func(p *Proxy) error {
		if n < 1024 {
			return fmt.Errorf("proxy: WithMaxBodyBytes(%d): must be at least 1024", n)
		}
		p.maxBody = n
		return nil
	}
}

// ParseTarget checks a target URL: an absolute https URL of a host alone
// (no path, query or credentials), or plain http to a loopback host (the
// sandbox).
func ParseTarget(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	shown := withoutUserinfo(rawURL)
	switch {
	case err != nil:
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the URL, credentials and all
		}
		return nil, fmt.Errorf("%q: %w", shown, err)
	case u.Host == "" || (u.Scheme != "https" && u.Scheme != "http"):
		return nil, fmt.Errorf("%q: must be an absolute http(s) URL such as https://www.zohoapis.com", shown)
	case u.Scheme == "http" && !loopback.Host(u.Hostname()):
		return nil, fmt.Errorf("%q: must be https; plain http is allowed only to a loopback host (127.0.0.1, ::1, localhost)", shown)
	case u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("%q: must be the host alone, such as https://www.zohoapis.com (no path, query or credentials)", shown)
	}
	return &url.URL{Scheme: u.Scheme, Host: u.Host}, nil
}

// withoutUserinfo returns rawURL with any user:password@ before its host
// replaced by "…@", so that an error can name the URL without a secret.
func withoutUserinfo(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return rawURL
	}
	authority, path, _ := strings.Cut(rest, "/")
	at := strings.LastIndex(authority, "@")
	if at < 0 {
		return rawURL
	}
	out := scheme + "://…@" + authority[at+1:]
	if len(authority) < len(rest) {
		out += "/" + path
	}
	return out
}

// New returns a proxy to target (see [ParseTarget] for what it accepts).
func New(target string, opts ...Option) (*Proxy, error) {
	t, err := ParseTarget(target)
	if err != nil {
		return nil, err
	}
	p := &Proxy{target: t, log: io.Discard, maxBody: DefaultMaxBodyBytes, now: time.Now}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("proxy: nil option")
		}
		if err := opt(p); err != nil {
			return nil, err
		}
	}
	if p.validator == nil {
		if p.validator, err = contract.New(); err != nil {
			return nil, err
		}
	}
	if p.scrub == nil {
		p.scrub = record.NewScrubber(false)
	}
	if p.transport == nil {
		p.transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	p.api = p.reverseProxy(p.target)
	if p.accounts != nil {
		p.auth = p.reverseProxy(p.accounts)
	}
	return p, nil
}

// Stats returns the counts so far.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Target returns the API target.
func (p *Proxy) Target() *url.URL { u := *p.target; return &u }

func (p *Proxy) reverseProxy(target *url.URL) *httputil.ReverseProxy {
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target) // scheme, host and the Host header: the target's, whatever came in
			pr.Out.Header.Del("Accept-Encoding")
			x := exchangeOf(pr.In.Context())
			x.url = cloneURL(pr.Out.URL)
			if pr.Out.Body != nil && pr.Out.Body != http.NoBody {
				x.reqBody = &capture{rc: pr.Out.Body, max: p.maxBody}
				pr.Out.Body = x.reqBody
			}
		},
		Transport:      p.transport,
		ModifyResponse: p.modifyResponse,
		ErrorHandler:   p.errorHandler,
		ErrorLog:       log.New(io.Discard, "", 0), // each exchange has its own line
	}
}

type exchangeKey struct{}

// exchange is what the proxy learns of one request as it goes through.
type exchange struct {
	seq      int64
	accounts bool
	in       *http.Request
	url      *url.URL // as sent to the target
	reqBody  *capture

	status     int // 0 until an answer came
	respHeader http.Header
	respBody   *capture
	tokenBody  []byte // the token reply as the accounts server sent it

	refused string // why the answer was not passed on
	err     string // why there is no complete answer
}

func exchangeOf(ctx context.Context) *exchange {
	x, _ := ctx.Value(exchangeKey{}).(*exchange)
	return x
}

func cloneURL(u *url.URL) *url.URL { c := *u; return &c }

// ServeHTTP forwards r to the target and accounts for the exchange.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x := &exchange{seq: p.seq.Add(1), in: r, accounts: strings.HasPrefix(r.URL.Path, "/oauth/")}
	rp := p.api
	if x.accounts {
		rp = p.auth
		if rp == nil {
			x.err = "no accounts target: requests under /oauth/ are refused (--accounts-target)"
			http.Error(w, "zohoterritory-contract proxy: "+x.err, http.StatusBadGateway)
			p.finish(x)
			return
		}
	}
	// Deferred, so that an exchange whose copy fails (ReverseProxy aborts
	// the handler with a panic) is accounted for too.
	defer p.finish(x)
	rp.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x)))
}

// errRedirect is ModifyResponse's refusal of a redirect to another host.
var errRedirect = errors.New("redirect to another host")

func (p *Proxy) modifyResponse(resp *http.Response) error {
	x := exchangeOf(resp.Request.Context())
	x.status, x.respHeader = resp.StatusCode, resp.Header.Clone()
	target := p.target
	if x.accounts {
		target = p.accounts
	}
	if loc := resp.Header.Get("Location"); loc != "" {
		u, err := resp.Request.URL.Parse(loc)
		switch {
		case err == nil && sameOrigin(u, target):
			resp.Header.Set("Location", u.RequestURI())
		case resp.StatusCode >= 300 && resp.StatusCode < 400:
			host := "an unreadable Location"
			if err == nil {
				host = u.Scheme + "://" + u.Host
			}
			x.refused = fmt.Sprintf("redirect to another host (%s)", host)
			return errRedirect
		}
	}
	if x.accounts {
		return p.tokenReply(x, resp)
	}
	x.respBody = &capture{rc: resp.Body, max: p.maxBody}
	resp.Body = x.respBody
	return nil
}

// tokenReply reads the token endpoint's answer, keeps it for the recording
// and, when its api_domain is the API target, gives the client the proxy's
// own address instead, so that the client keeps calling through it.
func (p *Proxy) tokenReply(x *exchange, resp *http.Response) error {
	b, err := io.ReadAll(io.LimitReader(resp.Body, p.maxBody+1))
	if err != nil {
		x.err = "token reply cut off: " + err.Error()
		return err
	}
	x.respBody = &capture{max: p.maxBody, eof: true}
	x.respBody.buf.Write(b[:min(int64(len(b)), p.maxBody)])
	x.respBody.truncated = int64(len(b)) > p.maxBody
	rest := resp.Body
	if x.respBody.truncated {
		resp.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(b), rest), rest}
		return nil
	}
	_ = rest.Close()
	x.tokenBody = b
	var reply map[string]json.RawMessage
	var domain string
	if json.Unmarshal(b, &reply) == nil && json.Unmarshal(reply["api_domain"], &domain) == nil {
		if u, err := url.Parse(domain); err == nil && sameOrigin(u, p.target) {
			reply["api_domain"], _ = json.Marshal("http://" + x.in.Host)
			if nb, err := json.Marshal(reply); err == nil {
				b = nb
			}
		} else {
			p.logf("%04d token reply: its api_domain %s is not the target %s: a client that follows it no longer calls through the proxy", x.seq, domain, p.target)
		}
	}
	resp.Body = io.NopCloser(bytes.NewReader(b))
	resp.ContentLength = int64(len(b))
	resp.Header.Set("Content-Length", fmt.Sprint(len(b)))
	return nil
}

func sameOrigin(u, target *url.URL) bool {
	return u.Scheme == target.Scheme && strings.EqualFold(u.Host, target.Host)
}

func (p *Proxy) errorHandler(w http.ResponseWriter, r *http.Request, err error) {
	x := exchangeOf(r.Context())
	switch {
	case errors.Is(err, errRedirect):
		http.Error(w, fmt.Sprintf("zohoterritory-contract proxy: refused a %s; it forwards only to %s", x.refused, p.target), http.StatusBadGateway)
	case r.Context().Err() != nil:
		x.err = "the client went away before the answer"
	default:
		if x.err == "" {
			x.err = "the target did not answer: " + p.scrub.Text(err.Error())
		}
		http.Error(w, "zohoterritory-contract proxy: "+x.err, http.StatusBadGateway)
	}
}

// capture passes a body on and keeps its first max bytes.
type capture struct {
	rc        io.ReadCloser
	max       int64
	buf       bytes.Buffer
	total     int64
	truncated bool
	eof       bool
	err       error
}

func (c *capture) Read(b []byte) (int, error) {
	n, err := c.rc.Read(b)
	c.total += int64(n)
	if room := c.max - int64(c.buf.Len()); room > 0 {
		c.buf.Write(b[:min(int64(n), room)])
	}
	c.truncated = c.total > c.max
	switch {
	case errors.Is(err, io.EOF):
		c.eof = true
	case err != nil:
		c.err = err
	}
	return n, err
}

func (c *capture) Close() error { return c.rc.Close() }
