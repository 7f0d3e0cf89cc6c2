package zohoterritory_test

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// Ids of moveOrg.
const (
	mvCaller, mvU1, mvU2, mvU3, mvU4 = "10", "11", "12", "13", "14"
	mvOrg, mvA, mvB, mvC             = "900", "901", "902", "903"
)

// moveOrg is an org with territories A (u1, u2, u3), B (empty but for its
// manager) and C (u4).
func moveOrg() zohoterritorytest.Seed {
	u := func(id string) zohoterritorytest.User {
		return zohoterritorytest.User{ID: id, FullName: "User " + id, Email: "u" + id + "@acme.com"}
	}
	return zohoterritorytest.Seed{
		Users: []zohoterritorytest.User{u(mvCaller), u(mvU1), u(mvU2), u(mvU3), u(mvU4)},
		Territories: []zohoterritorytest.Territory{
			{ID: mvOrg, Name: "Org", ManagerID: mvCaller, Members: []string{mvCaller, mvU1, mvU2, mvU3, mvU4}},
			{ID: mvA, Name: "A", ManagerID: mvCaller, ReportingTo: mvOrg, Members: []string{mvU1, mvU2, mvU3}},
			{ID: mvB, Name: "B", ManagerID: mvCaller, ReportingTo: mvOrg},
			{ID: mvC, Name: "C", ManagerID: mvCaller, ReportingTo: mvOrg, Members: []string{mvU4}},
		},
		DefaultTerritoryID: mvOrg,
		CallerID:           mvCaller,
	}
}

func moveSandbox(t *testing.T, opts ...zohoterritorytest.Option) *zohoterritorytest.Server {
	t.Helper()
	opts = append([]zohoterritorytest.Option{zohoterritorytest.WithSeed(moveOrg()), zohoterritorytest.WithContractCheck(validator(t))}, opts...)
	srv, err := zohoterritorytest.NewServer(opts...)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

func outcomesOf(res *zohoterritory.Result) map[string]string {
	out := map[string]string{}
	for _, it := range res.Items {
		s := it.Outcome.String()
		if it.Reason != "" {
			s += "/" + string(it.Reason)
		}
		out[it.ID] = s
	}
	return out
}

// TestMoveIntoAFullTerritory: B has room for one more user (its manager
// and one), so one user moves and two stay in A, kept, with the add's
// reason in the message.
func TestMoveIntoAFullTerritory(t *testing.T) {
	t.Parallel()
	srv := moveSandbox(t, zohoterritorytest.WithTerritoryUserLimit(2))
	c, err := srv.Client(zohoterritory.WithConcurrency(2))
	require.NoError(t, err)
	set, err := zohoterritory.Move(mvA, mvB, mvU1, mvU2, mvU3)
	require.NoError(t, err)
	res, err := c.ApplySet(t.Context(), set)
	require.NoError(t, err)
	require.Len(t, res.Results, 2)
	assert.Equal(t, map[string]string{mvU1: "added", mvU2: "failed/limit_exceeded", mvU3: "failed/limit_exceeded"}, outcomesOf(res.Results[0]))
	assert.Equal(t, map[string]string{mvU1: "removed", mvU2: "failed/kept", mvU3: "failed/kept"}, outcomesOf(res.Results[1]))
	kept := res.Results[1].Items[1]
	assert.Contains(t, kept.Message, "adding the user to territory "+mvB+" failed (failed, limit_exceeded, Maximum Users Limit reached for a territory)")
	assert.ElementsMatch(t, []string{mvCaller, mvU2, mvU3}, srv.Members(mvA), "the manager, and those kept")
	assert.ElementsMatch(t, []string{mvCaller, mvU1}, srv.Members(mvB))
	assert.Equal(t, "1 added, 0 already present, 1 removed, 2 kept, 2 failed, 0 unknown (2 calls)", res.String())

	// The removals went out after every add: the first DELETE follows the
	// last PUT.
	var methods []string
	for _, r := range srv.Requests() {
		methods = append(methods, r.Method)
	}
	assert.Equal(t, []string{http.MethodPut, http.MethodDelete}, slices.Compact(methods))
	assert.Empty(t, srv.Violations())
}

// TestMoveAlreadyThere: a user who is in B already is removed from A (they
// are "now in B"), one who is in neither is an add and a failed removal.
func TestMoveAlreadyThere(t *testing.T) {
	t.Parallel()
	srv := moveSandbox(t)
	c, err := srv.Client()
	require.NoError(t, err)
	set, err := zohoterritory.Move(mvA, mvC, mvU1, mvU4)
	require.NoError(t, err)
	res, err := c.ApplySet(t.Context(), set)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{mvU1: "added", mvU4: "already_present"}, outcomesOf(res.Results[0]))
	assert.Equal(t, map[string]string{mvU1: "removed", mvU4: "failed/not_member"}, outcomesOf(res.Results[1]))
	assert.ElementsMatch(t, []string{mvCaller, mvU2, mvU3}, srv.Members(mvA))
}

