package main

import (
	"fmt"
	"io"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// jsonRun is one journal in the JSON output of runs.
type jsonRun struct {
	Path    string `json:"path"`
	Started string `json:"started,omitempty"`
	Command string `json:"command,omitempty"`
	Op      string `json:"op,omitempty"`
	Owner   string `json:"owner,omitempty"`
	// State is "complete" (every id has its outcome), "unfinished" (a
	// resume has ids to send), for a tree run "halted" (a step failed for
	// good, and the steps after it are blocked), or "unreadable" (Error
	// says why).
	State   string `json:"state"`
	IDs     int    `json:"ids"`
	Done    int    `json:"done"`
	Present int    `json:"already_present"`
	Failed  int    `json:"failed"`
	Pending int    `json:"pending"`
	// Blocked counts, of a halted tree run, what no resume sends.
	Blocked int    `json:"blocked,omitempty"`
	Resumes int    `json:"resumes"`
	Error   string `json:"error,omitempty"`
}

func newRunsCmd(a *app) *cobra.Command {
	var output outputFlag
	var dir string
	cmd := &cobra.Command{
		Use:   "runs",
		Short: "List the journals of earlier runs",
		Long: `List the journals in the state directory ($XDG_STATE_HOME/zohoterritory, or
~/.local/state/zohoterritory), oldest first: when each run started, its
command and owner, how many ids it had, how many were done (removed, or for
a restore added), present already, failed, and pending (to be sent by
"zohoterritory resume"), and whether it is complete. A run of a tree file
counts its territories and memberships; its owner is the file it was
planned from, and a run a step stopped for good is "halted", with how many
of its places no resume sends ("halted (3 blocked)"; "blocked" in JSON).`,
		Example: `  zohoterritory runs
  zohoterritory runs -o json | jq -r '.[] | select(.state == "unfinished") | .path'`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := output.check(); err != nil {
				return err
			}
			if dir == "" {
				var err error
				if dir, err = journal.StateDir(a.getenv); err != nil {
					return cmdutil.Usagef("%s, or give --dir", cmdutil.Message(err))
				}
			}
			list, err := journal.List(dir)
			if err != nil {
				return cmdutil.Usagef("%s", cmdutil.Message(err))
			}
			return printRuns(a.io.Out, output.format, dir, list)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "the directory to list instead of the state directory")
	output.register(cmd.Flags(), a.io.OutTTY)
	return cmd
}

func toJSONRun(s journal.Summary) jsonRun {
	if s.Err != nil {
		return jsonRun{Path: s.Path, State: "unreadable", Error: cmdutil.Message(s.Err)}
	}
	r := s.Run
	c := r.Counts()
	var op, owner string
	switch {
	case r.Tree != nil:
		// A tree run's owner is the file it was planned from.
		op, owner = "tree", filepath.Base(r.Tree.Plan.Source)
	case len(r.Changes) > 1:
		op = fmt.Sprintf("%d changes", len(r.Changes))
	default:
		op, owner = string(r.Changes[0].Op), r.Changes[0].Owner
	}
	return jsonRun{Path: s.Path, Started: r.Started.UTC().Format(time.RFC3339), Command: r.Command, Op: op, Owner: owner,
		State: string(r.Status()), IDs: c.Total, Done: c.Done, Present: c.Present, Failed: c.Failed, Pending: c.Pending, Blocked: c.Blocked, Resumes: r.Resumes}
}

func printRuns(w io.Writer, format, dir string, list []journal.Summary) error {
	out := make([]jsonRun, len(list))
	for i, s := range list {
		out[i] = toJSONRun(s)
	}
	if format == "json" {
		return encodeJSON(w, out)
	}
	if len(out) == 0 {
		fmt.Fprintf(w, "no journals in %s\n", dir)
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STARTED\tCOMMAND\tOWNER\tIDS\tDONE\tPRESENT\tFAILED\tPENDING\tSTATE\tJOURNAL")
	for _, r := range out {
		if r.State == "unreadable" {
			fmt.Fprintf(tw, "-\t-\t-\t-\t-\t-\t-\t-\tunreadable: %s\t%s\n", r.Error, filepath.Base(r.Path))
			continue
		}
		state := r.State
		if r.Blocked > 0 { // neither done, failed nor pending: what a halted run's resume does not send
			state = fmt.Sprintf("%s (%d blocked)", state, r.Blocked)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", r.Started, r.Command, r.Owner, r.IDs, r.Done, r.Present, r.Failed, r.Pending, state, filepath.Base(r.Path))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "(journals in %s)\n", dir)
	return nil
}
