package zohoterritory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// answerKind is what one attempt's response turned out to be.
type answerKind int

const (
	// kindNoResponse: no response arrived; err is the transport's error.
	kindNoResponse answerKind = iota
	// kindUnreadable: a response whose body could not be read in full
	// (cut off, or longer than the limit); err says which.
	kindUnreadable
	// kindGarbled: a body that should be JSON and is not, such as one cut
	// off on the way with a matching Content-Length.
	kindGarbled
	// kindOK: a read's 200 with a JSON body, or its 204.
	kindOK
	// kindItems: a change's envelope of per-id results (200, 207 or 400;
	// 201 for a create of territories); items holds its entries.
	kindItems
	// kindNoEnvelope: a change's 200 or 207 whose JSON holds no envelope:
	// Zoho acted, but the answer says nothing readable about which ids.
	kindNoEnvelope
	// kindError: a request-level error; err is an [*APIError], or a
	// [*RateLimitError] for 429.
	kindError
)

// answer is one attempt's response, classified once, in one place.
type answer struct {
	kind answerKind
	resp *http.Response
	body []byte
	// sent says the request may have reached the server.
	sent  bool
	err   error
	items []wireItem
	// retryAfter is the wait the server asked for: the larger of the
	// Retry-After header and a 429's details.retry_after, uncapped.
	retryAfter time.Duration
}

// apiError returns the answer's request-level error, if it is one.
func (a answer) apiError() *APIError {
	var e *APIError
	if errors.As(a.err, &e) {
		return e
	}
	return nil
}

// refused reports whether the server said that nothing was done: any 4xx,
// whatever became of its body. 400 is also Zoho's status when every id of a
// change failed.
func (a answer) refused() bool {
	return a.resp != nil && a.resp.StatusCode >= 400 && a.resp.StatusCode < 500
}

// wireItem is one entry of Zoho's envelope, read in a single pass with the
// fields the spec's two item shapes (zohoapi.SuccessItem and
// zohoapi.ErrorItem) share. The generated union type would parse each
// entry three more times and accepts any shape in every AsX method; here
// the status decides what an entry is, and an entry with an unknown status
// is kept as Unknown rather than guessed.
type wireItem struct {
	Code    string `json:"code"`
	Details struct {
		ID       wireID `json:"id"`
		JSONPath string `json:"json_path"`
		// ResourcePathIndex marks an error about the request's URL,
		// which Zoho sometimes puts in the envelope.
		ResourcePathIndex *int `json:"resource_path_index"`
	} `json:"details"`
	Message string `json:"message"`
	Status  string `json:"status"`
}

// classify reads one attempt of cl: the response (nil when none arrived),
// its body, and the error of sending it or of reading the body. A read
// (cl.envelopeKey "") wants a 200 or a 204; a change wants its envelope
// ("users" or "territories") in a 200, 207 or 400, or in a 201 when it
// creates (cl.creates).
func (c *Client) classify(cl *call, resp *http.Response, body []byte, err error, sent bool) answer {
	op, envelopeKey := cl.op, cl.envelopeKey
	a := answer{resp: resp, body: body, sent: sent}
	if resp == nil {
		a.kind, a.err = kindNoResponse, fmt.Errorf("%s: %w", op, withoutQuery(err))
		return a
	}
	status := resp.StatusCode
	if err != nil {
		a.kind = kindUnreadable
		a.err = &APIError{Operation: op, StatusCode: status, Response: resp, Body: body, Err: fmt.Errorf("read body: %w", err)}
		return a
	}
	if envelopeKey == "" {
		switch {
		case status == http.StatusNoContent:
			a.kind = kindOK
			return a
		case status == http.StatusOK && !json.Valid(body):
			a.kind = kindGarbled
			a.err = &APIError{Operation: op, StatusCode: status, Response: resp, Body: body, Err: errors.New("decode body: not JSON")}
			return a
		case status == http.StatusOK:
			a.kind = kindOK
			return a
		case status == http.StatusBadRequest && isJSONContent(resp) && !json.Valid(body):
			// A cut-off JSON 400 hides why; asking again is safe.
			a.kind = kindGarbled
			a.err = &APIError{Operation: op, StatusCode: status, Response: resp, Body: body, Err: errors.New("decode body: not JSON")}
			return a
		}
		return c.requestError(op, a)
	}

	switch {
	case status == http.StatusOK, status == http.StatusMultiStatus, status == http.StatusBadRequest:
	case status == http.StatusCreated && cl.creates:
	default:
		return c.requestError(op, a)
	}
	items, found, derr := decodeEnvelope(body, envelopeKey)
	switch {
	case derr == nil && found:
		a.kind, a.items = kindItems, items
		return a
	case isGarbled(derr) && (status != http.StatusBadRequest || isJSONContent(resp)):
		// Cut off or garbled on the way: for a 200 or 207 Zoho acted; a
		// 400 says nothing was done. Either way asking again tells.
		a.kind = kindGarbled
		a.err = &APIError{Operation: op, StatusCode: status, Response: resp, Body: body, Err: fmt.Errorf("decode body: %w", derr)}
		return a
	case status == http.StatusBadRequest:
		return c.requestError(op, a)
	}
	if derr == nil {
		derr = fmt.Errorf("no %q envelope in the body", envelopeKey)
	}
	a.kind = kindNoEnvelope
	a.err = &APIError{Operation: op, StatusCode: status, Response: resp, Body: body, Err: fmt.Errorf("decode body: %w", derr)}
	return a
}

