package tree_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// kinds returns the kinds of the plan's steps, in order.
func kinds(p *tree.Plan) []tree.StepKind {
	var out []tree.StepKind
	for _, s := range p.Steps {
		out = append(out, s.Kind)
	}
	return out
}

// TestApply applies a plan with a step of every kind against the sandbox,
// journaled: the org ends at the file, and the journal reads back whole.
func TestApply(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	require.Equal(t, []tree.StepKind{tree.StepFreeName, tree.StepCreate, tree.StepCreate, tree.StepUpdate,
		tree.StepAdd, tree.StepAdd, tree.StepAdd, tree.StepRemove, tree.StepDelete}, kinds(p))
	assert.Equal(t, "Plan: 2 to create, 5 to update, 1 to delete; 4 memberships to add, 1 to remove", p.Totals().String())

	path, res, err := applyJournaled(t, c, p, tree.ApplyOptions{})
	require.NoError(t, err)
	assert.True(t, res.Complete())
	assert.Equal(t, -1, res.Halted)
	require.Len(t, res.Steps, len(p.Steps))
	for i, s := range res.Steps {
		assert.Equal(t, tree.StepDone, s.State, "step %d (%s)", i, s.Kind)
		assert.Equal(t, s.Members == nil, s.Territories != nil, "step %d: one kind of outcome", i)
	}
	pacific, hawaii := engNamed(srv, "Pacific"), engNamed(srv, "Hawaii")
	require.Len(t, pacific, 1)
	require.Len(t, hawaii, 1)
	assert.Equal(t, map[string]string{"new:North America/Pacific": pacific[0], "new:North America/Pacific/Hawaii": hawaii[0]}, res.Created)
	assert.Empty(t, res.Restored)
	assertAtTarget(t, srv, c)

	// What the sandbox holds, field by field.
	rules, _ := srv.Rules(pacific[0])
	assert.JSONEq(t, `{"field":{"api_name":"Billing_State"},"comparator":"equal","value":"WA"}`, string(rules[0]), "the rule as the file gives it")
	for _, tr := range srv.Territories() {
		switch tr.ID {
		case pacific[0]:
			assert.Equal(t, engNA, tr.ReportingTo)
			assert.Equal(t, engDev, tr.ManagerID)
			assert.Equal(t, zohoterritorytest.PermissionReadOnly, tr.PermissionType)
			assert.Equal(t, "WA and OR", tr.Description)
			assert.Equal(t, []string{engDev, engHal}, tr.Members)
		case hawaii[0]:
			assert.Equal(t, pacific[0], tr.ReportingTo, "the new parent's key became its id")
			assert.Equal(t, []string{engHal}, tr.Members)
		case engKey:
			assert.Equal(t, engNA, tr.ReportingTo, "moved")
			assert.Equal(t, zohoterritorytest.PermissionReadWriteDelete, tr.PermissionType)
			assert.Equal(t, "The twenty largest", tr.Description)
		case engEU:
			assert.Equal(t, "EMEA", tr.Name)
			assert.Equal(t, []string{engAva, engDev}, tr.Members)
		case engNA:
			assert.Equal(t, engChloe, tr.ManagerID)
			assert.Equal(t, []string{engBen, engChloe, engDev}, tr.Members, "the manager that was stays a member, as the file says")
		case engEast:
			assert.Equal(t, "West Coast", tr.Name, "swapped")
		case engWest:
			assert.Equal(t, "East Coast", tr.Name, "swapped")
		}
	}
	assert.Empty(t, srv.Members(engLatam), "deleted")

	// The journal holds the run: the plan, every step settled, and what
	// the run made.
	run, err := journal.Read(path)
	require.NoError(t, err)
	require.NotNil(t, run.Tree)
	assert.Equal(t, journal.TreeVersion, run.Version)
	assert.Equal(t, "apply", run.Command)
	assert.Equal(t, srv.URL(), run.APIDomain)
	assert.Equal(t, tree.RunComplete, run.Tree.Status())
	assert.True(t, run.Complete())
	assert.Equal(t, journal.Counts{Total: 15, Done: 14, Present: 1}, run.Counts(), "10 territories' changes, 5 memberships (Pacific's manager a member since its create)")
	assert.Equal(t, res.Done(), run.Tree.Done())
	done := run.Tree.Done()
	assert.Equal(t, res.Created, done.Created)
	assert.ElementsMatch(t, []string{engEast, engWest}, done.Freed)
	assert.Equal(t, []string{engLatam}, done.Deleted)
	assert.Len(t, done.Updated, 5)
	for i, sp := range run.Tree.Steps {
		assert.True(t, sp.Begun, "step %d", i)
		assert.Empty(t, sp.MaybeDone, "step %d", i)
		assert.Empty(t, sp.MaybeDoneUsers, "step %d", i)
	}
}

