package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// runningProxy is `zohoterritory-contract proxy` running in-process.
type runningProxy struct {
	env  map[string]string // what it printed on stdout
	errb *testkit.SyncBuffer
	stop chan struct{}
	done chan int
}

// startProxy runs the proxy command with args and returns once it has
// printed its environment (it listens by then).
func startProxy(t *testing.T, args ...string) *runningProxy {
	t.Helper()
	pr, pw := io.Pipe()
	rp := &runningProxy{env: map[string]string{}, errb: &testkit.SyncBuffer{}, stop: make(chan struct{}), done: make(chan int, 1)}
	go func() {
		rp.done <- run(t.Context(), append([]string{"proxy"}, args...),
			&cmdutil.IOStreams{In: strings.NewReader(""), Out: pw, Err: rp.errb}, rp.stop)
		pw.Close()
	}()
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok {
			rp.env[k] = strings.Trim(v, "'")
		}
		if _, ok := rp.env["ZOHO_ACCOUNTS_URL"]; ok {
			break
		}
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	require.NotEmpty(t, rp.env["ZOHO_API_DOMAIN"], "the proxy did not start: %s", rp.errb.String())
	return rp
}

// finish stops the proxy as a first Ctrl-C does and returns its exit code.
func (rp *runningProxy) finish() int {
	close(rp.stop)
	return <-rp.done
}

// buildCLI builds the admin's command, zohoterritory, into dir.
func buildCLI(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "zohoterritory")
	out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "../zohoterritory").CombinedOutput()
	require.NoError(t, err, string(out))
	return bin
}

