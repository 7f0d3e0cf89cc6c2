package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// CheckRequest validates a request the way a server sees it and returns
// nil when both validators accept it, or one error whose text is a single
// line naming the method, the path, the operation and each validator's
// finding. It is what a sandbox built with
// zohoterritorytest.WithContractCheck calls for every request.
func (v *Validator) CheckRequest(r *http.Request) error {
	vd := v.ValidateRequest(r)
	if vd.OK() {
		return nil
	}
	return errors.New(describe(r, 0, vd.Operation, vd.Kin, vd.Lib))
}

// CheckResponse validates a response as the answer to r and returns nil
// when it conforms, or one single-line error as [Validator.CheckRequest]
// does. A request that matches no operation (an unknown URL or a wrong
// method) has no response in the spec to compare with; its body is held
// to the spec's Error schema instead, by kin-openapi alone.
func (v *Validator) CheckResponse(r *http.Request, status int, header http.Header, body []byte) error {
	resp := Response{StatusCode: status, Header: header.Clone(), Body: body}
	resp.Header = responseHeader(resp)
	vd := v.kinResponse(r, resp)
	if vd.Operation != "" {
		vd.Lib = v.libResponse(r, resp)
		if vd.OK() {
			return nil
		}
		return errors.New(describe(r, status, vd.Operation, vd.Kin, vd.Lib))
	}
	// The header as sent: a missing Content-Type is a finding here.
	errSchema := v.checkErrorSchema(Response{StatusCode: status, Header: header, Body: body})
	if errSchema == nil {
		return nil
	}
	return errors.New(oneLine(fmt.Sprintf("%s %s -> %d: (no operation) schema Error: kin-openapi: %v",
		r.Method, r.URL.RequestURI(), status, errSchema)))
}

// checkErrorSchema holds a response to the spec's Error schema.
func (v *Validator) checkErrorSchema(resp Response) error {
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		return fmt.Errorf("Content-Type %q, want application/json", ct)
	}
	ref := v.doc.Components.Schemas["Error"]
	if ref == nil || ref.Value == nil {
		return errors.New("spec has no components/schemas/Error")
	}
	var body any
	if err := json.Unmarshal(resp.Body, &body); err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	return ref.Value.VisitJSON(body)
}

// describe puts one exchange's findings on one line, however the
// validators break theirs.
func describe(r *http.Request, status int, op string, kin, lib error) string {
	if op == "" {
		op = "(no operation)"
	}
	finding := func(err error) string {
		if err == nil {
			return "pass"
		}
		return err.Error()
	}
	where := r.Method + " " + r.URL.RequestURI()
	if status != 0 {
		where += fmt.Sprintf(" -> %d", status)
	}
	return oneLine(fmt.Sprintf("%s: %s: kin-openapi: %s; libopenapi-validator: %s", where, op, finding(kin), finding(lib)))
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
