package zohoterritory

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contractcheck"
)

const (
	listUser      = "5725767000000583004"
	listTerritory = "431581000000744113"
)

// recordingWriter keeps what a handler answered, for validating it.
type recordingWriter struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (w *recordingWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *recordingWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	w.body.Write(b)
	return w.ResponseWriter.Write(b)
}

// specChecked wraps h so that every request the client sends is validated
// against api/openapi.yaml by both validators of internal/contract and, when
// responses is true, every answer h gives too (for handlers that answer
// within the spec on purpose). The validators are there when the tests are
// built with -tags contract (make contract, in CI; internal/contractcheck).
func specChecked(t *testing.T, responses bool, h http.HandlerFunc) http.HandlerFunc {
	t.Helper()
	v, err := contractcheck.New()
	require.NoError(t, err)
	return func(w http.ResponseWriter, r *http.Request) {
		if err := v.CheckRequest(r); err != nil {
			t.Errorf("the client's request breaks the spec: %v", err)
		}
		if !responses {
			h(w, r)
			return
		}
		rw := &recordingWriter{ResponseWriter: w}
		h(rw, r)
		if err := v.CheckResponse(r, rw.status, w.Header(), rw.body.Bytes()); err != nil {
			t.Errorf("the test's answer breaks the spec: %v", err)
		}
	}
}

func ref(id, key, name string) map[string]any {
	return map[string]any{"id": id, key: name}
}

func territoryObj(id string, manager, reportingTo any) map[string]any {
	return map[string]any{"id": id, "Name": "T" + id, "Manager": manager, "Reporting_To": reportingTo}
}

func userObj(id string) map[string]any {
	return map[string]any{
		"id": id, "full_name": "User " + id, "first_name": nil, "last_name": "User " + id,
		"email": "u" + id + "@zylker.com", "status": "active",
		"role": ref("431581000000031151", "name", "CEO"), "time_zone": "Asia/Kolkata",
	}
}

func info(perPage, count, page int, more bool) map[string]any {
	return map[string]any{"per_page": perPage, "count": count, "page": page, "more_records": more}
}

// pagedHandler serves items (objects with an "id") under key in pages of
// the per_page the client asks for, as Zoho does: 204 when there is
// nothing at all or the page is past the end.
func pagedHandler(t *testing.T, key string, items []map[string]any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, err := strconv.Atoi(r.URL.Query().Get("page"))
		require.NoError(t, err)
		perPage, err := strconv.Atoi(r.URL.Query().Get("per_page"))
		require.NoError(t, err)
		from := (page - 1) * perPage
		if from >= len(items) {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		to := min(from+perPage, len(items))
		writeJSON(w, http.StatusOK, map[string]any{key: items[from:to], "info": info(perPage, to-from, page, to < len(items))})
	}
}

func numbered(n int, obj func(id string) map[string]any) []map[string]any {
	out := make([]map[string]any, n)
	for i := range out {
		out[i] = obj(fmt.Sprintf("57257670%011d", i+1))
	}
	return out
}

func TestListPages(t *testing.T) {
	t.Parallel()
	territory := func(id string) map[string]any {
		return territoryObj(id, ref("5725767000000583010", "name", "Patricia"), ref("5725767000000452001", "Name", "Zylker"))
	}
	tests := []struct {
		items     int
		wantPages int
	}{
		{450, 3}, // 200 + 200 + 50
		{400, 2}, // two full pages, the second saying more_records false
		{1, 1},
		{0, 1}, // 204 at once
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.items), func(t *testing.T) {
			t.Parallel()
			t.Run("territories", func(t *testing.T) {
				t.Parallel()
				all := numbered(tt.items, territory)
				c, f, sl := setup(t, specChecked(t, true, pagedHandler(t, "territories", all)))
				got, err := c.TerritoriesOfUser(t.Context(), listUser)
				require.NoError(t, err)
				require.Len(t, got, tt.items)
				assert.NotNil(t, got, "an empty listing is an empty slice")
				for i, tr := range got {
					assert.Equal(t, all[i]["id"], tr.ID, "territory %d in Zoho's order", i)
				}
				reqs := f.requests()
				require.Len(t, reqs, tt.wantPages)
				for i, r := range reqs {
					assert.Equal(t, http.MethodGet, r.Method)
					assert.Equal(t, "/crm/v7/Users/"+listUser+"/territories", r.Path)
					assert.Equal(t, fmt.Sprintf("page=%d&per_page=200", i+1), r.RawQuery)
					assert.Equal(t, "Zoho-oauthtoken test-token", r.Auth)
				}
				assert.Empty(t, sl.all(), "no retries")
			})
			t.Run("users", func(t *testing.T) {
				t.Parallel()
				all := numbered(tt.items, userObj)
				c, f, _ := setup(t, specChecked(t, true, pagedHandler(t, "users", all)), WithAPIVersion("v8"))
				got, err := c.UsersOfTerritory(t.Context(), listTerritory)
				require.NoError(t, err)
				require.Len(t, got, tt.items)
				for i, u := range got {
					assert.Equal(t, all[i]["id"], u.ID, "user %d in Zoho's order", i)
				}
				for _, r := range f.requests() {
					assert.Equal(t, "/crm/v8/settings/territories/"+listTerritory+"/users", r.Path)
				}
			})
		})
	}
}

