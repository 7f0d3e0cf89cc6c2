package tree_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// engRecords runs the target's plan once, journaled, and returns what
// each record of the run was ("create send", ...): the points a kill may
// hit.
func engRecords(t *testing.T) []string {
	t.Helper()
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	k := &killer{at: -1}
	killedApply(t, srv, c, p, journalPath(t), k)
	assertAtTarget(t, srv, c)
	return k.records()
}

// TestResumeAfterKill kills an apply at every record of its journal, at
// every step kind: before and after the header, each step's begin, each
// call's send (not sent), answer (sent, done, answer lost to the journal)
// and outcome; then resumes it. Every resume ends exactly at the target,
// with no territory created twice, and its journal says the run is
// complete.
func TestResumeAfterKill(t *testing.T) {
	t.Parallel()
	records := engRecords(t)
	for _, kind := range []tree.StepKind{tree.StepFreeName, tree.StepCreate, tree.StepUpdate, tree.StepAdd, tree.StepRemove, tree.StepDelete} {
		for _, rec := range []string{"send", "answer", "outcome"} {
			assert.Contains(t, records, string(kind)+" "+rec, "the run has a %s step with calls", kind)
		}
	}
	for at, what := range records {
		t.Run(fmt.Sprintf("%02d %s", at, what), func(t *testing.T) {
			t.Parallel()
			srv, c := engServer(t, nil)
			_, p := engTargetPlan(t, c)
			before := engState(srv)
			path := journalPath(t)
			killedApply(t, srv, c, p, path, &killer{at: at})
			if at == 0 {
				// Killed before the header: the run never began.
				_, err := journal.Read(path)
				require.ErrorIs(t, err, journal.ErrEmpty)
				assert.Equal(t, before, engState(srv), "nothing changed")
				return
			}
			run, err := journal.Read(path)
			require.NoError(t, err)
			require.NotNil(t, run.Tree)
			assert.Equal(t, tree.RunUnfinished, run.Tree.Status())
			assert.Positive(t, run.Counts().Pending)

			res, err := resumeJournal(t, srv, c, path, nil)
			require.NoError(t, err)
			assert.True(t, res.Complete(), "%v", states(res))
			assertAtTarget(t, srv, c)
			run, err = journal.Read(path)
			require.NoError(t, err)
			assert.Equal(t, 1, run.Resumes)
			assert.Equal(t, tree.RunComplete, run.Tree.Status())
			assert.True(t, run.Complete())
			assert.Len(t, run.Tree.Done().Created, 2, "Pacific and Hawaii, once each")
		})
	}
}

// TestResumeKilledToo: a resume killed in its turn is resumed again, and
// the run still ends at the target, each territory once.
func TestResumeKilledToo(t *testing.T) {
	t.Parallel()
	records := engRecords(t)
	first := -1
	for i, r := range records {
		if r == "create answer" && first < 0 {
			first = i // Pacific made, its answer lost to the journal
		}
	}
	require.Positive(t, first)
	for _, second := range []int{0, 1, 2, 3, 5, 8} {
		t.Run(fmt.Sprint("resume killed at ", second), func(t *testing.T) {
			t.Parallel()
			srv, c := engServer(t, nil)
			_, p := engTargetPlan(t, c)
			path := journalPath(t)
			killedApply(t, srv, c, p, path, &killer{at: first})
			_, _ = resumeJournal(t, srv, c, path, &killer{at: second})
			res, err := resumeJournal(t, srv, c, path, nil)
			require.NoError(t, err)
			assert.True(t, res.Complete(), "%v", states(res))
			assertAtTarget(t, srv, c)
			run, err := journal.Read(path)
			require.NoError(t, err)
			want := 2
			if second == 0 {
				want = 1 // killed before its resume record: it never began
			}
			assert.Equal(t, want, run.Resumes)
		})
	}
}

