package zohoterritory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// This file holds the territories' lifecycle as callers see it: what to
// create, update, delete or transfer, checked before anything is sent, and
// what came of each territory. territories_run.go sends it.

// PermissionType is what a territory's users may do with its records.
type PermissionType string

// The permission types Zoho knows.
const (
	// ReadOnly lets the territory's users read its records.
	ReadOnly PermissionType = "read_only"
	// ReadWriteDelete lets them read, change and delete its records.
	ReadWriteDelete PermissionType = "read_write_delete"
)

func (p PermissionType) valid() bool { return p == ReadOnly || p == ReadWriteDelete }

// The limits Zoho documents for a territory's fields.
const (
	// MaxTerritoryName is the most characters a territory's name holds.
	MaxTerritoryName = 50
	// MaxTerritoryDescription is the most characters a description holds.
	MaxTerritoryDescription = 250
	// MaxRuleGroup is the most criteria one group of a rule joins (and
	// two the fewest).
	MaxRuleGroup = 25
)

// The most territories one call carries: Zoho's pages cap a create or an
// update at 100, a delete or a transfer at 10 (Zoho's OpenAPI file says 100
// for those: the client sends what both allow).
const (
	TerritoriesPerChange = 100
	TerritoriesPerDelete = 10
)

// NewTerritory is one territory for [Client.CreateTerritories].
type NewTerritory struct {
	// Name is the territory's name: 1 to 50 characters, unique in the
	// org (whether Zoho compares names without regard to case is not
	// documented; give each a name no other has in any case).
	Name string
	// ReportingTo is the parent territory's id. Required.
	ReportingTo string
	// PermissionType is required.
	PermissionType PermissionType
	// ManagerID is the manager's user id, "" for none.
	ManagerID string
	// Description is at most 250 characters, "" for none.
	Description string
	// AccountRuleCriteria, LeadRuleCriteria and DealRuleCriteria are the
	// territory's rules, as the JSON Zoho takes (see [CheckRule]); nil
	// for none.
	AccountRuleCriteria, LeadRuleCriteria, DealRuleCriteria json.RawMessage
}

// Field is one field of a [TerritoryUpdate]: left as it is (the zero
// value), set to a value ([SetField]), or cleared, sent as null
// ([ClearField]). Only a manager, a description and the rules can be
// cleared.
type Field[T any] struct {
	op    fieldOp
	value T
}

type fieldOp int

const (
	fieldKept fieldOp = iota
	fieldSet
	fieldCleared
)

// SetField returns a [Field] that sets v.
func SetField[T any](v T) Field[T] { return Field[T]{op: fieldSet, value: v} }

// ClearField returns a [Field] that clears the field (null on the wire).
func ClearField[T any]() Field[T] { return Field[T]{op: fieldCleared} }

// IsSet reports whether f sets a value, and which.
func (f Field[T]) IsSet() (T, bool) { return f.value, f.op == fieldSet }

// IsCleared reports whether f clears the field.
func (f Field[T]) IsCleared() bool { return f.op == fieldCleared }

// IsKept reports whether f leaves the field as it is.
func (f Field[T]) IsKept() bool { return f.op == fieldKept }

// TerritoryUpdate is one territory for [Client.UpdateTerritories]: its id
// and the fields that change; a field left at its zero value is not sent
// and stays as it is.
//
// Zoho's pages make permission_type mandatory on every update (its OpenAPI
// file does not), so the client always sends it: the value PermissionType
// sets, or else the territory's current one, which the update reads first
// (one read by id for each call's territories; see
// [Client.UpdateTerritories]).
type TerritoryUpdate struct {
	ID string
	// Name renames the territory (the organization territory can only be
	// renamed).
	Name Field[string]
	// ReportingTo moves the territory under another parent (not itself,
	// not one of its descendants).
	ReportingTo    Field[string]
	PermissionType Field[PermissionType]
	// ManagerID sets the manager's user id, or clears the manager.
	ManagerID   Field[string]
	Description Field[string]
	// The rules, as the JSON Zoho takes (see [CheckRule]), or cleared.
	AccountRuleCriteria, LeadRuleCriteria, DealRuleCriteria Field[json.RawMessage]
}

// Forecasts says what becomes of a deleted territory's forecasts. Zoho's
// pages make the choice mandatory, so every delete states it.
type Forecasts bool

// The two choices of [Forecasts].
const (
	KeepForecasts   Forecasts = false
	DeleteForecasts Forecasts = true
)

