package main

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
)

type result struct {
	stdout, stderr string
	code           int
}

func runCmd(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(t.Context(), args, &cmdutil.IOStreams{In: strings.NewReader(""), Out: &out, Err: &errb}, nil)
	return result{out.String(), errb.String(), code}
}

func TestValidateContractCases(t *testing.T) {
	t.Parallel()
	out := runCmd(t, "validate", "../../contracttests/testdata")
	require.Equal(t, 0, out.code, out.stdout+out.stderr)
	lines := strings.Split(strings.TrimSpace(out.stdout), "\n")
	require.Greater(t, len(lines), 30)
	for _, l := range lines[:len(lines)-1] {
		assert.Regexp(t, `^PASS \S+ ((?:remove|list|get|add|create|update|delete|transferAndDelete)\w+) \d{3} response: kin-openapi=pass libopenapi-validator=pass$`, l)
	}
	assert.Regexp(t, `^\d+ passed, 0 failed$`, lines[len(lines)-1])
}

func TestValidateHAR(t *testing.T) {
	t.Parallel()
	out := runCmd(t, "validate", "--requests", "testdata/traffic.har")
	require.Equal(t, 0, out.code, out.stdout+out.stderr)
	assert.Equal(t, "PASS traffic.har#1 removeTerritoriesFromUser 200 response: kin-openapi=pass libopenapi-validator=pass request: kin-openapi=pass libopenapi-validator=pass\n"+
		"PASS traffic.har#2 removeUserFromTerritory 400 response: kin-openapi=pass libopenapi-validator=pass request: kin-openapi=pass libopenapi-validator=pass\n"+
		// An add as Zoho's Python SDK sends it: a number for the id, and
		// no Content-Type (read as JSON, as Zoho reads it).
		"PASS traffic.har#3 addUsersToTerritory 200 response: kin-openapi=pass libopenapi-validator=pass request: kin-openapi=pass libopenapi-validator=pass\n"+
		"3 passed, 0 failed\n", out.stdout)

	out = runCmd(t, "validate", "--requests", "testdata/bad.har")
	assert.Equal(t, 2, out.code)
	assert.Contains(t, out.stdout, "FAIL bad.har#1 removeTerritoriesFromUser 200 response: kin-openapi=fail libopenapi-validator=fail")
	assert.Contains(t, out.stdout, "FAIL bad.har#2 removeTerritoriesFromUser 418 response: kin-openapi=fail libopenapi-validator=fail request: kin-openapi=fail")
	assert.Contains(t, out.stdout, "0 passed, 2 failed")
	assert.Equal(t, "zohoterritory-contract: validate: 2 of 2 exchanges break the contract\n", out.stderr)
}

// TestValidateBrowserHAR: a browser's HAR holds other hosts, assets and
// unanswered requests beside the API's calls; those are skipped and
// counted, the calls are checked.
func TestValidateBrowserHAR(t *testing.T) {
	t.Parallel()
	const (
		pass = "PASS browser.har#4 removeTerritoriesFromUser 200 response: kin-openapi=pass libopenapi-validator=pass\n"
		fail = "FAIL browser.har#5 listTerritoriesOfUser 200 response: kin-openapi=fail libopenapi-validator=fail\n"
		tail = "skipped 5 entries that are not operations of the spec\n1 passed, 1 failed\n"
	)
	for _, tt := range []struct {
		args []string
		want []string
		not  string
	}{
		{[]string{"validate", "testdata/browser.har"}, []string{pass, fail, tail}, ""},
		{[]string{"validate", "--only-failures", "testdata/browser.har"}, []string{fail, tail}, "PASS"},
	} {
		out := runCmd(t, tt.args...)
		assert.Equal(t, 2, out.code, out.stdout+out.stderr)
		for _, w := range tt.want {
			assert.Contains(t, out.stdout, w, tt.args)
		}
		assert.True(t, strings.HasSuffix(out.stdout, tail), out.stdout)
		if tt.not != "" {
			assert.NotContains(t, out.stdout, tt.not)
		}
		assert.Equal(t, "zohoterritory-contract: validate: 1 of 2 exchanges break the contract\n", out.stderr)
	}

	out := runCmd(t, "validate", "--only-failures", "testdata/traffic.har")
	assert.Equal(t, 0, out.code)
	assert.Equal(t, "3 passed, 0 failed\n", out.stdout)

	out = runCmd(t, "validate", "testdata/assets.har")
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "skipped 1 entries that are not operations of the spec\n", out.stdout)
	assert.Equal(t, "zohoterritory-contract: validate: no operation of the spec in testdata/assets.har\n", out.stderr)
}

