package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// This file answers every reference a run names with one read of the
// directory: the command line's arguments and flags, a file's rows, a Go
// program's list. [Client.Resolve] parses them all (no I/O), reads once
// the parts of the directory they need, and answers them all, or returns
// every one that names nothing or more than one thing, each with where it
// was given. [Client.ResolveMemberships] does so for a membership file's
// rows, and [Client.PlanRows] plans them.

// RefKind says what a [Reference] names.
type RefKind string

// The two kinds of reference.
const (
	// KindUser is a user, by id or e-mail address ([ParseUserRef]).
	KindUser RefKind = "user"
	// KindTerritory is a territory, by id, name or path
	// ([ParseTerritoryRef]).
	KindTerritory RefKind = "territory"
)

// Reference is a user or a territory as a person named it, and where they
// named it, for errors: "argument 2", "reorg.csv, line 3", "--territory".
// Build one with [UserReference] or [TerritoryReference].
type Reference struct {
	Kind RefKind
	// Raw is the reference as given: an id or an e-mail address for a
	// user; an id, a name or a path for a territory.
	Raw string
	// Where says where it was given; "" names it by its place in the
	// list ("reference 3").
	Where string
}

// UserReference is a reference to a user (an id or an e-mail address)
// given at where.
func UserReference(raw, where string) Reference {
	return Reference{Kind: KindUser, Raw: raw, Where: where}
}

// TerritoryReference is a reference to a territory (an id, a name or a
// path) given at where.
func TerritoryReference(raw, where string) Reference {
	return Reference{Kind: KindTerritory, Raw: raw, Where: where}
}

// RefError is one reference that cannot be resolved: it cannot name
// anything ([*InvalidRefError]), names nothing the org holds
// ([*UnknownRefError]), or names more than one user or territory
// ([*AmbiguousRefError]).
type RefError struct {
	Ref Reference
	Err error
}

// Error says where the reference was given, what it was and why it
// cannot be resolved: `reorg.csv, line 3: "zoe@acme.com": no user of the
// org has the e-mail address "zoe@acme.com" (...)`, or for a reference
// that cannot name anything the rule alone: `argument 2 "12x": must be a
// user id (decimal digits) or an e-mail address`.
func (e *RefError) Error() string {
	where := e.Ref.Where
	if strings.Contains(where, ", line ") {
		where += ":" // reorg.csv, line 3: "x": ...
	}
	msg := strings.TrimPrefix(e.Err.Error(), "zohoterritory: ")
	var invalid *InvalidRefError
	if errors.As(e.Err, &invalid) {
		msg = invalid.Rule
	}
	if where == "" {
		return fmt.Sprintf("%q: %s", e.Ref.Raw, msg)
	}
	return fmt.Sprintf("%s %q: %s", where, e.Ref.Raw, msg)
}

// Unwrap returns why the reference cannot be resolved.
func (e *RefError) Unwrap() error { return e.Err }

// ResolveError is every reference of one resolution that cannot be
// resolved, in the order they were given. When some cannot name anything
// at all, they alone are listed, and nothing was read; otherwise the
// directory was read, and nothing else was sent.
type ResolveError struct {
	Refs []*RefError
}

// Error lists the references, one a line after the first when there are
// several.
func (e *ResolveError) Error() string {
	if len(e.Refs) == 1 {
		return e.Refs[0].Error()
	}
	lines := make([]string, len(e.Refs))
	for i, r := range e.Refs {
		lines[i] = r.Error()
	}
	return fmt.Sprintf("%d references cannot be resolved:\n\t%s", len(e.Refs), strings.Join(lines, "\n\t"))
}

// Unwrap returns every reference's [*RefError], for [errors.As].
func (e *ResolveError) Unwrap() []error {
	out := make([]error, len(e.Refs))
	for i, r := range e.Refs {
		out[i] = r
	}
	return out
}

// Resolution is what [Client.Resolve] found.
type Resolution struct {
	// IDs are the ids the references name, in their order.
	IDs []string
	// Directory is what was read to resolve them (and what the query
	// asked for besides): the users, when an e-mail address was given, the
	// territories, when a name or a path was; nothing for ids alone. An id
	// the directory holds has its name there ([Directory.UserByID],
	// [Directory.TerritoryByID]).
	Directory *Directory
}

// QueryFor says what of the directory refs need to be resolved: the users
// when one is an e-mail address, the territories when one is a name or a
// path; the zero query for ids alone (and for references that name
// nothing at all, which [Client.Resolve] refuses before any read).
func QueryFor(refs []Reference) DirectoryQuery {
	var q DirectoryQuery
	for _, r := range refs {
		switch r.Kind {
		case KindUser:
			ref, err := ParseUserRef(r.Raw)
			q.Users = q.Users || (err == nil && !ref.IsID())
		case KindTerritory:
			ref, err := ParseTerritoryRef(r.Raw)
			q.Territories = q.Territories || (err == nil && !ref.IsID())
		}
	}
	return q
}

