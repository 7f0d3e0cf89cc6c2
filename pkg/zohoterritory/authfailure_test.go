package zohoterritory

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIsAuthFailure: the one rule for "the credentials failed", which the
// CLI's exit 4 and a run's "stop sending" read.
func TestIsAuthFailure(t *testing.T) {
	t.Parallel()
	api := func(status int, code string) error {
		return fmt.Errorf("listUsers: %w", &APIError{Operation: "listUsers", StatusCode: status, Code: code})
	}
	for _, tt := range []struct {
		name       string
		err        error
		auth, stop bool
	}{
		{"refresh refused", &AuthError{AccountsURL: "https://accounts.zoho.eu", Code: "invalid_code"}, true, true},
		{"accounts server unreachable", &AuthError{AccountsURL: "https://accounts.zoho.eu", Err: errors.New("connection refused")}, true, true},
		{"no credentials", &AuthError{Err: ErrNoCredentials}, true, true},
		{"token rejected", api(401, "INVALID_TOKEN"), true, true},
		{"scope missing", api(401, "OAUTH_SCOPE_MISMATCH"), true, true},
		{"no token sent", api(401, "AUTHENTICATION_FAILURE"), true, true},
		{"a 401 without a body", api(401, ""), true, true},
		{"no permission", api(403, "NO_PERMISSION"), true, true},
		{"permission denied", api(403, "PERMISSION_DENIED"), true, true},
		{"territory management off", api(403, "TERRITORY_DISABLED"), false, true},
		{"the caller's own territories", api(403, "NOT_ALLOWED"), false, false},
		{"a bad id", api(400, "INVALID_DATA"), false, false},
		{"a server fault", api(500, "INTERNAL_ERROR"), false, false},
		{"rate limited", &RateLimitError{APIError: &APIError{StatusCode: 429, Code: "TOO_MANY_REQUESTS"}}, false, false},
		{"a transport failure", errors.New("connection reset"), false, false},
		{"nil", nil, false, false},
		{"joined", errors.Join(errors.New("x"), api(401, "INVALID_TOKEN")), true, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.auth, IsAuthFailure(tt.err), "IsAuthFailure")
			assert.Equal(t, tt.stop, failsEveryCall(tt.err), "failsEveryCall")
		})
	}
}

// TestNotAllowedStopsItsChangeOnly: Zoho's NOT_ALLOWED (the caller's own
// territories) refuses a change's owner: the change's other batches are
// not sent; in a set, the other changes are.
func TestNotAllowedStopsItsChangeOnly(t *testing.T) {
	t.Parallel()
	const caller, other = "5725767000000583004", "5725767000000583005"
	var sent atomic.Int32
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		sent.Add(1)
		if strings.Contains(r.URL.Path, "/"+caller+"/") {
			writeJSON(w, http.StatusForbidden, zohoError("NOT_ALLOWED", "You cannot update the territories you belong to"))
			return
		}
		allRemoved("territories")(w, r)
	}, WithConcurrency(1), WithBatchSize(2))

	res, err := c.RemoveTerritoriesFromUser(t.Context(), caller, numberedIDs(6)...)
	require.ErrorIs(t, err, ErrNotAllowed)
	assert.Equal(t, int32(1), sent.Load(), "the other batches of the change were not sent")
	assert.Len(t, res.Failed(), 6)

	sent.Store(0)
	set, err := c.ApplySet(t.Context(), ChangeSet{Changes: []Change{
		{Op: OpRemoveTerritories, Owner: caller, IDs: numberedIDs(2)},
		{Op: OpRemoveTerritories, Owner: other, IDs: numberedIDs(2)},
	}})
	require.ErrorIs(t, err, ErrNotAllowed)
	assert.Equal(t, int32(2), sent.Load(), "the other change was sent")
	assert.Equal(t, numberedIDs(2), set.Results[1].Removed())
}
