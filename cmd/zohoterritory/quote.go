package main

import (
	"fmt"
	"strconv"
	"strings"
)

// Quoting and wording helpers of every output.

// shellQuote quotes a path for the line a person copies into a shell.
func shellQuote(s string) string {
	safe := func(r rune) bool {
		return strings.ContainsRune("/.-_:+=@,", r) || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')
	}
	if s != "" && strings.IndexFunc(s, func(r rune) bool { return !safe(r) }) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// singleQuote quotes a value for a POSIX shell, always: inside single
// quotes nothing is special but the single quote itself.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shellPath is a path as a shell's "." finds it: ./name for a bare name.
func shellPath(p string) string {
	if strings.ContainsRune(p, '/') {
		return shellQuote(p)
	}
	return shellQuote("./" + p)
}

// joinAnd joins words as a sentence does: "a, b and c".
func joinAnd(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// cell is a table cell: "-" for nothing.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// plural is "1 id", "2 ids".
func plural(n int, word string) string {
	return pluralOf(n, word, word+"s")
}

// pluralOf is "1 territory", "2 territories".
func pluralOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// maxListed is how many things a one-line list names before it folds the
// rest into a count.
const maxListed = 5

// foldList names things on one line, sep between them: the first
// maxListed, then "and N more".
func foldList(things []string, sep string) string {
	if len(things) > maxListed {
		things = append(things[:maxListed:maxListed], fmt.Sprintf("and %d more", len(things)-maxListed))
	}
	return strings.Join(things, sep)
}

// strs is each thing's String.
func strs[T fmt.Stringer](things []T) []string {
	out := make([]string, len(things))
	for i, t := range things {
		out[i] = t.String()
	}
	return out
}
