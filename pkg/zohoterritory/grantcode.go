package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Secret holds a token or a client secret that a caller must be able to
// write out once, such as the refresh token of [ExchangeGrantCode]. Every
// way of printing it (String, GoString, Format with any verb, slog's
// LogValue, MarshalText and so JSON) gives "[REDACTED]"; only
// [Secret.Reveal] gives the value. The zero Secret holds nothing.
type Secret struct{ s secret }

// String returns "[REDACTED]".
func (s Secret) String() string { return s.s.String() }

// GoString returns `"[REDACTED]"`, for %#v.
func (s Secret) GoString() string { return s.s.GoString() }

// Format prints "[REDACTED]" for every verb.
func (s Secret) Format(f fmt.State, verb rune) { s.s.Format(f, verb) }

// LogValue keeps the secret out of log/slog output.
func (s Secret) LogValue() slog.Value { return s.s.LogValue() }

// MarshalText keeps the secret out of JSON and other encodings.
func (s Secret) MarshalText() ([]byte, error) { return s.s.MarshalText() }

// IsZero reports whether the Secret holds nothing.
func (s Secret) IsZero() bool { return !s.s.isSet() }

// Reveal returns the secret's value, for the one place that must write it
// out (a file of mode 0600, a secret store). Never log or print it.
func (s Secret) Reveal() string { return s.s.reveal() }

// Tokens are what an accounts server gives for a grant code (see
// [ExchangeGrantCode]). Printing a Tokens, with any verb, in a log or as
// JSON, shows no token.
type Tokens struct {
	// AccessToken works for an hour (see Expiry) with the grant code's
	// scopes.
	AccessToken Secret
	// RefreshToken gets new access tokens with [WithRefreshToken]; it does
	// not expire until revoked. It is the value to keep.
	RefreshToken Secret
	// APIDomain is the reply's api_domain, such as
	// https://www.zohoapis.eu: the data centre whose API the tokens work
	// for. It is "" when the reply names none, or names one the client
	// would refuse (not https, except on loopback, or with user info or a
	// query).
	APIDomain string
	// Expiry is when the access token stops working; the zero time when
	// the reply does not say.
	Expiry time.Time
	// Scopes are the scopes the reply names, in its order; nil when it
	// names none (Zoho's documentation does not promise a scope in every
	// reply).
	Scopes []string
	// AccountsURL is the accounts server that issued the tokens.
	AccountsURL string
}

// GrantAuthorizationCode is [AuthError.Grant] for a grant code's exchange
// ([ExchangeGrantCode]).
const GrantAuthorizationCode = "authorization_code"