func TestListDecodes(t *testing.T) {
	t.Parallel()
	t.Run("territories: both name spellings, id only, null manager, default territory", func(t *testing.T) {
		t.Parallel()
		c, _, _ := setup(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]any{
				"territories": []any{
					territoryObj("5725767000000452115", ref("5725767000000583010", "name", "Patricia Boyle"), ref("5725767000000452001", "Name", "Zylker")),
					territoryObj("5725767000000454003", ref("5725767000000583011", "Name", "Ravi Kumar"), ref("5725767000000452115", "name", "North America")),
					territoryObj("5725767000002709047", map[string]any{"id": "5725767000000583010"}, ref("5725767000000452115", "Name", "North America")),
					territoryObj("5725767000000452001", nil, nil),
				},
				"info": info(200, 4, 1, false),
			})
		}))
		got, err := c.TerritoriesOfUser(t.Context(), listUser)
		require.NoError(t, err)
		require.Len(t, got, 4)
		assert.Equal(t, &Ref{ID: "5725767000000583010", Name: "Patricia Boyle"}, got[0].Manager, "name")
		assert.Equal(t, &Ref{ID: "5725767000000452001", Name: "Zylker"}, got[0].ReportingTo, "Name")
		assert.Equal(t, &Ref{ID: "5725767000000583011", Name: "Ravi Kumar"}, got[1].Manager, "Name")
		assert.Equal(t, &Ref{ID: "5725767000000452115", Name: "North America"}, got[1].ReportingTo, "name")
		assert.Equal(t, &Ref{ID: "5725767000000583010"}, got[2].Manager, "id only")
		assert.Nil(t, got[3].Manager)
		assert.Nil(t, got[3].ReportingTo)
		assert.Equal(t, []bool{false, false, false, true}, []bool{got[0].IsDefault(), got[1].IsDefault(), got[2].IsDefault(), got[3].IsDefault()})
		assert.Equal(t, "T5725767000000452115", got[0].Name)
		assert.JSONEq(t, `{"id":"5725767000000452001","Name":"T5725767000000452001","Manager":null,"Reporting_To":null}`, string(got[3].Raw))
	})
	t.Run("users: fields, nulls and the raw object", func(t *testing.T) {
		t.Parallel()
		c, _, _ := setup(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
			u := userObj("431581000000258001")
			u["first_name"], u["profile"] = "Patricia", ref("431581000000031157", "Name", "Administrator")
			writeJSON(w, http.StatusOK, map[string]any{"users": []any{u, userObj("431581000000258002")}, "info": info(200, 2, 1, false)})
		}))
		got, err := c.UsersOfTerritory(t.Context(), listTerritory)
		require.NoError(t, err)
		require.Len(t, got, 2)
		u := got[0]
		assert.Equal(t, "431581000000258001", u.ID)
		assert.Equal(t, "User 431581000000258001", u.FullName)
		assert.Equal(t, "Patricia", u.FirstName)
		assert.Equal(t, "User 431581000000258001", u.LastName)
		assert.Equal(t, "u431581000000258001@zylker.com", u.Email)
		assert.Equal(t, "active", u.Status)
		assert.Equal(t, &Ref{ID: "431581000000031151", Name: "CEO"}, u.Role)
		assert.Equal(t, &Ref{ID: "431581000000031157", Name: "Administrator"}, u.Profile)
		assert.Empty(t, got[1].FirstName, "null")
		assert.Nil(t, got[1].Profile, "absent")
		var raw map[string]any
		require.NoError(t, json.Unmarshal(u.Raw, &raw))
		assert.Equal(t, "Asia/Kolkata", raw["time_zone"], "keys the client does not copy stay in Raw")
	})
}

