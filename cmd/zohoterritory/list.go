package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// listKind describes list-users or list-territories.
type listKind struct {
	use, short, long, example string
	ownerFlag, ownerShort     string
	ownerHelp                 string
	// ownerIsUser says the owner is a user (list-territories).
	ownerIsUser bool
	// list reads every page and returns what prints the answer, and the
	// ids whose paths a table shows.
	list func(ctx context.Context, c *zohoterritory.Client, owner string) (printer, []string, error)
}

// printer writes a listing as a table or as JSON; dir, if it holds the
// territories, gives their paths.
type printer func(w io.Writer, format string, dir *zohoterritory.Directory) error

var listTerritories = listKind{
	use:   "list-territories --user USER",
	short: "List the territories of a user",
	long: `List every territory of a user (every page of 200): ID, NAME, MANAGER and
REPORTS TO, or with --output json {"territories":[{"id","name","manager",
"reporting_to","is_default"}]}. The default territory is the one that
reports to none.

Scopes: any of ZohoCRM.users.READ, ZohoCRM.users.ALL,
ZohoCRM.settings.territories.READ or ZohoCRM.settings.territories.ALL.`,
	example:   "  zohoterritory list-territories --user chloe@acme.com\n  zohoterritory list-territories -u 5725767000000411004 -o json",
	ownerFlag: "user", ownerShort: "u",
	ownerHelp:   "the user whose territories to list, by id or e-mail address (required)",
	ownerIsUser: true,
	list: func(ctx context.Context, c *zohoterritory.Client, userID string) (printer, []string, error) {
		ts, err := c.TerritoriesOfUser(ctx, userID)
		if err != nil {
			return nil, nil, err
		}
		ids := make([]string, len(ts))
		for i, t := range ts {
			ids[i] = t.ID
		}
		return func(w io.Writer, format string, dir *zohoterritory.Directory) error {
			return printTerritories(w, format, ts, dir)
		}, ids, nil
	},
}

var listUsers = listKind{
	use:   "list-users --territory TERRITORY",
	short: "List the users of a territory",
	long: `List every user of a territory (every page of 200): ID, NAME, EMAIL and
STATUS, or with --output json {"users":[{"id","full_name","first_name",
"last_name","email","status","role","profile"}]}.

Scopes: ZohoCRM.users.READ or ZohoCRM.users.ALL.`,
	example:   "  zohoterritory list-users --territory \"North America\"\n  zohoterritory list-users -t 5725767000000452002 -o json",
	ownerFlag: "territory", ownerShort: "t",
	ownerHelp: "the territory whose users to list, by id, name or path (required)",
	list: func(ctx context.Context, c *zohoterritory.Client, territoryID string) (printer, []string, error) {
		us, err := c.UsersOfTerritory(ctx, territoryID)
		if err != nil {
			return nil, nil, err
		}
		return func(w io.Writer, format string, _ *zohoterritory.Directory) error { return printUsers(w, format, us) }, nil, nil
	},
}

// listFlags are the flags of list-users and list-territories.
type listFlags struct {
	owner   string
	noNames bool
	output  outputFlag
	conn    connFlags
}

func newListCmd(a *app, k listKind) *cobra.Command {
	var f listFlags
	cmd := &cobra.Command{
		Use:     k.use,
		Short:   k.short,
		Long:    k.long + "\n\n" + cmdutil.ExitCodesHelp,
		Example: k.example,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runList(cmd.Context(), a, k, &f)
		},
	}
	cmd.Flags().StringVarP(&f.owner, k.ownerFlag, k.ownerShort, "", k.ownerHelp)
	if k.ownerIsUser {
		cmd.Flags().BoolVar(&f.noNames, "no-names", false, "read no more than the listing: the table leaves out the territories' paths")
	}
	f.output.register(cmd.Flags(), a.io.OutTTY)
	f.conn.register(cmd.Flags(), a.getenv)
	return cmd
}

func runList(ctx context.Context, a *app, k listKind, f *listFlags) error {
	if f.owner == "" {
		return cmdutil.Usagef("--%s is required", k.ownerFlag)
	}
	if err := f.output.check(); err != nil {
		return err
	}
	kind := zohoterritory.KindTerritory
	if k.ownerIsUser {
		kind = zohoterritory.KindUser
	}
	c, err := f.conn.client(false, zohoterritory.WithLogger(a.logger()))
	if err != nil {
		return err
	}
	res, err := resolve(ctx, c, []zohoterritory.Reference{{Kind: kind, Raw: f.owner, Where: "--" + k.ownerFlag}}, zohoterritory.DirectoryQuery{})
	if err != nil {
		return err
	}
	show, territoryIDs, err := k.list(ctx, c, res.IDs[0])
	if err != nil {
		code, msg := failure(err)
		return cmdutil.Exit(code, fmt.Errorf("%s", msg))
	}
	dir := res.Directory
	if f.output.format == "table" && !f.noNames && len(territoryIDs) > 0 {
		// A user's territories show their paths in a table, which costs
		// the territories' listing; a path only decorates, so a failed
		// read leaves it out.
		if dir, err = c.ReadNames(ctx, dir, nil, territoryIDs); err != nil {
			_, msg := failure(err)
			fmt.Fprintf(a.io.Err, "zohoterritory: paths not shown: reading the territories failed: %s\n", msg)
		}
	}
	if !dir.HasTerritories() || f.output.format == "json" {
		dir = nil
	}
	return show(a.io.Out, f.output.format, dir)
}
