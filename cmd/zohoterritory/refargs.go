package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// The references a command is given, as arguments, flags or lines of
// standard input; the library resolves them.

// readRefArgs takes the references to users or territories (kind) from
// the arguments, or from standard input, each with where it was given:
// "argument 2", "standard input, line 3".
func readRefArgs(args []string, io *cmdutil.IOStreams, kind zohoterritory.RefKind) ([]zohoterritory.Reference, error) {
	fromStdin := len(args) == 0 || (len(args) == 1 && args[0] == "-")
	if !fromStdin {
		out := make([]zohoterritory.Reference, len(args))
		for i, a := range args {
			if a == "-" {
				return nil, cmdutil.Usagef(`argument %d: "-" (read ids from standard input) must be the only id argument`, i+1)
			}
			out[i] = zohoterritory.Reference{Kind: kind, Raw: a, Where: fmt.Sprintf("argument %d", i+1)}
		}
		return out, nil
	}
	if io.InTTY {
		return nil, cmdutil.Usagef("no ids given: pass them as arguments or on standard input")
	}
	refs, err := readRefList(io.In, "standard input", kind)
	if err != nil {
		return nil, err
	}
	if len(refs) == 0 {
		return nil, cmdutil.Usagef("no ids given: standard input holds none")
	}
	return refs, nil
}

// readRefList reads references from r, named what in errors: CSV records
// of any length, every field a reference, or several separated by spaces
// when each of them is an id or an e-mail address (a name keeps its
// spaces).
func readRefList(r io.Reader, what string, kind zohoterritory.RefKind) ([]zohoterritory.Reference, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	var refs []zohoterritory.Reference
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return refs, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, cmdutil.Usagef("%s, line %d: %v", what, pe.Line, pe.Err)
			}
			return nil, cmdutil.Usagef("read %s: %v", what, err)
		}
		line, _ := cr.FieldPos(0)
		where := fmt.Sprintf("%s, line %d", what, line)
		for i, field := range rec {
			if first && i == 0 && isHeader(field) {
				continue
			}
			for _, ref := range splitRefs(field) {
				refs = append(refs, zohoterritory.Reference{Kind: kind, Raw: ref, Where: where})
			}
		}
		first = false
	}
}

// splitRefs splits a field at spaces when every piece is a user's id or
// e-mail address as the library parses them ("1 2 3"), and otherwise keeps
// it whole, trimmed: a name such as "West Coast".
func splitRefs(field string) []string {
	pieces := strings.Fields(field)
	for _, p := range pieces {
		if _, err := zohoterritory.ParseUserRef(p); err != nil {
			return []string{strings.TrimSpace(field)}
		}
	}
	return pieces
}

// isHeader reports whether a CSV's first field names its column.
func isHeader(field string) bool {
	switch strings.ToLower(strings.TrimSpace(field)) {
	case "id", "ids", "user_id", "territory_id", "record_id", "user id", "territory id",
		"user", "users", "territory", "territories", "email", "e-mail", "user_email", "name", "path":
		return true
	}
	return false
}

// refList is a repeatable flag of references, each value one reference or
// several separated by commas.
type refList []string

func (l *refList) String() string { return strings.Join(*l, ",") }
func (l *refList) Type() string   { return "refs" }

func (l *refList) Set(v string) error {
	for ref := range strings.SplitSeq(v, ",") {
		if ref = strings.TrimSpace(ref); ref != "" {
			*l = append(*l, ref)
		}
	}
	return nil
}

// flagRefs are the references of a repeatable flag, each where it was
// given ("--except").
func flagRefs(values []string, flag string, kind zohoterritory.RefKind) []zohoterritory.Reference {
	out := make([]zohoterritory.Reference, len(values))
	for i, v := range values {
		out[i] = zohoterritory.Reference{Kind: kind, Raw: v, Where: "--" + flag}
	}
	return out
}

// resolve resolves a command's references with the library's one read of
// the directory (and what also asks for besides).
func resolve(ctx context.Context, c *zohoterritory.Client, refs []zohoterritory.Reference, also zohoterritory.DirectoryQuery) (*zohoterritory.Resolution, error) {
	res, err := c.Resolve(ctx, refs, also)
	if err != nil {
		return nil, resolveFailure(err, "reading the org's users and territories failed, so nothing was sent")
	}
	return res, nil
}

// resolveFailure tells why references could not be resolved: every one
// that names nothing or more than one thing, as a usage error (exit 1,
// nothing sent), or the failed read, prefixed by what.
func resolveFailure(err error, what string) error {
	var re *zohoterritory.ResolveError
	if !errors.As(err, &re) {
		code, msg := failure(err)
		return cmdutil.Exit(code, fmt.Errorf("%s: %s", what, msg))
	}
	if len(re.Refs) == 1 {
		var invalid *zohoterritory.InvalidRefError
		if errors.As(re.Refs[0].Err, &invalid) {
			return cmdutil.Usagef("%s", re.Refs[0])
		}
		return cmdutil.Usagef("%s; nothing was sent", re.Refs[0])
	}
	lines := make([]string, len(re.Refs))
	for i, r := range re.Refs {
		lines[i] = r.Error()
	}
	return cmdutil.Usagef("%d references name nothing the org holds, or more than one thing; nothing was sent:\n  %s",
		len(re.Refs), strings.Join(lines, "\n  "))
}
