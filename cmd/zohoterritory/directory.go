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

// The org's directory: the territory tree and the users, as admins read
// them before a reorganisation.

func newTerritoriesCmd(a *app) *cobra.Command {
	var output outputFlag
	var conn connFlags
	var noCounts bool
	cmd := &cobra.Command{
		Use:   "territories",
		Short: "Draw the org's territory hierarchy: names, ids, managers, member counts",
		Long: `Draw the org's territories as the tree they form, from the organization's
default territory down: each territory's name, id, manager and number of
members, or with --output json the same as data ({"territories":[{"id",
"name","path","manager","members","children":[...]}]}).

The territories take ceil(territories/200) calls; the member counts one
more call per territory, side by side under the concurrency limit that
changes use (--no-counts leaves them out).

Scopes: ZohoCRM.settings.territories.READ (or .ALL), and for the counts
ZohoCRM.users.READ (or .ALL).

` + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory territories
  zohoterritory territories --no-counts -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := output.check(); err != nil {
				return err
			}
			c, err := conn.client(false, zohoterritory.WithLogger(a.logger()))
			if err != nil {
				return err
			}
			return runTerritories(cmd.Context(), a, c, output.format, !noCounts)
		},
	}
	cmd.Flags().BoolVar(&noCounts, "no-counts", false, "leave out the member counts, which cost a call per territory")
	output.register(cmd.Flags(), a.io.OutTTY)
	conn.register(cmd.Flags(), a.getenv)
	return cmd
}

func runTerritories(ctx context.Context, a *app, c *zohoterritory.Client, format string, counts bool) error {
	dir, err := c.ReadDirectory(ctx, zohoterritory.DirectoryQuery{Territories: true})
	if err != nil {
		code, msg := failure(err)
		return cmdutil.Exit(code, fmt.Errorf("%s", msg))
	}
	var members map[string][]zohoterritory.User
	if counts && len(dir.Territories()) > 0 {
		ids := make([]string, len(dir.Territories()))
		for i, t := range dir.Territories() {
			ids[i] = t.ID
		}
		if members, err = c.UsersOfTerritories(ctx, ids...); err != nil {
			code, msg := failure(err)
			return cmdutil.Exit(code, fmt.Errorf("counting the members: %s (--no-counts leaves them out)", msg))
		}
	}
	tree := territoryTree(dir, members, "")
	if format == "json" {
		return encodeJSON(a.io.Out, struct {
			Territories []jsonTreeNode `json:"territories"`
		}{tree})
	}
	return printTree(a.io.Out, tree, len(dir.Territories()), members != nil)
}

// jsonTreeNode is one territory of the tree, with its children.
type jsonTreeNode struct {
	ID       string         `json:"id"`
	Name     string         `json:"name"`
	Path     string         `json:"path"`
	Manager  *jsonRef       `json:"manager"`
	Members  *int           `json:"members,omitempty"`
	Children []jsonTreeNode `json:"children"`
}

// territoryTree is the subtree under parent ("" for the top), each level in
// Zoho's order.
func territoryTree(dir *zohoterritory.Directory, members map[string][]zohoterritory.User, parent string) []jsonTreeNode {
	out := []jsonTreeNode{}
	for _, id := range dir.Children(parent) {
		t, _ := dir.TerritoryByID(id)
		n := jsonTreeNode{ID: t.ID, Name: t.Name, Path: dir.Path(t.ID), Manager: toJSONRef(t.Manager),
			Children: territoryTree(dir, members, t.ID)}
		if us, ok := members[t.ID]; ok {
			count := len(us)
			n.Members = &count
		}
		out = append(out, n)
	}
	return out
}

func printTree(w io.Writer, tree []jsonTreeNode, total int, counts bool) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	if counts {
		fmt.Fprintln(tw, "TERRITORY\tID\tMANAGER\tMEMBERS")
	} else {
		fmt.Fprintln(tw, "TERRITORY\tID\tMANAGER")
	}
	var walk func(nodes []jsonTreeNode, indent string, top bool)
	walk = func(nodes []jsonTreeNode, indent string, top bool) {
		for i, n := range nodes {
			last := i == len(nodes)-1
			branch, next := "├─ ", "│  "
			if last {
				branch, next = "└─ ", "   "
			}
			if top {
				branch, next = "", ""
			}
			manager := "-"
			if n.Manager != nil {
				manager = cell(n.Manager.Name)
				if n.Manager.Name == "" {
					manager = n.Manager.ID
				}
			}
			if counts {
				members := "-"
				if n.Members != nil {
					members = fmt.Sprint(*n.Members)
				}
				fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\n", indent+branch, cell(n.Name), n.ID, manager, members)
			} else {
				fmt.Fprintf(tw, "%s%s\t%s\t%s\n", indent+branch, cell(n.Name), n.ID, manager)
			}
			walk(n.Children, indent+next, false)
		}
	}
	walk(tree, "", true)
	if err := tw.Flush(); err != nil {
		return err
	}
	if total == 1 {
		_, err := fmt.Fprintln(w, "1 territory")
		return err
	}
	_, err := fmt.Fprintf(w, "%d territories\n", total)
	return err
}

// userStatuses maps --status to Zoho's user types.
var userStatuses = map[string]zohoterritory.UserType{
	"all":      zohoterritory.AllUsers,
	"active":   zohoterritory.ActiveUsers,
	"inactive": zohoterritory.DeactiveUsers,
	"deleted":  zohoterritory.DeletedUsers,
}

func newUsersCmd(a *app) *cobra.Command {
	var output outputFlag
	var conn connFlags
	var status string
	cmd := &cobra.Command{
		Use:   "users [--status active|inactive|deleted|all]",
		Short: "List the org's users: ids, names, e-mail addresses, statuses",
		Long: `List the org's users (every page of 200): ID, NAME, EMAIL and STATUS, or with
--output json {"users":[{"id","full_name","first_name","last_name","email",
"status","role","profile"}]}. --status all (the default) lists the active
and the deactivated users, as Zoho's AllUsers does; deleted users are listed
with --status deleted.

Scopes: ZohoCRM.users.READ or ZohoCRM.users.ALL.

` + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory users
  zohoterritory users --status inactive -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			typ, ok := userStatuses[status]
			if !ok {
				return cmdutil.Usagef("--status %q: want active, inactive, deleted or all", status)
			}
			if err := output.check(); err != nil {
				return err
			}
			c, err := conn.client(false, zohoterritory.WithLogger(a.logger()))
			if err != nil {
				return err
			}
			var us []zohoterritory.User
			for u, err := range c.ListUsers(cmd.Context(), typ) {
				if err != nil {
					code, msg := failure(err)
					return cmdutil.Exit(code, fmt.Errorf("%s", msg))
				}
				us = append(us, u)
			}
			return printUsers(a.io.Out, output.format, us)
		},
	}
	cmd.Flags().StringVar(&status, "status", "all", "which users: active, inactive (deactivated), deleted, or all (active and inactive)")
	output.register(cmd.Flags(), a.io.OutTTY)
	conn.register(cmd.Flags(), a.getenv)
	return cmd
}
