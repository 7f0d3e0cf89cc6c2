package zohoterritory_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testorg"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// faultOrg is testorg's 1,002-id org, with the checks of a Result.
type faultOrg struct{ testorg.Bulk }

func newFaultOrg() faultOrg { return faultOrg{testorg.NewBulk()} }

const (
	faultRep                   = testorg.Rep
	faultDefault, faultManaged = testorg.Default, testorg.Managed
)

// account checks that a result accounts for every id exactly once, in input
// order, as removed, failed (for a documented reason) or unknown, and that
// no id reported removed is still a member. It returns the ids by outcome,
// failures keyed by reason.
func (o faultOrg) account(t *testing.T, srv *zohoterritorytest.Server, res *zohoterritory.Result) (removed []string, failed map[zohoterritory.Reason][]string, unknown []string) {
	t.Helper()
	require.NotNil(t, res)
	require.Len(t, res.Items, len(o.IDs), "one item per id")
	left := map[string]bool{}
	for _, id := range srv.TerritoriesOf(faultRep) {
		left[id] = true
	}
	failed = map[zohoterritory.Reason][]string{}
	for i, it := range res.Items {
		require.Equal(t, o.IDs[i], it.ID, "item %d is in input order", i)
		switch it.Outcome {
		case zohoterritory.Removed:
			assert.False(t, left[it.ID], "%s reported removed but still a member", it.ID)
			assert.NotContains(t, o.Documented, it.ID, "%s can never be removed", it.ID)
			removed = append(removed, it.ID)
		case zohoterritory.Failed:
			if want, ok := o.Documented[it.ID]; ok && it.Reason != zohoterritory.ReasonRateLimited {
				assert.Equal(t, want, string(it.Reason), it.ID)
			} else {
				assert.Contains(t, []zohoterritory.Reason{zohoterritory.ReasonRateLimited, zohoterritory.ReasonNotMember}, it.Reason,
					"%s failed for an undocumented reason: %s", it.ID, it.Message)
			}
			assert.NotEmpty(t, it.Message, it.ID)
			failed[it.Reason] = append(failed[it.Reason], it.ID)
		case zohoterritory.Unknown:
			assert.NotEmpty(t, it.Message, "an unknown outcome says what was not learned")
			unknown = append(unknown, it.ID)
		default:
			t.Fatalf("%s: outcome %v", it.ID, it.Outcome)
		}
	}
	assert.Equal(t, len(o.IDs), len(removed)+len(unknown)+countAll(failed))
	return removed, failed, unknown
}

func countAll(m map[zohoterritory.Reason][]string) int {
	n := 0
	for _, ids := range m {
		n += len(ids)
	}
	return n
}

// assertConverged checks the org's end state: every removable membership is
// gone, and the two that cannot be removed are left.
func (o faultOrg) assertConverged(t *testing.T, srv *zohoterritorytest.Server) {
	t.Helper()
	assert.Equal(t, []string{faultDefault, faultManaged}, srv.TerritoriesOf(faultRep), "only the documented failures are left")
}

// fastRetries keeps the suite fast: tiny waits, and a Retry-After of 1 s
// is capped to 5 ms.
func fastRetries(attemptTimeout time.Duration) zohoterritory.RetryPolicy {
	return zohoterritory.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: 5 * time.Millisecond, Budget: 20, AttemptTimeout: attemptTimeout}
}