// TestMoveHeldUntilTheAddIsSettled: the add's answer is lost (a 500 after
// the work, no retry allowed), so the removal is held back, not sent; a
// second run given the first one's settled outcomes, as a resume is,
// settles the add (present already: the lost attempt added it) and then
// removes.
func TestMoveHeldUntilTheAddIsSettled(t *testing.T) {
	t.Parallel()
	srv := moveSandbox(t, zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError, Count: 1}))
	once := zohoterritory.DefaultRetryPolicy()
	once.MaxAttempts = 1
	c, err := srv.Client(zohoterritory.WithRetryPolicy(once))
	require.NoError(t, err)
	set, err := zohoterritory.Move(mvA, mvB, mvU1)
	require.NoError(t, err)
	res, err := c.ApplySet(t.Context(), set)
	require.ErrorIs(t, err, zohoterritory.ErrInternal)
	assert.Equal(t, map[string]string{mvU1: "unknown"}, outcomesOf(res.Results[0]))
	assert.Equal(t, map[string]string{mvU1: "failed/not_sent"}, outcomesOf(res.Results[1]))
	assert.Contains(t, res.Results[1].Items[0].Message, "held back: adding the user to territory "+mvB+" is not settled")
	assert.ElementsMatch(t, []string{mvCaller, mvU1, mvU2, mvU3}, srv.Members(mvA), "nobody left A")
	assert.Contains(t, srv.Members(mvB), mvU1, "the lost add did its work")

	// The resume: nothing settled yet, the add perhaps done.
	set.Changes[0].MaybeDone = []string{mvU1}
	res, err = c.ApplySet(t.Context(), set)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{mvU1: "added"}, outcomesOf(res.Results[0]))
	assert.True(t, res.Results[0].Items[0].Inferred)
	assert.Equal(t, map[string]string{mvU1: "removed"}, outcomesOf(res.Results[1]))
	assert.ElementsMatch(t, []string{mvCaller, mvU2, mvU3}, srv.Members(mvA))
}

// TestSetSettledAreNotSent: outcomes an earlier run settled come back as
// they were and are not sent; they count for the gating.
func TestSetSettledAreNotSent(t *testing.T) {
	t.Parallel()
	srv := moveSandbox(t)
	c, err := srv.Client()
	require.NoError(t, err)
	set, err := zohoterritory.Move(mvA, mvB, mvU1, mvU2)
	require.NoError(t, err)
	// An earlier run added u1 and u2 to B... in its own mind: u2's add
	// "failed" for good there, so u2 is kept in A without a call.
	set.Changes[0].Settled = []zohoterritory.ItemResult{
		{ID: mvU1, Outcome: zohoterritory.Added},
		{ID: mvU2, Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonLimitExceeded, Message: "full"},
	}
	res, err := c.ApplySet(t.Context(), set)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{mvU1: "added", mvU2: "failed/limit_exceeded"}, outcomesOf(res.Results[0]))
	assert.Equal(t, map[string]string{mvU1: "removed", mvU2: "failed/kept"}, outcomesOf(res.Results[1]))
	for _, r := range srv.Requests() {
		assert.Equal(t, http.MethodDelete, r.Method, "no add was sent")
	}
	assert.Len(t, res.Calls(), 1)
}

// TestSetStopsOnRefusedToken: a token Zoho refuses fails the first change,
// and the changes not yet started are not sent.
func TestSetStopsOnRefusedToken(t *testing.T) {
	t.Parallel()
	srv := moveSandbox(t)
	c, err := zohoterritory.New(zohoterritory.WithAPIDomain(srv.URL()), zohoterritory.WithAccessToken("1000.wrong"), zohoterritory.WithConcurrency(1))
	require.NoError(t, err)
	set := zohoterritory.ChangeSet{Changes: []zohoterritory.Change{
		{Op: zohoterritory.OpRemoveUsers, Owner: mvA, IDs: []string{mvU1}},
		{Op: zohoterritory.OpRemoveUsers, Owner: mvC, IDs: []string{mvU4}},
	}}
	res, err := c.ApplySet(t.Context(), set)
	require.ErrorIs(t, err, zohoterritory.ErrInvalidToken)
	assert.Len(t, srv.Requests(), 1, "the second change was not sent")
	assert.Equal(t, map[string]string{mvU4: "failed/not_sent"}, outcomesOf(res.Results[1]))
}

