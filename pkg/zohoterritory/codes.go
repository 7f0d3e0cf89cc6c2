package zohoterritory

import (
	"errors"
	"net/http"
	"strings"
)

// Sentinels for the codes of Zoho's error catalog. An [*APIError] (and a
// per-id failure's Err) matches the sentinel of its code with [errors.Is]:
//
//	if errors.Is(err, zohoterritory.ErrOAuthScopeMismatch) { ... }
var (
	// ErrInvalidData matches INVALID_DATA: a bad id, a user who is not a
	// member, a manager or default territory that cannot be removed.
	ErrInvalidData = errors.New("zohoterritory: INVALID_DATA")
	// ErrNotAllowed matches NOT_ALLOWED: the caller may not change the
	// territories they belong to.
	ErrNotAllowed = errors.New("zohoterritory: NOT_ALLOWED")
	// ErrInvalidRequestMethod matches INVALID_REQUEST_METHOD.
	ErrInvalidRequestMethod = errors.New("zohoterritory: INVALID_REQUEST_METHOD")
	// ErrRequiredParamMissing matches REQUIRED_PARAM_MISSING (no `ids`).
	ErrRequiredParamMissing = errors.New("zohoterritory: REQUIRED_PARAM_MISSING")
	// ErrAPINotSupported matches API_NOT_SUPPORTED: the API version is not served.
	ErrAPINotSupported = errors.New("zohoterritory: API_NOT_SUPPORTED")
	// ErrOAuthScopeMismatch matches OAUTH_SCOPE_MISMATCH: the token lacks a
	// scope; refreshing it does not help.
	ErrOAuthScopeMismatch = errors.New("zohoterritory: OAUTH_SCOPE_MISMATCH")
	// ErrAuthenticationFailure matches AUTHENTICATION_FAILURE: no token was sent.
	ErrAuthenticationFailure = errors.New("zohoterritory: AUTHENTICATION_FAILURE")
	// ErrInvalidToken matches INVALID_TOKEN: the token is expired, revoked
	// or from another data centre, and a refresh did not help.
	ErrInvalidToken = errors.New("zohoterritory: INVALID_TOKEN")
	// ErrNoPermission matches NO_PERMISSION and PERMISSION_DENIED.
	ErrNoPermission = errors.New("zohoterritory: NO_PERMISSION")
	// ErrTerritoryDisabled matches TERRITORY_NOT_ENABLED and
	// TERRITORY_DISABLED, the membership endpoints' 403, and
	// FEATURE_NOT_ENABLED, the territories API's 400: the organization has
	// territory management turned off.
	ErrTerritoryDisabled = errors.New("zohoterritory: TERRITORY_DISABLED")
	// ErrInvalidURLPattern matches INVALID_URL_PATTERN.
	ErrInvalidURLPattern = errors.New("zohoterritory: INVALID_URL_PATTERN")
	// ErrTooManyRequests matches TOO_MANY_REQUESTS and any HTTP 429.
	ErrTooManyRequests = errors.New("zohoterritory: TOO_MANY_REQUESTS")
	// ErrDuplicateData matches DUPLICATE_DATA and ALREADY_EXISTS: an add
	// found the membership there already (Zoho's v7 pages and OpenAPI
	// files say DUPLICATE_DATA, its v8 pages ALREADY_EXISTS).
	ErrDuplicateData = errors.New("zohoterritory: DUPLICATE_DATA")
	// ErrLimitExceeded matches LIMIT_EXCEEDED: the territory holds as many
	// users as it may, or the call carried too many ids.
	ErrLimitExceeded = errors.New("zohoterritory: LIMIT_EXCEEDED")
	// ErrMandatoryNotFound matches MANDATORY_NOT_FOUND: an add's body
	// lacked its array.
	ErrMandatoryNotFound = errors.New("zohoterritory: MANDATORY_NOT_FOUND")
	// ErrInternal matches INTERNAL_ERROR, INTERNAL_SERVER_ERROR and any
	// HTTP 5xx.
	ErrInternal = errors.New("zohoterritory: INTERNAL_ERROR")
	// ErrDependentFieldMissing matches DEPENDENT_FIELD_MISSING: a field
	// another one needs is missing, such as the transfer_to_id of a
	// territory with children, or a rule condition's comparator.
	ErrDependentFieldMissing = errors.New("zohoterritory: DEPENDENT_FIELD_MISSING")
	// ErrDependentMismatch matches DEPENDENT_MISMATCH: a rule condition's
	// comparator or value does not suit its field.
	ErrDependentMismatch = errors.New("zohoterritory: DEPENDENT_MISMATCH")
	// ErrNotSupported matches NOT_SUPPORTED: a rule names a field that
	// criteria cannot use.
	ErrNotSupported = errors.New("zohoterritory: NOT_SUPPORTED")
	// ErrInvalidRequest matches INVALID_REQUEST: Zoho refused the request as
	// a whole, such as one carrying more territories than a call takes.
	ErrInvalidRequest = errors.New("zohoterritory: INVALID_REQUEST")
	// ErrLookupLimitExceeded matches LOOKUP_LIMIT_EXCEEDED: a rule uses more
	// lookup fields than Zoho allows.
	ErrLookupLimitExceeded = errors.New("zohoterritory: LOOKUP_LIMIT_EXCEEDED")
)

// zohoCode is one row of the table of Zoho's error codes: everything the
// client decides from a code alone.
type zohoCode struct {
	code string
	// status is the HTTP status Zoho documents for the code when it comes
	// as a request-level error.
	status int
	// sentinel is what an [*APIError] with the code matches with errors.Is.
	sentinel error
	// reason is a per-id failure's [Reason]; "" means it is read from
	// the message (INVALID_DATA covers many cases).
	reason Reason
	// retryable says that the same request may pass later: the server
	// was busy or failed.
	retryable bool
	// refresh says that a fresh access token may cure it.
	refresh bool
	// present says that, answering an add, the code means the membership
	// is there already.
	present bool
}

