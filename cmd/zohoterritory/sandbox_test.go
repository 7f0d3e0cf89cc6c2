package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
)

// serving is a `sandbox serve` run in-process.
type serving struct {
	env    map[string]string // what it printed, parsed
	lines  []string          // what it printed, as printed
	stderr *testkit.SyncBuffer
	stop   chan struct{}
	done   chan struct{} // closed when it has returned
	code   int
	once   sync.Once
}

// serve starts `sandbox serve --addr 127.0.0.1:0 args...` and returns once
// it has printed its environment.
func serve(t *testing.T, args ...string) *serving {
	t.Helper()
	pr, pw := io.Pipe()
	s := &serving{env: map[string]string{}, stderr: &testkit.SyncBuffer{}, stop: make(chan struct{}), done: make(chan struct{})}
	streams := &cmdutil.IOStreams{In: strings.NewReader(""), Out: pw, Err: s.stderr}
	go func() {
		s.code = run(t.Context(), append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, args...), streams, func(string) string { return "" }, s.stop)
		pw.Close()
		close(s.done)
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		line := sc.Text()
		s.lines = append(s.lines, line)
		if k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "="); ok && strings.HasPrefix(line, "export ") {
			s.env[k] = strings.Trim(v, "'")
		}
		if _, tok := s.env["ZOHO_ACCESS_TOKEN"]; tok {
			break
		}
		if _, rt := s.env["ZOHO_REFRESH_TOKEN"]; rt {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	t.Cleanup(func() { s.shutdown() })
	require.NotEmpty(t, s.env, "stderr: %s", s.stderr.String())
	return s
}

// shutdown stops the server as the first Ctrl-C does and returns its exit
// code.
func (s *serving) shutdown() int {
	s.once.Do(func() { close(s.stop) })
	<-s.done
	return s.code
}

// TestSandboxServe: serve prints one set of variables, in a form a shell
// runs as printed, that works for every command; the refresh flow prints
// the other set. Every line is `export K='V'` or an `unset` of the other
// set, so that a shell that had both ends with one.
func TestSandboxServe(t *testing.T) {
	t.Parallel()
	s := serve(t)
	require.Len(t, s.lines, 3)
	assert.Regexp(t, `^export ZOHO_API_DOMAIN='http://127\.0\.0\.1:\d+'$`, s.lines[0])
	assert.Equal(t, "unset ZOHO_ACCOUNTS_URL ZOHO_CLIENT_ID ZOHO_CLIENT_SECRET ZOHO_REFRESH_TOKEN", s.lines[1])
	assert.Regexp(t, `^export ZOHO_ACCESS_TOKEN='1000\.[0-9a-f]+\.[0-9a-f]+'$`, s.lines[2])
	out := runCLI(t, s.env, "", "remove-users", "-t", northAmerica, chloe)
	require.Equal(t, 0, out.code, out.stderr)
	out = runCLI(t, s.env, "", "list-users", "-t", northAmerica, "-o", "json")
	require.Equal(t, 0, out.code, out.stderr)
	assert.NotContains(t, out.stdout, chloe)
	assert.Equal(t, 0, s.shutdown())
	assert.Contains(t, s.stderr.String(), "sandbox listening on http://127.0.0.1:")
	assert.Contains(t, s.stderr.String(), "sandbox stopped after 2 requests: 2 API calls, 0 answered 429 over the concurrency limit, at most 1 in flight\n")

	r := serve(t, "--refresh-flow")
	require.Len(t, r.lines, 7)
	assert.Equal(t, "unset ZOHO_ACCESS_TOKEN", r.lines[1])
	assert.Regexp(t, `^export ZOHO_REFRESH_TOKEN=`, r.lines[6], "last, so that a reader knows the server is ready")
	for _, k := range []string{"ZOHO_API_DOMAIN", "ZOHO_ACCOUNTS_URL", "ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET", "ZOHO_GRANT_CODE", "ZOHO_REFRESH_TOKEN"} {
		assert.NotEmpty(t, r.env[k], k)
	}
	out = runCLI(t, r.env, "", "remove-territories", "-u", chloe, westCoast)
	require.Equal(t, 0, out.code, out.stderr)
	for _, secret := range []string{r.env["ZOHO_CLIENT_SECRET"], r.env["ZOHO_REFRESH_TOKEN"]} {
		assert.NotContains(t, out.stdout+out.stderr, secret)
	}
}

