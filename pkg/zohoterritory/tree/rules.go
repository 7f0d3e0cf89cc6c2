package tree

import (
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// Zoho's rules for territories (crm-oas v8.0/territories and the doc pages
// of the Territories chapter; ../shared/ZOHO.md), each the default of a
// [Rules] field. Those the client keeps too are the client's constants, so
// that a plan and the calls that make it hold one rule.
const (
	// MaxNameLength is the most characters (not bytes) a territory's name
	// has: [zohoterritory.MaxTerritoryName].
	MaxNameLength = zohoterritory.MaxTerritoryName
	// MaxDescriptionLength is the most characters a territory's
	// description has: [zohoterritory.MaxTerritoryDescription].
	MaxDescriptionLength = zohoterritory.MaxTerritoryDescription
	// MaxCreatesPerCall is the most territories one create call carries:
	// [zohoterritory.TerritoriesPerChange].
	MaxCreatesPerCall = zohoterritory.TerritoriesPerChange
	// MaxUpdatesPerCall is the most territories one update call carries:
	// [zohoterritory.TerritoriesPerChange].
	MaxUpdatesPerCall = zohoterritory.TerritoriesPerChange
	// MaxDeletesPerCall is the most territories one delete call carries:
	// [zohoterritory.TerritoriesPerDelete] (Zoho's doc page says 10,
	// crm-oas 100; the smaller is sent).
	MaxDeletesPerCall = zohoterritory.TerritoriesPerDelete
	// DefaultTerritoryLimit is the most territories an org holds when the
	// org's own limit is not known: Zoho's LIMIT_EXCEEDED example says 250.
	DefaultTerritoryLimit = 250
)

// The values of a territory's permission (Zoho's permission_type):
// [zohoterritory.ReadOnly] and [zohoterritory.ReadWriteDelete].
const (
	PermissionReadOnly        = string(zohoterritory.ReadOnly)
	PermissionReadWriteDelete = string(zohoterritory.ReadWriteDelete)
)

// Rules are Zoho's rules a plan keeps. A zero field takes its default:
// [DefaultRules] lists them.
type Rules struct {
	// NameLength and DescriptionLength are the most characters a name
	// and a description have.
	NameLength, DescriptionLength int
	// CreatesPerCall, UpdatesPerCall and DeletesPerCall are the most
	// territories one call of each kind carries.
	CreatesPerCall, UpdatesPerCall, DeletesPerCall int
	// TerritoryLimit is the most territories the org holds, used when
	// [Org].Limit is 0 (not known): Zoho's API does not tell it, so the
	// org's admin may ([DefaultTerritoryLimit] otherwise).
	TerritoryLimit int
	// TerritoryUserLimit is the most users a territory holds, its
	// manager counted.
	TerritoryUserLimit int
}

// DefaultRules returns Zoho's rules as documented: [MaxNameLength],
// [MaxDescriptionLength], [MaxCreatesPerCall], [MaxUpdatesPerCall],
// [MaxDeletesPerCall], [DefaultTerritoryLimit] and
// [zohoterritory.DefaultTerritoryUserLimit].
func DefaultRules() Rules {
	return Rules{
		NameLength:         MaxNameLength,
		DescriptionLength:  MaxDescriptionLength,
		CreatesPerCall:     MaxCreatesPerCall,
		UpdatesPerCall:     MaxUpdatesPerCall,
		DeletesPerCall:     MaxDeletesPerCall,
		TerritoryLimit:     DefaultTerritoryLimit,
		TerritoryUserLimit: zohoterritory.DefaultTerritoryUserLimit,
	}
}

// Check refuses a negative field with a [*zohoterritory.OptionError]
// naming it (Option "Rules", Field such as "TerritoryLimit"); a zero field
// takes its default.
func (r Rules) Check() error {
	_, err := r.complete()
	return err
}

// complete returns r with each zero field at its default, or an error
// naming a negative one.
func (r Rules) complete() (Rules, error) {
	def := DefaultRules()
	for _, f := range []struct {
		name string
		v    *int
		def  int
	}{
		{"NameLength", &r.NameLength, def.NameLength},
		{"DescriptionLength", &r.DescriptionLength, def.DescriptionLength},
		{"CreatesPerCall", &r.CreatesPerCall, def.CreatesPerCall},
		{"UpdatesPerCall", &r.UpdatesPerCall, def.UpdatesPerCall},
		{"DeletesPerCall", &r.DeletesPerCall, def.DeletesPerCall},
		{"TerritoryLimit", &r.TerritoryLimit, def.TerritoryLimit},
		{"TerritoryUserLimit", &r.TerritoryUserLimit, def.TerritoryUserLimit},
	} {
		switch {
		case *f.v < 0:
			return r, &zohoterritory.OptionError{Option: "Rules", Field: f.name, Value: *f.v,
				Err: fmt.Errorf("must not be negative (0 takes the default, %d)", f.def)}
		case *f.v == 0:
			*f.v = f.def
		}
	}
	return r, nil
}

// limit is the most territories the org may hold at any step: its own
// limit when known, else the rule's; and never less than it holds now,
// so that a limit known only by its default does not refuse every plan
// of an org that already holds more.
func (r Rules) limit(org *Org) int {
	l := r.TerritoryLimit
	if org.Limit > 0 {
		l = org.Limit
	}
	return max(l, len(org.Territories))
}
