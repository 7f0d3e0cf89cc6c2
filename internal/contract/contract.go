// Package contract checks HTTP traffic against api/openapi.yaml with two
// independent validators, kin-openapi and libopenapi-validator. An exchange
// passes only when both accept it; each verdict keeps both validators'
// findings so that a gap in either one shows by name.
//
// The contract suite, the sandbox's self-checking mode and the
// `zohoterritory validate` command all use it.
//
// One rule is applied before either validator sees a request: a request
// body sent without a Content-Type header is read as application/json when
// it parses as JSON, as Zoho reads it (Zoho's Node, TypeScript and Python
// SDKs send their adds' bodies with no Content-Type; api/openapi.yaml's
// description states the rule). Both validators would otherwise refuse such
// a body for its missing header (kin-openapi: `header Content-Type has
// unexpected value ""`; libopenapi-validator: no content type for a
// required body). A body that does not parse as JSON keeps its missing
// header and is refused. Nothing else is added to a request or a response.
package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	liberrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/seed-ab9c0d28/zohoterritory/api"
	"github.com/seed-ab9c0d28/zohoterritory/internal/loopback"
)

// SandboxHost is the host of the loopback server that api/openapi.yaml
// lists for the sandbox. Traffic from any loopback address is routed as if
// it came from this host, since the sandbox listens on whatever port is free.
const SandboxHost = "127.0.0.1:8080"

// Validator validates requests and responses against api/openapi.yaml. It is
// safe for concurrent use.
type Validator struct {
	doc       *openapi3.T
	strict    routers.Router // routes by the servers the spec lists
	anyHost   routers.Router // routes by path alone, for hosts the spec does not list
	libMu     sync.Mutex     // libopenapi-validator's caches are not documented as concurrency-safe
	lib       libValidator
	libDocErr []string
}

// libValidator is the part of libopenapi-validator's Validator that the
// checks call, declared here so that Validator's type mentions no type of
// libopenapi. A package that imports this one then compiles in a fraction
// of a second instead of about 15 s of CPU: the compiler of every importer
// instantiates the generic types (ordered maps of the document model) that
// an imported type reaches, and validator.Validator reaches hundreds.
type libValidator interface {
	ValidateHttpRequestSync(*http.Request) (bool, []*liberrors.ValidationError)
	ValidateHttpResponse(*http.Request, *http.Response) (bool, []*liberrors.ValidationError)
}

// New loads api/openapi.yaml into both validators. It fails when either
// validator rejects the document itself.
func New() (*Validator, error) {
	return NewFromBytes(api.OpenAPI())
}

// NewFromBytes is like [New] for another copy of the document, such as a
// mutated one in a test.
func NewFromBytes(spec []byte) (*Validator, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("kin-openapi: load spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("kin-openapi: invalid spec: %w", err)
	}
	strict, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("kin-openapi: router: %w", err)
	}
	anyDoc := *doc
	anyDoc.Servers = nil
	anyHost, err := gorillamux.NewRouter(&anyDoc)
	if err != nil {
		return nil, fmt.Errorf("kin-openapi: router: %w", err)
	}

	libDoc, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, fmt.Errorf("libopenapi: load spec: %w", err)
	}
	lib, errs := validator.NewValidator(libDoc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("libopenapi-validator: %w", errors.Join(errs...))
	}
	v := &Validator{doc: doc, strict: strict, anyHost: anyHost, lib: lib}
	if ok, verrs := lib.ValidateDocument(); !ok {
		for _, e := range verrs {
			v.libDocErr = append(v.libDocErr, e.Error())
		}
		return nil, fmt.Errorf("libopenapi-validator: invalid spec: %s", strings.Join(v.libDocErr, "; "))
	}
	return v, nil
}

// Doc returns the kin-openapi model of the document. Callers must not
// modify it.
func (v *Validator) Doc() *openapi3.T { return v.doc }

// Verdict is the outcome of validating one request or response.
type Verdict struct {
	// Operation is the operationId the exchange was routed to, or "" when
	// no operation matches its method and path. A request routed to a twin
	// (the same operation under the other spelling of `users`, see
	// [api.CanonicalOperationID]) reports the canonical operation, so that
	// `/Users/...` and `/users/...` name one operation.
	Operation string
	// ListedServer reports whether the request's host is one of the
	// servers in the spec (loopback hosts count as the sandbox server).
	ListedServer bool
	// Kin and Lib hold each validator's findings; nil means it accepted.
	Kin error
	Lib error
}

// OK reports whether both validators accepted the exchange.
func (vd Verdict) OK() bool { return vd.Kin == nil && vd.Lib == nil }

