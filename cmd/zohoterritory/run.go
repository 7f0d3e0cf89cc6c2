package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

const usageText = `zohoterritory lists and removes territory membership in Zoho CRM.

Usage:
  zohoterritory remove-users --territory ID [USER_ID ...]
  zohoterritory remove-users --territory ID --all [--except USER_ID ...]
  zohoterritory remove-territories --user ID [TERRITORY_ID ...]
  zohoterritory remove-territories --user ID --all [--except TERRITORY_ID ...]
  zohoterritory list-users --territory ID
  zohoterritory list-territories --user ID
  zohoterritory sandbox serve [--addr 127.0.0.1:8080] [--seed FILE] [fault flags]
  zohoterritory demo
  zohoterritory validate [--requests] FILE|DIR ...
  zohoterritory help

Ids come as arguments, or, when there are none or the argument is "-" and
standard input is not a terminal, from standard input: one per line or
comma-separated.

--all lists the memberships first (every page), then removes them all but
those Zoho's documented rules forbid, which are reported "skipped" with
their reason instead of being sent: for remove-territories, the
organization's default territory ("default_territory"; the root of the
hierarchy, which reports to no territory) and the territories the user
manages ("manager"); for remove-users, the territory's manager ("manager"),
found by reading the territory through one of its users (one more GET).
--except ID (repeatable, or comma-separated) leaves more ids alone
("excepted"). The listing needs a read scope: ZohoCRM.users.READ or
ZohoCRM.users.ALL for a territory's users; either of those or
ZohoCRM.settings.territories.READ or .ALL for a user's territories.

Flags of remove-users and remove-territories (environment variable in brackets):
  --dc DC               data centre: US, EU, IN, AU, CN, JP, CA, SA, UK [ZOHO_DC] (default US)
  --api-version V       API version, v2 … v8 [ZOHO_API_VERSION] (default v7)
  --api-domain URL      API base URL, e.g. http://127.0.0.1:8080 for a sandbox [ZOHO_API_DOMAIN]
  --accounts-url URL    accounts server for the refresh-token flow [ZOHO_ACCOUNTS_URL]
  --all                 remove every membership the rules allow (see above); no ids
  --except ID           with --all: leave this id alone (repeatable, or comma-separated)
  --concurrency N       batches sent at once (default 4)
  --max-attempts N      most times one request is sent, the first included (default 4)
  --max-delay DUR       longest wait before a retry, a server's Retry-After included (default 30s)
  --attempt-timeout DUR time limit of each attempt (default 30s)
  --dry-run             check the ids and print the planned calls and skipped ids;
                        remove nothing (with --all the listing is still read, so
                        credentials are needed)
  --output table|json   output format (default: table on a terminal, json otherwise)

list-users and list-territories read every page and print ID, NAME, EMAIL,
STATUS (users) or ID, NAME, MANAGER, REPORTS TO (territories), or with
--output json {"users":[...]} / {"territories":[...]}. They take the same
--dc, --api-version, --api-domain, --accounts-url, --max-attempts,
--max-delay, --attempt-timeout and --output flags and the same credentials.

Credentials, from the environment only:
  ZOHO_ACCESS_TOKEN                                   an access token, or
  ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN  the refresh-token flow

The JSON output of a removal is one object:
  {"removed":[...],"failed":[{"id","code","message","reason"}],"unknown":[...],"skipped":[{"id","reason"}]}

Exit status: 0 when every id was removed (or listed), skipped ids aside; 1
for usage, configuration or input errors (nothing was sent); 2 when any id
failed or its outcome is unknown, or a request failed (a listing that fails
removes nothing). Running the same command again is safe: an id whose
outcome was unknown is then removed, or reported "not_member" when the
lost attempt had removed it.

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
	case "list-users":
		return runList(ctx, listUsersCommand, rest, io, getenv)
	case "list-territories":
		return runList(ctx, listTerritoriesCommand, rest, io, getenv)
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
