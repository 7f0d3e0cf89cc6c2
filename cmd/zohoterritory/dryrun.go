package main

import (
	"fmt"
	"io"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

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

// printCalls writes what a dry run would send: the calls, and the ids
// --all leaves alone (listed says --all read the listing).
func printCalls(w io.Writer, format string, plan []zohoterritory.PlannedCall, skipped []zohoterritory.Skipped, listed bool) error {
	if format == "json" {
		out := jsonPlan{Planned: []jsonCall{}, Skipped: toJSONSkipped(skipped)}
		for _, p := range plan {
			out.Planned = append(out.Planned, jsonCall{Operation: p.Operation, Method: p.Method, URL: p.URL, IDs: p.IDs})
		}
		return encodeJSON(w, out)
	}
	total := 0
	for _, p := range plan {
		total += len(p.IDs)
		fmt.Fprintln(w, p)
	}
	for _, sk := range skipped {
		fmt.Fprintf(w, "skip %s (%s: %s)\n", sk.ID, sk.Reason, skipMessage(sk.Reason))
	}
	if !listed {
		fmt.Fprintf(w, "dry run: %s in %s; nothing was sent\n", plural(total, "id"), plural(len(plan), "call"))
		return nil
	}
	fmt.Fprintf(w, "dry run: %s in %s, %d skipped; the listing was read, nothing was removed\n",
		plural(total, "id"), plural(len(plan), "call"), len(skipped))
	return nil
}