// Disagree reports whether exactly one validator rejected the exchange.
func (vd Verdict) Disagree() bool { return (vd.Kin == nil) != (vd.Lib == nil) }

// CaughtBy names the validators that rejected the exchange: "both",
// "kin-openapi", "libopenapi-validator" or "none".
func (vd Verdict) CaughtBy() string {
	switch {
	case vd.Kin != nil && vd.Lib != nil:
		return "both"
	case vd.Kin != nil:
		return "kin-openapi"
	case vd.Lib != nil:
		return "libopenapi-validator"
	}
	return "none"
}

func (vd Verdict) String() string {
	op := vd.Operation
	if op == "" {
		op = "(no operation)"
	}
	return fmt.Sprintf("%s kin-openapi=%s libopenapi-validator=%s", op, word(vd.Kin), word(vd.Lib))
}

func word(err error) string {
	if err == nil {
		return "pass"
	}
	return "FAIL"
}

// userTerritories matches the lower-case spelling of the Users path that
// Zoho's SDKs send.
var userTerritories = regexp.MustCompile(`^(/crm/[^/]+/)users(/[^/]+/territories(?:/|$))`)

// NormalizePath rewrites `/crm/{version}/users/{id}/territories...` to the
// documentation's `/crm/{version}/Users/...`, for messages that name a path
// in one spelling. Routing needs no rewriting: the spec describes every
// operation on a user under both spellings (its twins).
func NormalizePath(p string) string {
	return userTerritories.ReplaceAllString(p, "${1}Users${2}")
}

// prepare clones req with, for loopback hosts, the sandbox server's host,
// so that both validators route it. Both spellings of `users` route as they
// are, each to its own path item.
func prepare(req *http.Request) *http.Request {
	r := req.Clone(req.Context())
	u := *req.URL
	u.RawPath = ""
	if u.Host == "" {
		u.Host = req.Host
	}
	if u.Scheme == "" {
		u.Scheme = "http"
		if req.TLS != nil {
			u.Scheme = "https"
		}
	}
	u.Host = strings.ToLower(u.Host) // host names are case-insensitive
	if loopback.Host(u.Hostname()) {
		u.Scheme, u.Host = "http", SandboxHost
	}
	r.URL = &u
	r.Host = u.Host
	r.RequestURI = ""
	if req.Body != nil && req.Body != http.NoBody {
		// The caller keeps the original body; validators read a copy. A
		// body that cannot be read is validated as far as it was read.
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.Body = io.NopCloser(bytes.NewReader(b))
		if jsonWithoutContentType(r.Header, b) {
			r.Header.Set("Content-Type", "application/json")
		}
	}
	return r
}

// jsonWithoutContentType reports whether a request body is to be read as
// JSON for want of a Content-Type header (none, or an empty one) and
// parses as JSON. See the package comment.
func jsonWithoutContentType(h http.Header, body []byte) bool {
	return h.Get("Content-Type") == "" && len(bytes.TrimSpace(body)) > 0 && json.Valid(body)
}

// route finds the operation of req, first among the servers the spec
// lists, then by path alone. listed says whether req's scheme and host are
// those of a listed server, whatever its path.
func (v *Validator) route(req *http.Request) (route *routers.Route, params map[string]string, listed bool, err error) {
	listed = v.listedServer(req.URL)
	route, params, err = v.strict.FindRoute(req)
	if err == nil || !errors.Is(err, routers.ErrPathNotFound) {
		return route, params, listed, err
	}
	route, params, err = v.anyHost.FindRoute(req)
	return route, params, listed, err
}

// listedServer reports whether u's scheme and host are those of one of the
// spec's servers (the sandbox server's port variable matches its default,
// which prepare gives every loopback request).
func (v *Validator) listedServer(u *url.URL) bool {
	for _, s := range v.doc.Servers {
		raw := s.URL
		for name, sv := range s.Variables {
			raw = strings.ReplaceAll(raw, "{"+name+"}", sv.Default)
		}
		su, err := url.Parse(raw)
		if err == nil && su.Scheme == u.Scheme && strings.EqualFold(hostPort(su), hostPort(u)) {
			return true
		}
	}
	return false
}

// hostPort returns u's host with the scheme's default port made explicit.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return u.Host + ":443"
	}
	return u.Host + ":80"
}

// checkAuth is kin-openapi's AuthenticationFunc: the apiKey scheme must carry
// `Zoho-oauthtoken <token>`; the oauth2 scheme only lists scopes, which a
// request cannot show.
func checkAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	if in.SecurityScheme == nil || in.SecurityScheme.Type != "apiKey" {
		return nil
	}
	h := in.RequestValidationInput.Request.Header.Get(in.SecurityScheme.Name)
	token, ok := strings.CutPrefix(h, "Zoho-oauthtoken ")
	if !ok || strings.TrimSpace(token) == "" {
		return fmt.Errorf("header %s must be %q", in.SecurityScheme.Name, "Zoho-oauthtoken <access token>")
	}
	return nil
}

