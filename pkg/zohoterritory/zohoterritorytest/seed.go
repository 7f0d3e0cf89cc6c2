package zohoterritorytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// UserStatus is the state of a CRM user. Only [StatusActive] users can have
// territories removed; the others get Zoho's "already been deleted" error.
type UserStatus string

// The user states Zoho reports in `owner_status`.
const (
	StatusActive   UserStatus = "active"
	StatusInactive UserStatus = "inactive"
	StatusDeleted  UserStatus = "deleted"
)

// Seed is the initial state of a [Server]: the org's users and territories,
// the user behind every access token, and the credentials the server accepts.
// Field names in JSON and YAML seed files are the snake_case tags below.
//
// Ids are strings of 1 to 19 decimal digits, like Zoho's record ids.
type Seed struct {
	// Users are the org's CRM users.
	Users []User `json:"users" yaml:"users"`
	// Territories are the org's territories, in any order.
	Territories []Territory `json:"territories" yaml:"territories"`
	// DefaultTerritoryID is the organization territory, which can never be
	// removed from a user. Optional: with "", no territory is protected.
	DefaultTerritoryID string `json:"default_territory_id,omitempty" yaml:"default_territory_id,omitempty"`
	// CallerID is the user every access token belongs to ("you"); Zoho
	// refuses to change the territories of the caller. Required.
	CallerID string `json:"caller_id" yaml:"caller_id"`
	// AccessTokens are accepted in addition to the random token of
	// [Server.AccessToken] and those made by [Server.IssueToken].
	AccessTokens []Token `json:"access_tokens,omitempty" yaml:"access_tokens,omitempty"`
	// OAuthClients may refresh tokens at /oauth/v2/token. When none is
	// given, the server makes one with random credentials and every scope.
	OAuthClients []OAuthClient `json:"oauth_clients,omitempty" yaml:"oauth_clients,omitempty"`
	// TerritoryFeature is the org's territory management: "" or
	// [TerritoriesEnabled], or [TerritoriesNotEnabled] or
	// [TerritoriesDisabled], which make every call on a membership a 403
	// (TERRITORY_NOT_ENABLED, TERRITORY_DISABLED) and every read of the
	// territories API a 400 FEATURE_NOT_ENABLED, as at Zoho; the users API
	// answers as ever.
	TerritoryFeature TerritoryFeature `json:"territory_feature,omitempty" yaml:"territory_feature,omitempty"`
	// CallerWithoutPermission makes every CRM call a 403 NO_PERMISSION: the
	// caller's profile may not manage territories.
	CallerWithoutPermission bool `json:"caller_without_permission,omitempty" yaml:"caller_without_permission,omitempty"`
	// Org is the organization GET org answers with; what it leaves out
	// is filled in from the rest of the seed (see [Org]).
	Org Org `json:"org,omitzero" yaml:"org,omitempty"`
}

// TerritoryFeature is the state of an org's territory management.
type TerritoryFeature string

// The states of territory management.
const (
	TerritoriesEnabled    TerritoryFeature = "enabled"
	TerritoriesNotEnabled TerritoryFeature = "not_enabled" // never turned on
	TerritoriesDisabled   TerritoryFeature = "disabled"    // turned off
)

// User is a CRM user in a [Seed]. Only ID is required; the reads fill in
// what is left out as described on each field.
type User struct {
	ID string `json:"id" yaml:"id"`
	// FullName is the name Zoho shows, at most 100 characters. When it is
	// empty, it is FirstName and LastName joined by a space.
	FullName string `json:"full_name,omitempty" yaml:"full_name,omitempty"`
	// FirstName and LastName, at most 50 characters each, default to the
	// first word of FullName and the rest of it; a one-word FullName is a
	// last name with no first name (null in the reads), as in Zoho's
	// samples.
	FirstName string `json:"first_name,omitempty" yaml:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty" yaml:"last_name,omitempty"`
	// Email is the user's address, unique in the org without regard to
	// case, as Zoho keeps it; empty for none.
	Email string `json:"email,omitempty" yaml:"email,omitempty"`
	// Status defaults to [StatusActive] when empty.
	Status UserStatus `json:"status,omitempty" yaml:"status,omitempty"`
	// Role and Profile are the names of the user's role and profile:
	// "CEO" and [ProfileAdministrator] for the caller, "Sales
	// Representative" and "Standard" for everyone else when empty. The
	// users of the Administrator profile are what Zoho's AdminUsers lists.
	Role    string `json:"role,omitempty" yaml:"role,omitempty"`
	Profile string `json:"profile,omitempty" yaml:"profile,omitempty"`
	// NotConfirmed marks a user who has not accepted the invitation to the
	// org (`confirm` false in the reads, and Zoho's NotConfirmedUsers).
	NotConfirmed bool `json:"not_confirmed,omitempty" yaml:"not_confirmed,omitempty"`
}

