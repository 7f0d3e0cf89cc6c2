package main

import (
	"encoding/json"
	"io"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// The JSON a single change prints: the shapes scripts have read from the
// start.

// jsonResult is the JSON output of a removal: one object, every id in input
// order. The first four keys are the shape scripts have read from the start;
// the later keys add facts without changing them: "inferred" (removed ids
// concluded from a retry after a lost answer; they are in "removed" too),
// "absent" (with --ignore-absent: ids that were already not members, moved
// out of "failed"), and a cause for each unknown id.
type jsonResult struct {
	Removed       []string      `json:"removed"`
	Failed        []jsonFailed  `json:"failed"`
	Unknown       []string      `json:"unknown"`
	Skipped       []jsonSkipped `json:"skipped"`
	Inferred      []string      `json:"inferred"`
	Absent        []string      `json:"absent"`
	UnknownCauses []jsonCause   `json:"unknown_causes"`
	// Names are the users' or territories' names, by id, when the run
	// read them.
	Names map[string]jsonName `json:"names,omitempty"`
}

// jsonAddResult is the JSON output of an add (a restore): every id in
// input order, by outcome. "inferred" holds the added ids concluded from a
// retry after a lost answer (they are in "added" too).
type jsonAddResult struct {
	Added          []string     `json:"added"`
	AlreadyPresent []string     `json:"already_present"`
	Failed         []jsonFailed `json:"failed"`
	Unknown        []string     `json:"unknown"`
	Inferred       []string     `json:"inferred"`
	UnknownCauses  []jsonCause  `json:"unknown_causes"`
	// Names: as in a removal's.
	Names map[string]jsonName `json:"names,omitempty"`
}

type jsonFailed struct {
	ID      string `json:"id"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Reason  string `json:"reason"`
}

// jsonSkipped is an id that --all listed and did not send, with the reason.
type jsonSkipped struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

type jsonCause struct {
	ID    string `json:"id"`
	Cause string `json:"cause"`
}

func toJSONSkipped(skipped []zohoterritory.Skipped) []jsonSkipped {
	out := make([]jsonSkipped, len(skipped))
	for i, s := range skipped {
		out[i] = jsonSkipped{ID: s.ID, Reason: string(s.Reason)}
	}
	return out
}

func toAddJSON(items []zohoterritory.ItemResult) jsonAddResult {
	out := jsonAddResult{Added: []string{}, AlreadyPresent: []string{}, Failed: []jsonFailed{}, Unknown: []string{},
		Inferred: []string{}, UnknownCauses: []jsonCause{}}
	for _, it := range items {
		switch it.Outcome {
		case zohoterritory.Added:
			out.Added = append(out.Added, it.ID)
			if it.Inferred {
				out.Inferred = append(out.Inferred, it.ID)
			}
		case zohoterritory.AlreadyPresent:
			out.AlreadyPresent = append(out.AlreadyPresent, it.ID)
		case zohoterritory.Failed:
			out.Failed = append(out.Failed, jsonFailed{ID: it.ID, Code: it.Code, Message: it.Message, Reason: string(it.Reason)})
		default:
			out.Unknown = append(out.Unknown, it.ID)
			out.UnknownCauses = append(out.UnknownCauses, jsonCause{ID: it.ID, Cause: it.Message})
		}
	}
	return out
}

func toJSON(items []zohoterritory.ItemResult, opts zohoterritory.CountOptions, skipped []zohoterritory.Skipped) jsonResult {
	out := jsonResult{Removed: []string{}, Failed: []jsonFailed{}, Unknown: []string{}, Skipped: toJSONSkipped(skipped),
		Inferred: []string{}, Absent: []string{}, UnknownCauses: []jsonCause{}}
	for _, it := range items {
		switch {
		case it.Absent(opts):
			out.Absent = append(out.Absent, it.ID)
		case it.Outcome == zohoterritory.Removed:
			out.Removed = append(out.Removed, it.ID)
			if it.Inferred {
				out.Inferred = append(out.Inferred, it.ID)
			}
		case it.Outcome == zohoterritory.Failed:
			out.Failed = append(out.Failed, jsonFailed{ID: it.ID, Code: it.Code, Message: it.Message, Reason: string(it.Reason)})
		default:
			out.Unknown = append(out.Unknown, it.ID)
			out.UnknownCauses = append(out.UnknownCauses, jsonCause{ID: it.ID, Cause: it.Message})
		}
	}
	return out
}

// skipMessage says why --all left an id alone.
func skipMessage(reason zohoterritory.Reason) string {
	switch reason {
	case zohoterritory.ReasonDefaultTerritory:
		return "the organization's default territory cannot be removed"
	case zohoterritory.ReasonManager:
		return "the user manages the territory"
	case zohoterritory.ReasonExcepted:
		return "named in --except"
	}
	return "-"
}

func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
