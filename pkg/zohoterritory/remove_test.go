package zohoterritory

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	msgNotMember = "The user is not a member of this territory."
	msgNotLinked = "The territory ID is not linked with the specified user"
	msgManager   = "This user cannot be removed as the user is a manager of the mentioned Territory."
	msgOrg       = "Organization Territory cannot be removed from the user"
)

func TestPositionalMapping(t *testing.T) {
	t.Parallel()
	ids := []string{"5725767000000452115", "5725767000000454003", "5725767000002709047"}
	tests := []struct {
		name          string
		status        int
		items         []any
		wantOutcomes  []Outcome
		wantReasons   []Reason
		wantUnmatched int
	}{
		{
			// Zoho's own v7 sample: three ids, five items.
			name:          "v7 sample: 3 ids, 5 items",
			status:        http.StatusMultiStatus,
			items:         []any{success(ids[0]), success(ids[1]), errorItem(msgManager), errorItem(msgManager), success(ids[2])},
			wantOutcomes:  []Outcome{Removed, Removed, Removed},
			wantReasons:   []Reason{"", "", ""},
			wantUnmatched: 2,
		},
		{
			name:         "anonymous errors fill the unmatched ids in order",
			status:       http.StatusMultiStatus,
			items:        []any{errorItem(msgNotLinked), success(ids[1]), errorItem(msgOrg)},
			wantOutcomes: []Outcome{Failed, Removed, Failed},
			wantReasons:  []Reason{ReasonNotMember, "", ReasonDefaultTerritory},
		},
		{
			name:   "an error naming its id is matched by id",
			status: http.StatusMultiStatus,
			items: []any{
				map[string]any{"code": "INVALID_DATA", "details": map[string]any{"id": ids[2]}, "message": msgManager, "status": "error"},
				success(ids[0]), success(ids[1]),
			},
			wantOutcomes: []Outcome{Removed, Removed, Failed},
			wantReasons:  []Reason{"", "", ReasonManager},
		},
		{
			name:   "an item naming a malformed id is never given to another id",
			status: http.StatusMultiStatus,
			items: []any{success(ids[0]), success(ids[1]),
				map[string]any{"code": "INVALID_DATA", "details": map[string]any{"id": "abc"}, "message": msgNotLinked, "status": "error"}},
			wantOutcomes:  []Outcome{Removed, Removed, Unknown},
			wantReasons:   []Reason{"", "", ""},
			wantUnmatched: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tt.status, map[string]any{"territories": tt.items})
			})
			res, err := c.RemoveTerritoriesFromUser(t.Context(), "5725767000000583004", ids...)
			require.NoError(t, err, "per-id failures are data, not an error")
			require.Len(t, res.Items, len(ids))
			for i, it := range res.Items {
				assert.Equal(t, ids[i], it.ID)
				assert.Equal(t, tt.wantOutcomes[i], it.Outcome, "id %d outcome", i)
				assert.Equal(t, tt.wantReasons[i], it.Reason, "id %d reason", i)
				switch it.Outcome {
				case Failed:
					assert.NotEmpty(t, it.Code)
					assert.NotEmpty(t, it.Message)
					assert.NotNil(t, it.Details, "a failure keeps Zoho's details")
				case Unknown:
					assert.NotEmpty(t, it.Message, "an unknown outcome says why")
				case Removed:
					assert.Nil(t, it.Details)
				}
			}
			assert.Len(t, res.Unmatched, tt.wantUnmatched)
		})
	}
}

func TestRequestLevelErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status     int
		code, msg  string
		sentinel   error
		wantReason Reason
	}{
		{400, "INVALID_DATA", "The user ID given seems to be invalid", ErrInvalidData, ReasonInvalidID},
		{400, "INVALID_DATA", "The user ID given has already been deleted or is not associated with Zoho CRM", ErrInvalidData, ReasonUserInactive},
		{400, "INVALID_DATA", "One or more given territory IDs seem to be invalid", ErrInvalidData, ReasonInvalidID},
		{400, "NOT_ALLOWED", "You cannot update the territories you belong to", ErrNotAllowed, ReasonNotAllowed},
		{403, "NOT_ALLOWED", "You cannot update the territories you belong to", ErrNotAllowed, ReasonNotAllowed},
		{400, "INVALID_REQUEST_METHOD", "The http request method type is not a valid one", ErrInvalidRequestMethod, ReasonRejected},
		{400, "REQUIRED_PARAM_MISSING", "One of the expected parameter is missing", ErrRequiredParamMissing, ReasonRejected},
		{400, "API_NOT_SUPPORTED", "the api version is not supported", ErrAPINotSupported, ReasonRejected},
		{401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL", ErrOAuthScopeMismatch, ReasonUnauthorized},
		{401, "AUTHENTICATION_FAILURE", "Authentication failed", ErrAuthenticationFailure, ReasonUnauthorized},
		{401, "INVALID_TOKEN", "invalid oauth token", ErrInvalidToken, ReasonUnauthorized},
		{403, "TERRITORY_NOT_ENABLED", "Territory management is not enabled", ErrTerritoryDisabled, ReasonRejected},
		{403, "TERRITORY_DISABLED", "Territory feature is disabled", ErrTerritoryDisabled, ReasonRejected},
		{403, "NO_PERMISSION", "permission denied", ErrNoPermission, ReasonNoPermission},
		{404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one", ErrInvalidURLPattern, ReasonRejected},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+http.StatusText(tt.status), func(t *testing.T) {
			t.Parallel()
			// Splitting a batch Zoho refuses for its ids is tested on its own.
			c, f, sl := setup(t, func(w http.ResponseWriter, r *http.Request) {
				writeJSON(w, tt.status, zohoError(tt.code, tt.msg))
			}, WithSplitRefusedBatches(false))
			res, err := c.RemoveTerritoriesFromUser(t.Context(), "5725767000000583004", "1", "2")
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.sentinel)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "removeTerritoriesFromUser", apiErr.Operation)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.code, apiErr.Code)
			assert.Equal(t, tt.msg, apiErr.Message)
			assert.Equal(t, map[string]any{}, apiErr.Details)
			assert.Contains(t, err.Error(), "removeTerritoriesFromUser: ")
			assert.Contains(t, err.Error(), tt.code)
			require.NotNil(t, res, "the result accounts for every id")
			require.Len(t, res.Items, 2)
			for _, it := range res.Items {
				assert.Equal(t, Failed, it.Outcome)
				assert.Equal(t, tt.wantReason, it.Reason)
				assert.Equal(t, tt.code, it.Code)
			}
			assert.Len(t, f.requests(), 1, "4xx answers are not retried")
			assert.Empty(t, sl.all())
		})
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	type answer struct {
		status int
		header map[string]string
		body   string
	}
	ok := answer{200, nil, `{"territories":[{"code":"SUCCESS","details":{"id":"1"},"message":"ok","status":"success"}]}`}
	notLinked := answer{400, nil, `{"territories":[{"code":"INVALID_DATA","details":{},"message":"The territory ID is not linked with the specified user","status":"error"}]}`}
	tests := []struct {
		name       string
		answers    []answer
		policy     *RetryPolicy
		wantCalls  int
		wantWaits  []time.Duration
		wantOut    Outcome
		wantReason Reason
		wantErr    error
	}{
		{"429 with Retry-After seconds", []answer{{429, map[string]string{"Retry-After": "30"}, `{"code":"TOO_MANY_REQUESTS","details":{},"message":"slow down","status":"error"}`}, ok},
			nil, 2, []time.Duration{30 * time.Second}, Removed, "", nil},
		{"Retry-After is capped by MaxDelay", []answer{{429, map[string]string{"Retry-After": "86400"}, `{}`}, ok},
			nil, 2, []time.Duration{30 * time.Second}, Removed, "", nil},
		{"503 then success, backoff with jitter", []answer{{503, nil, `<html>busy</html>`}, {500, nil, `{"code":"INTERNAL_ERROR","details":{},"message":"","status":"error"}`}, ok},
			nil, 3, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond}, Removed, "", nil},
		{"429 every time: rate limited, nothing done", []answer{{429, nil, `{"code":"TOO_MANY_REQUESTS","details":{},"message":"slow down","status":"error"}`}},
			nil, 4, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}, Failed, ReasonRateLimited, ErrTooManyRequests},
		{"500 every time: unknown", []answer{{500, nil, `{"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"}`}},
			nil, 4, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}, Unknown, "", ErrInternal},
		{"502 HTML from a proxy: unknown", []answer{{502, map[string]string{"Content-Type": "text/html"}, `<html>Bad Gateway</html>`}},
			&RetryPolicy{MaxAttempts: 1, AttemptTimeout: time.Second}, 1, nil, Unknown, "", ErrInternal},
		{"truncated 200 is retried", []answer{{200, nil, `{"territories":[{"code":"SUCC`}, ok},
			nil, 2, []time.Duration{250 * time.Millisecond}, Removed, "", nil},
		{"truncated 200, then not linked: the first attempt removed it", []answer{{200, nil, `{"territories":[{"code":"SUCC`}, notLinked},
			nil, 2, []time.Duration{250 * time.Millisecond}, Removed, "", nil},
		{"truncated 400 is retried, and says nothing was done", []answer{{400, nil, `{"territories":[{"code":"INVALID_DATA","det`}, notLinked},
			nil, 2, []time.Duration{250 * time.Millisecond}, Failed, ReasonNotMember, nil},
		{"truncated 400 every time: failed, reason unknown", []answer{{400, nil, `{"territories":[{"code":"INVALID_DATA","det`}},
			nil, 4, []time.Duration{250 * time.Millisecond, 500 * time.Millisecond, time.Second}, Failed, ReasonOther, errAnyAPIError},
		{"HTML 400 from a proxy is not retried", []answer{{400, map[string]string{"Content-Type": "text/html"}, `<html>Bad Request</html>`}},
			nil, 1, nil, Failed, ReasonOther, errAnyAPIError},
		{"budget 1 stops after one retry", []answer{{503, nil, ``}},
			&RetryPolicy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: time.Minute, Budget: 1, AttemptTimeout: time.Second}, 2, []time.Duration{500 * time.Millisecond}, Unknown, "", ErrInternal},
		{"400 is never retried", []answer{{400, nil, `{"code":"INVALID_DATA","details":{},"message":"The user ID given seems to be invalid","status":"error"}`}},
			nil, 1, nil, Failed, ReasonInvalidID, ErrInvalidData},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			h := func(w http.ResponseWriter, r *http.Request) {
				i := int(n.Add(1)) - 1
				if i >= len(tt.answers) {
					i = len(tt.answers) - 1
				}
				a := tt.answers[i]
				if a.header["Content-Type"] == "" {
					w.Header().Set("Content-Type", "application/json")
				}
				for k, v := range a.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(a.status)
				_, _ = w.Write([]byte(a.body))
			}
			var opts []Option
			if tt.policy != nil {
				opts = append(opts, WithRetryPolicy(*tt.policy))
			}
			c, f, sl := setup(t, h, opts...)
			res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", "1")
			switch tt.wantErr {
			case nil:
				require.NoError(t, err)
			case errAnyAPIError:
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "removeTerritoryFromUser", apiErr.Operation)
			default:
				require.ErrorIs(t, err, tt.wantErr)
			}
			assert.Len(t, f.requests(), tt.wantCalls)
			assert.Equal(t, tt.wantWaits, sl.all())
			require.Len(t, res.Items, 1)
			assert.Equal(t, tt.wantOut, res.Items[0].Outcome)
			assert.Equal(t, tt.wantReason, res.Items[0].Reason)
			assert.Equal(t, tt.wantCalls, res.Calls[0].Attempts)
		})
	}
}