// ProfileAdministrator is the profile of an org's administrators.
const ProfileAdministrator = "Administrator"

// Territory is a territory in a [Seed].
type Territory struct {
	ID   string `json:"id" yaml:"id"`
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// ManagerID is the user who manages the territory, or "". A manager is
	// always a member, whether or not Members lists them.
	ManagerID string `json:"manager_id,omitempty" yaml:"manager_id,omitempty"`
	// ReportingTo is the parent territory, or "" at the root.
	ReportingTo string `json:"reporting_to,omitempty" yaml:"reporting_to,omitempty"`
	// Members are the ids of the users assigned to the territory.
	Members []string `json:"members,omitempty" yaml:"members,omitempty"`
	// Description is the territory's description, at most 250
	// characters; empty for none (null in the reads).
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
	// PermissionType is what the territory's users may do with its
	// records: [PermissionReadWriteDelete] (the default when empty) or
	// [PermissionReadOnly].
	PermissionType PermissionType `json:"permission_type,omitempty" yaml:"permission_type,omitempty"`
}

// PermissionType is a territory's permission_type.
type PermissionType string

// The permission types Zoho knows.
const (
	PermissionReadOnly        PermissionType = "read_only"
	PermissionReadWriteDelete PermissionType = "read_write_delete"
)

// Token is an access token the server accepts. It belongs to the seed's
// caller.
type Token struct {
	AccessToken string   `json:"access_token" yaml:"access_token"`
	Scopes      []string `json:"scopes" yaml:"scopes"`
	// ExpiresAt is when the token stops working; the zero time means never.
	ExpiresAt time.Time `json:"expires_at,omitzero" yaml:"expires_at,omitempty"`
}

// OAuthClient holds the credentials of an OAuth client that may use the
// refresh-token grant, and the scopes of the tokens it gets. Its String,
// GoString, Format and LogValue methods hide the secret and the refresh
// token, so printing one is safe.
type OAuthClient struct {
	ClientID     string   `json:"client_id" yaml:"client_id"`
	ClientSecret string   `json:"client_secret" yaml:"client_secret"`
	RefreshToken string   `json:"refresh_token" yaml:"refresh_token"`
	Scopes       []string `json:"scopes" yaml:"scopes"`
}

const redacted = "[redacted]"

// String returns the client id and scopes, never the secrets.
func (c OAuthClient) String() string {
	return fmt.Sprintf("OAuthClient{ClientID: %q, ClientSecret: %s, RefreshToken: %s, Scopes: %q}",
		c.ClientID, redacted, redacted, c.Scopes)
}

// GoString is like [OAuthClient.String], for %#v.
func (c OAuthClient) GoString() string { return c.String() }

// Format prints [OAuthClient.String] for every verb, so that %+v cannot
// reach the secret fields.
func (c OAuthClient) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(c.String())) }

// LogValue hides the secrets from log/slog.
func (c OAuthClient) LogValue() slog.Value {
	return slog.GroupValue(slog.String("client_id", c.ClientID), slog.Any("scopes", c.Scopes))
}

// Scopes Zoho defines for the operations the sandbox serves. The removals
// need an ALL or DELETE scope; the reads accept a READ or an ALL scope
// (the organization's read its own, ZohoCRM.org); the adds need ALL
// scopes, and adding territories to a user also takes the UPDATE ones. Of
// the territories' lifecycle, a create takes the territories' CREATE
// scope, an update UPDATE, a delete or a transfer DELETE, each or ALL.
const (
	ScopeTerritoriesAll    = "ZohoCRM.settings.territories.ALL"
	ScopeTerritoriesDelete = "ZohoCRM.settings.territories.DELETE"
	ScopeTerritoriesRead   = "ZohoCRM.settings.territories.READ"
	ScopeTerritoriesUpdate = "ZohoCRM.settings.territories.UPDATE"
	ScopeTerritoriesCreate = "ZohoCRM.settings.territories.CREATE"
	ScopeUsersAll          = "ZohoCRM.users.ALL"
	ScopeUsersDelete       = "ZohoCRM.users.DELETE"
	ScopeUsersRead         = "ZohoCRM.users.READ"
	ScopeUsersUpdate       = "ZohoCRM.users.UPDATE"
	ScopeOrgAll            = "ZohoCRM.org.ALL"
	ScopeOrgRead           = "ZohoCRM.org.READ"
)

