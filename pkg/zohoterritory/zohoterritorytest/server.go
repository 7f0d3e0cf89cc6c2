package zohoterritorytest

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/internal/loopback"
)

// Server is an in-memory fake of Zoho CRM's territory-membership endpoints,
// of the reads of its users and territories, and of Zoho's token endpoint,
// listening on loopback. It is safe for
// concurrent use: every request and every method sees the state under one
// lock, so each removal is atomic.
type Server struct {
	cfg      config
	url      string
	http     *httptest.Server
	contract ContractChecker // nil unless WithContractCheck

	closing   chan struct{} // closed by Close, to cut fault delays short
	closeOnce sync.Once

	mu          sync.Mutex
	users       map[string]User // with the seed's defaults filled in (withDefaults)
	territories map[string]*territoryState
	// apiNames gives each territory, seeded or created, its api_name;
	// lastTerritoryID is the largest territory id the org has had, so
	// that a created territory never gets a deleted one's.
	apiNames        *apiNames
	lastTerritoryID uint64
	// userOrder and territoryOrder are the seed's orders, the order of
	// the directory's lists.
	userOrder      []string
	territoryOrder []string
	// roleIDs and profileIDs give each role and profile name its id.
	roleIDs     map[string]string
	profileIDs  map[string]string
	defaultTerr string
	caller      string
	org         Org // with its defaults filled in
	tokens      map[string]tokenState
	clients     []OAuthClient
	grantCodes  map[string]*grantCode
	// refreshTokens are those issued for grant codes; the seeded
	// clients' own are in clients.
	refreshTokens map[string]issuedRefresh
	accessToken   string
	requests      []Request
	faults        faultState
	refreshes     int
	violations    []string
	reqViolation  []string
	feature       TerritoryFeature
	callerDenied  bool
	// apiInflight counts the CRM API requests admitted and not yet
	// answered, for the concurrency limit.
	apiInflight int
	stats       Stats
	// inflight counts the requests being served; idle is closed while it
	// is zero.
	inflight int
	idle     chan struct{}
}

type territoryState struct {
	Territory
	members map[string]bool
	apiName string
	// rules are the account, lead and deal rule criteria, as the JSON
	// they were given in; nil for none. created and modified are the
	// times the reads give, as Zoho writes them.
	rules             [3]json.RawMessage
	created, modified string
}

type tokenState struct {
	scopes    []string
	expiresAt time.Time // zero: never
}

// Request is one request the server answered, as [Server.Requests] reports
// it.
type Request struct {
	Method   string
	Path     string // as received, before `users` is normalised to `Users`
	RawQuery string
	// Status is the HTTP status sent; 0 when the connection was reset
	// before a status line.
	Status int
	// Fault is the fault that changed the answer, "" for none; Latency is
	// the delay [FaultLatency] added.
	Fault   FaultKind
	Latency time.Duration
	// OverLimit says the request was refused with 429 because the
	// concurrency limit ([WithConcurrencyLimit]) was reached.
	OverLimit bool
}

// Stats counts the CRM API calls the server has seen, for
// [WithConcurrencyLimit].
type Stats struct {
	// Calls is every CRM API request that arrived.
	Calls int
	// Refused is how many of them were answered 429 for being over the
	// concurrency limit.
	Refused int
	// PeakInFlight is the most requests served at once.
	PeakInFlight int
}

// Stats returns the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

type config struct {
	addr     string
	remote   bool
	seed     *Seed
	seedFrom string // the option that set seed, to refuse a second one
	contract ContractChecker
	// anonymousItems answers the adds' error items with `"details": {}`
	// too (the removals' say nothing of their id unless namedItems).
	anonymousItems bool
	// namedItems names the id of the removals' error items
	// (`details.id`, or `api_name` and `json_path`).
	namedItems bool
	// requestLevelInvalidIDs answers an unknown territory among several
	// with one top-level error.
	requestLevelInvalidIDs bool
	// managerNameKey is the key of a territory manager's name in the
	// reads of a user's territories: "Name" (the default) or "name".
	managerNameKey string
	now            func() time.Time
	tokenLifetime  time.Duration
	faults         []Fault
	// concurrencyLimit is the most CRM API requests served at once; 0
	// for no limit.
	concurrencyLimit int
	// territoryUserLimit is the most users a territory may hold; 0 for
	// no limit.
	territoryUserLimit int
	hooks              Hooks
	// territoryLimit is the most territories the org may hold
	// (WithTerritoryLimit).
	territoryLimit int
}

// Option configures a [Server]. An option returns an error for a bad value,
// and [NewServer] returns it.
type Option func(*config) error