func TestListNoContent(t *testing.T) {
	t.Parallel()
	t.Run("first page", func(t *testing.T) {
		t.Parallel()
		c, f, _ := setup(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}))
		ts, err := c.TerritoriesOfUser(t.Context(), listUser)
		require.NoError(t, err)
		assert.Equal(t, []Territory{}, ts)
		us, err := c.UsersOfTerritory(t.Context(), listTerritory)
		require.NoError(t, err)
		assert.Equal(t, []User{}, us)
		assert.Len(t, f.requests(), 2)
	})
	t.Run("after a page that claimed more", func(t *testing.T) {
		t.Parallel()
		c, f, _ := setup(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Query().Get("page") == "2" {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			writeJSON(w, http.StatusOK, map[string]any{"territories": []any{territoryObj("5725767000000452115", nil, nil)}, "info": info(200, 1, 1, true)})
		}))
		got, err := c.TerritoriesOfUser(t.Context(), listUser)
		require.NoError(t, err)
		require.Len(t, got, 1)
		assert.Equal(t, "5725767000000452115", got[0].ID)
		assert.Len(t, f.requests(), 2)
	})
}

// readCall is one of the four read methods, reduced to its error.
type readCall struct {
	op   string
	call func(ctx context.Context, c *Client) error
}

var readCalls = []readCall{
	{"listTerritoriesOfUser", func(ctx context.Context, c *Client) error {
		_, err := c.TerritoriesOfUser(ctx, listUser)
		return err
	}},
	{"listUsersOfTerritory", func(ctx context.Context, c *Client) error {
		_, err := c.UsersOfTerritory(ctx, listTerritory)
		return err
	}},
	{"getTerritoryOfUser", func(ctx context.Context, c *Client) error {
		_, _, err := c.TerritoryOfUser(ctx, listUser, "5725767000002709047")
		return err
	}},
	{"getUserOfTerritory", func(ctx context.Context, c *Client) error {
		_, _, err := c.UserOfTerritory(ctx, listTerritory, "431581000000258001")
		return err
	}},
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		code, msg string
		details   map[string]any
		sentinel  error
	}{
		{400, "INVALID_DATA", "the related id given seems to be invalid", map[string]any{"resource_path_index": float64(1)}, ErrInvalidData},
		{400, "INVALID_DATA", "You have specified an invalid ID for either the user, territory or both.", map[string]any{"resource_path_index": float64(3)}, ErrInvalidData},
		{401, "OAUTH_SCOPE_MISMATCH", "invalid oauth scope to access this URL", map[string]any{}, ErrOAuthScopeMismatch},
		{401, "AUTHENTICATION_FAILURE", "Authentication failed", map[string]any{}, ErrAuthenticationFailure},
		{401, "INVALID_TOKEN", "invalid oauth token", map[string]any{}, ErrInvalidToken},
		{403, "TERRITORY_NOT_ENABLED", "Territory management is not enabled", map[string]any{}, ErrTerritoryDisabled},
		{403, "TERRITORY_DISABLED", "Territory feature is disabled", map[string]any{}, ErrTerritoryDisabled},
		{403, "NO_PERMISSION", "permission denied", map[string]any{}, ErrNoPermission},
		{404, "INVALID_URL_PATTERN", "Please check if the URL trying to access is a correct one", map[string]any{}, ErrInvalidURLPattern},
		{429, "TOO_MANY_REQUESTS", "You have made too many requests. Please try again later.", map[string]any{}, ErrTooManyRequests},
		{500, "INTERNAL_ERROR", "Internal Server Error", map[string]any{}, ErrInternal},
		{500, "INTERNAL_SERVER_ERROR", "", map[string]any{}, ErrInternal},
	}
	for _, rc := range readCalls {
		for _, tt := range tests {
			t.Run(rc.op+"/"+tt.code+"/"+strconv.Itoa(tt.status), func(t *testing.T) {
				t.Parallel()
				c, f, sl := setup(t, specChecked(t, false, func(w http.ResponseWriter, r *http.Request) {
					body := zohoError(tt.code, tt.msg)
					body["details"] = tt.details
					writeJSON(w, tt.status, body)
				}))
				err := rc.call(t.Context(), c)
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.sentinel)
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, rc.op, apiErr.Operation)
				assert.Equal(t, tt.status, apiErr.StatusCode)
				assert.Equal(t, tt.code, apiErr.Code)
				assert.Equal(t, tt.msg, apiErr.Message)
				assert.Equal(t, tt.details, apiErr.Details)
				assert.Contains(t, err.Error(), rc.op+": "+strconv.Itoa(tt.status)+": "+tt.code)
				require.NotNil(t, apiErr.Response, "the raw response stays reachable")
				assert.Empty(t, apiErr.Response.Request.Header.Get("Authorization"), "the kept request has no token")

				// 429 and 5xx are retried (MaxAttempts of the default
				// policy); other 4xx never are.
				wantAttempts := 1
				if tt.status == 429 || tt.status >= 500 {
					wantAttempts = DefaultRetryPolicy().MaxAttempts
					var rl *RateLimitError
					assert.Equal(t, tt.status == 429, errors.As(err, &rl), "a 429 is a *RateLimitError")
				}
				assert.Len(t, f.requests(), wantAttempts)
				assert.Len(t, sl.all(), wantAttempts-1)
			})
		}
	}
}

