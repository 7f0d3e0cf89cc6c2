package zohoterritory

import (
	"fmt"
	"net/http"
	"strings"
)

// Outcome says what became of one id.
type Outcome int

const (
	// Unknown means the request's outcome was never learned (the connection
	// broke after sending, the body was cut off, the server failed, or the
	// answer could not be matched to the id). Running the same removal
	// again is safe and settles it.
	Unknown Outcome = iota
	// Removed means Zoho confirmed the removal.
	Removed
	// Failed means the id was not removed (or, for an add, not added);
	// [ItemResult] says why.
	Failed
	// Added means Zoho confirmed that an add made the id a member.
	Added
	// AlreadyPresent means an add found the id a member already (Zoho's
	// DUPLICATE_DATA): nothing changed, and the membership is there.
	AlreadyPresent
	// Created means Zoho confirmed that a territory was created (see
	// [Client.CreateTerritories]).
	Created
	// Updated means Zoho confirmed that a territory was updated.
	Updated
	// Deleted means Zoho confirmed that a territory was deleted, by a
	// delete or a transfer and delete.
	Deleted
)

// String returns "removed", "failed", "unknown", "added",
// "already_present", "created", "updated" or "deleted".
func (o Outcome) String() string {
	switch o {
	case Removed:
		return "removed"
	case Failed:
		return "failed"
	case Added:
		return "added"
	case AlreadyPresent:
		return "already_present"
	case Created:
		return "created"
	case Updated:
		return "updated"
	case Deleted:
		return "deleted"
	}
	return "unknown"
}

// ParseOutcome returns the Outcome that [Outcome.String] names.
func ParseOutcome(s string) (Outcome, bool) {
	for _, o := range []Outcome{Unknown, Removed, Failed, Added, AlreadyPresent, Created, Updated, Deleted} {
		if o.String() == s {
			return o, true
		}
	}
	return Unknown, false
}

// Reason classifies why an id was not removed.
type Reason string

// The reasons an id may fail. Zoho reports most of them as INVALID_DATA
// with different messages; the reason is read from the code and message.
const (
	ReasonNotMember        Reason = "not_member"        // the user is not in the territory, or the territory is not linked to the user
	ReasonManager          Reason = "manager"           // the user manages the territory and cannot be removed from it
	ReasonDefaultTerritory Reason = "default_territory" // the organization's default territory cannot be removed
	ReasonInvalidID        Reason = "invalid_id"        // no user or territory has the id
	ReasonUserInactive     Reason = "user_inactive"     // the user is deleted, inactive or not a CRM user
	ReasonNotAllowed       Reason = "not_allowed"       // NOT_ALLOWED: the caller may not change their own territories
	ReasonUnauthorized     Reason = "unauthorized"      // the token was missing, rejected, or lacks a scope the operation needs
	ReasonNoPermission     Reason = "no_permission"     // the user behind the token lacks the permission (NO_PERMISSION, PERMISSION_DENIED)
	ReasonLimitExceeded    Reason = "limit_exceeded"    // LIMIT_EXCEEDED: the territory holds as many users as it may, or the call carried too many ids
	ReasonRateLimited      Reason = "rate_limited"      // Zoho answered 429 and nothing was done
	ReasonNotSent          Reason = "not_sent"          // the request was never sent (cancelled, stopped, an earlier batch failed for good, or held back by a [ChangeSet] until an add is settled)
	ReasonKept             Reason = "kept"              // a [ChangeSet] did not remove it, or a [Plan] does not: an add of the same user failed, or is skipped, so the user keeps what they have
	ReasonRejected         Reason = "rejected"          // the whole request was rejected for another documented reason
	ReasonOther            Reason = "other"             // an error the client does not recognise; see Code and Message
)

// The reasons a territory change may fail ([Client.CreateTerritories] and
// the other lifecycle calls), besides ReasonInvalidID, ReasonNoPermission,
// ReasonLimitExceeded, ReasonNotAllowed, ReasonUnauthorized,
// ReasonRateLimited, ReasonNotSent, ReasonRejected and ReasonOther.
const (
	ReasonDuplicateName    Reason = "duplicate_name"    // DUPLICATE_DATA: another territory has the name
	ReasonHasChildren      Reason = "has_children"      // the territory has child territories: delete refused, or a transfer without transfer_to_id
	ReasonRoot             Reason = "root"              // the organization territory: never deleted, only renamed
	ReasonCycle            Reason = "cycle"             // the new parent (or transfer target) is the territory or lies below it
	ReasonInactiveManager  Reason = "inactive_manager"  // the manager is not an active user
	ReasonMandatoryMissing Reason = "mandatory_missing" // MANDATORY_NOT_FOUND: a required field is missing
	ReasonInvalidData      Reason = "invalid_data"      // INVALID_DATA about a value: too long, not a supported value
	ReasonInvalidCriteria  Reason = "invalid_criteria"  // a rule criterion Zoho refuses (DEPENDENT_MISMATCH, NOT_SUPPORTED, ...)
	ReasonRulesDisabled    Reason = "rules_disabled"    // territory rules are off for the criterion's module
)