// WithAddr sets the address to listen on, with a port, such as
// "127.0.0.1:8080" or "[::1]:0". The default is "127.0.0.1:0", a free
// port. It must be a loopback address unless [WithRemoteAccess] is given
// too.
func WithAddr(addr string) Option {
	return func(c *config) error {
		if _, _, err := net.SplitHostPort(addr); err != nil {
			return fmt.Errorf("zohoterritorytest: address %q: %w", addr, err)
		}
		c.addr = addr
		return nil
	}
}

// WithConcurrencyLimit makes the server answer 429 TOO_MANY_REQUESTS,
// doing nothing, to any CRM API request that arrives while n are being
// served, as Zoho answers calls beyond an organization's limit of
// concurrent calls (5 to 25 by edition). [Server.Stats] counts the calls,
// the refusals and the peak. The default is no limit.
func WithConcurrencyLimit(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("zohoterritorytest: concurrency limit %d: must be at least 1", n)
		}
		c.concurrencyLimit = n
		return nil
	}
}

// WithTerritoryUserLimit makes every territory hold at most n users,
// managers included: an add that would go past it is the error item
// LIMIT_EXCEEDED "Maximum Users Limit reached for a territory" with
// `details.limit` n, as in Zoho's OpenAPI example (whose limit is 100), and
// changes nothing for that user. Territories seeded with more members keep
// them. The default is no limit.
func WithTerritoryUserLimit(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("zohoterritorytest: territory user limit %d: must be at least 1", n)
		}
		c.territoryUserLimit = n
		return nil
	}
}

// WithRemoteAccess lets [WithAddr] name an address other machines reach,
// such as "0.0.0.0:8080" in a container. The sandbox has no real data and
// made-up credentials, but anyone who reaches it can use them; the default
// is loopback only.
func WithRemoteAccess() Option {
	return func(c *config) error {
		c.remote = true
		return nil
	}
}

func checkAddr(addr string, remote bool) error {
	host, _, _ := net.SplitHostPort(addr)
	if remote || loopback.Host(host) {
		return nil
	}
	return fmt.Errorf("zohoterritorytest: address %q is not a loopback address; the sandbox listens on loopback only unless remote access is asked for (WithRemoteAccess)", addr)
}

// WithSeed sets the server's initial state. The default is [DefaultSeed]().
// The seed is validated ([Seed.Validate]) and copied. At most one of
// WithSeed and [WithSeedFile] may be given.
func WithSeed(s Seed) Option {
	return func(c *config) error {
		if err := s.Validate(); err != nil {
			return err
		}
		return c.setSeed("WithSeed", s.clone())
	}
}

// WithSeedFile is like [WithSeed] with a seed read from a JSON or YAML file
// (see [LoadSeed]).
func WithSeedFile(path string) Option {
	return func(c *config) error {
		s, err := LoadSeed(path)
		if err != nil {
			return err
		}
		if err := s.Validate(); err != nil {
			return fmt.Errorf("seed file %s: %w", path, err)
		}
		return c.setSeed("WithSeedFile", s)
	}
}

func (c *config) setSeed(from string, s Seed) error {
	if c.seed != nil {
		return fmt.Errorf("zohoterritorytest: %s after %s: give one seed", from, c.seedFrom)
	}
	c.seed, c.seedFrom = &s, from
	return nil
}

// ContractChecker validates traffic against a contract such as
// api/openapi.yaml. Each method returns nil when the request or response
// conforms, and otherwise one error that names what broke which rule.
// Methods are called from the goroutines that serve requests, so an
// implementation must be safe for concurrent use.
//
// The module's internal/contract.Validator (kin-openapi and
// libopenapi-validator together) is one; it lives outside this package so
// that a test importing the sandbox does not compile and link both
// validators unless it asks for them.
type ContractChecker interface {
	// CheckRequest checks a request as the server received it. It must
	// leave r's body readable.
	CheckRequest(r *http.Request) error
	// CheckResponse checks the response the server sent to r.
	CheckResponse(r *http.Request, status int, header http.Header, body []byte) error
}

// WithContractCheck makes the server check every CRM request it receives
// and every response it sends with c. Findings are kept, not enforced: see
// [Server.Violations] and [Server.RequestViolations]. Off by default. The
// token endpoint is outside the spec and is not checked.
func WithContractCheck(c ContractChecker) Option {
	return func(cfg *config) error {
		if c == nil {
			return errors.New("zohoterritorytest: WithContractCheck(nil): a checker is required")
		}
		cfg.contract = c
		return nil
	}
}