// AllScopes returns every scope the sandbox knows, as [Server.AccessToken]
// and the generated OAuth client have them.
func AllScopes() []string {
	return []string{ScopeTerritoriesAll, ScopeTerritoriesDelete, ScopeUsersAll, ScopeUsersDelete,
		ScopeTerritoriesRead, ScopeUsersRead, ScopeTerritoriesUpdate, ScopeUsersUpdate, ScopeOrgRead, ScopeOrgAll,
		ScopeTerritoriesCreate}
}

// DefaultSeed returns the small org a [Server] starts with when no seed is
// given. Each call returns a fresh copy.
//
// Users (all active unless noted; e-mails at acme.com):
//
//	5725767000000411001 Ava Admin   ava@acme.com   — the caller (owner of every token), CEO, Administrator
//	5725767000000411002 Ben Brooks  ben@acme.com
//	5725767000000411003 Chloe Chen  chloe@acme.com
//	5725767000000411004 Dev Patel   dev@acme.com
//	5725767000000411005 Eve Evans   eve@acme.com
//	5725767000000411006 Finn Foster finn@acme.com  — inactive
//	5725767000000411007 Gus Grant   gus@acme.com   — deleted
//
// Territories (manager; members), the manager always a member:
//
//	5725767000000452001 Acme Org                   the default territory, at the root (Ava; Ava, Ben, Chloe, Dev, Eve)
//	5725767000000452002 ├─ North America           (Ben; Ben, Chloe, Dev)
//	5725767000000452004 │  ├─ West Coast           (Dev; Chloe, Dev)
//	5725767000000452005 │  └─ Key Accounts         (Ben; Ben, Chloe)
//	5725767000000452003 └─ Europe                  (Eve; Eve, Chloe, Finn)
//	5725767000000452006    └─ Key Accounts Europe  (Chloe; Chloe, Eve)
//
// Every name is the org's only one, as Zoho keeps them (it refuses a
// second territory of a name), so an export of the org is a tree file that
// plans. Offboarding Chloe skips two of her six territories: the default
// one, and Key Accounts Europe, which she manages.
//
// The seed holds no tokens and no OAuth client: the server makes them with
// random values ([Server.AccessToken], [Server.OAuthClient]), with every
// scope in [AllScopes].
func DefaultSeed() Seed {
	const (
		ava, ben, chloe, dev = "5725767000000411001", "5725767000000411002", "5725767000000411003", "5725767000000411004"
		eve, finn, gus       = "5725767000000411005", "5725767000000411006", "5725767000000411007"
		org, na, eu, west    = "5725767000000452001", "5725767000000452002", "5725767000000452003", "5725767000000452004"
		keyNA, keyEU         = "5725767000000452005", "5725767000000452006"
	)
	return Seed{
		Users: []User{
			{ID: ava, FullName: "Ava Admin", Email: "ava@acme.com", Status: StatusActive},
			{ID: ben, FullName: "Ben Brooks", Email: "ben@acme.com", Status: StatusActive},
			{ID: chloe, FullName: "Chloe Chen", Email: "chloe@acme.com", Status: StatusActive},
			{ID: dev, FullName: "Dev Patel", Email: "dev@acme.com", Status: StatusActive},
			{ID: eve, FullName: "Eve Evans", Email: "eve@acme.com", Status: StatusActive},
			{ID: finn, FullName: "Finn Foster", Email: "finn@acme.com", Status: StatusInactive},
			{ID: gus, FullName: "Gus Grant", Email: "gus@acme.com", Status: StatusDeleted},
		},
		Territories: []Territory{
			{ID: org, Name: "Acme Org", ManagerID: ava, Members: []string{ava, ben, chloe, dev, eve},
				Description: "Organization Parent Territory"},
			{ID: na, Name: "North America", ManagerID: ben, ReportingTo: org, Members: []string{ben, chloe, dev}},
			{ID: eu, Name: "Europe", ManagerID: eve, ReportingTo: org, Members: []string{eve, chloe, finn}},
			{ID: west, Name: "West Coast", ManagerID: dev, ReportingTo: na, Members: []string{chloe, dev}},
			{ID: keyNA, Name: "Key Accounts", ManagerID: ben, ReportingTo: na, Members: []string{ben, chloe}},
			{ID: keyEU, Name: "Key Accounts Europe", ManagerID: chloe, ReportingTo: eu, Members: []string{chloe, eve}},
		},
		DefaultTerritoryID: org,
		CallerID:           ava,
	}
}