// TestProxyCommand runs our CLI through the proxy to the sandbox, with the
// refresh-token flow: every exchange is logged and recorded, the recordings
// pass validate, no secret (and with --pseudonymize no real id) is in them
// or in the log, and a contract violation the sandbox injects (an HTML 502)
// makes --fail-on-violation exit 2 and validate fail the recording.
func TestProxyCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/zohoterritory")
	}
	t.Parallel()
	cli := buildCLI(t, t.TempDir())
	const chloe, na, eu, west, keyNA = "5725767000000411003", "5725767000000452002", "5725767000000452003", "5725767000000452004", "5725767000000452005"
	for _, tt := range []struct {
		name         string
		faults       []zohoterritorytest.Fault
		pseudonymize bool
		code         int
	}{
		{name: "clean, pseudonymized", pseudonymize: true, code: 0},
		{name: "html 502", faults: []zohoterritorytest.Fault{{Kind: zohoterritorytest.FaultHTML502, Count: 1}}, code: 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var sent []zohoterritorytest.Secret // the tokens the sandbox was sent
			srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithFaults(tt.faults...),
				zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Arrived: func(r *http.Request) {
					mu.Lock()
					defer mu.Unlock()
					sent = append(sent, zohoterritorytest.Secret{Name: "token sent", Value: strings.TrimPrefix(r.Header.Get("Authorization"), "Zoho-oauthtoken ")})
				}}))
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			dir := filepath.Join(t.TempDir(), "recordings")
			args := []string{"--target", srv.URL(), "--accounts-target", srv.URL(), "--listen", "127.0.0.1:0", "--record", dir, "--fail-on-violation"}
			if tt.pseudonymize {
				args = append(args, "--pseudonymize")
			}
			rp := startProxy(t, args...)

			oc := srv.OAuthClient()
			cmd := exec.CommandContext(t.Context(), cli, "remove-territories", "--user", chloe, "--all", "-o", "json", "--max-delay", "1ms")
			cmd.Env = []string{
				"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(),
				"ZOHO_API_DOMAIN=" + rp.env["ZOHO_API_DOMAIN"], "ZOHO_ACCOUNTS_URL=" + rp.env["ZOHO_ACCOUNTS_URL"],
				"ZOHO_CLIENT_ID=" + oc.ClientID, "ZOHO_CLIENT_SECRET=" + oc.ClientSecret, "ZOHO_REFRESH_TOKEN=" + oc.RefreshToken,
			}
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, string(out))
			var result struct{ Removed []string }
			require.NoError(t, json.Unmarshal(out[bytes.IndexByte(out, '{'):], &result), string(out))
			assert.ElementsMatch(t, []string{na, eu, west, keyNA}, result.Removed)
			assert.Equal(t, tt.code, rp.finish(), rp.errb.String())

			log := rp.errb.String()
			assert.Regexp(t, `(?m)^0001 POST /oauth/v2/token \(token endpoint\) 200 recorded$`, log)
			assert.Regexp(t, `(?m)^\d{4} GET /crm/v7/Users/\d{19}/territories\?page=1&per_page=200 listTerritoriesOfUser 200 ok$`, log)
			assert.Regexp(t, `(?m)^\d{4} DELETE /crm/v7/Users/\d{19}/territories\?ids=\d{19}(,\d{19}){3} removeTerritoriesFromUser 200 ok$`, log)
			if tt.code != 0 {
				assert.Contains(t, log, " listTerritoriesOfUser 502 VIOLATION (both): response: ")
				assert.Contains(t, log, "zohoterritory-contract: proxy: 1 of 4 exchanges broke the contract or were refused\n")
			}
			violations := len(tt.faults) // each fault is one exchange the spec does not describe
			assert.Contains(t, log, fmt.Sprintf("proxy stopped: %d exchanges: ", 3+violations))

			// The recordings are contract cases, for validate and the suite.
			cases, err := contract.ReadCases(dir)
			require.NoError(t, err)
			assert.Len(t, cases, 2+violations, "the reads and a removal")
			v := runCmd(t, "validate", "--requests", dir)
			assert.Equal(t, tt.code, v.code, v.stdout)
			assert.Contains(t, v.stdout, fmt.Sprintf("2 passed, %d failed", violations))
			v = runCmd(t, "validate", "--requests", filepath.Join(dir, "accounts"))
			assert.Contains(t, v.stdout, "0 passed, 1 failed", "the token endpoint is not an operation of the spec")

			mu.Lock()
			secrets := append([]zohoterritorytest.Secret{}, sent...)
			mu.Unlock()
			secrets = append(secrets, []zohoterritorytest.Secret{
				{Name: "client id", Value: oc.ClientID}, {Name: "client secret", Value: oc.ClientSecret},
				{Name: "refresh token", Value: oc.RefreshToken}, {Name: "static token", Value: srv.AccessToken()},
			}...)
			require.Len(t, secrets, 6+violations, "a token sent with each API call")
			ids := []zohoterritorytest.Secret{{Name: "chloe", Value: chloe}, {Name: "na", Value: na}, {Name: "west", Value: west},
				{Name: "e-mail", Value: "chloe@acme.com"}, {Name: "name", Value: "North America"}}
			paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
			require.NoError(t, err)
			tokenFiles, err := filepath.Glob(filepath.Join(dir, "accounts", "*.json"))
			require.NoError(t, err)
			paths = append(paths, tokenFiles...)
			scanned := 0
			for _, path := range paths {
				b, err := os.ReadFile(path)
				require.NoError(t, err)
				scanned++
				assert.Empty(t, zohoterritorytest.FindSecrets(string(b), secrets...), path)
				if !strings.Contains(path, "accounts") {
					assert.Contains(t, string(b), `"Authorization": "Zoho-oauthtoken 1000.xxxx.xxxx"`, path)
				}
				if tt.pseudonymize {
					assert.Empty(t, zohoterritorytest.FindSecrets(string(b), ids...), path)
				}
			}
			entries, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Len(t, entries, len(paths)-len(tokenFiles)+1, "the cases and accounts/, nothing else")
			assert.Equal(t, 3+violations, scanned)
			assert.Empty(t, zohoterritorytest.FindSecrets(log, secrets...), "log")
			if tt.pseudonymize {
				assert.Empty(t, zohoterritorytest.FindSecrets(log, ids...), "log")
			}
		})
	}
}

// TestProxyCommandRefuses: bad flags are refused, naming the flag and the
// rule, before anything listens.
func TestProxyCommandRefuses(t *testing.T) {
	t.Parallel()
	full := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(full, "old.json"), []byte("{}"), 0o600))
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "proxy: --target is required"},
		{[]string{"--target", "http://www.zohoapis.com"}, `proxy: --target "http://www.zohoapis.com": must be https; plain http is allowed only to a loopback host`},
		{[]string{"--target", "https://www.zohoapis.com/crm/v7"}, "must be the host alone"},
		{[]string{"--target", "https://www.zohoapis.com", "--accounts-target", "http://accounts.zoho.com"}, `proxy: --accounts-target "http://accounts.zoho.com": must be https`},
		{[]string{"--target", "https://www.zohoapis.com", "--listen", "0.0.0.0:8081"}, `proxy: --listen "0.0.0.0:8081": must be a loopback address`},
		{[]string{"--target", "https://www.zohoapis.com", "--listen", "127.0.0.1:0", "--record", full}, "proxy: --record: " + full + " is not empty"},
	} {
		out := runCmd(t, append([]string{"proxy"}, tt.args...)...)
		assert.Equal(t, 1, out.code, tt.args)
		assert.Contains(t, out.stderr, tt.want, tt.args)
		assert.Empty(t, out.stdout, tt.args)
	}
}
