package zohoterritory_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// sent is a request as the client sent it, body included.
type sent struct {
	method, path, query string
	body                []byte
}

// recorder is a transport that keeps what the client sends.
type recorder struct {
	base http.RoundTripper
	mu   sync.Mutex
	reqs []sent
}

func (rt *recorder) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, sent{method: r.Method, path: r.URL.Path, query: r.URL.RawQuery, body: body})
	rt.mu.Unlock()
	return rt.base.RoundTrip(r)
}

func (rt *recorder) sent() []sent {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]sent(nil), rt.reqs...)
}

// lifecycle starts a sandbox that checks its traffic against the spec, and
// a client of it whose requests are recorded.
func lifecycle(t *testing.T, sopts []zohoterritorytest.Option, copts ...zohoterritory.Option) (*zohoterritorytest.Server, *zohoterritory.Client, *recorder) {
	t.Helper()
	srv, err := zohoterritorytest.NewServer(append([]zohoterritorytest.Option{zohoterritorytest.WithContractCheck(validator(t))}, sopts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	rec := &recorder{base: http.DefaultTransport}
	c, err := srv.Client(append([]zohoterritory.Option{zohoterritory.WithHTTPClient(&http.Client{Transport: rec}),
		zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 4, AttemptTimeout: 10e9})}, copts...)...)
	require.NoError(t, err)
	t.Cleanup(func() {
		assert.Empty(t, srv.Violations(), "the sandbox's answers match the spec")
		assert.Empty(t, srv.RequestViolations(), "the client's requests match the spec")
	})
	return srv, c, rec
}