// errAnyAPIError stands, in a table, for an *APIError that matches no
// sentinel.
var errAnyAPIError = errors.New("any *APIError")

func TestRateLimitErrorCarriesRetryAfter(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		writeJSON(w, http.StatusTooManyRequests, zohoError("TOO_MANY_REQUESTS", "slow down"))
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 1, AttemptTimeout: time.Second}))
	_, err := c.RemoveUsersFromTerritory(t.Context(), "9", "1")
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 7*time.Second, rl.RetryAfter)
	assert.Equal(t, "TOO_MANY_REQUESTS", rl.Code)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusTooManyRequests, apiErr.StatusCode)
	assert.Contains(t, err.Error(), "retry after 7s")
}

func TestRetryAfterHTTPDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	h := http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}
	assert.Equal(t, 90*time.Second, parseRetryAfter(h, now))
	assert.Equal(t, time.Duration(0), parseRetryAfter(http.Header{"Retry-After": {"soon"}}, now))
	assert.Equal(t, time.Duration(0), parseRetryAfter(http.Header{"Retry-After": {"-3"}}, now))
	assert.Equal(t, time.Duration(0), parseRetryAfter(http.Header{}, now))
}

// TestNotAMemberAfterLostAttemptCountsAsRemoved covers the rule of
// mapItems: the first attempt removes the ids but the connection drops
// before the answer; the retry hears "not a member".
func TestNotAMemberAfterLostAttemptCountsAsRemoved(t *testing.T) {
	t.Parallel()
	ids := []string{"11", "22", "33"}
	var mu sync.Mutex
	members := map[string]bool{"11": true, "22": true, "33": false} // 33 was never a member... but cannot be told apart
	var calls atomic.Int32
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		mu.Lock()
		var items []any
		for _, id := range idsOf(r) {
			if members[id] {
				members[id] = false
				items = append(items, map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "Given User Removed from the mentioned territory Successfully", "status": "success"})
			} else {
				items = append(items, errorItem(msgNotMember))
			}
		}
		mu.Unlock()
		if n == 1 {
			// The work is done, then the connection is lost.
			hj, ok := w.(http.Hijacker)
			require.True(t, ok)
			conn, _, err := hj.Hijack()
			require.NoError(t, err)
			_ = conn.Close()
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"users": items})
	})
	res, err := c.RemoveUsersFromTerritory(t.Context(), "5", ids...)
	require.NoError(t, err)
	assert.Equal(t, int32(2), calls.Load())
	for _, it := range res.Items {
		assert.Equal(t, Removed, it.Outcome, it.ID)
		assert.True(t, it.Inferred, it.ID)
	}

	// Without a lost attempt, "not a member" is a failure.
	c2, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusBadRequest, map[string]any{"users": []any{errorItem(msgNotMember)}})
	})
	res, err = c2.RemoveUsersFromTerritory(t.Context(), "5", "11")
	require.NoError(t, err)
	require.Len(t, res.Items, 1)
	assert.Equal(t, Failed, res.Items[0].Outcome)
	assert.Equal(t, ReasonNotMember, res.Items[0].Reason)
	assert.False(t, res.Items[0].Inferred)
}