// TestApplyHalts: a structure step that Zoho refuses for good (a name
// taken since the plan was made) stops the run before the next step; the
// journal says the run is halted, the later steps blocked.
func TestApplyHalts(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	res, err := c.CreateTerritories(t.Context(), zohoterritory.NewTerritory{Name: "Hawaii", ReportingTo: engRoot, PermissionType: zohoterritory.ReadOnly})
	require.NoError(t, err)
	require.True(t, res.AllDone())
	before := engState(srv)

	path, ar, err := applyJournaled(t, c, p, tree.ApplyOptions{})
	require.NoError(t, err, "a refusal of Zoho's is an outcome, not a failure of the call")
	assert.Equal(t, 2, ar.Halted, "Hawaii's create, after Pacific's")
	assert.Equal(t, tree.StepFailed, ar.Steps[2].State)
	assert.Equal(t, zohoterritory.ReasonDuplicateName, ar.Steps[2].Territories.Items[0].Reason)
	notSent := 0
	for i, s := range ar.Steps[3:] {
		assert.Equal(t, tree.StepNotSent, s.State)
		ps := p.Steps[3+i]
		// Each place of a step never sent has its outcome all the same.
		if ps.Members != nil {
			require.NotNil(t, s.Members, "step %d", 3+i)
			require.Len(t, s.Members.Items, len(ps.Members.Users))
			for k, it := range s.Members.Items {
				assert.Equal(t, zohoterritory.ItemResult{ID: ps.Members.Users[k], Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonNotSent,
					Message: "not sent: an earlier step stopped the run"}, it)
			}
			notSent += len(ps.Members.Users)
			continue
		}
		require.NotNil(t, s.Territories, "step %d", 3+i)
		require.Len(t, s.Territories.Items, len(ps.Creates)+len(ps.Updates)+len(ps.Deletes))
		for k, it := range s.Territories.Items {
			assert.Equal(t, k, it.Index)
			assert.Equal(t, zohoterritory.Failed, it.Outcome)
			assert.Equal(t, zohoterritory.ReasonNotSent, it.Reason)
		}
		notSent += len(s.Territories.Items)
	}
	// The run's items are one a place, of every step, in order: those
	// of the steps never sent among them, not done.
	items := ar.Items()
	require.Len(t, items, notSent+4, "2 names freed, Pacific's and Hawaii's creates, and the rest")
	assert.Equal(t, tree.RunItem{Step: 1, Kind: tree.StepCreate, Territory: engNamed(srv, "Pacific")[0], Path: "North America/Pacific",
		Outcome: zohoterritory.Created, Code: "SUCCESS", Message: "Territory Created Successfully", Done: true}, items[2])
	hawaii := items[3]
	assert.Equal(t, []any{2, "", "North America/Pacific/Hawaii", zohoterritory.Failed, zohoterritory.ReasonDuplicateName, false},
		[]any{hawaii.Step, hawaii.Territory, hawaii.Path, hawaii.Outcome, hawaii.Reason, hawaii.Done})
	last := items[len(items)-1]
	assert.Equal(t, tree.RunItem{Step: 8, Kind: tree.StepDelete, Territory: engLatam, Path: "Latin America",
		Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonNotSent, Message: "not sent: an earlier step stopped the run"}, last)
	for _, it := range items {
		if it.Kind == tree.StepAdd || it.Kind == tree.StepRemove {
			assert.NotEmpty(t, it.User, "a membership names its user")
		}
	}
	assert.False(t, ar.Complete())
	assert.Equal(t, tree.RunHalted, ar.Status())
	assert.Equal(t, 2, ar.Halt())
	n := ar.Counts()
	assert.Equal(t, 1, n.Refused, "Hawaii's create")
	assert.Equal(t, notSent, n.NotSent, "every territory and membership of the steps after it")
	assert.Zero(t, n.Unknown)
	assert.Equal(t, 3, n.Done(), "two names freed, Pacific created")
	assert.Len(t, engNamed(srv, "Pacific"), 1, "made before")
	assert.Equal(t, "Latin America", func() string {
		for _, tr := range srv.Territories() {
			if tr.ID == engLatam {
				return tr.Name
			}
		}
		return ""
	}(), "not deleted: the run stopped before")

	run, err := journal.Read(path)
	require.NoError(t, err)
	assert.Equal(t, tree.RunHalted, run.Tree.Status())
	assert.Equal(t, ar.Status(), run.Tree.Status())
	assert.Equal(t, 2, run.Tree.Halt())
	c2 := run.Counts()
	assert.Equal(t, 3, c2.Done, "two names freed, Pacific created")
	assert.Equal(t, 1, c2.Failed)
	assert.Zero(t, c2.Pending)
	assert.Equal(t, 11, c2.Blocked, "5 updates, 4 adds, 1 removal, 1 delete")
	assert.False(t, run.Complete())

	// A resume stops there again, sending nothing.
	sent := len(srv.Requests())
	rr, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, rr.Halted)
	assert.Equal(t, sent, len(srv.Requests()), "nothing sent")

	// Restore takes back what the halted run made.
	_, back, err := tree.Restore(t.Context(), c, run.Tree, tree.OrderOptions{Created: engT0}, tree.ApplyOptions{})
	require.NoError(t, err)
	assert.True(t, back.Complete(), "%v", states(back))
	assert.Equal(t, before, engState(srv))
}

