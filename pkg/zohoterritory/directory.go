package zohoterritory

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// This file resolves what admins know (e-mail addresses, territory names
// and paths) to the ids Zoho wants, from one read of the org's directory:
// references are parsed first (no I/O), the directory is read once for all
// of them ([Client.ReadDirectory]), and each reference is then answered
// from the index. An unknown or ambiguous reference is an error before
// anything is sent.

// PathSeparator separates the names of a territory path, such as
// "North America/West Coast".
const PathSeparator = "/"

// UserRef is a reference to a user as a person gives it: an id, or an
// e-mail address. Parse one with [ParseUserRef].
type UserRef struct {
	// Raw is the reference as given, surrounding spaces removed.
	Raw string
	// ID is set when the reference is a record id; Email when it is an
	// e-mail address. Exactly one of them is set.
	ID, Email string
}

// IsID reports whether the reference is a record id, which resolves
// without reading the directory.
func (r UserRef) IsID() bool { return r.ID != "" }

// TerritoryRef is a reference to a territory as a person gives it: an id,
// a name, or a path of names from the top of the hierarchy ("North
// America/West Coast") for names that repeat. Parse one with
// [ParseTerritoryRef].
type TerritoryRef struct {
	// Raw is the reference as given, surrounding spaces removed.
	Raw string
	// ID is set when the reference is a record id; otherwise Raw is a
	// name or a path.
	ID string
}

// IsID reports whether the reference is a record id, which resolves
// without reading the directory.
func (r TerritoryRef) IsID() bool { return r.ID != "" }

// InvalidRefError is a reference that cannot name anything: not an id,
// not an e-mail address (for a user), or empty. Nothing was read or sent.
type InvalidRefError struct {
	// Kind is [KindUser] or [KindTerritory].
	Kind RefKind
	// Ref is the reference as given.
	Ref string
	// Rule is the rule it breaks.
	Rule string
}

func (e *InvalidRefError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Kind, e.Ref, e.Rule)
}

// UnknownRefError is a reference that the org's directory does not hold:
// no user has the e-mail address, no territory has the name or path.
type UnknownRefError struct {
	// Kind is [KindUser] or [KindTerritory].
	Kind RefKind
	// Ref is the reference as given.
	Ref string
}

func (e *UnknownRefError) Error() string {
	if e.Kind == KindUser {
		return fmt.Sprintf("no user of the org has the e-mail address %q (every user was read, deactivated ones included)", e.Ref)
	}
	if strings.Contains(e.Ref, PathSeparator) {
		return fmt.Sprintf("no territory is named %q, nor has that path", e.Ref)
	}
	return fmt.Sprintf("no territory is named %q", e.Ref)
}

// AmbiguousRefError is a reference that names more than one user or
// territory. Candidates lists every one of them, so that the caller can
// give an id (or, for a territory, a path) instead.
type AmbiguousRefError struct {
	// Kind is [KindUser] or [KindTerritory].
	Kind RefKind
	// Ref is the reference as given.
	Ref        string
	Candidates []Candidate
}

// Candidate is one of the users or territories an ambiguous reference
// names.
type Candidate struct {
	ID   string
	Name string
	// Path is a territory's path ([Directory.Path]); Email and Status are
	// a user's.
	Path, Email, Status string
}

// String describes the candidate as "<id> (<path>)" for a territory, or
// "<id> (<name>, <status>)" for a user.
func (c Candidate) String() string {
	if c.Path != "" {
		return fmt.Sprintf("%s (%s)", c.ID, c.Path)
	}
	var parts []string
	for _, s := range []string{c.Name, c.Status} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return c.ID
	}
	return fmt.Sprintf("%s (%s)", c.ID, strings.Join(parts, ", "))
}

func (e *AmbiguousRefError) Error() string {
	list := make([]string, len(e.Candidates))
	for i, c := range e.Candidates {
		list[i] = c.String()
	}
	if e.Kind == KindUser {
		return fmt.Sprintf("the e-mail address %q belongs to %d users: %s; give the id of the one you mean",
			e.Ref, len(e.Candidates), strings.Join(list, ", "))
	}
	return fmt.Sprintf("the territory name %q is ambiguous, %d territories have it: %s; give the id or the path of the one you mean",
		e.Ref, len(e.Candidates), strings.Join(list, ", "))
}

// ErrDirectoryNotRead matches the error of a lookup that needs a part of
// the directory (the users, to find an e-mail address; the territories, to
// find a name) that was not read: a mistake of the caller's, who asked
// [Client.ReadDirectory] for less than the references need.
var ErrDirectoryNotRead = errors.New("zohoterritory: that part of the directory was not read")