// WithAnonymousErrorItems makes every error item say nothing of its record
// (`"details": {}`), the adds' too, which by default name theirs by its
// place in the body (`api_name` and `json_path`) or in the path
// (`resource_path_index`), as Zoho's documentation and OpenAPI examples of
// the adds do. The removals' error items say nothing of their id by
// default. A client must cope with both forms. It cannot be given with
// [WithNamedErrorItems].
func WithAnonymousErrorItems() Option {
	return func(c *config) error {
		if c.namedItems {
			return errors.New("zohoterritorytest: WithAnonymousErrorItems after WithNamedErrorItems: give one")
		}
		c.anonymousItems = true
		return nil
	}
}

// WithNamedErrorItems makes the removals' error items name their id
// (`details.id`, or `api_name` and `json_path` for an unknown territory
// among several), as Zoho's OpenAPI examples do, instead of the
// `"details": {}` of Zoho's documentation pages (its sample answer of
// removing territories from a user), the default. A client must cope with
// both. It cannot be given with [WithAnonymousErrorItems].
func WithNamedErrorItems() Option {
	return func(c *config) error {
		if c.anonymousItems {
			return errors.New("zohoterritorytest: WithNamedErrorItems after WithAnonymousErrorItems: give one")
		}
		c.namedItems = true
		return nil
	}
}

// WithRequestLevelInvalidIDs makes a bulk removal of territories that
// names an unknown territory fail as a whole, with one top-level
// INVALID_DATA ("One or more given territory IDs seem to be invalid"),
// nothing removed: the form Zoho's documentation lists beside the per-item
// one of its OpenAPI example (the default).
func WithRequestLevelInvalidIDs() Option {
	return func(c *config) error {
		c.requestLevelInvalidIDs = true
		return nil
	}
}

// WithManagerNameKey sets the key under which the reads of a user's
// territories give a manager's name: "Name" (the default: the key Zoho's
// OpenAPI file and its SDKs read, `Manager.Name`) or "name". Zoho's answers
// are documented with both spellings (api/openapi.yaml's NamedRef); "name"
// tests that a client reads either. The parent in `Reporting_To` always
// uses `Name`, as in Zoho's samples.
func WithManagerNameKey(key string) Option {
	return func(c *config) error {
		if key != "name" && key != "Name" {
			return fmt.Errorf("zohoterritorytest: manager name key %q: want name or Name", key)
		}
		c.managerNameKey = key
		return nil
	}
}

// Hooks are called at fixed points of every CRM API request (never of the
// token endpoint's), from the goroutine that serves it; the request waits
// for each to return. Tests use them to act at an exact moment rather than
// after a guessed delay: cancel a client while its call is in flight, or
// stop a process before the answer it is owed goes out.
type Hooks struct {
	// Arrived is called as a request arrives, before faults and before
	// the work.
	Arrived func(r *http.Request)
	// Answering is called once the work is done (or refused) and before
	// the answer, whose status it is given, is written. A fault that
	// answers nothing (a reset, a hang) skips it.
	Answering func(r *http.Request, status int)
}

// WithHooks installs h; nil fields are skipped.
func WithHooks(h Hooks) Option {
	return func(c *config) error {
		c.hooks = h
		return nil
	}
}

// withClock sets the server's clock, for tests of token expiry. The default
// is time.Now.
func withClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("zohoterritorytest: nil clock")
		}
		c.now = now
		return nil
	}
}

