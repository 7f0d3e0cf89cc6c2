package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// The first contact with a real org: a Self Client's grant code turned into
// the variables the other commands read, and a check of what they will use.

func newAuthCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Get a refresh token from a Self Client's grant code, and check the credentials",
		Long: `Connect the tool to an org: "auth token" exchanges a grant code from a Zoho
Self Client for a refresh token and writes the variables the other commands
read; "auth status" checks them against Zoho.

  zohoterritory auth token --code 1000.xxxx --dc EU --env-file zoho.env
  . ./zoho.env
  zohoterritory auth status`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newAuthTokenCmd(a), newAuthStatusCmd(a))
	return cmd
}

// authTokenFlags are auth token's flags. --dc and --accounts-url take their
// defaults from ZOHO_DC and ZOHO_ACCOUNTS_URL as the other commands' do,
// --client-id from ZOHO_CLIENT_ID.
type authTokenFlags struct {
	code, dc, accountsURL, clientID, envFile string
	fs                                       *pflag.FlagSet
	getenv                                   func(string) string
}

// name names a flag for an error: "--dc", or its variable when the value
// came from there.
func (f *authTokenFlags) name(flag string) string {
	vars := map[string]string{"dc": "ZOHO_DC", "accounts-url": "ZOHO_ACCOUNTS_URL", "client-id": "ZOHO_CLIENT_ID"}
	if v, ok := vars[flag]; ok && !f.fs.Changed(flag) && strings.TrimSpace(f.getenv(v)) != "" {
		return v
	}
	return "--" + flag
}

func newAuthTokenCmd(a *app) *cobra.Command {
	f := authTokenFlags{getenv: a.getenv}
	cmd := &cobra.Command{
		Use:   "token --code CODE [--dc DC] [--client-id ID] [--env-file FILE]",
		Short: "Exchange a Self Client's grant code for a refresh token, and write the variables to use",
		Long: `Exchange a grant code of a Zoho Self Client for a refresh token, at the
accounts server of the org's data centre, and write the variables the other
commands read: ZOHO_DC (or ZOHO_ACCOUNTS_URL when --accounts-url names
another server), ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, and
ZOHO_API_DOMAIN when Zoho's answer names one, as shell lines ("export
K='V'", after an "unset" of the variables that would get in their way).

Before: in the API console of the org's data centre (api-console.zoho.com
for US, .eu for EU, ...) add a Self Client, and under "Generate Code" give
the scopes the commands need (each command's --help names its own), such as

  ZohoCRM.settings.territories.ALL,ZohoCRM.users.ALL

A code lives a few minutes (three unless chosen otherwise) and works once,
only in the data centre whose console made it: exchange it at once.

The client id comes from --client-id or ZOHO_CLIENT_ID. The client secret
comes from ZOHO_CLIENT_SECRET or, when that is unset and standard input is
a terminal, is asked for there without echo; never from a flag or piped
input.

The variables hold secrets, which are never printed to a terminal: give
--env-file FILE (created with mode 0600; an existing file is never
overwritten, since it may hold the only copy of a refresh token), or send
standard output elsewhere (eval "$(zohoterritory auth token --code ...)",
or a redirection). Standard error gets one line: what was written where,
the data centre, the API domain and the scopes.

Exit status: 0 written; 1 usage or configuration (nothing was sent; a code
is spent only when Zoho answers); 2 the accounts server could not be
reached, or its answer had no refresh token; 4 Zoho refused the code or the
client (the message says why and what to do).`,
		Example: `  zohoterritory auth token --code 1000.xxxx --dc EU --env-file zoho.env && . ./zoho.env
  eval "$(zohoterritory auth token --code 1000.xxxx --dc EU --client-id 1000.ABCD)"
  ZOHO_CLIENT_SECRET=... zohoterritory auth token --code 1000.xxxx > zoho.env`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runAuthToken(cmd.Context(), a, &f)
		},
	}
	fl := cmd.Flags()
	f.fs = fl
	env := func(v, def string) string {
		if s := strings.TrimSpace(a.getenv(v)); s != "" {
			return s
		}
		return def
	}
	fl.StringVar(&f.code, "code", "", "the grant code from the Self Client's \"Generate Code\" tab (required)")
	fl.StringVar(&f.dc, "dc", env("ZOHO_DC", "US"), "data centre of the org and its Self Client: US, EU, IN, AU, CN, JP, CA, SA, UK [ZOHO_DC]")
	fl.StringVar(&f.accountsURL, "accounts-url", env("ZOHO_ACCOUNTS_URL", ""), "accounts server instead of the data centre's, such as a sandbox's [ZOHO_ACCOUNTS_URL]")
	fl.StringVar(&f.clientID, "client-id", env("ZOHO_CLIENT_ID", ""), "the Self Client's client id [ZOHO_CLIENT_ID]")
	fl.StringVar(&f.envFile, "env-file", "", "write the variables to this new file (mode 0600) instead of standard output")
	_ = cmd.MarkFlagRequired("code")
	return cmd
}