// Transfer is one territory for [Client.TransferAndDeleteTerritories]: it
// is deleted after its child territories move under TransferTo.
type Transfer struct {
	ID string
	// TransferTo is the territory the children move to: not ID, and not
	// below it. Required: a territory without children is deleted as well
	// by [Client.DeleteTerritories].
	TransferTo string
	Forecasts  Forecasts
}

// TerritoryOp names one kind of territory change.
type TerritoryOp string

// The territory changes [Client.ApplyTerritories] makes.
const (
	OpCreateTerritories   TerritoryOp = "create-territories"
	OpUpdateTerritories   TerritoryOp = "update-territories"
	OpDeleteTerritories   TerritoryOp = "delete-territories"
	OpTransferTerritories TerritoryOp = "transfer-delete-territories"
)

// TerritoryChange is one change of the org's territories for
// [Client.ApplyTerritories]: what to do, to which territories, and how to
// run it. Exactly the list of Op is given.
type TerritoryChange struct {
	Op       TerritoryOp
	Create   []NewTerritory
	Update   []TerritoryUpdate
	Delete   []string
	Transfer []Transfer
	// Forecasts is what becomes of the forecasts of the territories
	// Delete names.
	Forecasts Forecasts
	// MaybeDone are places (indexes into the op's list) that an earlier
	// run sent without learning the outcome. A create among them is looked
	// up by its name under its parent before it is sent: found, it comes
	// out Created with Inferred set, and is not sent again. A delete or a
	// transfer among them that Zoho answers "no such territory" comes out
	// Deleted with Inferred set.
	MaybeDone []int
	// Settled are outcomes an earlier run recorded (a journal's): those
	// places are not sent again and come back as they are.
	Settled []TerritoryItem
	// Journal, if set, records the change as it runs (see
	// [TerritoryJournal]).
	Journal TerritoryJournal
	// Stop, once closed, keeps calls not yet sent, and retries, from being
	// sent; the territories never sent come out Failed with
	// [ReasonNotSent].
	Stop <-chan struct{}
}

// size is how many territories the change names.
func (ch TerritoryChange) size() int {
	return len(ch.Create) + len(ch.Update) + len(ch.Delete) + len(ch.Transfer)
}

// TerritoryItem is what became of one territory of a change.
type TerritoryItem struct {
	// Index is the territory's place in the change's list.
	Index int
	// ID is the territory's id: as given, or for a create the new one
	// ("" until Created).
	ID string
	// Name is a create's name, "" for the other changes.
	Name string
	// Outcome is Created, Updated, Deleted, Failed or Unknown.
	Outcome Outcome
	// Reason classifies a failure; "" unless Outcome is Failed.
	Reason Reason
	// Code and Message are Zoho's, for a failure; for an unknown outcome,
	// Message says what was not learned.
	Code    string
	Message string
	// Details is Zoho's details object of the item or the request-level
	// error; nil otherwise.
	Details map[string]any
	// Inferred is true when the outcome was concluded rather than told: a
	// create found by its name under its parent after an answer was lost,
	// or a delete answered "no such territory" after one.
	Inferred bool
	// Err is the request-level error behind a Failed or Unknown outcome
	// that no item of Zoho's explains.
	Err error
}

// String describes the outcome on one line, such as "5725767000000452007
// created (Pacific)" or "2 failed (duplicate_name): Given Territory name
// already exists".
func (it TerritoryItem) String() string {
	var b strings.Builder
	switch {
	case it.ID != "":
		b.WriteString(it.ID)
	default:
		fmt.Fprintf(&b, "#%d", it.Index)
	}
	b.WriteByte(' ')
	b.WriteString(it.Outcome.String())
	switch {
	case it.Inferred:
		b.WriteString(" (by an earlier attempt whose answer was lost)")
	case it.Reason != "":
		fmt.Fprintf(&b, " (%s)", it.Reason)
	case it.Name != "":
		fmt.Fprintf(&b, " (%s)", it.Name)
	}
	if it.Message != "" && it.Outcome != Created {
		b.WriteString(": ")
		b.WriteString(it.Message)
	}
	return b.String()
}

// TerritoryResult is what a territory change came to: one [TerritoryItem]
// per territory, in the order given.
type TerritoryResult struct {
	Op    TerritoryOp
	Items []TerritoryItem
	// Calls are the HTTP calls made, in batch order (the reads a create
	// or an update made first are not among them).
	Calls []Call
	// Unmatched holds Zoho's items that could not be matched to a
	// territory.
	Unmatched []TerritoryItem
	// Lookups counts the listings made to find creates whose answer was
	// lost.
	Lookups int
}

