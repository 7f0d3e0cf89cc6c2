package main

import (
	"context"
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

const sandboxUsage = `Usage: zohoterritory sandbox serve [--addr 127.0.0.1:8080] [--seed FILE] [--contract-check]

Runs the sandbox, an in-memory fake of Zoho CRM's territory-membership
endpoints and token endpoint, until interrupted. It prints the environment
for this tool (and any other client) on standard output.
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
	addr := fs.String("addr", "127.0.0.1:8080", "loopback address to listen on")
	seedFile := fs.String("seed", "", "JSON or YAML seed file (default: the built-in demo org)")
	check := fs.Bool("contract-check", false, "validate every request and response against api/openapi.yaml and report violations on stderr")
	rest, err := parseFlags(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageErr("sandbox serve: unexpected argument %q", rest[0])
	}
	opts := []zohoterritorytest.Option{zohoterritorytest.WithAddr(*addr)}
	if *seedFile != "" {
		opts = append(opts, zohoterritorytest.WithSeedFile(*seedFile))
	}
	if *check {
		opts = append(opts, zohoterritorytest.WithContractCheck())
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

	<-ctx.Done()
	if *check {
		for _, v := range srv.Violations() {
			fmt.Fprintln(io.err, "contract violation:", v)
		}
		if n := len(srv.Violations()); n > 0 {
			return &exitError{code: exitPartial, err: fmt.Errorf("sandbox serve: %d responses broke the contract", n)}
		}
	}
	fmt.Fprintln(io.err, "sandbox stopped")
	return nil
}