// TestResumeMaybeDone: the journal of a run killed with a create's
// answer lost says it may be done; the resume looks it up by name under
// its parent, finds it, and takes its id for the steps after it.
func TestResumeMaybeDone(t *testing.T) {
	t.Parallel()
	records := engRecords(t)
	at := -1
	for i, r := range records {
		if r == "create outcome" {
			at = i // Pacific's call answered, its outcome not recorded
			break
		}
	}
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	path := journalPath(t)
	killedApply(t, srv, c, p, path, &killer{at: at})
	pacific := engNamed(srv, "Pacific")
	require.Len(t, pacific, 1, "Zoho made it")

	run, err := journal.Read(path)
	require.NoError(t, err)
	assert.Equal(t, []int{0}, run.Tree.Steps[1].MaybeDone, "sent, answered 201, its outcome not recorded")
	assert.Empty(t, run.Tree.Steps[1].Settled)
	assert.Equal(t, journal.Counts{Total: 15, Done: 2, Pending: 13, Maybe: 1}, run.Counts())

	res, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	it := res.Steps[1].Territories.Items[0]
	assert.True(t, it.Inferred, "found, not created again")
	assert.Equal(t, pacific[0], it.ID)
	assert.Equal(t, 1, res.Steps[1].Territories.Lookups)
	for _, call := range res.Steps[1].Territories.Calls {
		assert.Zero(t, call.Attempts, "no create sent")
	}
	creates := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/settings/territories") {
			creates++
		}
	}
	assert.Equal(t, 2, creates, "Pacific by the run, Hawaii by the resume")
	assert.Equal(t, pacific, engNamed(srv, "Pacific"))
	assertAtTarget(t, srv, c)
}

// TestResumeRefuses: a journal that is not a tree run's, or whose last
// line is half written, is handled as the membership journals are.
func TestResumeRefuses(t *testing.T) {
	t.Parallel()
	srv, c := engServer(t, nil)
	_, p := engTargetPlan(t, c)
	path := journalPath(t)
	killedApply(t, srv, c, p, path, &killer{at: 6})
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, append(b, `{"type":"send","time":"2026-`...), 0o600), "a torn line")
	run, err := journal.Read(path)
	require.NoError(t, err)
	assert.True(t, run.Torn)
	res, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	assert.True(t, res.Complete())
	assertAtTarget(t, srv, c)

	_, err = tree.Resume(t.Context(), c, nil, tree.ApplyOptions{})
	var pe *tree.PlanError
	require.ErrorAs(t, err, &pe)

	// A journal of a tree run is not begun as a membership run's.
	j, _, err := journal.Open(path, journal.Options{})
	require.NoError(t, err)
	defer func() { _ = j.Close() }()
	err = j.Begin(zohoterritory.JournalRun{Op: zohoterritory.OpAddUsers, Owner: engRoot, IDs: []string{engAva}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "tree run")

	// Records naming what the plan does not hold are refused, with the line.
	lines := strings.SplitAfter(string(b), "\n")
	for _, tt := range []struct{ name, line, want string }{
		{"no such step", `{"type":"send","time":"2026-12-06T10:00:00Z","step":99,"call":1,"attempt":1,"indexes":[0]}`, "step 99: the plan has steps 1 to 9"},
		{"index out of the step", `{"type":"send","time":"2026-12-06T10:00:00Z","step":2,"call":1,"attempt":1,"indexes":[5]}`, "index 5: the step has 1 territories"},
		{"user not of the step", `{"type":"send","time":"2026-12-06T10:00:00Z","step":5,"call":1,"attempt":1,"ids":["1"]}`, `user "1" is not one of the step's`},
		{"op of another kind", `{"type":"step","time":"2026-12-06T10:00:00Z","step":2,"op":"delete-territories"}`, `op "delete-territories": the step is a create step`},
		{"unknown field", `{"type":"resume","time":"2026-12-06T10:00:00Z","token":"x"}`, "malformed record"},
	} {
		p := journalPath(t)
		require.NoError(t, os.WriteFile(p, []byte(lines[0]+tt.line+"\n"), 0o600))
		_, err := journal.Read(p)
		var re *journal.ReadError
		require.True(t, errors.As(err, &re), "%s: %v", tt.name, err)
		assert.Equal(t, 2, re.Line, tt.name)
		assert.Contains(t, err.Error(), tt.want, tt.name)
	}
}