// TestSandboxServeFlags: a seed file and the fault flags take effect and
// are reported; bad values are refused, naming the flag.
func TestSandboxServeFlags(t *testing.T) {
	t.Parallel()
	seed := filepath.Join(t.TempDir(), "org.yaml")
	require.NoError(t, os.WriteFile(seed, []byte(`users: [{id: "1"}, {id: "2"}]
territories: [{id: "10", manager_id: "1", members: ["2"]}]
caller_id: "1"
`), 0o600))
	s := serve(t, "--seed", seed, "--fail-429", "1", "--retry-after", "1", "--fail-5xx", "1", "--fault-every", "1")
	assert.Contains(t, s.stderr.String(), "faults: rate_limit on 1 requests (Retry-After 1); server_error on 1 requests\n")
	out := runCLI(t, s.env, "", "remove-users", "-t", "10", "2", "--max-delay", "1ms")
	require.Equal(t, 0, out.code, out.stderr)
	r := decode(t, out.stdout)
	assert.Equal(t, []string{"2"}, r.Removed)
	assert.Equal(t, []string{"2"}, r.Inferred, "the 500 had removed it")
	assert.Contains(t, out.stderr, "retrying removeUserFromTerritory in 1ms after attempt 1: 429 Too Many Requests")

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--fault-every", "0"}, "--fault-every 0: must be at least 1"},
		{[]string{"--concurrency-limit", "-1"}, "--concurrency-limit -1: must not be negative"},
		{[]string{"--territory-limit", "0"}, "--territory-limit 0: must be at least 1"},
		{[]string{"--retry-after", "5"}, "--retry-after needs --fail-429"},
		{[]string{"--latency", "1h"}, "--latency 1h0m0s: must be between 0 and 30s"},
		{[]string{"--seed", "nope.yaml"}, "seed file: open nope.yaml: no such file or directory"},
		{[]string{"--addr", "0.0.0.0:0"}, "is not a loopback address; the sandbox listens on loopback only unless remote access is asked for (--allow-remote)"},
		{[]string{"extra"}, `unknown command "extra" for "zohoterritory sandbox serve"`},
	} {
		out := runCLI(t, nil, "", append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, tt.args...)...)
		assert.Equal(t, 1, out.code, tt.args)
		assert.Contains(t, out.stderr, tt.want)
		assert.Empty(t, out.stdout)
	}
}

// TestSandboxServeRemote: --allow-remote listens beyond loopback and still
// tells a local client the loopback URL.
func TestSandboxServeRemote(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	stop := make(chan struct{})
	done := make(chan int, 1)
	go func() {
		done <- run(t.Context(), []string{"sandbox", "serve", "--addr", "0.0.0.0:0", "--allow-remote"},
			&cmdutil.IOStreams{In: strings.NewReader(""), Out: pw, Err: io.Discard}, func(string) string { return "" }, stop)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	assert.Regexp(t, `^export ZOHO_API_DOMAIN='http://127\.0\.0\.1:\d+'\n$`, line)
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	close(stop)
	assert.Equal(t, 0, <-done)
}

// TestSandboxServeTerritoryLimit: --territory-limit caps the org's
// territories: the built-in org has six, so a seventh is refused with
// Zoho's LIMIT_EXCEEDED naming the limit.
func TestSandboxServeTerritoryLimit(t *testing.T) {
	t.Parallel()
	s := serve(t, "--territory-limit", "6")
	create := func() (int, string) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.env["ZOHO_API_DOMAIN"]+"/crm/v8/settings/territories",
			strings.NewReader(`{"territories":[{"name":"Pacific","reporting_to":{"id":"5725767000000452001"},"permission_type":"read_only"}]}`))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Zoho-oauthtoken "+s.env["ZOHO_ACCESS_TOKEN"])
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(body)
	}
	status, body := create()
	assert.Equal(t, http.StatusBadRequest, status)
	assert.JSONEq(t, `{"territories":[{"code":"LIMIT_EXCEEDED","details":{"limit":6},"message":"Territory Limit reached","status":"error"}]}`, body)
}
