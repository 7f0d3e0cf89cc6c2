package zohoterritory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The seed corpora are in testdata/fuzz/<FuzzName>/; `go test` runs them as
// regression cases, and `go test -fuzz '^FuzzCheckIDs$'` (or
// FuzzDecodeResponse) explores from them.

// FuzzCheckIDs: checkIDs never panics; it accepts exactly the lists whose
// every entry is 1 to 19 ASCII digits, returns them with repeats dropped in
// first-seen order, and otherwise names the first bad entry; batches then
// splits the accepted ids within both limits without losing or reordering
// any.
func FuzzCheckIDs(f *testing.F) {
	for _, s := range []string{"1", "5725767000000452115,5725767000000454003", "1,1,2,1", "", ",", "12x",
		"1234567890123456789", "12345678901234567890", "٣", "1\x00", " 1", "-1", "+1", "1e3"} {
		f.Add(s, uint8(100))
	}
	f.Fuzz(func(t *testing.T, raw string, size uint8) {
		ids := strings.Split(raw, ",")
		out, err := checkIDs("ids", ids)

		bad := -1
		for i, id := range ids {
			if !isRecordIDForTest(id) {
				bad = i
				break
			}
		}
		if bad >= 0 {
			var e *InvalidIDError
			if !errors.As(err, &e) {
				t.Fatalf("%q: entry %d is bad, got %v", raw, bad, err)
			}
			if want := fmt.Sprintf("ids[%d]", bad); e.Arg != want || e.ID != ids[bad] {
				t.Fatalf("%q: error names %s %q, want %s %q", raw, e.Arg, e.ID, want, ids[bad])
			}
			if !strings.Contains(err.Error(), e.Arg) || e.Rule == "" {
				t.Fatalf("%q: error %q lacks the argument or the rule", raw, err)
			}
			if out != nil {
				t.Fatalf("%q: ids returned with an error", raw)
			}
			return
		}
		if err != nil {
			t.Fatalf("%q: every entry is a record id, got %v", raw, err)
		}
		var want []string
		seen := map[string]bool{}
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				want = append(want, id)
			}
		}
		if fmt.Sprint(out) != fmt.Sprint(want) || len(out) != len(want) {
			t.Fatalf("%q: got %q, want %q", raw, out, want)
		}

		n := int(size%MaxBatchSize) + 1
		l := BatchLimits{IDs: n, Chars: maxIDLen + int(size)*7}
		var joined []string
		for _, b := range batches(out, l) {
			if len(b) == 0 || len(b) > n {
				t.Fatalf("batch of %d with size %d", len(b), n)
			}
			if chars := len(strings.Join(b, ",")); chars > l.Chars {
				t.Fatalf("batch of %d characters, over %d", chars, l.Chars)
			}
			joined = append(joined, b...)
		}
		if fmt.Sprint(joined) != fmt.Sprint(out) {
			t.Fatalf("batches(%q, %d) lost or reordered ids: %q", out, n, joined)
		}
	})
}

