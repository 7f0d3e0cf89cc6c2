package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// removeCommand describes remove-users or remove-territories.
type removeCommand struct {
	name      string
	ownerFlag string // --territory or --user
	ownerHelp string
	allHelp   string
	remove    func(c *zohoterritory.Client, ctx context.Context, owner string, ids ...string) (*zohoterritory.Result, error)
	plan      func(c *zohoterritory.Client, owner string, ids ...string) ([]zohoterritory.PlannedCall, error)
	// selectAll lists the owner's memberships for --all and splits them
	// into the ids to remove and those the documented rules forbid.
	selectAll func(ctx context.Context, c *zohoterritory.Client, owner string) (ids []string, skipped []jsonSkipped, err error)
}

var usersCommand = removeCommand{
	name:      "remove-users",
	ownerFlag: "territory",
	ownerHelp: "the territory to remove the users from (required)",
	allHelp:   "remove every user of the territory but its manager (lists them first)",
	remove:    (*zohoterritory.Client).RemoveUsersFromTerritory,
	plan:      (*zohoterritory.Client).PlanRemoveUsersFromTerritory,
	selectAll: selectUsers,
}

var territoriesCommand = removeCommand{
	name:      "remove-territories",
	ownerFlag: "user",
	ownerHelp: "the user to remove the territories from (required)",
	allHelp:   "remove every territory of the user but the default one and those the user manages (lists them first)",
	remove:    (*zohoterritory.Client).RemoveTerritoriesFromUser,
	plan:      (*zohoterritory.Client).PlanRemoveTerritoriesFromUser,
	selectAll: selectTerritories,
}

func runRemove(ctx context.Context, cmd removeCommand, args []string, io *streams, getenv func(string) string) error {
	fs := newFlagSet(cmd.name, io.err)
	owner := fs.String(cmd.ownerFlag, "", cmd.ownerHelp)
	all := fs.Bool("all", false, cmd.allHelp)
	var except idList
	fs.Var(&except, "except", "with --all: an id to leave alone (repeatable, or comma-separated)")
	var cf connFlags
	cf.register(fs, getenv)
	concurrency := fs.Int("concurrency", zohoterritory.DefaultConcurrency, "batches sent at once")
	policy := registerRetryFlags(fs)
	dryRun := fs.Bool("dry-run", false, "check the ids and print the planned calls; remove nothing (with --all, the listing is still read)")
	output := registerOutputFlag(fs, io)
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if *owner == "" {
		return usageErr("%s: --%s is required", cmd.name, cmd.ownerFlag)
	}
	if err := checkOutput(cmd.name, *output); err != nil {
		return err
	}
	if *concurrency < 1 {
		return usageErr("%s: --concurrency %d: must be at least 1", cmd.name, *concurrency)
	}
	if err := checkRetryFlags(cmd.name, policy); err != nil {
		return err
	}
	var ids []string
	switch {
	case *all && len(positional) > 0:
		return usageErr("%s: --all lists the ids itself: give either --all or ids, not both", cmd.name)
	case !*all && len(except) > 0:
		return usageErr("%s: --except needs --all", cmd.name)
	case !*all:
		if ids, err = readIDs(positional, io); err != nil {
			return err
		}
	}

	// A dry run with --all reads the listing, so it needs credentials.
	opts, err := cf.options(getenv, *dryRun && !*all)
	if err != nil {
		return err
	}
	opts = append(opts, zohoterritory.WithConcurrency(*concurrency), zohoterritory.WithRetryPolicy(*policy))
	if io.errTTY && !*dryRun {
		opts = append(opts, zohoterritory.WithProgress(func(p zohoterritory.Progress) {
			if p.Total <= zohoterritory.MaxBatchSize {
				return
			}
			fmt.Fprintf(io.err, "\r%d/%d ids", p.Done, p.Total)
			if p.Done == p.Total {
				fmt.Fprintln(io.err)
			}
		}))
	}
	client, err := zohoterritory.New(opts...)
	if err != nil {
		return usageErr("%v", err)
	}

	skipped := []jsonSkipped{}
	if *all {
		// Check every id before anything is sent, with the checks of the
		// Plan methods (whose plans are thrown away): the owner alone, by
		// planning the removal of its own id, then --except.
		if _, err := cmd.plan(client, *owner, *owner); err != nil {
			return usageErr("%v", err)
		}
		if len(except) > 0 {
			if _, err := cmd.plan(client, *owner, except...); err != nil {
				return usageErr("--except: %v", err)
			}
		}
		if ids, skipped, err = cmd.selectAll(ctx, client, *owner); err != nil {
			return &exitError{code: exitPartial, err: fmt.Errorf("%s --all: nothing was removed: %w", cmd.name, err)}
		}
		var unlisted []string
		ids, skipped, unlisted = applyExcept(ids, skipped, except)
		for _, id := range unlisted {
			fmt.Fprintf(io.err, "zohoterritory: --except %s: not among the listed ids; ignored\n", id)
		}
	}

	if *dryRun {
		plan := []zohoterritory.PlannedCall{}
		if len(ids) > 0 || !*all {
			if plan, err = cmd.plan(client, *owner, ids...); err != nil {
				return usageErr("%v", err)
			}
		}
		return printPlan(io.out, *output, plan, skipped, *all)
	}
	res := &zohoterritory.Result{}
	if len(ids) > 0 || !*all {
		res, err = cmd.remove(client, ctx, *owner, ids...)
		if res == nil {
			// Only input errors come without a result: nothing was sent.
			return usageErr("%v", err)
		}
	}
	if perr := printResult(io.out, *output, res, skipped, *all); perr != nil {
		return perr
	}
	if err != nil {
		return &exitError{code: exitPartial, err: err}
	}
	if !res.AllRemoved() {
		return &exitError{code: exitPartial, err: fmt.Errorf("%d of %d ids were not removed", len(res.Items)-len(res.Removed()), len(res.Items))}
	}
	return nil
}

