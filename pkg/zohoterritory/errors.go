package zohoterritory

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
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
	// TERRITORY_DISABLED: the organization has territories turned off.
	ErrTerritoryDisabled = errors.New("zohoterritory: TERRITORY_DISABLED")
	// ErrInvalidURLPattern matches INVALID_URL_PATTERN.
	ErrInvalidURLPattern = errors.New("zohoterritory: INVALID_URL_PATTERN")
	// ErrTooManyRequests matches TOO_MANY_REQUESTS and any HTTP 429.
	ErrTooManyRequests = errors.New("zohoterritory: TOO_MANY_REQUESTS")
	// ErrInternal matches INTERNAL_ERROR, INTERNAL_SERVER_ERROR and any
	// HTTP 5xx.
	ErrInternal = errors.New("zohoterritory: INTERNAL_ERROR")
)

// sentinelFor maps a Zoho code to its sentinel, or nil.
func sentinelFor(code string) error {
	switch code {
	case "INVALID_DATA":
		return ErrInvalidData
	case "NOT_ALLOWED":
		return ErrNotAllowed
	case "INVALID_REQUEST_METHOD":
		return ErrInvalidRequestMethod
	case "REQUIRED_PARAM_MISSING":
		return ErrRequiredParamMissing
	case "API_NOT_SUPPORTED":
		return ErrAPINotSupported
	case "OAUTH_SCOPE_MISMATCH":
		return ErrOAuthScopeMismatch
	case "AUTHENTICATION_FAILURE":
		return ErrAuthenticationFailure
	case "INVALID_TOKEN":
		return ErrInvalidToken
	case "NO_PERMISSION", "PERMISSION_DENIED":
		return ErrNoPermission
	case "TERRITORY_NOT_ENABLED", "TERRITORY_DISABLED":
		return ErrTerritoryDisabled
	case "INVALID_URL_PATTERN":
		return ErrInvalidURLPattern
	case "TOO_MANY_REQUESTS":
		return ErrTooManyRequests
	case "INTERNAL_ERROR", "INTERNAL_SERVER_ERROR":
		return ErrInternal
	}
	return nil
}

// APIError is a request-level failure reported by Zoho (or by whatever
// answered in its place): nothing in the request is known to have been
// done, except where the [Result] returned beside it says otherwise.
//
// Use [errors.As] to reach it and [errors.Is] with the ErrX sentinels to
// test its code.
type APIError struct {
	// Operation is the operationId of api/openapi.yaml, such as
	// "removeTerritoriesFromUser".
	Operation string
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Code is Zoho's error code, such as "INVALID_DATA"; "" when the body
	// was not a Zoho error object (an HTML page from a proxy, say).
	Code string
	// Message is Zoho's message, or a description of the body when it was
	// not a Zoho error object.
	Message string
	// Details holds Zoho's details object; often empty.
	Details map[string]any
	// Err is the underlying failure when the body could not be read or
	// decoded.
	Err error
	// Response is the raw HTTP response; its body has been read and
	// closed, and is in Body.
	Response *http.Response `json:"-"`
	// Body is the response body as read (at most the client's limit).
	Body []byte `json:"-"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d", e.Operation, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, ": %s", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying read or decode failure, if any.
func (e *APIError) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of e's code. A 429 matches
// [ErrTooManyRequests] and a 5xx matches [ErrInternal] whatever their body.
func (e *APIError) Is(target error) bool {
	if s := sentinelFor(e.Code); s != nil && s == target {
		return true
	}
	switch {
	case e.StatusCode == http.StatusTooManyRequests:
		return target == ErrTooManyRequests
	case e.StatusCode >= 500:
		return target == ErrInternal
	}
	return false
}

// RateLimitError is returned when Zoho still answered 429 after the
// client's retries: nothing in the request was done. RetryAfter is the wait
// the server asked for, zero when it named none.
type RateLimitError struct {
	*APIError
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string {
	if e.RetryAfter > 0 {
		return fmt.Sprintf("%s (retry after %s)", e.APIError.Error(), e.RetryAfter)
	}
	return e.APIError.Error()
}

// Unwrap returns the [*APIError].
func (e *RateLimitError) Unwrap() error { return e.APIError }

// InvalidIDError reports an id that breaks a rule, found before any request
// was sent.
type InvalidIDError struct {
	// Arg names the argument, such as "userID" or "territoryIDs[3]".
	Arg string
	// ID is the offending value.
	ID string
	// Rule is the rule it breaks.
	Rule string
}

func (e *InvalidIDError) Error() string {
	return fmt.Sprintf("zohoterritory: %s %q: %s", e.Arg, e.ID, e.Rule)
}

// AuthError reports a failure to obtain an access token from the accounts
// server. It never contains a secret.
type AuthError struct {
	// AccountsURL is the accounts server that was asked; "" when the
	// token came from a caller's oauth2.TokenSource.
	AccountsURL string
	// Code is the OAuth error the server named, such as "invalid_code" (bad
	// or revoked refresh token) or "invalid_client" (wrong client, or the
	// client belongs to another data centre); "" for a transport failure.
	Code string
	// Err is the underlying failure.
	Err error
}

func (e *AuthError) Error() string {
	msg := "zohoterritory: get access token from the token source"
	if e.AccountsURL != "" {
		msg = "zohoterritory: refresh access token at " + e.AccountsURL
	}
	if e.Code != "" {
		msg += ": " + e.Code
		switch e.Code {
		case "invalid_code":
			msg += " (the refresh token is wrong or revoked)"
		case "invalid_client":
			msg += " (wrong client id or secret, or the client belongs to another data centre)"
		}
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// Unwrap returns the underlying failure.
func (e *AuthError) Unwrap() error { return e.Err }
