package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

const sandboxUsage = `Usage: zohoterritory sandbox serve [--addr 127.0.0.1:8080] [--seed FILE] [--contract-check] [fault flags]

Runs the sandbox, an in-memory fake of Zoho CRM's territory-membership
endpoints and token endpoint, until interrupted. It prints the environment
for this tool (and any other client) on standard output.

Fault flags make the sandbox misbehave on CRM API requests (never on the
token endpoint), to test a client's retries and its reporting of outcomes:
  --latency DUR        hold every API request DUR before handling it (at most 30s)
  --fail-429 N         answer N requests 429 TOO_MANY_REQUESTS; nothing is done
  --retry-after SECS   the Retry-After header of those 429s (default: none)
  --fail-5xx N         answer N requests alternately 500 (after doing the
                       work) and 503 (without doing it)
  --reset-before N     reset the connection of N requests on arrival; nothing is done
  --reset-during N     do the work of N requests, then reset the connection
                       halfway through the body
  --truncate N         do the work of N requests, then send their JSON cut in half
  --html-502 N         answer N requests with a proxy's HTML 502 page; nothing is done
  --slow-body DUR      send every answer's body in pieces spread over DUR (at most 30s)
  --fault-every K      the counted faults strike only every Kth API request (default 1)
The counted faults strike one after another, in the order above: with
--fail-429 3 --fail-5xx 2, API requests 1 to 3 get 429, 4 and 5 get 500
and 503, and the rest are answered normally.
`

