package zohoterritorytest

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"time"
)

// FaultKind is one way the sandbox misbehaves on purpose; see [Fault].
//
// The kinds differ in whether the removal is carried out before the answer
// goes wrong, which is what makes a fault hard for a client: when the work
// is done and the answer is lost, only a second request can tell.
type FaultKind string

// The fault kinds. "Does the work" means the removal is applied to the
// sandbox's state exactly as without the fault, and then the answer is
// spoiled.
const (
	// FaultLatency holds the request for [Fault.Delay] before anything
	// else happens, then handles it normally, even when the client has
	// given up meanwhile (as a server that is merely slow would). It adds
	// to any other fault that hits the same request.
	FaultLatency FaultKind = "latency"
	// FaultRateLimit answers 429 TOO_MANY_REQUESTS, with a Retry-After
	// header of [Fault.RetryAfter] when that is set. It does not do the
	// work.
	FaultRateLimit FaultKind = "rate_limit"
	// FaultServerError answers a burst of server errors alternating 500
	// and 503: its 1st, 3rd, 5th… hit does the work and then answers 500
	// INTERNAL_ERROR (a server that failed after acting, so that the
	// client cannot know what was done); its 2nd, 4th… hit answers 503
	// without doing the work (a front end that never passed the request
	// on).
	FaultServerError FaultKind = "server_error"
	// FaultResetBefore resets the connection (a TCP RST) as soon as the
	// request arrives. It does not do the work.
	FaultResetBefore FaultKind = "reset_before"
	// FaultResetDuring does the work, sends the status line, the headers
	// (with the full Content-Length) and half of the body, then resets the
	// connection.
	FaultResetDuring FaultKind = "reset_during"
	// FaultTruncate does the work and sends a complete HTTP response whose
	// JSON body is cut in half, its Content-Length matching the cut body,
	// as a broken proxy or server would.
	FaultTruncate FaultKind = "truncate"
	// FaultHTML502 answers 502 Bad Gateway with an HTML page, as a proxy in
	// front of Zoho would. It does not do the work.
	FaultHTML502 FaultKind = "html_502"
	// FaultSlowBody does the work, sends the headers at once and the body
	// in small pieces spread over [Fault.Delay]. A client whose per-request
	// timeout is shorter sees its read fail halfway.
	FaultSlowBody FaultKind = "slow_body"
	// FaultHang holds the request until the client gives up on it (its
	// attempt timeout, or a cancel, closes the connection), then does the
	// work: a server too slow for the client, without a race against a
	// timer. A request is never answered under it. It does the work.
	FaultHang FaultKind = "hang"
	// FaultStall does the work, sends the status line, the headers (with
	// the full Content-Length) and half of the body, then sends nothing
	// more until the client gives up: a body that stops halfway. It does
	// the work.
	FaultStall FaultKind = "stall"
	// FaultExtraItems does the work and answers a removal's envelope with
	// two more error items that name no id, as Zoho's own v7 bulk sample
	// answers three ids with five items; its status is then 207. Other
	// answers (reads, top-level errors) are left as they are.
	FaultExtraItems FaultKind = "extra_items"
)

// FaultKinds returns every fault kind, in the order of their constants.
func FaultKinds() []FaultKind {
	return []FaultKind{FaultLatency, FaultRateLimit, FaultServerError, FaultResetBefore,
		FaultResetDuring, FaultTruncate, FaultHTML502, FaultSlowBody, FaultHang, FaultStall, FaultExtraItems}
}

// MaxFaultDelay bounds [Fault.Delay], so that a fault cannot hold a request
// (or [Server.Close], which waits for requests in flight) for long.
const MaxFaultDelay = 30 * time.Second

// Fault makes the server misbehave on some of the CRM API requests it
// receives; the token endpoint is never affected. Which requests a fault
// hits is deterministic: the server numbers API requests from 1 (from
// [NewServer] or the last [Server.SetFaults]), and a fault hits request n
// when n is a multiple of Every and the fault has hit fewer than Count
// requests so far.
//
// Faults are tried in the order given. Every [FaultLatency] that may hit a
// request does; of the other kinds, only the first that may hit a request
// does, and only that one counts the hit. So `{RateLimit, Count: 3},
// {ServerError, Count: 2}` answers the first three API requests with 429,
// the next two with 500 and 503, and the rest normally.
type Fault struct {
	Kind FaultKind
	// Count is how many requests the fault hits; 0 means no limit.
	Count int
	// Every restricts the fault to every Every-th API request (2: the
	// 2nd, 4th…); 0 or 1 means every request.
	Every int
	// Delay is how long [FaultLatency] holds a request, or how long
	// [FaultSlowBody] takes to send a body: more than 0 and at most
	// [MaxFaultDelay]. Other kinds take none.
	Delay time.Duration
	// RetryAfter is the Retry-After header of [FaultRateLimit], in whole
	// seconds; 0 sends no header. Other kinds take none.
	RetryAfter time.Duration
}

