package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

var sharedValidator = sync.OnceValues(contract.New)

// validator returns the two-validator check of api/openapi.yaml, loaded
// once per test binary.
func validator(t *testing.T) *contract.Validator {
	t.Helper()
	v, err := sharedValidator()
	require.NoError(t, err)
	return v
}

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// binary is the zohoterritory command built once for the end-to-end tests.
var binary string

func TestMain(m *testing.M) {
	flag.Parse()
	dir, err := os.MkdirTemp("", "zohoterritory-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "zohoterritory")
	if out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// outcome is what one run of the binary did.
type outcome struct {
	stdout, stderr string
	code           int
}

// runBinary runs the built command with only the given environment (plus
// PATH and HOME) and standard input.
func runBinary(t *testing.T, env map[string]string, stdin string, args ...string) outcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return outcome{stdout: out.String(), stderr: errb.String(), code: code}
}

// sandbox starts a sandbox with the default seed and returns it with the
// environment that points the command at it.
func sandbox(t *testing.T, opts ...zohoterritorytest.Option) (*zohoterritorytest.Server, map[string]string) {
	t.Helper()
	srv, err := zohoterritorytest.NewServer(append([]zohoterritorytest.Option{zohoterritorytest.WithContractCheck(validator(t))}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() {
		srv.Close()
		assert.Empty(t, srv.Violations(), "sandbox responses match the spec")
	})
	return srv, map[string]string{"ZOHO_API_DOMAIN": srv.URL(), "ZOHO_ACCESS_TOKEN": srv.AccessToken()}
}

var portRE = regexp.MustCompile(`127\.0\.0\.1:[0-9]+`)

// golden compares got with testdata/<name>.golden, with loopback ports
// normalised; -update rewrites the file.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got = portRE.ReplaceAllString(got, "127.0.0.1:PORT")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got, "transcript %s differs (go test -update rewrites it)", path)
}

func with(env map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

// startServe runs `zohoterritory sandbox serve --addr 127.0.0.1:0 args...`
// and returns the process, the ZOHO_* environment it printed, and its
// stderr. The process is killed when the test ends.
func startServe(t *testing.T, args ...string) (*exec.Cmd, map[string]string, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"sandbox", "serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = []string{}
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	env := map[string]string{}
	sc := bufio.NewScanner(stdout)
	for len(env) < 6 && sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		require.True(t, ok, sc.Text())
		env[k] = v
	}
	require.Len(t, env, 6, "stderr: %s", stderr.String())
	return cmd, env, stderr
}
