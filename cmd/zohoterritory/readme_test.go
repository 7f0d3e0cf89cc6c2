package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// readmeBlock returns the lines of the README's ```sh block that follows
// the marker `<!-- example: NAME -->`.
func readmeBlock(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(b), "<!-- example: "+name+" -->\n```sh\n")
	require.True(t, ok, "README.md has no example %q", name)
	block, _, ok := strings.Cut(rest, "\n```")
	require.True(t, ok)
	return strings.Split(block, "\n")
}

var wantExit = regexp.MustCompile(`\s+#\s*exit (\d+)\s*$`)

// TestREADMEExamples runs the README's sandbox quick start in bash, as
// written, with the built command on PATH: every line must exit as its
// "# exit N" comment says (0 when it says nothing). The one change is the
// sandbox's address: a free port rather than 8080, which a parallel test
// run may hold.
func TestREADMEExamples(t *testing.T) {
	bin := build(t)
	lines := readmeBlock(t, "sandbox")
	var script strings.Builder
	script.WriteString("set -u\n")
	for i, line := range lines {
		if strings.TrimSpace(line) == "" {
			continue
		}
		line = strings.Replace(line, "sandbox serve", "sandbox serve --addr 127.0.0.1:0", 1)
		want := "0"
		if m := wantExit.FindStringSubmatch(line); m != nil {
			want = m[1]
		}
		if strings.HasSuffix(strings.TrimSpace(line), "&") || strings.HasPrefix(line, "until ") || strings.HasPrefix(line, "kill ") {
			fmt.Fprintf(&script, "%s\n", line)
			continue
		}
		fmt.Fprintf(&script, "echo '$ %s'\n%s\nrc=$?; [ \"$rc\" = %s ] || { echo \"README line %d exited $rc, want %s\" >&2; kill %%1 2>/dev/null; exit 1; }\n",
			strings.ReplaceAll(line, "'", `'\''`), line, want, i+1, want)
	}
	script.WriteString("wait\n")
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", script.String())
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + filepath.Dir(bin) + ":" + os.Getenv("PATH"), "HOME=" + dir}
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), "the README's example:\n%s", out.String())
}
