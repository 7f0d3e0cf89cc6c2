package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

const usageText = `zohoterritory removes territory membership in Zoho CRM.

Usage:
  zohoterritory remove-users --territory ID [USER_ID ...]
  zohoterritory remove-territories --user ID [TERRITORY_ID ...]
  zohoterritory sandbox serve [--addr 127.0.0.1:8080] [--seed FILE] [fault flags]
  zohoterritory demo
  zohoterritory validate [--requests] FILE|DIR ...
  zohoterritory help

Ids come as arguments, or, when there are none or the argument is "-" and
standard input is not a terminal, from standard input: one per line or
comma-separated.

Flags of remove-users and remove-territories (environment variable in brackets):
  --dc DC               data centre: US, EU, IN, AU, CN, JP, CA, SA, UK [ZOHO_DC] (default US)
  --api-version V       API version, v2 … v8 [ZOHO_API_VERSION] (default v7)
  --api-domain URL      API base URL, e.g. http://127.0.0.1:8080 for a sandbox [ZOHO_API_DOMAIN]
  --accounts-url URL    accounts server for the refresh-token flow [ZOHO_ACCOUNTS_URL]
  --concurrency N       batches sent at once (default 4)
  --max-attempts N      most times one request is sent, the first included (default 4)
  --max-delay DUR       longest wait before a retry, a server's Retry-After included (default 30s)
  --attempt-timeout DUR time limit of each attempt (default 30s)
  --dry-run             check the ids and print the planned calls; send nothing
  --output table|json   output format (default: table on a terminal, json otherwise)

Credentials, from the environment only:
  ZOHO_ACCESS_TOKEN                                   an access token, or
  ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN  the refresh-token flow

Exit status: 0 when every id was removed; 1 for usage, configuration or input
errors (nothing was sent); 2 when any id failed or its outcome is unknown.
Running the same command again is safe: an id whose outcome was unknown is
then removed, or reported "not_member" when the lost attempt had removed it.

Run "zohoterritory sandbox serve -h" for the sandbox's fault flags.
`

// run runs the command line args and returns the exit code. getenv reads
// the environment; nothing else of the process is touched.
func run(ctx context.Context, args []string, io *streams, getenv func(string) string) int {
	err := dispatch(ctx, args, io, getenv)
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	fmt.Fprintln(io.err, "zohoterritory:", err)
	var ee interface{ ExitCode() int }
	if errors.As(err, &ee) {
		return ee.ExitCode()
	}
	return exitPartial
}

func dispatch(ctx context.Context, args []string, io *streams, getenv func(string) string) error {
	if len(args) == 0 {
		fmt.Fprint(io.err, usageText)
		return usageErr("no command given")
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "remove-users":
		return runRemove(ctx, usersCommand, rest, io, getenv)
	case "remove-territories":
		return runRemove(ctx, territoriesCommand, rest, io, getenv)
	case "sandbox":
		return runSandbox(ctx, rest, io)
	case "demo":
		return runDemo(ctx, rest, io)
	case "validate":
		return runValidate(rest, io)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(io.out, usageText)
		return nil
	default:
		fmt.Fprint(io.err, usageText)
		return usageErr("unknown command %q", cmd)
	}
}

// newFlagSet returns a flag set that reports errors instead of exiting, and
// prints its usage to w.
func newFlagSet(name string, w io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(w)
	return fs
}

// parseFlags parses args, turning flag errors into usage errors. Flags may
// come before or after the positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageErr("%s: %v", fs.Name(), err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		if args[0] == "--" {
			return append(positional, args[1:]...), nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}