func TestLostAttemptThenRateLimitIsUnknown(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			conn, _, _ := w.(http.Hijacker).Hijack()
			_ = conn.Close()
			return
		}
		writeJSON(w, http.StatusTooManyRequests, zohoError("TOO_MANY_REQUESTS", "slow down"))
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, AttemptTimeout: time.Second}))
	res, err := c.RemoveUsersFromTerritory(t.Context(), "5", "11", "12")
	require.ErrorIs(t, err, ErrTooManyRequests)
	assert.Equal(t, []string{"11", "12"}, res.Unknown(), "the lost attempt may have removed them")
}

func TestAuthFailureCancelsLaterBatches(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusUnauthorized, zohoError("OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL"))
	}, WithConcurrency(1))
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", numberedIDs(300)...)
	require.ErrorIs(t, err, ErrOAuthScopeMismatch)
	assert.Len(t, f.requests(), 1, "the first scope failure stops the rest")
	require.Len(t, res.Items, 300)
	assert.Equal(t, ReasonUnauthorized, res.Items[0].Reason)
	assert.Equal(t, ReasonNotSent, res.Items[299].Reason)
	assert.Equal(t, Failed, res.Items[299].Outcome)
	assert.Empty(t, res.Removed())
}

func TestOneBatchFailureDoesNotStopOthers(t *testing.T) {
	t.Parallel()
	ids := numberedIDs(201)
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		got := idsOf(r)
		if got[0] == ids[100] {
			writeJSON(w, http.StatusBadRequest, zohoError("INVALID_DATA", "One or more given territory IDs seem to be invalid"))
			return
		}
		allRemoved("territories")(w, r)
	}, WithConcurrency(1), WithSplitRefusedBatches(false))
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "9", ids...)
	require.ErrorIs(t, err, ErrInvalidData)
	assert.Len(t, f.requests(), 3)
	assert.Equal(t, append(append([]string{}, ids[:100]...), ids[200]), res.Removed())
	assert.Len(t, res.Failed(), 100)
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, allRemoved("users"))
	ctx, cancel := contextWithCancel(t)
	cancel()
	res, err := c.RemoveUsersFromTerritory(ctx, "5", "1", "2")
	require.ErrorIs(t, err, errContextCanceled)
	assert.Empty(t, f.requests())
	for _, it := range res.Items {
		assert.Equal(t, Failed, it.Outcome)
		assert.Equal(t, ReasonNotSent, it.Reason)
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"users":[` + strings.Repeat(" ", 4096) + `]}`))
	}, WithMaxResponseBytes(2048))
	res, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1")
	require.ErrorIs(t, err, ErrBodyTooLarge)
	assert.Equal(t, []string{"1"}, res.Unknown())
	assert.Contains(t, err.Error(), "removeUserFromTerritory: 200: read body")
}

func TestUnreadableEnvelopeIsUnknown(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		// 2.5 cannot be an id (a whole number can: TestNumericIDsInAnswers).
		writeJSON(w, http.StatusOK, map[string]any{"territories": []any{
			success("1"), map[string]any{"code": "SUCCESS", "details": map[string]any{"id": 2.5}, "message": "ok", "status": "success"},
		}})
	})
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "5", "1", "2")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "removeTerritoriesFromUser: 200: decode body: ")
	assert.Equal(t, []string{"1", "2"}, res.Unknown(), "an answer that breaks the contract is not guessed at")
}

// TestCreatedAnswersOnlyCreates: Zoho answers a create 201, and the
// create's envelope in it is read; a 201 to a removal or an add breaks the
// contract, so its ids come out unknown, whatever its envelope says.
func TestCreatedAnswersOnlyCreates(t *testing.T) {
	t.Parallel()
	answer201 := func(key, id string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusCreated, map[string]any{key: []any{success(id)}})
		}
	}
	changes := []struct {
		name string
		key  string
		op   string
		do   func(c *Client) (*Result, error)
	}{
		{"remove users", "users", "removeUserFromTerritory", func(c *Client) (*Result, error) {
			return c.RemoveUsersFromTerritory(t.Context(), "5", "11")
		}},
		{"remove territories", "territories", "removeTerritoryFromUser", func(c *Client) (*Result, error) {
			return c.RemoveTerritoriesFromUser(t.Context(), "5", "11")
		}},
		{"add users", "users", "addUserToTerritory", func(c *Client) (*Result, error) {
			return c.AddUsersToTerritory(t.Context(), "5", "11")
		}},
		{"add territories", "territories", "addTerritoriesToUser", func(c *Client) (*Result, error) {
			return c.AddTerritoriesToUser(t.Context(), "5", "11")
		}},
	}
	for _, tt := range changes {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, f, _ := setup(t, answer201(tt.key, "11"))
			res, err := tt.do(c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.op+": 201")
			assert.Equal(t, []string{"11"}, res.Unknown(), "a 201 is no answer of this change")
			assert.Len(t, f.requests(), 1, "not asked again: the change may be made")
		})
	}
	t.Run("create", func(t *testing.T) {
		t.Parallel()
		c, _, _ := setup(t, answer201("territories", "77"))
		res, err := c.CreateTerritories(t.Context(), NewTerritory{Name: "Atlantic", ReportingTo: "1", PermissionType: ReadOnly})
		require.NoError(t, err)
		require.Len(t, res.Items, 1)
		assert.Equal(t, Created, res.Items[0].Outcome)
		assert.Equal(t, "77", res.Items[0].ID)
	})
}

// TestNumericIDsInAnswers: ids Zoho's Python SDK's way, as JSON numbers,
// are read digit for digit, beyond 2^53 too.
func TestNumericIDsInAnswers(t *testing.T) {
	t.Parallel()
	const a, b = "5725767000000411004", "5725767000000411005"
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = fmt.Fprintf(w, `{"territories":[{"code":"SUCCESS","details":{"id":%s},"message":"ok","status":"success"},`+
			`{"code":"SUCCESS","details":{"id":%s},"message":"ok","status":"success"}]}`, a, b)
	})
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "5", a, b)
	require.NoError(t, err)
	assert.Equal(t, []string{a, b}, res.Removed())
}

func TestSuccessStatusWithoutEnvelopeIsUnknown(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"users": nil, "data": []any{}})
	})
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "5", "1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `removeTerritoryFromUser: 200: decode body: no "territories" envelope`)
	assert.Equal(t, []string{"1"}, res.Unknown())
}

func TestRedirectToAnotherHostIsRefused(t *testing.T) {
	t.Parallel()
	var leaked atomic.Bool
	other := httpTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			leaked.Store(true)
		}
		allRemoved("users")(w, r)
	})
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
	}, WithRetryPolicy(RetryPolicy{MaxAttempts: 1, AttemptTimeout: time.Second}))
	res, err := c.RemoveUsersFromTerritory(t.Context(), "5", "1")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refusing redirect")
	assert.False(t, leaked.Load(), "the token never reached the other host")
	assert.NotEqual(t, Removed, res.Items[0].Outcome)
}

func TestErrorsIsAndAs(t *testing.T) {
	t.Parallel()
	err := error(&APIError{Operation: "op", StatusCode: 503})
	assert.ErrorIs(t, err, ErrInternal)
	assert.NotErrorIs(t, err, ErrInvalidData)
	err = &APIError{Operation: "op", StatusCode: 400, Code: "PERMISSION_DENIED"}
	assert.ErrorIs(t, err, ErrNoPermission)
	assert.Equal(t, "op: 400: PERMISSION_DENIED", err.Error())
	assert.False(t, errors.Is(&APIError{StatusCode: 400, Code: "SOMETHING_NEW"}, ErrInvalidData))
}

// TestRetryStopsBeforeTheDeadline: a Retry-After longer than the time the
// caller has left ends the retries with the last answer, not the deadline.
func TestRetryStopsBeforeTheDeadline(t *testing.T) {
	t.Parallel()
	c, f, sl := setup(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "20")
		writeJSON(w, http.StatusTooManyRequests, zohoError("TOO_MANY_REQUESTS", "slow down"))
	})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	res, err := c.RemoveTerritoriesFromUser(ctx, "9", "1")
	var rl *RateLimitError
	require.ErrorAs(t, err, &rl)
	assert.Equal(t, 20*time.Second, rl.RetryAfter)
	assert.Len(t, f.requests(), 1)
	assert.Empty(t, sl.all(), "no wait that the deadline would cut short")
	assert.Equal(t, ReasonRateLimited, res.Items[0].Reason)
}
