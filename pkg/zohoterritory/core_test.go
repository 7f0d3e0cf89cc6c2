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