func (f Fault) validate() error {
	if !slices.Contains(FaultKinds(), f.Kind) {
		return fmt.Errorf("zohoterritorytest: fault kind %q: want one of %v", f.Kind, FaultKinds())
	}
	timed := f.Kind == FaultLatency || f.Kind == FaultSlowBody
	switch {
	case f.Count < 0:
		return fmt.Errorf("zohoterritorytest: %s fault: Count %d is negative", f.Kind, f.Count)
	case f.Every < 0:
		return fmt.Errorf("zohoterritorytest: %s fault: Every %d is negative", f.Kind, f.Every)
	case timed && (f.Delay <= 0 || f.Delay > MaxFaultDelay):
		return fmt.Errorf("zohoterritorytest: %s fault: Delay %s: must be more than 0 and at most %s", f.Kind, f.Delay, MaxFaultDelay)
	case !timed && f.Delay != 0:
		return fmt.Errorf("zohoterritorytest: %s fault: Delay is only for %s and %s", f.Kind, FaultLatency, FaultSlowBody)
	case f.Kind != FaultRateLimit && f.RetryAfter != 0:
		return fmt.Errorf("zohoterritorytest: %s fault: RetryAfter is only for %s", f.Kind, FaultRateLimit)
	case f.RetryAfter < 0 || f.RetryAfter%time.Second != 0 || f.RetryAfter > time.Hour:
		return fmt.Errorf("zohoterritorytest: %s fault: RetryAfter %s: must be whole seconds, at most an hour", f.Kind, f.RetryAfter)
	}
	return nil
}

func validateFaults(faults []Fault) ([]Fault, error) {
	for i, f := range faults {
		if err := f.validate(); err != nil {
			return nil, fmt.Errorf("%w (fault %d)", err, i)
		}
	}
	return slices.Clone(faults), nil
}

// WithFaults makes the server misbehave as faults say from its first
// request; the default is no fault. [Server.SetFaults] changes them while
// the server runs.
func WithFaults(faults ...Fault) Option {
	return func(c *config) error {
		fs, err := validateFaults(faults)
		if err != nil {
			return err
		}
		c.faults = fs
		return nil
	}
}

// SetFaults replaces the server's faults, numbering API requests from 1
// again and forgetting earlier hits. With no argument it turns faults off.
// It is safe to call while requests are in flight: each request is planned
// under the server's lock when it arrives.
func (s *Server) SetFaults(faults ...Fault) error {
	fs, err := validateFaults(faults)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = faultState{faults: fs, hits: make([]int, len(fs))}
	return nil
}

// faultState is the server's faults and how far they have got. It is
// guarded by Server.mu.
type faultState struct {
	faults []Fault
	hits   []int
	seq    int // API requests planned so far
}

// faultPlan is what the faults do to one request.
type faultPlan struct {
	delay      time.Duration
	kind       FaultKind // "" when only latency, or nothing, hits the request
	hit        int       // the kind's hit number, from 1
	retryAfter time.Duration
	slow       time.Duration
}

// planLocked numbers an API request and decides which faults hit it.
func (fs *faultState) planLocked() faultPlan {
	var p faultPlan
	if len(fs.faults) == 0 {
		return p
	}
	fs.seq++
	for i, f := range fs.faults {
		if f.Every > 1 && fs.seq%f.Every != 0 || f.Count > 0 && fs.hits[i] >= f.Count {
			continue
		}
		if f.Kind == FaultLatency {
			fs.hits[i]++
			p.delay += f.Delay
			continue
		}
		if p.kind != "" {
			continue
		}
		fs.hits[i]++
		p.kind, p.hit, p.retryAfter, p.slow = f.Kind, fs.hits[i], f.RetryAfter, f.Delay
	}
	return p
}

// doesWork reports whether the plan lets the request change the state.
func (p faultPlan) doesWork() bool {
	switch p.kind {
	case "", FaultResetDuring, FaultTruncate, FaultSlowBody, FaultStall, FaultExtraItems:
		return true
	case FaultServerError:
		return p.hit%2 == 1
	}
	return false
}

// status is the HTTP status the plan's answer will have, or 0 when it sends
// none; answer is the work's own answer when the plan let it be done.
func (p faultPlan) status(answer *httptest.ResponseRecorder) int {
	switch p.kind {
	case FaultResetBefore, FaultHang:
		return 0
	case FaultRateLimit:
		return http.StatusTooManyRequests
	case FaultHTML502:
		return http.StatusBadGateway
	case FaultServerError:
		if answer == nil {
			return http.StatusServiceUnavailable
		}
		return http.StatusInternalServerError
	}
	return answer.Code
}

