package zohoterritory

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bodyIDs reads the ids of an add's body under key.
func bodyIDs(t *testing.T, r *http.Request, key string) []string {
	t.Helper()
	var body map[string][]struct {
		ID string `json:"id"`
	}
	if !assert.NoError(t, json.NewDecoder(r.Body).Decode(&body)) {
		return nil
	}
	var ids []string
	for _, ref := range body[key] {
		ids = append(ids, ref.ID)
	}
	return ids
}

func duplicate(key string, place int) map[string]any {
	return map[string]any{"code": "DUPLICATE_DATA", "details": map[string]any{"api_name": "id", "json_path": fmt.Sprintf("$.%s[%d].id", key, place)},
		"message": "Given user id already exists for that record", "status": "error"}
}

func TestAddUsersToTerritory(t *testing.T) {
	t.Parallel()
	members := map[string]bool{"2": true}
	var mu sync.Mutex
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, http.MethodPut, r.Method)
		assert.Equal(t, "/crm/v7/settings/territories/77/users", r.URL.Path)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
		ids := bodyIDs(t, r, "users")
		mu.Lock()
		defer mu.Unlock()
		var items []any
		for i, id := range ids {
			switch {
			case id == "3":
				items = append(items, map[string]any{"code": "LIMIT_EXCEEDED", "details": map[string]any{"limit": 100},
					"message": "Maximum Users Limit reached for a territory", "status": "error"})
			case members[id]:
				items = append(items, duplicate("users", i))
			default:
				members[id] = true
				items = append(items, success(id))
			}
		}
		writeJSON(w, http.StatusMultiStatus, map[string]any{"users": items})
	})
	res, err := c.AddUsersToTerritory(context.Background(), "77", "1", "2", "3", "1")
	require.NoError(t, err)
	require.Len(t, res.Items, 3, "repeats dropped")
	assert.Equal(t, Added, res.Items[0].Outcome)
	assert.Equal(t, AlreadyPresent, res.Items[1].Outcome)
	assert.Equal(t, Failed, res.Items[2].Outcome)
	assert.Equal(t, ReasonLimitExceeded, res.Items[2].Reason)
	assert.Equal(t, []string{"1"}, res.Added())
	assert.Equal(t, []string{"2"}, res.AlreadyPresent())
	assert.False(t, res.AllPresent())
	assert.Equal(t, "1 added, 1 already present, 1 failed, 0 unknown (1 call)", res.String())
	assert.Len(t, f.requests(), 1)
	assert.Equal(t, "addUsersToTerritory", res.Calls[0].Operation)
}

// TestAddOneUser: one id goes by the single-user form, with no body; Zoho's
// DUPLICATE_DATA there names the user by its place in the path, and is
// "already present", not a refusal of the URL.
func TestAddOneUser(t *testing.T) {
	t.Parallel()
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, http.MethodPut, r.Method)
		assert.Equal(t, "/crm/v7/settings/territories/77/users/5", r.URL.Path)
		assert.Equal(t, int64(0), r.ContentLength)
		writeJSON(w, http.StatusBadRequest, map[string]any{"users": []any{map[string]any{"code": "DUPLICATE_DATA",
			"details": map[string]any{"resource_path_index": 4}, "message": "Given user id already exists for that record", "status": "error"}}})
	})
	res, err := c.AddUsersToTerritory(context.Background(), "77", "5")
	require.NoError(t, err)
	assert.Equal(t, AlreadyPresent, res.Items[0].Outcome)
	assert.True(t, res.AllPresent())
	assert.Equal(t, "addUserToTerritory", res.Calls[0].Operation)
}

// TestAddTerritoriesToUser: the path is sent as Zoho documents it (`users`,
// lower case), 100 ids a body.
func TestAddTerritoriesToUser(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sizes []int
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, http.MethodPut, r.Method)
		assert.Equal(t, "/crm/v7/users/9/territories", r.URL.Path)
		ids := bodyIDs(t, r, "territories")
		mu.Lock()
		sizes = append(sizes, len(ids))
		mu.Unlock()
		items := make([]any, len(ids))
		for i, id := range ids {
			items[i] = success(id)
		}
		writeJSON(w, http.StatusOK, map[string]any{"territories": items})
	})
	ids := numberedIDs(250)
	res, err := c.AddTerritoriesToUser(context.Background(), "9", ids...)
	require.NoError(t, err)
	assert.Equal(t, ids, res.Added())
	assert.True(t, res.AllPresent())
	assert.ElementsMatch(t, []int{100, 100, 50}, sizes)

	plan, err := c.PlanAddTerritoriesToUser("9", ids...)
	require.NoError(t, err)
	require.Len(t, plan, 3)
	assert.Equal(t, http.MethodPut, plan[0].Method)
	assert.Contains(t, plan[0].URL, "/crm/v7/users/9/territories")
}