// TestBulkRunUnderEachFault removes 1,002 territories from a user, one
// batch at a time, while the sandbox spoils every attempt of the first
// batch with one kind of fault. The first run must account for every id:
// the first batch comes out unknown (or rate limited, for 429, since a 429
// says nothing was done), the rest removed, the two documented failures
// failed. A second identical run then converges: the first batch's ids are
// removed, or failed not_member when the fault had let the work be done,
// and only the documented failures are left in the org.
func TestBulkRunUnderEachFault(t *testing.T) {
	t.Parallel()
	const attempts = 3
	// The timed faults that spoil an answer wait for the client to give
	// up (hang, stall), so the attempt timeout only bounds how long that
	// takes; latency and a slow body shorter than it spoil nothing. The
	// batches after the first must each be answered within it, on a busy
	// CI machine too: a second leaves them a margin of hundreds (they take
	// a few milliseconds), at about two seconds of this test's time.
	giveUp := time.Second
	tests := []struct {
		fault    zohoterritorytest.Fault
		timeout  time.Duration // per attempt
		workDone bool          // the fault lets the removal be done before the answer breaks
		harmless bool          // the fault only slows the answer down
		opts     []zohoterritorytest.Option
	}{
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: 5 * time.Millisecond}, time.Minute, true, true, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit, RetryAfter: time.Second}, time.Minute, false, false, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError}, time.Minute, true, false, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultResetBefore}, time.Minute, false, false, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultResetDuring}, time.Minute, true, false, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultTruncate}, time.Minute, true, false, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHTML502}, time.Minute, false, false, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultSlowBody, Delay: 5 * time.Millisecond}, time.Minute, true, true, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHang}, giveUp, true, false, nil},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultStall}, giveUp, true, false, nil},
		// Zoho's 3-ids/5-items answer: when the error items name their ids
		// (the sandbox's WithNamedErrorItems, Zoho's OpenAPI examples), the
		// surplus ones are set aside and nothing is lost.
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultExtraItems}, time.Minute, true, true,
			[]zohoterritorytest.Option{zohoterritorytest.WithNamedErrorItems()}},
	}
	require.Len(t, tests, len(zohoterritorytest.FaultKinds()), "every fault kind is tested")
	for _, tt := range tests {
		t.Run(string(tt.fault.Kind), func(t *testing.T) {
			t.Parallel()
			org := newFaultOrg()
			fault := tt.fault
			fault.Count = attempts // every attempt of the first batch
			srv, err := zohoterritorytest.NewServer(append([]zohoterritorytest.Option{zohoterritorytest.WithSeed(org.Seed), zohoterritorytest.WithFaults(fault)}, tt.opts...)...)
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			var logs bytes.Buffer
			c, err := srv.Client(zohoterritory.WithConcurrency(1), zohoterritory.WithRetryPolicy(fastRetries(tt.timeout)),
				zohoterritory.WithLogger(slog.New(slog.NewJSONHandler(&logs, nil))))
			require.NoError(t, err)
			firstBatch := org.IDs[:100]

			res, err := c.RemoveTerritoriesFromUser(t.Context(), faultRep, org.IDs...)
			require.NoError(t, srv.WaitIdle(t.Context()))
			if tt.harmless {
				require.NoError(t, err)
				removed, failed, unknown := org.account(t, srv, res)
				assert.Len(t, removed, len(org.IDs)-2)
				assert.Empty(t, unknown)
				assert.Equal(t, []string{faultDefault}, failed[zohoterritory.ReasonDefaultTerritory])
				org.assertConverged(t, srv)
				return
			}
			require.Error(t, err, "the first batch's failure is reported")
			removed, failed, unknown := org.account(t, srv, res)
			assert.Equal(t, attempts, res.Calls[0].Attempts)
			if tt.fault.Kind == zohoterritorytest.FaultRateLimit {
				require.ErrorIs(t, err, zohoterritory.ErrTooManyRequests)
				assert.Equal(t, firstBatch, failed[zohoterritory.ReasonRateLimited], "a 429 says nothing was done")
				assert.Empty(t, unknown)
				assertWaitsCapped(t, &logs, 5*time.Millisecond)
			} else {
				assert.Equal(t, firstBatch, unknown, "the first batch's outcome was never learned")
				assert.Empty(t, failed[zohoterritory.ReasonRateLimited])
			}
			assert.Equal(t, []string{faultManaged}, failed[zohoterritory.ReasonManager])
			assert.Len(t, removed, len(org.IDs)-100-1)
			assert.Empty(t, failed[zohoterritory.ReasonNotMember])
			if tt.workDone {
				assert.Equal(t, []string{faultDefault, faultManaged}, srv.TerritoriesOf(faultRep), "the faulted batch was carried out")
			} else {
				assert.Len(t, srv.TerritoriesOf(faultRep), 100+1, "the faulted batch was not carried out")
			}

			// The same run again: the faults are spent.
			res2, err := c.RemoveTerritoriesFromUser(t.Context(), faultRep, org.IDs...)
			require.NoError(t, err)
			require.NoError(t, srv.WaitIdle(t.Context()))
			removed2, failed2, unknown2 := org.account(t, srv, res2)
			assert.Empty(t, unknown2)
			assert.Empty(t, failed2[zohoterritory.ReasonRateLimited])
			assert.Equal(t, []string{faultDefault}, failed2[zohoterritory.ReasonDefaultTerritory])
			assert.Equal(t, []string{faultManaged}, failed2[zohoterritory.ReasonManager])
			undecided := without(firstBatch, faultDefault)
			if tt.workDone {
				assert.Empty(t, removed2)
				assert.ElementsMatch(t, append(undecided, removed...), failed2[zohoterritory.ReasonNotMember], "what the faulted attempts removed is not linked now")
			} else {
				assert.Equal(t, undecided, removed2, "what the first run left undone is removed now")
				assert.ElementsMatch(t, removed, failed2[zohoterritory.ReasonNotMember])
			}
			org.assertConverged(t, srv)
		})
	}
}

