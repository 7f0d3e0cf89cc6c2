package zohoterritory

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// attachDetails fills in Zoho's details object of the failed results from
// the raw envelope; at[i] is the place in the envelope of results[i]'s
// entry, or -1. Only failures carry details worth keeping, so the second
// parse is paid only when there are some.
func attachDetails(body []byte, key string, results []ItemResult, at []int) {
	need := false
	for _, r := range results {
		need = need || r.Outcome == Failed
	}
	if !need {
		return
	}
	var env map[string][]struct {
		Details map[string]any `json:"details"`
	}
	if json.Unmarshal(body, &env) != nil {
		return
	}
	entries := env[key]
	for i := range results {
		if results[i].Outcome == Failed && at[i] >= 0 && at[i] < len(entries) {
			results[i].Details = entries[at[i]].Details
		}
	}
}

// item is one decoded entry of Zoho's envelope.
type item struct {
	index   int    // place in the envelope
	id      string // "" when the entry names no well-formed id
	named   bool   // the entry has a non-empty details.id, well-formed or not
	outcome Outcome
	code    string
	message string
}

// decodeItem reads entry i of the envelope under key, sent for ids. An
// error item names its id in details.id, or by its place in the request
// (`"json_path": "$.territories[1].id"`, as in Zoho's OpenAPI example of
// an unknown territory).
func decodeItem(i int, w wireItem, key string, ids []string, adds bool) item {
	it := item{index: i, code: w.Code, message: w.Message}
	switch {
	case w.Details.ID != "":
		it.named = true
		it.id = validOrEmpty(string(w.Details.ID))
	case w.Details.JSONPath != "":
		if n, ok := placeIn(w.Details.JSONPath, key); ok {
			it.named = true
			if n < len(ids) {
				it.id = ids[n]
			}
		}
	}
	switch w.Status {
	case "success":
		it.outcome = Removed
		if adds {
			it.outcome = Added
		}
	case "error", "failure":
		it.outcome = Failed
	default:
		it.outcome = Unknown
		it.message = fmt.Sprintf("item with unknown status %q", w.Status)
	}
	return it
}

// placeIn reads the place an item's json_path names in the request:
// "$.territories[3].id" or "$.territories[3]" under key "territories".
func placeIn(jsonPath, key string) (int, bool) {
	rest, ok := strings.CutPrefix(jsonPath, "$."+key+"[")
	if !ok {
		return 0, false
	}
	num, tail, ok := strings.Cut(rest, "]")
	if !ok || (tail != "" && tail != ".id") {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

func validOrEmpty(id string) string {
	if checkID("", id) != nil {
		return ""
	}
	return id
}

// mapItems matches Zoho's items to the batch's ids and returns one outcome
// per id, in the batch's order, plus the items no id could be given.
//
// Zoho does not promise one item per id, nor that an error item names its
// id: error items usually carry "details": {}, and Zoho's own v7 bulk
// sample answers three ids with five items (three successes naming the ids,
// two anonymous manager errors). So:
//
//  1. an item that names an id of the batch is that id's outcome;
//  2. the readable items that name no id are given, in order, to the ids still
//     unmatched, in order, but only when the two counts are equal: Zoho
//     answers in request order, so equal counts leave one reading;
//  3. otherwise the unmatched ids are reported Unknown, and the anonymous
//     items are returned as unmatched, because any pairing would be a
//     guess, and a guess could report an id removed that was not;
//  4. an item naming an id that was not asked for (or was already
//     matched), or one whose status cannot be read, is never given to
//     another id.
//
// When uncertain(id) is true, an earlier attempt for the id may have been
// carried out without the client learning it (the connection broke after
// the request was sent, or the body was cut off). Zoho then answers "not a
// member" / "not linked" for the ids that attempt removed, so that answer
// counts as Removed, marked Inferred. Without an uncertain attempt, "not a
// member" is a failure like any other.
//
// at holds, for each result of matched and then of unmatched, the place of
// its entry in the envelope (-1 for none), for [attachDetails].
//
// For an add (adds), a success item is Added, DUPLICATE_DATA (or the v8
// pages' ALREADY_EXISTS) is AlreadyPresent, and after an uncertain attempt
// it is Added, Inferred.
func mapItems(ids []string, key string, items []wireItem, adds bool, uncertain func(id string) bool) (matched, unmatched []ItemResult, at []int) {
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	decoded := make([]item, len(items))
	got := make([]int, len(ids)) // index into decoded, or -1
	for i := range got {
		got[i] = -1
	}
	var anonymous, foreign []int
	for n, w := range items {
		it := decodeItem(n, w, key, ids, adds)
		decoded[n] = it
		switch i, ok := index[it.id]; {
		case it.id != "" && ok && got[i] < 0:
			got[i] = n
		case !it.named && it.outcome != Unknown:
			anonymous = append(anonymous, n)
		default:
			// An id not asked for, a malformed id, a repeat, or an
			// unreadable entry: never given to another id.
			foreign = append(foreign, n)
		}
	}

	var open []int
	for i := range ids {
		if got[i] < 0 {
			open = append(open, i)
		}
	}
	if len(open) == len(anonymous) {
		for k, i := range open {
			got[i] = anonymous[k]
		}
		anonymous = nil
	}

	matched = make([]ItemResult, len(ids))
	at = make([]int, 0, len(ids)+len(anonymous)+len(foreign))
	for i, id := range ids {
		at = append(at, got[i])
		if got[i] < 0 {
			matched[i] = ItemResult{ID: id, Outcome: Unknown, Message: fmt.Sprintf(
				"Zoho answered %d ids with %d items, %d of which name no id: which of them is about this id cannot be told",
				len(ids), len(items), len(anonymous))}
			continue
		}
		matched[i] = toResult(id, decoded[got[i]], uncertain(id))
	}
	for _, n := range append(anonymous, foreign...) {
		at = append(at, n)
		unmatched = append(unmatched, toResult(decoded[n].id, decoded[n], false))
	}
	return matched, unmatched, at
}

func toResult(id string, it item, uncertain bool) ItemResult {
	r := ItemResult{ID: id, Outcome: it.outcome, Code: it.code, Message: it.message}
	if it.outcome != Failed {
		return r
	}
	if alreadyPresent(it.code) {
		// Only an add answers so: the membership is there.
		r.Outcome = AlreadyPresent
		if uncertain {
			r.Outcome, r.Inferred = Added, true
		}
		return r
	}
	r.Reason = reasonFor(it.code, it.message)
	if uncertain && r.Reason == ReasonNotMember {
		r.Outcome, r.Reason, r.Inferred = Removed, "", true
	}
	return r
}
