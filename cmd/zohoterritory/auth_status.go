package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

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
	// code is the exit code the problems call for.
	code int
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
	st := newAuthStatus(a, conn)
	st.checkUser(ctx, c)
	if st.Token != "refused" {
		st.checkTerritories(ctx, c)
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
	} else if err := printAuthStatus(a.io.Out, *st); err != nil {
		return err
	}
	if st.code == cmdutil.ExitOK {
		return nil
	}
	return cmdutil.Exit(st.code, errors.New(strings.Join(st.Problems, "\n")))
}

// newAuthStatus is what the flags and the environment say, before any
// check.
func newAuthStatus(a *app, conn *connFlags) *authStatus {
	dc, _ := zohoterritory.ParseDataCenter(conn.dc) // the client was built: the library took it
	st := &authStatus{DataCentre: string(dc), Credentials: "access_token", Token: "unknown", TerritoryManagement: "unknown", Problems: []string{}}
	if a.getenv("ZOHO_ACCESS_TOKEN") == "" {
		st.Credentials, st.ClientID = "refresh_token", a.getenv("ZOHO_CLIENT_ID")
		st.AccountsURL = strings.TrimSuffix(conn.accountsURL, "/")
		if st.AccountsURL == "" {
			st.AccountsURL = dc.AccountsURL()
		}
	}
	return st
}

// problem notes what was found wrong, and the exit code it calls for: a
// failure of the credentials (4) wins over any other (2).
func (st *authStatus) problem(code int, msg string) {
	st.Problems = append(st.Problems, msg)
	if code == cmdutil.ExitAuth || st.code == cmdutil.ExitOK {
		st.code = code
	}
}

// checkUser reads the current user: whether Zoho accepts the token, and
// whose it is.
func (st *authStatus) checkUser(ctx context.Context, c *zohoterritory.Client) {
	me, err := c.Me(ctx)
	var msg string
	if err != nil {
		_, msg = failure(err)
	}
	switch {
	case err == nil:
		st.Token, st.User = "accepted", &jsonRefNamed{ID: me.ID, Name: me.FullName, Email: me.Email}
	case errors.Is(err, zohoterritory.ErrOAuthScopeMismatch):
		st.Token = "accepted"
		st.problem(cmdutil.ExitAuth, "the token lacks ZohoCRM.users.READ (or .ALL): whose it is cannot be read, nor users by e-mail address")
	case errors.Is(err, zohoterritory.ErrNoPermission):
		st.Token = "accepted"
		st.problem(cmdutil.ExitAuth, "reading the current user: "+msg)
	case zohoterritory.IsAuthFailure(err):
		st.Token = "refused"
		st.problem(cmdutil.ExitAuth, msg)
	default:
		st.problem(cmdutil.ExitPartial, "reading the current user: "+msg)
	}
}

// checkTerritories reads one page of the territories: whether territory
// management is on.
func (st *authStatus) checkTerritories(ctx context.Context, c *zohoterritory.Client) {
	var err error
	for _, e := range c.ListTerritories(ctx) {
		err = e
		break // one page says enough
	}
	var msg string
	if err != nil {
		_, msg = failure(err)
	}
	switch {
	case err == nil:
		st.TerritoryManagement = "enabled"
	case errors.Is(err, zohoterritory.ErrTerritoryDisabled):
		st.TerritoryManagement = "disabled"
		st.problem(cmdutil.ExitPartial, "territory management is off in this org ("+msg+
			"): every membership command fails until an administrator of the org enables it")
	case errors.Is(err, zohoterritory.ErrOAuthScopeMismatch):
		st.problem(cmdutil.ExitAuth, "the token lacks ZohoCRM.settings.territories.READ (or .ALL): whether territory management is on cannot be read, nor territories by name")
	case zohoterritory.IsAuthFailure(err) && !errors.Is(err, zohoterritory.ErrNoPermission):
		st.Token = "refused"
		st.problem(cmdutil.ExitAuth, msg)
	default:
		st.problem(cmdutil.ExitPartial, "reading the territories: "+msg)
	}
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