// Resolve resolves every reference with at most one read of the
// directory: the users when one is an e-mail address, the territories
// when one is a name or a path (the two side by side), and what also asks
// for besides, in the same read; an id needs no read. It answers them all,
// in order, or returns a [*ResolveError] listing every one that cannot be
// resolved, each with where it was given: references that cannot name
// anything are refused before anything is read; then every unknown and
// every ambiguous one, after the read. A failed read is returned as it
// is.
func (c *Client) Resolve(ctx context.Context, refs []Reference, also DirectoryQuery) (*Resolution, error) {
	type parsed struct {
		user UserRef
		terr TerritoryRef
	}
	refs = slices.Clone(refs) // Where is filled in below
	ps := make([]parsed, len(refs))
	q := QueryFor(refs)
	q.Users, q.UserIDs, q.Territories = q.Users || also.Users, also.UserIDs, q.Territories || also.Territories
	var bad []*RefError
	for i, r := range refs {
		if r.Where == "" {
			refs[i].Where = fmt.Sprintf("reference %d", i+1)
		}
		var err error
		switch r.Kind {
		case KindUser:
			ps[i].user, err = ParseUserRef(r.Raw)
		case KindTerritory:
			ps[i].terr, err = ParseTerritoryRef(r.Raw)
		default:
			err = &InvalidRefError{Kind: r.Kind, Ref: r.Raw, Rule: fmt.Sprintf("Reference.Kind %q: want %q or %q", r.Kind, KindUser, KindTerritory)}
		}
		if err != nil {
			bad = append(bad, &RefError{Ref: refs[i], Err: err})
		}
	}
	if len(bad) > 0 {
		return nil, &ResolveError{Refs: bad}
	}
	dir := newDirectory(nil, nil, false, false)
	if !q.IsZero() {
		var err error
		if dir, err = c.ReadDirectory(ctx, q); err != nil {
			return nil, err
		}
	}
	res := &Resolution{IDs: make([]string, len(refs)), Directory: dir}
	for i, r := range refs {
		var err error
		if r.Kind == KindUser {
			var u User
			u, err = dir.User(ps[i].user)
			res.IDs[i] = u.ID
		} else {
			var t Territory
			t, err = dir.Territory(ps[i].terr)
			res.IDs[i] = t.ID
		}
		if err != nil {
			bad = append(bad, &RefError{Ref: refs[i], Err: err})
		}
	}
	if len(bad) > 0 {
		return nil, &ResolveError{Refs: bad}
	}
	return res, nil
}

// ResolveMemberships resolves the rows of a membership file
// ([ReadMemberships]) to memberships, in the rows' order, with one read of
// the directory as [Client.Resolve] does (and what also asks for
// besides): every row's unknown or ambiguous territory or user is in the
// [*ResolveError], named by the file and its line. It returns the
// directory read beside the memberships.
func (c *Client) ResolveMemberships(ctx context.Context, rows []MembershipRow, also DirectoryQuery) ([]Membership, *Directory, error) {
	refs := make([]Reference, 0, 2*len(rows))
	for i, r := range rows {
		where := r.place(i)
		refs = append(refs, TerritoryReference(r.Territory, where), UserReference(r.User, where))
	}
	res, err := c.Resolve(ctx, refs, also)
	if err != nil {
		return nil, nil, err
	}
	out := make([]Membership, len(rows))
	for i := range rows {
		out[i] = Membership{TerritoryID: res.IDs[2*i], UserID: res.IDs[2*i+1]}
	}
	return out, res.Directory, nil
}

// place names the row for errors: "reorg.csv, line 3", or "line 3" for a
// row that names no file, or "row 3" for one that names no line either.
func (r MembershipRow) place(i int) string {
	switch {
	case r.Line > 0 && r.File != "":
		return fmt.Sprintf("%s, line %d", r.File, r.Line)
	case r.Line > 0:
		return fmt.Sprintf("line %d", r.Line)
	}
	return fmt.Sprintf("row %d", i+1)
}

// PlanRows plans a membership file in one call: it resolves the rows
// ([Client.ResolveMemberships]; the territories are read whatever they
// name, for their managers and the default territory) and plans the
// memberships ([Client.PlanMemberships]). It returns the directory read
// beside the plan, for the names and paths of the plan's ids. Nothing is
// changed.
//
//	rows, err := zohoterritory.ReadMemberships(f, "reorg.csv")
//	plan, dir, err := client.PlanRows(ctx, rows, zohoterritory.PlanOptions{})
func (c *Client) PlanRows(ctx context.Context, rows []MembershipRow, opts PlanOptions) (*Plan, *Directory, error) {
	if _, err := opts.check(); err != nil {
		return nil, nil, err
	}
	desired, dir, err := c.ResolveMemberships(ctx, rows, DirectoryQuery{Territories: true})
	if err != nil {
		return nil, nil, err
	}
	plan, err := c.PlanMemberships(ctx, desired, dir, opts)
	if err != nil {
		return nil, nil, err
	}
	return plan, dir, nil
}
