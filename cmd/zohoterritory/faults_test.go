package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testorg"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// account checks that the JSON output names every id exactly once, as
// removed, failed or unknown, and that each failure has a documented
// reason. It returns the failed ids by reason.
func account(t *testing.T, o testorg.Bulk, r jsonResult) map[string][]string {
	t.Helper()
	seen := map[string]int{}
	for _, id := range r.Removed {
		seen[id]++
		assert.NotContains(t, o.Documented, id, "%s can never be removed", id)
	}
	for _, id := range append(slices.Clone(r.Unknown), r.Absent...) {
		seen[id]++
	}
	byReason := map[string][]string{}
	for _, f := range r.Failed {
		seen[f.ID]++
		byReason[f.Reason] = append(byReason[f.Reason], f.ID)
		if want, ok := o.Documented[f.ID]; ok && f.Reason != "rate_limited" {
			assert.Equal(t, want, f.Reason, f.ID)
		} else {
			assert.Contains(t, []string{"rate_limited", "not_member"}, f.Reason, "%s: %s", f.ID, f.Message)
		}
		assert.NotEmpty(t, f.Code, f.ID)
	}
	assert.Len(t, seen, len(o.IDs), "every id is accounted for")
	for id, n := range seen {
		assert.Equal(t, 1, n, "%s is listed once", id)
	}
	return byReason
}

// TestBulkRemovalUnderEachFault runs the CLI on 1,002 ids, one batch at a
// time, against a sandbox that spoils every attempt of the first batch
// with one kind of fault. The JSON output accounts for every id, lists the
// first batch as unknown (as failed rate_limited for 429, which says nothing
// was done), and exits 2. The same command again converges: nothing is
// unknown, the first run's unknown ids come out removed or not_member, and
// only the documented failures are left in the org.
func TestBulkRemovalUnderEachFault(t *testing.T) {
	t.Parallel()
	const attempts = 3
	tests := []struct {
		fault    zohoterritorytest.Fault
		timeout  string // --attempt-timeout
		workDone bool
	}{
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHang}, "400ms", true},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultRateLimit, RetryAfter: time.Second}, "10s", false},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultServerError}, "10s", true},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultResetBefore}, "10s", false},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultResetDuring}, "10s", true},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultTruncate}, "10s", true},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultHTML502}, "10s", false},
		{zohoterritorytest.Fault{Kind: zohoterritorytest.FaultStall}, "400ms", true},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault.Kind), func(t *testing.T) {
			t.Parallel()
			org := testorg.NewBulk()
			fault := tt.fault
			fault.Count = attempts
			srv, env := sandbox(t, zohoterritorytest.WithSeed(org.Seed), zohoterritorytest.WithFaults(fault))
			args := []string{"remove-territories", "--user", testorg.Rep, "--output", "json", "--concurrency", "1",
				"--max-attempts", fmt.Sprint(attempts), "--max-delay", "5ms", "--attempt-timeout", tt.timeout}
			stdin := strings.Join(org.IDs, "\n")
			firstBatch := org.IDs[:100]

			out := runCLI(t, env, stdin, args...)
			assert.Equal(t, 2, out.code, out.stderr)
			r := decode(t, out.stdout)
			failed := account(t, org, r)
			if tt.fault.Kind == zohoterritorytest.FaultRateLimit {
				assert.Equal(t, firstBatch, failed["rate_limited"])
				assert.Empty(t, r.Unknown)
				assert.Contains(t, out.stderr, "TOO_MANY_REQUESTS")
				for _, m := range regexp.MustCompile(`retrying \S+ in (\S+) after`).FindAllStringSubmatch(out.stderr, -1) {
					d, err := time.ParseDuration(m[1])
					require.NoError(t, err)
					assert.LessOrEqual(t, d, 5*time.Millisecond, "Retry-After: 1 is capped by --max-delay")
				}
			} else {
				assert.Equal(t, firstBatch, r.Unknown, "the JSON lists the ids whose outcome was never learned")
			}
			assert.Len(t, r.Removed, len(org.IDs)-100-1)
			// The sandbox may still be busy with attempts the CLI gave up
			// on: 3 attempts of the first batch, one of each other.
			require.NoError(t, srv.WaitIdle(t.Context()))
			require.Len(t, srv.Requests(), attempts+10)

			out2 := runCLI(t, env, stdin, args...)
			assert.Equal(t, 2, out2.code, "the documented failures remain: %s", out2.stderr)
			r2 := decode(t, out2.stdout)
			failed2 := account(t, org, r2)
			assert.Empty(t, r2.Unknown, "the second run learns every outcome")
			assert.Equal(t, []string{testorg.Default}, failed2["default_territory"])
			assert.Equal(t, []string{testorg.Managed}, failed2["manager"])
			settled := append(slices.Clone(r2.Removed), failed2["not_member"]...)
			for _, id := range append(r.Unknown, failed["rate_limited"]...) {
				if _, documented := org.Documented[id]; !documented {
					assert.Contains(t, settled, id, "%s: the second run settles what the first left open", id)
				}
			}
			if tt.workDone {
				assert.Empty(t, r2.Removed, "the faulted attempts had done the work")
			} else {
				assert.Len(t, r2.Removed, 99, "the faulted attempts had done nothing")
			}
			assert.Equal(t, []string{testorg.Default, testorg.Managed}, srv.TerritoriesOf(testorg.Rep), "converged")
		})
	}
}

// TestSandboxServeFaultFlags runs `sandbox serve` with a seed file and every
// counted fault flag, and removes 1,002 territories through it, two
// attempts per batch, until a run learns every outcome.
func TestSandboxServeFaultFlags(t *testing.T) {
	t.Parallel()
	org := testorg.NewBulk()
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	b, err := json.Marshal(org.Seed)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(seedFile, b, 0o600))

	s := serve(t, "--seed", seedFile,
		"--latency", "1ms", "--fail-429", "1", "--retry-after", "1", "--fail-5xx", "2", "--reset-before", "1",
		"--reset-during", "1", "--truncate", "1", "--html-502", "1", "--slow-body", "20ms")
	assert.Contains(t, s.stderr.String(), "rate_limit on 1 requests (Retry-After 1)")
	assert.Contains(t, s.stderr.String(), "slow_body 20ms on every request")

	args := []string{"remove-territories", "--user", testorg.Rep, "--concurrency", "1", "--max-attempts", "2", "--max-delay", "5ms"}
	stdin := strings.Join(org.IDs, "\n")
	// API requests 1 to 7 are spoiled, in the order of the flags: the first
	// three batches (two attempts each) come out unknown; the fourth meets
	// the 502 and then passes.
	out := runCLI(t, s.env, stdin, args...)
	assert.Equal(t, 2, out.code, out.stderr)
	r := decode(t, out.stdout)
	account(t, org, r)
	assert.Equal(t, org.IDs[:300], r.Unknown)

	out = runCLI(t, s.env, stdin, args...)
	r = decode(t, out.stdout)
	failed := account(t, org, r)
	assert.Empty(t, r.Unknown)
	// Batch 1 met a 500 that did the work, batch 3 a reset and a
	// truncation after the work; batch 2 a 503 and a reset that did not.
	assert.Equal(t, org.IDs[100:200], r.Removed)
	assert.Len(t, failed["not_member"], len(org.Removable)-100)
	assert.Equal(t, []string{testorg.Default}, failed["default_territory"])
	assert.Equal(t, []string{testorg.Managed}, failed["manager"])
	assert.Equal(t, 0, s.shutdown())
}