const html502 = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// serveFault answers an API request under a fault plan with a kind. rec is
// the answer the handler produced, when the plan let it do the work, and nil
// otherwise. It returns the status sent, 0 when none was.
func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, p faultPlan, rec *httptest.ResponseRecorder) int {
	switch {
	case p.kind == FaultRateLimit:
		var details map[string]any
		if p.retryAfter > 0 {
			secs := int(p.retryAfter / time.Second)
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			// As Zoho's 429 example in crm-oas (v8.0/apis) has them.
			details = map[string]any{"retry_after": secs, "trace_id": fmt.Sprintf("sandbox-%d", p.hit)}
		}
		writeJSON(w, http.StatusTooManyRequests, newError(http.StatusTooManyRequests, "TOO_MANY_REQUESTS", msgTooManyRequests, details))
		return http.StatusTooManyRequests
	case p.kind == FaultServerError && rec != nil:
		// The code of Zoho's OpenAPI files for a 500.
		writeJSON(w, http.StatusInternalServerError, newError(http.StatusInternalServerError, "INTERNAL_SERVER_ERROR", msgInternalError, nil))
		return http.StatusInternalServerError
	case p.kind == FaultServerError:
		w.Header().Set("Retry-After", "0")
		writeJSON(w, http.StatusServiceUnavailable, newError(http.StatusServiceUnavailable, "INTERNAL_ERROR", msgUnavailable, nil))
		return http.StatusServiceUnavailable
	case p.kind == FaultHTML502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte(html502))
		return http.StatusBadGateway
	case p.kind == FaultResetBefore:
		resetConn(w, nil)
		return 0
	case p.kind == FaultResetDuring:
		body := rec.Body.Bytes()
		resetConn(w, func(bw *bufio.Writer) {
			fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", rec.Code, http.StatusText(rec.Code))
			_ = rec.Header().Write(bw)
			fmt.Fprintf(bw, "Content-Length: %d\r\n\r\n", len(body))
			_, _ = bw.Write(body[:len(body)/2])
		})
		return rec.Code
	case p.kind == FaultTruncate:
		body := rec.Body.Bytes()
		body = body[:len(body)/2]
		copyHeader(w.Header(), rec.Header())
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body)
		return rec.Code
	case p.kind == FaultSlowBody:
		s.writeSlowly(w, r, rec, p.slow)
		return rec.Code
	case p.kind == FaultExtraItems:
		status, body := rec.Code, rec.Body.Bytes()
		if r.Method != http.MethodGet {
			// A read by id has the envelope's shape (`{"users":[one]}`)
			// but is not one.
			status, body = withExtraItems(status, body)
		}
		copyHeader(w.Header(), rec.Header())
		w.Header().Del("Content-Length")
		w.WriteHeader(status)
		_, _ = w.Write(body)
		return status
	case p.kind == FaultStall:
		body := rec.Body.Bytes()
		copyHeader(w.Header(), rec.Header())
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(body[:len(body)/2])
		_ = http.NewResponseController(w).Flush()
		s.untilGivenUp(r)
		return rec.Code
	}
	panic("zohoterritorytest: unhandled fault " + string(p.kind)) // validate keeps this unreachable
}

// writeSlowly sends rec's body in pieces spread over d. It stops early when
// the client goes away or the server closes.
func (s *Server) writeSlowly(w http.ResponseWriter, r *http.Request, rec *httptest.ResponseRecorder, d time.Duration) {
	body := rec.Body.Bytes()
	copyHeader(w.Header(), rec.Header())
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(rec.Code)
	const pieces = 10
	rc := http.NewResponseController(w)
	size := max(1, (len(body)+pieces-1)/pieces)
	n := (len(body) + size - 1) / size
	for i := 0; i < len(body); i += size {
		if !s.wait(r.Context(), d/time.Duration(n)) {
			return
		}
		if _, err := w.Write(body[i:min(i+size, len(body))]); err != nil {
			return
		}
		if rc.Flush() != nil {
			return
		}
	}
}

// withExtraItems adds two anonymous error items to a removal's envelope,
// as in Zoho's v7 sample; any other answer is returned as it is.
func withExtraItems(status int, body []byte) (int, []byte) {
	var env map[string][]json.RawMessage
	if json.Unmarshal(body, &env) != nil || len(env) != 1 {
		return status, body
	}
	for key, items := range env {
		if key != "users" && key != "territories" {
			return status, body
		}
		extra, _ := json.Marshal(item{Code: "INVALID_DATA", Details: itemDetails{}, Message: msgUserIsManager, Status: "error"})
		env[key] = append(items, extra, extra)
	}
	out, err := json.Marshal(env)
	if err != nil {
		return status, body
	}
	if status == http.StatusOK {
		status = http.StatusMultiStatus
	}
	return status, out
}

// untilGivenUp waits until the client closes the request's connection or
// the server closes, and reports whether the client did.
func (s *Server) untilGivenUp(r *http.Request) bool {
	select {
	case <-r.Context().Done():
		return true
	case <-s.closing:
		return false
	}
}

// wait sleeps for d on the server's own timer, and reports false when the
// server is closing or ctx ends first.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.closing:
		return false
	case <-ctx.Done():
		return false
	}
}

// resetConn takes the connection over, writes what write writes (if
// anything), and closes it with a TCP RST rather than an orderly FIN.
func resetConn(w http.ResponseWriter, write func(*bufio.Writer)) {
	conn, bufrw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// Not an HTTP/1 connection: abort the response, which also
		// breaks the connection.
		panic(http.ErrAbortHandler)
	}
	if write != nil {
		write(bufrw.Writer)
		_ = bufrw.Flush()
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func copyHeader(dst, src http.Header) {
	for k, vs := range src {
		dst[k] = slices.Clone(vs)
	}
}
