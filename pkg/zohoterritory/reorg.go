package zohoterritory

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// This file is a reorganisation as a value, as Terraform makes a plan: the
// desired memberships (a file of territory and user), the org's memberships
// as read, and Zoho's rules give, by a pure function ([Diff]), a [Plan]
// that lists every add, every removal and every membership left alone with
// its reason; [Plan.ChangeSet] is what [Client.ApplySet] then makes. A plan
// saved as versioned JSON carries what the org looked like, so that a stale
// one is refused ([Client.CheckPlan]).

// PlanFormat is the value of every saved plan's "format".
const PlanFormat = "zohoterritory-plan"

// PlanVersion is the saved plan format this package writes. It reads
// this one and version 1, whose skips name their op "add" or "remove"
// rather than an [Op].
const PlanVersion = 2

// DefaultTerritoryUserLimit is how many users, its manager counted, a
// territory holds at most: Zoho's LIMIT_EXCEEDED example says 100.
const DefaultTerritoryUserLimit = 100

// MembershipRow is one row of a membership file, as written: a territory
// (id, name or path) and a user (id or e-mail address).
type MembershipRow struct {
	// File and Line are the row's file (the name [ReadMemberships] was
	// given) and line, for errors.
	File      string
	Line      int
	Territory string
	User      string
}

// FileError is a membership file or a saved plan that cannot be read,
// naming the file and, when it is about one row, its line.
type FileError struct {
	Name string
	Line int
	Err  error
}

func (e *FileError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %v", e.Name, e.Err)
	}
	return fmt.Sprintf("%s, line %d: %v", e.Name, e.Line, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// ReadMemberships reads a membership file: CSV with a header naming its
// columns `territory` and `user` (in any order, other columns ignored),
// one membership a row. A UTF-8 byte order mark and blank lines are fine;
// a row without a territory or a user, a malformed row, a header without
// both columns, or no row at all is a [*FileError] naming name and the
// line. Repeated rows are kept (the plan counts each membership once).
func ReadMemberships(r io.Reader, name string) ([]MembershipRow, error) {
	br := bufio.NewReader(r)
	if bom, err := br.Peek(3); err == nil && bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	fail := func(line int, format string, args ...any) error {
		return &FileError{Name: name, Line: line, Err: fmt.Errorf(format, args...)}
	}
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &FileError{Name: name, Err: errors.New("empty: want a header `territory,user` and a row a membership")}
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	tcol, ucol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "territory", "territory_id", "territory_name", "territory_path":
			if tcol < 0 {
				tcol = i
			}
		case "user", "user_id", "user_email", "email":
			if ucol < 0 {
				ucol = i
			}
		}
	}
	line, _ := cr.FieldPos(0)
	if tcol < 0 || ucol < 0 {
		return nil, fail(line, "the header %q names no %s column: want `territory,user`", strings.Join(header, ","), missingColumn(tcol, ucol))
	}
	var out []MembershipRow
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			if len(out) == 0 {
				return nil, &FileError{Name: name, Err: errors.New("no membership: want a row a membership after the header `territory,user`")}
			}
			return out, nil
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a line of spaces
		}
		get := func(i int) string {
			if i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		row := MembershipRow{File: name, Line: line, Territory: get(tcol), User: get(ucol)}
		switch {
		case row.Territory == "" && row.User == "":
			continue
		case row.Territory == "":
			return nil, fail(line, "no territory for user %q", row.User)
		case row.User == "":
			return nil, fail(line, "no user for territory %q", row.Territory)
		}
		out = append(out, row)
	}
}

func missingColumn(tcol, ucol int) string {
	switch {
	case tcol < 0 && ucol < 0:
		return "territory and no user"
	case tcol < 0:
		return "territory"
	}
	return "user"
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &FileError{Name: name, Line: pe.Line, Err: pe.Err}
	}
	return &FileError{Name: name, Err: err}
}

