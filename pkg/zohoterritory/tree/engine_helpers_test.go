package tree_test

import (
	"errors"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contractcheck"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// The engine's tests run against the sandbox, seeded with engSeed: users
// 4110xx, territories 4520xx.
const (
	engRoot  = "5725767000000452001"
	engNA    = "5725767000000452002"
	engWest  = "5725767000000452003"
	engEast  = "5725767000000452004"
	engEU    = "5725767000000452005"
	engKey   = "5725767000000452006"
	engLatam = "5725767000000452007" // no members, no manager
	engAva   = "5725767000000411001"
	engBen   = "5725767000000411002"
	engChloe = "5725767000000411003"
	engDev   = "5725767000000411004"
	engEve   = "5725767000000411005" // inactive
	engFay   = "5725767000000411006" // deleted, yet a member of East Coast
	engGus   = "5725767000000411007" // no e-mail address
	engHal   = "5725767000000411008"
)

var engT0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

// engSeed is a small org: Acme Org; North America (West Coast, East Coast
// under it); Europe (Key Accounts under it); Latin America, empty.
func engSeed() zohoterritorytest.Seed {
	return zohoterritorytest.Seed{
		CallerID: engAva, DefaultTerritoryID: engRoot,
		Users: []zohoterritorytest.User{
			{ID: engAva, FullName: "Ava Admin", Email: "ava@acme.com"},
			{ID: engBen, FullName: "Ben Brooks", Email: "ben@acme.com"},
			{ID: engChloe, FullName: "Chloe Chen", Email: "chloe@acme.com"},
			{ID: engDev, FullName: "Dev Patel", Email: "dev@acme.com"},
			{ID: engEve, FullName: "Eve Evans", Email: "eve@acme.com", Status: zohoterritorytest.StatusInactive},
			{ID: engFay, FullName: "Fay Fox", Email: "fay@acme.com", Status: zohoterritorytest.StatusDeleted},
			{ID: engGus, FullName: "Gus Grant"},
			{ID: engHal, FullName: "Hal Hill", Email: "hal@acme.com"},
		},
		Territories: []zohoterritorytest.Territory{
			{ID: engRoot, Name: "Acme Org", ManagerID: engAva, Members: []string{engBen, engChloe, engDev, engGus, engHal}},
			{ID: engNA, Name: "North America", ReportingTo: engRoot, ManagerID: engBen, Description: "Sales in the US and Canada",
				Members: []string{engChloe, engDev}},
			{ID: engWest, Name: "West Coast", ReportingTo: engNA, ManagerID: engChloe, PermissionType: zohoterritorytest.PermissionReadOnly,
				Members: []string{engDev}},
			{ID: engEast, Name: "East Coast", ReportingTo: engNA, PermissionType: zohoterritorytest.PermissionReadOnly,
				Members: []string{engGus, engFay}},
			{ID: engEU, Name: "Europe", ReportingTo: engRoot, ManagerID: engAva, Members: []string{engHal}},
			{ID: engKey, Name: "Key Accounts", ReportingTo: engEU, PermissionType: zohoterritorytest.PermissionReadOnly,
				Description: "The ten largest", Members: []string{engDev}},
			{ID: engLatam, Name: "Latin America", ReportingTo: engRoot},
		},
	}
}

// engServer starts a sandbox of seed (engSeed when nil) and a client of it
// that retries at once (no backoff: nothing waits on the clock). Built with
// the tag contract (make contract), the sandbox checks every exchange
// against api/openapi.yaml (internal/contractcheck).
func engServer(t *testing.T, seed *zohoterritorytest.Seed, opts ...zohoterritorytest.Option) (*zohoterritorytest.Server, *zohoterritory.Client) {
	t.Helper()
	if seed == nil {
		s := engSeed()
		seed = &s
	}
	cc, err := contractcheck.New()
	require.NoError(t, err)
	srv, err := zohoterritorytest.NewServer(append([]zohoterritorytest.Option{zohoterritorytest.WithSeed(*seed), zohoterritorytest.WithContractCheck(cc)}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		assert.Empty(t, srv.Violations(), "the sandbox's answers match the spec")
		assert.Empty(t, srv.RequestViolations(), "the engine's requests match the spec")
	})
	c, err := srv.Client(zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 4, AttemptTimeout: 10 * time.Second}))
	require.NoError(t, err)
	return srv, c
}

