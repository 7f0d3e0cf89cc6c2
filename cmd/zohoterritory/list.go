package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// listCommand describes list-territories or list-users.
type listCommand struct {
	name      string
	ownerFlag string // --user or --territory
	ownerHelp string
	// list reads every page and writes the answer in format.
	list func(ctx context.Context, c *zohoterritory.Client, owner string) (printer, error)
}

// printer writes a listing as a table or as JSON.
type printer func(w io.Writer, format string) error

var listTerritoriesCommand = listCommand{
	name:      "list-territories",
	ownerFlag: "user",
	ownerHelp: "the user whose territories to list (required)",
	list: func(ctx context.Context, c *zohoterritory.Client, userID string) (printer, error) {
		ts, err := c.TerritoriesOfUser(ctx, userID)
		if err != nil {
			return nil, err
		}
		return func(w io.Writer, format string) error { return printTerritories(w, format, ts) }, nil
	},
}

var listUsersCommand = listCommand{
	name:      "list-users",
	ownerFlag: "territory",
	ownerHelp: "the territory whose users to list (required)",
	list: func(ctx context.Context, c *zohoterritory.Client, territoryID string) (printer, error) {
		us, err := c.UsersOfTerritory(ctx, territoryID)
		if err != nil {
			return nil, err
		}
		return func(w io.Writer, format string) error { return printUsers(w, format, us) }, nil
	},
}

func runList(ctx context.Context, cmd listCommand, args []string, io *streams, getenv func(string) string) error {
	fs := newFlagSet(cmd.name, io.err)
	owner := fs.String(cmd.ownerFlag, "", cmd.ownerHelp)
	var cf connFlags
	cf.register(fs, getenv)
	policy := registerRetryFlags(fs)
	output := registerOutputFlag(fs, io)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch {
	case *owner == "":
		return usageErr("%s: --%s is required", cmd.name, cmd.ownerFlag)
	case len(rest) > 0:
		return usageErr("%s: unexpected argument %q", cmd.name, rest[0])
	}
	if err := checkOutput(cmd.name, *output); err != nil {
		return err
	}
	if err := checkRetryFlags(cmd.name, policy); err != nil {
		return err
	}
	opts, err := cf.options(getenv, false)
	if err != nil {
		return err
	}
	client, err := zohoterritory.New(append(opts, zohoterritory.WithRetryPolicy(*policy))...)
	if err != nil {
		return usageErr("%v", err)
	}
	show, err := cmd.list(ctx, client, *owner)
	var invalid *zohoterritory.InvalidIDError
	switch {
	case errors.As(err, &invalid):
		return usageErr("%v", err) // checked before anything was sent
	case err != nil:
		return &exitError{code: exitPartial, err: err}
	}
	return show(io.out, *output)
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

func printTerritories(w io.Writer, format string, ts []zohoterritory.Territory) error {
	if format == "json" {
		out := struct {
			Territories []jsonTerritory `json:"territories"`
		}{Territories: []jsonTerritory{}}
		for _, t := range ts {
			out.Territories = append(out.Territories, jsonTerritory{ID: t.ID, Name: t.Name,
				Manager: toJSONRef(t.Manager), ReportingTo: toJSONRef(t.ReportingTo), IsDefault: t.IsDefault()})
		}
		return encodeJSON(w, out)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tMANAGER\tREPORTS TO")
	for _, t := range ts {
		parent := refCell(t.ReportingTo)
		if t.IsDefault() {
			parent = "- (default territory)"
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

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cell(s string) string {
	if s == "" {
		return "-"
	}
	return s
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