// Membership is one user in one territory, by id.
type Membership struct {
	TerritoryID string
	UserID      string
}

// PlanBy says what a [Plan] makes exact: each territory's users, or each
// user's territories.
type PlanBy string

// The two ways a plan reads its file.
const (
	// ByTerritory: each territory of the file ends with exactly the users
	// listed for it, and its manager; territories not in the file are not
	// touched.
	ByTerritory PlanBy = "territory"
	// ByUser: each user of the file ends with exactly the territories
	// listed for them, and the default territory and those they manage;
	// users not in the file are not touched.
	ByUser PlanBy = "user"
)

// Ops returns the ops of a plan by by: the add and the removal of an
// owner's members (users of a territory, territories of a user).
func (by PlanBy) Ops() (add, remove Op) {
	if by == ByUser {
		return OpAddTerritories, OpRemoveTerritories
	}
	return OpAddUsers, OpRemoveUsers
}

// PlanOptions say how a plan is made.
type PlanOptions struct {
	// By is ByTerritory (the default, for "") or ByUser.
	By PlanBy
	// AddOnly keeps the adds, RemoveOnly the removals; at most one.
	AddOnly, RemoveOnly bool
	// TerritoryUserLimit is the most users a territory holds
	// (DefaultTerritoryUserLimit for 0). By territory, adds that would
	// take a territory past it, the removals not yet made, are skipped.
	TerritoryUserLimit int
}

// Check returns an [*OptionError] of PlanOptions naming the first field
// that planning would refuse, before anything is read; nil when the
// options are good.
func (o PlanOptions) Check() error {
	_, err := o.check()
	return err
}

// check returns the options with their defaults, or an [*OptionError] of
// PlanOptions naming the field refused.
func (o PlanOptions) check() (PlanOptions, error) {
	bad := func(field string, value any, format string, args ...any) error {
		return &OptionError{Option: "PlanOptions", Field: field, Value: value, Err: fmt.Errorf(format, args...)}
	}
	switch o.By {
	case "":
		o.By = ByTerritory
	case ByTerritory, ByUser:
	default:
		return o, bad("By", string(o.By), "want %q or %q", ByTerritory, ByUser)
	}
	if o.AddOnly && o.RemoveOnly {
		return o, bad("AddOnly and RemoveOnly", nil, "give one of them")
	}
	if o.TerritoryUserLimit < 0 {
		return o, bad("TerritoryUserLimit", o.TerritoryUserLimit, "must not be negative")
	}
	if o.TerritoryUserLimit == 0 {
		o.TerritoryUserLimit = DefaultTerritoryUserLimit
	}
	return o, nil
}

// OwnerState is what the org holds for one owner of a plan, as read: a
// territory's users (by territory), or a user's territories (by user); and
// those of them Zoho refuses to remove, with the reason: a territory's
// manager; a user's default territory and the territories they manage
// (every user of the default territory, by territory).
type OwnerState struct {
	Owner     string
	Members   []string
	Protected map[string]Reason
	// Unaddable holds, of the members the file asks to add, those Zoho
	// would refuse to add, with the reason: by territory, users who are
	// not active ([ReasonUserInactive]); by user, every territory of a
	// user who is not. Their adds are skipped, and so are the removals of
	// those users elsewhere in the plan ([ReasonKept]).
	Unaddable map[string]Reason
}

// Plan is a reorganisation computed, not yet made: for each owner (a
// territory, or a user) the memberships to add and to remove, those
// already as the file wants them, those left alone and why, and what the
// org held when the plan was made. Build one with [Client.PlanMemberships]
// or [Diff]; make it with [Plan.ChangeSet] and [Client.ApplySet]. It saves
// as versioned JSON ([Plan.WriteTo], [ReadPlan]).
type Plan struct {
	Format     string    `json:"format"`
	Version    int       `json:"version"`
	Created    time.Time `json:"created"`
	APIDomain  string    `json:"api_domain,omitempty"`
	APIVersion string    `json:"api_version,omitempty"`
	By         PlanBy    `json:"by"`
	AddOnly    bool      `json:"add_only,omitempty"`
	RemoveOnly bool      `json:"remove_only,omitempty"`
	// Groups are the owners, in the file's order.
	Groups []PlanGroup `json:"groups"`
}