// With returns the items of outcome o, in input order.
func (r *TerritoryResult) With(o Outcome) []TerritoryItem {
	var out []TerritoryItem
	for _, it := range r.Items {
		if it.Outcome == o {
			out = append(out, it)
		}
	}
	return out
}

// IDs returns the ids of the items of outcome o, in input order: for
// Created, the new territories' ids.
func (r *TerritoryResult) IDs(o Outcome) []string {
	var out []string
	for _, it := range r.With(o) {
		out = append(out, it.ID)
	}
	return out
}

// AllDone reports whether every territory got the change asked for.
func (r *TerritoryResult) AllDone() bool {
	done := map[TerritoryOp]Outcome{OpCreateTerritories: Created, OpUpdateTerritories: Updated,
		OpDeleteTerritories: Deleted, OpTransferTerritories: Deleted}[r.Op]
	for _, it := range r.Items {
		if it.Outcome != done {
			return false
		}
	}
	return true
}

// String summarises the result on one line, such as "2 created, 1 failed,
// 0 unknown (1 call)".
func (r *TerritoryResult) String() string {
	done := map[TerritoryOp]Outcome{OpCreateTerritories: Created, OpUpdateTerritories: Updated,
		OpDeleteTerritories: Deleted, OpTransferTerritories: Deleted}[r.Op]
	return fmt.Sprintf("%d %s, %d failed, %d unknown (%s)", len(r.With(done)), done,
		len(r.With(Failed)), len(r.With(Unknown)), plural(len(r.Calls), "call"))
}

// TerritoryError reports a territory change that breaks a rule, found
// before any request was sent.
type TerritoryError struct {
	// Field names the field, such as "Create[3].Name".
	Field string
	// Value is the offending value, as it may be shown.
	Value string
	// Rule is the rule it breaks.
	Rule string
}

func (e *TerritoryError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("zohoterritory: %s: %s", e.Field, e.Rule)
	}
	return fmt.Sprintf("zohoterritory: %s %q: %s", e.Field, e.Value, e.Rule)
}

// checkName applies Zoho's rules for a name.
func checkName(field, name string) error {
	switch n := utf8.RuneCountInString(name); {
	case strings.TrimSpace(name) == "":
		return &TerritoryError{Field: field, Value: name, Rule: "must not be empty"}
	case n > MaxTerritoryName:
		return &TerritoryError{Field: field, Value: name, Rule: fmt.Sprintf("has %d characters, more than Zoho's %d", n, MaxTerritoryName)}
	}
	return nil
}

func checkDescription(field, d string) error {
	if n := utf8.RuneCountInString(d); n > MaxTerritoryDescription {
		return &TerritoryError{Field: field, Rule: fmt.Sprintf("has %d characters, more than Zoho's %d", n, MaxTerritoryDescription)}
	}
	return nil
}

func checkPermission(field string, p PermissionType) error {
	if !p.valid() {
		return &TerritoryError{Field: field, Value: string(p), Rule: fmt.Sprintf("unknown permission type: want %s or %s", ReadOnly, ReadWriteDelete)}
	}
	return nil
}

// comparators are the rules' comparators api/openapi.yaml lists.
var comparators = []string{"equal", "not_equal", "like", "not_like", "starts_with", "ends_with", "contains",
	"not_contains", "less_than", "less_equal", "greater_than", "greater_equal", "between", "not_between", "in",
	"not_in", "include_all", "include_any", "exclude_all", "exclude_any"}

// CheckRule returns nil when rule is one of a territory's rules as Zoho
// takes it: a condition {"field":{"api_name":...},"comparator":...,"value":...}
// with one of Zoho's comparators, or a group {"group_operator":"AND"|"OR",
// "group":[2 to 25 rules]}, nested as deep as needed. The error names the
// place that breaks the rule, such as "group[1].comparator". What a value
// may be for a field is left to Zoho.
func CheckRule(rule json.RawMessage) error {
	return checkRule("", rule)
}

