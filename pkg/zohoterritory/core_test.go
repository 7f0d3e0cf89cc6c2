package zohoterritory

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeadlineRuleForEveryCall: reads and removals share one attempt loop,
// so a 429 whose Retry-After outlasts the caller's deadline is reported as
// the rate limit at once, for a read as for a removal, without a wait that
// the deadline would cut short.
func TestDeadlineRuleForEveryCall(t *testing.T) {
	t.Parallel()
	calls := map[string]func(ctx context.Context, c *Client) error{
		"remove": func(ctx context.Context, c *Client) error {
			_, err := c.RemoveTerritoriesFromUser(ctx, "9", "1", "2")
			return err
		},
		"list": func(ctx context.Context, c *Client) error {
			_, err := c.TerritoriesOfUser(ctx, "9")
			return err
		},
		"get": func(ctx context.Context, c *Client) error {
			_, _, err := c.UserOfTerritory(ctx, "9", "1")
			return err
		},
	}
	for name, fn := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, f, sl := setup(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Retry-After", "20")
				writeJSON(w, http.StatusTooManyRequests, zohoError("TOO_MANY_REQUESTS", "slow down"))
			})
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			err := fn(ctx, c)
			var rl *RateLimitError
			require.ErrorAs(t, err, &rl, "the rate limit, not the deadline")
			assert.NotErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, 20*time.Second, rl.RetryAfter)
			assert.Len(t, f.requests(), 1)
			assert.Empty(t, sl.all(), "no wait that the deadline would cut short")
		})
	}
}

// TestOneRetryPolicyForEveryCall: the same answers are retried the same way
// by a read and by a removal: 429, 5xx, a reset connection and a cut-off
// JSON body are asked again with the policy's backoff; a 4xx is not.
func TestOneRetryPolicyForEveryCall(t *testing.T) {
	t.Parallel()
	faults := []struct {
		name    string
		answer  func(w http.ResponseWriter)
		retried bool
	}{
		{"429", func(w http.ResponseWriter) {
			writeJSON(w, http.StatusTooManyRequests, zohoError("TOO_MANY_REQUESTS", "slow down"))
		}, true},
		{"500", func(w http.ResponseWriter) {
			writeJSON(w, http.StatusInternalServerError, zohoError("INTERNAL_ERROR", "Internal Server Error"))
		}, true},
		{"cut off", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"territories":[{"code":"SUC`))
		}, true},
		{"400", func(w http.ResponseWriter) {
			writeJSON(w, http.StatusBadRequest, zohoError("INVALID_DATA", "the related id given seems to be invalid"))
		}, false},
		{"401", func(w http.ResponseWriter) {
			writeJSON(w, http.StatusUnauthorized, zohoError("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"))
		}, false},
	}
	for _, fault := range faults {
		for _, kind := range []string{"read", "removal"} {
			t.Run(fault.name+"/"+kind, func(t *testing.T) {
				t.Parallel()
				c, f, sl := setup(t, func(w http.ResponseWriter, r *http.Request) { fault.answer(w) },
					WithRetryPolicy(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Second, MaxDelay: 4 * time.Second, AttemptTimeout: time.Minute}))
				var err error
				if kind == "read" {
					_, err = c.TerritoriesOfUser(t.Context(), "9")
				} else {
					_, err = c.RemoveTerritoriesFromUser(t.Context(), "9", "1", "2")
				}
				if !fault.retried {
					require.Error(t, err)
					assert.Len(t, f.requests(), 1)
					assert.Empty(t, sl.all())
					return
				}
				assert.Len(t, f.requests(), 3)
				// rnd is 0.5: half of each exponential ceiling.
				assert.Equal(t, []time.Duration{500 * time.Millisecond, time.Second}, sl.all())
			})
		}
	}
}

// TestRetryAfterInDetails: a 429 whose details carry retry_after (Zoho's
// 429 example in crm-oas) is waited out like a Retry-After header; when
// both come, the larger wins, capped by MaxDelay.
func TestRetryAfterInDetails(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		header string
		after  any
		want   time.Duration
	}{
		{"details only", "", 7, 7 * time.Second},
		{"header larger", "9", 7, 9 * time.Second},
		{"details larger", "2", 12, 12 * time.Second},
		{"capped", "", 3600, 30 * time.Second},
		{"as a string", "", "5", 5 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			n := 0
			c, _, sl := setup(t, func(w http.ResponseWriter, r *http.Request) {
				n++
				if n == 1 {
					if tt.header != "" {
						w.Header().Set("Retry-After", tt.header)
					}
					writeJSON(w, http.StatusTooManyRequests, map[string]any{"code": "TOO_MANY_REQUESTS", "status": "error",
						"message": "Rate limit exceeded. Please retry after the specified time.",
						"details": map[string]any{"trace_id": "t-1", "retry_after": tt.after, "limit": 100, "window": 60}})
					return
				}
				allRemoved("territories")(w, r)
			})
			res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", "1")
			require.NoError(t, err)
			assert.True(t, res.AllRemoved())
			assert.Equal(t, []time.Duration{tt.want}, sl.all())
		})
	}
}
