package zohoterritory

import (
	"encoding/json"
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// item is one decoded entry of Zoho's envelope.
type item struct {
	id      string // "" when the item names no id
	outcome Outcome
	code    string
	message string
	details map[string]any
}

// decodeItem reads one envelope entry. The generated union type accepts any
// shape in every AsX method, so the status decides which shape to read, and
// an entry with an unknown status is kept as Unknown rather than guessed.
func decodeItem(ri zohoapi.ResultItem) item {
	raw, _ := ri.MarshalJSON()
	var d struct {
		Details map[string]any `json:"details"`
	}
	_ = json.Unmarshal(raw, &d)
	status, err := ri.Discriminator()
	if err != nil {
		return item{outcome: Unknown, message: "unreadable item: " + err.Error()}
	}
	switch status {
	case "success":
		s, err := ri.AsSuccessItem()
		if err != nil {
			return item{outcome: Unknown, message: "unreadable success item: " + err.Error()}
		}
		return item{id: validOrEmpty(s.Details.Id), outcome: Removed, code: string(s.Code), message: s.Message, details: d.Details}
	case "error", "failure":
		e, err := ri.AsErrorItem()
		if err != nil {
			return item{outcome: Unknown, message: "unreadable error item: " + err.Error()}
		}
		id := ""
		if e.Details.Id != nil {
			id = validOrEmpty(*e.Details.Id)
		}
		return item{id: id, outcome: Failed, code: e.Code, message: e.Message, details: d.Details}
	}
	return item{outcome: Unknown, message: fmt.Sprintf("item with unknown status %q", status), details: d.Details}
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
// When uncertain is set, an earlier attempt of this batch may have been
// carried out without the client learning it (the connection broke after
// the request was sent, or the body was cut off). Zoho then answers "not a
// member" / "not linked" for the ids that attempt removed, so that answer
// counts as Removed, marked Inferred. Without an uncertain attempt, "not a
// member" is a failure like any other.
func mapItems(ids []string, items []zohoapi.ResultItem, uncertain bool) (matched, unmatched []ItemResult) {
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	got := make([]*item, len(ids))
	var anonymous, foreign []item
	for _, ri := range items {
		it := decodeItem(ri)
		switch i, ok := index[it.id]; {
		case it.id != "" && ok && got[i] == nil:
			got[i] = &it
		case it.id == "" && it.outcome != Unknown:
			anonymous = append(anonymous, it)
		default:
			// An id not asked for, a repeat, or an unreadable item: never
			// given to another id.
			foreign = append(foreign, it)
		}
	}

	var open []int
	for i := range ids {
		if got[i] == nil {
			open = append(open, i)
		}
	}
	if len(open) == len(anonymous) {
		for k, i := range open {
			got[i] = &anonymous[k]
		}
		anonymous = nil
	}

	matched = make([]ItemResult, len(ids))
	for i, id := range ids {
		it := got[i]
		if it == nil {
			matched[i] = ItemResult{ID: id, Outcome: Unknown, Message: fmt.Sprintf(
				"Zoho answered %d ids with %d items, %d of which name no id: which of them is about this id cannot be told",
				len(ids), len(items), len(anonymous))}
			continue
		}
		matched[i] = toResult(id, *it, uncertain)
	}
	for _, it := range append(anonymous, foreign...) {
		unmatched = append(unmatched, toResult(it.id, it, false))
	}
	return matched, unmatched
}

func toResult(id string, it item, uncertain bool) ItemResult {
	r := ItemResult{ID: id, Outcome: it.outcome, Code: it.code, Message: it.message, Details: it.details}
	if it.outcome != Failed {
		return r
	}
	r.Reason = classify(it.code, it.message)
	if uncertain && r.Reason == ReasonNotMember {
		r.Outcome, r.Reason, r.Inferred = Removed, "", true
	}
	return r
}
