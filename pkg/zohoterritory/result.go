package zohoterritory

import (
	"net/http"
	"strings"
)

// Outcome says what became of one id.
type Outcome int

const (
	// Unknown: the request's outcome was never learned (the connection
	// broke after sending, the body was cut off, the server failed, or the
	// answer could not be matched to the id). Running the same removal
	// again is safe and settles it.
	Unknown Outcome = iota
	// Removed: Zoho confirmed the removal.
	Removed
	// Failed: the id was not removed; [ItemResult] says why.
	Failed
)

func (o Outcome) String() string {
	switch o {
	case Removed:
		return "removed"
	case Failed:
		return "failed"
	}
	return "unknown"
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
	ReasonNoPermission     Reason = "no_permission"     // the caller lacks the permission or scope
	ReasonRateLimited      Reason = "rate_limited"      // Zoho answered 429 to every attempt; nothing was done
	ReasonNotSent          Reason = "not_sent"          // the request was never sent (cancelled, or an earlier batch failed authentication)
	ReasonRejected         Reason = "rejected"          // the whole request was rejected for another documented reason
	ReasonOther            Reason = "other"             // an error the client does not recognise; see Code and Message
)

// classify reads the reason out of Zoho's code and message. Messages are
// matched loosely (lower case, key phrases) because Zoho's wording differs
// between versions and pages (v7 even spells "The ser is not a member").
func classify(code, message string) Reason {
	m := strings.ToLower(message)
	switch code {
	case "NOT_ALLOWED":
		return ReasonNotAllowed
	case "NO_PERMISSION", "PERMISSION_DENIED", "OAUTH_SCOPE_MISMATCH", "AUTHENTICATION_FAILURE", "INVALID_TOKEN":
		return ReasonNoPermission
	case "TOO_MANY_REQUESTS":
		return ReasonRateLimited
	case "INVALID_DATA":
		switch {
		case strings.Contains(m, "not a member"), strings.Contains(m, "not linked"):
			return ReasonNotMember
		case strings.Contains(m, "manager"), strings.Contains(m, "cannot be removed from the user") && !strings.Contains(m, "organization"):
			return ReasonManager
		case strings.Contains(m, "organization territory"), strings.Contains(m, "default territory"):
			return ReasonDefaultTerritory
		case strings.Contains(m, "deleted"), strings.Contains(m, "inactive"), strings.Contains(m, "not associated with zoho crm"):
			return ReasonUserInactive
		case strings.Contains(m, "maximum"), strings.Contains(m, "exceeded"), strings.Contains(m, "limit"):
			return ReasonRejected
		case strings.Contains(m, "invalid"):
			return ReasonInvalidID
		}
		return ReasonOther
	case "INVALID_REQUEST_METHOD", "REQUIRED_PARAM_MISSING", "INVALID_URL_PATTERN", "API_NOT_SUPPORTED",
		"TERRITORY_NOT_ENABLED", "TERRITORY_DISABLED":
		return ReasonRejected
	}
	return ReasonOther
}

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
	// learned: the earlier attempt most likely removed the id.
	Inferred bool
	// Err is the request-level error behind a Failed or Unknown outcome
	// that no item of Zoho's explains, such as an [*APIError] or a
	// transport error; nil otherwise.
	Err error

	index int // the matched entry's place in Zoho's envelope
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

// Result holds the per-id outcomes of a removal, one [ItemResult] per
// distinct id, in the order the ids were given (repeats dropped).
type Result struct {
	Items []ItemResult
	// Calls are the HTTP calls made, in batch order.
	Calls []Call
	// Unmatched holds Zoho's items that could not be matched to an id, such
	// as the surplus error items of Zoho's own v7 bulk sample.
	Unmatched []ItemResult
}

// Removed returns the ids that were removed, in input order.
func (r *Result) Removed() []string { return r.ids(Removed) }

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

func (r *Result) ids(o Outcome) []string {
	var out []string
	for _, it := range r.Items {
		if it.Outcome == o {
			out = append(out, it.ID)
		}
	}
	return out
}