// ExchangeGrantCode exchanges a Self Client's grant code, generated in
// Zoho's API console, for an access token and a refresh token at the
// accounts server of the data centre [WithDataCenter] names (default [US]),
// or at [WithAccountsURL]: POST {accounts}/oauth/v2/token with
// grant_type=authorization_code, client_id, client_secret and code, sent
// through golang.org/x/oauth2. [WithHTTPClient] and [WithRetryPolicy]'s
// AttemptTimeout (the time limit of the one request) apply too; the other
// options of [New] have no effect, except that credentials
// ([WithAccessToken], [WithRefreshToken], [WithTokenSource]) are refused
// with an [*OptionError].
//
// The request is sent once and never retried: Zoho accepts a code once, so
// a second try after a lost answer could only be refused. A code lives a few
// minutes (three unless the console was told otherwise) and only at the
// accounts server of the data centre whose API console made it.
//
// A refusal is an [*AuthError] with Grant [GrantAuthorizationCode], the
// accounts server and Zoho's code ("invalid_code", "invalid_client",
// "invalid_client_secret", ...), whose message says what to do. No error
// carries the secret, the code or a token, nor the reply's body.
//
// Zoho docs: https://www.zoho.com/accounts/protocol/oauth/self-client/authorization-code-flow.html
func ExchangeGrantCode(ctx context.Context, clientID, clientSecret, code string, opts ...Option) (*Tokens, error) {
	s := settings{dc: US, retry: DefaultRetryPolicy()}
	for i, opt := range opts {
		if opt == nil {
			return nil, &OptionError{Option: fmt.Sprintf("opts[%d]", i), Err: errors.New("nil option")}
		}
		if err := opt(&s); err != nil {
			return nil, err
		}
	}
	if len(s.auth) > 0 {
		return nil, &OptionError{Option: s.auth[0], Err: errors.New("ExchangeGrantCode takes the client's credentials as arguments, not as an option")}
	}
	switch {
	case strings.TrimSpace(clientID) == "":
		return nil, errors.New("zohoterritory: ExchangeGrantCode: the client id is empty")
	case strings.TrimSpace(clientSecret) == "":
		return nil, errors.New("zohoterritory: ExchangeGrantCode: the client secret is empty")
	case strings.TrimSpace(code) == "":
		return nil, errors.New("zohoterritory: ExchangeGrantCode: the grant code is empty")
	}
	accounts := s.accountsURL
	if accounts == "" {
		accounts = s.dc.AccountsURL()
	}
	hc := accountsClient(defaultTransport(1), 0)
	if s.hc != nil {
		hc = accountsClient(s.hc.Transport, s.hc.Timeout)
	}

	cfg := &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		Endpoint: oauth2.Endpoint{
			TokenURL:  accounts + "/oauth/v2/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
	m := &tokenManager{accountsURL: accounts, now: time.Now}
	ctx, cancel := context.WithTimeout(ctx, s.retry.AttemptTimeout)
	defer cancel()
	tok, err := cfg.Exchange(context.WithValue(ctx, oauth2.HTTPClient, hc), code)
	if err != nil {
		var ae *AuthError
		if errors.As(m.wrap(err), &ae) {
			ae.Grant = GrantAuthorizationCode
			return nil, ae
		}
		return nil, err
	}
	if tok.AccessToken == "" || tok.RefreshToken == "" {
		return nil, &AuthError{AccountsURL: accounts, Grant: GrantAuthorizationCode,
			Err: errors.New("the reply has no access token or no refresh token")}
	}
	tok = m.fixExpiry(tok)
	out := &Tokens{
		AccessToken:  Secret{newSecret(tok.AccessToken)},
		RefreshToken: Secret{newSecret(tok.RefreshToken)},
		Expiry:       tok.Expiry,
		Scopes:       tokenScopes(tok),
		AccountsURL:  accounts,
	}
	if d, _ := tok.Extra("api_domain").(string); d != "" {
		if _, err := checkBaseURL("api_domain", d); err == nil {
			out.APIDomain = strings.TrimSuffix(d, "/")
		}
	}
	return out, nil
}

// tokenScopes returns the scopes a token reply names in its `scope` field
// (separated by spaces, as OAuth has it, or by commas, as Zoho writes them
// when asking), or nil when it names none.
func tokenScopes(t *oauth2.Token) []string {
	s, _ := t.Extra("scope").(string)
	scopes := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == ',' })
	if len(scopes) == 0 {
		return nil
	}
	return scopes
}

// TokenScopes returns the scopes the accounts server named in its last
// token reply, and whether it named any. Only the refresh-token flow (and a
// token source whose tokens carry a "scope" extra) can know them, and only
// after a call has fetched a token; Zoho's documentation does not promise a
// scope in a refresh reply, so false means "not said", never "none".
func (c *Client) TokenScopes() ([]string, bool) {
	c.tokens.mu.Lock()
	tok := c.tokens.tok
	c.tokens.mu.Unlock()
	if tok == nil {
		return nil, false
	}
	scopes := tokenScopes(tok)
	return scopes, scopes != nil
}

// ScopesAllow reports whether a token with the granted scopes may call the
// operation (an operationId, as for [Scopes]): whether it holds every scope
// of one of the sets Scopes returns. The last part of a scope is compared
// without case (Zoho writes ALL and All alike); broader scopes that the
// spec does not list for the operation (ZohoCRM.settings.ALL, say) are not
// counted. It is false for an unknown operation.
func ScopesAllow(granted []string, operation string) bool {
	has := make(map[string]bool, len(granted))
	for _, g := range granted {
		has[normalizeScope(g)] = true
	}
	for _, set := range Scopes(operation) {
		all := true
		for _, want := range set {
			all = all && has[normalizeScope(want)]
		}
		if all {
			return true
		}
	}
	return false
}

// normalizeScope upper-cases a scope's operation, its last part.
func normalizeScope(sc string) string {
	sc = strings.TrimSpace(sc)
	i := strings.LastIndexByte(sc, '.')
	return sc[:i+1] + strings.ToUpper(sc[i+1:])
}
