package zohoterritory

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

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
	if c, ok := lookupCode(e.Code); ok && c.sentinel == target {
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
	if e.Arg == "" {
		return fmt.Sprintf("zohoterritory: id %q: %s", e.ID, e.Rule)
	}
	return fmt.Sprintf("zohoterritory: %s %q: %s", e.Arg, e.ID, e.Rule)
}

// AuthError reports a failure to obtain an access token from the accounts
// server: refreshing one, or exchanging a grant code ([ExchangeGrantCode]).
// It never contains a secret, a token or a grant code.
type AuthError struct {
	// AccountsURL is the accounts server that was asked; "" when the
	// token came from a caller's oauth2.TokenSource.
	AccountsURL string
	// Grant is the grant that was asked for: [GrantAuthorizationCode] for
	// a grant code's exchange; "" for the refresh-token flow and a token
	// source.
	Grant string
	// Code is the OAuth error the server named, such as "invalid_code" (a
	// bad or revoked refresh token; a wrong, used or expired grant code)
	// or "invalid_client" (wrong client, or the client belongs to another
	// data centre); "" for a transport failure.
	Code string
	// Err is the underlying failure.
	Err error
}

func (e *AuthError) Error() string {
	if errors.Is(e.Err, ErrNoCredentials) {
		return "zohoterritory: " + e.Err.Error()
	}
	msg := "zohoterritory: get access token from the token source"
	switch {
	case e.Grant == GrantAuthorizationCode:
		msg = "zohoterritory: exchange the grant code at " + e.AccountsURL
	case e.AccountsURL != "":
		msg = "zohoterritory: refresh access token at " + e.AccountsURL
	}
	if e.Code != "" {
		msg += ": " + e.Code
		if why := e.explain(); why != "" {
			msg += " (" + why + ")"
		}
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

// explain says what Zoho's error code means and what to do, as Zoho's
// accounts documentation lists the codes of its token endpoints.
func (e *AuthError) explain() string {
	if e.Grant == GrantAuthorizationCode {
		switch e.Code {
		case "invalid_code":
			return "the grant code is wrong, was used already, has expired (a code lives a few minutes: three unless " +
				"chosen otherwise), or was generated in another data centre than this accounts server's: generate a new " +
				"one in the API console of the org's data centre and exchange it at once"
		case "invalid_client":
			return "the client id is wrong, or the Self Client was made in another data centre's API console than " +
				"this accounts server's: check the client id and the data centre"
		case "invalid_client_secret":
			return "the client secret is wrong: copy it again from the Self Client's Client Secret tab"
		case "invalid_redirect_uri":
			return "the client is not a Self Client: a server-based client's code is exchanged with its redirect URI; " +
				"create a Self Client in the API console and generate the code there"
		}
		return ""
	}
	switch e.Code {
	case "invalid_code":
		return "the refresh token is wrong or revoked"
	case "invalid_client":
		return "wrong client id or secret, or the client belongs to another data centre"
	case "invalid_client_secret":
		return "the client secret is wrong"
	}
	return ""
}

// Unwrap returns the underlying failure.
func (e *AuthError) Unwrap() error { return e.Err }

// IsAuthFailure reports whether err means that the credentials failed, so
// that every later call made with them would fail the same way: no access
// token could be had (an [*AuthError]: the accounts server refused the
// refresh token or the client, or could not be reached; or the client has
// no credentials), Zoho rejected the token (a 401: INVALID_TOKEN,
// AUTHENTICATION_FAILURE, or OAUTH_SCOPE_MISMATCH for a token without the
// operation's scope), or the user behind it lacks the permission
// (NO_PERMISSION, PERMISSION_DENIED). A change stops sending once one of
// its calls meets such a failure (the ids not sent come out
// [ReasonNotSent]); zohoterritory exits 4 on one.
func IsAuthFailure(err error) bool {
	var authErr *AuthError
	if errors.As(err, &authErr) {
		return true
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.StatusCode == http.StatusUnauthorized || errors.Is(apiErr, ErrNoPermission) ||
		errors.Is(apiErr, ErrInvalidToken) || errors.Is(apiErr, ErrOAuthScopeMismatch) || errors.Is(apiErr, ErrAuthenticationFailure)
}

// failsEveryCall reports whether every later call of a run would meet err
// too: the credentials failed ([IsAuthFailure]), or the org has territory
// management turned off.
func failsEveryCall(err error) bool {
	return IsAuthFailure(err) || errors.Is(err, ErrTerritoryDisabled)
}

// ErrNoCredentials is the failure, wrapped in an [*AuthError], of a call
// that needs a token on a [Client] built without WithAccessToken,
// WithRefreshToken or WithTokenSource. Nothing was sent.
var ErrNoCredentials = errors.New("no credentials: build the client with WithAccessToken, WithRefreshToken or WithTokenSource")

// OptionError reports an option that [New] refuses: a bad value, or a
// combination of options that cannot work together; and a bad field of
// [PlanOptions].
//
//	var oe *zohoterritory.OptionError
//	if errors.As(err, &oe) && oe.Option == "WithAPIDomain" { ... }
type OptionError struct {
	// Option is the option's name, such as "WithAPIDomain", or
	// "PlanOptions".
	Option string
	// Field is, for an option that takes a struct (WithRetryPolicy,
	// PlanOptions), the field refused, such as "MaxAttempts"; "" otherwise.
	Field string
	// Value is the refused value as it may be shown, such as 0 for
	// WithConcurrency(0) or a URL without its user info or query; nil
	// when the value is a secret, nil, or not worth repeating.
	Value any
	// Err is the rule the value breaks.
	Err error
}

func (e *OptionError) Error() string {
	switch {
	case e.Field != "" && e.Value != nil:
		return fmt.Sprintf("zohoterritory: %s: %s %s: %v", e.Option, e.Field, showValue(e.Value), e.Err)
	case e.Field != "":
		return fmt.Sprintf("zohoterritory: %s: %s: %v", e.Option, e.Field, e.Err)
	case e.Value == nil:
		return fmt.Sprintf("zohoterritory: %s: %v", e.Option, e.Err)
	}
	return fmt.Sprintf("zohoterritory: %s(%#v): %v", e.Option, e.Value, e.Err)
}

// showValue shows a refused value: a string quoted, anything else as
// fmt's %v does (a duration as 1.5s).
func showValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

// Unwrap returns the rule.
func (e *OptionError) Unwrap() error { return e.Err }
