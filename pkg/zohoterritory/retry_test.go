package zohoterritory

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMaxDelayCapsTheFirstWait: a BaseDelay above MaxDelay is no error;
// every wait, the first included, is capped by MaxDelay (the one rule the
// CLI's --max-delay relies on, having no --base-delay).
func TestMaxDelayCapsTheFirstWait(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	c, _, sl := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			writeJSON(w, http.StatusServiceUnavailable, zohoError("INTERNAL_ERROR", ""))
			return
		}
		allRemoved("territories")(w, r)
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: 10 * time.Millisecond, AttemptTimeout: time.Minute}))
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "5725767000000583004", "5725767000000583005")
	require.NoError(t, err)
	assert.True(t, res.AllRemoved())
	assert.Equal(t, []time.Duration{5 * time.Millisecond}, sl.all(), "half (the test's jitter) of MaxDelay, not of BaseDelay")
}
