package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHelp: every command's help has a description, examples, its
// environment and the exit codes, whichever way it is asked for, and exits
// 0; the transcripts are golden.
func TestHelp(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		golden string
		ways   [][]string
	}{
		{"help_root", [][]string{{"--help"}, {"help"}, {"-h"}, {}}},
		{"help_remove_users", [][]string{{"remove-users", "--help"}, {"help", "remove-users"}, {"remove-users", "-h"}}},
		{"help_remove_territories", [][]string{{"remove-territories", "--help"}, {"help", "remove-territories"}}},
		{"help_list_users", [][]string{{"list-users", "--help"}, {"help", "list-users"}}},
		{"help_list_territories", [][]string{{"list-territories", "--help"}}},
		{"help_sandbox", [][]string{{"sandbox", "--help"}, {"help", "sandbox"}, {"sandbox"}}},
		{"help_sandbox_serve", [][]string{{"sandbox", "serve", "--help"}, {"help", "sandbox", "serve"}}},
		{"help_demo", [][]string{{"demo", "--help"}}},
		{"help_resume", [][]string{{"resume", "--help"}, {"help", "resume"}}},
		{"help_restore", [][]string{{"restore", "--help"}, {"help", "restore"}}},
		{"help_add_users", [][]string{{"add-users", "--help"}}},
		{"help_add_territories", [][]string{{"add-territories", "--help"}}},
		{"help_move_users", [][]string{{"move-users", "--help"}}},
		{"help_territories", [][]string{{"territories", "--help"}}},
		{"help_users", [][]string{{"users", "--help"}}},
		{"help_export", [][]string{{"export", "--help"}}},
		{"help_plan", [][]string{{"plan", "--help"}}},
		{"help_apply", [][]string{{"apply", "--help"}}},
		{"help_runs", [][]string{{"runs", "--help"}}},
		{"help_auth", [][]string{{"auth", "--help"}, {"help", "auth"}, {"auth"}}},
		{"help_auth_token", [][]string{{"auth", "token", "--help"}, {"help", "auth", "token"}}},
		{"help_auth_status", [][]string{{"auth", "status", "--help"}, {"help", "auth", "status"}}},
	} {
		t.Run(tt.golden, func(t *testing.T) {
			t.Parallel()
			var first string
			for i, args := range tt.ways {
				out := runCLI(t, nil, "", args...)
				require.Equal(t, 0, out.code, "%v: %s", args, out.stderr)
				assert.Empty(t, out.stderr, args)
				if i == 0 {
					first = out.stdout
					golden(t, tt.golden, out.stdout)
					continue
				}
				assert.Equal(t, first, out.stdout, "%v gives the same help", args)
			}
		})
	}
}

// TestHelpSaysWhatMatters: the facts a person looks for in --help.
func TestHelpSaysWhatMatters(t *testing.T) {
	t.Parallel()
	out := runCLI(t, nil, "", "remove-users", "--help")
	for _, s := range []string{"Examples:", "standard input", "line", "--all", "--except", "--ignore-absent", "--dry-run",
		"-o, --output", "-t, --territory", "[ZOHO_API_DOMAIN]", "ZohoCRM.settings.territories.ALL", "Exit status:", "130", "Ctrl-C"} {
		assert.Contains(t, out.stdout, s)
	}
	out = runCLI(t, nil, "", "help")
	for _, s := range []string{"ZOHO_ACCESS_TOKEN", "ZOHO_CLIENT_ID", "ZOHO_DC", "Exit status:", "zohoterritory demo"} {
		assert.Contains(t, out.stdout, s)
	}
}

// TestSuggestions: a mistyped command gets a "did you mean", once, and
// exit 1; so does an unknown flag, printed once.
func TestSuggestions(t *testing.T) {
	t.Parallel()
	out := runCLI(t, nil, "", "remove-user", "--territory", "1", "2")
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: unknown command \"remove-user\" for \"zohoterritory\"\n\nDid you mean this?\n\tremove-users\n", out.stderr)
	assert.Empty(t, out.stdout)

	out = runCLI(t, nil, "", "lsit-users")
	assert.Equal(t, 1, out.code)
	assert.Contains(t, out.stderr, "Did you mean this?\n\tlist-users\n")

	out = runCLI(t, nil, "", "remove-users", "--nope")
	assert.Equal(t, 1, out.code)
	assert.Equal(t, "zohoterritory: unknown flag: --nope\n", out.stderr, "once")
}

func TestVersion(t *testing.T) {
	t.Parallel()
	out := runCLI(t, nil, "", "version")
	require.Equal(t, 0, out.code)
	lines := strings.Split(strings.TrimSpace(out.stdout), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^zohoterritory \S+`, lines[0])
	assert.Regexp(t, `^commit \S+`, lines[1])
	assert.Regexp(t, `^go1\.\d+`, lines[2])
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	for shell, marker := range map[string]string{"bash": "__start_zohoterritory", "zsh": "#compdef zohoterritory", "fish": "complete -c zohoterritory"} {
		out := runCLI(t, nil, "", "completion", shell)
		require.Equal(t, 0, out.code, out.stderr)
		assert.Contains(t, out.stdout, marker, shell)
	}
	out := runCLI(t, nil, "", "__complete", "remove-")
	require.Equal(t, 0, out.code)
	assert.Contains(t, out.stdout, "remove-users")
	assert.Contains(t, out.stdout, "remove-territories")
}
