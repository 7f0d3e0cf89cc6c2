package proxy

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/record"
)

// finish validates, logs and records an exchange once its answer has been
// passed on (or has failed).
func (p *Proxy) finish(x *exchange) {
	if x.url == nil {
		// Never sent: the path and query as the client asked.
		x.url = cloneURL(x.in.URL)
		x.url.Scheme, x.url.Host = p.target.Scheme, p.target.Host
	}
	p.count(func(s *Stats) { s.Exchanges++ })
	where := x.in.Method + " " + p.logPath(x)
	if x.accounts {
		p.finishToken(x, where)
		return
	}
	req := p.validationRequest(x)
	rq := p.validator.ValidateRequest(req)
	op := rq.Operation
	if op == "" && !strings.HasPrefix(x.url.Path, "/crm/") {
		p.count(func(s *Stats) { s.NotInSpec++ })
		p.logf("%04d %s (not an operation of the spec) %s passed on unchecked%s", x.seq, where, statusText(x.status), errNote(x))
		return
	}
	opName := op
	if opName == "" {
		opName = "(no operation)"
	}
	if why := x.incomplete(); why != "" {
		p.count(func(s *Stats) { s.Errors++ })
		p.logf("%04d %s %s %s ERROR: %s; not recorded", x.seq, where, opName, statusText(x.status), why)
		return
	}
	if x.refused != "" {
		p.count(func(s *Stats) { s.Refused++ })
		p.logf("%04d %s %s %d REFUSED: %s; answered 502", x.seq, where, opName, x.status, x.refused)
		p.record(x, "", nameOr(op, "unrouted"), fmt.Sprintf("the proxy refused its %s and answered 502", x.refused))
		return
	}
	if x.respBody.truncated {
		p.count(func(s *Stats) { s.Errors++ })
		p.logf("%04d %s %s %d NOT CHECKED: the body is longer than %d bytes", x.seq, where, opName, x.status, p.maxBody)
		p.record(x, "", nameOr(op, "unrouted"), "not checked: the body was too long")
		return
	}
	rs := p.validator.ValidateResponse(req, contract.Response{StatusCode: x.status, Header: x.respHeader, Body: x.respBody.buf.Bytes()})
	var verdict, rule string
	switch {
	case op == "":
		rule = fmt.Sprintf("no operation of the spec is %s %s", x.in.Method, contract.NormalizePath(p.scrub.Text(x.url.Path)))
		verdict = "VIOLATION: " + rule
	case !rq.OK():
		rule = "request: " + p.finding(rq)
		verdict = fmt.Sprintf("VIOLATION (%s): %s", rq.CaughtBy(), rule)
	case !rs.OK():
		rule = "response: " + p.finding(rs)
		verdict = fmt.Sprintf("VIOLATION (%s): %s", rs.CaughtBy(), rule)
	}
	if rule == "" {
		p.count(func(s *Stats) { s.OK++ })
		p.logf("%04d %s %s %d ok", x.seq, where, opName, x.status)
		p.record(x, "", op, "both validators accepted it")
		return
	}
	p.count(func(s *Stats) { s.Violations++ })
	p.logf("%04d %s %s %d %s", x.seq, where, opName, x.status, verdict)
	p.record(x, "", nameOr(op, "unrouted"), "it broke the contract: "+rule)
}

// finishToken accounts for an exchange with the token endpoint: recorded,
// secrets removed, never validated.
func (p *Proxy) finishToken(x *exchange, where string) {
	p.count(func(s *Stats) { s.Tokens++ })
	if why := x.incomplete(); why != "" {
		p.count(func(s *Stats) { s.Errors++ })
		p.logf("%04d %s (token endpoint) %s ERROR: %s; not recorded", x.seq, where, statusText(x.status), why)
		return
	}
	done := "passed on"
	if p.dir != nil {
		done = "recorded"
	}
	p.logf("%04d %s (token endpoint) %d %s", x.seq, where, x.status, done)
	p.record(x, "accounts", "token", "the token endpoint, outside the spec: not validated")
}

// incomplete says why the exchange has no complete answer, or "".
func (x *exchange) incomplete() string {
	switch {
	case x.err != "":
		return x.err
	case x.status == 0:
		return "no answer"
	case x.refused != "" || x.respBody == nil:
		return ""
	case x.respBody.err != nil:
		return fmt.Sprintf("the answer's body was cut off after %d bytes: %v", x.respBody.total, x.respBody.err)
	case !x.respBody.eof && !bodiless(x):
		return fmt.Sprintf("the client went away after %d bytes of the answer", x.respBody.total)
	}
	return ""
}

