// Package testorg builds the sandbox orgs that the module's tests share.
// It is imported by tests only.
package testorg

import (
	"fmt"
	"slices"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// The ids of [Bulk]'s fixed members.
const (
	Caller  = "100" // the user behind every token; manages every territory but Managed
	Rep     = "200" // the user whose territories the bulk runs remove
	Default = "300" // the organization's default territory
	Managed = "400" // the territory Rep manages
)

// Bulk is the org of the bulk runs: user Rep belongs to 1,000 territories
// that can be removed, to the default territory and to a territory Rep
// manages.
type Bulk struct {
	Seed zohoterritorytest.Seed
	// IDs lists all 1,002 territories of Rep in the order a run sends
	// them: the two that can never be removed in the first and the sixth
	// batch of 100.
	IDs []string
	// Removable are the 1,000 territories a removal can take from Rep.
	Removable []string
	// Documented maps the ids that always fail to the reason Zoho gives.
	Documented map[string]string
}

// NewBulk returns a fresh [Bulk] org.
func NewBulk() Bulk {
	o := Bulk{
		Seed: zohoterritorytest.Seed{
			Users: []zohoterritorytest.User{{ID: Caller, FullName: "Caller"}, {ID: Rep, FullName: "Rep"}},
			Territories: []zohoterritorytest.Territory{
				{ID: Default, Name: "Org", ManagerID: Caller, Members: []string{Rep}},
				{ID: Managed, Name: "Rep's", ManagerID: Rep, ReportingTo: Default},
			},
			DefaultTerritoryID: Default,
			CallerID:           Caller,
		},
		Documented: map[string]string{Default: "default_territory", Managed: "manager"},
	}
	for i := range 1000 {
		id := fmt.Sprintf("5%06d", i)
		o.Removable = append(o.Removable, id)
		o.Seed.Territories = append(o.Seed.Territories, zohoterritorytest.Territory{
			ID: id, Name: "T" + id, ManagerID: Caller, ReportingTo: Default, Members: []string{Rep},
		})
	}
	o.IDs = slices.Concat(o.Removable[:3], []string{Default}, o.Removable[3:550], []string{Managed}, o.Removable[550:])
	return o
}

// UserInTerritories returns a seed in which user Rep belongs to the default
// territory and to n more territories managed by Caller, and those n ids.
func UserInTerritories(n int) (zohoterritorytest.Seed, []string) {
	seed := zohoterritorytest.Seed{
		Users:              []zohoterritorytest.User{{ID: Caller, FullName: "Caller"}, {ID: Rep, FullName: "Rep"}},
		Territories:        make([]zohoterritorytest.Territory, 0, n+1),
		DefaultTerritoryID: Default,
		CallerID:           Caller,
	}
	seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: Default, Name: "Org", ManagerID: Caller, Members: []string{Rep}})
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("7%08d", i)
		seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: ids[i], Name: "T", ManagerID: Caller, ReportingTo: Default, Members: []string{Rep}})
	}
	return seed, ids
}
