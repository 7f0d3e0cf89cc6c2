package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

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
	// list reads every page and returns what prints the answer; dir is
	// what the run read of the directory, if anything.
	list func(ctx context.Context, c *zohoterritory.Client, owner string, dir *zohoterritory.Directory) (printer, error)
}

// printer writes a listing as a table or as JSON.
type printer func(w io.Writer, format string) error

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
	list: func(ctx context.Context, c *zohoterritory.Client, userID string, dir *zohoterritory.Directory) (printer, error) {
		ts, err := c.TerritoriesOfUser(ctx, userID)
		if err != nil {
			return nil, err
		}
		return func(w io.Writer, format string) error { return printTerritories(w, format, ts, dir) }, nil
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
	list: func(ctx context.Context, c *zohoterritory.Client, territoryID string, _ *zohoterritory.Directory) (printer, error) {
		us, err := c.UsersOfTerritory(ctx, territoryID)
		if err != nil {
			return nil, err
		}
		return func(w io.Writer, format string) error { return printUsers(w, format, us) }, nil
	},
}

func newListCmd(a *app, k listKind) *cobra.Command {
	var owner string
	var noNames bool
	var output outputFlag
	var conn connFlags
	cmd := &cobra.Command{
		Use:     k.use,
		Short:   k.short,
		Long:    k.long + "\n\n" + cmdutil.ExitCodesHelp,
		Example: k.example,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if owner == "" {
				return cmdutil.Usagef("--%s is required", k.ownerFlag)
			}
			if err := output.check(); err != nil {
				return err
			}
			l := &lookup{}
			r, err := l.add(refArg{raw: owner, where: "--" + k.ownerFlag}, k.ownerIsUser)
			if err != nil {
				return err
			}
			c, err := conn.client(false, zohoterritory.WithLogger(a.logger()))
			if err != nil {
				return err
			}
			if err := l.resolve(cmd.Context(), c); err != nil {
				return err
			}
			dir := l.dir
			if k.ownerIsUser && output.format == "table" && !noNames && (dir == nil || !dir.HasTerritories()) {
				// A user's territories show their paths in a table,
				// which costs the territories' listing; a path only
				// decorates, so a failed read leaves it out.
				if dir, err = c.ReadDirectory(cmd.Context(), zohoterritory.DirectoryQuery{Territories: true}); err != nil {
					_, msg := failure(err)
					fmt.Fprintf(a.io.Err, "zohoterritory: paths not shown: reading the territories failed: %s\n", msg)
				}
			}
			show, err := k.list(cmd.Context(), c, r.id(), dir)
			if err != nil {
				code, msg := failure(err)
				return cmdutil.Exit(code, fmt.Errorf("%s", msg))
			}
			return show(a.io.Out, output.format)
		},
	}
	cmd.Flags().StringVarP(&owner, k.ownerFlag, k.ownerShort, "", k.ownerHelp)
	if k.ownerIsUser {
		cmd.Flags().BoolVar(&noNames, "no-names", false, "read no more than the listing: the table leaves out the territories' paths")
	}
	output.register(cmd.Flags(), a.io.OutTTY)
	conn.register(cmd.Flags(), a.getenv)
	return cmd
}

// jsonRef is a [zohoterritory.Ref] in the JSON output; null when absent.
type jsonRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

func toJSONRef(r *zohoterritory.Ref) *jsonRef {
	if r == nil {
		return nil
	}
	return &jsonRef{ID: r.ID, Name: r.Name}
}

type jsonTerritory struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Path        string   `json:"path,omitempty"`
	Manager     *jsonRef `json:"manager"`
	ReportingTo *jsonRef `json:"reporting_to"`
	IsDefault   bool     `json:"is_default"`
}

type jsonUser struct {
	ID        string   `json:"id"`
	FullName  string   `json:"full_name"`
	FirstName string   `json:"first_name"`
	LastName  string   `json:"last_name"`
	Email     string   `json:"email"`
	Status    string   `json:"status"`
	Role      *jsonRef `json:"role"`
	Profile   *jsonRef `json:"profile"`
}

func printTerritories(w io.Writer, format string, ts []zohoterritory.Territory, dir *zohoterritory.Directory) error {
	path := func(id string) string {
		if dir == nil {
			return ""
		}
		return dir.Path(id)
	}
	if format == "json" {
		out := struct {
			Territories []jsonTerritory `json:"territories"`
		}{Territories: []jsonTerritory{}}
		for _, t := range ts {
			out.Territories = append(out.Territories, jsonTerritory{ID: t.ID, Name: t.Name, Path: path(t.ID),
				Manager: toJSONRef(t.Manager), ReportingTo: toJSONRef(t.ReportingTo), IsDefault: t.IsDefault()})
		}
		return encodeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if dir != nil {
		fmt.Fprintln(tw, "ID\tNAME\tPATH\tMANAGER\tREPORTS TO")
	} else {
		fmt.Fprintln(tw, "ID\tNAME\tMANAGER\tREPORTS TO")
	}
	for _, t := range ts {
		parent := refCell(t.ReportingTo)
		if t.IsDefault() {
			parent = "- (default territory)"
		}
		if dir != nil {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, cell(t.Name), cell(path(t.ID)), refCell(t.Manager), parent)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.ID, cell(t.Name), refCell(t.Manager), parent)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(ts) == 1 {
		fmt.Fprintln(w, "1 territory")
	} else {
		fmt.Fprintf(w, "%d territories\n", len(ts))
	}
	return nil
}

func printUsers(w io.Writer, format string, us []zohoterritory.User) error {
	if format == "json" {
		out := struct {
			Users []jsonUser `json:"users"`
		}{Users: []jsonUser{}}
		for _, u := range us {
			out.Users = append(out.Users, jsonUser{ID: u.ID, FullName: u.FullName, FirstName: u.FirstName, LastName: u.LastName,
				Email: u.Email, Status: u.Status, Role: toJSONRef(u.Role), Profile: toJSONRef(u.Profile)})
		}
		return encodeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tEMAIL\tSTATUS")
	for _, u := range us {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.ID, cell(u.FullName), cell(u.Email), cell(u.Status))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, plural(len(us), "user"))
	return nil
}

// refCell shows a reference by name, or by id when Zoho sent none.
func refCell(r *zohoterritory.Ref) string {
	switch {
	case r == nil:
		return "-"
	case r.Name == "":
		return r.ID
	}
	return r.Name
}
