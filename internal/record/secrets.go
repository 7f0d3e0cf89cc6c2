package record

import (
	"net/http"
	"strings"
)

// Redacted replaces the value of every secret a recording would otherwise
// hold: a token, a client secret, a refresh token, a cookie.
const Redacted = "REDACTED"

// AuthPlaceholder replaces the credential of an Authorization header; the
// scheme is kept (`Zoho-oauthtoken 1000.xxxx.xxxx`). It is the placeholder
// the contract suite's own cases use, so that a recording can join them.
const AuthPlaceholder = "1000.xxxx.xxxx"

// secretField reports whether a JSON member, a form field or a query
// parameter called name holds a secret: an access, refresh or id token,
// a client secret, a password, an API key, and (in forms and queries only,
// where OAuth puts an authorization code) `code`. client_id is not secret
// in OAuth, but it names the app and tells nothing of Zoho's answers, so
// it goes too. In JSON bodies `code` is Zoho's error code and stays.
func secretField(name string, form bool) bool {
	n := strings.ToLower(name)
	switch {
	case n == "token", strings.HasSuffix(n, "_token"), strings.HasSuffix(n, "-token"),
		strings.Contains(n, "secret"), strings.Contains(n, "password"),
		n == "client_id", n == "api_key", n == "apikey":
		return true
	case form && n == "code":
		return true
	}
	return false
}

// secretHeader reports whether a header's value is secret as a whole.
// Authorization and Proxy-Authorization keep their scheme (see
// [AuthPlaceholder]); these are replaced entirely.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "cookie", "set-cookie":
		return true
	}
	for _, w := range []string{"token", "secret", "password", "api-key", "apikey", "session", "csrf"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// authHeader reports whether a header carries credentials after a scheme.
func authHeader(name string) bool {
	n := http.CanonicalHeaderKey(name)
	return n == "Authorization" || n == "Proxy-Authorization"
}

// redactAuth keeps an Authorization header's scheme and replaces its
// credential, and returns the credential it removed.
func redactAuth(v string) (redacted, credential string) {
	scheme, cred, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok {
		return Redacted, v
	}
	return scheme + " " + AuthPlaceholder, strings.TrimSpace(cred)
}