// PlanGroup is one owner of a [Plan]: a territory by territory, a user by
// user. Add, Remove and Unchanged hold the other side's ids (users of a
// territory, territories of a user), each in the file's order, then the
// org's.
type PlanGroup struct {
	Owner     string     `json:"owner"`
	Add       []string   `json:"add"`
	Remove    []string   `json:"remove"`
	Unchanged []string   `json:"unchanged"`
	Skipped   []PlanSkip `json:"skipped"`
	// Before is the owner's members when the plan was made: what a saved
	// plan assumes of the org.
	Before []string `json:"before"`
}

// PlanSkip is a membership a plan leaves alone, and why.
type PlanSkip struct {
	ID string `json:"id"`
	// Op is what the file asked for: the plan's add or its removal (see
	// [PlanBy.Ops]).
	Op      Op     `json:"op"`
	Reason  Reason `json:"reason"`
	Message string `json:"message"`
}

// PlanTotals counts a plan's memberships.
type PlanTotals struct {
	Add, Remove, Unchanged, Skipped int
}

// String is the line a person reads first: "Plan: 12 to add, 7 to remove,
// 3 unchanged, 2 skipped".
func (t PlanTotals) String() string {
	return fmt.Sprintf("Plan: %d to add, %d to remove, %d unchanged, %d skipped", t.Add, t.Remove, t.Unchanged, t.Skipped)
}

// Totals counts the plan's memberships.
func (p *Plan) Totals() PlanTotals {
	var t PlanTotals
	for _, g := range p.Groups {
		t.Add += len(g.Add)
		t.Remove += len(g.Remove)
		t.Unchanged += len(g.Unchanged)
		t.Skipped += len(g.Skipped)
	}
	return t
}

// IDs returns every user and every territory the plan names (owners,
// adds, removals, memberships left as they are, skips), each once, in the
// plan's order: what a person reads the plan by needs the names of.
func (p *Plan) IDs() (users, territories []string) {
	seenU, seenT := map[string]bool{}, map[string]bool{}
	add := func(list *[]string, seen map[string]bool, id string) {
		if !seen[id] {
			seen[id] = true
			*list = append(*list, id)
		}
	}
	owners, members := &territories, &users
	seenO, seenM := seenT, seenU
	if p.By == ByUser {
		owners, members, seenO, seenM = &users, &territories, seenU, seenT
	}
	for _, g := range p.Groups {
		add(owners, seenO, g.Owner)
		for _, list := range [][]string{g.Add, g.Remove, g.Unchanged} {
			for _, id := range list {
				add(members, seenM, id)
			}
		}
		for _, s := range g.Skipped {
			add(members, seenM, s.ID)
		}
	}
	return users, territories
}

// HasChanges reports whether applying the plan would send anything.
func (p *Plan) HasChanges() bool {
	t := p.Totals()
	return t.Add+t.Remove > 0
}

// ChangeSet returns the changes that make the plan: for each owner its
// adds and its removals, the set adding before it removes (see
// [ChangeSet]); owners with nothing to do are left out.
func (p *Plan) ChangeSet() ChangeSet {
	add, remove := p.By.Ops()
	var set ChangeSet
	for _, g := range p.Groups {
		if len(g.Add) > 0 {
			set.Changes = append(set.Changes, Change{Op: add, Owner: g.Owner, IDs: slices.Clone(g.Add)})
		}
	}
	for _, g := range p.Groups {
		if len(g.Remove) > 0 {
			set.Changes = append(set.Changes, Change{Op: remove, Owner: g.Owner, IDs: slices.Clone(g.Remove)})
		}
	}
	return set
}