func runAuthToken(ctx context.Context, a *app, f *authTokenFlags) error {
	// Everything that can be refused is refused before the code, which
	// works once, is sent.
	code := strings.TrimSpace(f.code)
	if code == "" {
		return cmdutil.Usagef("--code: empty: give the grant code from the Self Client's \"Generate Code\" tab")
	}
	dc, err := zohoterritory.ParseDataCenter(f.dc)
	if err != nil {
		return cmdutil.Usagef("%s %q: unknown data centre: want one of US, EU, IN, AU, CN, JP, CA, SA, UK", f.name("dc"), f.dc)
	}
	opts := []zohoterritory.Option{zohoterritory.WithDataCenter(dc)}
	if f.accountsURL != "" {
		if err := checkDomain(f.name("accounts-url"), f.accountsURL); err != nil {
			return err
		}
		opts = append(opts, zohoterritory.WithAccountsURL(f.accountsURL))
	}
	if _, err := zohoterritory.New(opts...); err != nil {
		var oe *zohoterritory.OptionError
		if errors.As(err, &oe) && oe.Option == "WithAccountsURL" {
			return cmdutil.Usagef("%s %q: %v", f.name("accounts-url"), f.accountsURL, oe.Err)
		}
		return cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	clientID := strings.TrimSpace(f.clientID)
	if clientID == "" {
		return cmdutil.Usagef("the client id: give --client-id or set ZOHO_CLIENT_ID (the Self Client's Client Secret tab shows it)")
	}
	if f.envFile == "" && a.io.OutTTY {
		return cmdutil.Usagef("refusing to print a refresh token and a client secret to the terminal: give --env-file FILE, " +
			`or send standard output elsewhere: eval "$(zohoterritory auth token --code ...)", or > FILE`)
	}
	where := "standard output"
	var file *os.File
	if f.envFile != "" {
		// Created before the code is sent, so that a file that cannot be
		// written does not cost the code; O_EXCL: never overwrite, never
		// follow a link planted there.
		file, err = os.OpenFile(f.envFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return cmdutil.Usagef("--env-file %s: the file exists and is not overwritten (it may hold the only copy of a refresh token): remove it or give another name", f.envFile)
		}
		if err != nil {
			return cmdutil.Usagef("--env-file: %v", err)
		}
		where = f.envFile + " (mode 0600)"
		defer func() {
			if file != nil { // not complete: leave nothing behind
				_ = file.Close()
				_ = os.Remove(f.envFile)
			}
		}()
	}
	secret, err := clientSecret(a, clientID)
	if err != nil {
		return err
	}

	tok, err := zohoterritory.ExchangeGrantCode(ctx, clientID, secret, code, opts...)
	if err != nil {
		return exchangeFailure(err, f, dc)
	}
	vars := authVars(f.accountsURL, dc, tok.APIDomain, clientID, secret, tok.RefreshToken)
	if err := writeVars(a.io.Out, file, vars); err != nil {
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("writing the variables to %s: %w; the grant code is spent: generate a new one", where, err))
	}
	file = nil // complete: kept

	names := make([]string, 0, len(vars.export))
	for _, kv := range vars.export {
		names = append(names, kv[0])
	}
	server := "data centre " + string(dc)
	if f.accountsURL != "" {
		server = "accounts server " + f.accountsURL
	}
	domain := tok.APIDomain
	if domain == "" {
		domain = dc.APIDomain() + " (the data centre's; Zoho's answer named none)"
	}
	scopes := "scopes not named in Zoho's answer"
	if tok.Scopes != nil {
		scopes = "scopes " + strings.Join(tok.Scopes, " ")
	}
	next := ""
	if f.envFile != "" {
		next = fmt.Sprintf("; next: . %s && zohoterritory auth status", shellPath(f.envFile))
	}
	fmt.Fprintf(a.io.Err, "zohoterritory: wrote %s to %s; %s, API domain %s, %s%s\n",
		joinAnd(names), where, server, domain, scopes, next)
	return nil
}