// isRecordID reports whether s is a Zoho record id: 1 to 19 decimal digits.
func isRecordID(s string) bool {
	if len(s) < 1 || len(s) > 19 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Validate checks that every id is well formed and unique, that every id
// referenced is defined, that territories do not report to themselves in a
// cycle, that e-mail addresses are addresses and unique without regard to
// case, and that names and descriptions fit Zoho's lengths. The error
// names each wrong field, such as `territories[1].manager_id`.
func (s Seed) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("seed: %s: %s", field, fmt.Sprintf(format, args...)))
	}
	checkID := func(field, id string) bool {
		if !isRecordID(id) {
			bad(field, "%q is not a record id (1 to 19 decimal digits)", id)
			return false
		}
		return true
	}

	users := make(map[string]bool, len(s.Users))
	emails := make(map[string]int, len(s.Users))
	for i, u := range s.Users {
		field := fmt.Sprintf("users[%d]", i)
		if checkID(field+".id", u.ID) {
			if users[u.ID] {
				bad(field+".id", "duplicate user id %q", u.ID)
			}
			users[u.ID] = true
		}
		switch u.Status {
		case "", StatusActive, StatusInactive, StatusDeleted:
		default:
			bad(field+".status", "%q is not one of active, inactive, deleted", u.Status)
		}
		for _, f := range []struct {
			name, value string
			max         int
		}{
			{"full_name", u.FullName, 100}, {"first_name", u.FirstName, 50}, {"last_name", u.LastName, 50},
			{"role", u.Role, 200}, {"profile", u.Profile, 50},
		} {
			if n := utf8.RuneCountInString(f.value); n > f.max {
				bad(field+"."+f.name, "%d characters, more than Zoho's %d", n, f.max)
			}
		}
		if u.Email == "" {
			continue
		}
		if !looksLikeEmail(u.Email) {
			bad(field+".email", "%q is not an e-mail address", u.Email)
		}
		key := strings.ToLower(u.Email)
		if j, dup := emails[key]; dup {
			bad(field+".email", "%q is also users[%d]'s: Zoho keeps e-mail addresses unique", u.Email, j)
		} else {
			emails[key] = i
		}
	}
	knownUser := func(field, id string) {
		if checkID(field, id) && !users[id] {
			bad(field, "unknown user id %q", id)
		}
	}

	parents := make(map[string]string, len(s.Territories))
	for i, t := range s.Territories {
		field := fmt.Sprintf("territories[%d].id", i)
		if checkID(field, t.ID) {
			if _, dup := parents[t.ID]; dup {
				bad(field, "duplicate territory id %q", t.ID)
			}
			parents[t.ID] = t.ReportingTo
		}
	}
	knownTerritory := func(field, id string) bool {
		if !checkID(field, id) {
			return false
		}
		if _, ok := parents[id]; !ok {
			bad(field, "unknown territory id %q", id)
			return false
		}
		return true
	}
	for i, t := range s.Territories {
		field := fmt.Sprintf("territories[%d]", i)
		if t.ManagerID != "" {
			knownUser(field+".manager_id", t.ManagerID)
		}
		if t.ReportingTo != "" && knownTerritory(field+".reporting_to", t.ReportingTo) && reportsToItself(parents, t.ID) {
			bad(field+".reporting_to", "territory %q reports to itself through %q", t.ID, t.ReportingTo)
		}
		for j, m := range t.Members {
			knownUser(fmt.Sprintf("%s.members[%d]", field, j), m)
		}
		if n := utf8.RuneCountInString(t.Description); n > 250 {
			bad(field+".description", "%d characters, more than Zoho's 250", n)
		}
		switch t.PermissionType {
		case "", PermissionReadOnly, PermissionReadWriteDelete:
		default:
			bad(field+".permission_type", "%q is not one of read_only, read_write_delete", t.PermissionType)
		}
	}
	if s.DefaultTerritoryID != "" {
		knownTerritory("default_territory_id", s.DefaultTerritoryID)
	}
	switch s.TerritoryFeature {
	case "", TerritoriesEnabled, TerritoriesNotEnabled, TerritoriesDisabled:
	default:
		bad("territory_feature", "%q is not one of enabled, not_enabled, disabled", s.TerritoryFeature)
	}
	s.Org.validate(bad)
	if s.CallerID == "" {
		bad("caller_id", "required: the user the access tokens belong to")
	} else {
		knownUser("caller_id", s.CallerID)
	}

	tokens := make(map[string]bool, len(s.AccessTokens))
	for i, t := range s.AccessTokens {
		field := fmt.Sprintf("access_tokens[%d]", i)
		switch {
		case strings.TrimSpace(t.AccessToken) == "":
			bad(field+".access_token", "required")
		case tokens[t.AccessToken]:
			bad(field+".access_token", "duplicate token")
		}
		tokens[t.AccessToken] = true
		checkScopes(bad, field+".scopes", t.Scopes)
	}
	clients := make(map[string]bool, len(s.OAuthClients))
	for i, c := range s.OAuthClients {
		field := fmt.Sprintf("oauth_clients[%d]", i)
		switch {
		case strings.TrimSpace(c.ClientID) == "":
			bad(field+".client_id", "required")
		case clients[c.ClientID]:
			bad(field+".client_id", "duplicate client id %q", c.ClientID)
		}
		clients[c.ClientID] = true
		if strings.TrimSpace(c.ClientSecret) == "" {
			bad(field+".client_secret", "required")
		}
		if strings.TrimSpace(c.RefreshToken) == "" {
			bad(field+".refresh_token", "required")
		}
		checkScopes(bad, field+".scopes", c.Scopes)
	}
	return errors.Join(errs...)
}

