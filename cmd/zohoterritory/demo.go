package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

func newDemoCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "demo",
		Short: "Show the tool at work against the built-in sandbox (no Zoho account needed)",
		Long: `Start the sandbox, an in-memory Zoho CRM, and run this tool's own commands
against it: a removal by e-mail and territory name with a refused user, an
unknown address refused before anything is sent, an offboarding with --all,
a server fault whose lost answer resume settles, and the first removal
undone from its journal. Each command is shown as you would type it, with its
output and exit status; the journals go to a temporary directory, removed
at the end.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), a)
		},
	}
}

// The default seed's people and places.
const (
	demoEve   = "5725767000000411005"
	demoKeyEU = "5725767000000452006" // Key Accounts Europe
)

func runDemo(ctx context.Context, a *app) error {
	srv, err := zohoterritorytest.NewServer()
	if err != nil {
		return fmt.Errorf("demo: start the sandbox: %w", err)
	}
	defer srv.Close()
	env := map[string]string{"ZOHO_API_DOMAIN": srv.URL(), "ZOHO_ACCESS_TOKEN": srv.AccessToken()}
	w := a.io.Out
	fmt.Fprintf(w, "The sandbox, an in-memory Zoho CRM, runs at %s. Exit status: 0 done; 1 bad input (nothing sent); 2 not all done; 4 credentials refused; 130 interrupted.\n", srv.URL())
	fmt.Fprint(w, "Its org (territory: manager, members): Acme Org > North America: Ben, Chloe, Dev > West Coast: Dev, Chloe; Key Accounts: Ben, Chloe. Acme Org > Europe: Eve > Key Accounts Europe: Chloe, Eve\n")

	dir, err := os.MkdirTemp("", "zohoterritory-demo")
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	defer os.RemoveAll(dir)
	env["XDG_STATE_HOME"] = dir
	// A journal is named in the transcript as the file name alone.
	local := func(arg string) string {
		if strings.HasSuffix(arg, journal.Ext) {
			return filepath.Join(dir, arg)
		}
		return arg
	}
	first := true
	step := func(comment string, args ...string) {
		if !first {
			fmt.Fprintln(w)
		}
		first = false
		shown := make([]string, len(args))
		for i, arg := range args {
			shown[i] = shellQuote(arg)
		}
		fmt.Fprintf(w, "# %s\n$ zohoterritory %s\n", comment, strings.Join(shown, " "))
		real := make([]string, len(args))
		for i, arg := range args {
			real[i] = local(arg)
		}
		sub := &cmdutil.IOStreams{In: strings.NewReader(""), Out: w, Err: prefixed{w: w, hide: dir + string(filepath.Separator)}}
		code := run(ctx, append(real, "--output", "table"), sub, func(k string) string { return env[k] }, a.stop)
		fmt.Fprintf(w, "(exit %d)\n", code)
	}
	step("People by e-mail, territories by name. Ben manages North America: Zoho refuses him, and the exit status says so.",
		"remove-users", "--territory", "North America", "chloe@acme.com", "dev@acme.com", "ben@acme.com", "--journal", "north-america.jsonl")
	step("An address the org does not hold stops the run before anything is sent, naming it.",
		"remove-users", "--territory", "Key Accounts", "chloe@acme.com", "zoe@acme.com")
	step("Offboard Chloe: list her territories, skip what Zoho forbids (the default territory, the one she manages), remove the rest.",
		"remove-territories", "--user", "chloe@acme.com", "--all", "--journal", "offboard-chloe.jsonl")

	if err := srv.SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError, Count: 1}); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	step("Ids work too. The sandbox now fails once with a 500 after doing the work, and no retry is allowed: the outcome is unknown.",
		"remove-users", "--territory", demoKeyEU, demoEve, "--max-attempts", "1", "--journal", "key-accounts.jsonl")
	step("Resume settles it from the journal: the lost attempt had removed Eve, so Zoho's \"not a member\" now means removed.",
		"resume", "key-accounts.jsonl")
	step("Removed the wrong person? Restore adds back every membership the journal shows removed.",
		"restore", "key-accounts.jsonl", "--journal", "restore-key-accounts.jsonl")

	return nil
}

// prefixed shows a command's stderr inside the demo's transcript, with
// hide (the journals' directory) left out of paths, and without the line
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
