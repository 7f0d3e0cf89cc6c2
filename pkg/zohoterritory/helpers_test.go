package zohoterritory

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// prefix is where each test's fake Zoho is mounted, so that a URL joined
// without the base path fails loudly (go-github's setup).
const prefix = "/zoho-prefix"

// recorded is one request a fake server received.
type recorded struct {
	Method, Path, RawQuery, Auth, UserAgent string
}

// fake is a test's own Zoho stand-in: an httptest server that records every
// request and answers with the test's handler.
type fake struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []recorded
}

func (f *fake) requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.reqs...)
}

// sleeps records the waits a client asked for, without waiting.
type sleeps struct {
	mu sync.Mutex
	ds []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.ds = append(s.ds, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.ds...)
}

// setup starts a fake Zoho answering with h and returns a client pointed
// at it (static token "test-token" unless opts give other credentials),
// whose waits are recorded instead of slept.
func setup(t *testing.T, h http.HandlerFunc, opts ...Option) (*Client, *fake, *sleeps) {
	t.Helper()
	f := &fake{}
	mux := http.NewServeMux()
	mux.Handle(prefix+"/", http.StripPrefix(prefix, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, recorded{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
			Auth: r.Header.Get("Authorization"), UserAgent: r.Header.Get("User-Agent")})
		f.mu.Unlock()
		h(w, r)
	})))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the API prefix: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)

	all := []Option{WithAPIDomain(f.srv.URL + prefix)}
	hasAuth := false
	for _, o := range opts {
		var s settings
		_ = o(&s)
		if len(s.auth) > 0 {
			hasAuth = true
		}
	}
	if !hasAuth {
		all = append(all, WithAccessToken("test-token"))
	}
	all = append(all, opts...)
	c, err := New(all...)
	require.NoError(t, err)
	sl := &sleeps{}
	c.sleep = sl.sleep
	c.rnd = func() float64 { return 0.5 }
	return c, f, sl
}

// writeJSON answers with status and body encoded as JSON.
func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func success(id string) map[string]any {
	return map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "Territory removed from the user successfully", "status": "success"}
}

func errorItem(message string) map[string]any {
	return map[string]any{"code": "INVALID_DATA", "details": map[string]any{}, "message": message, "status": "error"}
}

func zohoError(code, message string) map[string]any {
	return map[string]any{"code": code, "details": map[string]any{}, "message": message, "status": "error"}
}

// idsOf returns the ids a request names: the `ids` query, else the last
// path segment.
func idsOf(r *http.Request) []string {
	if q := r.URL.Query().Get("ids"); q != "" {
		return strings.Split(q, ",")
	}
	parts := strings.Split(r.URL.Path, "/")
	return parts[len(parts)-1:]
}

// allRemoved answers every id with a success item in the given envelope.
func allRemoved(key string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var items []any
		for _, id := range idsOf(r) {
			items = append(items, success(id))
		}
		writeJSON(w, http.StatusOK, map[string]any{key: items})
	}
}

func numberedIDs(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("57257670000%08d", i+1)
	}
	return ids
}

// assertNoSecret fails when s contains any of the secrets.
func assertNoSecret(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		assert.NotContains(t, s, sec, "a secret leaked")
	}
}

var errContextCanceled = context.Canceled

func contextWithCancel(t *testing.T) (context.Context, context.CancelFunc) {
	return context.WithCancel(t.Context())
}

func httpTestServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// memTransport serves requests with h in memory, with no network, so that
// a test can run in a testing/synctest bubble, whose fake clock advances
// only when every goroutine waits: an attempt timeout of an hour then
// takes no time at all. Each request runs h in a goroutine of its own;
// RoundTrip returns once h has answered, or with the context's error once
// the request's context ends (a handler that never answers should wait
// for that context too).
type memTransport struct{ h http.HandlerFunc }

func (tr memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	done := make(chan *http.Response, 1)
	go func() {
		rec := httptest.NewRecorder()
		tr.h(rec, r)
		resp := rec.Result()
		resp.Request = r
		done <- resp
	}()
	select {
	case resp := <-done:
		return resp, nil
	case <-r.Context().Done():
		return nil, r.Context().Err()
	}
}

// memClient returns a client whose requests go to h in memory (see
// memTransport), with a static token unless opts give other credentials,
// and the number of API requests h has seen.
func memClient(t *testing.T, h http.HandlerFunc, opts ...Option) (*Client, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	counted := func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		h(w, r)
	}
	all := []Option{WithAPIDomain("http://127.0.0.1:1"), WithHTTPClient(&http.Client{Transport: memTransport{counted}})}
	hasAuth := false
	for _, o := range opts {
		var s settings
		_ = o(&s)
		hasAuth = hasAuth || len(s.auth) > 0
	}
	if !hasAuth {
		all = append(all, WithAccessToken("test-token"))
	}
	c, err := New(append(all, opts...)...)
	require.NoError(t, err)
	return c, &n
}