// ValidateRequest validates a request the way a server would see it.
func (v *Validator) ValidateRequest(req *http.Request) Verdict {
	r := prepare(req)
	var vd Verdict
	route, params, listed, err := v.route(r)
	vd.ListedServer = listed
	if err != nil {
		vd.Kin = fmt.Errorf("route %s %s: %w", r.Method, r.URL.Path, err)
	} else {
		vd.Operation, _ = api.CanonicalOperationID(route.Operation.OperationID)
		vd.Kin = openapi3filter.ValidateRequest(r.Context(), &openapi3filter.RequestValidationInput{
			Request:    r,
			PathParams: params,
			Route:      route,
			Options:    &openapi3filter.Options{AuthenticationFunc: checkAuth, MultiError: true},
		})
	}
	v.libMu.Lock()
	ok, errs := v.lib.ValidateHttpRequestSync(prepare(req))
	v.libMu.Unlock()
	if !ok {
		vd.Lib = libErrors(errs)
	}
	return vd
}

// Response is a recorded response: status, headers and body.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// ValidateResponse validates resp as the answer to req. Only req's method,
// URL and headers are used, to find the operation.
func (v *Validator) ValidateResponse(req *http.Request, resp Response) Verdict {
	resp.Header = responseHeader(resp)
	vd := v.kinResponse(req, resp)
	vd.Lib = v.libResponse(req, resp)
	return vd
}

// responseHeader returns resp's header, with a JSON content type when a
// recorded body has none.
func responseHeader(resp Response) http.Header {
	header := resp.Header
	if header == nil {
		header = http.Header{}
	}
	if header.Get("Content-Type") == "" && len(resp.Body) > 0 {
		header = header.Clone()
		header.Set("Content-Type", "application/json")
	}
	return header
}

// kinResponse is kin-openapi's half of ValidateResponse: it routes the
// request and fills in everything but Lib.
func (v *Validator) kinResponse(req *http.Request, resp Response) Verdict {
	r := prepare(req)
	var vd Verdict
	route, params, listed, err := v.route(r)
	vd.ListedServer = listed
	if err != nil {
		vd.Kin = fmt.Errorf("route %s %s: %w", r.Method, r.URL.Path, err)
		return vd
	}
	vd.Operation, _ = api.CanonicalOperationID(route.Operation.OperationID)
	vd.Kin = openapi3filter.ValidateResponse(r.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: r, PathParams: params, Route: route,
		},
		Status:  resp.StatusCode,
		Header:  resp.Header,
		Body:    io.NopCloser(bytes.NewReader(resp.Body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	return vd
}

// libResponse is libopenapi-validator's half of ValidateResponse.
func (v *Validator) libResponse(req *http.Request, resp Response) error {
	r := prepare(req)
	httpResp := &http.Response{
		StatusCode: resp.StatusCode,
		Status:     fmt.Sprintf("%d %s", resp.StatusCode, http.StatusText(resp.StatusCode)),
		Header:     resp.Header,
		Body:       io.NopCloser(bytes.NewReader(resp.Body)),
		Request:    r,
	}
	v.libMu.Lock()
	ok, errs := v.lib.ValidateHttpResponse(r, httpResp)
	v.libMu.Unlock()
	if !ok {
		return libErrors(errs)
	}
	return nil
}

// ParseURL is a helper for recorded exchanges: it builds a request from a
// method and an absolute URL.
func ParseURL(method, rawURL string, header http.Header) (*http.Request, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("parse url %q: %w", rawURL, err)
	}
	if !u.IsAbs() {
		return nil, fmt.Errorf("url %q: must be absolute (scheme and host)", rawURL)
	}
	req, err := http.NewRequest(method, u.String(), nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		for _, val := range vs {
			req.Header.Add(k, val)
		}
	}
	return req, nil
}

func libErrors(errs []*liberrors.ValidationError) error {
	if len(errs) == 0 {
		return errors.New("rejected without a reason")
	}
	msgs := make([]string, 0, len(errs))
	for _, e := range errs {
		m := e.Message
		if e.Reason != "" {
			m += ": " + e.Reason
		}
		for _, sf := range e.SchemaValidationErrors {
			m += " [" + sf.Error() + "]"
		}
		msgs = append(msgs, m)
	}
	return errors.New(strings.Join(msgs, "; "))
}