func TestPlanSetAndMoveChecks(t *testing.T) {
	t.Parallel()
	c, err := zohoterritory.New()
	require.NoError(t, err)
	set, err := zohoterritory.Move(mvA, mvB, mvU1, mvU2, mvU1)
	require.NoError(t, err)
	calls, err := c.PlanSet(set)
	require.NoError(t, err)
	require.Len(t, calls, 2)
	assert.Equal(t, "addUsersToTerritory", calls[0].Operation)
	assert.Equal(t, "removeUsersFromTerritory", calls[1].Operation)
	assert.Equal(t, []string{mvU1, mvU2}, calls[1].IDs)

	for _, tc := range []struct {
		from, to string
		users    []string
		arg      string
	}{
		{mvA, mvA, []string{mvU1}, "to"},
		{"x", mvB, []string{mvU1}, "from"},
		{mvA, "", []string{mvU1}, "to"},
		{mvA, mvB, nil, "userIDs"},
		{mvA, mvB, []string{mvU1, "1x"}, "userIDs[1]"},
	} {
		_, err := zohoterritory.Move(tc.from, tc.to, tc.users...)
		var idErr *zohoterritory.InvalidIDError
		require.ErrorAs(t, err, &idErr, "%v", tc)
		assert.Equal(t, tc.arg, idErr.Arg)
	}
	_, err = c.PlanSet(zohoterritory.ChangeSet{Changes: []zohoterritory.Change{{Op: zohoterritory.OpAddUsers, Owner: mvA, IDs: []string{"x"}}}})
	assert.ErrorContains(t, err, "ChangeSet.Changes[0]")
}

// memSetJournal is a SetJournal in memory.
type memSetJournal struct {
	mu      sync.Mutex
	set     *zohoterritory.JournalSet
	records []string
}

func (j *memSetJournal) BeginSet(s zohoterritory.JournalSet) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.set = &s
	return nil
}

func (j *memSetJournal) Change(i int) zohoterritory.Journal { return memChangeJournal{j, i} }

type memChangeJournal struct {
	j *memSetJournal
	i int
}

func (m memChangeJournal) add(s string) error {
	m.j.mu.Lock()
	defer m.j.mu.Unlock()
	m.j.records = append(m.j.records, fmt.Sprintf("%d %s", m.i, s))
	return nil
}

func (m memChangeJournal) Begin(r zohoterritory.JournalRun) error {
	return m.add("begin " + string(r.Op))
}
func (m memChangeJournal) Sending(a zohoterritory.JournalAttempt) error {
	return m.add(fmt.Sprintf("send %s %v", a.Operation, a.IDs))
}
func (m memChangeJournal) Answered(a zohoterritory.JournalAttempt) error {
	return m.add(fmt.Sprintf("answer %d", a.Status))
}
func (m memChangeJournal) Settled(call int, items []zohoterritory.ItemResult) error {
	var s []string
	for _, it := range items {
		s = append(s, it.ID+"="+it.Outcome.String()+"/"+string(it.Reason))
	}
	return m.add(fmt.Sprintf("settled %d %v", call, s))
}

// TestSetJournal: the journal is told the whole set first, then each
// change's calls under its index, and the removals kept without a call.
func TestSetJournal(t *testing.T) {
	t.Parallel()
	srv := moveSandbox(t, zohoterritorytest.WithTerritoryUserLimit(2))
	c, err := srv.Client(zohoterritory.WithConcurrency(1))
	require.NoError(t, err)
	set, err := zohoterritory.Move(mvA, mvB, mvU1, mvU2)
	require.NoError(t, err)
	j := &memSetJournal{}
	set.Journal = j
	_, err = c.ApplySet(t.Context(), set)
	require.NoError(t, err)
	require.NotNil(t, j.set)
	require.Len(t, j.set.Changes, 2)
	assert.Equal(t, zohoterritory.JournalChange{Op: zohoterritory.OpAddUsers, Owner: mvB, IDs: []string{mvU1, mvU2}, Send: []string{mvU1, mvU2}}, j.set.Changes[0])
	assert.Equal(t, []string{
		"0 begin add-users",
		"0 send addUsersToTerritory [11 12]",
		"0 answer 207",
		"0 settled 1 [11=added/ 12=failed/limit_exceeded]",
		"1 settled 0 [12=failed/kept]",
		"1 begin remove-users",
		"1 send removeUserFromTerritory [11]",
		"1 answer 200",
		"1 settled 1 [11=removed/]",
	}, j.records)
	assert.False(t, errors.Is(err, zohoterritory.ErrStopped))
}