// engState is the sandbox's org as a test compares it: each territory as
// "path: manager=…, permission=…, description=…, members=[…]" (ids), in
// path order. Ids of territories are left out, so that a re-created
// territory compares equal.
func engState(srv *zohoterritorytest.Server) []string {
	ts := srv.Territories()
	byID := map[string]zohoterritorytest.Territory{}
	for _, t := range ts {
		byID[t.ID] = t
	}
	path := func(t zohoterritorytest.Territory) string {
		p := t.Name
		for t.ReportingTo != "" {
			t = byID[t.ReportingTo]
			p = t.Name + "/" + p
		}
		return p
	}
	var out []string
	for _, t := range ts {
		rules, _ := srv.Rules(t.ID)
		var r []string
		for _, x := range rules {
			r = append(r, string(x))
		}
		out = append(out, path(t)+": manager="+t.ManagerID+" permission="+string(t.PermissionType)+" description="+t.Description+
			" rules="+strings.Join(r, "|")+" members="+strings.Join(t.Members, ","))
	}
	slices.Sort(out)
	return out
}

// engNamed returns the ids of the sandbox's territories of a name.
func engNamed(srv *zohoterritorytest.Server, name string) []string {
	var ids []string
	for _, t := range srv.Territories() {
		if strings.EqualFold(t.Name, name) {
			ids = append(ids, t.ID)
		}
	}
	return ids
}

// engPlan reads the org, reads the tree file text (an export of it,
// edited) and returns the plan.
func engPlan(t *testing.T, org *tree.Org, text string, opts tree.Options) *tree.Plan {
	t.Helper()
	f, err := tree.ReadFile(strings.NewReader(text), "tree.yaml")
	require.NoError(t, err)
	in, err := tree.Diff(f, org, opts)
	require.NoError(t, err)
	p, err := tree.Order(in, org, tree.OrderOptions{Created: engT0, Source: "tree.yaml", Tag: "t1"})
	require.NoError(t, err)
	return p
}

// engExport returns the org as a tree file's text.
func engExport(t *testing.T, org *tree.Org) string {
	t.Helper()
	f, err := tree.Export(org, tree.Meta{APIDomain: org.APIDomain, APIVersion: org.APIVersion, Exported: engT0})
	require.NoError(t, err)
	var b strings.Builder
	_, err = f.WriteTo(&b)
	require.NoError(t, err)
	return b.String()
}

// engTarget is engSeed's org edited with a step of every kind: Europe
// renamed EMEA (its members: Dev in, Hal out); North America's manager
// Chloe; East Coast and West Coast swap names (through temporary names);
// Key Accounts moved under North America with another permission and
// description; Pacific created under North America (with a manager, a
// description, a rule and members) and Hawaii under Pacific; Latin
// America deleted (AllowDelete).
const engTarget = `format: zohoterritory-tree
version: 1
territories:
  - name: Acme Org
    id: "5725767000000452001"
    manager: ava@acme.com
    permission: read_write_delete
    users: [ava@acme.com, ben@acme.com, chloe@acme.com, dev@acme.com, hal@acme.com, "5725767000000411007"]
    children:
      - name: EMEA
        id: "5725767000000452005"
        manager: ava@acme.com
        permission: read_write_delete
        users: [ava@acme.com, dev@acme.com]
      - name: North America
        id: "5725767000000452002"
        manager: chloe@acme.com
        permission: read_write_delete
        description: Sales in the US and Canada
        users: [ben@acme.com, chloe@acme.com, dev@acme.com]
        children:
          - name: West Coast
            id: "5725767000000452004"
            permission: read_only
            users: [fay@acme.com, "5725767000000411007"]
          - name: East Coast
            id: "5725767000000452003"
            manager: chloe@acme.com
            permission: read_only
            users: [chloe@acme.com, dev@acme.com]
          - name: Key Accounts
            id: "5725767000000452006"
            permission: read_write_delete
            description: The twenty largest
            users: [dev@acme.com]
          - name: Pacific
            manager: dev@acme.com
            permission: read_only
            description: WA and OR
            rules:
              accounts: {"field": {"api_name": "Billing_State"}, "comparator": "equal", "value": "WA"}
            users: [dev@acme.com, hal@acme.com]
            children:
              - name: Hawaii
                permission: read_only
                users: [hal@acme.com]
`

// engTargetPlan reads the sandbox's org and plans engTarget against it.
func engTargetPlan(t *testing.T, c *zohoterritory.Client) (*tree.Org, *tree.Plan) {
	t.Helper()
	org, err := tree.ReadOrg(t.Context(), c)
	require.NoError(t, err)
	return org, engPlan(t, org, engTarget, tree.Options{AllowDelete: true})
}

