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

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

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
a terminal, is asked for there without echo (Ctrl-C there gives the
terminal its echo back and leaves no --env-file behind); never from a flag
or piped input.

The variables hold secrets, which are never printed to a terminal: give
--env-file FILE (created with mode 0600; an existing file is never
overwritten, since it may hold the only copy of a refresh token), or send
standard output elsewhere (eval "$(zohoterritory auth token --code ...)",
or a redirection). Standard error gets one line: what was written where,
the data centre, the API domain and the scopes.

Exit status: 0 written; 1 usage or configuration (nothing was sent; a code
is spent only when Zoho answers); 2 the accounts server could not be
reached, or its answer had no refresh token; 4 Zoho refused the code or the
client (the message says why and what to do); 130 interrupted at the
prompt (nothing was sent).`,
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
	fl.StringVar(&f.dc, "dc", env("ZOHO_DC", string(zohoterritory.US)), "data centre of the org and its Self Client: "+dataCentres()+" [ZOHO_DC]")
	fl.StringVar(&f.accountsURL, "accounts-url", env("ZOHO_ACCOUNTS_URL", ""), "accounts server instead of the data centre's, such as a sandbox's [ZOHO_ACCOUNTS_URL]")
	fl.StringVar(&f.clientID, "client-id", env("ZOHO_CLIENT_ID", ""), "the Self Client's client id [ZOHO_CLIENT_ID]")
	fl.StringVar(&f.envFile, "env-file", "", "write the variables to this new file (mode 0600) instead of standard output")
	_ = cmd.MarkFlagRequired("code")
	return cmd
}

func runAuthToken(ctx context.Context, a *app, f *authTokenFlags) error {
	opts, err := f.check(a)
	if err != nil {
		return err
	}
	file, where, err := f.createEnvFile()
	if err != nil {
		return err
	}
	defer func() {
		if file != nil { // not complete: leave nothing behind
			_ = file.Close()
			_ = os.Remove(f.envFile)
		}
	}()
	secret, err := clientSecret(ctx, a, f.clientID)
	if err != nil {
		return err
	}
	dc, _ := zohoterritory.ParseDataCenter(f.dc) // checked above
	tok, err := zohoterritory.ExchangeGrantCode(ctx, f.clientID, secret, f.code, opts...)
	if err != nil {
		return exchangeFailure(err, f, dc)
	}
	vars := authVars(f.accountsURL, dc, tok.APIDomain, f.clientID, secret, tok.RefreshToken)
	if err := writeVars(a.io.Out, file, vars); err != nil {
		return cmdutil.Exit(cmdutil.ExitPartial, fmt.Errorf("writing the variables to %s: %w; the grant code is spent: generate a new one", where, err))
	}
	file = nil // complete: kept
	f.written(a, vars, where, dc, tok)
	return nil
}

// check refuses everything that can be refused before the code, which
// works once, is sent; the library checks the data centre and the
// accounts server. It returns the exchange's options.
func (f *authTokenFlags) check(a *app) ([]zohoterritory.Option, error) {
	if f.code = strings.TrimSpace(f.code); f.code == "" {
		return nil, cmdutil.Usagef("--code: empty: give the grant code from the Self Client's \"Generate Code\" tab")
	}
	opts := []zohoterritory.Option{zohoterritory.WithDataCenter(zohoterritory.DataCenter(f.dc))}
	if f.accountsURL != "" {
		opts = append(opts, zohoterritory.WithAccountsURL(f.accountsURL))
	}
	if _, err := zohoterritory.New(opts...); err != nil {
		return nil, optionUsage(err, map[string]string{"WithDataCenter": f.name("dc"), "WithAccountsURL": f.name("accounts-url")})
	}
	if f.clientID = strings.TrimSpace(f.clientID); f.clientID == "" {
		return nil, cmdutil.Usagef("the client id: give --client-id or set ZOHO_CLIENT_ID (the Self Client's Client Secret tab shows it)")
	}
	if f.envFile == "" && a.io.OutTTY {
		return nil, cmdutil.Usagef("refusing to print a refresh token and a client secret to the terminal: give --env-file FILE, " +
			`or send standard output elsewhere: eval "$(zohoterritory auth token --code ...)", or > FILE`)
	}
	return opts, nil
}

// createEnvFile creates --env-file, if given, before the code is sent, so
// that a file that cannot be written does not cost the code; O_EXCL: never
// overwrite, never follow a link planted there. It returns the file (nil
// for standard output) and where the variables go, for messages.
func (f *authTokenFlags) createEnvFile() (*os.File, string, error) {
	if f.envFile == "" {
		return nil, "standard output", nil
	}
	file, err := os.OpenFile(f.envFile, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, "", cmdutil.Usagef("--env-file %s: the file exists and is not overwritten (it may hold the only copy of a refresh token): remove it or give another name", f.envFile)
	}
	if err != nil {
		return nil, "", cmdutil.Usagef("--env-file: %v", err)
	}
	return file, f.envFile + " (mode 0600)", nil
}

// written says on stderr, in one line, what was written where: the
// variables, the data centre or accounts server, the API domain and the
// scopes, and what to run next.
func (f *authTokenFlags) written(a *app, vars envVars, where string, dc zohoterritory.DataCenter, tok *zohoterritory.Tokens) {
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
}

// clientSecret returns ZOHO_CLIENT_SECRET, or asks the terminal for it
// without echo. It is never read from a flag or from piped input.
func clientSecret(ctx context.Context, a *app, clientID string) (string, error) {
	if s := strings.TrimSpace(a.getenv("ZOHO_CLIENT_SECRET")); s != "" {
		return s, nil
	}
	if !a.io.InTTY || a.io.Terminal == nil {
		return "", cmdutil.Usagef("the client secret: set ZOHO_CLIENT_SECRET, or run on a terminal to be asked for it " +
			"(it is never read from a flag or from piped input)")
	}
	return readSecret(ctx, a, "the client secret",
		fmt.Sprintf("Client secret of %s (from the Self Client's Client Secret tab; not shown as you type): ", clientID))
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
