package repocheck

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRepository is the check itself, over the module's own tree: it fails
// `make test` and CI when a binary or a file over 1 MiB is tracked.
func TestRepository(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skipf("not a git work tree (%v): nothing is tracked", err)
	}
	problems, err := Check(root)
	require.NoError(t, err)
	assert.Empty(t, problems, "tracked files that must not be: `git rm --cached` each, and let .gitignore cover build outputs")
}

// TestCheckRefuses feeds the check a tree with one file of each kind it
// must refuse.
func TestCheckRefuses(t *testing.T) {
	t.Parallel()
	dir := gitTree(t, map[string]file{
		"zohoterritory":       {data: elf(), exec: true},
		"cmd/tool/tool":       {data: elf()}, // an ELF without its executable bit is still one
		"dist/tool-darwin":    {data: machO64(), exec: true},
		"dist/tool-universal": {data: fat()},
		"dist/tool.exe":       {data: pe()},
		"data/blob":           {data: []byte("\x00\x01\x02 not text"), exec: true},
		"big.json":            {data: bytes.Repeat([]byte("a"), MaxSize+1)},
		"ok.txt":              {data: []byte("text\n")},
	})
	problems, err := Check(dir)
	require.NoError(t, err)
	got := map[string]string{}
	for _, p := range problems {
		got[p.Path] = p.Reason
		assert.Equal(t, p.Path+": "+p.Reason, p.String())
	}
	assert.Equal(t, map[string]string{
		"zohoterritory":       "an executable (ELF)",
		"cmd/tool/tool":       "an executable (ELF)",
		"dist/tool-darwin":    "an executable (Mach-O)",
		"dist/tool-universal": "an executable (Mach-O)",
		"dist/tool.exe":       "an executable (PE)",
		"data/blob":           "not text, and has the executable bit",
		"big.json":            "1048577 bytes, more than 1 MiB (1048576)",
	}, got)
}

// TestCheckPasses: a clean tree passes, with what it may hold: scripts
// with the executable bit, a file of exactly 1 MiB, a small binary that is
// not executable (an image), text that starts like a PE, a symbolic link.
func TestCheckPasses(t *testing.T) {
	t.Parallel()
	dir := gitTree(t, map[string]file{
		".ci/run":          {data: []byte("#!/usr/bin/env bash\nset -euo pipefail\nmake check\n"), exec: true},
		"bench/run.sh":     {data: []byte("#!/bin/sh\necho bench\n"), exec: true},
		"README.md":        {data: []byte("# a module\n")},
		"testdata/max.txt": {data: bytes.Repeat([]byte("a"), MaxSize)},
		"testdata/a.png":   {data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")},
		"notes/mz.txt":     {data: append([]byte("MZ is where it starts. "), bytes.Repeat([]byte("x"), 100)...)},
		"empty":            {},
	})
	require.NoError(t, os.Symlink("README.md", filepath.Join(dir, "link")))
	git(t, dir, "add", "link")
	problems, err := Check(dir)
	require.NoError(t, err)
	assert.Empty(t, problems)
}

// TestCheckReadsTheIndex: what counts is what git tracks, not the work
// tree: a binary replaced in the work tree by text is still refused until
// the text is staged, and a file removed from the index is not checked.
func TestCheckReadsTheIndex(t *testing.T) {
	t.Parallel()
	dir := gitTree(t, map[string]file{"tool": {data: elf(), exec: true}, "gone": {data: elf()}})
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tool"), []byte("#!/bin/sh\n"), 0o755))
	git(t, dir, "rm", "-q", "--cached", "gone")
	problems, err := Check(dir)
	require.NoError(t, err)
	assert.Equal(t, []Problem{{Path: "tool", Reason: "an executable (ELF)"}}, problems)

	git(t, dir, "add", "tool")
	problems, err = Check(dir)
	require.NoError(t, err)
	assert.Empty(t, problems)
}

func TestCheckOutsideGit(t *testing.T) {
	t.Parallel()
	requireGit(t)
	_, err := Check(t.TempDir())
	require.ErrorContains(t, err, "git ls-files in ")
}

type file struct {
	data []byte
	exec bool
}

// gitTree makes a git work tree in a temporary directory with files
// staged (no commit is needed: the check reads the index).
func gitTree(t *testing.T, files map[string]file) string {
	t.Helper()
	requireGit(t)
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	for name, f := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, f.data, 0o644))
		git(t, dir, "add", name)
		if f.exec {
			// The index's mode, as git records it on every system.
			git(t, dir, "update-index", "--chmod=+x", name)
		}
	}
	return dir
}

func requireGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
}

// git runs git in dir, isolated from the user's and the system's
// configuration.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "core.autocrlf=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL="+os.DevNull, "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %s: %s", strings.Join(args, " "), out)
}

// elf is the start of a 64-bit little-endian ELF executable.
func elf() []byte {
	b := make([]byte, 64)
	copy(b, "\x7fELF\x02\x01\x01")
	binary.LittleEndian.PutUint16(b[16:], 2) // ET_EXEC
	return b
}

// machO64 is the start of a 64-bit Mach-O executable, as on disk on an
// arm64 or amd64 Mac (little-endian).
func machO64() []byte {
	b := make([]byte, 32)
	binary.LittleEndian.PutUint32(b, 0xfeedfacf)
	return b
}

// fat is the start of a universal (fat) Mach-O binary.
func fat() []byte {
	b := make([]byte, 32)
	binary.BigEndian.PutUint32(b, 0xcafebabe)
	binary.BigEndian.PutUint32(b[4:], 2)
	return b
}

// pe is the start of a PE image: a DOS stub whose offset at 0x3c points to
// the PE signature.
func pe() []byte {
	b := make([]byte, 0x100)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3c:], 0x80)
	copy(b[0x80:], "PE\x00\x00")
	return b
}
