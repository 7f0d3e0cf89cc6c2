package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// binary is the command built once for the tests that exec it: main's
// own wiring (signals, streams, exit status) and the README's examples.
// Every other test runs the command in-process.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "zohoterritory-cli")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "zohoterritory")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// build builds the command into binary, once per test binary.
func build(t testing.TB) string {
	t.Helper()
	if _, err := os.Stat(binary); err == nil {
		return binary
	}
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	require.NoError(t, err, "build: %s", out)
	return binary
}

// TestMainWiring execs the built command: its exit status reaches the
// shell, and the first SIGINT stops `sandbox serve` cleanly.
func TestMainWiring(t *testing.T) {
	bin := build(t)
	cmd := exec.Command(bin, "remove-users", "--territory", "1", "2")
	cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, 1, ee.ExitCode())
	assert.True(t, strings.HasPrefix(stderr.String(), "zohoterritory: credentials: set ZOHO_ACCESS_TOKEN"), stderr.String())

	// Ctrl-C, and SIGTERM as a container runtime sends it, stop the
	// sandbox cleanly.
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		serve := exec.Command(bin, "sandbox", "serve", "--addr", "127.0.0.1:0")
		serve.Env = []string{}
		stdout, err := serve.StdoutPipe()
		require.NoError(t, err)
		var serr bytes.Buffer
		serve.Stderr = &serr
		require.NoError(t, serve.Start())
		sc := bufio.NewScanner(stdout)
		for sc.Scan() && !strings.Contains(sc.Text(), "ZOHO_ACCESS_TOKEN") {
		}
		require.NoError(t, serve.Process.Signal(sig))
		require.NoError(t, serve.Wait(), "%v stops the sandbox cleanly: %s", sig, serr.String())
		assert.Contains(t, serr.String(), "sandbox stopped after 0 requests", "%v", sig)
	}
}
