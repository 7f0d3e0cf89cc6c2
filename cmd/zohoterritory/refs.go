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

// refsHelp says how users and territories are given, for every command
// that takes them.
const refsHelp = `Users are given by id or e-mail address; territories by id, name, or path
of names from the top ("North America/West Coast") when a name repeats.
E-mail addresses and names are matched exactly, ignoring case and
surrounding spaces, over every user (deactivated ones included) and every
territory of the org, read once however many are given; an unknown or
ambiguous one stops the run before anything is sent, naming the candidates.
They come as arguments, or on standard input when there are none (or the
only one is "-") and standard input is not a terminal: one per line, comma-
or space-separated, or a CSV file's single column, quoted or not, with or
without a header (id, email, name...). Lines may be of any length. A bad one
is named by its argument number or line, and nothing is sent.`

// refArg is a reference as a person gave it, and where: "argument 2",
// "standard input, line 3", "--territory".
type refArg struct {
	raw, where string
}

// readRefArgs takes the references from the arguments, or from standard
// input.
func readRefArgs(args []string, io *cmdutil.IOStreams) ([]refArg, error) {
	fromStdin := len(args) == 0 || (len(args) == 1 && args[0] == "-")
	if !fromStdin {
		out := make([]refArg, len(args))
		for i, a := range args {
			if a == "-" {
				return nil, cmdutil.Usagef(`argument %d: "-" (read ids from standard input) must be the only id argument`, i+1)
			}
			out[i] = refArg{raw: a, where: fmt.Sprintf("argument %d", i+1)}
		}
		return out, nil
	}
	if io.InTTY {
		return nil, cmdutil.Usagef("no ids given: pass them as arguments or on standard input")
	}
	refs, err := readRefList(io.In, "standard input")
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
func readRefList(r io.Reader, what string) ([]refArg, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	var refs []refArg
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
				refs = append(refs, refArg{raw: ref, where: where})
			}
		}
		first = false
	}
}

// splitRefs splits a field at spaces when every piece is an id or an
// e-mail address ("1 2 3"), and otherwise keeps it whole, trimmed: a name
// such as "West Coast".
func splitRefs(field string) []string {
	pieces := strings.Fields(field)
	for _, p := range pieces {
		if !isDigits(p) && !strings.Contains(p, "@") {
			return []string{strings.TrimSpace(field)}
		}
	}
	return pieces
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
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

// ref is a reference parsed, and, once resolved, the user or territory it
// names.
type ref struct {
	refArg
	isUser bool
	user   zohoterritory.UserRef
	terr   zohoterritory.TerritoryRef
	// User or Territory is what the reference resolved to; only the id is
	// set until [lookup.resolve] has read the directory, and for an id the
	// directory does not hold.
	User      zohoterritory.User
	Territory zohoterritory.Territory
}

// id is the id the reference resolved to.
func (r *ref) id() string {
	if r.isUser {
		return r.User.ID
	}
	return r.Territory.ID
}

// lookup resolves a command's references with at most one read of the
// directory: add every reference first (each parsed as it comes, a bad one
// named by where it came from), then resolve them all.
type lookup struct {
	refs []*ref
	dir  *zohoterritory.Directory
}

// add parses a reference to a user (isUser) or a territory.
func (l *lookup) add(a refArg, isUser bool) (*ref, error) {
	r := &ref{refArg: a, isUser: isUser}
	var err error
	if isUser {
		r.user, err = zohoterritory.ParseUserRef(a.raw)
		r.User.ID = r.user.ID
	} else {
		r.terr, err = zohoterritory.ParseTerritoryRef(a.raw)
		r.Territory.ID = r.terr.ID
	}
	if err != nil {
		return nil, refUsage(a, err)
	}
	l.refs = append(l.refs, r)
	return r, nil
}

// addAll parses every reference of as, all of one kind.
func (l *lookup) addAll(as []refArg, isUser bool) ([]*ref, error) {
	out := make([]*ref, len(as))
	for i, a := range as {
		r, err := l.add(a, isUser)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

// refUsage names a reference's problem by where it came from, as a usage
// error (exit 1, nothing sent).
func refUsage(a refArg, err error) error {
	where := a.where
	if strings.Contains(where, ", line ") {
		where += ":" // standard input, line 3: "12x": ...
	}
	var invalid *zohoterritory.InvalidRefError
	if errors.As(err, &invalid) {
		return cmdutil.Usagef("%s %q: %s", where, a.raw, invalid.Rule)
	}
	return cmdutil.Usagef("%s %q: %s; nothing was sent", where, a.raw, cmdutil.Message(err))
}

// query says what of the directory the references need; the zero query
// reads nothing.
func (l *lookup) query() zohoterritory.DirectoryQuery {
	var q zohoterritory.DirectoryQuery
	for _, r := range l.refs {
		switch {
		case r.isUser && !r.user.IsID():
			q.Users = true
		case !r.isUser && !r.terr.IsID():
			q.Territories = true
		}
	}
	return q
}

// needsRead reports whether resolving sends a request.
func (l *lookup) needsRead() bool { return !l.query().IsZero() }

// resolve reads what the references need, once, and resolves every one.
// A reference the org does not hold, or holds twice, is a usage error
// naming it (and the candidates); a failed read is the read's error.
func (l *lookup) resolve(ctx context.Context, c *zohoterritory.Client) error {
	q := l.query()
	if q.IsZero() {
		return nil
	}
	dir, err := c.ReadDirectory(ctx, q)
	if err != nil {
		code, msg := failure(err)
		return cmdutil.Exit(code, fmt.Errorf("reading the org's users and territories failed, so nothing was sent: %s", msg))
	}
	return l.resolveWith(dir)
}

// resolveWith resolves every reference from dir, which holds what they
// need.
func (l *lookup) resolveWith(dir *zohoterritory.Directory) error {
	l.dir = dir
	var err error
	for _, r := range l.refs {
		if r.isUser {
			r.User, err = dir.User(r.user)
		} else {
			r.Territory, err = dir.Territory(r.terr)
		}
		if err != nil {
			return refUsage(r.refArg, err)
		}
	}
	return nil
}

// ids are the ids the references resolved to, in order.
func refIDs(rs []*ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.id()
	}
	return out
}