// decodeEnvelope reads the entries under key. found is false when the body
// is JSON without that key (a top-level error object).
//
// The body is decoded once, straight into the items: only code,
// details.id, details.json_path, details.resource_path_index, message and
// status are kept, and everything else (other keys, other details) is
// skipped by the decoder without being built.
func decodeEnvelope(body []byte, key string) (items []wireItem, found bool, err error) {
	var dst *[]wireItem
	switch key {
	case "users":
		var env struct {
			Items *[]wireItem `json:"users"`
		}
		err, dst = json.Unmarshal(body, &env), env.Items
	case "territories":
		var env struct {
			Items *[]wireItem `json:"territories"`
		}
		err, dst = json.Unmarshal(body, &env), env.Items
	default:
		return nil, false, fmt.Errorf("no envelope key %q", key)
	}
	if err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return nil, false, fmt.Errorf("%s: %w", key, err)
		}
		return nil, false, err
	}
	if dst == nil {
		return nil, false, nil
	}
	return *dst, true, nil
}

// requestError fills the answer from a top-level Zoho error object, or
// describes what came in its place: an [*APIError], or a
// [*RateLimitError] for 429.
func (c *Client) requestError(op string, a answer) answer {
	a.kind = kindError
	status := a.resp.StatusCode
	apiErr := &APIError{Operation: op, StatusCode: status, Response: a.resp, Body: a.body}
	// Read loosely, not as zohoapi.Error: a detail of an unexpected
	// type (a retry_after sent as a string) must not hide the code.
	var zerr struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	}
	if err := json.Unmarshal(a.body, &zerr); err == nil && zerr.Code != "" {
		apiErr.Code, apiErr.Message, apiErr.Details = zerr.Code, zerr.Message, zerr.Details
	} else {
		apiErr.Message = describeBody(a.resp, a.body)
		if err != nil && len(a.body) > 0 && isJSONContent(a.resp) {
			apiErr.Err = fmt.Errorf("decode body: %w", err)
		}
	}
	a.retryAfter = parseRetryAfter(a.resp.Header, c.now())
	if status == http.StatusTooManyRequests {
		a.retryAfter = max(a.retryAfter, detailsRetryAfter(apiErr.Details))
		a.err = &RateLimitError{APIError: apiErr, RetryAfter: a.retryAfter}
		return a
	}
	a.err = apiErr
	return a
}

// retryable says whether an attempt's answer may pass on a second try.
func (a answer) retryable() (retry bool, why string) {
	switch a.kind {
	case kindNoResponse:
		var authErr *AuthError
		switch {
		case errors.As(a.err, &authErr), errors.Is(a.err, context.Canceled):
			return false, ""
		case !a.sent && !isDialError(a.err):
			return false, "" // the request could not even be built
		}
		return true, a.err.Error()
	case kindUnreadable:
		// The server acted, but what it did is unknown. A too-long body
		// will not shrink.
		if errors.Is(a.err, ErrBodyTooLarge) {
			return false, ""
		}
		return true, a.err.Error()
	case kindGarbled:
		return true, a.resp.Status + " with a body that is not JSON"
	case kindError:
		status := a.resp.StatusCode
		e := a.apiError()
		code, _ := lookupCode(e.Code)
		if status == http.StatusTooManyRequests || status >= 500 || code.retryable {
			return true, a.resp.Status
		}
	}
	return false, ""
}

// isGarbled reports whether a decode error means the body is not JSON at
// all (cut off or garbled), rather than JSON of an unexpected shape.
func isGarbled(decodeErr error) bool {
	var syntaxErr *json.SyntaxError
	return errors.As(decodeErr, &syntaxErr) || errors.Is(decodeErr, io.ErrUnexpectedEOF)
}

// detailsRetryAfter reads Zoho's details.retry_after, in seconds, as its
// 429 example in crm-oas carries it (with limit, window and trace_id).
func detailsRetryAfter(details map[string]any) time.Duration {
	var secs float64
	switch v := details["retry_after"].(type) {
	case float64:
		secs = v
	case string:
		secs, _ = strconv.ParseFloat(v, 64)
	}
	if secs <= 0 || secs > float64(24*time.Hour/time.Second) {
		return 0
	}
	return time.Duration(secs * float64(time.Second))
}

// parseRetryAfter reads a Retry-After header, in seconds or as an HTTP date,
// relative to now. It returns 0 when the header is absent or unreadable.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

func isJSONContent(resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	return ct == "" || strings.HasPrefix(ct, "application/json")
}

// describeBody says what came back when it was not a Zoho error object,
// without echoing a whole page.
func describeBody(resp *http.Response, body []byte) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		ct = "no content type"
	}
	if len(body) == 0 {
		return fmt.Sprintf("%s with an empty body", resp.Status)
	}
	return fmt.Sprintf("%s with a body that is not a Zoho error (%s, %d bytes)", resp.Status, ct, len(body))
}

// withoutQuery drops the query from the URL a transport error quotes: it
// holds up to 100 ids, which would make one lost connection a screenful.
func withoutQuery(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) || !strings.Contains(ue.URL, "?") {
		return err
	}
	bare, _, _ := strings.Cut(ue.URL, "?")
	return &url.Error{Op: ue.Op, URL: bare, Err: ue.Err}
}
