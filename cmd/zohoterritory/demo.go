package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

func newDemoCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Show the tool at work against the built-in sandbox (no Zoho account needed)",
		Long: `Start the sandbox, an in-memory Zoho CRM, and run this tool's own commands
against it: a removal by e-mail and territory name with a refused user, an
unknown address refused before anything is sent, an offboarding with --all,
a server fault whose lost answer resume settles, and that removal undone
from its journal. Each command is shown as you would type it, with its
output and exit status; the journals go to a temporary directory, removed
at the end. "zohoterritory demo tree" shows the territory tree as code.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), a)
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "tree",
		Short: "Show the territory tree as code against the built-in sandbox: export, edit, plan, apply, restore",
		Long: `Start the sandbox, an in-memory Zoho CRM, and run this tool's own commands
against it: export the org's whole tree to a file, edit the file (a new
territory, a rename, a member added, a territory dropped), plan it, apply
the saved plan, plan again to see the org match the file, and restore the
org as it was from the apply's journal. Each command is shown as you would
type it, with its output and exit status; the files go to a temporary
directory, removed at the end.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemoTree(cmd.Context(), a)
		},
	})
	return cmd
}

// The default seed's people and places.
const (
	demoEve   = "5725767000000411005"
	demoKeyEU = "5725767000000452006" // Key Accounts Europe
)

// demoOrg says what the default seed's org holds, for a demo's header.
const demoOrg = "Its org (territory: manager, members): Acme Org: Ava, Ben, Chloe, Dev, Eve > North America: Ben, Chloe, Dev > West Coast: Dev, Chloe; Key Accounts: Ben, Chloe. Acme Org > Europe: Eve, Chloe, Finn (inactive) > Key Accounts Europe: Chloe, Eve\n"

func runDemo(ctx context.Context, a *app) error {
	d, err := startDemo(a, "0 done; 1 bad input (nothing sent); 2 not all done; 4 credentials refused; 130 interrupted. The tree as code: zohoterritory demo tree.")
	if err != nil {
		return err
	}
	defer d.close()
	d.step(ctx, "People by e-mail, territories by name. Ben manages North America: Zoho refuses him, and the exit status says so.",
		"remove-users", "--territory", "North America", "chloe@acme.com", "dev@acme.com", "ben@acme.com", "--journal", "north-america.jsonl")
	d.step(ctx, "An address the org does not hold stops the run before anything is sent, naming it.",
		"remove-users", "--territory", "Key Accounts", "chloe@acme.com", "zoe@acme.com")
	d.step(ctx, "Offboard Chloe: list her territories, skip what Zoho forbids (the default territory, the one she manages), remove the rest.",
		"remove-territories", "--user", "chloe@acme.com", "--all", "--journal", "offboard-chloe.jsonl")

	if err := d.srv.SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError, Count: 1}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	d.step(ctx, "Ids work too. The sandbox now fails once with a 500 after doing the work, and no retry is allowed: the outcome is unknown.",
		"remove-users", "--territory", demoKeyEU, demoEve, "--max-attempts", "1", "--journal", "key-accounts.jsonl")
	d.step(ctx, "Resume settles it from the journal: the lost attempt had removed Eve, so Zoho's \"not a member\" now means removed.",
		"resume", "key-accounts.jsonl")
	d.step(ctx, "Removed the wrong person? Restore adds back every membership the journal shows removed.",
		"restore", "key-accounts.jsonl", "--journal", "restore-key-accounts.jsonl")
	return nil
}

func runDemoTree(ctx context.Context, a *app) error {
	d, err := startDemo(a, "0 done; 1 bad input (nothing sent); 2 changes planned, or not all done; 130 interrupted.")
	if err != nil {
		return err
	}
	defer d.close()
	d.step(ctx, "Export the org's whole tree to a file, to commit to git and edit: every territory with its id, manager, permission and members.",
		"export", "--out", "acme.yaml")
	if err := demoEditTree(d.path("acme.yaml")); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	edited, err := os.ReadFile(d.path("acme.yaml"))
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	d.say("\n# Edit acme.yaml: Europe gains Dev and a new child, Nordics (Eve, read only); West Coast is renamed Pacific; North America's Key Accounts is left out. It now reads (after its first line, which says what was exported and when):\n")
	_, body, _ := strings.Cut(string(edited), "\n")
	d.say("%s", body)
	d.step(ctx, "Plan it, as a review would: each change, and what the delete takes away. Nothing is deleted by omission without --allow-delete; exit 2: there are changes.",
		"plan", "acme.yaml", "--allow-delete", "--detailed-exitcode", "--out", "acme.plan")
	d.step(ctx, "Apply the saved plan as it was reviewed (refused if the org changed since), in the order Zoho accepts, with one journal for the whole run.",
		"apply", "acme.plan", "--yes", "--journal", "tree.jsonl")
	d.step(ctx, "The org now matches the file.",
		"plan", "acme.yaml", "--allow-delete", "--detailed-exitcode")
	d.step(ctx, "Undo all of it from the journal: the deleted territory is created again, with its members, under a new id.",
		"restore", "tree.jsonl", "--journal", "restore-tree.jsonl")
	return nil
}