// NewServer starts a server listening on loopback and returns it once it
// accepts connections. Call [Server.Close] when done.
func NewServer(opts ...Option) (*Server, error) {
	cfg := config{addr: "127.0.0.1:0", now: time.Now, tokenLifetime: time.Hour, managerNameKey: "Name", territoryLimit: DefaultTerritoryLimit}
	for _, opt := range opts {
		if opt == nil {
			return nil, errors.New("zohoterritorytest: nil option")
		}
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if err := checkAddr(cfg.addr, cfg.remote); err != nil {
		return nil, err
	}
	seed := DefaultSeed()
	if cfg.seed != nil {
		seed = *cfg.seed
	}

	s := &Server{
		cfg:           cfg,
		users:         make(map[string]User, len(seed.Users)),
		territories:   make(map[string]*territoryState, len(seed.Territories)),
		defaultTerr:   seed.DefaultTerritoryID,
		caller:        seed.CallerID,
		org:           seed.Org.withDefaults(seed),
		feature:       seed.TerritoryFeature,
		callerDenied:  seed.CallerWithoutPermission,
		tokens:        make(map[string]tokenState),
		clients:       seed.OAuthClients,
		grantCodes:    make(map[string]*grantCode),
		refreshTokens: make(map[string]issuedRefresh),
		faults:        faultState{faults: cfg.faults, hits: make([]int, len(cfg.faults))},
		closing:       make(chan struct{}),
		idle:          make(chan struct{}),
	}
	close(s.idle)
	s.roleIDs = map[string]string{roleCEO: ceoRoleID, roleRep: repRoleID}
	s.profileIDs = map[string]string{ProfileAdministrator: adminProfileID, profileStandard: standardProfileID}
	number := func(ids map[string]string, name string, first int64) {
		if _, ok := ids[name]; !ok { // numbered after the two every org has
			ids[name] = strconv.FormatInt(first+int64(len(ids)-2), 10)
		}
	}
	for _, u := range seed.Users {
		u = u.withDefaults(u.ID == seed.CallerID)
		s.users[u.ID] = u
		s.userOrder = append(s.userOrder, u.ID)
		number(s.roleIDs, u.Role, firstRoleID)
		number(s.profileIDs, u.Profile, firstProfileID)
	}
	s.apiNames = newAPINames(len(seed.Territories))
	for _, t := range seed.Territories {
		if t.PermissionType == "" {
			t.PermissionType = PermissionReadWriteDelete
		}
		ts := &territoryState{Territory: t, members: make(map[string]bool, len(t.Members)+1), apiName: s.apiNames.of(t.Name),
			created: seededAt, modified: seededAt}
		ts.Members = nil // the map is the truth from here on
		for _, m := range t.Members {
			ts.members[m] = true
		}
		if t.ManagerID != "" {
			ts.members[t.ManagerID] = true
		}
		s.territories[t.ID] = ts
		s.territoryOrder = append(s.territoryOrder, t.ID)
	}
	for _, t := range seed.AccessTokens {
		s.tokens[t.AccessToken] = tokenState{scopes: t.Scopes, expiresAt: t.ExpiresAt}
	}
	s.accessToken = s.issueLocked(AllScopes())
	if len(s.clients) == 0 {
		s.clients = []OAuthClient{{
			ClientID:     "1000." + randomHex(15),
			ClientSecret: randomHex(21),
			RefreshToken: "1000." + randomHex(16) + "." + randomHex(16),
			Scopes:       AllScopes(),
		}}
	}

	s.contract = cfg.contract

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return nil, fmt.Errorf("zohoterritorytest: listen on %s: %w", cfg.addr, err)
	}
	// httptest.Server brings the right Close: it drops idle and unused
	// connections at once and waits for requests in flight.
	s.http = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	_ = s.http.Listener.Close()
	s.http.Listener = ln
	// A server other teams' CI hammers: no request may hold a connection
	// or memory without bound. Writes may take as long as the slowest
	// fault (a latency and a slow body, each up to MaxFaultDelay).
	s.http.Config.ReadHeaderTimeout = 10 * time.Second
	s.http.Config.ReadTimeout = 30 * time.Second
	s.http.Config.WriteTimeout = 2*MaxFaultDelay + 10*time.Second
	s.http.Config.IdleTimeout = 2 * time.Minute
	s.http.Config.MaxHeaderBytes = maxHeaderBytes
	s.http.Start()
	s.url = s.http.URL
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		// Listening on every address: loopback is one of them, and the
		// one a client on this machine should use.
		s.url = "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return s, nil
}

// maxHeaderBytes bounds a request's line and headers: Zoho's longest
// request (100 ids of 19 digits) is under 3 kB.
const maxHeaderBytes = 64 << 10

// maxBodyBytes bounds a request's body: the token endpoint and the adds
// read one (100 records of 19 digits are under 4 kB).
const maxBodyBytes = 1 << 20

// URL returns the server's base URL, such as "http://127.0.0.1:41234",
// without a trailing slash. It serves both the CRM API (/crm/...) and the
// token endpoint (/oauth/v2/token).
func (s *Server) URL() string { return s.url }

// Close stops the server and waits for the requests in flight; requests
// held by a fault's delay are dropped undone. It may be called more than
// once. The state stays readable after Close.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closing) })
	s.http.Close()
}

// AccessToken returns a token made at start with every scope in
// [AllScopes], valid for an hour or until [Server.ExpireAccessTokens]. It is
// random per server.
func (s *Server) AccessToken() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accessToken
}

// IssueToken makes a new access token for the caller with exactly the given
// scopes (none is allowed, to test OAUTH_SCOPE_MISMATCH), valid for an hour.
func (s *Server) IssueToken(scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issueLocked(slices.Clone(scopes))
}

