package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Case is one recorded exchange of the contract suite: the request's method,
// URL and headers, and the response's status, headers and body. It is stored
// as one JSON file in contracttests/testdata.
type Case struct {
	// Name is the file's base name without `.json`.
	Name string `json:"-"`
	// Description says what the case shows and where it was recorded.
	Description string `json:"description"`
	// Source names where the exchange comes from (a seed document, a live
	// org, a hand-made error sample).
	Source   string       `json:"source,omitempty"`
	Request  CaseRequest  `json:"request"`
	Response CaseResponse `json:"response"`
}

// CaseRequest is the request half of a [Case]. Body holds a JSON request
// body (the associate operations send one); it is absent for requests
// without a body.
type CaseRequest struct {
	Method  string            `json:"method"`
	URL     string            `json:"url"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// CaseResponse is the response half of a [Case]. Body holds the JSON body as
// it was sent; an empty body is allowed.
type CaseResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers,omitempty"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

// HTTPRequest builds the case's request, with the headers the case
// records and no others: a case whose body comes without Content-Type is
// sent without one, as Zoho's SDKs send their adds.
func (c Case) HTTPRequest() (*http.Request, error) {
	h := http.Header{}
	for k, v := range c.Request.Headers {
		h.Set(k, v)
	}
	req, err := ParseURL(c.Request.Method, c.Request.URL, h)
	if err != nil || len(c.Request.Body) == 0 {
		return req, err
	}
	body := []byte(c.Request.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.ContentLength = int64(len(body))
	return req, nil
}

// HTTPResponse builds the case's response.
func (c Case) HTTPResponse() Response {
	h := http.Header{}
	for k, v := range c.Response.Headers {
		h.Set(k, v)
	}
	return Response{StatusCode: c.Response.Status, Header: h, Body: []byte(c.Response.Body)}
}

// Validate validates the case's response, routed by its request.
func (v *Validator) Validate(c Case) (Verdict, error) {
	req, err := c.HTTPRequest()
	if err != nil {
		return Verdict{}, fmt.Errorf("case %s: %w", c.Name, err)
	}
	return v.ValidateResponse(req, c.HTTPResponse()), nil
}

// ReadCase reads one case file.
func ReadCase(path string) (Case, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Case{}, err
	}
	var c Case
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Case{}, fmt.Errorf("case %s: %w", path, err)
	}
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		return Case{}, fmt.Errorf("case %s: unexpected data after the case object", path)
	}
	if c.Request.Method == "" || c.Request.URL == "" || c.Response.Status == 0 {
		return Case{}, fmt.Errorf("case %s: request.method, request.url and response.status are required", path)
	}
	c.Name = strings.TrimSuffix(filepath.Base(path), ".json")
	return c, nil
}

// ReadCases reads every `*.json` case file in dir, sorted by name.
func ReadCases(dir string) ([]Case, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	cases := make([]Case, 0, len(paths))
	for _, p := range paths {
		c, err := ReadCase(p)
		if err != nil {
			return nil, err
		}
		cases = append(cases, c)
	}
	return cases, nil
}