// ItemResult is the outcome for one id.
type ItemResult struct {
	// ID is the id as given.
	ID string
	// Outcome is what became of it.
	Outcome Outcome
	// Reason classifies a failure; "" unless Outcome is Failed.
	Reason Reason
	// Code and Message are Zoho's, for a failure; for an unknown outcome,
	// Message says what was not learned.
	Code    string
	Message string
	// Details is Zoho's details object of the error item that was matched
	// to this id, or of the request-level error; nil for other outcomes.
	Details map[string]any
	// Inferred is true when Removed was concluded from a "not a member"
	// answer to a retry that followed an attempt whose outcome was never
	// learned: the earlier attempt most likely removed the id. For an add,
	// Added concluded so from "already present".
	Inferred bool
	// Err is the request-level error behind a Failed or Unknown outcome
	// that no item of Zoho's explains, such as an [*APIError] or a
	// transport error; nil otherwise.
	Err error
}

// String describes the outcome on one line, such as
// "5725767000000452115 failed (not_member): The user is not a member of
// this territory.".
func (r ItemResult) String() string {
	var b strings.Builder
	b.WriteString(r.ID)
	b.WriteByte(' ')
	b.WriteString(r.Outcome.String())
	switch {
	case r.Inferred:
		b.WriteString(" (by an earlier attempt whose answer was lost)")
	case r.Reason != "":
		fmt.Fprintf(&b, " (%s)", r.Reason)
	}
	if r.Message != "" {
		b.WriteString(": ")
		b.WriteString(r.Message)
	}
	return b.String()
}

// Call is one HTTP request the client made for a batch of ids, kept so that
// nothing about what Zoho answered is hidden.
type Call struct {
	// Operation is the operationId used, such as "removeTerritoriesFromUser".
	Operation string
	// IDs are the ids the call was for.
	IDs []string
	// Attempts is how many times the request was sent.
	Attempts int
	// Response is the last raw HTTP response, or nil when none arrived.
	// Its body has been read and closed; the bytes are in Body.
	Response *http.Response
	// Body is the last response's body.
	Body []byte
	// Err is the call's request-level error, if any.
	Err error
}

// String describes the call on one line: the operation, how many ids,
// attempts, and the last status or error.
func (c Call) String() string {
	s := fmt.Sprintf("%s (%s, %s)", c.Operation, plural(len(c.IDs), "id"), plural(c.Attempts, "attempt"))
	switch {
	case c.Err != nil:
		s += ": " + c.Err.Error()
	case c.Response != nil:
		s += ": " + c.Response.Status
	}
	return s
}

// Result holds the per-id outcomes of a removal, one [ItemResult] per
// distinct id, in the order the ids were given (repeats dropped).
type Result struct {
	// Op is the change made: what the ids were removed from or added to.
	Op    Op
	Items []ItemResult
	// Calls are the HTTP calls made, in batch order.
	Calls []Call
	// Unmatched holds Zoho's items that could not be matched to an id, such
	// as the surplus error items of Zoho's own v7 bulk sample.
	Unmatched []ItemResult
	// Splits counts the calls made beyond one per batch: when Zoho refused
	// a batch as a whole for some ids of its own (doing nothing), the
	// client sent its halves to find them (see [WithSplitRefusedBatches]).
	Splits int
}

// Removed returns the ids that were removed, in input order.
func (r *Result) Removed() []string { return r.ids(Removed) }

// Added returns the ids an add made members, in input order.
func (r *Result) Added() []string { return r.ids(Added) }

// AlreadyPresent returns the ids an add found members already, in input
// order.
func (r *Result) AlreadyPresent() []string { return r.ids(AlreadyPresent) }

// AllPresent reports whether, after an add, every id is a member: added
// or present already.
func (r *Result) AllPresent() bool {
	for _, it := range r.Items {
		if it.Outcome != Added && it.Outcome != AlreadyPresent {
			return false
		}
	}
	return true
}

// Unknown returns the ids whose outcome was never learned, in input order.
func (r *Result) Unknown() []string { return r.ids(Unknown) }

// Failed returns the items that were not removed, in input order.
func (r *Result) Failed() []ItemResult {
	var out []ItemResult
	for _, it := range r.Items {
		if it.Outcome == Failed {
			out = append(out, it)
		}
	}
	return out
}

// AllRemoved reports whether every id was removed.
func (r *Result) AllRemoved() bool {
	for _, it := range r.Items {
		if it.Outcome != Removed {
			return false
		}
	}
	return true
}

// String summarises the result on one line, as [Counts.String] counts it,
// such as "3 removed, 1 failed, 0 unknown (2 calls)", or for an add
// "2 added, 1 already present, 0 failed, 0 unknown (1 call)".
func (r *Result) String() string {
	c := r.Count(CountOptions{})
	return fmt.Sprintf("%s (%s)", c, c.CallsString())
}

func (r *Result) ids(o Outcome) []string {
	var out []string
	for _, it := range r.Items {
		if it.Outcome == o {
			out = append(out, it.ID)
		}
	}
	return out
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