// clientSecret returns ZOHO_CLIENT_SECRET, or asks the terminal for it
// without echo. It is never read from a flag or from piped input.
func clientSecret(a *app, clientID string) (string, error) {
	if s := strings.TrimSpace(a.getenv("ZOHO_CLIENT_SECRET")); s != "" {
		return s, nil
	}
	if !a.io.InTTY || a.io.ReadPassword == nil {
		return "", cmdutil.Usagef("the client secret: set ZOHO_CLIENT_SECRET, or run on a terminal to be asked for it " +
			"(it is never read from a flag or from piped input)")
	}
	fmt.Fprintf(a.io.Err, "Client secret of %s (from the Self Client's Client Secret tab; not shown as you type): ", clientID)
	b, err := a.io.ReadPassword()
	fmt.Fprintln(a.io.Err)
	if err != nil {
		return "", cmdutil.Usagef("the client secret: reading the terminal: %v", err)
	}
	s := strings.TrimSpace(string(b))
	if s == "" {
		return "", cmdutil.Usagef("the client secret: nothing was typed")
	}
	return s, nil
}

// exchangeFailure tells why the exchange failed, with the exit code: 4 when
// Zoho refused the code or the client, 2 when it could not be asked.
func exchangeFailure(err error, f *authTokenFlags, dc zohoterritory.DataCenter) error {
	var ae *zohoterritory.AuthError
	if !errors.As(err, &ae) {
		return cmdutil.Exit(cmdutil.ExitPartial, errors.New(cmdutil.Message(err)))
	}
	msg := cmdutil.Message(ae)
	if ae.Code == "" {
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("%s; the grant code may still work if it was not received", msg))
	}
	if f.accountsURL == "" && (ae.Code == "invalid_code" || ae.Code == "invalid_client") {
		msg += fmt.Sprintf("\nThe data centre was %s (%s): a Self Client and its codes work only in the data centre whose API console made them.",
			dc, f.name("dc"))
	}
	return cmdutil.Exit(cmdutil.ExitAuth, errors.New(msg))
}

// envVars are the lines auth token writes: the variables to unset (those of
// the other ways to connect, which would get in the way), then those to
// export, in order.
type envVars struct {
	unset  []string
	export [][2]string
}

func authVars(accountsURL string, dc zohoterritory.DataCenter, apiDomain, clientID, secret string, refresh zohoterritory.Secret) envVars {
	var v envVars
	if accountsURL != "" {
		v.export = append(v.export, [2]string{"ZOHO_ACCOUNTS_URL", accountsURL})
	} else {
		v.export = append(v.export, [2]string{"ZOHO_DC", string(dc)})
	}
	if apiDomain != "" {
		v.export = append(v.export, [2]string{"ZOHO_API_DOMAIN", apiDomain})
	}
	v.export = append(v.export,
		[2]string{"ZOHO_CLIENT_ID", clientID},
		[2]string{"ZOHO_CLIENT_SECRET", secret},
		[2]string{"ZOHO_REFRESH_TOKEN", refresh.Reveal()})
	for _, k := range []string{"ZOHO_ACCESS_TOKEN", "ZOHO_DC", "ZOHO_ACCOUNTS_URL", "ZOHO_API_DOMAIN"} {
		if !slices.ContainsFunc(v.export, func(kv [2]string) bool { return kv[0] == k }) {
			v.unset = append(v.unset, k)
		}
	}
	return v
}

// writeVars writes the lines, each value single-quoted for the shell, to
// file (synced and closed) or, when file is nil, to out.
func writeVars(out io.Writer, file *os.File, v envVars) error {
	var b strings.Builder
	b.WriteString("unset " + strings.Join(v.unset, " ") + "\n")
	for _, kv := range v.export {
		b.WriteString("export " + kv[0] + "=" + singleQuote(kv[1]) + "\n")
	}
	if file == nil {
		_, err := io.WriteString(out, b.String())
		return err
	}
	if _, err := io.WriteString(file, b.String()); err != nil {
		return err
	}
	if err := file.Sync(); err != nil {
		return err
	}
	return file.Close()
}

// singleQuote quotes a value for a POSIX shell, always: inside single
// quotes nothing is special but the single quote itself.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellPath is a path as a shell's "." finds it: ./name for a bare name.
func shellPath(p string) string {
	if strings.ContainsRune(p, '/') {
		return shellQuote(p)
	}
	return shellQuote("./" + p)
}