func (s *Server) issueLocked(scopes []string) string {
	tok := "1000." + randomHex(16) + "." + randomHex(16)
	s.tokens[tok] = tokenState{scopes: scopes, expiresAt: s.cfg.now().Add(s.cfg.tokenLifetime)}
	return tok
}

// ExpireAccessTokens makes every access token issued so far invalid, so that
// the next call with one gets 401 INVALID_TOKEN, as after an hour at Zoho.
// Tokens issued afterwards, by refresh or [Server.IssueToken], work.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	past := s.cfg.now().Add(-time.Second)
	for k, t := range s.tokens {
		t.expiresAt = past
		s.tokens[k] = t
	}
}

// OAuthClient returns the first seeded OAuth client, or the one the server
// made when the seed has none. Its refresh token works at
// URL()+"/oauth/v2/token".
func (s *Server) OAuthClient() OAuthClient {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.clients[0]
	c.Scopes = slices.Clone(c.Scopes)
	return c
}

// RefreshCount returns how many access tokens the token endpoint has issued,
// by refresh or for a grant code. Failed requests do not count;
// [Server.Requests] shows them.
func (s *Server) RefreshCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes
}

// Members returns the ids of the users in a territory, managers included,
// in numeric order; nil for an unknown territory.
func (s *Server) Members(territoryID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.territories[territoryID]
	if !ok {
		return nil
	}
	ids := make([]string, 0, len(t.members))
	for id := range t.members {
		ids = append(ids, id)
	}
	return sortIDs(ids)
}

// TerritoriesOf returns the ids of the territories a user belongs to, in
// numeric order; nil when there are none.
func (s *Server) TerritoriesOf(userID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, t := range s.territories {
		if t.members[userID] {
			ids = append(ids, id)
		}
	}
	return sortIDs(ids)
}

// Org returns the organization as GET org answers it: the seed's [Org]
// with its defaults filled in.
func (s *Server) Org() Org {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.org
}

// Users returns the org's users in the seed's order, as the reads give
// them: with the defaults of [User]'s fields (names, status, role,
// profile) filled in.
func (s *Server) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	users := make([]User, len(s.userOrder))
	for i, id := range s.userOrder {
		users[i] = s.users[id]
	}
	return users
}

// Territories returns the org's territories in the seed's order, each with
// its members as they are now, managers included, in numeric order.
func (s *Server) Territories() []Territory {
	s.mu.Lock()
	defer s.mu.Unlock()
	ts := make([]Territory, len(s.territoryOrder))
	for i, id := range s.territoryOrder {
		t := s.territories[id]
		ts[i] = t.Territory
		for m := range t.members {
			ts[i].Members = append(ts[i].Members, m)
		}
		sortIDs(ts[i].Members)
	}
	return ts
}

// WaitIdle waits until the server is serving no request, or until ctx
// ends, and returns ctx's error then. Tests call it before reading the
// state, so that a request a client gave up on (under [FaultHang] or
// [FaultLatency], say) has done its work first. It sees a request from the
// moment the server begins to handle it: one a client wrote and then gave
// up on at once (its context cancelled) may not have begun yet, and can
// land after WaitIdle returns. A test that kills a run should therefore
// stop it without canceling the calls it has in flight, as a killed
// process leaves them, so that they are answered before it returns.
func (s *Server) WaitIdle(ctx context.Context) error {
	for {
		s.mu.Lock()
		idle := s.idle
		s.mu.Unlock()
		select {
		case <-idle:
			s.mu.Lock()
			done := s.inflight == 0
			s.mu.Unlock()
			if done {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// begin counts a request in; the returned function counts it out.
func (s *Server) begin() (end func()) {
	s.mu.Lock()
	if s.inflight == 0 {
		s.idle = make(chan struct{})
	}
	s.inflight++
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		s.inflight--
		if s.inflight == 0 {
			close(s.idle)
		}
		s.mu.Unlock()
	}
}

// Requests returns a copy of the requests answered so far, in the order they
// finished.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Violations returns the contract violations of the server's own responses
// found under [WithContractCheck], each naming the method, path, status and
// both validators' findings. It must stay empty: a non-empty list is a bug
// in the sandbox or in the spec.
func (s *Server) Violations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.violations)
}

// RequestViolations returns the requests that broke the contract under
// [WithContractCheck] (a missing token, a wrong method, an unknown URL or
// version, bad ids). The server answers those as Zoho would, so they are
// expected in tests that send wrong requests on purpose.
func (s *Server) RequestViolations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.reqViolation)
}

// sortIDs orders decimal ids numerically (shorter first, then
// lexicographically).
func sortIDs(ids []string) []string {
	slices.SortFunc(ids, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(a), len(b)), strings.Compare(a, b))
	})
	return ids
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}