// named returns the ids of the sandbox's territories of a name.
func named(srv *zohoterritorytest.Server, name string) []string {
	var ids []string
	for _, t := range srv.Territories() {
		if t.Name == name {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

func TestTerritoryLifecycle(t *testing.T) {
	t.Parallel()
	srv, c, rec := lifecycle(t, nil)
	ctx := t.Context()
	rule := json.RawMessage(`{"group_operator":"OR","group":[{"field":{"api_name":"Billing_State"},"comparator":"equal","value":"WA"},{"field":{"api_name":"Billing_State"},"comparator":"equal","value":"OR"}]}`)

	res, err := c.CreateTerritories(ctx,
		zohoterritory.NewTerritory{Name: "Pacific", ReportingTo: northAmerica, PermissionType: zohoterritory.ReadOnly, ManagerID: dev,
			Description: "WA and OR", AccountRuleCriteria: rule},
		zohoterritory.NewTerritory{Name: "north america", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadWriteDelete},
		zohoterritory.NewTerritory{Name: "Atlantic", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadWriteDelete, ManagerID: seedFinn})
	require.NoError(t, err)
	require.Len(t, res.Items, 3)
	pacific := res.Items[0].ID
	assert.Equal(t, zohoterritory.Created, res.Items[0].Outcome)
	assert.Regexp(t, `^[0-9]+$`, pacific)
	assert.Equal(t, "Pacific", res.Items[0].Name)
	assert.Equal(t, zohoterritory.Failed, res.Items[1].Outcome)
	assert.Equal(t, zohoterritory.ReasonDuplicateName, res.Items[1].Reason)
	assert.Equal(t, "DUPLICATE_DATA", res.Items[1].Code)
	assert.Equal(t, zohoterritory.ReasonInactiveManager, res.Items[2].Reason)
	assert.Equal(t, "1 created, 2 failed, 0 unknown (1 call)", res.String())
	assert.False(t, res.AllDone())

	got, ok, err := c.GetTerritory(ctx, pacific)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, zohoterritory.ReadOnly, got.PermissionType)
	assert.Equal(t, "WA and OR", got.Description)
	assert.JSONEq(t, string(rule), string(got.AccountRuleCriteria), "the rules read back whole")
	assert.Equal(t, "null", string(got.LeadRuleCriteria), "none: null")
	assert.Equal(t, dev, got.Manager.ID)

	// Re-parent it, clear its manager and its rule, keep its description;
	// its permission type is read first and sent back as it is.
	before := len(rec.sent())
	res, err = c.UpdateTerritories(ctx, zohoterritory.TerritoryUpdate{ID: pacific,
		ReportingTo: zohoterritory.SetField(acmeOrg), ManagerID: zohoterritory.ClearField[string](),
		AccountRuleCriteria: zohoterritory.ClearField[json.RawMessage]()})
	require.NoError(t, err)
	assert.Equal(t, []string{pacific}, res.IDs(zohoterritory.Updated))
	reqs := rec.sent()[before:]
	require.Len(t, reqs, 2, "a read of the permission type, then the update")
	assert.Equal(t, http.MethodGet, reqs[0].method)
	assert.Contains(t, reqs[0].query, "ids="+pacific)
	assert.Equal(t, "/crm/v7/settings/territories/"+pacific, reqs[1].path, "one territory: the single form")
	assert.JSONEq(t, `{"territories":[{"id":"`+pacific+`","reporting_to":{"id":"`+acmeOrg+`"},"permission_type":"read_only","manager":null,"account_rule_criteria":null}]}`,
		string(reqs[1].body), "kept fields are left out, cleared ones sent as null")
	got, _, err = c.GetTerritory(ctx, pacific)
	require.NoError(t, err)
	assert.Equal(t, acmeOrg, got.ReportingTo.ID)
	assert.Nil(t, got.Manager)
	assert.Equal(t, "WA and OR", got.Description, "kept")
	assert.Equal(t, "null", string(got.AccountRuleCriteria))

	// Children and counts.
	var children []string
	for ter, err := range c.ChildTerritories(ctx, acmeOrg) {
		require.NoError(t, err)
		children = append(children, ter.Name)
	}
	assert.Equal(t, []string{"North America", "Europe", "Pacific"}, children)
	counts := map[string]int{}
	before = len(rec.sent())
	for n, err := range c.AssociatedUsersCounts(ctx) {
		require.NoError(t, err)
		counts[n.Territory.Name+" "+n.Territory.ID] = n.Count
	}
	require.Len(t, rec.sent()[before:], 1, "every count in one call")
	assert.Equal(t, "page=1&per_page=2000", rec.sent()[before].query, "Zoho's largest page for the counts")
	assert.Equal(t, 5, counts["Acme Org "+acmeOrg])
	assert.Equal(t, 1, counts["Pacific "+pacific], "its manager that was stays a member")

	// West Coast under Pacific; then Pacific goes, West Coast moving to
	// North America.
	_, err = c.UpdateTerritories(ctx, zohoterritory.TerritoryUpdate{ID: westCoast, ReportingTo: zohoterritory.SetField(pacific),
		PermissionType: zohoterritory.SetField(zohoterritory.ReadWriteDelete)})
	require.NoError(t, err)
	res, err = c.DeleteTerritories(ctx, zohoterritory.KeepForecasts, pacific)
	require.ErrorIs(t, err, zohoterritory.ErrNotAllowed, "one territory: the single form, whose refusal is the call's")
	assert.Equal(t, zohoterritory.ReasonHasChildren, res.Items[0].Reason)
	res, err = c.TransferAndDeleteTerritories(ctx, zohoterritory.Transfer{ID: pacific, TransferTo: northAmerica})
	require.NoError(t, err)
	assert.Equal(t, []string{pacific}, res.IDs(zohoterritory.Deleted))
	wc, _, err := c.GetTerritory(ctx, westCoast)
	require.NoError(t, err)
	assert.Equal(t, northAmerica, wc.ReportingTo.ID)
	_, ok, err = c.GetTerritory(ctx, pacific)
	require.NoError(t, err)
	assert.False(t, ok)
	assert.Empty(t, named(srv, "Pacific"))
}

// TestLostCreateIsNotSentTwice: a create whose answer is lost (the server
// acted, then the answer failed) is looked up by name before it is sent
// again, and the org holds one of each territory, not two.
func TestLostCreateIsNotSentTwice(t *testing.T) {
	t.Parallel()
	for _, kind := range []zohoterritorytest.FaultKind{zohoterritorytest.FaultServerError, zohoterritorytest.FaultResetDuring,
		zohoterritorytest.FaultTruncate} {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			srv, c, rec := lifecycle(t, []zohoterritorytest.Option{zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: kind, Count: 1})},
				zohoterritory.WithConcurrency(1))
			res, err := c.CreateTerritories(t.Context(),
				zohoterritory.NewTerritory{Name: "Pacific", ReportingTo: northAmerica, PermissionType: zohoterritory.ReadOnly},
				zohoterritory.NewTerritory{Name: "Atlantic", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly})
			require.NoError(t, err)
			for i, name := range []string{"Pacific", "Atlantic"} {
				require.Len(t, named(srv, name), 1, "one %s, not two", name)
				it := res.Items[i]
				assert.Equal(t, zohoterritory.Created, it.Outcome, it.String())
				assert.True(t, it.Inferred)
				assert.Equal(t, named(srv, name)[0], it.ID)
			}
			posts := 0
			for _, r := range rec.sent() {
				if r.method == http.MethodPost {
					posts++
				}
			}
			assert.Equal(t, 1, posts, "never sent blindly again")
			assert.Equal(t, 1, res.Lookups)
		})
	}
}