func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// statusCommands are the commands auth status judges by the token's scopes,
// each with the operations it calls.
var statusCommands = []struct {
	command string
	ops     []string
}{
	{"list-users", []string{"listUsersOfTerritory"}},
	{"list-territories", []string{"listTerritoriesOfUser"}},
	{"remove-users", []string{"removeUsersFromTerritory"}},
	{"remove-territories", []string{"removeTerritoriesFromUser"}},
	{"add-users", []string{"addUsersToTerritory"}},
	{"add-territories", []string{"addTerritoriesToUser"}},
	{"move-users", []string{"addUsersToTerritory", "removeUsersFromTerritory"}},
	{"users, users by e-mail address", []string{"listUsers"}},
	{"territories --no-counts, territories by name or path", []string{"listTerritories"}},
	{"territories", []string{"listTerritories", "listUsersOfTerritory"}},
}

// authStatus is what auth status found; -o json prints it as it is.
type authStatus struct {
	DataCentre  string `json:"data_centre"`
	APIDomain   string `json:"api_domain"`
	Credentials string `json:"credentials"` // "access_token" or "refresh_token"
	ClientID    string `json:"client_id,omitempty"`
	AccountsURL string `json:"accounts_url,omitempty"`
	// Token is "accepted", "refused" or "unknown" (the check failed).
	Token string        `json:"token"`
	User  *jsonRefNamed `json:"user"`
	// TerritoryManagement is "enabled", "disabled" or "unknown".
	TerritoryManagement string   `json:"territory_management"`
	Scopes              []string `json:"scopes"`
	// Commands are the commands the scopes allow, when Zoho named the
	// scopes; null otherwise.
	Commands []jsonAllowed `json:"commands"`
	Problems []string      `json:"problems"`
}

type jsonAllowed struct {
	Command string `json:"command"`
	Allowed bool   `json:"allowed"`
}

