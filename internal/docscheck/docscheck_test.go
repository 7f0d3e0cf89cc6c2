package docscheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// root is the module's root, from this package's directory.
var root = filepath.Join("..", "..")

// TestLinks is the check itself, over the module's own pages: it fails
// `make test` when a relative link or an anchor of any of them points
// nowhere.
func TestLinks(t *testing.T) {
	t.Parallel()
	pages, err := Pages(root)
	require.NoError(t, err)
	require.Contains(t, pages, "README.md")
	require.Contains(t, pages, "CONTRIBUTING.md")
	problems, err := Check(root)
	require.NoError(t, err)
	var lines []string
	for _, p := range problems {
		lines = append(lines, p.String())
	}
	assert.Empty(t, lines, "links that point nowhere: fix the link, or the heading it names")
}

// TestREADMELength keeps the README what a newcomer reads in five
// minutes: the rest belongs in docs/ and CONTRIBUTING.md.
func TestREADMELength(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	lines := strings.Count(string(b), "\n")
	assert.LessOrEqual(t, lines, 200, "README.md has %d lines: move detail to a page of docs/ or to CONTRIBUTING.md, and link it", lines)
}

// goExample is a marker `<!-- example: FILE FUNC -->` followed by a ```go
// block: the block must be FUNC of FILE, doc comment included, as written.
var goExample = regexp.MustCompile("(?s)<!-- example: (\\S+\\.go) (\\w+) -->\n```go\n(.*?)\n```")

// TestGoExamples keeps every Go example quoted in the module's pages
// identical to the Example function it is copied from, which go test
// compiles and runs.
func TestGoExamples(t *testing.T) {
	t.Parallel()
	pages, err := Pages(root)
	require.NoError(t, err)
	found := 0
	for _, page := range pages {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(page)))
		require.NoError(t, err)
		for _, m := range goExample.FindAllStringSubmatch(string(b), -1) {
			found++
			file, fn, quoted := m[1], m[2], m[3]
			src := funcSource(t, filepath.Join(root, filepath.FromSlash(file)), fn)
			assert.Equal(t, src, quoted, "%s quotes %s of %s: copy it again as it is", page, fn, file)
		}
	}
	assert.Positive(t, found, "the README quotes an Example of the library")
}

// funcSource returns the source of the function fn of a Go file, from its
// doc comment to its closing brace.
func funcSource(t *testing.T, file, fn string) string {
	t.Helper()
	src, err := os.ReadFile(file)
	require.NoError(t, err)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	require.NoError(t, err)
	for _, d := range f.Decls {
		if d, ok := d.(*ast.FuncDecl); ok && d.Name.Name == fn {
			start := d.Pos()
			if d.Doc != nil {
				start = d.Doc.Pos()
			}
			return string(src[fset.Position(start).Offset:fset.Position(d.End()).Offset])
		}
	}
	require.Failf(t, "no such function", "%s has no function %s", file, fn)
	return ""
}

func TestSlug(t *testing.T) {
	t.Parallel()
	for heading, want := range map[string]string{
		"Journals: resume a killed run, undo a mistaken one":         "journals-resume-a-killed-run-undo-a-mistaken-one",
		"The SDK and the CLI through the recording proxy (proxy.sh)": "the-sdk-and-the-cli-through-the-recording-proxy-proxysh",
		"Checked by tools nobody here wrote (make interop)":          "checked-by-tools-nobody-here-wrote-make-interop",
		"Zoho's Node.js SDK against the sandbox (node-sdk.sh)":       "zohos-nodejs-sdk-against-the-sandbox-node-sdksh",
		"Cold builds: before and after the core redesign (issue 11)": "cold-builds-before-and-after-the-core-redesign-issue-11",
		"`make test`, `make check`":                                  "make-test-make-check",
		"encoding/json against encoding/json/v2":                     "encodingjson-against-encodingjsonv2",
	} {
		assert.Equal(t, want, Slug(heading), heading)
	}
}

// TestCheckFinds feeds the check a tree with one link of each kind it must
// refuse, and the kinds it must accept.
func TestCheckFinds(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	write("README.md", "# Top\n\n"+
		"[ok file](docs/a.md) [ok anchor](docs/a.md#the-rules) [ok twice](docs/a.md#the-rules-1) "+
		"[ok dir](docs/) [ok self](#top) [ok web](https://example.com/x) [ok ref][r]\n\n"+
		"[gone](docs/b.md) [bad anchor](docs/a.md#nothing) [outside](../shared/ZOHO.md) "+
		"[absolute](/docs/a.md) [bad self](#bottom) [anchor in go](main.go#L3)\n\n"+
		"`[not a link](nowhere.md)`\n\n```\n[nor this](nowhere.md)\n```\n\n[r]: docs/a.md\n")
	write("main.go", "package main\n")
	write("docs/a.md", "# A\n\n## The rules\n\n## The rules\n\n[up](../README.md#top) [down](c/d.md)\n")
	write("node_modules/x/README.md", "[not ours](nowhere.md)\n")

	problems, err := Check(dir)
	require.NoError(t, err)
	got := map[string]string{}
	for _, p := range problems {
		got[p.File+" "+p.Link] = p.Reason
	}
	assert.Equal(t, map[string]string{
		"README.md docs/b.md":         "no such file or directory",
		"README.md docs/a.md#nothing": "no heading of docs/a.md has the anchor #nothing",
		"README.md ../shared/ZOHO.md": "outside the module",
		"README.md /docs/a.md":        "absolute: make it relative to the page",
		"README.md #bottom":           "no heading of README.md has the anchor #bottom",
		"README.md main.go#L3":        "an anchor in a file that is not markdown",
		"docs/a.md c/d.md":            "no such file or directory",
	}, got)
}