// TestApplyChecks: a plan Zoho would refuse is refused before anything is
// sent, naming the step.
func TestApplyChecks(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	bad := *p
	bad.Steps = append([]tree.Step(nil), p.Steps...)
	creates := append([]tree.Create(nil), bad.Steps[1].Creates...)
	creates[0].Permission = "admin"
	bad.Steps[1].Creates = creates
	_, err := tree.Apply(t.Context(), c, &bad, tree.ApplyOptions{})
	var pe *tree.PlanError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 1, pe.Step)
	assert.Contains(t, pe.Error(), `permission "admin"`)
	_, err = tree.Apply(t.Context(), c, nil, tree.ApplyOptions{})
	require.ErrorAs(t, err, &pe)
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodGet, r.Method, "only the reads of the plan")
	}
}

// TestApplyStop: a closed Stop keeps the first step's calls from being
// sent; the run halts there, and a resume makes it all.
func TestApplyStop(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	stop := make(chan struct{})
	close(stop)
	path, res, err := applyJournaled(t, c, p, tree.ApplyOptions{Stop: stop})
	require.ErrorIs(t, err, zohoterritory.ErrStopped)
	assert.Equal(t, 0, res.Halted)
	assert.Equal(t, tree.StepUnsettled, res.Steps[0].State)
	run, err := journal.Read(path)
	require.NoError(t, err)
	assert.Equal(t, tree.RunUnfinished, run.Tree.Status())

	rr, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	assert.True(t, rr.Complete())
	assertAtTarget(t, srv, c)
}