func newAuthStatusCmd(a *app) *cobra.Command {
	var output outputFlag
	var conn connFlags
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Check the credentials the other commands would use: token, user, territory management, scopes",
		Long: `Check what the next command would use, from the same flags and variables:
the data centre and API domain; whether Zoho accepts the token (one read of
the current user, GET /users?type=CurrentUser), and whose it is (name and
e-mail address); whether the org has territory management enabled (one page
of GET /settings/territories); and, when Zoho's token reply names the
token's scopes, which commands they allow. Zoho names them, if ever, only to
the refresh-token flow; otherwise the output says they are not known rather
than guess. Scopes are judged as the spec lists them: a broader scope such
as ZohoCRM.settings.ALL is not counted.

No token or secret is ever printed. With --output json:
{"data_centre","api_domain","credentials","client_id","accounts_url","token",
"user":{"id","name","email"},"territory_management","scopes","commands":
[{"command","allowed"}],"problems":[...]}.

Exit status: 0 the token is accepted, its user read and territory management
enabled; 1 configuration (missing credentials, a bad data centre; nothing
was sent); 2 territory management is off, or a read failed otherwise; 4 the
token was refused or cannot be refreshed, or it lacks the scope of one of
the two reads (ZohoCRM.users.READ, ZohoCRM.settings.territories.READ, or
their .ALL).`,
		Example: `  zohoterritory auth status
  zohoterritory auth status --dc EU -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := output.check(); err != nil {
				return err
			}
			c, err := conn.client(false, zohoterritory.WithLogger(a.logger()))
			if err != nil {
				return err
			}
			return runAuthStatus(cmd.Context(), a, &conn, c, output.format)
		},
	}
	output.register(cmd.Flags(), a.io.OutTTY)
	conn.register(cmd.Flags(), a.getenv)
	return cmd
}

func runAuthStatus(ctx context.Context, a *app, conn *connFlags, c *zohoterritory.Client, format string) error {
	st := authStatus{DataCentre: strings.ToUpper(strings.TrimSpace(conn.dc)), Credentials: "access_token",
		Token: "unknown", TerritoryManagement: "unknown", Problems: []string{}}
	if a.getenv("ZOHO_ACCESS_TOKEN") == "" {
		st.Credentials, st.ClientID = "refresh_token", a.getenv("ZOHO_CLIENT_ID")
		st.AccountsURL = strings.TrimSuffix(conn.accountsURL, "/")
		if st.AccountsURL == "" {
			st.AccountsURL = zohoterritory.DataCenter(st.DataCentre).AccountsURL()
		}
	}
	code := cmdutil.ExitOK
	worse := func(c int) {
		if c == cmdutil.ExitAuth || code == cmdutil.ExitOK {
			code = c
		}
	}

	me, err := c.Me(ctx)
	switch {
	case err == nil:
		st.Token, st.User = "accepted", &jsonRefNamed{ID: me.ID, Name: me.FullName, Email: me.Email}
	case errors.Is(err, zohoterritory.ErrOAuthScopeMismatch):
		st.Token = "accepted"
		st.Problems = append(st.Problems, "the token lacks ZohoCRM.users.READ (or .ALL): whose it is cannot be read, nor users by e-mail address")
		worse(cmdutil.ExitAuth)
	case errors.Is(err, zohoterritory.ErrNoPermission):
		st.Token = "accepted"
		_, msg := failure(err)
		st.Problems = append(st.Problems, "reading the current user: "+msg)
		worse(cmdutil.ExitAuth)
	case zohoterritory.IsAuthFailure(err):
		st.Token = "refused"
		_, msg := failure(err)
		st.Problems = append(st.Problems, msg)
		worse(cmdutil.ExitAuth)
	default:
		_, msg := failure(err)
		st.Problems = append(st.Problems, "reading the current user: "+msg)
		worse(cmdutil.ExitPartial)
	}

	if st.Token != "refused" {
		var terr error
		for _, err := range c.ListTerritories(ctx) {
			terr = err
			break // one page says enough
		}
		switch {
		case terr == nil:
			st.TerritoryManagement = "enabled"
		case errors.Is(terr, zohoterritory.ErrTerritoryDisabled):
			st.TerritoryManagement = "disabled"
			_, msg := failure(terr)
			st.Problems = append(st.Problems, "territory management is off in this org ("+msg+
				"): every membership command fails until an administrator of the org enables it")
			worse(cmdutil.ExitPartial)
		case errors.Is(terr, zohoterritory.ErrOAuthScopeMismatch):
			st.Problems = append(st.Problems, "the token lacks ZohoCRM.settings.territories.READ (or .ALL): whether territory management is on cannot be read, nor territories by name")
			worse(cmdutil.ExitAuth)
		case zohoterritory.IsAuthFailure(terr) && !errors.Is(terr, zohoterritory.ErrNoPermission):
			st.Token = "refused"
			_, msg := failure(terr)
			st.Problems = append(st.Problems, msg)
			worse(cmdutil.ExitAuth)
		default:
			_, msg := failure(terr)
			st.Problems = append(st.Problems, "reading the territories: "+msg)
			worse(cmdutil.ExitPartial)
		}
	}
	st.APIDomain = c.APIDomain()
	if scopes, ok := c.TokenScopes(); ok {
		st.Scopes = scopes
		for _, sc := range statusCommands {
			allowed := true
			for _, op := range sc.ops {
				allowed = allowed && zohoterritory.ScopesAllow(scopes, op)
			}
			st.Commands = append(st.Commands, jsonAllowed{Command: sc.command, Allowed: allowed})
		}
	}

	if format == "json" {
		if err := encodeJSON(a.io.Out, st); err != nil {
			return err
		}
	} else if err := printAuthStatus(a.io.Out, st); err != nil {
		return err
	}
	if code == cmdutil.ExitOK {
		return nil
	}
	return cmdutil.Exit(code, errors.New(strings.Join(st.Problems, "\n")))
}

func printAuthStatus(w io.Writer, st authStatus) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("DATA CENTRE", st.DataCentre)
	row("API DOMAIN", st.APIDomain)
	if st.Credentials == "access_token" {
		row("CREDENTIALS", "access token (ZOHO_ACCESS_TOKEN), not refreshed")
	} else {
		row("CREDENTIALS", fmt.Sprintf("refresh-token flow, client %s, accounts server %s", st.ClientID, st.AccountsURL))
	}
	row("TOKEN", st.Token)
	user := "-"
	if st.User != nil {
		user = fmt.Sprintf("%s <%s> (%s)", cell(st.User.Name), cell(st.User.Email), st.User.ID)
	}
	row("USER", user)
	row("TERRITORY MANAGEMENT", st.TerritoryManagement)
	if st.Scopes == nil {
		row("SCOPES", "not known: Zoho did not name them (it may, only to the refresh-token flow)")
	} else {
		row("SCOPES", strings.Join(st.Scopes, " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if st.Commands == nil {
		return nil
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "COMMAND\tTHE SCOPES ALLOW IT")
	for _, c := range st.Commands {
		allowed := "no"
		if c.Allowed {
			allowed = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\n", c.Command, allowed)
	}
	return tw.Flush()
}