// registerRetryFlags adds the flags of the client's retry policy, with its
// defaults.
func registerRetryFlags(fs *flag.FlagSet) *zohoterritory.RetryPolicy {
	policy := zohoterritory.DefaultRetryPolicy()
	fs.IntVar(&policy.MaxAttempts, "max-attempts", policy.MaxAttempts, "most times one request is sent, the first included (1: no retries)")
	fs.DurationVar(&policy.MaxDelay, "max-delay", policy.MaxDelay, "longest wait before a retry, a server's Retry-After included")
	fs.DurationVar(&policy.AttemptTimeout, "attempt-timeout", policy.AttemptTimeout, "time limit of each attempt")
	return &policy
}

func checkRetryFlags(name string, policy *zohoterritory.RetryPolicy) error {
	switch {
	case policy.MaxAttempts < 1:
		return usageErr("%s: --max-attempts %d: must be at least 1", name, policy.MaxAttempts)
	case policy.MaxDelay <= 0:
		return usageErr("%s: --max-delay %s: must be positive", name, policy.MaxDelay)
	case policy.AttemptTimeout <= 0:
		return usageErr("%s: --attempt-timeout %s: must be positive", name, policy.AttemptTimeout)
	}
	policy.BaseDelay = min(policy.BaseDelay, policy.MaxDelay)
	return nil
}

// registerOutputFlag adds --output, whose default is table on a terminal
// and json otherwise.
func registerOutputFlag(fs *flag.FlagSet, io *streams) *string {
	def := "json"
	if io.outTTY {
		def = "table"
	}
	return fs.String("output", def, "output format: table or json")
}

func checkOutput(name, output string) error {
	if output != "table" && output != "json" {
		return usageErr("%s: --output %q: want table or json", name, output)
	}
	return nil
}

// readIDs takes the ids from the arguments, or from standard input when
// there are none (or the only one is "-") and standard input is not a
// terminal. On standard input, ids are separated by newlines, commas or
// spaces; blank entries are ignored.
func readIDs(args []string, io *streams) ([]string, error) {
	fromStdin := len(args) == 0 || (len(args) == 1 && args[0] == "-")
	if !fromStdin {
		for _, a := range args {
			if a == "-" {
				return nil, usageErr(`"-" (read ids from standard input) must be the only id argument`)
			}
		}
		return args, nil
	}
	if io.inTTY {
		return nil, usageErr("no ids given: pass them as arguments or on standard input")
	}
	var ids []string
	sc := bufio.NewScanner(io.in)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		for _, f := range strings.FieldsFunc(sc.Text(), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' }) {
			ids = append(ids, f)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, usageErr("read ids from standard input (line %d): %v", line+1, err)
	}
	if len(ids) == 0 {
		return nil, usageErr("no ids given: standard input was empty")
	}
	return ids, nil
}