// TestResumeAfterCancelMidCreate: the run is cancelled while Pacific's
// create is at Zoho, which makes it all the same after the client gave
// up; the journal records the attempt unanswered, and the resume finds
// Pacific by its name rather than creating it again.
func TestResumeAfterCancelMidCreate(t *testing.T) {
	t.Parallel()
	var srvp atomic.Pointer[zohoterritorytest.Server]
	var cancel atomic.Pointer[context.CancelFunc]
	var hit atomic.Bool
	hooks := zohoterritorytest.WithHooks(zohoterritorytest.Hooks{Arrived: func(r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/settings/territories") && hit.CompareAndSwap(false, true) {
			// Held until the client gives up on it (the cancel), then
			// made: never answered, whatever the scheduler does.
			_ = srvp.Load().SetFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHang, Count: 1})
			(*cancel.Load())()
		}
	}})
	srv, c := engServer(t, nil, hooks)
	srvp.Store(srv)
	_, p := engTargetPlan(t, c)
	path := journalPath(t)
	j, err := journal.Create(path, journal.Options{Command: "apply"})
	require.NoError(t, err)
	ctx, stop := context.WithCancel(t.Context())
	defer stop()
	cancel.Store(&stop)
	res, err := tree.Apply(ctx, c, p, tree.ApplyOptions{Journal: j})
	require.ErrorIs(t, err, context.Canceled)
	require.NoError(t, j.Close())
	require.NoError(t, srv.WaitIdle(t.Context()))
	assert.Equal(t, 1, res.Halted)
	assert.Equal(t, tree.StepUnsettled, res.Steps[1].State)
	require.Len(t, engNamed(srv, "Pacific"), 1, "made after the client gave up")

	run, err := journal.Read(path)
	require.NoError(t, err)
	assert.Equal(t, []int{0}, run.Tree.Steps[1].MaybeDone)
	rr, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	assert.True(t, rr.Steps[1].Territories.Items[0].Inferred, "found by its name")
	assertAtTarget(t, srv, c)
}

// TestResumeStoppedAccountsForEveryStep: a resume stopped before it sends
// anything accounts for every step as the journal holds it: the creates
// and updates the first run made are done (not "not sent"), the adds whose
// answers were lost unsettled, the delete they kept back not sent; the
// result's status is the journal's. A resume then makes the rest.
func TestResumeStoppedAccountsForEveryStep(t *testing.T) {
	t.Parallel()
	// From the first add on, every request is reset before it is done:
	// the adds' outcomes are never learned.
	opt, set := faultFrom(http.MethodPut, "/users", zohoterritorytest.Fault{Kind: zohoterritorytest.FaultResetBefore})
	srv, c := engServer(t, nil, opt)
	set(srv)
	_, p := engTargetPlan(t, c)
	path, first, err := applyJournaled(t, c, p, tree.ApplyOptions{})
	require.Error(t, err)
	last := len(p.Steps) - 1
	require.Equal(t, tree.StepDelete, p.Steps[last].Kind)
	require.Equal(t, tree.StepNotSent, first.Steps[last].State, "%v", states(first))
	assert.Equal(t, tree.RunUnfinished, first.Status())

	stop := make(chan struct{})
	close(stop)
	jr, run, err := journal.Open(path, journal.Options{Command: "resume"})
	require.NoError(t, err)
	res, err := tree.Resume(t.Context(), c, run.Tree, tree.ApplyOptions{Journal: jr, Stop: stop})
	require.ErrorIs(t, err, zohoterritory.ErrStopped)
	require.NoError(t, jr.Close())
	for i, s := range res.Steps[:4] {
		assert.Equal(t, tree.StepDone, s.State, "step %d (%s), the journal's", i, s.Kind)
	}
	assert.Equal(t, zohoterritory.Created, res.Steps[1].Territories.Items[0].Outcome)
	assert.Equal(t, zohoterritory.ReasonNotSent, res.Steps[last].Territories.Items[0].Reason)
	assert.Equal(t, 2, res.Counts().Created)
	reread, err := journal.Read(path)
	require.NoError(t, err)
	assert.Equal(t, reread.Tree.Status(), res.Status())
	assert.Equal(t, tree.RunUnfinished, res.Status())

	require.NoError(t, srv.SetFaults())
	rr, err := resumeJournal(t, srv, c, path, nil)
	require.NoError(t, err)
	assert.True(t, rr.Complete())
	assertAtTarget(t, srv, c)
}
