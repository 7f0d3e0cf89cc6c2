package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// How listings of users and territories print, as tables and as JSON.

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