// TestAddInference: "already present" after an attempt whose outcome was
// never learned (a 500), or for an id an earlier run may have added, is
// the earlier attempt's doing: Added, Inferred. Without either, it is
// AlreadyPresent.
func TestAddInference(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	calls := 0
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		ids := bodyIDs(t, r, "users")
		if first {
			writeJSON(w, http.StatusInternalServerError, zohoError("INTERNAL_ERROR", "Internal Server Error"))
			return
		}
		items := make([]any, len(ids))
		for i := range ids {
			items[i] = duplicate("users", i)
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"users": items})
	})
	res, err := c.AddUsersToTerritory(context.Background(), "77", "1", "2")
	require.NoError(t, err)
	for _, it := range res.Items {
		assert.Equal(t, Added, it.Outcome, it.ID)
		assert.True(t, it.Inferred, it.ID)
	}

	res, err = c.Apply(context.Background(), Change{Op: OpAddUsers, Owner: "77", IDs: []string{"1", "2"}, MaybeDone: []string{"2"}})
	require.NoError(t, err)
	assert.Equal(t, AlreadyPresent, res.Items[0].Outcome)
	assert.False(t, res.Items[0].Inferred)
	assert.Equal(t, Added, res.Items[1].Outcome)
	assert.True(t, res.Items[1].Inferred)
}

func TestOpUndo(t *testing.T) {
	t.Parallel()
	for _, op := range Ops() {
		assert.Equal(t, op, op.Undo().Undo(), op)
		assert.NotEqual(t, op.Adds(), op.Undo().Adds(), op)
	}
	assert.Equal(t, OpAddUsers, OpRemoveUsers.Undo())
	assert.Equal(t, OpAddTerritories, OpRemoveTerritories.Undo())
	assert.Equal(t, Op(""), Op("nope").Undo())
}

// TestAlreadyExists: Zoho's v8 pages call an existing membership
// ALREADY_EXISTS, its v7 pages and OpenAPI files DUPLICATE_DATA; both are
// "already present", as an item or as the error object of a one-id add,
// and after a lost answer both mean that attempt added it.
func TestAlreadyExists(t *testing.T) {
	t.Parallel()
	exists := map[string]any{"code": "ALREADY_EXISTS", "details": map[string]any{}, "message": "the user is already associated", "status": "error"}
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter, n int)
		ids    []string
		want   Outcome
		inferr bool
	}{
		{"item of a bulk add", func(w http.ResponseWriter, _ int) {
			writeJSON(w, http.StatusMultiStatus, map[string]any{"users": []any{success("1"), map[string]any{"code": "ALREADY_EXISTS",
				"details": map[string]any{"id": "2"}, "message": "already associated", "status": "error"}}})
		}, []string{"1", "2"}, AlreadyPresent, false},
		{"error object of a one-id add", func(w http.ResponseWriter, _ int) {
			writeJSON(w, http.StatusBadRequest, exists)
		}, []string{"2"}, AlreadyPresent, false},
		{"error object after a lost answer", func(w http.ResponseWriter, n int) {
			if n == 1 {
				writeJSON(w, http.StatusInternalServerError, zohoError("INTERNAL_ERROR", "busy"))
				return
			}
			writeJSON(w, http.StatusBadRequest, exists)
		}, []string{"2"}, Added, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				tc.answer(w, int(n.Add(1)))
			})
			res, err := c.AddUsersToTerritory(context.Background(), "77", tc.ids...)
			require.NoError(t, err)
			last := res.Items[len(res.Items)-1]
			assert.Equal(t, "2", last.ID)
			assert.Equal(t, tc.want, last.Outcome, last.String())
			assert.Equal(t, tc.inferr, last.Inferred)
			assert.ErrorIs(t, &APIError{Code: "ALREADY_EXISTS", StatusCode: http.StatusBadRequest}, ErrDuplicateData)
		})
	}
}

// TestAddsSendIDsAsStrings: the spec lets a body give an id as a string or
// as a JSON number (RecordIdInput); the client sends strings, byte for byte
// the documented body, through the generated builders.
func TestAddsSendIDsAsStrings(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		assert.NoError(t, err)
		key := "users"
		if strings.Contains(r.URL.Path, "/territories") && !strings.Contains(r.URL.Path, "/settings/") {
			key = "territories"
		}
		var ids []struct {
			ID string `json:"id"`
		}
		var env map[string]json.RawMessage
		assert.NoError(t, json.Unmarshal(b, &env))
		assert.NoError(t, json.Unmarshal(env[key], &ids))
		items := make([]any, len(ids))
		for i, ref := range ids {
			items[i] = success(ref.ID)
		}
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{key: items})
	})
	const a, b = "5725767000000411004", "5725767000000411005"
	_, err := c.AddUsersToTerritory(t.Context(), "77", a, b)
	require.NoError(t, err)
	_, err = c.AddTerritoriesToUser(t.Context(), "5", a)
	require.NoError(t, err)
	assert.Equal(t, []string{
		`{"users":[{"id":"` + a + `"},{"id":"` + b + `"}]}`,
		`{"territories":[{"id":"` + a + `"}]}`,
	}, bodies)
}
