package cmdutil

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// SandboxOptions say how a command's `sandbox serve` differs.
type SandboxOptions struct {
	// Checker, if set, builds the contract check every request and answer
	// is held to; violations are listed at exit and make it exit 2. Nil in
	// the admin's command, which links no validator.
	Checker func() (zohoterritorytest.ContractChecker, error)
	// Stop, once closed, stops the server as the context's end does: the
	// first Ctrl-C (see [Interrupts]).
	Stop <-chan struct{}
}

// NewSandboxCmd returns the `sandbox` command with its `serve` subcommand.
func NewSandboxCmd(io *IOStreams, opts SandboxOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the built-in sandbox, an in-memory Zoho CRM",
		Long: `The sandbox is an in-memory fake of Zoho CRM's territory-membership
endpoints and token endpoint, for trying the tool and for other clients'
tests. Its org is the built-in demo org unless --seed names another.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newServeCmd(io, opts))
	return cmd
}

// serveFlags are the flags of sandbox serve.
type serveFlags struct {
	addr, seed                                                 string
	refreshFlow, allowRemote                                   bool
	latency, slowBody                                          time.Duration
	retryAfter, every                                          int
	fail429, fail5xx, resetBefore, resetDuring, truncate, html int
	hang, stall, extraItems, concurrencyLimit                  int
	territoryLimit                                             int
	anonymousItems, namedItems, requestLevelInvalidIDs         bool
}

func newServeCmd(io *IOStreams, opts SandboxOptions) *cobra.Command {
	var f serveFlags
	checked := ""
	if opts.Checker != nil {
		checked = `
Every request and every answer is checked against api/openapi.yaml with
both validators; violations are listed on stderr when it stops, and then it
exits 2.
`
	}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the sandbox until interrupted",
		Long: `Serve the sandbox on a loopback address until interrupted (Ctrl-C or
SIGTERM). As soon as it listens it prints, on standard output, the
environment that points this tool (or any other client) at it, as lines a
shell runs as they are:

  zohoterritory sandbox serve > sandbox.env &
  . ./sandbox.env        # once the file is written

It answers as Zoho's documentation and OpenAPI examples show: a removal's
error items say nothing of their ids ("details": {}, Zoho's sample answer),
an add's name their place in the body; --named-error-items,
--anonymous-error-items and --invalid-ids-request-level give the other forms
Zoho shows. It enforces Zoho's limits (100 ids a call, 500 characters of the
users' ids; a territory's rules: unique names, at most --territory-limit
territories).

By default that is ZOHO_API_DOMAIN and a static ZOHO_ACCESS_TOKEN with every
scope; with --refresh-flow it is ZOHO_API_DOMAIN, ZOHO_ACCOUNTS_URL and the
client id, secret and refresh token of the refresh-token flow instead, and
ZOHO_GRANT_CODE, a Self Client's grant code with every scope for
"zohoterritory auth token --code", which works once within three minutes
(as Zoho's do by default). The credentials are made up, random per run, and
work only against this sandbox.
` + checked + `
Fault flags make the sandbox misbehave on CRM API requests (never on the
token endpoint), to test a client's retries and its account of outcomes.
The counted faults strike one after another, in the order of the flags
below: with --fail-429 3 --fail-5xx 2, API requests 1 to 3 get 429, 4 and
5 get 500 and 503, and the rest are answered normally.`,
		Example: `  zohoterritory sandbox serve
  zohoterritory sandbox serve --addr 127.0.0.1:9000 --seed org.yaml
  zohoterritory sandbox serve --refresh-flow --fail-429 3 --retry-after 1
  zohoterritory sandbox serve --concurrency-limit 10 --latency 20ms   # a Standard org
  zohoterritory sandbox serve --addr 0.0.0.0:8080 --allow-remote   # in a container`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serve(cmd.Context(), io, f, opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", "127.0.0.1:8080", "address to listen on (loopback unless --allow-remote)")
	fl.StringVar(&f.seed, "seed", "", "JSON or YAML seed file (default: the built-in demo org)")
	fl.BoolVar(&f.refreshFlow, "refresh-flow", false, "print the refresh-token flow's variables (and a grant code) instead of an access token")
	fl.BoolVar(&f.allowRemote, "allow-remote", false, "let --addr be an address other machines reach, such as 0.0.0.0:8080")
	fl.BoolVar(&f.namedItems, "named-error-items", false, `name the ids of a removal's error items (details.id, json_path), as Zoho's OpenAPI examples do, instead of "details": {}`)
	fl.BoolVar(&f.anonymousItems, "anonymous-error-items", false, `answer an add's error items with "details": {} too, instead of naming their place in the body`)
	fl.BoolVar(&f.requestLevelInvalidIDs, "invalid-ids-request-level", false, "refuse a bulk removal of territories that names an unknown one as a whole, nothing removed")
	fl.IntVar(&f.concurrencyLimit, "concurrency-limit", 0, "answer 429 TOO_MANY_REQUESTS to API requests beyond this many in flight, as Zoho does past an org's limit (0: no limit)")
	fl.IntVar(&f.territoryLimit, "territory-limit", zohoterritorytest.DefaultTerritoryLimit,
		"the most territories the org holds: a create past it is LIMIT_EXCEEDED \"Territory Limit reached\", as Zoho answers")
	fl.DurationVar(&f.latency, "latency", 0, "hold every API request this long before handling it (at most 30s)")
	fl.IntVar(&f.fail429, "fail-429", 0, "answer this many API requests 429 TOO_MANY_REQUESTS; nothing is done")
	fl.IntVar(&f.retryAfter, "retry-after", 0, "the Retry-After of those 429s, in seconds (0: no header)")
	fl.IntVar(&f.fail5xx, "fail-5xx", 0, "answer this many API requests alternately 500 (after doing the work) and 503 (without)")
	fl.IntVar(&f.resetBefore, "reset-before", 0, "reset the connection of this many API requests on arrival; nothing is done")
	fl.IntVar(&f.resetDuring, "reset-during", 0, "do the work of this many API requests, then reset the connection halfway through the body")
	fl.IntVar(&f.truncate, "truncate", 0, "do the work of this many API requests, then send their JSON cut in half")
	fl.IntVar(&f.html, "html-502", 0, "answer this many API requests with a proxy's HTML 502 page; nothing is done")
	fl.IntVar(&f.hang, "hang", 0, "hold this many API requests until the client gives up, then do the work")
	fl.IntVar(&f.stall, "stall", 0, "do the work of this many API requests, send half the body, then stall until the client gives up")
	fl.IntVar(&f.extraItems, "extra-items", 0, "do the work of this many removals and add two anonymous error items to the answer, as Zoho's v7 sample (3 ids, 5 items)")
	fl.DurationVar(&f.slowBody, "slow-body", 0, "send every answer's body in pieces spread over this long (at most 30s)")
	fl.IntVar(&f.every, "fault-every", 1, "the counted faults strike only every this-many-th API request")
	return cmd
}

func serve(ctx context.Context, io *IOStreams, f serveFlags, opts SandboxOptions) error {
	faults, err := f.faults()
	if err != nil {
		return err
	}
	sopts := []zohoterritorytest.Option{zohoterritorytest.WithAddr(f.addr), zohoterritorytest.WithFaults(faults...)}
	switch {
	case f.concurrencyLimit < 0:
		return Usagef("sandbox serve: --concurrency-limit %d: must not be negative", f.concurrencyLimit)
	case f.concurrencyLimit > 0:
		sopts = append(sopts, zohoterritorytest.WithConcurrencyLimit(f.concurrencyLimit))
	}
	if f.territoryLimit < 1 {
		return Usagef("sandbox serve: --territory-limit %d: must be at least 1", f.territoryLimit)
	}
	sopts = append(sopts, zohoterritorytest.WithTerritoryLimit(f.territoryLimit))
	if f.allowRemote {
		sopts = append(sopts, zohoterritorytest.WithRemoteAccess())
	}
	if f.anonymousItems && f.namedItems {
		return Usagef("sandbox serve: --anonymous-error-items and --named-error-items: give one")
	}
	if f.anonymousItems {
		sopts = append(sopts, zohoterritorytest.WithAnonymousErrorItems())
	}
	if f.namedItems {
		sopts = append(sopts, zohoterritorytest.WithNamedErrorItems())
	}
	if f.requestLevelInvalidIDs {
		sopts = append(sopts, zohoterritorytest.WithRequestLevelInvalidIDs())
	}
	if f.seed != "" {
		sopts = append(sopts, zohoterritorytest.WithSeedFile(f.seed))
	}
	if opts.Checker != nil {
		c, err := opts.Checker()
		if err != nil {
			return fmt.Errorf("sandbox serve: load the spec: %w", err)
		}
		sopts = append(sopts, zohoterritorytest.WithContractCheck(c))
	}
	srv, err := zohoterritorytest.NewServer(sopts...)
	if err != nil {
		// The sandbox's options are this command's flags.
		return Usagef("sandbox serve: %s", strings.ReplaceAll(Message(err), "WithRemoteAccess", "--allow-remote"))
	}
	defer srv.Close()

	fmt.Fprintf(io.Err, "sandbox listening on %s (token endpoint %s/oauth/v2/token); interrupt to stop\n", srv.URL(), srv.URL())
	if len(faults) > 0 {
		fmt.Fprintf(io.Err, "faults: %s\n", describeFaults(faults))
	}
	// The sandbox's own made-up credentials, printed on purpose so that
	// clients can use them; no real secret is involved. Last, so that a
	// reader of the variables knows the server is ready.
	printEnv(io.Out, srv, f.refreshFlow)

	select {
	case <-ctx.Done():
	case <-opts.Stop:
	}
	srv.Close()
	st := srv.Stats()
	fmt.Fprintf(io.Err, "sandbox stopped after %d requests: %d API calls, %d answered 429 over the concurrency limit, at most %d in flight\n",
		len(srv.Requests()), st.Calls, st.Refused, st.PeakInFlight)
	if opts.Checker != nil {
		reqs, resps := srv.RequestViolations(), srv.Violations()
		for _, v := range reqs {
			fmt.Fprintln(io.Err, "request contract violation:", v)
		}
		for _, v := range resps {
			fmt.Fprintln(io.Err, "contract violation:", v)
		}
		if len(reqs)+len(resps) > 0 {
			return Exit(ExitPartial, fmt.Errorf("sandbox serve: %d requests and %d responses broke the contract", len(reqs), len(resps)))
		}
	}
	return nil
}

// printEnv prints one set of variables that works as printed: eval of the
// output unsets the other flow's variables, which the CLI would refuse
// beside these.
func printEnv(w io.Writer, srv *zohoterritorytest.Server, refresh bool) {
	line := func(k, v string) { fmt.Fprintf(w, "export %s='%s'\n", k, v) }
	line("ZOHO_API_DOMAIN", srv.URL())
	if !refresh {
		fmt.Fprintln(w, "unset ZOHO_ACCOUNTS_URL ZOHO_CLIENT_ID ZOHO_CLIENT_SECRET ZOHO_REFRESH_TOKEN")
		line("ZOHO_ACCESS_TOKEN", srv.AccessToken())
		return
	}
	oc := srv.OAuthClient()
	fmt.Fprintln(w, "unset ZOHO_ACCESS_TOKEN")
	line("ZOHO_ACCOUNTS_URL", srv.URL())
	line("ZOHO_CLIENT_ID", oc.ClientID)
	line("ZOHO_CLIENT_SECRET", oc.ClientSecret)
	line("ZOHO_GRANT_CODE", srv.IssueGrantCode(zohoterritorytest.AllScopes()...))
	line("ZOHO_REFRESH_TOKEN", oc.RefreshToken)
}

// faults turns the flags into the sandbox's faults, in the order of the
// flags, so that the counted ones strike one after another.
func (f serveFlags) faults() ([]zohoterritorytest.Fault, error) {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--latency", f.latency}, {"--slow-body", f.slowBody}} {
		if d.v < 0 || d.v > zohoterritorytest.MaxFaultDelay {
			return nil, Usagef("sandbox serve: %s %s: must be between 0 and %s", d.name, d.v, zohoterritorytest.MaxFaultDelay)
		}
	}
	counted := []struct {
		name string
		n    int
		kind zohoterritorytest.FaultKind
	}{
		{"--fail-429", f.fail429, zohoterritorytest.FaultRateLimit},
		{"--fail-5xx", f.fail5xx, zohoterritorytest.FaultServerError},
		{"--reset-before", f.resetBefore, zohoterritorytest.FaultResetBefore},
		{"--reset-during", f.resetDuring, zohoterritorytest.FaultResetDuring},
		{"--truncate", f.truncate, zohoterritorytest.FaultTruncate},
		{"--html-502", f.html, zohoterritorytest.FaultHTML502},
		{"--hang", f.hang, zohoterritorytest.FaultHang},
		{"--stall", f.stall, zohoterritorytest.FaultStall},
		{"--extra-items", f.extraItems, zohoterritorytest.FaultExtraItems},
	}
	switch {
	case f.every < 1:
		return nil, Usagef("sandbox serve: --fault-every %d: must be at least 1", f.every)
	case f.retryAfter < 0 || f.retryAfter > 3600:
		return nil, Usagef("sandbox serve: --retry-after %d: must be between 0 and 3600 seconds", f.retryAfter)
	case f.retryAfter > 0 && f.fail429 == 0:
		return nil, Usagef("sandbox serve: --retry-after needs --fail-429")
	}
	var out []zohoterritorytest.Fault
	if f.latency > 0 {
		out = append(out, zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: f.latency})
	}
	for _, c := range counted {
		if c.n < 0 {
			return nil, Usagef("sandbox serve: %s %d: must not be negative", c.name, c.n)
		}
		if c.n > 0 {
			fault := zohoterritorytest.Fault{Kind: c.kind, Count: c.n, Every: f.every}
			if c.kind == zohoterritorytest.FaultRateLimit {
				fault.RetryAfter = time.Duration(f.retryAfter) * time.Second
			}
			out = append(out, fault)
		}
	}
	if f.slowBody > 0 {
		out = append(out, zohoterritorytest.Fault{Kind: zohoterritorytest.FaultSlowBody, Delay: f.slowBody})
	}
	return out, nil
}

func describeFaults(faults []zohoterritorytest.Fault) string {
	var parts []string
	for _, f := range faults {
		var p string
		switch {
		case f.Delay > 0:
			p = fmt.Sprintf("%s %s on every request", f.Kind, f.Delay)
		case f.Every > 1:
			p = fmt.Sprintf("%s on %d requests, every %d", f.Kind, f.Count, f.Every)
		default:
			p = fmt.Sprintf("%s on %d requests", f.Kind, f.Count)
		}
		if f.RetryAfter > 0 {
			p += fmt.Sprintf(" (Retry-After %d)", int(f.RetryAfter/time.Second))
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}