func TestReadRetries(t *testing.T) {
	t.Parallel()
	page := map[string]any{"territories": []any{territoryObj("5725767000000452115", nil, nil)}, "info": info(200, 1, 1, false)}
	tests := []struct {
		name      string
		fail      func(w http.ResponseWriter)
		wantSleep time.Duration // 0: the policy's backoff
	}{
		{"429 with Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "7")
			writeJSON(w, http.StatusTooManyRequests, zohoError("TOO_MANY_REQUESTS", "You have made too many requests. Please try again later."))
		}, 7 * time.Second},
		{"503 without a body", func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) }, 0},
		{"500 with Retry-After", func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "2")
			writeJSON(w, http.StatusInternalServerError, zohoError("INTERNAL_ERROR", "Internal Server Error"))
		}, 2 * time.Second},
		{"lost connection", func(w http.ResponseWriter) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				_ = conn.Close()
			}
		}, 0},
		{"cut-off 200", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"territories":[{"id":"57257`))
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			c, f, sl := setup(t, specChecked(t, false, func(w http.ResponseWriter, r *http.Request) {
				if calls.Add(1) == 1 {
					tt.fail(w)
					return
				}
				writeJSON(w, http.StatusOK, page)
			}))
			got, err := c.TerritoriesOfUser(t.Context(), listUser)
			require.NoError(t, err)
			require.Len(t, got, 1)
			assert.Len(t, f.requests(), 2)
			want := tt.wantSleep
			if want == 0 {
				want = DefaultRetryPolicy().backoff(1, func() float64 { return 0.5 })
			}
			assert.Equal(t, []time.Duration{want}, sl.all())
		})
	}

	t.Run("one budget for the whole listing", func(t *testing.T) {
		t.Parallel()
		// Every page fails once; a budget of 2 retries covers the first
		// two pages and not the third.
		var mu sync.Mutex
		failed := map[string]bool{}
		p := DefaultRetryPolicy()
		p.Budget = 2
		c, f, _ := setup(t, specChecked(t, false, func(w http.ResponseWriter, r *http.Request) {
			pg := r.URL.Query().Get("page")
			mu.Lock()
			first := !failed[pg]
			failed[pg] = true
			mu.Unlock()
			if first {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			n, _ := strconv.Atoi(pg)
			writeJSON(w, http.StatusOK, map[string]any{"territories": []any{territoryObj(fmt.Sprint(5725767000000452000+n), nil, nil)}, "info": info(200, 1, n, true)})
		}), WithRetryPolicy(p))
		_, err := c.TerritoriesOfUser(t.Context(), listUser)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
		assert.ErrorIs(t, err, ErrInternal)
		assert.Len(t, f.requests(), 5, "page 1 twice, page 2 twice, page 3 once")
	})

	t.Run("the caller's context ends the waits", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		c, f, _ := setup(t, specChecked(t, false, func(w http.ResponseWriter, r *http.Request) {
			cancel()
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		_, err := c.TerritoriesOfUser(ctx, listUser)
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "listTerritoriesOfUser")
		assert.Len(t, f.requests(), 1)
	})
}

func TestReadBadIDs(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("no request may be sent: %s %s", r.Method, r.URL)
	})
	tests := []struct {
		name    string
		call    func() error
		wantArg string
		wantID  string
	}{
		{"user id empty", func() error { _, err := c.TerritoriesOfUser(t.Context(), ""); return err }, "userID", ""},
		{"user id not digits", func() error { _, err := c.TerritoriesOfUser(t.Context(), "me"); return err }, "userID", "me"},
		{"territory id too long", func() error {
			_, err := c.UsersOfTerritory(t.Context(), "12345678901234567890")
			return err
		}, "territoryID", "12345678901234567890"},
		{"territory of user: territory id", func() error {
			_, _, err := c.TerritoryOfUser(t.Context(), listUser, "../users")
			return err
		}, "territoryID", "../users"},
		{"user of territory: user id", func() error {
			_, _, err := c.UserOfTerritory(t.Context(), listTerritory, "1,2")
			return err
		}, "userID", "1,2"},
		{"user of territory: territory id", func() error {
			_, _, err := c.UserOfTerritory(t.Context(), "x", "431581000000258001")
			return err
		}, "territoryID", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var idErr *InvalidIDError
			require.ErrorAs(t, err, &idErr)
			assert.Equal(t, tt.wantArg, idErr.Arg)
			assert.Equal(t, tt.wantID, idErr.ID)
		})
	}
	assert.Empty(t, f.requests())
}