// TestLostCreatePartlyDone: of a lost bulk create, what the look-up finds
// counts as created, and only the rest is sent again.
func TestLostCreatePartlyDone(t *testing.T) {
	t.Parallel()
	srv, c, rec := lifecycle(t, nil, zohoterritory.WithConcurrency(1))
	// Atlantic exists already under the org, as if an earlier attempt
	// had made it; Pacific does not.
	res, err := c.CreateTerritories(t.Context(), zohoterritory.NewTerritory{Name: "Atlantic", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly})
	require.NoError(t, err)
	atlantic := res.Items[0].ID
	// The second request from here: the first is the look-up of the
	// maybe-done create.
	require.NoError(t, srv.SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultResetBefore, Count: 1, Every: 2}))
	before := len(rec.sent())
	res, err = c.ApplyTerritories(t.Context(), zohoterritory.TerritoryChange{Op: zohoterritory.OpCreateTerritories,
		Create: []zohoterritory.NewTerritory{
			{Name: "Pacific", ReportingTo: northAmerica, PermissionType: zohoterritory.ReadOnly},
			{Name: "Atlantic", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly},
		}, MaybeDone: []int{1}})
	require.NoError(t, err)
	assert.Equal(t, zohoterritory.Created, res.Items[0].Outcome)
	assert.False(t, res.Items[0].Inferred, "the reset came before the work: the second attempt made it")
	assert.Equal(t, zohoterritory.Created, res.Items[1].Outcome)
	assert.True(t, res.Items[1].Inferred, "found by its name under its parent")
	assert.Equal(t, atlantic, res.Items[1].ID)
	assert.Len(t, named(srv, "Pacific"), 1)
	assert.Len(t, named(srv, "Atlantic"), 1)
	var bodies []string
	for _, r := range rec.sent()[before:] {
		if r.method == http.MethodPost {
			bodies = append(bodies, string(r.body))
		}
	}
	require.Len(t, bodies, 2, "the reset attempt, then the one after the look-up")
	assert.NotContains(t, bodies[0], "Atlantic", "a maybe-done create is looked up before the first send")
	assert.Equal(t, bodies[0], bodies[1], "the reset one's look-up found nothing: the same create again")
	assert.Equal(t, 2, res.Lookups, "before the first send, and after the reset")
}