// jsonResult is the JSON output: one object with the ids in input order.
// Skipped is always present, empty unless --all left ids alone, so that the
// shape does not depend on the flags.
type jsonResult struct {
	Removed []string      `json:"removed"`
	Failed  []jsonFailed  `json:"failed"`
	Unknown []string      `json:"unknown"`
	Skipped []jsonSkipped `json:"skipped"`
}

type jsonFailed struct {
	ID      string `json:"id"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Reason  string `json:"reason"`
}

func toJSONResult(res *zohoterritory.Result, skipped []jsonSkipped) jsonResult {
	out := jsonResult{Removed: []string{}, Failed: []jsonFailed{}, Unknown: []string{}, Skipped: skipped}
	for _, it := range res.Items {
		switch it.Outcome {
		case zohoterritory.Removed:
			out.Removed = append(out.Removed, it.ID)
		case zohoterritory.Failed:
			out.Failed = append(out.Failed, jsonFailed{ID: it.ID, Code: it.Code, Message: it.Message, Reason: string(it.Reason)})
		default:
			out.Unknown = append(out.Unknown, it.ID)
		}
	}
	return out
}

// printResult prints the outcome of a removal and the ids --all skipped.
// The table's summary counts the skipped ids only when --all was given.
func printResult(w io.Writer, format string, res *zohoterritory.Result, skipped []jsonSkipped, all bool) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(toJSONResult(res, skipped))
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tOUTCOME\tREASON\tMESSAGE")
	for _, it := range res.Items {
		reason := string(it.Reason)
		if it.Inferred {
			reason = "removed by an earlier attempt"
		}
		if reason == "" {
			reason = "-"
		}
		msg := it.Message
		if msg == "" {
			msg = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", it.ID, it.Outcome, reason, msg)
	}
	for _, sk := range skipped {
		fmt.Fprintf(tw, "%s\tskipped\t%s\t%s\n", sk.ID, sk.Reason, skipMessage(sk.Reason))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "%d removed, %d failed, %d unknown", len(res.Removed()), len(res.Failed()), len(res.Unknown()))
	if all {
		fmt.Fprintf(w, ", %d skipped", len(skipped))
	}
	fmt.Fprintln(w)
	return nil
}

// jsonPlan is the JSON output of a dry run: the calls a removal would make,
// and the ids --all would leave alone.
type jsonPlan struct {
	Planned []jsonCall    `json:"planned"`
	Skipped []jsonSkipped `json:"skipped"`
}

type jsonCall struct {
	Operation string   `json:"operation"`
	Method    string   `json:"method"`
	URL       string   `json:"url"`
	IDs       []string `json:"ids"`
}

func printPlan(w io.Writer, format string, plan []zohoterritory.PlannedCall, skipped []jsonSkipped, all bool) error {
	if format == "json" {
		out := jsonPlan{Planned: []jsonCall{}, Skipped: skipped}
		for _, p := range plan {
			out.Planned = append(out.Planned, jsonCall{Operation: p.Operation, Method: p.Method, URL: p.URL, IDs: p.IDs})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	total := 0
	for _, p := range plan {
		total += len(p.IDs)
		fmt.Fprintf(w, "%s %s  (%s, %s)\n", p.Method, p.URL, p.Operation, plural(len(p.IDs), "id"))
	}
	for _, sk := range skipped {
		fmt.Fprintf(w, "skip %s  (%s: %s)\n", sk.ID, sk.Reason, skipMessage(sk.Reason))
	}
	if !all {
		fmt.Fprintf(w, "dry run: %s in %s; nothing was sent\n", plural(total, "id"), plural(len(plan), "call"))
		return nil
	}
	fmt.Fprintf(w, "dry run: %s in %s, %d skipped; the listing was read, nothing was removed\n",
		plural(total, "id"), plural(len(plan), "call"), len(skipped))
	return nil
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}
