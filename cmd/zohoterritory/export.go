package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// exportFlags are export's flags.
type exportFlags struct {
	clientFlags
	out     string
	clobber bool
	format  string
}

func newExportCmd(a *app) *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export [--out FILE] [-o yaml|csv]",
		Short: "Write the org's whole territory tree as a tree file, to edit and plan",
		Long: `Read the org's whole territory tree, every territory with its id, manager,
permission, description, assignment rules and members, and write it as a
tree file: YAML, from the organization's territory down, children sorted by
name, users by e-mail address (by id when a user has none, or shares it), a
first line saying what it was exported from and when. Commit it to git,
edit it, and "zohoterritory plan FILE" shows what it would take to make the
org match it; an export planned at once changes nothing.

-o csv writes the memberships alone, as the membership file "plan" reads
(territory,user: a row for each member of each territory, territories by
path), for a round trip through a spreadsheet.

The file goes to standard output, or with --out to FILE (mode 0600: it
holds people's addresses), which must not exist unless --clobber: an
export never overwrites an edited file by surprise.

The reads: the users and the territories (200 a page), the users' counts
(one call), and one listing per territory that has members, side by side
under the concurrency limit changes use.

Scopes: ZohoCRM.settings.territories.READ and ZohoCRM.users.READ (or their
.ALL).

` + cmdutil.ExitCodesHelp,
		Example: `  zohoterritory export --out tree.yaml && git add tree.yaml
  zohoterritory export -o csv > memberships.csv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runExport(cmd.Context(), a, &f)
		},
	}
	fl := cmd.Flags()
	f.register(a, fl)
	fl.StringVar(&f.out, "out", "", "write to FILE, a new file, instead of standard output")
	fl.BoolVar(&f.clobber, "clobber", false, "with --out: replace FILE if it exists")
	fl.StringVarP(&f.format, "output", "o", "yaml", "yaml (the tree file) or csv (the membership file)")
	return cmd
}

func runExport(ctx context.Context, a *app, f *exportFlags) error {
	if f.format != "yaml" && f.format != "csv" {
		return cmdutil.Usagef("--output %q: want yaml or csv", f.format)
	}
	if f.clobber && f.out == "" {
		return cmdutil.Usagef("--clobber: give it with --out FILE")
	}
	if f.out != "" {
		if err := checkOutFile("--out", f.out, f.clobber); err != nil {
			return err
		}
	}
	c, err := f.client(a, false, false)
	if err != nil {
		return err
	}
	org, err := readOrg(ctx, c, "nothing was exported")
	if err != nil {
		return err
	}
	write := func(w io.Writer) error { return tree.WriteMemberships(w, org) }
	if f.format == "yaml" {
		file, err := tree.Export(org, tree.Meta{APIDomain: org.APIDomain, APIVersion: org.APIVersion, Exported: time.Now()})
		if err != nil {
			return err
		}
		write = func(w io.Writer) error { _, err := file.WriteTo(w); return err }
	}
	if f.out == "" {
		return write(a.io.Out)
	}
	if err := writeFile("--out", f.out, f.clobber, write); err != nil {
		return err
	}
	fmt.Fprintf(a.io.Err, "zohoterritory: exported %s and %s to %s\n",
		pluralOf(len(org.Territories), "territory", "territories"), plural(org.Memberships(), "membership"), f.out)
	return nil
}
