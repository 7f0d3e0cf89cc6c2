package zohoterritorytest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
)

// captureWriter remembers the status and, when asked, the body.
type captureWriter struct {
	http.ResponseWriter
	status   int
	keepBody bool
	body     bytes.Buffer
}

func (w *captureWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.keepBody {
		w.body.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// answeredWriter counts a request out of the concurrency limit as soon as
// its answer starts: Zoho counts a call in flight until it answers, so a
// client that has read an answer never finds its call still counted.
type answeredWriter struct {
	http.ResponseWriter
	done func()
}

func (w *answeredWriter) WriteHeader(status int) {
	w.done()
	w.ResponseWriter.WriteHeader(status)
}

func (w *answeredWriter) Write(b []byte) (int, error) {
	w.done()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection (faults
// flush, and hijack to reset it).
func (w *answeredWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// serveHTTP is the server's handler: it records each request, applies the
// faults to CRM API requests and, under WithContractCheck, checks the
// exchange around the actual handling.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	defer s.begin()()
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	api := r.URL.Path != tokenPath
	if api && (r.Method == http.MethodPut || r.Method == http.MethodPost) {
		// An add's or a territory change's body is read whole before
		// anything else, so that the work a fault lets happen after the
		// client gave up (FaultHang) still has it.
		r.Body = bufferBody(r.Body)
	}
	checked := s.contract != nil && api
	var reqFinding error
	if checked {
		reqFinding = s.contract.CheckRequest(r)
	}
	var plan faultPlan
	if api {
		if s.cfg.hooks.Arrived != nil {
			s.cfg.hooks.Arrived(r)
		}
		done, admitted := s.admit()
		if !admitted {
			s.refuseOverLimit(w, r, reqFinding)
			return
		}
		defer done()
		w = &answeredWriter{ResponseWriter: w, done: done}
		s.mu.Lock()
		plan = s.faults.planLocked()
		s.mu.Unlock()
	}
	answering := func(status int) {
		if api && s.cfg.hooks.Answering != nil {
			s.cfg.hooks.Answering(r, status)
		}
	}

	rec := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Fault: plan.kind, Latency: plan.delay}
	var respFinding error
	switch {
	case plan.delay > 0 && !s.wait(context.WithoutCancel(r.Context()), plan.delay):
		// The server is closing: drop the request undone. A client that
		// gave up does not stop the work, as at a server that is merely
		// slow.
		resetConn(w, nil)
	case plan.kind == FaultHang:
		if !s.untilGivenUp(r) {
			resetConn(w, nil) // the server is closing: undone
			break
		}
		// The client gave up; the work is done all the same, as by a
		// server that was merely slow.
		answer := httptest.NewRecorder()
		s.route(answer, r)
		if checked {
			respFinding = s.contract.CheckResponse(r, answer.Code, answer.Header(), answer.Body.Bytes())
		}
	case plan.kind == "" && api && s.cfg.hooks.Answering != nil:
		answer := httptest.NewRecorder()
		s.route(answer, r)
		answering(answer.Code)
		copyHeader(w.Header(), answer.Header())
		w.WriteHeader(answer.Code)
		_, _ = w.Write(answer.Body.Bytes())
		rec.Status = answer.Code
		if checked {
			respFinding = s.contract.CheckResponse(r, answer.Code, answer.Header(), answer.Body.Bytes())
		}
	case plan.kind == "":
		cw := &captureWriter{ResponseWriter: w, keepBody: checked}
		s.route(cw, r)
		rec.Status = cw.status
		if checked {
			respFinding = s.contract.CheckResponse(r, cw.status, cw.Header(), cw.body.Bytes())
		}
	default:
		// When the fault lets the work be done, the handler's own answer
		// is checked against the contract; what the fault then makes of
		// it is outside the contract on purpose.
		var answer *httptest.ResponseRecorder
		if plan.doesWork() {
			answer = httptest.NewRecorder()
			s.route(answer, r)
		}
		if status := plan.status(answer); status != 0 {
			answering(status)
		}
		rec.Status = s.serveFault(w, r, plan, answer)
		if checked && answer != nil {
			respFinding = s.contract.CheckResponse(r, answer.Code, answer.Header(), answer.Body.Bytes())
		}
	}

	if r.URL.Path == tokenPath {
		rec.RawQuery = redactQuery(rec.RawQuery)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, rec)
	if reqFinding != nil {
		s.reqViolation = append(s.reqViolation, reqFinding.Error())
	}
	if respFinding != nil {
		s.violations = append(s.violations, respFinding.Error())
	}
}

// bufferedBody is a request body read into memory. A read that failed (a
// body over maxBodyBytes, a client gone) ends with that error instead of
// io.EOF, so the handler still sees the failure.
type bufferedBody struct {
	r   *bytes.Reader
	err error
}

func bufferBody(body io.ReadCloser) io.ReadCloser {
	b, err := io.ReadAll(body)
	_ = body.Close()
	return &bufferedBody{r: bytes.NewReader(b), err: err}
}

func (b *bufferedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF && b.err != nil {
		err = b.err
	}
	return n, err
}

func (b *bufferedBody) Close() error { return nil }

// admit counts a CRM API request in, and admits it unless the concurrency
// limit is reached; done counts it out.
func (s *Server) admit() (done func(), admitted bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Calls++
	if limit := s.cfg.concurrencyLimit; limit > 0 && s.apiInflight >= limit {
		s.stats.Refused++
		return nil, false
	}
	s.apiInflight++
	s.stats.PeakInFlight = max(s.stats.PeakInFlight, s.apiInflight)
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			s.apiInflight--
			s.mu.Unlock()
		})
	}, true
}

// refuseOverLimit answers a request beyond the concurrency limit with 429,
// as Zoho answers calls beyond an org's concurrent-call limit; nothing is
// done.
func (s *Server) refuseOverLimit(w http.ResponseWriter, r *http.Request, reqFinding error) {
	writeJSON(w, http.StatusTooManyRequests, newError(http.StatusTooManyRequests, "TOO_MANY_REQUESTS", msgTooManyRequests, nil))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Status: http.StatusTooManyRequests, OverLimit: true})
	if reqFinding != nil {
		s.reqViolation = append(s.reqViolation, reqFinding.Error())
	}
}

// redactQuery hides credentials a client sent in the token endpoint's query.
func redactQuery(raw string) string {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return redacted
	}
	for _, k := range []string{"client_secret", "refresh_token", "code"} {
		if q.Has(k) {
			q.Set(k, redacted)
		}
	}
	return q.Encode()
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // only plain maps and structs are written
		status, b = http.StatusInternalServerError, []byte(`{"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