// looksLikeEmail reports whether s has the shape of an address: one @,
// something before it, a dotted domain after it, at most 100 characters
// (Zoho's limit) and no spaces or commas. Zoho's own check is stricter.
func looksLikeEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	return ok && local != "" && len(s) <= 100 && !strings.ContainsAny(s, " \t\r\n,;<>") &&
		!strings.Contains(domain, "@") && strings.Contains(domain, ".") &&
		!strings.HasPrefix(domain, ".") && !strings.HasSuffix(domain, ".")
}

func checkScopes(bad func(field, format string, args ...any), field string, scopes []string) {
	for j, sc := range scopes {
		if strings.TrimSpace(sc) == "" || strings.ContainsAny(sc, " ,") {
			bad(fmt.Sprintf("%s[%d]", field, j), "%q is not a scope", sc)
		}
	}
}

// reportsToItself walks up from id and reports whether it comes back.
func reportsToItself(parents map[string]string, id string) bool {
	seen := map[string]bool{}
	for cur := parents[id]; cur != ""; cur = parents[cur] {
		if cur == id {
			return true
		}
		if seen[cur] {
			return false // a cycle above id, reported for its own members
		}
		seen[cur] = true
	}
	return false
}

// MaxSeedBytes is the largest seed file [LoadSeed] reads: 64 MiB, room for
// about a million memberships.
const MaxSeedBytes = 64 << 20

// LoadSeed reads a seed from a JSON (.json) or YAML (.yaml, .yml) file,
// chosen by the file's extension. Unknown fields are errors, so that a typo
// does not silently drop data. The seed is not validated; [WithSeedFile]
// does that.
//
// A file larger than [MaxSeedBytes] is refused before it is decoded.
func LoadSeed(path string) (Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return Seed{}, fmt.Errorf("seed file: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSeedBytes+1))
	if err != nil {
		return Seed{}, fmt.Errorf("seed file: %w", err)
	}
	if len(b) > MaxSeedBytes {
		return Seed{}, fmt.Errorf("seed file %s: larger than %d MiB, the most a seed may be", path, MaxSeedBytes>>20)
	}
	var s Seed
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".json":
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		err = dec.Decode(&s)
	case ".yaml", ".yml":
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		err = dec.Decode(&s)
	default:
		return Seed{}, fmt.Errorf("seed file %s: extension %q is not .json, .yaml or .yml", path, ext)
	}
	if err != nil {
		return Seed{}, fmt.Errorf("seed file %s: %w", path, err)
	}
	return s, nil
}

// clone returns a deep copy, so that the server never shares slices with
// its caller.
func (s Seed) clone() Seed {
	c := s
	c.Users = slices.Clone(s.Users)
	c.Territories = slices.Clone(s.Territories)
	for i := range c.Territories {
		c.Territories[i].Members = slices.Clone(c.Territories[i].Members)
	}
	c.AccessTokens = slices.Clone(s.AccessTokens)
	for i := range c.AccessTokens {
		c.AccessTokens[i].Scopes = slices.Clone(c.AccessTokens[i].Scopes)
	}
	c.OAuthClients = slices.Clone(s.OAuthClients)
	for i := range c.OAuthClients {
		c.OAuthClients[i].Scopes = slices.Clone(c.OAuthClients[i].Scopes)
	}
	return c
}