// zohoCodes is the one table of Zoho's error codes, read by
// [APIError.Is], by the per-id [Reason] and by the retry decision. It is
// never written; TestCodeTableCoversTheSpec keeps it in step with
// api/openapi.yaml's catalog.
var zohoCodes = [...]zohoCode{
	{code: "INVALID_DATA", status: http.StatusBadRequest, sentinel: ErrInvalidData},
	{code: "NOT_ALLOWED", status: http.StatusBadRequest, sentinel: ErrNotAllowed, reason: ReasonNotAllowed},
	{code: "INVALID_REQUEST_METHOD", status: http.StatusBadRequest, sentinel: ErrInvalidRequestMethod, reason: ReasonRejected},
	{code: "REQUIRED_PARAM_MISSING", status: http.StatusBadRequest, sentinel: ErrRequiredParamMissing, reason: ReasonRejected},
	{code: "API_NOT_SUPPORTED", status: http.StatusBadRequest, sentinel: ErrAPINotSupported, reason: ReasonRejected},
	{code: "OAUTH_SCOPE_MISMATCH", status: http.StatusUnauthorized, sentinel: ErrOAuthScopeMismatch, reason: ReasonUnauthorized},
	{code: "AUTHENTICATION_FAILURE", status: http.StatusUnauthorized, sentinel: ErrAuthenticationFailure, reason: ReasonUnauthorized},
	{code: "INVALID_TOKEN", status: http.StatusUnauthorized, sentinel: ErrInvalidToken, reason: ReasonUnauthorized, refresh: true},
	{code: "NO_PERMISSION", status: http.StatusForbidden, sentinel: ErrNoPermission, reason: ReasonNoPermission},
	{code: "PERMISSION_DENIED", status: http.StatusForbidden, sentinel: ErrNoPermission, reason: ReasonNoPermission},
	{code: "TERRITORY_NOT_ENABLED", status: http.StatusForbidden, sentinel: ErrTerritoryDisabled, reason: ReasonRejected},
	{code: "TERRITORY_DISABLED", status: http.StatusForbidden, sentinel: ErrTerritoryDisabled, reason: ReasonRejected},
	{code: "FEATURE_NOT_ENABLED", status: http.StatusBadRequest, sentinel: ErrTerritoryDisabled, reason: ReasonRejected},
	{code: "INVALID_URL_PATTERN", status: http.StatusNotFound, sentinel: ErrInvalidURLPattern, reason: ReasonRejected},
	{code: "TOO_MANY_REQUESTS", status: http.StatusTooManyRequests, sentinel: ErrTooManyRequests, reason: ReasonRateLimited, retryable: true},
	{code: "DUPLICATE_DATA", status: http.StatusBadRequest, sentinel: ErrDuplicateData, reason: ReasonOther, present: true},
	{code: "ALREADY_EXISTS", status: http.StatusBadRequest, sentinel: ErrDuplicateData, reason: ReasonOther, present: true},
	{code: "LIMIT_EXCEEDED", status: http.StatusBadRequest, sentinel: ErrLimitExceeded, reason: ReasonLimitExceeded},
	{code: "MANDATORY_NOT_FOUND", status: http.StatusBadRequest, sentinel: ErrMandatoryNotFound, reason: ReasonRejected},
	{code: "INTERNAL_ERROR", status: http.StatusInternalServerError, sentinel: ErrInternal, reason: ReasonOther, retryable: true},
	{code: "INTERNAL_SERVER_ERROR", status: http.StatusInternalServerError, sentinel: ErrInternal, reason: ReasonOther, retryable: true},
	// The codes of the territories' lifecycle (create, update, delete,
	// transfer); territoryReason reads them for a territory's outcome.
	{code: "DEPENDENT_FIELD_MISSING", status: http.StatusBadRequest, sentinel: ErrDependentFieldMissing, reason: ReasonRejected},
	{code: "DEPENDENT_MISMATCH", status: http.StatusBadRequest, sentinel: ErrDependentMismatch, reason: ReasonInvalidCriteria},
	{code: "NOT_SUPPORTED", status: http.StatusBadRequest, sentinel: ErrNotSupported, reason: ReasonInvalidCriteria},
	{code: "INVALID_REQUEST", status: http.StatusBadRequest, sentinel: ErrInvalidRequest, reason: ReasonRejected},
	{code: "LOOKUP_LIMIT_EXCEEDED", status: http.StatusBadRequest, sentinel: ErrLookupLimitExceeded, reason: ReasonInvalidCriteria},
}

// lookupCode returns the table's row for code.
func lookupCode(code string) (zohoCode, bool) {
	for _, c := range zohoCodes {
		if c.code == code {
			return c, true
		}
	}
	return zohoCode{}, false
}

// alreadyPresent reports whether code, answering an add, means that the
// membership is there already.
func alreadyPresent(code string) bool {
	c, ok := lookupCode(code)
	return ok && c.present
}

// reasonFor classifies a failure from Zoho's code and message. Messages
// matter for INVALID_DATA only, and are matched loosely (lower case, key
// phrases) because Zoho's wording differs between versions and pages (v7
// even spells "The ser is not a member"). An unknown code is ReasonOther.
func reasonFor(code, message string) Reason {
	c, ok := lookupCode(code)
	switch {
	case !ok:
		return ReasonOther
	case c.reason != "":
		return c.reason
	}
	m := strings.ToLower(message)
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
}
