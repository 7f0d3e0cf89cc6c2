package zohoterritory

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testDirectory is an org whose names repeat: two "Key Accounts" under
// different parents, an e-mail address two users share (a deleted user
// and the one who took the address over), and a territory whose name holds
// the separator.
func testDirectory() *Directory {
	ref := func(id, name string) *Ref { return &Ref{ID: id, Name: name} }
	users := []User{
		{ID: "1", FullName: "Ava Admin", Email: "ava@acme.com", Status: "active"},
		{ID: "3", FullName: "Chloe Chen", Email: "Chloe@Acme.com", Status: "active"},
		{ID: "6", FullName: "Finn Foster", Email: "finn@acme.com", Status: "inactive"},
		{ID: "7", FullName: "Gus Grant", Email: "sales@acme.com", Status: "deleted"},
		{ID: "8", FullName: "Gail Green", Email: "sales@acme.com", Status: "active"},
		{ID: "9", FullName: "No Mail"},
	}
	territories := []Territory{
		{ID: "100", Name: "Acme Org", Manager: ref("1", "Ava Admin")},
		{ID: "101", Name: "North America", ReportingTo: ref("100", "Acme Org")},
		{ID: "102", Name: "Europe", ReportingTo: ref("100", "Acme Org")},
		{ID: "103", Name: " West Coast ", ReportingTo: ref("101", "North America")},
		{ID: "104", Name: "Key Accounts", ReportingTo: ref("101", "North America")},
		{ID: "105", Name: "key accounts", ReportingTo: ref("102", "Europe")},
		{ID: "106", Name: "EMEA/APAC", ReportingTo: ref("100", "Acme Org")},
		{ID: "107", Name: "Lost", ReportingTo: ref("999", "Gone")},
	}
	return NewDirectory(users, territories)
}

func TestParseRefs(t *testing.T) {
	t.Parallel()
	users := []struct {
		in        string
		id, email string
		rule      string
	}{
		{in: "5725767000000411003", id: "5725767000000411003"},
		{in: " 42 ", id: "42"},
		{in: "chloe@acme.com", email: "chloe@acme.com"},
		{in: "  Chloe@Acme.com\t", email: "Chloe@Acme.com"},
		{in: "", rule: "must not be empty"},
		{in: "   ", rule: "must not be empty"},
		{in: "12345678901234567890", rule: "an id must have at most 19 digits"},
		{in: "chloe", rule: "must be a user id (decimal digits) or an e-mail address"},
		{in: "12x", rule: "must be a user id (decimal digits) or an e-mail address"},
		{in: "@acme.com", rule: "must be a user id (decimal digits) or an e-mail address"},
		{in: "chloe@", rule: "must be a user id (decimal digits) or an e-mail address"},
		{in: "chloe chen@acme.com", rule: "must be a user id (decimal digits) or an e-mail address"},
		{in: "a@b@c", rule: "must be a user id (decimal digits) or an e-mail address"},
		{in: "a@b.com,c@d.com", rule: "must be a user id (decimal digits) or an e-mail address"},
	}
	for _, tc := range users {
		t.Run("user "+tc.in, func(t *testing.T) {
			t.Parallel()
			ref, err := ParseUserRef(tc.in)
			if tc.rule != "" {
				var refErr *InvalidRefError
				require.ErrorAs(t, err, &refErr)
				assert.Equal(t, InvalidRefError{Kind: "user", Ref: tc.in, Rule: tc.rule}, *refErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.id, ref.ID)
			assert.Equal(t, tc.email, ref.Email)
			assert.Equal(t, tc.id != "", ref.IsID())
		})
	}
	territories := []struct {
		in, raw, id, rule string
	}{
		{in: "5725767000000452004", raw: "5725767000000452004", id: "5725767000000452004"},
		{in: "West Coast", raw: "West Coast"},
		{in: "  North America/West Coast ", raw: "North America/West Coast"},
		{in: "12x", raw: "12x"}, // a name: only an id is all digits
		{in: "2024 Q1", raw: "2024 Q1"},
		{in: " ", rule: "must not be empty"},
		{in: "99999999999999999999", rule: "an id must have at most 19 digits"},
	}
	for _, tc := range territories {
		t.Run("territory "+tc.in, func(t *testing.T) {
			t.Parallel()
			ref, err := ParseTerritoryRef(tc.in)
			if tc.rule != "" {
				var refErr *InvalidRefError
				require.ErrorAs(t, err, &refErr)
				assert.Equal(t, InvalidRefError{Kind: "territory", Ref: tc.in, Rule: tc.rule}, *refErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, TerritoryRef{Raw: tc.raw, ID: tc.id}, ref)
		})
	}
}

func TestDirectoryUsers(t *testing.T) {
	t.Parallel()
	d := testDirectory()
	tests := []struct {
		ref        string
		want       string // the id
		unknown    bool
		candidates []string
	}{
		{ref: "chloe@acme.com", want: "3"},
		{ref: "CHLOE@ACME.COM", want: "3"},
		{ref: " finn@acme.com ", want: "6"}, // deactivated users resolve: offboarding is mostly of them
		{ref: "3", want: "3"},
		{ref: "424242", want: "424242"}, // an id the listing lacks is Zoho's to judge
		{ref: "hloe@acme.com", unknown: true},
		{ref: "chloe@acme.co", unknown: true},
		{ref: "sales@acme.com", candidates: []string{"7 (Gus Grant, deleted)", "8 (Gail Green, active)"}},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			t.Parallel()
			ref, err := ParseUserRef(tc.ref)
			require.NoError(t, err)
			u, err := d.User(ref)
			switch {
			case tc.unknown:
				var unk *UnknownRefError
				require.ErrorAs(t, err, &unk)
				assert.Equal(t, UnknownRefError{Kind: "user", Ref: ref.Raw}, *unk)
				assert.Contains(t, err.Error(), ref.Raw)
			case tc.candidates != nil:
				var amb *AmbiguousRefError
				require.ErrorAs(t, err, &amb)
				var got []string
				for _, c := range amb.Candidates {
					got = append(got, c.String())
					assert.Equal(t, "sales@acme.com", c.Email)
				}
				assert.Equal(t, tc.candidates, got)
				assert.Contains(t, err.Error(), "7 (Gus Grant, deleted), 8 (Gail Green, active)")
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.want, u.ID)
			}
		})
	}
	u, err := d.User(UserRef{Raw: "3", ID: "3"})
	require.NoError(t, err)
	assert.Equal(t, "Chloe Chen", u.FullName, "an id the directory holds comes with its details")
}

