package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/loopback"
	"github.com/seed-ab9c0d28/zohoterritory/internal/proxy"
	"github.com/seed-ab9c0d28/zohoterritory/internal/record"
)

// proxyFlags are the flags of the proxy command.
type proxyFlags struct {
	target, accounts, listen, record string
	pseudonymize, failOnViolation    bool
}

// shutdownGrace bounds how long the proxy waits, once told to stop, for
// the exchanges in flight to finish.
const shutdownGrace = 30 * time.Second

func newProxyCmd(io *cmdutil.IOStreams, stop <-chan struct{}) *cobra.Command {
	var f proxyFlags
	cmd := &cobra.Command{
		Use:   "proxy --target URL [--accounts-target URL] [--listen ADDR] [--record DIR [--pseudonymize]] [--fail-on-violation]",
		Short: "Check and record real traffic: a validating, recording proxy in front of Zoho",
		Long: `A reverse proxy that a client (zohoterritory, Zoho's SDKs, curl) points its
API domain, and its accounts URL, at. It forwards every request to --target
(https only, except to loopback; to that host alone, whatever the request's
Host), passes the answer back as it came, checks request and answer with
both validators and logs one line per exchange on stderr: the operation, the
status and the verdict, with the rule broken.

With --record DIR every API exchange is written to DIR as a contract case
(the format that validate and contracttests read), the token endpoint's in
DIR/accounts, with every secret removed: the Authorization credential,
cookies, and any header, query parameter, form field or JSON member named
like a token, a secret, a password or client_id. With --pseudonymize every
record id, e-mail address and name is replaced by a stand-in, the same for
the same value throughout the run; the mapping is kept in memory only. The
log shows what the recordings show.

Requests under /oauth/ go to --accounts-target; when the token reply names
--target as its api_domain, the client is given the proxy's address instead,
so that it keeps calling through the proxy. Requests under /crm/ that no
operation of the spec describes count as violations; other paths are passed
on unchecked. The proxy follows no redirect; one to another host is refused
with a 502.

It prints, on standard output, the environment that points zohoterritory
at it, and runs until interrupted (Ctrl-C or SIGTERM), letting exchanges in
flight finish. With --fail-on-violation it then exits 2 if any exchange broke
the contract or was refused.`,
		Example: `  zohoterritory-contract proxy --target https://www.zohoapis.eu --accounts-target https://accounts.zoho.eu \
      --listen 127.0.0.1:8081 --record ./recordings --pseudonymize
  ZOHO_API_DOMAIN=http://127.0.0.1:8081 ZOHO_ACCOUNTS_URL=http://127.0.0.1:8081 zohoterritory list-territories --user 5725767000000411004
  zohoterritory-contract validate ./recordings`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runProxy(cmd.Context(), io, f, stop)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.target, "target", "", "the API domain to forward to, such as https://www.zohoapis.com (required)")
	fl.StringVar(&f.accounts, "accounts-target", "", "the accounts server to forward /oauth/ requests to, such as https://accounts.zoho.com (default: none, they are refused)")
	fl.StringVar(&f.listen, "listen", "127.0.0.1:8081", "the loopback address to listen on (port 0: any free port)")
	fl.StringVar(&f.record, "record", "", "write each exchange into this new or empty directory as a contract case, secrets removed")
	fl.BoolVar(&f.pseudonymize, "pseudonymize", false, "replace record ids, e-mail addresses and names in the recordings and the log by consistent stand-ins")
	fl.BoolVar(&f.failOnViolation, "fail-on-violation", false, "exit 2 at the end if any exchange broke the contract or was refused")
	return cmd
}

func runProxy(ctx context.Context, io *cmdutil.IOStreams, f proxyFlags, stop <-chan struct{}) error {
	if f.target == "" {
		return cmdutil.Usagef("proxy: --target is required (the API domain, such as https://www.zohoapis.com)")
	}
	if _, err := proxy.ParseTarget(f.target); err != nil {
		return cmdutil.Usagef("proxy: --target %v", err)
	}
	if f.accounts != "" {
		if _, err := proxy.ParseTarget(f.accounts); err != nil {
			return cmdutil.Usagef("proxy: --accounts-target %v", err)
		}
	}
	if err := checkListen(f.listen); err != nil {
		return err
	}
	scrub := record.NewScrubber(f.pseudonymize)
	v, err := contract.New()
	if err != nil {
		return fmt.Errorf("proxy: load the spec: %w", err)
	}
	opts := []proxy.Option{proxy.WithValidator(v), proxy.WithLog(io.Err), proxy.WithScrubber(scrub)}
	if f.accounts != "" {
		opts = append(opts, proxy.WithAccountsTarget(f.accounts))
	}
	if f.record != "" {
		dir, err := record.CreateDir(f.record)
		if err != nil {
			return cmdutil.Usagef("proxy: --record: %v", err)
		}
		opts = append(opts, proxy.WithRecording(dir))
	}
	p, err := proxy.New(f.target, opts...)
	if err != nil {
		return cmdutil.Usagef("proxy: %v", err)
	}
	ln, err := net.Listen("tcp", f.listen)
	if err != nil {
		return cmdutil.Usagef("proxy: --listen %s: %v", f.listen, err)
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	self := "http://" + ln.Addr().String()
	where := "forwarding to " + f.target
	if f.accounts != "" {
		where += ", /oauth/ to " + f.accounts
	}
	if f.record != "" {
		where += "; recording into " + f.record
		if f.pseudonymize {
			where += " (pseudonymized)"
		}
	}
	fmt.Fprintf(io.Err, "proxy listening on %s, %s; interrupt to stop\n", self, where)
	// Last, so that a reader of the variables knows the proxy is ready.
	fmt.Fprintf(io.Out, "export ZOHO_API_DOMAIN='%s'\n", self)
	if f.accounts != "" {
		fmt.Fprintf(io.Out, "export ZOHO_ACCOUNTS_URL='%s'\n", self)
	}

	select {
	case <-ctx.Done():
	case <-stop:
	case err := <-served:
		return fmt.Errorf("proxy: serve: %w", err)
	}
	grace, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(grace); err != nil {
		_ = srv.Close()
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("proxy: serve: %w", err)
	}
	st := p.Stats()
	fmt.Fprintf(io.Err, "proxy stopped: %s\n", st)
	if f.failOnViolation && st.Failed() > 0 {
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("proxy: %d of %d exchanges broke the contract or were refused", st.Failed(), st.Exchanges))
	}
	return nil
}

// checkListen refuses an address other machines could reach: the proxy
// speaks plain HTTP, and the requests it carries hold the caller's token.
func checkListen(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return cmdutil.Usagef("proxy: --listen %q: %v", addr, err)
	}
	if !loopback.Host(host) {
		return cmdutil.Usagef("proxy: --listen %q: must be a loopback address (127.0.0.1:PORT, [::1]:PORT, localhost:PORT): the proxy speaks plain HTTP and the requests it carries hold your token", addr)
	}
	return nil
}