func runSandbox(ctx context.Context, args []string, io *streams) error {
	if len(args) == 0 || args[0] != "serve" {
		fmt.Fprint(io.err, sandboxUsage)
		if len(args) == 0 {
			return usageErr("sandbox: missing subcommand serve")
		}
		return usageErr("sandbox: unknown subcommand %q", args[0])
	}
	fs := newFlagSet("sandbox serve", io.err)
	fs.Usage = func() {
		fmt.Fprint(io.err, sandboxUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	addr := fs.String("addr", "127.0.0.1:8080", "loopback address to listen on")
	seedFile := fs.String("seed", "", "JSON or YAML seed file (default: the built-in demo org)")
	check := fs.Bool("contract-check", false, "validate every request and response against api/openapi.yaml and report violations on stderr")
	var ff faultFlags
	ff.register(fs)
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr("sandbox serve: unexpected argument %q", rest[0])
	}
	faults, err := ff.faults()
	if err != nil {
		return err
	}
	opts := []zohoterritorytest.Option{zohoterritorytest.WithAddr(*addr), zohoterritorytest.WithFaults(faults...)}
	if *seedFile != "" {
		opts = append(opts, zohoterritorytest.WithSeedFile(*seedFile))
	}
	if *check {
		v, err := contract.New()
		if err != nil {
			return fmt.Errorf("sandbox serve: load the spec: %w", err)
		}
		opts = append(opts, zohoterritorytest.WithContractCheck(v))
	}
	srv, err := zohoterritorytest.NewServer(opts...)
	if err != nil {
		return usageErr("sandbox serve: %v", err)
	}
	defer srv.Close()

	// These are the sandbox's own made-up credentials, printed on purpose
	// so that other clients can use them; no real secret is involved.
	oc := srv.OAuthClient()
	fmt.Fprintf(io.out, "ZOHO_API_DOMAIN=%s\n", srv.URL())
	fmt.Fprintf(io.out, "ZOHO_ACCESS_TOKEN=%s\n", srv.AccessToken())
	fmt.Fprintf(io.out, "ZOHO_ACCOUNTS_URL=%s\n", srv.URL())
	fmt.Fprintf(io.out, "ZOHO_CLIENT_ID=%s\n", oc.ClientID)
	fmt.Fprintf(io.out, "ZOHO_CLIENT_SECRET=%s\n", oc.ClientSecret)
	fmt.Fprintf(io.out, "ZOHO_REFRESH_TOKEN=%s\n", oc.RefreshToken)
	fmt.Fprintf(io.err, "sandbox listening on %s (token endpoint %s/oauth/v2/token); interrupt to stop\n", srv.URL(), srv.URL())
	if len(faults) > 0 {
		fmt.Fprintf(io.err, "faults: %s\n", describeFaults(faults))
	}

	<-ctx.Done()
	if *check {
		reqs, resps := srv.RequestViolations(), srv.Violations()
		for _, v := range reqs {
			fmt.Fprintln(io.err, "request contract violation:", v)
		}
		for _, v := range resps {
			fmt.Fprintln(io.err, "contract violation:", v)
		}
		if len(reqs)+len(resps) > 0 {
			return &exitError{code: exitPartial, err: fmt.Errorf("sandbox serve: %d requests and %d responses broke the contract", len(reqs), len(resps))}
		}
	}
	fmt.Fprintln(io.err, "sandbox stopped")
	return nil
}

// faultFlags are the fault flags of sandbox serve.
type faultFlags struct {
	latency, slowBody                                          time.Duration
	retryAfter, every                                          int
	fail429, fail5xx, resetBefore, resetDuring, truncate, html int
}

func (ff *faultFlags) register(fs *flag.FlagSet) {
	fs.DurationVar(&ff.latency, "latency", 0, "hold every API request this long before handling it")
	fs.IntVar(&ff.fail429, "fail-429", 0, "answer this many API requests 429 TOO_MANY_REQUESTS, doing nothing")
	fs.IntVar(&ff.retryAfter, "retry-after", 0, "Retry-After of the 429s, in seconds (0: no header)")
	fs.IntVar(&ff.fail5xx, "fail-5xx", 0, "answer this many API requests 500 (after doing the work) and 503 (without), alternately")
	fs.IntVar(&ff.resetBefore, "reset-before", 0, "reset the connection of this many API requests on arrival, doing nothing")
	fs.IntVar(&ff.resetDuring, "reset-during", 0, "do the work of this many API requests, then reset the connection halfway through the body")
	fs.IntVar(&ff.truncate, "truncate", 0, "do the work of this many API requests, then send their JSON cut in half")
	fs.IntVar(&ff.html, "html-502", 0, "answer this many API requests with a proxy's HTML 502 page, doing nothing")
	fs.DurationVar(&ff.slowBody, "slow-body", 0, "send every answer's body in pieces spread over this long")
	fs.IntVar(&ff.every, "fault-every", 1, "the counted faults strike only every this-many-th API request")
}

// faults turns the flags into the sandbox's faults, in the order of
// zohoterritorytest.FaultKinds, so that the counted ones strike one after
// another.
func (ff *faultFlags) faults() ([]zohoterritorytest.Fault, error) {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--latency", ff.latency}, {"--slow-body", ff.slowBody}} {
		if d.v < 0 || d.v > zohoterritorytest.MaxFaultDelay {
			return nil, usageErr("sandbox serve: %s %s: must be between 0 and %s", d.name, d.v, zohoterritorytest.MaxFaultDelay)
		}
	}
	counted := []struct {
		name string
		n    int
		kind zohoterritorytest.FaultKind
	}{
		{"--fail-429", ff.fail429, zohoterritorytest.FaultRateLimit},
		{"--fail-5xx", ff.fail5xx, zohoterritorytest.FaultServerError},
		{"--reset-before", ff.resetBefore, zohoterritorytest.FaultResetBefore},
		{"--reset-during", ff.resetDuring, zohoterritorytest.FaultResetDuring},
		{"--truncate", ff.truncate, zohoterritorytest.FaultTruncate},
		{"--html-502", ff.html, zohoterritorytest.FaultHTML502},
	}
	switch {
	case ff.every < 1:
		return nil, usageErr("sandbox serve: --fault-every %d: must be at least 1", ff.every)
	case ff.retryAfter < 0 || ff.retryAfter > 3600:
		return nil, usageErr("sandbox serve: --retry-after %d: must be between 0 and 3600 seconds", ff.retryAfter)
	case ff.retryAfter > 0 && ff.fail429 == 0:
		return nil, usageErr("sandbox serve: --retry-after needs --fail-429")
	}
	var out []zohoterritorytest.Fault
	if ff.latency > 0 {
		out = append(out, zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: ff.latency})
	}
	for _, c := range counted {
		if c.n < 0 {
			return nil, usageErr("sandbox serve: %s %d: must not be negative", c.name, c.n)
		}
		if c.n > 0 {
			f := zohoterritorytest.Fault{Kind: c.kind, Count: c.n, Every: ff.every}
			if c.kind == zohoterritorytest.FaultRateLimit {
				f.RetryAfter = time.Duration(ff.retryAfter) * time.Second
			}
			out = append(out, f)
		}
	}
	if ff.slowBody > 0 {
		out = append(out, zohoterritorytest.Fault{Kind: zohoterritorytest.FaultSlowBody, Delay: ff.slowBody})
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
