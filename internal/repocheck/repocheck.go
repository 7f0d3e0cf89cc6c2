// Package repocheck refuses what must not be committed: an executable
// binary, or any file larger than 1 MiB. A build output committed once
// stays in every clone's history (a 12 MB build of the CLI was, before
// this check); its test runs the check over the module's own tree, so that
// `make test` and CI fail on such a file.
package repocheck

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strconv"
	"strings"
)

// MaxSize is the largest file the check accepts: 1 MiB. The largest files
// meant to be tracked (the npm lock file, the spec, the generated client)
// are below 200 KiB.
const MaxSize = 1 << 20

// sniffLen is how much of a file's start the check reads: as much as git
// reads to tell text from binary.
const sniffLen = 8000

// Problem is a tracked file the check refuses, and why.
type Problem struct {
	Path   string
	Reason string
}

func (p Problem) String() string { return p.Path + ": " + p.Reason }

// Check reads the files of the git index of the work tree at root (what is
// tracked, as committed or staged, not what the work tree holds) and
// returns those it refuses:
//
//   - larger than [MaxSize];
//   - an executable in a format a machine runs: ELF, Mach-O (including
//     universal binaries) or PE, whatever its mode;
//   - with the executable bit, and not text (a NUL byte in its first
//     8,000 bytes, git's own test). Scripts with the bit are fine.
//
// Symbolic links and submodules are not files and are not checked.
func Check(root string) ([]Problem, error) {
	entries, err := lsFiles(root)
	if err != nil {
		return nil, err
	}
	blobs, err := readBlobs(root, entries)
	if err != nil {
		return nil, err
	}
	var problems []Problem
	for i, e := range entries {
		if reason := refuse(e.mode, blobs[i].size, blobs[i].head); reason != "" {
			problems = append(problems, Problem{Path: e.path, Reason: reason})
		}
	}
	return problems, nil
}

// refuse returns why a file of that mode, size and start cannot be
// tracked, or "".
func refuse(mode string, size int64, head []byte) string {
	var reasons []string
	if size > MaxSize {
		reasons = append(reasons, fmt.Sprintf("%d bytes, more than 1 MiB (%d)", size, MaxSize))
	}
	if format := executableFormat(head); format != "" {
		reasons = append(reasons, "an executable ("+format+")")
	} else if mode == "100755" && bytes.IndexByte(head, 0) >= 0 {
		reasons = append(reasons, "not text, and has the executable bit")
	}
	return strings.Join(reasons, "; ")
}

// executableFormat names the executable format head starts with, or "".
func executableFormat(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("\x7fELF")):
		return "ELF"
	case len(head) >= 4 && machO(binary.BigEndian.Uint32(head)):
		return "Mach-O"
	case isPE(head):
		return "PE"
	}
	return ""
}

// machO reports whether magic, read big-endian, is a Mach-O magic number
// of either byte order, 32 or 64 bits, or a universal ("fat") binary's.
func machO(magic uint32) bool {
	switch magic {
	case 0xfeedface, 0xfeedfacf, 0xcefaedfe, 0xcffaedfe, 0xcafebabe, 0xbebafeca:
		return true
	}
	return false
}

// isPE reports whether head is a PE (Windows) image: the "MZ" of its DOS
// stub, and at the offset the stub gives (at 0x3c), the "PE\0\0" signature.
// A text file that happens to start with "MZ" is not one.
func isPE(head []byte) bool {
	if len(head) < 0x40 || !bytes.HasPrefix(head, []byte("MZ")) {
		return false
	}
	off := int64(binary.LittleEndian.Uint32(head[0x3c:]))
	return off+4 <= int64(len(head)) && bytes.Equal(head[off:off+4], []byte("PE\x00\x00"))
}

type entry struct {
	mode, object, path string
}

// lsFiles lists the regular files of root's index.
func lsFiles(root string) ([]entry, error) {
	cmd := exec.Command("git", "ls-files", "--stage", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files in %s: %w%s", root, err, stderrOf(err))
	}
	var entries []entry
	for rec := range strings.SplitSeq(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		if rec == "" {
			continue
		}
		// "<mode> <object> <stage>\t<path>"
		meta, path, ok := strings.Cut(rec, "\t")
		fields := strings.Fields(meta)
		if !ok || len(fields) != 3 {
			return nil, fmt.Errorf("git ls-files: unexpected line %q", rec)
		}
		if fields[0] != "100644" && fields[0] != "100755" {
			continue // 120000 a symbolic link, 160000 a submodule
		}
		entries = append(entries, entry{mode: fields[0], object: fields[1], path: path})
	}
	return entries, nil
}

type blob struct {
	size int64
	head []byte
}

// readBlobs reads each entry's size and first sniffLen bytes from git's
// object store, in one `git cat-file --batch`.
func readBlobs(root string, entries []entry) ([]blob, error) {
	var in bytes.Buffer
	for _, e := range entries {
		in.WriteString(e.object + "\n")
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = root
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	blobs, readErr := parseBatch(bufio.NewReader(stdout), entries)
	if readErr != nil {
		_, _ = io.Copy(io.Discard, stdout)
	}
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("git cat-file in %s: %w: %s", root, err, bytes.TrimSpace(stderr.Bytes()))
	}
	return blobs, readErr
}

// parseBatch reads `git cat-file --batch` output: for each object a line
// "<object> <type> <size>", its content, and a newline.
func parseBatch(r *bufio.Reader, entries []entry) ([]blob, error) {
	blobs := make([]blob, len(entries))
	for i, e := range entries {
		line, err := r.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("git cat-file: object of %s: %w", e.path, err)
		}
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[0] != e.object {
			return nil, fmt.Errorf("git cat-file: object of %s: unexpected %q", e.path, strings.TrimSpace(line))
		}
		size, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git cat-file: object of %s: size %q", e.path, fields[2])
		}
		head := make([]byte, min(size, sniffLen))
		if _, err := io.ReadFull(r, head); err != nil {
			return nil, fmt.Errorf("git cat-file: content of %s: %w", e.path, err)
		}
		// The rest of the content, and the newline after it.
		if _, err := r.Discard(int(size-int64(len(head))) + 1); err != nil {
			return nil, fmt.Errorf("git cat-file: content of %s: %w", e.path, err)
		}
		blobs[i] = blob{size: size, head: head}
	}
	return blobs, nil
}

func stderrOf(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) && len(ee.Stderr) > 0 {
		return ": " + string(bytes.TrimSpace(ee.Stderr))
	}
	return ""
}