// TestLostDeleteIsInferred: a delete whose answer was lost is sent again,
// and Zoho's "no such territory" then means the first attempt deleted it.
func TestLostDeleteIsInferred(t *testing.T) {
	t.Parallel()
	_, c, _ := lifecycle(t, []zohoterritorytest.Option{zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError, Count: 1})})
	res, err := c.DeleteTerritories(t.Context(), zohoterritory.DeleteForecasts, westCoast, keyAccountsNA)
	require.NoError(t, err)
	for _, it := range res.Items {
		assert.Equal(t, zohoterritory.Deleted, it.Outcome, it.String())
		assert.True(t, it.Inferred)
	}
}

// TestTerritoryBatches: creates go 100 a call side by side, deletes 10 a
// call one after another.
func TestTerritoryBatches(t *testing.T) {
	t.Parallel()
	srv, c, rec := lifecycle(t, []zohoterritorytest.Option{zohoterritorytest.WithTerritoryLimit(1000)}, zohoterritory.WithConcurrency(3))
	var ts []zohoterritory.NewTerritory
	for i := range 150 {
		ts = append(ts, zohoterritory.NewTerritory{Name: fmt.Sprintf("T%03d", i), ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly})
	}
	res, err := c.CreateTerritories(t.Context(), ts...)
	require.NoError(t, err)
	require.True(t, res.AllDone(), res.String())
	assert.Len(t, res.Calls, 2)
	assert.Len(t, srv.Territories(), 156)
	ids := res.IDs(zohoterritory.Created)
	for i, it := range res.Items {
		assert.Equal(t, fmt.Sprintf("T%03d", i), it.Name, "in the order given")
	}

	before := len(rec.sent())
	res, err = c.DeleteTerritories(t.Context(), zohoterritory.KeepForecasts, ids[:25]...)
	require.NoError(t, err)
	assert.True(t, res.AllDone(), res.String())
	var sizes []int
	for _, r := range rec.sent()[before:] {
		require.Equal(t, http.MethodDelete, r.method)
		if strings.Contains(r.query, "ids=") {
			sizes = append(sizes, strings.Count(r.query, ",")+1)
		}
	}
	assert.Equal(t, []int{10, 10, 5}, sizes, "the calls one after another, in order")
	assert.Contains(t, rec.sent()[before].query, "delete_previous_forecasts=false", "always sent")
}

