// Package clidoc writes the command reference in docs/cli from the cobra
// commands themselves, one markdown page a command (cobra/doc's pages), and
// tells when the pages on disk no longer match the commands. Each command's
// TestDocsCLI calls [Check], so that `make test` fails on a stale page and
// `make docs` rewrites them; only tests import this package.
package clidoc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// Regenerate is the command that rewrites docs/cli, named in [Check]'s
// error.
const Regenerate = "make docs"

// header opens every page: it is generated, and how to change it.
const header = "<!-- Generated from the command's code by internal/clidoc: do not edit. Change the command's help, then run `" +
	Regenerate + "`. -->\n\n"

// Pages returns the markdown page of root and of every command under it
// that help lists (the completion command cobra adds when the program runs
// included; not the help command, nor hidden or deprecated ones), by
// file name: the command's path with spaces as underscores, as
// doc.GenMarkdownTree names them ("zohoterritory_auth_token.md"). Pages link
// to each other by relative file names and carry no date, so that the same
// commands give the same bytes. The long description, written for a
// terminal (indented examples and tables), is kept as preformatted text.
func Pages(root *cobra.Command) (map[string][]byte, error) {
	root.InitDefaultCompletionCmd()
	pages := map[string][]byte{}
	var walk func(c *cobra.Command) error
	walk = func(c *cobra.Command) error {
		for _, sub := range c.Commands() {
			if !sub.IsAvailableCommand() || sub.IsAdditionalHelpTopicCommand() {
				continue
			}
			if err := walk(sub); err != nil {
				return err
			}
		}
		c.DisableAutoGenTag = true
		long := c.Long
		if long != "" {
			c.Long = fence(long)
		}
		var buf bytes.Buffer
		buf.WriteString(header)
		err := doc.GenMarkdownCustom(c, &buf, func(link string) string { return link })
		c.Long = long
		if err != nil {
			return fmt.Errorf("the page of %q: %w", c.CommandPath(), err)
		}
		pages[pageName(c.CommandPath())] = buf.Bytes()
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	return pages, nil
}

// fence puts text into a fenced code block whose fence is longer than any
// run of backquotes in it.
func fence(text string) string {
	f := "```"
	for strings.Contains(text, f) {
		f += "`"
	}
	return f + "text\n" + strings.TrimRight(text, "\n") + "\n" + f
}

func pageName(commandPath string) string {
	return strings.ReplaceAll(commandPath, " ", "_") + ".md"
}

// owned reports whether the file name is a page of the command named root:
// root's own page or one of its subcommands' ("zohoterritory.md" and
// "zohoterritory_auth.md" are zohoterritory's, "zohoterritory-contract.md"
// is not).
func owned(root, name string) bool {
	return name == root+".md" || (strings.HasPrefix(name, root+"_") && strings.HasSuffix(name, ".md"))
}

// Check compares the pages of root's commands with those in dir, and with
// update rewrites dir's to match (adding the missing, removing the extra).
// Without update it returns an error naming every page that is missing,
// extra or different, and how to regenerate them. The pages of other
// commands in dir are left alone.
func Check(root *cobra.Command, dir string, update bool) error {
	pages, err := Pages(root)
	if err != nil {
		return err
	}
	name := root.Name()
	entries, err := os.ReadDir(dir)
	if err != nil && (!update || !errors.Is(err, os.ErrNotExist)) {
		return err
	}
	var extra []string
	for _, e := range entries {
		if !e.IsDir() && owned(name, e.Name()) {
			if _, ok := pages[e.Name()]; !ok {
				extra = append(extra, e.Name())
			}
		}
	}
	if update {
		if err := os.MkdirAll(dir, 0o755); err != nil { //nolint:gosec // G301: a directory of the repository, as git checks it out
			return err
		}
		for _, f := range extra {
			if err := os.Remove(filepath.Join(dir, f)); err != nil {
				return err
			}
		}
		for f, b := range pages {
			if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil { //nolint:gosec // G306: a page of the repository, public
				return err
			}
		}
		return nil
	}
	var missing, different []string
	for f, b := range pages {
		got, err := os.ReadFile(filepath.Join(dir, f)) //nolint:gosec // G304: the pages the commands make, in the directory the test names
		switch {
		case errors.Is(err, os.ErrNotExist):
			missing = append(missing, f)
		case err != nil:
			return err
		case !bytes.Equal(got, b):
			different = append(different, f)
		}
	}
	if len(missing)+len(extra)+len(different) == 0 {
		return nil
	}
	var msg strings.Builder
	// Named from the module's root, as "docs/cli", whatever dir is relative to.
	shown := filepath.Join(filepath.Base(filepath.Dir(dir)), filepath.Base(dir))
	fmt.Fprintf(&msg, "%s, the command reference, does not match %s's commands:", shown, name)
	for _, l := range []struct {
		what  string
		files []string
	}{{"missing", missing}, {"of no command", extra}, {"different", different}} {
		if len(l.files) > 0 {
			sort.Strings(l.files)
			fmt.Fprintf(&msg, "\n  %s: %s", l.what, strings.Join(l.files, ", "))
		}
	}
	fmt.Fprintf(&msg, "\nregenerate them with `%s` (go test ./cmd/... -run '^TestDocsCLI$' -update) and commit %s", Regenerate, shown)
	return errors.New(msg.String())
}
