package main

import (
	"context"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// app is what every command is given: the streams, the environment and the
// first interrupt. Nothing else of the process is touched, so tests run
// commands in-process.
type app struct {
	io     *cmdutil.IOStreams
	getenv func(string) string
	// stop is closed by the first Ctrl-C: send nothing new, let what is
	// in flight finish.
	stop <-chan struct{}
	// verbose is the root's -v: log every request, retry and wait.
	verbose bool
}

// run runs the command line args and returns the exit code.
func run(ctx context.Context, args []string, io *cmdutil.IOStreams, getenv func(string) string, stop <-chan struct{}) int {
	a := &app{io: io, getenv: getenv, stop: stop}
	return cmdutil.Run(ctx, newRootCmd(a), args, io)
}

func newRootCmd(a *app) *cobra.Command {
	root := &cobra.Command{
		Use:   "zohoterritory",
		Short: "List, add, move and remove territory membership in Zoho CRM, safely",
		Long: `zohoterritory lists, adds, moves and removes territory membership in Zoho
CRM: the users of a territory, the territories of a user. People are given by id or e-mail
address, territories by id, name or path ("North America/West Coast"),
resolved with one read of the org's directory. It checks every one before
anything is sent, batches as Zoho's limits say, retries what may pass, and accounts
for every id: removed, failed (with Zoho's reason), skipped on purpose, or
unknown when an answer was lost. Every change is journaled: "resume"
finishes a run that was killed, "restore" undoes one.

Try it with no Zoho account at all:

  zohoterritory demo

Against a real org, exchange a Self Client's grant code for the variables
the commands read (see "Environment" and "auth token --help"), check them,
and look before changing anything:

  zohoterritory auth token --code 1000.xxxx --dc EU --env-file zoho.env
  . ./zoho.env
  zohoterritory auth status
  zohoterritory list-territories --user chloe@acme.com

Environment:
  ZOHO_ACCESS_TOKEN                 an access token (such as one from Zoho's self client), or
  ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN
                                    the refresh-token flow (one refresh for the whole run)
  ZOHO_DC                           data centre: ` + dataCentres() + ` (default US)
  ZOHO_API_VERSION                  API version, v2 to v8 (default ` + zohoterritory.DefaultAPIVersion + `)
  ZOHO_API_DOMAIN                   API base URL instead of the data centre's, such as a sandbox's
  ZOHO_ACCOUNTS_URL                 accounts server of the refresh-token flow
  ZOHO_TERRITORY_LIMIT              the most territories the org holds, for a tree file's plan
                                    (Zoho's API does not tell it; default 250)
A flag wins over its variable. Tokens and secrets come from the environment
only, and are never printed.

` + cmdutil.ExitCodesHelp,
		// No Args check: cobra's own one says "did you mean" for an
		// unknown command.
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	root.PersistentFlags().BoolVarP(&a.verbose, "verbose", "v", false, "log every request, retry and wait to stderr (never a token)")
	root.AddGroup(&cobra.Group{ID: "membership", Title: "Membership commands:"},
		&cobra.Group{ID: "reorg", Title: "Reorganise from a file:"},
		&cobra.Group{ID: "directory", Title: "The org's directory:"},
		&cobra.Group{ID: "journal", Title: "Journals (finish, undo, list runs):"},
		&cobra.Group{ID: "auth", Title: "Connecting to an org:"},
		&cobra.Group{ID: "sandbox", Title: "Trying it out:"})
	for _, c := range []*cobra.Command{
		newRemoveCmd(a, removeUsers), newRemoveCmd(a, removeTerritories),
		newAddCmd(a, addUsers), newAddCmd(a, addTerritories), newMoveCmd(a),
		newListCmd(a, listUsers), newListCmd(a, listTerritories),
	} {
		c.GroupID = "membership"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newExportCmd(a), newPlanCmd(a), newApplyCmd(a)} {
		c.GroupID = "reorg"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newTerritoriesCmd(a), newUsersCmd(a)} {
		c.GroupID = "directory"
		root.AddCommand(c)
	}
	for _, c := range []*cobra.Command{newResumeCmd(a), newRestoreCmd(a), newRunsCmd(a)} {
		c.GroupID = "journal"
		root.AddCommand(c)
	}
	auth := newAuthCmd(a)
	auth.GroupID = "auth"
	root.AddCommand(auth)
	sandbox := cmdutil.NewSandboxCmd(a.io, cmdutil.SandboxOptions{Stop: a.stop})
	demo := newDemoCmd(a)
	sandbox.GroupID, demo.GroupID = "sandbox", "sandbox"
	root.AddCommand(sandbox, demo, newVersionCmd(a))
	return root
}

// logger returns the library's logger for this run: every attempt with -v,
// retries and their waits always, to stderr as one plain line each. The
// library never logs a secret.
func (a *app) logger() *slog.Logger {
	level := slog.LevelWarn
	if a.verbose {
		level = slog.LevelDebug
	}
	return slog.New(&lineHandler{w: a.io.Err, level: level})
}