// bodiless reports whether the answer has no body to read to its end.
func bodiless(x *exchange) bool {
	return x.respBody.total == 0 && (x.in.Method == http.MethodHead || x.status == http.StatusNoContent || x.status == http.StatusNotModified)
}

func errNote(x *exchange) string {
	if why := x.incomplete(); why != "" {
		return " (" + why + ")"
	}
	return ""
}

func nameOr(op, other string) string {
	if op == "" {
		return other
	}
	return op
}

func statusText(status int) string {
	if status == 0 {
		return "-"
	}
	return fmt.Sprint(status)
}

// logPath is the request's path and query as the log shows them: secrets
// removed, and ids replaced when the recordings' are.
func (p *Proxy) logPath(x *exchange) string {
	u := p.scrub.URL(x.url)
	return strings.TrimPrefix(u, x.url.Scheme+"://"+x.url.Host)
}

// validationRequest rebuilds the request as the target received it, with
// the body the client sent, for the validators.
func (p *Proxy) validationRequest(x *exchange) *http.Request {
	req, err := contract.ParseURL(x.in.Method, x.url.String(), x.in.Header)
	if err != nil {
		// x.url is the target's absolute URL: it always parses.
		panic("proxy: " + err.Error())
	}
	if x.reqBody != nil && x.reqBody.buf.Len() > 0 {
		b := x.reqBody.buf.Bytes()
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.ContentLength = int64(len(b))
	}
	return req
}

// finding is a verdict's first finding on one line, secrets removed (and
// ids replaced when the recordings' are).
func (p *Proxy) finding(vd contract.Verdict) string {
	err := vd.Kin
	who := "kin-openapi"
	if err == nil {
		err, who = vd.Lib, "libopenapi-validator"
	}
	text := strings.Join(strings.Fields(err.Error()), " ")
	if r := []rune(text); len(r) > 300 {
		text = string(r[:300]) + "…"
	}
	return who + ": " + p.scrub.Text(text)
}

// record writes the exchange as a case file, when the proxy records.
func (p *Proxy) record(x *exchange, sub, name, verdict string) {
	if p.dir == nil {
		return
	}
	rx := record.Exchange{
		Method:         x.in.Method,
		URL:            x.url,
		RequestHeader:  x.in.Header,
		Status:         x.status,
		ResponseHeader: x.respHeader,
	}
	if x.reqBody != nil {
		rx.RequestBody = x.reqBody.buf.Bytes()
	}
	if x.respBody != nil {
		rx.ResponseBody, rx.ResponseTruncated = x.respBody.buf.Bytes(), x.respBody.truncated
	}
	what := name
	if sub == "accounts" {
		what = "the token endpoint"
	}
	desc := fmt.Sprintf("Recorded by zohoterritory-contract proxy on %s: %s %s answered %d; %s.",
		p.now().UTC().Format(time.RFC3339), x.in.Method, what, x.status, verdict)
	if p.scrub.Pseudonymizes() {
		desc += " Record ids, e-mail addresses and names are stand-ins (--pseudonymize)."
	}
	c := p.scrub.Case(rx, desc, "zohoterritory-contract proxy in front of "+p.targetOf(x).String())
	b, err := p.scrub.Encode(c)
	if err == nil {
		_, err = p.dir.Write(sub, fmt.Sprintf("%04d_%s_%d.json", x.seq, name, x.status), b)
	}
	if err != nil {
		p.count(func(s *Stats) { s.Errors++ })
		p.logf("%04d could not record: %s", x.seq, p.scrub.Text(err.Error()))
		return
	}
	p.count(func(s *Stats) { s.Recorded++ })
}

func (p *Proxy) targetOf(x *exchange) fmt.Stringer {
	if x.accounts && p.accounts != nil {
		return p.accounts
	}
	return p.target
}

func (p *Proxy) count(f func(*Stats)) {
	p.mu.Lock()
	f(&p.stats)
	p.mu.Unlock()
}

func (p *Proxy) logf(format string, args ...any) {
	p.logMu.Lock()
	defer p.logMu.Unlock()
	fmt.Fprintf(p.log, format+"\n", args...)
}
