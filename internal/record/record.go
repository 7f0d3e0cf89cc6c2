// Package record turns HTTP exchanges into the contract suite's case files
// ([contract.Case]) that can be shared: every secret is removed, and, when
// asked, every record id, e-mail address and name is replaced by a stand-in
// that is the same for the same value throughout the run. The proxy of
// `zohoterritory-contract proxy` writes its recordings with it.
//
// What is removed, always:
//   - the credential of Authorization and Proxy-Authorization (the scheme
//     stays: `Zoho-oauthtoken 1000.xxxx.xxxx`, [AuthPlaceholder]);
//   - Cookie, Set-Cookie and any header whose name speaks of a token, a
//     secret, a password, an API key, a session or a CSRF token;
//   - the value of any query parameter, form field or JSON member named
//     like a token (`token`, `*_token`: access, refresh, id tokens), a
//     secret, a password, an API key, `client_id`, and in forms and
//     queries `code` (an OAuth authorization code);
//   - and then, everywhere in the file, any value removed by those rules in
//     this run, in case it was echoed elsewhere (an error message, a page).
package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// Exchange is one request and its complete answer, as the proxy saw them.
type Exchange struct {
	Method string
	// URL is the absolute URL the request was sent to.
	URL            *url.URL
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int
	ResponseHeader http.Header
	ResponseBody   []byte
	// ResponseTruncated says ResponseBody holds only the first bytes of a
	// longer body.
	ResponseTruncated bool
}

// Scrubber removes secrets from exchanges and, when made with
// pseudonymization, replaces ids, e-mail addresses and names. It remembers
// every secret it has removed during its life, to remove it from any text
// it is given later ([Scrubber.Text]). It is safe for concurrent use.
type Scrubber struct {
	pseudo *pseudonyms // nil: ids are kept

	mu      sync.Mutex
	secrets map[string]bool
}

// NewScrubber returns a Scrubber; with pseudonymize, ids, e-mail addresses
// and names are replaced too, with stand-ins keyed by a random key made for
// this Scrubber alone.
func NewScrubber(pseudonymize bool) *Scrubber {
	return newScrubber(pseudonymize, nil)
}

func newScrubber(pseudonymize bool, key []byte) *Scrubber {
	s := &Scrubber{secrets: map[string]bool{}}
	if pseudonymize {
		s.pseudo = newPseudonyms(key)
	}
	return s
}

// Pseudonymizes reports whether s replaces ids, e-mail addresses and names.
func (s *Scrubber) Pseudonymizes() bool { return s.pseudo != nil }

// minSecret is the shortest value remembered as a secret: a shorter one
// would be replaced inside unrelated words.
const minSecret = 6

func (s *Scrubber) learn(v string) {
	v = strings.TrimSpace(v)
	if len(v) < minSecret {
		return
	}
	s.mu.Lock()
	s.secrets[v] = true
	s.mu.Unlock()
}

// known returns the secrets learnt so far, longest first, so that a
// secret inside another is replaced after it.
func (s *Scrubber) known() []string {
	s.mu.Lock()
	out := make([]string, 0, len(s.secrets))
	for v := range s.secrets {
		out = append(out, v)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// forget removes every secret learnt so far from text, as it is and as
// escaped for a query or a JSON string.
func (s *Scrubber) forget(text string) string {
	for _, v := range s.known() {
		q, _ := json.Marshal(v)
		for _, form := range []string{v, url.QueryEscape(v), string(q[1 : len(q)-1])} {
			text = strings.ReplaceAll(text, form, Redacted)
		}
	}
	return text
}

// Text returns text without the secrets removed so far and, when s
// pseudonymizes, with ids and e-mail addresses replaced: for log lines
// and validators' findings.
func (s *Scrubber) Text(text string) string {
	text = s.forget(text)
	if s.pseudo != nil {
		text = s.pseudo.Text(text)
	}
	return text
}

// URL returns u as a recording holds it: secret query values removed and,
// when s pseudonymizes, ids in the path and the query replaced. The query
// keeps the form it was sent in (`ids=1,2` or `ids=1%2C2`, a trailing `&`).
func (s *Scrubber) URL(u *url.URL) string {
	out := *u
	out.User = nil
	if s.pseudo != nil {
		segs := strings.Split(u.EscapedPath(), "/")
		for i, seg := range segs {
			segs[i] = s.pseudo.PathSegment(seg)
		}
		p := strings.Join(segs, "/")
		if unesc, err := url.PathUnescape(p); err == nil {
			out.Path, out.RawPath = unesc, p
		}
	}
	out.RawQuery = s.rawQuery(u.RawQuery)
	out.Fragment, out.RawFragment = "", ""
	return out.String()
}

// rawQuery rewrites a query or a url-encoded form pair by pair, as sent.
func (s *Scrubber) rawQuery(raw string) string {
	if raw == "" {
		return raw
	}
	pairs := strings.Split(raw, "&")
	for i, pair := range pairs {
		k, v, hasValue := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			name = k
		}
		switch {
		case !hasValue:
		case secretField(name, true):
			if uv, err := url.QueryUnescape(v); err == nil {
				s.learn(uv)
			}
			s.learn(v)
			pairs[i] = k + "=" + Redacted
		case s.pseudo != nil:
			pairs[i] = k + "=" + s.pseudo.RawQueryValue(name, v)
		}
	}
	return strings.Join(pairs, "&")
}

// skipHeaders are not recorded: they describe the connection or the
// encoding of a body that the recording re-encodes.
var skipHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Transfer-Encoding": true, "Te": true, "Trailer": true,
	"Upgrade": true, "Content-Length": true, "Proxy-Connection": true,
}