// isRecordIDForTest is the rule, written out again independently of checkID.
func isRecordIDForTest(s string) bool {
	if len(s) < 1 || len(s) > 19 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// fixedAnswer is a transport that answers every request with the same
// status, content type and body, without a network.
type fixedAnswer struct {
	status      int
	contentType string
	body        []byte
}

func (a fixedAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	h := http.Header{}
	if a.contentType != "" {
		h.Set("Content-Type", a.contentType)
	}
	return &http.Response{
		StatusCode: a.status, Status: fmt.Sprintf("%d %s", a.status, http.StatusText(a.status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(bytes.NewReader(a.body)), ContentLength: int64(len(a.body)), Request: req,
	}, nil
}

var fuzzContentTypes = []string{"application/json", "", "text/html", "application/json;charset=UTF-8", "text/plain"}

// FuzzDecodeResponse sends a removal through the whole client (auth
// transport, body limit, retries, classification, matching) against a
// transport that answers any status with any body, twice. It never panics;
// every id ends with exactly one outcome, in order; an id is reported
// removed only from an envelope with a success item; a failure has a
// reason; and any error names the operation and the status.
func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []struct {
		status int
		body   string
	}{
		{200, `{"users":[{"code":"SUCCESS","details":{"id":"11"},"message":"ok","status":"success"}]}`},
		{207, `{"territories":[{"code":"SUCCESS","details":{"id":"11"},"message":"ok","status":"success"},{"code":"INVALID_DATA","details":{},"message":"The territory ID is not linked with the specified user","status":"error"}]}`},
		{400, `{"users":[{"code":"INVALID_DATA","details":{},"message":"The user is not a member of this territory.","status":"error"}]}`},
		{400, `{"code":"INVALID_DATA","details":{"resource_path_index":2},"message":"Invalid Territory Id","status":"error"}`},
		{401, `{"code":"INVALID_TOKEN","details":{},"message":"invalid oauth token","status":"error"}`},
		{429, `{"code":"TOO_MANY_REQUESTS","details":{},"message":"slow down","status":"error"}`},
		{500, `{"code":"INTERNAL_ERROR","details":{},"message":"","status":"error"}`},
		{502, `<html>Bad Gateway</html>`},
		{200, `{"users":[{"code":"SUCC`},
		{200, `{"users":[[{"code":"SUCCESS","details":{"id":"11"},"message":"ok","status":"success"}]]}`},
		{200, `{"users":null}`},
		{204, ``},
	} {
		f.Add(s.status, uint8(0), []byte(s.body), uint8(1), true)
	}
	f.Fuzz(func(t *testing.T, status int, ct uint8, body []byte, n uint8, users bool) {
		if status < 0 {
			status = -status
		}
		status = 100 + status%500
		if status == http.StatusSwitchingProtocols {
			status = http.StatusOK // http.Client rejects a 101 without a body to upgrade
		}
		ids := []string{"11", "22", "33", "44", "55"}[:1+int(n)%5]
		c, err := New(WithAccessToken("fuzz-token"), WithAPIDomain("http://127.0.0.1:1"),
			WithHTTPClient(&http.Client{Transport: fixedAnswer{status, fuzzContentTypes[int(ct)%len(fuzzContentTypes)], body}}),
			WithRetryPolicy(RetryPolicy{MaxAttempts: 2, AttemptTimeout: 5 * time.Second}), WithMaxResponseBytes(4096))
		if err != nil {
			t.Fatal(err)
		}
		c.sleep = func(ctx context.Context, _ time.Duration) error { return ctx.Err() }

		e := removeTerritories
		if users {
			e = removeUsers
		}
		res, err := c.change(t.Context(), e, Change{Owner: "9", IDs: ids}, nil)
		op := e.opName(len(ids))

		if res == nil || len(res.Items) != len(ids) {
			t.Fatalf("status %d: result %+v does not account for %d ids (err %v)", status, res, len(ids), err)
		}
		for i, it := range res.Items {
			if it.ID != ids[i] {
				t.Fatalf("item %d is %s, want %s", i, it.ID, ids[i])
			}
			switch it.Outcome {
			case Removed:
				if status != 200 && status != 207 && status != 400 || !bytes.Contains(body, []byte("success")) {
					t.Fatalf("status %d: %s reported removed from %q", status, it.ID, body)
				}
				if it.Inferred {
					t.Fatalf("%s inferred removed although no attempt was uncertain", it.ID)
				}
			case Failed:
				if it.Reason == "" {
					t.Fatalf("%s failed without a reason", it.ID)
				}
			case Unknown:
			default:
				t.Fatalf("%s: outcome %d", it.ID, it.Outcome)
			}
			if status == http.StatusTooManyRequests && (it.Outcome != Failed || it.Reason != ReasonRateLimited) {
				t.Fatalf("429: %s is %v/%s, want failed rate_limited", it.ID, it.Outcome, it.Reason)
			}
			if status >= 500 && it.Outcome != Unknown {
				t.Fatalf("%d: %s is %v, want unknown", status, it.ID, it.Outcome)
			}
		}
		if err == nil {
			return
		}
		var apiErr *APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("status %d: error %q (%T) is not an *APIError", status, err, err)
		}
		if prefix := fmt.Sprintf("%s: %d", op, status); apiErr.Operation != op || apiErr.StatusCode != status || !strings.HasPrefix(err.Error(), prefix) {
			t.Fatalf("error %q does not start with %q", err, prefix)
		}
	})
}
