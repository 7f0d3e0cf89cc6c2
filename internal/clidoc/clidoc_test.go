package clidoc

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tree is a small command tree: tool, tool greet, tool greet loud, and a
// hidden command, which gets no page.
func tree(greetLong string) *cobra.Command {
	run := func(*cobra.Command, []string) error { return nil }
	root := &cobra.Command{Use: "tool", Short: "A tool", RunE: run}
	greet := &cobra.Command{Use: "greet NAME", Short: "Greet someone", Long: greetLong, RunE: run}
	greet.Flags().Bool("twice", false, "greet twice")
	greet.AddCommand(&cobra.Command{Use: "loud", Short: "Greet loudly", RunE: run})
	root.AddCommand(greet, &cobra.Command{Use: "secret", Hidden: true, RunE: run})
	return root
}

func TestPages(t *testing.T) {
	t.Parallel()
	long := "Greet NAME.\n\n  tool greet ```ada```\n"
	pages, err := Pages(tree(long))
	require.NoError(t, err)
	var names []string
	for n := range pages {
		names = append(names, n)
	}
	sort.Strings(names)
	assert.Equal(t, []string{
		"tool.md", "tool_completion.md", "tool_completion_bash.md", "tool_completion_fish.md",
		"tool_completion_powershell.md", "tool_completion_zsh.md", "tool_greet.md", "tool_greet_loud.md",
	}, names)

	greet := string(pages["tool_greet.md"])
	assert.True(t, strings.HasPrefix(greet, header), "every page says it is generated and how to regenerate it")
	// The long text is preformatted, in a fence longer than its own backquotes.
	assert.Contains(t, greet, "### Synopsis\n\n````text\nGreet NAME.\n\n  tool greet ```ada```\n````\n")
	assert.Contains(t, greet, "--twice")
	assert.Contains(t, greet, "* [tool](tool.md)")
	assert.Contains(t, greet, "* [tool greet loud](tool_greet_loud.md)")
	assert.NotContains(t, greet, "Auto generated", "no date: the same commands give the same bytes")

	again, err := Pages(tree(long))
	require.NoError(t, err)
	assert.Equal(t, pages, again)
}

func TestCheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// Another command's pages share the directory and are not this tree's.
	other := filepath.Join(dir, "tool-contract.md")
	require.NoError(t, os.WriteFile(other, []byte("another command\n"), 0o644))

	err := Check(tree("Greet NAME."), dir, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing: tool.md, tool_completion.md")
	assert.Contains(t, err.Error(), "make docs")

	require.NoError(t, Check(tree("Greet NAME."), dir, true))
	require.NoError(t, Check(tree("Greet NAME."), dir, false))

	// A page that no command makes any more, and one whose command changed.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tool_wave.md"), []byte("old\n"), 0o644))
	err = Check(tree("Greet NAME, kindly."), dir, false)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "of no command: tool_wave.md")
	assert.Contains(t, err.Error(), "different: tool_greet.md")
	assert.NotContains(t, err.Error(), "tool-contract.md")

	require.NoError(t, Check(tree("Greet NAME, kindly."), dir, true))
	assert.NoFileExists(t, filepath.Join(dir, "tool_wave.md"))
	assert.FileExists(t, other, "another command's page is left alone")
	require.NoError(t, Check(tree("Greet NAME, kindly."), dir, false))
}

func TestOwned(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]bool{
		"zohoterritory.md":                true,
		"zohoterritory_auth_token.md":     true,
		"zohoterritory-contract.md":       false,
		"zohoterritory-contract_proxy.md": false,
		"zohoterritory_notes.txt":         false,
		"README.md":                       false,
	} {
		assert.Equal(t, want, owned("zohoterritory", name), name)
	}
}