// Header returns h as a recording holds it, one value a name (several are
// joined with ", "), secrets removed.
func (s *Scrubber) Header(h http.Header) map[string]string {
	if len(h) == 0 {
		return nil
	}
	out := make(map[string]string, len(h))
	for name, vs := range h {
		name = http.CanonicalHeaderKey(name)
		if skipHeaders[name] {
			continue
		}
		vals := make([]string, 0, len(vs))
		for _, v := range vs {
			switch {
			case authHeader(name):
				red, cred := redactAuth(v)
				s.learn(cred)
				v = red
			case secretHeader(name):
				s.learn(v)
				v = Redacted
			case name == "Location" || name == "Content-Location":
				if u, err := url.Parse(v); err == nil {
					v = s.URL(u)
				}
			case s.pseudo != nil:
				v = s.pseudo.Text(v)
			}
			vals = append(vals, v)
		}
		out[name] = strings.Join(vals, ", ")
	}
	return out
}

// Body returns a body as a recording holds it (JSON, or a JSON string for a
// form or a text that is not JSON), secrets removed and, when s
// pseudonymizes, ids replaced; and a note saying how the body was changed
// in form, "" when it was not.
func (s *Scrubber) Body(contentType string, b []byte, truncated bool) (json.RawMessage, string) {
	switch {
	case truncated:
		return nil, fmt.Sprintf("the body was longer than %d bytes and is not recorded", len(b))
	case len(bytes.TrimSpace(b)) == 0:
		return nil, ""
	}
	mt, params, _ := mime.ParseMediaType(contentType)
	if json.Valid(b) {
		out, err := rewriteJSON(b, s.jsonString)
		if err == nil {
			return out, ""
		}
	}
	switch {
	case mt == "application/x-www-form-urlencoded":
		return jsonString(s.rawQuery(string(bytes.TrimSpace(b)))), "the url-encoded form is kept as a JSON string"
	case mt == "multipart/form-data":
		form, err := s.multipart(b, params["boundary"])
		if err != nil {
			return nil, fmt.Sprintf("the multipart form (%d bytes) could not be read and is not recorded", len(b))
		}
		return jsonString(form), "the multipart form's fields are kept, url-encoded, as a JSON string"
	case utf8.Valid(b):
		text := s.forget(string(b))
		if s.pseudo != nil {
			text = s.pseudo.Text(text)
		}
		return jsonString(text), "the body was not JSON; it is kept as a JSON string"
	}
	return nil, fmt.Sprintf("the body (%d bytes of %q) is not text and is not recorded", len(b), mt)
}

func (s *Scrubber) jsonString(holder, key, v string) string {
	if secretField(key, false) {
		s.learn(v)
		return Redacted
	}
	if s.pseudo != nil {
		return s.pseudo.JSONString(holder, key, v)
	}
	return v
}

// multipart reads a multipart form's text fields and returns them
// url-encoded in their order, secrets removed.
func (s *Scrubber) multipart(b []byte, boundary string) (string, error) {
	if boundary == "" {
		return "", errors.New("no boundary")
	}
	r := multipart.NewReader(bytes.NewReader(b), boundary)
	var pairs []string
	for {
		part, err := r.NextPart()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return "", err
		}
		var v bytes.Buffer
		if _, err := v.ReadFrom(part); err != nil {
			return "", err
		}
		pairs = append(pairs, url.QueryEscape(part.FormName())+"="+url.QueryEscape(v.String()))
	}
	return s.rawQuery(strings.Join(pairs, "&")), nil
}

func jsonString(v string) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimSpace(buf.Bytes())
}

// Case returns x as a contract case whose description is description
// followed by notes on how the bodies were changed, secrets removed (and
// ids replaced when s pseudonymizes).
func (s *Scrubber) Case(x Exchange, description, source string) contract.Case {
	c := contract.Case{
		Source: source,
		Request: contract.CaseRequest{
			Method:  x.Method,
			Headers: s.Header(x.RequestHeader),
		},
		Response: contract.CaseResponse{
			Status:  x.Status,
			Headers: s.Header(x.ResponseHeader),
		},
	}
	// The headers first: the credentials they carry are learnt before
	// anything else is written.
	c.Request.URL = s.URL(x.URL)
	var notes []string
	body, note := s.Body(x.RequestHeader.Get("Content-Type"), x.RequestBody, false)
	c.Request.Body = body
	if note != "" {
		notes = append(notes, "request: "+note)
	}
	body, note = s.Body(x.ResponseHeader.Get("Content-Type"), x.ResponseBody, x.ResponseTruncated)
	c.Response.Body = body
	if note != "" {
		notes = append(notes, "response: "+note)
	}
	// A secret learnt from one part may be echoed in another.
	c.Request.Body = s.forgetJSON(c.Request.Body)
	c.Response.Body = s.forgetJSON(c.Response.Body)
	if len(notes) > 0 {
		description += " (" + strings.Join(notes, "; ") + ")"
	}
	c.Description = description
	return c
}

func (s *Scrubber) forgetJSON(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return b
	}
	out := json.RawMessage(s.forget(string(b)))
	if !json.Valid(out) {
		return b
	}
	return out
}

// Encode returns c as the contents of a case file, indented, with every
// secret learnt so far removed wherever it appears.
func (s *Scrubber) Encode(c contract.Case) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // ends with a newline
	enc.SetEscapeHTML(false)     // `&` in a URL, `<` in a page, as they were
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return []byte(s.forget(buf.String())), nil
}