// TestTerritoryChangeChecks: what breaks a rule is refused before anything
// is sent, with the field and the rule named.
func TestTerritoryChangeChecks(t *testing.T) {
	t.Parallel()
	ok := zohoterritory.NewTerritory{Name: "P", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly}
	with := func(edit func(*zohoterritory.NewTerritory)) zohoterritory.TerritoryChange {
		t := ok
		edit(&t)
		return zohoterritory.TerritoryChange{Op: zohoterritory.OpCreateTerritories, Create: []zohoterritory.NewTerritory{t}}
	}
	tests := []struct {
		name string
		ch   zohoterritory.TerritoryChange
		want string
	}{
		{"no territories", zohoterritory.TerritoryChange{Op: zohoterritory.OpCreateTerritories}, "TerritoryChange: at least one territory is required"},
		{"unknown op", zohoterritory.TerritoryChange{Op: "rename"}, `TerritoryChange.Op "rename": want one of`},
		{"two lists", zohoterritory.TerritoryChange{Op: zohoterritory.OpCreateTerritories, Create: []zohoterritory.NewTerritory{ok}, Delete: []string{acmeOrg}},
			"only the list of create-territories may be given"},
		{"empty name", with(func(n *zohoterritory.NewTerritory) { n.Name = "  " }), `Create[0].Name "  ": must not be empty`},
		{"long name", with(func(n *zohoterritory.NewTerritory) { n.Name = strings.Repeat("é", 51) }), "has 51 characters, more than Zoho's 50"},
		{"no parent", with(func(n *zohoterritory.NewTerritory) { n.ReportingTo = "" }), "Create[0].ReportingTo: required"},
		{"bad parent", with(func(n *zohoterritory.NewTerritory) { n.ReportingTo = "north" }), `Create[0].ReportingTo "north": must contain decimal digits only`},
		{"permission", with(func(n *zohoterritory.NewTerritory) { n.PermissionType = "read" }), `Create[0].PermissionType "read": unknown permission type`},
		{"manager", with(func(n *zohoterritory.NewTerritory) { n.ManagerID = "dev" }), `Create[0].ManagerID "dev"`},
		{"description", with(func(n *zohoterritory.NewTerritory) { n.Description = strings.Repeat("d", 251) }), "Create[0].Description: has 251 characters, more than Zoho's 250"},
		{"rule", with(func(n *zohoterritory.NewTerritory) {
			n.DealRuleCriteria = json.RawMessage(`{"group_operator":"AND","group":[{"field":{"api_name":"Amount"},"comparator":"equal","value":1}]}`)
		}), "Create[0].DealRuleCriteria: group: 1 rules; a group joins 2 to 25"},
		{"twice a name", zohoterritory.TerritoryChange{Op: zohoterritory.OpCreateTerritories, Create: []zohoterritory.NewTerritory{ok, {Name: "p", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly}}},
			`Create[1].Name "p": also Create[0]'s`},
		{"update nothing", zohoterritory.TerritoryChange{Op: zohoterritory.OpUpdateTerritories, Update: []zohoterritory.TerritoryUpdate{{ID: westCoast}}},
			"Update[0]: nothing to change"},
		{"clear a name", zohoterritory.TerritoryChange{Op: zohoterritory.OpUpdateTerritories, Update: []zohoterritory.TerritoryUpdate{{ID: westCoast, Name: zohoterritory.ClearField[string]()}}},
			"Update[0].Name: cannot be cleared"},
		{"clear a parent", zohoterritory.TerritoryChange{Op: zohoterritory.OpUpdateTerritories, Update: []zohoterritory.TerritoryUpdate{{ID: westCoast, ReportingTo: zohoterritory.ClearField[string]()}}},
			"Update[0].ReportingTo: cannot be cleared: only the organization territory reports to none"},
		{"own parent", zohoterritory.TerritoryChange{Op: zohoterritory.OpUpdateTerritories, Update: []zohoterritory.TerritoryUpdate{{ID: westCoast, ReportingTo: zohoterritory.SetField(westCoast)}}},
			"a territory cannot report to itself"},
		{"set no rule", zohoterritory.TerritoryChange{Op: zohoterritory.OpUpdateTerritories, Update: []zohoterritory.TerritoryUpdate{{ID: westCoast, LeadRuleCriteria: zohoterritory.SetField(json.RawMessage("null"))}}},
			"clear it with ClearField"},
		{"bad delete", zohoterritory.TerritoryChange{Op: zohoterritory.OpDeleteTerritories, Delete: []string{westCoast, ""}}, "Delete[1]"},
		{"no transfer target", zohoterritory.TerritoryChange{Op: zohoterritory.OpTransferTerritories, Transfer: []zohoterritory.Transfer{{ID: westCoast}}}, "Transfer[0].TransferTo: required"},
		{"transfer to itself", zohoterritory.TerritoryChange{Op: zohoterritory.OpTransferTerritories, Transfer: []zohoterritory.Transfer{{ID: westCoast, TransferTo: westCoast}}}, "must differ from the territory deleted"},
		{"maybe done out of range", zohoterritory.TerritoryChange{Op: zohoterritory.OpDeleteTerritories, Delete: []string{westCoast}, MaybeDone: []int{1}}, "MaybeDone[0] \"1\": must be a place"},
	}
	srv, c, rec := lifecycle(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.ApplyTerritories(t.Context(), tt.ch)
			require.Error(t, err)
			assert.Nil(t, res)
			assert.Contains(t, err.Error(), tt.want)
			var te *zohoterritory.TerritoryError
			var ie *zohoterritory.InvalidIDError
			assert.True(t, errors.As(err, &te) || errors.As(err, &ie), "%T", err)
		})
	}
	assert.Empty(t, rec.sent(), "nothing was sent")
	assert.Empty(t, srv.Requests())
}