func TestValidateBadInput(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"validate"}, "no files given"},
		{[]string{"validate", "testdata/missing.har"}, "missing.har"},
		{[]string{"validate", "main.go"}, "not JSON"},
		{[]string{"valdate", "x"}, "Did you mean this?\n\tvalidate"},
	} {
		out := runCmd(t, tt.args...)
		assert.Equal(t, 1, out.code, tt.args)
		assert.Contains(t, out.stderr, tt.want)
	}
}

// TestContractSandbox: the contract command's sandbox checks every request
// and answer; a request the spec refuses is listed when it stops, and it
// exits 2.
func TestContractSandbox(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	stop := make(chan struct{})
	var errb testkit.SyncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(t.Context(), []string{"sandbox", "serve", "--addr", "127.0.0.1:0"},
			&cmdutil.IOStreams{In: strings.NewReader(""), Out: pw, Err: &errb}, stop)
		pw.Close()
	}()
	env := map[string]string{}
	sc := bufio.NewScanner(pr)
	for len(env) < 2 && sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok {
			env[k] = strings.Trim(v, "'")
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	// What Zoho's SDKs send keeps the contract: a bulk add whose body has
	// no Content-Type (and, from the Python SDK, ids as JSON numbers), and
	// the read of the org they make as they start.
	for _, c := range []struct{ method, path, body string }{
		{http.MethodPut, "/crm/v8/settings/territories/5725767000000452004/users", `{"users":[{"id":5725767000000411005}]}`},
		{http.MethodGet, "/crm/v8/org", ""},
	} {
		req, err := http.NewRequestWithContext(t.Context(), c.method, env["ZOHO_API_DOMAIN"]+c.path, strings.NewReader(c.body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Zoho-oauthtoken "+env["ZOHO_ACCESS_TOKEN"])
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode, c.path)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, env["ZOHO_API_DOMAIN"]+"/crm/v7/settings/territories/5725767000000452002/users?ids=abc", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Zoho-oauthtoken "+env["ZOHO_ACCESS_TOKEN"])
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	close(stop)
	assert.Equal(t, 2, <-done)
	assert.Contains(t, errb.String(), "request contract violation: DELETE /crm/v7/settings/territories/5725767000000452002/users?ids=abc: removeUsersFromTerritory: kin-openapi: ")
	assert.Contains(t, errb.String(), "zohoterritory-contract: sandbox serve: 1 requests and 0 responses broke the contract\n")
}

// TestValidateHARRequestBodies: a HAR entry's postData is the request's
// body, validated with it (a body without a Content-Type is JSON, as
// Zoho's SDKs send it).
func TestValidateHARRequestBodies(t *testing.T) {
	t.Parallel()
	entry := func(body string) string {
		return `{"request":{"method":"POST","url":"http://127.0.0.1:8080/crm/v8/settings/territories",
			"headers":[{"name":"Authorization","value":"Zoho-oauthtoken 1000.xxxx.xxxx"}],"postData":{"mimeType":"","text":` + strconv.Quote(body) + `}},
			"response":{"status":201,"headers":[{"name":"Content-Type","value":"application/json"}],
			"content":{"mimeType":"application/json","text":"{\"territories\":[{\"code\":\"SUCCESS\",\"details\":{\"id\":\"5725767000000452007\"},\"message\":\"Territory Created Successfully\",\"status\":\"success\"}]}"}}}`
	}
	path := filepath.Join(t.TempDir(), "sdk.har")
	har := `{"log":{"version":"1.2","entries":[` +
		entry(`{"territories":[{"name":"Pacific","reporting_to":{"id":"5725767000000452002"},"permission_type":"read_only"}]}`) + `,` +
		entry(`{"territories":[{"name":"Pacific","reporting_to":{"id":"5725767000000452002"}}]}`) + `]}}`
	require.NoError(t, os.WriteFile(path, []byte(har), 0o600))
	out := runCmd(t, "validate", "--requests", path)
	assert.Equal(t, 2, out.code)
	assert.Contains(t, out.stdout, "PASS sdk.har#1 createTerritories 201 response: kin-openapi=pass libopenapi-validator=pass request: kin-openapi=pass libopenapi-validator=pass\n")
	assert.Contains(t, out.stdout, "FAIL sdk.har#2 createTerritories 201 response: kin-openapi=pass libopenapi-validator=pass request: kin-openapi=fail libopenapi-validator=fail\n",
		"no permission_type: the body was read")
}