func checkRule(at string, raw json.RawMessage) error {
	where := func(key string) string {
		if at == "" {
			return key
		}
		return at + "." + key
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return fmt.Errorf("%s: a rule is a JSON object", cmpOr(at, "rule"))
	}
	if op, ok := obj["group_operator"]; ok {
		var s string
		if json.Unmarshal(op, &s) != nil || !slices.Contains([]string{"AND", "OR", "and", "or"}, s) {
			return fmt.Errorf("%s: want AND or OR", where("group_operator"))
		}
		var group []json.RawMessage
		if json.Unmarshal(obj["group"], &group) != nil {
			return fmt.Errorf("%s: a group holds an array of rules", where("group"))
		}
		if len(group) < 2 || len(group) > MaxRuleGroup {
			return fmt.Errorf("%s: %d rules; a group joins 2 to %d", where("group"), len(group), MaxRuleGroup)
		}
		for i, g := range group {
			if err := checkRule(fmt.Sprintf("%s[%d]", where("group"), i), g); err != nil {
				return err
			}
		}
		return nil
	}
	var field struct {
		APIName string `json:"api_name"`
	}
	if json.Unmarshal(obj["field"], &field) != nil || field.APIName == "" {
		return fmt.Errorf("%s: a condition names its field by api_name", where("field"))
	}
	var cmp string
	if json.Unmarshal(obj["comparator"], &cmp) != nil || !slices.Contains(comparators, cmp) {
		return fmt.Errorf("%s: want one of %s", where("comparator"), strings.Join(comparators, ", "))
	}
	if _, ok := obj["value"]; !ok {
		return fmt.Errorf("%s: a condition compares with a value", where("value"))
	}
	return nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// checkRuleField checks a rule given in a field.
func checkRuleField(field string, rule json.RawMessage) error {
	if err := checkRule("", rule); err != nil {
		return &TerritoryError{Field: field, Rule: err.Error()}
	}
	return nil
}

// isJSONNull reports whether raw is the literal null.
func isJSONNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// checkTerritoryChange checks every territory of ch before anything is
// sent; an error names the field and the rule it breaks.
func checkTerritoryChange(ch TerritoryChange) error {
	lists := map[TerritoryOp]int{OpCreateTerritories: len(ch.Create), OpUpdateTerritories: len(ch.Update),
		OpDeleteTerritories: len(ch.Delete), OpTransferTerritories: len(ch.Transfer)}
	n, known := lists[ch.Op]
	switch {
	case !known:
		return &TerritoryError{Field: "TerritoryChange.Op", Value: string(ch.Op),
			Rule: fmt.Sprintf("want one of %s, %s, %s, %s", OpCreateTerritories, OpUpdateTerritories, OpDeleteTerritories, OpTransferTerritories)}
	case n == 0:
		return &TerritoryError{Field: "TerritoryChange", Rule: "at least one territory is required"}
	case ch.size() != n:
		return &TerritoryError{Field: "TerritoryChange", Rule: fmt.Sprintf("only the list of %s may be given", ch.Op)}
	}
	for i, m := range ch.MaybeDone {
		if m < 0 || m >= n {
			return &TerritoryError{Field: fmt.Sprintf("MaybeDone[%d]", i), Value: fmt.Sprint(m), Rule: fmt.Sprintf("must be a place of the change's %d territories", n)}
		}
	}
	for i, it := range ch.Settled {
		if it.Index < 0 || it.Index >= n {
			return &TerritoryError{Field: fmt.Sprintf("Settled[%d].Index", i), Value: fmt.Sprint(it.Index), Rule: fmt.Sprintf("must be a place of the change's %d territories", n)}
		}
	}
	switch ch.Op {
	case OpCreateTerritories:
		return checkCreates(ch.Create)
	case OpUpdateTerritories:
		return checkUpdates(ch.Update)
	case OpDeleteTerritories:
		seen := map[string]int{}
		for i, id := range ch.Delete {
			if err := checkID(fmt.Sprintf("Delete[%d]", i), id); err != nil {
				return err
			}
			if j, dup := seen[id]; dup {
				return &TerritoryError{Field: fmt.Sprintf("Delete[%d]", i), Value: id, Rule: fmt.Sprintf("also Delete[%d]", j)}
			}
			seen[id] = i
		}
		return nil
	}
	return checkTransfers(ch.Transfer)
}

func checkCreates(ts []NewTerritory) error {
	names := map[string]int{}
	for i, t := range ts {
		f := func(name string) string { return fmt.Sprintf("Create[%d].%s", i, name) }
		if err := checkName(f("Name"), t.Name); err != nil {
			return err
		}
		key := strings.ToLower(t.Name)
		if j, dup := names[key]; dup {
			return &TerritoryError{Field: f("Name"), Value: t.Name, Rule: fmt.Sprintf("also Create[%d]'s: a territory's name is unique", j)}
		}
		names[key] = i
		if t.ReportingTo == "" {
			return &TerritoryError{Field: f("ReportingTo"), Rule: "required: every territory but the organization's reports to a parent"}
		}
		if err := checkID(f("ReportingTo"), t.ReportingTo); err != nil {
			return err
		}
		if err := checkPermission(f("PermissionType"), t.PermissionType); err != nil {
			return err
		}
		if t.ManagerID != "" {
			if err := checkID(f("ManagerID"), t.ManagerID); err != nil {
				return err
			}
		}
		if err := checkDescription(f("Description"), t.Description); err != nil {
			return err
		}
		for _, r := range []struct {
			name string
			rule json.RawMessage
		}{{"AccountRuleCriteria", t.AccountRuleCriteria}, {"LeadRuleCriteria", t.LeadRuleCriteria}, {"DealRuleCriteria", t.DealRuleCriteria}} {
			if r.rule != nil && !isJSONNull(r.rule) {
				if err := checkRuleField(f(r.name), r.rule); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func checkUpdates(us []TerritoryUpdate) error {
	seen := map[string]int{}
	for i, u := range us {
		f := func(name string) string { return fmt.Sprintf("Update[%d].%s", i, name) }
		if err := checkID(f("ID"), u.ID); err != nil {
			return err
		}
		if j, dup := seen[u.ID]; dup {
			return &TerritoryError{Field: f("ID"), Value: u.ID, Rule: fmt.Sprintf("also Update[%d]'s: one update a territory a call", j)}
		}
		seen[u.ID] = i
		cannot := func(name, why string) error {
			return &TerritoryError{Field: f(name), Rule: "cannot be cleared: " + why}
		}
		switch {
		case u.Name.IsCleared():
			return cannot("Name", "a territory has a name")
		case u.ReportingTo.IsCleared():
			return cannot("ReportingTo", "only the organization territory reports to none")
		case u.PermissionType.IsCleared():
			return cannot("PermissionType", "a territory has one")
		}
		if name, ok := u.Name.IsSet(); ok {
			if err := checkName(f("Name"), name); err != nil {
				return err
			}
		}
		if parent, ok := u.ReportingTo.IsSet(); ok {
			if err := checkID(f("ReportingTo"), parent); err != nil {
				return err
			}
			if parent == u.ID {
				return &TerritoryError{Field: f("ReportingTo"), Value: parent, Rule: "a territory cannot report to itself"}
			}
		}
		if p, ok := u.PermissionType.IsSet(); ok {
			if err := checkPermission(f("PermissionType"), p); err != nil {
				return err
			}
		}
		if m, ok := u.ManagerID.IsSet(); ok {
			if err := checkID(f("ManagerID"), m); err != nil {
				return err
			}
		}
		if d, ok := u.Description.IsSet(); ok {
			if err := checkDescription(f("Description"), d); err != nil {
				return err
			}
		}
		changes := !u.Name.IsKept() || !u.ReportingTo.IsKept() || !u.PermissionType.IsKept() ||
			!u.ManagerID.IsKept() || !u.Description.IsKept()
		for _, r := range []struct {
			name string
			rule Field[json.RawMessage]
		}{{"AccountRuleCriteria", u.AccountRuleCriteria}, {"LeadRuleCriteria", u.LeadRuleCriteria}, {"DealRuleCriteria", u.DealRuleCriteria}} {
			changes = changes || !r.rule.IsKept()
			rule, ok := r.rule.IsSet()
			if !ok {
				continue
			}
			if rule == nil || isJSONNull(rule) {
				return &TerritoryError{Field: f(r.name), Rule: "set to no rule: clear it with ClearField"}
			}
			if err := checkRuleField(f(r.name), rule); err != nil {
				return err
			}
		}
		if !changes {
			return &TerritoryError{Field: fmt.Sprintf("Update[%d]", i), Rule: "nothing to change: set or clear at least one field"}
		}
	}
	return nil
}

func checkTransfers(ts []Transfer) error {
	seen := map[string]int{}
	for i, t := range ts {
		f := func(name string) string { return fmt.Sprintf("Transfer[%d].%s", i, name) }
		if err := checkID(f("ID"), t.ID); err != nil {
			return err
		}
		if j, dup := seen[t.ID]; dup {
			return &TerritoryError{Field: f("ID"), Value: t.ID, Rule: fmt.Sprintf("also Transfer[%d]'s", j)}
		}
		seen[t.ID] = i
		if t.TransferTo == "" {
			return &TerritoryError{Field: f("TransferTo"), Rule: "required: the territory the children move to (DeleteTerritories deletes a territory without children)"}
		}
		if err := checkID(f("TransferTo"), t.TransferTo); err != nil {
			return err
		}
		if t.TransferTo == t.ID {
			return &TerritoryError{Field: f("TransferTo"), Value: t.TransferTo, Rule: "must differ from the territory deleted"}
		}
	}
	return nil
}

// errAllFound is why a create's call ended without sending again: every
// territory its lost answer was about was found created.
var errAllFound = errors.New("zohoterritory: every territory was found created")

// CreateTerritories creates territories, in calls of at most 100 sent side
// by side under the client's concurrency limit, and returns one
// [TerritoryItem] per territory in the order given: Created with the new
// id, Failed with Zoho's code, message and a [Reason] (duplicate_name,
// limit_exceeded, inactive_manager, ...), or Unknown. Every territory is
// checked first (a [*TerritoryError] or [*InvalidIDError] names the field
// and the rule), and nothing is sent when one breaks a rule.
//
// A create whose answer is lost is never sent blindly again: before a
// retry the client lists the org's territories, and one of that name under
// that parent counts as created (Inferred set); only the others are sent
// again. Names are unique in the org, so such a territory is the one asked
// for even if it was there before the call (which then could only have
// failed on it): either way, the territory asked for exists. A request-level failure that every call would meet (a refused
// token, a missing scope) keeps the calls not yet sent from being sent,
// and is returned as the error beside the result, which still accounts
// for every territory.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/add-territories.html
func (c *Client) CreateTerritories(ctx context.Context, territories ...NewTerritory) (*TerritoryResult, error) {
	return c.ApplyTerritories(ctx, TerritoryChange{Op: OpCreateTerritories, Create: territories})
}

// UpdateTerritories updates territories: renames, re-parents, a manager,
// description or rule set or cleared, a permission type changed. Calls
// carry at most 100, side by side, but the calls that move a territory (a
// ReportingTo set) go one after another in the order given, beside the
// others: a move may need an earlier one made for Zoho's cycle check to
// pass. Outcomes, checks and failures are as for
// [Client.CreateTerritories] (Updated for a success).
//
// Zoho's pages make permission_type mandatory on an update: for the
// territories whose update leaves it as it is, the client first reads
// their current permission type (one read by ids a call, at most 100
// ids) and sends it back unchanged; a territory that read does not find
// fails with [ReasonInvalidID], unsent. Set PermissionType to skip the
// read. An update sent again after a lost answer is the same update, so it
// is retried as a read is.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/update-territories.html
func (c *Client) UpdateTerritories(ctx context.Context, updates ...TerritoryUpdate) (*TerritoryResult, error) {
	return c.ApplyTerritories(ctx, TerritoryChange{Op: OpUpdateTerritories, Update: updates})
}

// DeleteTerritories deletes territories, irreversibly, at most 10 a call
// (Zoho's pages), the calls one after another in the order given, so that
// children given before their parents are gone when the parents' call goes
// out. A territory with children is refused ([ReasonHasChildren]), and the
// organization territory always ([ReasonRoot]); forecasts says what becomes
// of their forecasts. A delete answered "no such territory" after an
// attempt whose answer was lost comes out Deleted with Inferred set.
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/delete-territories.html
func (c *Client) DeleteTerritories(ctx context.Context, forecasts Forecasts, territoryIDs ...string) (*TerritoryResult, error) {
	return c.ApplyTerritories(ctx, TerritoryChange{Op: OpDeleteTerritories, Delete: territoryIDs, Forecasts: forecasts})
}

// TransferAndDeleteTerritories deletes territories after moving each one's
// child territories under its TransferTo, at most 10 a call, one call after
// another, with the outcomes of [Client.DeleteTerritories]. The deleted
// territories' members lose them (Zoho's OpenAPI file).
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/transfer-delete-territories.html
func (c *Client) TransferAndDeleteTerritories(ctx context.Context, transfers ...Transfer) (*TerritoryResult, error) {
	return c.ApplyTerritories(ctx, TerritoryChange{Op: OpTransferTerritories, Transfer: transfers})
}