// ParseUserRef parses a user reference: a record id (see [CheckID]) or an
// e-mail address. It reads nothing; an [*InvalidRefError] says why a
// reference is neither.
func ParseUserRef(s string) (UserRef, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return UserRef{}, &InvalidRefError{Kind: KindUser, Ref: s, Rule: "must not be empty"}
	}
	if allDigits(raw) {
		if err := CheckID(raw); err != nil {
			var idErr *InvalidIDError
			errors.As(err, &idErr)
			return UserRef{}, &InvalidRefError{Kind: KindUser, Ref: s, Rule: "an id " + idErr.Rule}
		}
		return UserRef{Raw: raw, ID: raw}, nil
	}
	local, domain, ok := strings.Cut(raw, "@")
	if !ok || local == "" || domain == "" || strings.ContainsAny(raw, " \t\r\n,;") || strings.Contains(domain, "@") {
		return UserRef{}, &InvalidRefError{Kind: KindUser, Ref: s, Rule: "must be a user id (decimal digits) or an e-mail address"}
	}
	return UserRef{Raw: raw, Email: raw}, nil
}

// ParseTerritoryRef parses a territory reference: a record id when it is
// all decimal digits, otherwise a name or a path of names. It reads
// nothing; an [*InvalidRefError] says why a reference can name nothing.
func ParseTerritoryRef(s string) (TerritoryRef, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return TerritoryRef{}, &InvalidRefError{Kind: KindTerritory, Ref: s, Rule: "must not be empty"}
	}
	if allDigits(raw) {
		if err := CheckID(raw); err != nil {
			var idErr *InvalidIDError
			errors.As(err, &idErr)
			return TerritoryRef{}, &InvalidRefError{Kind: KindTerritory, Ref: s, Rule: "an id " + idErr.Rule}
		}
		return TerritoryRef{Raw: raw, ID: raw}, nil
	}
	return TerritoryRef{Raw: raw}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Directory is an org's users and territories as one read found them,
// indexed to answer references without another call. Build it with
// [Client.ReadDirectory], or [NewDirectory] from values. Either part may
// be missing (not read); lookups that need it fail with
// [ErrDirectoryNotRead]. A Directory is not changed after it is built and
// is safe for concurrent use.
type Directory struct {
	users       []User
	territories []Territory
	hasUsers    bool
	hasTerrs    bool

	userAt  map[string]int   // id → index in users
	byEmail map[string][]int // folded e-mail → indexes
	terrAt  map[string]int   // id → index in territories
	byName  map[string][]int // folded name → indexes
	byPath  map[string][]int // folded path (with and without the root's name) → indexes
	paths   []string         // index → path
}

// NewDirectory indexes users and territories. A nil slice means that part
// was not read; an empty one, that the org has none.
func NewDirectory(users []User, territories []Territory) *Directory {
	return newDirectory(users, territories, users != nil, territories != nil)
}

// newDirectory indexes users and territories, hasUsers and hasTerrs saying
// whether each part is the org's whole. A territory's path is known only
// when the territories are whole: a part of the tree would give part of a
// path.
func newDirectory(users []User, territories []Territory, hasUsers, hasTerrs bool) *Directory {
	d := &Directory{
		users: users, territories: territories,
		hasUsers: hasUsers, hasTerrs: hasTerrs,
		userAt: make(map[string]int, len(users)), byEmail: make(map[string][]int, len(users)),
		terrAt: make(map[string]int, len(territories)), byName: make(map[string][]int, len(territories)),
		byPath: make(map[string][]int, 2*len(territories)),
	}
	for i, u := range users {
		d.userAt[u.ID] = i
		if u.Email != "" {
			k := fold(u.Email)
			d.byEmail[k] = append(d.byEmail[k], i)
		}
	}
	for i, t := range territories {
		d.terrAt[t.ID] = i
		k := fold(t.Name)
		d.byName[k] = append(d.byName[k], i)
	}
	d.paths = make([]string, len(territories))
	for i := range territories {
		if !hasTerrs {
			break
		}
		names, rooted := d.chain(i)
		d.paths[i] = strings.Join(names, PathSeparator)
		keys := []string{foldPath(names)}
		if rooted != "" {
			keys = append(keys, foldPath(append([]string{rooted}, names...)))
		}
		for _, k := range keys {
			if !slices.Contains(d.byPath[k], i) {
				d.byPath[k] = append(d.byPath[k], i)
			}
		}
	}
	return d
}

// chain returns the names from the top of the hierarchy down to territory
// i, the root (the organization territory) left out unless i is the root,
// and the root's name when it was left out. A parent missing from the
// listing, or a cycle, ends the chain where it breaks.
func (d *Directory) chain(i int) (names []string, root string) {
	seen := map[int]bool{}
	for at := i; ; {
		seen[at] = true
		t := d.territories[at]
		if t.ReportingTo == nil {
			if at == i {
				return []string{t.Name}, ""
			}
			slices.Reverse(names)
			return names, t.Name
		}
		names = append(names, t.Name)
		parent, ok := d.terrAt[t.ReportingTo.ID]
		if !ok || seen[parent] {
			slices.Reverse(names)
			return names, ""
		}
		at = parent
	}
}

// fold is the key names and e-mail addresses are matched by: without
// surrounding spaces, case folded.
func fold(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func foldPath(names []string) string {
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = fold(n)
	}
	return strings.Join(keys, PathSeparator)
}

