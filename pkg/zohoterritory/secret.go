package zohoterritory

import (
	"fmt"
	"log/slog"
)

// secret holds a token, client secret or refresh token. Every way of
// printing it prints a placeholder, so a secret that reaches a log line, an
// error or a %+v of a struct shows nothing.
//
// The value sits behind a pointer because fmt prints the unexported fields
// of a struct by reflection, without calling their String or Format
// methods: a plain string field would print as itself, a pointer prints as
// an address.
type secret struct{ p *string }

const redacted = "[REDACTED]"

func newSecret(s string) secret { return secret{p: &s} }

func (s secret) String() string   { return redacted }
func (s secret) GoString() string { return `"` + redacted + `"` }

// Format covers every verb, including %q, %x and %#v.
func (s secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, redacted)
}

// LogValue keeps the secret out of slog output.
func (s secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText keeps the secret out of JSON and other encodings.
func (s secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// isSet reports whether the secret holds a value.
func (s secret) isSet() bool { return s.p != nil }

// reveal returns the secret's value, for the one place that sends it.
func (s secret) reveal() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}