// Diff computes the plan that makes the org hold desired, from the
// owners' state as read (one [OwnerState] for each owner of desired: a
// territory by territory, a user by user) and Zoho's rules: a manager, the
// default territory, a user who is not active ([OwnerState.Unaddable])
// and (by territory) the territory's user limit are skipped with their
// reasons, never planned. A user whose add is skipped by such a rule keeps
// the memberships the plan would remove ([ReasonKept]), as [ChangeSet]
// keeps them when an add fails: nobody is left in neither. It reads and
// sends nothing. A desired membership repeated counts once.
func Diff(desired []Membership, state []OwnerState, opts PlanOptions) (*Plan, error) {
	opts, err := opts.check()
	if err != nil {
		return nil, err
	}
	p := &Plan{Format: PlanFormat, Version: PlanVersion, By: opts.By, AddOnly: opts.AddOnly, RemoveOnly: opts.RemoveOnly, Groups: []PlanGroup{}}
	byOwner := map[string]*OwnerState{}
	for i := range state {
		byOwner[state[i].Owner] = &state[i]
	}
	// The owners and what they should hold, in the file's order.
	var owners []string
	want := map[string][]string{}
	for i, m := range desired {
		if err := checkID(fmt.Sprintf("desired[%d].TerritoryID", i), m.TerritoryID); err != nil {
			return nil, err
		}
		if err := checkID(fmt.Sprintf("desired[%d].UserID", i), m.UserID); err != nil {
			return nil, err
		}
		owner, member := m.TerritoryID, m.UserID
		if opts.By == ByUser {
			owner, member = m.UserID, m.TerritoryID
		}
		if _, seen := want[owner]; !seen {
			owners = append(owners, owner)
		}
		if !slices.Contains(want[owner], member) {
			want[owner] = append(want[owner], member)
		}
	}
	for _, owner := range owners {
		st, ok := byOwner[owner]
		if !ok {
			return nil, fmt.Errorf("zohoterritory: Diff: no state for %s %s", ownerKind(opts.By), owner)
		}
		g := diffOwner(owner, want[owner], st, opts)
		p.Groups = append(p.Groups, g)
	}
	p.keepCoupled()
	return p, nil
}

// keepCoupled moves to the skips the removals of every user whose add the
// plan skips by Zoho's rules (not active, a territory full), with the
// reason [ReasonKept]: the set would keep them, since a user loses a
// membership only once every add of theirs is done.
func (p *Plan) keepCoupled() {
	type skippedAdd struct {
		territory string
		reason    Reason
	}
	held := map[string]skippedAdd{}
	userOf := func(owner, id string) (user, territory string) {
		if p.By == ByUser {
			return owner, id
		}
		return id, owner
	}
	for _, g := range p.Groups {
		for _, sk := range g.Skipped {
			if !sk.Op.Adds() || (sk.Reason != ReasonUserInactive && sk.Reason != ReasonLimitExceeded) {
				continue
			}
			if user, territory := userOf(g.Owner, sk.ID); held[user] == (skippedAdd{}) {
				held[user] = skippedAdd{territory, sk.Reason}
			}
		}
	}
	if len(held) == 0 {
		return
	}
	_, remove := p.By.Ops()
	for i, g := range p.Groups {
		keep := g.Remove[:0:0]
		for _, id := range g.Remove {
			user, _ := userOf(g.Owner, id)
			h, ok := held[user]
			if !ok {
				keep = append(keep, id)
				continue
			}
			p.Groups[i].Skipped = append(p.Groups[i].Skipped, PlanSkip{ID: id, Op: remove, Reason: ReasonKept,
				Message: fmt.Sprintf("not removed, so the user keeps it: adding the user to territory %s is skipped (%s)", h.territory, h.reason)})
		}
		p.Groups[i].Remove = keep
	}
}

func ownerKind(by PlanBy) string {
	if by == ByUser {
		return "user"
	}
	return "territory"
}