// TestBulkRunUnderMixedFaults runs the same 1,002-id removal with four
// batches at a time while every fault kind strikes, spread over the
// requests, until a run learns every outcome. Each run accounts for every
// id; the faults are spent after a few dozen requests, so a clean run comes within
// a few; the org ends with only the documented failures.
func TestBulkRunUnderMixedFaults(t *testing.T) {
	t.Parallel()
	org := newFaultOrg()
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(org.Seed), zohoterritorytest.WithFaults(
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Every: 8, Count: 3, Delay: time.Millisecond},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit, Every: 3, Count: 3, RetryAfter: time.Second},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError, Every: 5, Count: 4},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultResetBefore, Every: 7, Count: 3},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultResetDuring, Every: 4, Count: 3},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultTruncate, Every: 6, Count: 3},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHTML502, Every: 9, Count: 3},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultSlowBody, Every: 11, Count: 3, Delay: time.Millisecond},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHang, Every: 13, Count: 2},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultStall, Every: 2, Count: 2},
		zohoterritorytest.Fault{Kind: zohoterritorytest.FaultExtraItems, Every: 1, Count: 2},
	))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := srv.Client(zohoterritory.WithRetryPolicy(fastRetries(time.Second))) // as TestBulkRunUnderEachFault's giveUp
	require.NoError(t, err)

	everRemoved := map[string]bool{}
	var pending []string // unknown or rate limited in the previous run
	runs := 0
	for ; runs < 8; runs++ {
		res, _ := c.RemoveTerritoriesFromUser(t.Context(), faultRep, org.IDs...)
		require.NoError(t, srv.WaitIdle(t.Context()))
		removed, failed, unknown := org.account(t, srv, res)
		outcome := map[string]string{}
		for _, id := range removed {
			everRemoved[id] = true
			outcome[id] = "removed"
		}
		for _, id := range failed[zohoterritory.ReasonNotMember] {
			outcome[id] = "not_member"
		}
		for _, id := range pending {
			assert.Contains(t, []string{"removed", "not_member", ""}, outcome[id], "%s: still open, or settled", id)
		}
		pending = append(unknown, failed[zohoterritory.ReasonRateLimited]...)
		if len(pending) == 0 {
			break
		}
	}
	require.Less(t, runs, 8, "no run came out clean")
	org.assertConverged(t, srv)
	faults := map[zohoterritorytest.FaultKind]int{}
	for _, r := range srv.Requests() {
		faults[r.Fault]++
		if r.Latency > 0 {
			faults[zohoterritorytest.FaultLatency]++
		}
	}
	for _, k := range zohoterritorytest.FaultKinds() {
		assert.Positive(t, faults[k], "fault %s struck", k)
	}
}

func without(ids []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == drop })
}

// assertWaitsCapped checks the "wait" of every retry the client logged.
func assertWaitsCapped(t *testing.T, logs *bytes.Buffer, limit time.Duration) {
	t.Helper()
	n := 0
	dec := json.NewDecoder(bytes.NewReader(logs.Bytes()))
	for dec.More() {
		var line struct {
			Msg  string        `json:"msg"`
			Wait time.Duration `json:"wait"`
		}
		require.NoError(t, dec.Decode(&line))
		if line.Msg == "zohoterritory: retrying" {
			n++
			assert.LessOrEqual(t, line.Wait, limit, "Retry-After is capped by MaxDelay")
		}
	}
	assert.Positive(t, n, "retries were logged")
}
