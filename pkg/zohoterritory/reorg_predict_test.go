package zohoterritory_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestPlanSkipsWhatZohoWouldRefuse: the plan predicts what the directory
// tells: an inactive or deleted user's add is a skip with its reason, not
// a failure found by sending, and the user's coupled removal is kept (a
// user loses a membership only once their adds are made). Applied, the
// plan sends neither.
func TestPlanSkipsWhatZohoWouldRefuse(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, file string
		by         zohoterritory.PlanBy
		userReads  int // GET /users: the directory's, or by id
	}{
		{"by territory, by e-mail", "territory,user\nWest Coast,chloe@acme.com\nWest Coast,finn@acme.com\nEurope,eve@acme.com\nEurope,chloe@acme.com\n", zohoterritory.ByTerritory, 1},
		{"by territory, by id", "territory,user\n" + westCoast + "," + chloe + "\n" + westCoast + "," + seedFinn + "\n" + westCoast + "," + seedGus + "\n" +
			europe + "," + seedEve + "\n" + europe + "," + chloe + "\n", zohoterritory.ByTerritory, 1},
		{"by user", "territory,user\nWest Coast,finn@acme.com\n", zohoterritory.ByUser, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := directorySandbox(t, zohoterritorytest.DefaultSeed())
			rows, err := zohoterritory.ReadMemberships(strings.NewReader(tt.file), "reorg.csv")
			require.NoError(t, err)
			plan, _, err := c.PlanRows(t.Context(), rows, zohoterritory.PlanOptions{By: tt.by})
			require.NoError(t, err)
			assert.Equal(t, tt.userReads, gets(srv)["/crm/v7/users"], "the statuses come from what was read, or one read by id")

			skips := map[string]zohoterritory.PlanSkip{}
			for _, g := range plan.Groups {
				assert.NotContains(t, g.Add, seedFinn)
				for _, sk := range g.Skipped {
					skips[g.Owner+"/"+sk.ID] = sk
				}
			}
			add, remove := tt.by.Ops()
			finnAdd, finnKept := westCoast+"/"+seedFinn, europe+"/"+seedFinn
			if tt.by == zohoterritory.ByUser {
				finnAdd, finnKept = seedFinn+"/"+westCoast, seedFinn+"/"+europe
			}
			assert.Equal(t, zohoterritory.PlanSkip{ID: strings.Split(finnAdd, "/")[1], Op: add, Reason: zohoterritory.ReasonUserInactive,
				Message: "the user is not active (deactivated or deleted): Zoho adds no such user to a territory"}, skips[finnAdd])
			assert.Equal(t, zohoterritory.PlanSkip{ID: strings.Split(finnKept, "/")[1], Op: remove, Reason: zohoterritory.ReasonKept,
				Message: "not removed, so the user keeps it: adding the user to territory " + westCoast + " is skipped (user_inactive)"}, skips[finnKept])
			if strings.Contains(tt.file, seedGus) {
				assert.Equal(t, zohoterritory.ReasonUserInactive, skips[westCoast+"/"+seedGus].Reason, "a deleted user, whom no read returns")
			}

			before := len(srv.Requests())
			res, err := c.ApplySet(t.Context(), plan.ChangeSet())
			if plan.HasChanges() {
				require.NoError(t, err)
				assert.True(t, res.Count(zohoterritory.CountOptions{PresentIsDone: true}).AllDone(), res.String())
			}
			for _, r := range srv.Requests()[before:] {
				assert.NotEqual(t, http.MethodGet, r.Method)
				assert.NotContains(t, r.Path+r.RawQuery, seedFinn, "no removal of Finn's was sent")
			}
			assert.Contains(t, srv.Members(europe), seedFinn, "Finn keeps Europe")
			assert.NotContains(t, srv.Members(westCoast), seedFinn)
		})
	}
}

// TestPlanReadsUnknownStatusesByID: users the plan would add that neither
// the directory nor a listing names are read by id, 100 a call; one
// deactivated among 250 is skipped, one no read returns too.
func TestPlanReadsUnknownStatusesByID(t *testing.T) {
	t.Parallel()
	seed := zohoterritorytest.Seed{CallerID: "1", DefaultTerritoryID: "2000000",
		Users:       []zohoterritorytest.User{{ID: "1", FullName: "Caller"}},
		Territories: []zohoterritorytest.Territory{{ID: "2000000", Name: "Org", ManagerID: "1"}, {ID: "2000001", Name: "Team", ReportingTo: "2000000"}}}
	var desired []zohoterritory.Membership
	for i := range 250 {
		u := zohoterritorytest.User{ID: fmt.Sprint(1000000 + i), FullName: fmt.Sprint("P", i)}
		if i == 7 {
			u.Status = zohoterritorytest.StatusInactive
		}
		seed.Users = append(seed.Users, u)
		desired = append(desired, zohoterritory.Membership{TerritoryID: "2000001", UserID: u.ID})
	}
	desired = append(desired, zohoterritory.Membership{TerritoryID: "2000001", UserID: "3000000"}) // no such user
	srv, c := directorySandbox(t, seed)
	plan, err := c.PlanMemberships(t.Context(), desired, nil, zohoterritory.PlanOptions{TerritoryUserLimit: 1000})
	require.NoError(t, err)
	assert.Equal(t, 3, gets(srv)["/crm/v7/users"], "251 ids, 100 a call")
	require.Len(t, plan.Groups, 1)
	assert.Len(t, plan.Groups[0].Add, 249)
	var skipped []string
	for _, s := range plan.Groups[0].Skipped {
		assert.Equal(t, zohoterritory.ReasonUserInactive, s.Reason)
		skipped = append(skipped, s.ID)
	}
	assert.Equal(t, []string{"1000007", "3000000"}, skipped)
}