// demoEditTree makes the demo's edit of the tree file at path, as an
// admin would by hand.
func demoEditTree(path string) error {
	fh, err := os.Open(path) //nolint:gosec // G304: the file the demo exported, in its temporary directory
	if err != nil {
		return err
	}
	file, err := tree.ReadFile(fh, filepath.Base(path))
	_ = fh.Close()
	if err != nil {
		return err
	}
	find := func(parent *tree.Node, name string) (*tree.Node, int, error) {
		for i, n := range parent.Children {
			if n.Name == name {
				return n, i, nil
			}
		}
		return nil, 0, fmt.Errorf("%s: no territory %q under %q", path, name, parent.Name)
	}
	europe, _, err := find(file.Root, "Europe")
	if err != nil {
		return err
	}
	europe.Users = append(europe.Users, "dev@acme.com")
	europe.Children = append(europe.Children, &tree.Node{Name: "Nordics", Manager: "eve@acme.com", Permission: "read_only", Users: []string{"eve@acme.com"}})
	america, _, err := find(file.Root, "North America")
	if err != nil {
		return err
	}
	west, _, err := find(america, "West Coast")
	if err != nil {
		return err
	}
	west.Name = "Pacific"
	_, i, err := find(america, "Key Accounts")
	if err != nil {
		return err
	}
	america.Children = slices.Delete(america.Children, i, i+1)
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0) //nolint:gosec // G304: the file the demo exported, in its temporary directory
	if err != nil {
		return err
	}
	if _, err := file.WriteTo(out); err != nil {
		_ = out.Close()
		return err
	}
	return out.Close()
}

// demo runs this tool's own commands against a sandbox of the default
// seed, showing each as typed, with its output and exit status; the files
// it names go to a temporary directory.
type demo struct {
	a     *app
	srv   *zohoterritorytest.Server
	env   map[string]string
	dir   string
	w     io.Writer
	steps int
}

// startDemo starts the sandbox and says where it runs, what exits (the
// exit statuses the demo shows) mean, and what the org holds.
func startDemo(a *app, exits string) (*demo, error) {
	srv, err := zohoterritorytest.NewServer()
	if err != nil {
		return nil, fmt.Errorf("demo: start the sandbox: %w", err)
	}
	dir, err := os.MkdirTemp("", "zohoterritory-demo")
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("demo: %w", err)
	}
	env := map[string]string{"ZOHO_API_DOMAIN": srv.URL(), "ZOHO_ACCESS_TOKEN": srv.AccessToken(), "XDG_STATE_HOME": dir}
	d := &demo{a: a, srv: srv, env: env, dir: dir, w: a.io.Out}
	d.say("The sandbox, an in-memory Zoho CRM, runs at %s. Exit status: %s\n", srv.URL(), exits)
	d.say(demoOrg)
	return d, nil
}

func (d *demo) close() {
	d.srv.Close()
	_ = os.RemoveAll(d.dir)
}

func (d *demo) say(format string, args ...any) { fmt.Fprintf(d.w, format, args...) }

// path is where the demo keeps the file it names name.
func (d *demo) path(name string) string { return filepath.Join(d.dir, name) }

// step runs the command args, shown after comment; an argument that names
// one of the demo's files (a journal, a tree file, a plan) is shown as
// the name alone and given as its path.
func (d *demo) step(ctx context.Context, comment string, args ...string) {
	if d.steps > 0 {
		fmt.Fprintln(d.w)
	}
	d.steps++
	shown := make([]string, len(args))
	real := make([]string, len(args))
	for i, arg := range args {
		shown[i], real[i] = shellQuote(arg), arg
		if strings.HasSuffix(arg, journal.Ext) || strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".plan") {
			real[i] = d.path(arg)
		}
	}
	fmt.Fprintf(d.w, "# %s\n$ zohoterritory %s\n", comment, strings.Join(shown, " "))
	sub := &cmdutil.IOStreams{In: strings.NewReader(""), Out: d.w, Err: prefixed{w: d.w, hide: d.dir + string(filepath.Separator)}}
	if args[0] != "export" { // export writes a file (yaml or csv); the others print a table
		real = append(real, "--output", "table")
	}
	code := run(ctx, real, sub, func(k string) string { return d.env[k] }, d.a.stop)
	fmt.Fprintf(d.w, "(exit %d)\n", code)
}

// prefixed shows a command's stderr inside the demo's transcript, with
// hide (the demo's directory) left out of paths, and without the line
// naming the journal, which the transcript's command shows.
type prefixed struct {
	w    io.Writer
	hide string
}

func (p prefixed) Write(b []byte) (int, error) {
	if strings.HasPrefix(string(b), "zohoterritory: writing the journal to ") {
		return len(b), nil
	}
	if _, err := fmt.Fprintf(p.w, "stderr: %s", strings.ReplaceAll(string(b), p.hide, "")); err != nil {
		return 0, err
	}
	return len(b), nil
}