// assertAtTarget checks that the sandbox holds engTarget exactly (a plan
// of it changes nothing) and each territory once.
func assertAtTarget(t *testing.T, srv *zohoterritorytest.Server, c *zohoterritory.Client) {
	t.Helper()
	require.NoError(t, srv.WaitIdle(t.Context()))
	org, err := tree.ReadOrg(t.Context(), c)
	require.NoError(t, err)
	p := engPlan(t, org, engTarget, tree.Options{AllowDelete: true})
	assert.False(t, p.HasChanges(), "at the target: %s", p.Totals())
	assertEachNameOnce(t, srv)
	assert.Len(t, srv.Territories(), 8, "7 territories, less Latin America, plus Pacific and Hawaii")
}

// assertEachNameOnce checks that no territory was created twice, and that
// no temporary name is left.
func assertEachNameOnce(t *testing.T, srv *zohoterritorytest.Server) {
	t.Helper()
	seen := map[string]string{}
	for _, tr := range srv.Territories() {
		k := strings.ToLower(tr.Name)
		assert.NotContains(t, seen, k, "territory %q twice: %s and %s", tr.Name, seen[k], tr.ID)
		assert.False(t, strings.HasPrefix(tr.Name, tree.TempNamePrefix), "a temporary name is left: %q", tr.Name)
		seen[k] = tr.ID
	}
}

// errKilled is what a killed journal answers: the process is gone.
var errKilled = errors.New("killed")

// killer counts the records a run writes and, from the record numbered at
// (from 0) on, writes none: what a SIGKILL at that point leaves of the run
// is what the journal holds and what the calls in flight do. at < 0 never
// kills.
//
// The run's context is not cancelled: a call whose request is on the wire
// when the process dies is carried out by Zoho all the same, and the test
// must see it carried out before it reads the org. Canceling would let
// the client give up on such a request while the sandbox has not begun
// it yet, so that it landed after the restore or resume had read the org
// (WaitIdle cannot see a request the server has not begun): a race of the
// test's making, not a case a real kill leaves.
type killer struct {
	at int

	mu   sync.Mutex
	n    int
	seen []string // what each record passed was: "step 3 send"
}

func (k *killer) pass(what string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.at >= 0 && k.n >= k.at {
		k.n++
		return errKilled
	}
	k.n++
	k.seen = append(k.seen, what)
	return nil
}

func (k *killer) records() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.seen)
}

// killTree is a tree.Journal that writes through j until k kills it.
type killTree struct {
	j    tree.Journal
	k    *killer
	plan *tree.Plan
}

func (w killTree) BeginTree(r tree.JournalRun) error {
	if err := w.k.pass("run"); err != nil {
		return err
	}
	return w.j.BeginTree(r)
}

func (w killTree) Step(i int) zohoterritory.TerritoryJournal {
	return killStep{j: w.j.Step(i), k: w.k, what: w.what(i)}
}

func (w killTree) Members(first int) zohoterritory.SetJournal {
	return killSet{j: w.j.Members(first), k: w.k, w: w, first: first}
}

func (w killTree) what(i int) string { return string(w.plan.Steps[i].Kind) }

type killStep struct {
	j    zohoterritory.TerritoryJournal
	k    *killer
	what string
}

func (s killStep) BeginTerritories(r zohoterritory.TerritoryRun) error {
	if err := s.k.pass(s.what + " begin"); err != nil {
		return err
	}
	return s.j.BeginTerritories(r)
}

func (s killStep) SendingTerritories(a zohoterritory.TerritoryAttempt) error {
	if err := s.k.pass(s.what + " send"); err != nil {
		return err
	}
	return s.j.SendingTerritories(a)
}

func (s killStep) AnsweredTerritories(a zohoterritory.TerritoryAttempt) error {
	if err := s.k.pass(s.what + " answer"); err != nil {
		return err
	}
	return s.j.AnsweredTerritories(a)
}

func (s killStep) SettledTerritories(call int, items []zohoterritory.TerritoryItem) error {
	if err := s.k.pass(s.what + " outcome"); err != nil {
		return err
	}
	return s.j.SettledTerritories(call, items)
}

type killSet struct {
	j     zohoterritory.SetJournal
	k     *killer
	w     killTree
	first int
}

func (s killSet) BeginSet(js zohoterritory.JournalSet) error {
	if err := s.k.pass("members begin"); err != nil {
		return err
	}
	return s.j.BeginSet(js)
}