func diffOwner(owner string, want []string, st *OwnerState, opts PlanOptions) PlanGroup {
	addOp, removeOp := opts.By.Ops()
	g := PlanGroup{Owner: owner, Add: []string{}, Remove: []string{}, Unchanged: []string{}, Skipped: []PlanSkip{}, Before: slices.Clone(st.Members)}
	if g.Before == nil {
		g.Before = []string{}
	}
	has := make(map[string]bool, len(st.Members))
	for _, m := range st.Members {
		has[m] = true
	}
	wanted := make(map[string]bool, len(want))
	for _, w := range want {
		wanted[w] = true
		switch {
		case has[w]:
			g.Unchanged = append(g.Unchanged, w)
		case st.Unaddable[w] != "" && !opts.RemoveOnly:
			g.Skipped = append(g.Skipped, PlanSkip{ID: w, Op: addOp, Reason: st.Unaddable[w], Message: unaddableMessage(st.Unaddable[w])})
		case opts.RemoveOnly:
			g.Skipped = append(g.Skipped, PlanSkip{ID: w, Op: addOp, Reason: ReasonExcepted, Message: "the plan makes removals only"})
		default:
			g.Add = append(g.Add, w)
		}
	}
	for _, m := range st.Members {
		if wanted[m] {
			continue
		}
		reason, protected := st.Protected[m]
		switch {
		case protected && reason == ReasonManager && opts.By == ByTerritory,
			protected && reason == ReasonDefaultTerritory && opts.By == ByUser:
			// The file need not list a territory's manager, nor a
			// user's default territory: kept, as Zoho insists.
			g.Unchanged = append(g.Unchanged, m)
		case protected:
			g.Skipped = append(g.Skipped, PlanSkip{ID: m, Op: removeOp, Reason: reason, Message: protectedMessage(reason, opts.By)})
		case opts.AddOnly:
			g.Skipped = append(g.Skipped, PlanSkip{ID: m, Op: removeOp, Reason: ReasonExcepted, Message: "the plan makes adds only"})
		default:
			g.Remove = append(g.Remove, m)
		}
	}
	if opts.By == ByTerritory && len(st.Members)+len(g.Add) > opts.TerritoryUserLimit {
		room := max(opts.TerritoryUserLimit-len(st.Members), 0)
		for _, id := range g.Add[room:] {
			g.Skipped = append(g.Skipped, PlanSkip{ID: id, Op: addOp, Reason: ReasonLimitExceeded,
				Message: UserLimitSkipMessage(opts.TerritoryUserLimit)})
		}
		g.Add = g.Add[:room]
	}
	return g
}

// UserLimitSkipMessage is the message of an add a plan skips because the
// territory would then hold more than limit users ([ReasonLimitExceeded]):
// a plan's adds go before its removals, so its removals make no room for
// them. Membership plans and tree plans (package tree) say it alike.
func UserLimitSkipMessage(limit int) string {
	return fmt.Sprintf("the territory would hold more than Zoho's %d users: adds go before removals; plan again once this plan's removals are made", limit)
}

func unaddableMessage(r Reason) string {
	if r == ReasonUserInactive {
		return "the user is not active (deactivated or deleted): Zoho adds no such user to a territory"
	}
	return string(r)
}

func protectedMessage(r Reason, by PlanBy) string {
	switch {
	case r == ReasonDefaultTerritory && by == ByTerritory:
		return "the organization's default territory: Zoho removes no user from it"
	case r == ReasonDefaultTerritory:
		return "the organization's default territory cannot be removed"
	case r == ReasonManager:
		return "the user manages the territory"
	}
	return string(r)
}

// WriteTo writes the plan as indented JSON, the saved plan's form.
func (p *Plan) WriteTo(w io.Writer) (int64, error) {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return 0, err
	}
	n, err := w.Write(append(b, '\n'))
	return int64(n), err
}

// maxFileBytes bounds what [ReadPlan] reads.
const maxFileBytes = 256 << 20

