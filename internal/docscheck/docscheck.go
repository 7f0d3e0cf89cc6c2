// Package docscheck keeps the module's markdown honest: every relative link
// of every page (the README, CONTRIBUTING.md, docs/ and the rest) must
// point to a file or directory of the module, and every #anchor to a
// heading of the page it names, as GitHub renders them. Its test runs the
// check over the module in `make test`, with the README's other rules.
package docscheck

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Problem is one link that does not resolve.
type Problem struct {
	// File is the page that holds the link, relative to the module's root,
	// with forward slashes.
	File string
	// Link is the link's destination as written.
	Link string
	// Reason says what is wrong with it.
	Reason string
}

func (p Problem) String() string { return fmt.Sprintf("%s: link %q: %s", p.File, p.Link, p.Reason) }

// skipDirs are the directories whose markdown is not the module's own.
var skipDirs = map[string]bool{".git": true, "node_modules": true}

// Pages returns the markdown files under root (relative, with forward
// slashes, sorted), leaving out installed packages and .git.
func Pages(root string) ([]string, error) {
	var pages []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDirs[d.Name()] {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), ".md") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			pages = append(pages, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(pages)
	return pages, err
}

// page is what the check needs of one markdown file.
type page struct {
	links   []string
	anchors map[string]bool
}

func parse(src []byte) page {
	doc := goldmark.New().Parser().Parse(text.NewReader(src))
	p := page{anchors: map[string]bool{}}
	seen := map[string]int{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link:
			p.links = append(p.links, string(n.Destination))
		case *ast.Image:
			p.links = append(p.links, string(n.Destination))
		case *ast.Heading:
			slug := Slug(plain(n, src))
			if k := seen[slug]; k > 0 {
				p.anchors[slug+"-"+strconv.Itoa(k)] = true
			} else {
				p.anchors[slug] = true
			}
			seen[slug]++
		}
		return ast.WalkContinue, nil
	})
	return p
}

// plain returns the text of an inline node and its children, without
// markup: the text GitHub makes a heading's anchor from.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		default:
			b.WriteString(plain(c, src))
		}
	}
	return b.String()
}

// Slug returns the anchor GitHub gives a heading of that text: lower case,
// letters, digits, hyphens and underscores kept, spaces made hyphens, the
// rest (punctuation, backquotes) dropped. A repeated heading's anchor gets
// "-1", "-2"... appended; [Check] counts those.
func Slug(heading string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(heading) {
		switch {
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r) || r == '-' || r == '_':
			b.WriteRune(unicode.ToLower(r))
		case r == ' ':
			b.WriteByte('-')
		}
	}
	return b.String()
}

// Check reads every page under root and returns each relative link that
// does not resolve: to a path outside root, to a file or directory that
// does not exist, or to an anchor that no heading of the target page has.
// Links with a scheme (https:, mailto:) are not followed.
func Check(root string) ([]Problem, error) {
	files, err := Pages(root)
	if err != nil {
		return nil, err
	}
	parsed := map[string]page{}
	read := func(rel string) (page, error) {
		if p, ok := parsed[rel]; ok {
			return p, nil
		}
		src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel))) //nolint:gosec // G304: a page of the module, found by walking it
		if err != nil {
			return page{}, err
		}
		p := parse(src)
		parsed[rel] = p
		return p, nil
	}
	var problems []Problem
	for _, file := range files {
		p, err := read(file)
		if err != nil {
			return nil, err
		}
		for _, link := range p.links {
			if reason := resolve(root, file, link, read); reason != "" {
				problems = append(problems, Problem{File: file, Link: link, Reason: reason})
			}
		}
	}
	return problems, nil
}

// resolve returns why link, found in file, does not resolve ("" when it
// does).
func resolve(root, file, link string, read func(string) (page, error)) string {
	u, err := url.Parse(link)
	switch {
	case err != nil:
		return "not a URL: " + err.Error()
	case u.Scheme != "" || u.Host != "":
		return ""
	case strings.HasPrefix(u.Path, "/"):
		return "absolute: make it relative to the page"
	}
	target := file
	if u.Path != "" {
		target = path.Clean(path.Join(path.Dir(file), u.Path))
		if target == ".." || strings.HasPrefix(target, "../") {
			return "outside the module"
		}
		info, err := os.Stat(filepath.Join(root, filepath.FromSlash(target)))
		if err != nil {
			return "no such file or directory"
		}
		if info.IsDir() {
			if u.Fragment != "" {
				return "an anchor in a directory"
			}
			return ""
		}
	}
	if u.Fragment == "" {
		return ""
	}
	if !strings.HasSuffix(target, ".md") {
		return "an anchor in a file that is not markdown"
	}
	p, err := read(target)
	if err != nil {
		return err.Error()
	}
	if !p.anchors[u.Fragment] {
		return "no heading of " + target + " has the anchor #" + u.Fragment
	}
	return ""
}
