package tree

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Problem is one reason a tree file cannot be planned, with its place:
// "tree.yaml:12:5: territory "West Coast": manager: ...".
type Problem struct {
	// File is the file's name as given to [ReadFile].
	File string
	// Line and Col are where in the file (1-based); 0 when the problem
	// has no place in the file (a territory the file leaves out, the
	// org's limit).
	Line, Col int
	// Territory is the path of the territory the problem is about
	// ([Node] paths: names from the top, the root left out below it); ""
	// for the file as a whole.
	Territory string
	// Field is the key the problem is about, such as "manager" or
	// "users[2]"; "" for the territory as a whole.
	Field string
	// Rule says what is wrong, and what would be right.
	Rule string
	// Omitted is set on the problem of a territory the org holds and the
	// file leaves out: allowing deletes ([Options].AllowDelete) settles it.
	Omitted bool
}

// String formats the problem as one line: place, territory, field, rule.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", p.Line, p.Col)
	}
	b.WriteString(": ")
	if p.Territory != "" {
		fmt.Fprintf(&b, "territory %q: ", p.Territory)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Rule)
	return b.String()
}

// ProblemsError is every problem found in a tree file, or between the
// file and the org, before anything is sent. Get it with errors.As.
type ProblemsError struct {
	Problems []Problem
}

// Error lists the problems one a line, in the order of the file, those
// without a place last.
func (e *ProblemsError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// problems collects problems about one file.
type problems struct {
	file string
	list []Problem
}

// add records a problem at pos about the territory at path and field.
func (ps *problems) add(pos Pos, path, field, format string, args ...any) {
	ps.list = append(ps.list, Problem{File: ps.file, Line: pos.Line, Col: pos.Col, Territory: path, Field: field, Rule: fmt.Sprintf(format, args...)})
}

// err returns the problems as a [*ProblemsError] in the file's order, or
// nil when there are none.
func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	list := slices.Clone(ps.list)
	slices.SortStableFunc(list, func(a, b Problem) int {
		if (a.Line == 0) != (b.Line == 0) {
			return cmp.Compare(b.Line, a.Line) // placed ones first
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return &ProblemsError{Problems: list}
}