// TestTerritoryAuthFailureStopsTheRest: a refused scope on the first call
// of a delete keeps the others from being sent.
func TestTerritoryAuthFailureStopsTheRest(t *testing.T) {
	t.Parallel()
	srv, err := zohoterritorytest.NewServer()
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := zohoterritory.New(zohoterritory.WithAPIDomain(srv.URL()), zohoterritory.WithAccessToken(srv.IssueToken(zohoterritorytest.ScopeTerritoriesRead)))
	require.NoError(t, err)
	ids := make([]string, 25)
	for i := range ids {
		ids[i] = fmt.Sprint(5725767000000470000 + i)
	}
	res, err := c.DeleteTerritories(t.Context(), zohoterritory.KeepForecasts, ids...)
	require.ErrorIs(t, err, zohoterritory.ErrOAuthScopeMismatch)
	assert.Len(t, srv.Requests(), 1, "the other calls were not sent")
	assert.Equal(t, zohoterritory.ReasonUnauthorized, res.Items[0].Reason)
	assert.Equal(t, zohoterritory.ReasonNotSent, res.Items[24].Reason)
	assert.Len(t, res.Items, 25)
}

// memJournal is an in-memory TerritoryJournal.
type memJournal struct {
	mu     sync.Mutex
	begun  []zohoterritory.TerritoryRun
	events []string
	done   map[int]zohoterritory.TerritoryItem
}

func (j *memJournal) BeginTerritories(r zohoterritory.TerritoryRun) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.begun = append(j.begun, r)
	return nil
}

func (j *memJournal) SendingTerritories(a zohoterritory.TerritoryAttempt) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.events = append(j.events, fmt.Sprintf("send %d.%d %s %v", a.Call, a.Attempt, a.Operation, a.Indexes))
	return nil
}

func (j *memJournal) AnsweredTerritories(a zohoterritory.TerritoryAttempt) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.events = append(j.events, fmt.Sprintf("answer %d.%d %d", a.Call, a.Attempt, a.Status))
	return nil
}

func (j *memJournal) SettledTerritories(call int, items []zohoterritory.TerritoryItem) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.done == nil {
		j.done = map[int]zohoterritory.TerritoryItem{}
	}
	for _, it := range items {
		j.done[it.Index] = it
		j.events = append(j.events, fmt.Sprintf("settled %d #%d %s", call, it.Index, it.Outcome))
	}
	return nil
}