// TestApplyLostAnswers: answers lost after Zoho did the work (a create's
// connection reset mid-answer, a delete's 500 after the delete, an
// update's body cut off) are settled by the client's retries: the create
// looked up by its name, never made twice; the delete answered "no such
// territory", so deleted; the update sent again.
func TestApplyLostAnswers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, method, suffix string
		fault                zohoterritorytest.FaultKind
	}{
		{"create reset during the answer", http.MethodPost, "/settings/territories", zohoterritorytest.FaultResetDuring},
		{"create answered 500 after the work", http.MethodPost, "/settings/territories", zohoterritorytest.FaultServerError},
		{"update cut off", http.MethodPut, "/settings/territories", zohoterritorytest.FaultTruncate},
		{"delete answered 500 after the work", http.MethodDelete, "/settings/territories/" + engLatam, zohoterritorytest.FaultServerError},
		{"add reset during the answer", http.MethodPut, "/users", zohoterritorytest.FaultResetDuring},
		{"remove answered 500 after the work", http.MethodDelete, "/users/" + engHal, zohoterritorytest.FaultServerError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opt, set := faultOnce(tt.method, tt.suffix, zohoterritorytest.Fault{Kind: tt.fault})
			srv, c := engServer(t, nil, opt)
			set(srv)
			_, p := engTargetPlan(t, c)
			res, err := tree.Apply(t.Context(), c, p, tree.ApplyOptions{})
			require.NoError(t, err)
			assert.True(t, res.Complete(), "%v", states(res))
			assertAtTarget(t, srv, c)
			faulted := 0
			for _, r := range srv.Requests() {
				if r.Fault != "" {
					faulted++
				}
			}
			assert.Equal(t, 1, faulted, "the fault hit")
		})
	}
}

func states(res *tree.ApplyResult) []string {
	var out []string
	for _, s := range res.Steps {
		out = append(out, fmt.Sprintf("%s:%s", s.Kind, s.State))
	}
	return out
}

// TestApplyMembersAlreadyAsPlanned: a removal that finds the user gone
// already, and an add that finds the user a member already, are as the
// plan wants them: their steps are done, the run complete, and each is
// counted done ([tree.CountOptions]), not failed.
func TestApplyMembersAlreadyAsPlanned(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	// Someone makes two of the plan's membership changes meanwhile: Hal
	// leaves Europe, Dev joins it.
	gone, err := c.RemoveUsersFromTerritory(t.Context(), engEU, engHal)
	require.NoError(t, err)
	require.True(t, gone.AllRemoved())
	joined, err := c.AddUsersToTerritory(t.Context(), engEU, engDev)
	require.NoError(t, err)
	require.Equal(t, []string{engDev}, joined.Added())

	path, res, err := applyJournaled(t, c, p, tree.ApplyOptions{})
	require.NoError(t, err)
	for i, s := range res.Steps {
		assert.Equal(t, tree.StepDone, s.State, "step %d (%s)", i, s.Kind)
	}
	assert.True(t, res.Complete())
	n := res.Counts()
	assert.Equal(t, tree.RunCounts{Created: 2, Updated: 7, Deleted: 1, Added: 2, Present: 2, Removed: 1}, n,
		"Dev, a member already, and Pacific's manager, whom Zoho makes one, present; Hal, gone already, removed")
	assertAtTarget(t, srv, c)

	// The journal counts them so too.
	run, err := journal.Read(path)
	require.NoError(t, err)
	assert.Equal(t, tree.RunComplete, run.Tree.Status())
	assert.Equal(t, journal.Counts{Total: 15, Done: 13, Present: 2}, run.Counts())
}

// TestApplyRateLimited: a step whose calls meet 429 past the client's
// retries stops the run there, but nothing of it was refused for good:
// the run is unfinished, not halted, its territories counted among those
// not sent, none refused; a resume makes it all.
func TestApplyRateLimited(t *testing.T) {
	t.Parallel()
	// From the first create on, every call is answered 429.
	opt, set := faultFrom(http.MethodPost, "/settings/territories", zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit})
	srv, c := engServer(t, nil, opt)
	set(srv)
	_, p := engTargetPlan(t, c)
	path, res, err := applyJournaled(t, c, p, tree.ApplyOptions{})
	require.Error(t, err)
	assert.Equal(t, 1, res.Halted, "Pacific's create stopped the run")
	assert.Equal(t, tree.StepUnsettled, res.Steps[1].State)
	assert.Equal(t, zohoterritory.ReasonRateLimited, res.Steps[1].Territories.Items[0].Reason)
	assert.Equal(t, tree.RunUnfinished, res.Status(), "a resume sends it again")
	assert.Equal(t, -1, res.Halt(), "no step refused")
	n := res.Counts()
	assert.Zero(t, n.Refused, "nothing refused for good")
	assert.Zero(t, n.Unknown)
	assert.Equal(t, 2, n.Updated, "the two names freed")
	assert.Equal(t, 13, n.NotSent, "Pacific's create and every change after it")

	run, err := journal.Read(path)
	require.NoError(t, err)
	assert.Equal(t, res.Status(), run.Tree.Status(), "the journal says the same")
	send, maybe, total := run.Tree.Left()
	assert.Equal(t, []int{13, 0, 15}, []int{send, maybe, total}, "a resume sends all but the two names freed, none perhaps done")

	require.NoError(t, srv.SetFaults())
	rr, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	assert.Equal(t, tree.RunComplete, rr.Status())
	assert.True(t, rr.Complete())
	assertAtTarget(t, srv, c)
}