func TestListBadPages(t *testing.T) {
	t.Parallel()
	tr := func(id string) map[string]any {
		return territoryObj(id, nil, ref("5725767000000452001", "Name", "Zylker"))
	}
	tests := []struct {
		name      string
		pages     func(page int) (status int, body any)
		wantCalls int
		wantErr   string
		badPage   bool // errors.Is(err, ErrBadPage)
	}{
		{"repeated id across pages", func(page int) (int, any) {
			return 200, map[string]any{"territories": []any{tr("5725767000000452115")}, "info": info(200, 1, page, page < 3)}
		}, 2, "page 2: id 5725767000000452115 repeats (first seen on page 1)", true},
		{"a page with more than per_page", func(page int) (int, any) {
			items := make([]any, 201)
			for i := range items {
				items[i] = tr(fmt.Sprint(5725767000000400000 + i))
			}
			return 200, map[string]any{"territories": items, "info": info(200, 201, 1, false)}
		}, 1, "page 1: 201 territories, more than the 200 asked for", true},
		{"an empty page that claims more", func(page int) (int, any) {
			return 200, map[string]any{"territories": []any{}, "info": info(200, 0, 1, true)}
		}, 1, "page 1: no territories, yet more_records is true", true},
		{"a full page without info", func(page int) (int, any) {
			items := make([]any, 200)
			for i := range items {
				items[i] = tr(fmt.Sprint(5725767000000400000 + i))
			}
			return 200, map[string]any{"territories": items}
		}, 1, `page 1: a full page without "info"`, true},
		{"no territories array", func(page int) (int, any) {
			return 200, map[string]any{"users": []any{userObj("431581000000258001")}, "info": info(200, 1, 1, false)}
		}, 1, `listTerritoriesOfUser: 200: page 1: decode body: no "territories" array in the body`, false},
		{"an item without a record id", func(page int) (int, any) {
			return 200, map[string]any{"territories": []any{tr("5725767000000452115"), tr("north")}, "info": info(200, 2, 1, false)}
		}, 1, `listTerritoriesOfUser: 200: page 1: decode body: zohoterritory: territories[1].id "north": must contain decimal digits only`, false},
		{"an error object under 200", func(page int) (int, any) {
			return 200, zohoError("INVALID_DATA", "the related id given seems to be invalid")
		}, 1, `no "territories" array`, false},
		{"an undocumented status", func(page int) (int, any) {
			return 207, map[string]any{"territories": []any{tr("5725767000000452115")}}
		}, 1, "listTerritoriesOfUser: 207: 207 Multi-Status with a body that is not a Zoho error", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, f, _ := setup(t, specChecked(t, false, func(w http.ResponseWriter, r *http.Request) {
				page, _ := strconv.Atoi(r.URL.Query().Get("page"))
				status, body := tt.pages(page)
				writeJSON(w, status, body)
			}))
			got, err := c.TerritoriesOfUser(t.Context(), listUser)
			require.Error(t, err)
			assert.Nil(t, got, "no partial list")
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Equal(t, tt.badPage, errors.Is(err, ErrBadPage), "errors.Is ErrBadPage: %v", err)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "listTerritoriesOfUser", apiErr.Operation)
			assert.Len(t, f.requests(), tt.wantCalls)
		})
	}
}