func (s killSet) Change(i int) zohoterritory.Journal {
	return killChange{j: s.j.Change(i), k: s.k, what: s.w.what(s.first + i)}
}

type killChange struct {
	j    zohoterritory.Journal
	k    *killer
	what string
}

func (c killChange) Begin(r zohoterritory.JournalRun) error { return c.j.Begin(r) }

func (c killChange) Sending(a zohoterritory.JournalAttempt) error {
	if err := c.k.pass(c.what + " send"); err != nil {
		return err
	}
	return c.j.Sending(a)
}

func (c killChange) Answered(a zohoterritory.JournalAttempt) error {
	if err := c.k.pass(c.what + " answer"); err != nil {
		return err
	}
	return c.j.Answered(a)
}

func (c killChange) Settled(call int, items []zohoterritory.ItemResult) error {
	if err := c.k.pass(c.what + " outcome"); err != nil {
		return err
	}
	return c.j.Settled(call, items)
}

// killedApply applies p with a journal at path that k kills, as a process
// killed at that record would leave it: the journal closed, the calls in
// flight done.
func killedApply(t *testing.T, srv *zohoterritorytest.Server, c *zohoterritory.Client, p *tree.Plan, path string, k *killer) {
	t.Helper()
	killedApplyAs(t, srv, c, p, path, k, "apply")
}

// killedApplyAs is killedApply for a run of command.
func killedApplyAs(t *testing.T, srv *zohoterritorytest.Server, c *zohoterritory.Client, p *tree.Plan, path string, k *killer, command string) {
	t.Helper()
	j, err := journal.Create(path, journal.Options{Command: command})
	require.NoError(t, err)
	_, _ = tree.Apply(t.Context(), c, p, tree.ApplyOptions{Journal: killTree{j: j, k: k, plan: p}})
	require.NoError(t, j.Close())
	require.NoError(t, srv.WaitIdle(t.Context()))
}

// applyJournaled applies p with opts and a journal of its own at a new
// path, closed once the run ends, and returns that path beside what Apply
// returned.
func applyJournaled(t *testing.T, c *zohoterritory.Client, p *tree.Plan, opts tree.ApplyOptions) (string, *tree.ApplyResult, error) {
	t.Helper()
	path := journalPath(t)
	j, err := journal.Create(path, journal.Options{Command: "apply"})
	require.NoError(t, err)
	opts.Journal = j
	res, err := tree.Apply(t.Context(), c, p, opts)
	require.NoError(t, j.Close())
	return path, res, err
}

// resumeJournal finishes the run of the journal at path, its own records
// killed by k (nil: never), and returns the result.
func resumeJournal(t *testing.T, srv *zohoterritorytest.Server, c *zohoterritory.Client, path string, k *killer) (*tree.ApplyResult, error) {
	t.Helper()
	j, run, err := journal.Open(path, journal.Options{Command: "resume"})
	require.NoError(t, err)
	require.NotNil(t, run.Tree, "a tree run")
	var tj tree.Journal = j
	if k != nil {
		tj = killTree{j: j, k: k, plan: run.Tree.Plan}
	}
	res, err := tree.Resume(t.Context(), c, run.Tree, tree.ApplyOptions{Journal: tj})
	require.NoError(t, j.Close())
	require.NoError(t, srv.WaitIdle(t.Context()))
	return res, err
}

// faultOnce makes the first request of method whose path ends in suffix
// meet fault, whenever it comes: the option to give the sandbox, and the
// setter of the server it acts on.
func faultOnce(method, suffix string, fault zohoterritorytest.Fault) (zohoterritorytest.Option, func(*zohoterritorytest.Server)) {
	fault.Count = 1
	return faultFrom(method, suffix, fault)
}

// faultFrom sets fault (as its Count says: every request, for 0) when the
// first request of method whose path ends in suffix arrives, that request
// included; as faultOnce.
func faultFrom(method, suffix string, fault zohoterritorytest.Fault) (zohoterritorytest.Option, func(*zohoterritorytest.Server)) {
	var srv atomic.Pointer[zohoterritorytest.Server]
	var done atomic.Bool
	opt := zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Arrived: func(r *http.Request) {
		if r.Method == method && strings.HasSuffix(r.URL.Path, suffix) && done.CompareAndSwap(false, true) {
			_ = srv.Load().SetFaults(fault)
		}
	}})
	return opt, func(s *zohoterritorytest.Server) { srv.Store(s) }
}

// journalPath is a new journal's path in the test's directory.
func journalPath(t *testing.T) string { return filepath.Join(t.TempDir(), "run.jsonl") }