// TestTerritoryJournal: the journal hears of the run before anything is
// sent, of each attempt before it goes and after its answer, and of every
// territory's outcome; a resume from it sends nothing twice.
func TestTerritoryJournal(t *testing.T) {
	t.Parallel()
	srv, c, _ := lifecycle(t, []zohoterritorytest.Option{zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError, Count: 1})},
		zohoterritory.WithConcurrency(1))
	j := &memJournal{}
	ch := zohoterritory.TerritoryChange{Op: zohoterritory.OpCreateTerritories, Journal: j, Create: []zohoterritory.NewTerritory{
		{Name: "Pacific", ReportingTo: northAmerica, PermissionType: zohoterritory.ReadOnly},
		{Name: "Europe", ReportingTo: northAmerica, PermissionType: zohoterritory.ReadOnly},
	}}
	res, err := c.ApplyTerritories(t.Context(), ch)
	require.NoError(t, err)
	require.Len(t, j.begun, 1)
	assert.Equal(t, zohoterritory.OpCreateTerritories, j.begun[0].Op)
	require.Len(t, j.begun[0].Territories, 2)
	assert.Equal(t, "Pacific", j.begun[0].Territories[0].Name)
	assert.Equal(t, northAmerica, j.begun[0].Territories[0].ReportingTo)
	assert.JSONEq(t, `{"name":"Pacific","reporting_to":{"id":"`+northAmerica+`"},"permission_type":"read_only"}`, string(j.begun[0].Territories[0].Record))
	// The first attempt created Pacific and failed Europe (taken, under
	// another parent), then its answer was lost: the look-up finds
	// Pacific, and only Europe goes again.
	assert.Equal(t, []string{
		"send 1.1 createTerritories [0 1]",
		"answer 1.1 500",
		"send 1.2 createTerritories [1]",
		"answer 1.2 400",
		"settled 1 #0 created",
		"settled 1 #1 failed",
	}, j.events)
	assert.True(t, res.Items[0].Inferred)
	assert.Equal(t, zohoterritory.ReasonDuplicateName, res.Items[1].Reason)

	// A resume from the journal: the settled outcomes stand, nothing is
	// sent.
	var settled []zohoterritory.TerritoryItem
	for _, it := range j.done {
		settled = append(settled, it)
	}
	n := len(srv.Requests())
	ch.Settled, ch.Journal = settled, nil
	again, err := c.ApplyTerritories(t.Context(), ch)
	require.NoError(t, err)
	assert.Equal(t, res.Items, again.Items)
	assert.Len(t, srv.Requests(), n)
}

func TestChildTerritoriesBadID(t *testing.T) {
	t.Parallel()
	_, c, rec := lifecycle(t, nil)
	for _, err := range c.ChildTerritories(t.Context(), "north") {
		var ie *zohoterritory.InvalidIDError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "territoryID", ie.Arg)
	}
	for _, err := range c.ChildTerritories(t.Context(), "999") {
		require.ErrorIs(t, err, zohoterritory.ErrInvalidData)
	}
	assert.Len(t, rec.sent(), 1)
}

// TestTerritoryReasons: Zoho's refusals of a change, read as reasons.
func TestTerritoryReasons(t *testing.T) {
	t.Parallel()
	_, c, _ := lifecycle(t, []zohoterritorytest.Option{zohoterritorytest.WithTerritoryLimit(6)})
	ctx := t.Context()
	res, err := c.CreateTerritories(ctx, zohoterritory.NewTerritory{Name: "P", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly})
	require.NoError(t, err)
	assert.Equal(t, zohoterritory.ReasonLimitExceeded, res.Items[0].Reason)
	assert.InDelta(t, 6, res.Items[0].Details["limit"], 0)

	res, err = c.UpdateTerritories(ctx,
		zohoterritory.TerritoryUpdate{ID: northAmerica, ReportingTo: zohoterritory.SetField(westCoast)},
		zohoterritory.TerritoryUpdate{ID: acmeOrg, Description: zohoterritory.SetField("x")},
		zohoterritory.TerritoryUpdate{ID: "999", Name: zohoterritory.SetField("Nowhere")})
	require.NoError(t, err)
	assert.Equal(t, zohoterritory.ReasonCycle, res.Items[0].Reason)
	assert.Equal(t, zohoterritory.ReasonRoot, res.Items[1].Reason)
	assert.Equal(t, zohoterritory.ReasonInvalidID, res.Items[2].Reason)
	assert.Contains(t, res.Items[2].Message, "not sent: no territory has this id")

	res, err = c.DeleteTerritories(ctx, zohoterritory.KeepForecasts, acmeOrg)
	require.ErrorIs(t, err, zohoterritory.ErrNotAllowed, "the single form refuses the call as a whole")
	assert.Equal(t, zohoterritory.ReasonRoot, res.Items[0].Reason)
	res, err = c.TransferAndDeleteTerritories(ctx, zohoterritory.Transfer{ID: northAmerica, TransferTo: westCoast},
		zohoterritory.Transfer{ID: europe, TransferTo: "999"})
	require.NoError(t, err)
	assert.Equal(t, zohoterritory.ReasonCycle, res.Items[0].Reason)
	assert.Equal(t, zohoterritory.ReasonInvalidID, res.Items[1].Reason)
}