func TestListNeverEnds(t *testing.T) {
	t.Parallel()
	// A server that always claims more records, with new ids on every page.
	c, f, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		writeJSON(w, http.StatusOK, map[string]any{
			"users": []any{userObj(fmt.Sprint(431581000000000000 + page))}, "info": info(200, 1, page, true),
		})
	})
	got, err := c.UsersOfTerritory(t.Context(), listTerritory)
	require.ErrorIs(t, err, ErrBadPage)
	assert.Nil(t, got)
	assert.Contains(t, err.Error(), fmt.Sprintf("listUsersOfTerritory: 200: page %d: more_records is still true after %d pages (%d users)", MaxPages, MaxPages, MaxPages))
	assert.Len(t, f.requests(), MaxPages)
}

func TestReadOne(t *testing.T) {
	t.Parallel()
	const territoryID, userID = "5725767000002709047", "431581000000258001"
	t.Run("territory found", func(t *testing.T) {
		t.Parallel()
		c, f, _ := setup(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]any{"territories": []any{
				territoryObj(territoryID, map[string]any{"id": "5725767000000583010"}, ref("5725767000000452115", "Name", "North America")),
			}})
		}))
		got, ok, err := c.TerritoryOfUser(t.Context(), listUser, territoryID)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, territoryID, got.ID)
		assert.Equal(t, &Ref{ID: "5725767000000583010"}, got.Manager)
		assert.False(t, got.IsDefault())
		reqs := f.requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, recorded{Method: http.MethodGet, Path: "/crm/v7/Users/" + listUser + "/territories/" + territoryID,
			Auth: "Zoho-oauthtoken test-token", UserAgent: reqs[0].UserAgent}, reqs[0])
	})
	t.Run("user found", func(t *testing.T) {
		t.Parallel()
		c, f, _ := setup(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]any{"users": []any{userObj(userID)}, "info": info(20, 1, 1, false)})
		}))
		got, ok, err := c.UserOfTerritory(t.Context(), listTerritory, userID)
		require.NoError(t, err)
		require.True(t, ok)
		assert.Equal(t, userID, got.ID)
		assert.Equal(t, "active", got.Status)
		reqs := f.requests()
		require.Len(t, reqs, 1)
		assert.Equal(t, "/crm/v7/settings/territories/"+listTerritory+"/users/"+userID, reqs[0].Path)
		assert.Empty(t, reqs[0].RawQuery)
	})
	t.Run("not a member: 204", func(t *testing.T) {
		t.Parallel()
		c, _, _ := setup(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNoContent)
		}))
		_, ok, err := c.TerritoryOfUser(t.Context(), listUser, territoryID)
		require.NoError(t, err)
		assert.False(t, ok)
		_, ok, err = c.UserOfTerritory(t.Context(), listTerritory, userID)
		require.NoError(t, err)
		assert.False(t, ok)
	})
	t.Run("an answer about another territory", func(t *testing.T) {
		t.Parallel()
		c, _, _ := setup(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]any{"territories": []any{territoryObj("5725767000000452115", nil, nil)}})
		}))
		_, ok, err := c.TerritoryOfUser(t.Context(), listUser, territoryID)
		assert.False(t, ok)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "getTerritoryOfUser", apiErr.Operation)
		assert.Contains(t, err.Error(), "asked for territoryID "+territoryID+", got [5725767000000452115]")
	})
}

// TestReadsFollowAPIDomain checks that a read goes where the token reply's
// api_domain says, like a removal.
func TestReadsFollowAPIDomain(t *testing.T) {
	t.Parallel()
	api := httpTestServer(t, specChecked(t, true, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	accounts := httpTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"access_token": "1000.fresh", "api_domain": api.URL, "token_type": "Bearer", "expires_in": 3600})
	})
	c, err := New(WithRefreshToken("id", "secret", "1000.refresh"), WithAccountsURL(accounts.URL), WithHTTPClient(api.Client()))
	require.NoError(t, err)
	got, err := c.TerritoriesOfUser(t.Context(), listUser)
	require.NoError(t, err)
	assert.Empty(t, got)
}