// ReadPlan reads a saved plan, refusing one that is not a plan, of a
// format version it does not read, or malformed, with a [*FileError]
// naming name. A plan of format version 1 comes back as this version's.
func ReadPlan(r io.Reader, name string) (*Plan, error) {
	dec := json.NewDecoder(io.LimitReader(r, maxFileBytes))
	dec.DisallowUnknownFields()
	var p Plan
	if err := dec.Decode(&p); err != nil {
		return nil, &FileError{Name: name, Err: fmt.Errorf("not a saved plan: %w", err)}
	}
	switch {
	case p.Format != PlanFormat:
		return nil, &FileError{Name: name, Err: errors.New("not a saved plan (its format is not " + PlanFormat + ")")}
	case p.Version != PlanVersion && p.Version != 1:
		return nil, &FileError{Name: name, Err: fmt.Errorf("plan format version %d is not one this zohoterritory reads (it reads versions 1 and %d)", p.Version, PlanVersion)}
	}
	if _, err := (PlanOptions{By: p.By, AddOnly: p.AddOnly, RemoveOnly: p.RemoveOnly}).check(); err != nil {
		return nil, &FileError{Name: name, Err: err}
	}
	add, remove := p.By.Ops()
	for i, g := range p.Groups {
		for j, sk := range g.Skipped {
			if p.Version == 1 {
				// Version 1 named the op "add" or "remove".
				switch sk.Op {
				case "add":
					sk.Op = add
				case "remove":
					sk.Op = remove
				}
				p.Groups[i].Skipped[j].Op = sk.Op
			}
			if sk.Op != add && sk.Op != remove {
				return nil, &FileError{Name: name, Err: fmt.Errorf("groups[%d].skipped[%d]: op %q: want %q or %q", i, j, sk.Op, add, remove)}
			}
		}
		for _, ids := range [][]string{{g.Owner}, g.Add, g.Remove, g.Unchanged, g.Before} {
			for _, id := range ids {
				if err := CheckID(id); err != nil {
					return nil, &FileError{Name: name, Err: fmt.Errorf("groups[%d]: id %q: %w", i, id, err)}
				}
			}
		}
	}
	p.Version = PlanVersion
	return &p, nil
}

// Drift is a membership a saved plan assumed that the org no longer
// holds as it did: what [Client.CheckPlan] reports.
type Drift struct {
	// Owner and ID name the membership: a territory and a user by
	// territory, a user and a territory by user.
	Owner, ID string
	// Planned is what the plan would do: its add or its removal.
	Planned Op
	// Was says whether the membership was there when the plan was made;
	// Now whether it is there now.
	Was, Now bool
}

// String describes the drift: "5725767000000411003 in 5725767000000452004:
// a member now, not when the plan was made (the plan adds it)".
func (d Drift) String() string {
	state := func(b bool) string {
		if b {
			return "a member"
		}
		return "not a member"
	}
	verb := "remove"
	if d.Planned.Adds() {
		verb = "add"
	}
	return fmt.Sprintf("%s in %s: %s now, %s when the plan was made (the plan would %s it)", d.ID, d.Owner, state(d.Now), state(d.Was), verb)
}

// Drifts compares the memberships a plan touches (its adds, its removals)
// with the owners' members now, and returns those that changed since the
// plan was made. now holds each owner's members as read now. It reads
// nothing.
func (p *Plan) Drifts(now map[string][]string) []Drift {
	add, remove := p.By.Ops()
	var out []Drift
	for _, g := range p.Groups {
		cur := now[g.Owner]
		for _, id := range g.Add {
			if slices.Contains(cur, id) {
				out = append(out, Drift{Owner: g.Owner, ID: id, Planned: add, Was: false, Now: true})
			}
		}
		for _, id := range g.Remove {
			if !slices.Contains(cur, id) {
				out = append(out, Drift{Owner: g.Owner, ID: id, Planned: remove, Was: true, Now: false})
			}
		}
	}
	return out
}