// TestApplyStopAfterTheMembers: a stop that comes as the membership
// phase's last call is answered keeps the deletes from being sent: the
// run is unfinished, stopped, and a resume makes the rest.
func TestApplyStopAfterTheMembers(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	var once sync.Once
	srv, c := engServer(t, nil, zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Answering: func(r *http.Request, _ int) {
		if r.Method == http.MethodDelete && strings.HasSuffix(r.URL.Path, "/users/"+engHal) {
			once.Do(func() { close(stop) }) // the removal, the phase's last call
		}
	}}))
	_, p := engTargetPlan(t, c)
	path, res, err := applyJournaled(t, c, p, tree.ApplyOptions{Stop: stop})
	require.ErrorIs(t, err, zohoterritory.ErrStopped)
	last := len(p.Steps) - 1
	assert.Equal(t, tree.StepDone, res.Steps[last-1].State, "the removal")
	assert.NotEqual(t, tree.StepDone, res.Steps[last].State, "the delete, not sent")
	assert.Equal(t, zohoterritory.ReasonNotSent, res.Steps[last].Territories.Items[0].Reason)
	assert.Equal(t, tree.RunUnfinished, res.Status())
	assert.Equal(t, 1, res.Counts().NotSent)
	assert.Contains(t, engNamed(srv, "Latin America"), engLatam, "not deleted")

	rr, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	assert.True(t, rr.Complete())
	assertAtTarget(t, srv, c)
}

// TestApplyUnsettledAddKeepsTheDeletes: an add that meets 429 past the
// client's retries leaves its membership unsettled, and the run stops
// before the deletes, which take a territory from its members: the
// deleted territory stays, the run is unfinished, and a resume makes the
// rest.
func TestApplyUnsettledAddKeepsTheDeletes(t *testing.T) {
	t.Parallel()
	// After the first add, every call is answered 429.
	opt, set := faultFrom(http.MethodPut, "/users", zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit})
	srv, c := engServer(t, nil, opt)
	set(srv)
	_, p := engTargetPlan(t, c)
	last := len(p.Steps) - 1
	require.Equal(t, tree.StepDelete, p.Steps[last].Kind)
	path, res, err := applyJournaled(t, c, p, tree.ApplyOptions{})
	require.Error(t, err)
	var unsettled []int
	for i, s := range res.Steps {
		if s.Members != nil && s.State == tree.StepUnsettled {
			unsettled = append(unsettled, i)
		}
	}
	assert.NotEmpty(t, unsettled, "the adds after the first, 429'd")
	assert.Equal(t, zohoterritory.ReasonNotSent, res.Steps[last].Territories.Items[0].Reason, "the delete, kept back")
	assert.Contains(t, engNamed(srv, "Latin America"), engLatam, "not deleted")
	assert.Equal(t, tree.RunUnfinished, res.Status(), "a resume sends it")
	assert.Equal(t, -1, res.Halt(), "nothing refused for good")
	assert.Zero(t, res.Counts().Deleted)

	run, err := journal.Read(path)
	require.NoError(t, err)
	assert.Equal(t, tree.RunUnfinished, run.Tree.Status(), "the journal says the same")

	require.NoError(t, srv.SetFaults())
	rr, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	assert.True(t, rr.Complete())
	assertAtTarget(t, srv, c)
}