// moveGate is a transport that holds the first update call that moves
// territories (reporting_to) until another move call is in flight beside
// it (which it records) or an update call that moves none has been
// answered: whether the client sends two move calls at once is then seen,
// never timed.
type moveGate struct {
	base    http.RoundTripper
	release chan struct{}
	once    sync.Once

	mu           sync.Mutex
	moving, most int // move calls in flight, and the most at once
}

func (g *moveGate) open() { g.once.Do(func() { close(g.release) }) }

func (g *moveGate) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	update := r.Method == http.MethodPut && strings.HasSuffix(r.URL.Path, "/settings/territories")
	if !update || !bytes.Contains(body, []byte(`"reporting_to"`)) {
		resp, err := g.base.RoundTrip(r)
		if update {
			g.open() // an update beside the moves was answered
		}
		return resp, err
	}
	g.mu.Lock()
	g.moving++
	g.most = max(g.most, g.moving)
	two := g.moving > 1
	g.mu.Unlock()
	if two {
		g.open()
	}
	select {
	case <-g.release:
	case <-r.Context().Done():
	}
	resp, err := g.base.RoundTrip(r)
	g.mu.Lock()
	g.moving--
	g.mu.Unlock()
	return resp, err
}

// TestTerritoryMovesOneAfterAnother: an update that moves territories may
// depend on an earlier call's move (Zoho checks for a cycle against the
// tree as it stands), so the calls that carry moves go one after another,
// in the order given, while the calls of other updates go beside them.
func TestTerritoryMovesOneAfterAnother(t *testing.T) {
	t.Parallel()
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithContractCheck(validator(t)), zohoterritorytest.WithTerritoryLimit(1000))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	gate := &moveGate{base: http.DefaultTransport, release: make(chan struct{})}
	c, err := srv.Client(zohoterritory.WithHTTPClient(&http.Client{Transport: gate}), zohoterritory.WithConcurrency(4),
		zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 1, AttemptTimeout: 10e9}))
	require.NoError(t, err)
	ts := []zohoterritory.NewTerritory{{Name: "Parent", ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly}}
	for i := range 300 {
		ts = append(ts, zohoterritory.NewTerritory{Name: fmt.Sprintf("T%03d", i), ReportingTo: acmeOrg, PermissionType: zohoterritory.ReadOnly})
	}
	created, err := c.CreateTerritories(t.Context(), ts...)
	require.NoError(t, err)
	require.True(t, created.AllDone(), created.String())
	ids := created.IDs(zohoterritory.Created)
	parent, ids := ids[0], ids[1:]

	// 100 renames, then 200 moves under Parent: one call of renames, two
	// of moves.
	var ups []zohoterritory.TerritoryUpdate
	for i, id := range ids[200:] {
		ups = append(ups, zohoterritory.TerritoryUpdate{ID: id, Name: zohoterritory.SetField(fmt.Sprintf("U%03d", 200+i)),
			PermissionType: zohoterritory.SetField(zohoterritory.ReadOnly)})
	}
	for _, id := range ids[:200] {
		ups = append(ups, zohoterritory.TerritoryUpdate{ID: id, ReportingTo: zohoterritory.SetField(parent),
			PermissionType: zohoterritory.SetField(zohoterritory.ReadOnly)})
	}
	res, err := c.UpdateTerritories(t.Context(), ups...)
	require.NoError(t, err)
	assert.True(t, res.AllDone(), res.String())
	assert.Len(t, res.Calls, 3)
	assert.Equal(t, 1, gate.most, "no two calls of moves in flight at once")
	for _, tr := range srv.Territories() {
		if strings.HasPrefix(tr.Name, "T") {
			assert.Equal(t, parent, tr.ReportingTo, tr.Name)
		}
	}
	assert.Empty(t, srv.Violations())
}