// HasUsers reports whether the directory holds every user of the org
// (deactivated ones included), rather than some of them or none.
func (d *Directory) HasUsers() bool { return d.hasUsers }

// HasTerritories reports whether the directory holds every territory of
// the org, rather than some of them or none.
func (d *Directory) HasTerritories() bool { return d.hasTerrs }

// Users returns every user read, in Zoho's order; nil when no user was
// read. The slice is shared: do not change it.
func (d *Directory) Users() []User { return d.users }

// Territories returns every territory read, in Zoho's order; nil when the
// territories were not read. The slice is shared: do not change it.
func (d *Directory) Territories() []Territory { return d.territories }

// UserByID returns the user with the id, if the directory holds it.
func (d *Directory) UserByID(id string) (User, bool) {
	if i, ok := d.userAt[id]; ok {
		return d.users[i], true
	}
	return User{}, false
}

// TerritoryByID returns the territory with the id, if the directory holds
// it.
func (d *Directory) TerritoryByID(id string) (Territory, bool) {
	if i, ok := d.terrAt[id]; ok {
		return d.territories[i], true
	}
	return Territory{}, false
}

// Path returns the territory's names from the top of the hierarchy down,
// joined by [PathSeparator], such as "North America/West Coast". The
// organization territory at the root is left out of its descendants'
// paths; its own path is its name. "" when the directory does not hold the
// territory, or holds only some of the org's ([Directory.HasTerritories]
// is false).
func (d *Directory) Path(id string) string {
	if i, ok := d.terrAt[id]; ok {
		return d.paths[i]
	}
	return ""
}

// Children returns the ids of the territories that report to the one with
// id, in Zoho's order; with id "", the roots.
func (d *Directory) Children(id string) []string {
	var out []string
	for _, t := range d.territories {
		parent := ""
		if t.ReportingTo != nil {
			parent = t.ReportingTo.ID
			if _, known := d.terrAt[parent]; !known {
				parent = "" // an orphan is shown at the top
			}
		}
		if parent == id && t.ID != id {
			out = append(out, t.ID)
		}
	}
	return out
}

// User resolves a user reference. An id resolves to itself, with the
// user's details when the directory holds them (a user the listing did not
// return still resolves: Zoho decides about ids). An e-mail address is
// matched exactly, ignoring case and surrounding spaces, over every user
// read: an [*UnknownRefError] when none has it, an [*AmbiguousRefError]
// naming each when several do.
func (d *Directory) User(ref UserRef) (User, error) {
	if ref.IsID() {
		if u, ok := d.UserByID(ref.ID); ok {
			return u, nil
		}
		return User{ID: ref.ID}, nil
	}
	if !d.hasUsers {
		return User{}, fmt.Errorf("user %q: %w", ref.Raw, ErrDirectoryNotRead)
	}
	at := d.byEmail[fold(ref.Email)]
	switch len(at) {
	case 0:
		return User{}, &UnknownRefError{Kind: KindUser, Ref: ref.Raw}
	case 1:
		return d.users[at[0]], nil
	}
	e := &AmbiguousRefError{Kind: KindUser, Ref: ref.Raw}
	for _, i := range at {
		u := d.users[i]
		e.Candidates = append(e.Candidates, Candidate{ID: u.ID, Name: u.FullName, Email: u.Email, Status: u.Status})
	}
	return User{}, e
}

// Territory resolves a territory reference. An id resolves to itself, with
// the territory's details when the directory holds them. A name is matched
// exactly, ignoring case and surrounding spaces; a path ("North
// America/West Coast", with or without the root's name in front) is matched
// name by name from the top. A reference that is both the name of one
// territory and the path of another names both. An [*UnknownRefError] when
// nothing matches, an [*AmbiguousRefError] naming every match, with its
// path, when several do.
func (d *Directory) Territory(ref TerritoryRef) (Territory, error) {
	if ref.IsID() {
		if t, ok := d.TerritoryByID(ref.ID); ok {
			return t, nil
		}
		return Territory{ID: ref.ID}, nil
	}
	if !d.hasTerrs {
		return Territory{}, fmt.Errorf("territory %q: %w", ref.Raw, ErrDirectoryNotRead)
	}
	at := slices.Clone(d.byName[fold(ref.Raw)])
	if strings.Contains(ref.Raw, PathSeparator) {
		for _, i := range d.byPath[foldPath(strings.Split(ref.Raw, PathSeparator))] {
			if !slices.Contains(at, i) {
				at = append(at, i)
			}
		}
	}
	switch len(at) {
	case 0:
		return Territory{}, &UnknownRefError{Kind: KindTerritory, Ref: ref.Raw}
	case 1:
		return d.territories[at[0]], nil
	}
	slices.Sort(at) // Zoho's order
	e := &AmbiguousRefError{Kind: KindTerritory, Ref: ref.Raw}
	for _, i := range at {
		t := d.territories[i]
		e.Candidates = append(e.Candidates, Candidate{ID: t.ID, Name: t.Name, Path: d.paths[i]})
	}
	return Territory{}, e
}