func TestDirectoryTerritories(t *testing.T) {
	t.Parallel()
	d := testDirectory()
	tests := []struct {
		ref        string
		want       string
		unknown    bool
		candidates []string
	}{
		{ref: "West Coast", want: "103"},
		{ref: "  west coast", want: "103"},
		{ref: "North America/West Coast", want: "103"},
		{ref: "north america / west coast ", want: "103"},
		{ref: "Acme Org/North America/West Coast", want: "103"}, // the root's name may lead
		{ref: "Acme Org", want: "100"},
		{ref: "Europe/Key Accounts", want: "105"},
		{ref: "North America/Key Accounts", want: "104"},
		{ref: "EMEA/APAC", want: "106"}, // a name holding the separator
		{ref: "Lost", want: "107"},      // an orphan resolves by name
		{ref: "103", want: "103"},
		{ref: "999", want: "999"},
		{ref: "Key Accounts", candidates: []string{"104 (North America/Key Accounts)", "105 (Europe/key accounts)"}},
		{ref: "West", unknown: true},
		{ref: "Europe/West Coast", unknown: true},
		{ref: "West Coast/North America", unknown: true},
		{ref: "Acme/North America/West Coast", unknown: true},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			t.Parallel()
			ref, err := ParseTerritoryRef(tc.ref)
			require.NoError(t, err)
			got, err := d.Territory(ref)
			switch {
			case tc.unknown:
				var unk *UnknownRefError
				require.ErrorAs(t, err, &unk)
				assert.Equal(t, KindTerritory, unk.Kind)
				assert.Contains(t, err.Error(), ref.Raw)
			case tc.candidates != nil:
				var amb *AmbiguousRefError
				require.ErrorAs(t, err, &amb)
				var list []string
				for _, c := range amb.Candidates {
					list = append(list, c.String())
				}
				assert.Equal(t, tc.candidates, list)
				assert.Contains(t, err.Error(), `"Key Accounts" is ambiguous`)
				assert.Contains(t, err.Error(), "give the id or the path")
			default:
				require.NoError(t, err)
				assert.Equal(t, tc.want, got.ID)
			}
		})
	}
}

func TestDirectoryPaths(t *testing.T) {
	t.Parallel()
	d := testDirectory()
	for id, want := range map[string]string{
		"100": "Acme Org",
		"101": "North America",
		"103": "North America/ West Coast ",
		"105": "Europe/key accounts",
		"107": "Lost",
		"999": "",
	} {
		assert.Equal(t, want, d.Path(id), id)
	}
	assert.Equal(t, []string{"100", "107"}, d.Children(""), "the root, and an orphan at the top")
	assert.Equal(t, []string{"101", "102", "106"}, d.Children("100"))
	assert.Equal(t, []string{"103", "104"}, d.Children("101"))
	assert.Empty(t, d.Children("103"))
}

func TestDirectoryCycle(t *testing.T) {
	t.Parallel()
	// Zoho's data never loops, but a directory must not hang if it did.
	d := NewDirectory(nil, []Territory{
		{ID: "1", Name: "A", ReportingTo: &Ref{ID: "2"}},
		{ID: "2", Name: "B", ReportingTo: &Ref{ID: "1"}},
	})
	assert.Equal(t, "B/A", d.Path("1"))
	assert.Equal(t, "A/B", d.Path("2"))
}

func TestDirectoryNotRead(t *testing.T) {
	t.Parallel()
	onlyUsers := NewDirectory([]User{}, nil)
	assert.True(t, onlyUsers.HasUsers())
	assert.False(t, onlyUsers.HasTerritories())
	_, err := onlyUsers.Territory(TerritoryRef{Raw: "West Coast"})
	require.ErrorIs(t, err, ErrDirectoryNotRead)
	ter, err := onlyUsers.Territory(TerritoryRef{Raw: "12", ID: "12"})
	require.NoError(t, err, "an id needs no directory")
	assert.Equal(t, "12", ter.ID)

	onlyTerritories := NewDirectory(nil, []Territory{})
	_, err = onlyTerritories.User(UserRef{Raw: "a@b.c", Email: "a@b.c"})
	require.ErrorIs(t, err, ErrDirectoryNotRead)
	var unk *UnknownRefError
	assert.False(t, errors.As(err, &unk), "a lookup the caller did not read for is not an unknown reference")

	empty := NewDirectory([]User{}, []Territory{})
	_, err = empty.User(UserRef{Raw: "a@b.c", Email: "a@b.c"})
	require.ErrorAs(t, err, &unk)
}
