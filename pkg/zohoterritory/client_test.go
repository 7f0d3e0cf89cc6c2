package zohoterritory

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDataCenters(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dc                  DataCenter
		accounts, api, sbox string
	}{
		{US, "https://accounts.zoho.com", "https://www.zohoapis.com", "https://sandbox.zohoapis.com"},
		{EU, "https://accounts.zoho.eu", "https://www.zohoapis.eu", "https://sandbox.zohoapis.eu"},
		{IN, "https://accounts.zoho.in", "https://www.zohoapis.in", "https://sandbox.zohoapis.in"},
		{AU, "https://accounts.zoho.com.au", "https://www.zohoapis.com.au", "https://sandbox.zohoapis.com.au"},
		{CN, "https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn", "https://sandbox.zohoapis.com.cn"},
		{JP, "https://accounts.zoho.jp", "https://www.zohoapis.jp", "https://sandbox.zohoapis.jp"},
		{CA, "https://accounts.zohocloud.ca", "https://www.zohoapis.ca", "https://sandbox.zohoapis.ca"},
		{SA, "https://accounts.zoho.sa", "https://www.zohoapis.sa", "https://sandbox.zohoapis.sa"},
		{UK, "https://accounts.zoho.uk", "https://www.zohoapis.uk", "https://sandbox.zohoapis.uk"},
	}
	require.Len(t, DataCenters(), len(tests), "every data centre is in the table")
	for _, tt := range tests {
		t.Run(string(tt.dc), func(t *testing.T) {
			t.Parallel()
			assert.True(t, tt.dc.Valid())
			assert.Equal(t, tt.accounts, tt.dc.AccountsURL())
			assert.Equal(t, tt.api, tt.dc.APIDomain())
			assert.Equal(t, tt.sbox, tt.dc.SandboxAPIDomain())
			assert.Equal(t, strings.Replace(tt.api, "www.", "developer.", 1), tt.dc.DeveloperAPIDomain())
			parsed, err := ParseDataCenter(strings.ToLower(string(tt.dc)))
			require.NoError(t, err)
			assert.Equal(t, tt.dc, parsed)

			c, err := New(WithDataCenter(tt.dc), WithAccessToken("t"))
			require.NoError(t, err)
			assert.Equal(t, tt.api, c.APIDomain())
			assert.Equal(t, tt.accounts, c.accountsURL)
		})
	}
	_, err := ParseDataCenter("XX")
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"XX"`)
	assert.Contains(t, err.Error(), "US, EU, IN, AU, CN, JP, CA, SA, UK")
	assert.False(t, DataCenter("XX").Valid())
	c, err := New(WithDataCenter(" eu "))
	require.NoError(t, err, "WithDataCenter ignores case and spaces")
	assert.Equal(t, "https://www.zohoapis.eu", c.APIDomain())
	assert.Equal(t, "", DataCenter("XX").APIDomain())
}

func TestNewRefusesBadOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   []Option
		option string // the option the *OptionError names
		value  any    // and the value it shows
		want   string
	}{
		{"two credentials", []Option{WithAccessToken("a"), WithTokenSource(nil)}, "WithTokenSource", nil, "WithTokenSource: a token source is required, not nil"},
		{"token and refresh", []Option{WithAccessToken("a"), WithRefreshToken("id", "sec", "rt")}, "WithRefreshToken", nil, "a second way to authenticate, after WithAccessToken"},
		{"empty token", []Option{WithAccessToken(" ")}, "WithAccessToken", nil, "WithAccessToken: the token is empty"},
		{"empty client id", []Option{WithRefreshToken("", "s", "r")}, "WithRefreshToken", nil, "client id is empty"},
		{"empty client secret", []Option{WithRefreshToken("i", "", "r")}, "WithRefreshToken", nil, "client secret is empty"},
		{"empty refresh token", []Option{WithRefreshToken("i", "s", "")}, "WithRefreshToken", nil, "refresh token is empty"},
		{"unknown data centre", []Option{WithAccessToken("a"), WithDataCenter("MARS")}, "WithDataCenter", "MARS", `WithDataCenter("MARS"): unknown data centre`},
		{"unknown version", []Option{WithAccessToken("a"), WithAPIVersion("v9")}, "WithAPIVersion", "v9", `WithAPIVersion("v9"): unsupported version: want one of v2, v2.1, v3, v4, v5, v6, v7, v8`},
		{"v1 is retired", []Option{WithAccessToken("a"), WithAPIVersion("v1")}, "WithAPIVersion", "v1", `WithAPIVersion("v1")`},
		{"plain http to a remote host", []Option{WithAccessToken("a"), WithAPIDomain("http://example.com")}, "WithAPIDomain", "http://example.com", "plain http is allowed only for loopback"},
		{"plain http to a private address", []Option{WithAccessToken("a"), WithAPIDomain("http://10.0.0.1:8080")}, "WithAPIDomain", "http://10.0.0.1:8080", "plain http is allowed only for loopback"},
		{"relative domain", []Option{WithAccessToken("a"), WithAPIDomain("www.zohoapis.com")}, "WithAPIDomain", "www.zohoapis.com", "absolute URL"},
		{"ftp domain", []Option{WithAccessToken("a"), WithAPIDomain("ftp://www.zohoapis.com")}, "WithAPIDomain", "ftp://www.zohoapis.com", "scheme must be https"},
		{"domain with query", []Option{WithAccessToken("a"), WithAPIDomain("https://www.zohoapis.com?x=1")}, "WithAPIDomain", "https://www.zohoapis.com?…", "query"},
		{"domain with the API path", []Option{WithAPIDomain("https://www.zohoapis.eu/crm/v7")}, "WithAPIDomain", "https://www.zohoapis.eu/crm/v7", "give the domain alone, such as https://www.zohoapis.eu"},
		{"plain http accounts", []Option{WithRefreshToken("i", "s", "r"), WithAccountsURL("http://accounts.zoho.com")}, "WithAccountsURL", "http://accounts.zoho.com", "WithAccountsURL"},
		{"concurrency 0", []Option{WithAccessToken("a"), WithConcurrency(0)}, "WithConcurrency", 0, "WithConcurrency(0): must be at least 1"},
		{"batch size 101", []Option{WithAccessToken("a"), WithBatchSize(101)}, "WithBatchSize", 101, "WithBatchSize(101)"},
		{"batch size 0", []Option{WithAccessToken("a"), WithBatchSize(0)}, "WithBatchSize", 0, "WithBatchSize(0)"},
		{"nil http client", []Option{WithAccessToken("a"), WithHTTPClient(nil)}, "WithHTTPClient", nil, "WithHTTPClient: a client is required, not nil"},
		{"empty user agent", []Option{WithAccessToken("a"), WithUserAgent("")}, "WithUserAgent", "", "WithUserAgent"},
		{"retry attempts 0", []Option{WithAccessToken("a"), WithRetryPolicy(RetryPolicy{MaxAttempts: 0, AttemptTimeout: time.Second})}, "WithRetryPolicy", 0, "WithRetryPolicy: MaxAttempts 0: must be at least 1"},
		{"retry no timeout", []Option{WithAccessToken("a"), WithRetryPolicy(RetryPolicy{MaxAttempts: 1})}, "WithRetryPolicy", time.Duration(0), "WithRetryPolicy: AttemptTimeout 0s: must be positive"},
		{"retry negative delay", []Option{WithAccessToken("a"), WithRetryPolicy(RetryPolicy{MaxAttempts: 1, MaxDelay: -time.Second, AttemptTimeout: time.Second})}, "WithRetryPolicy", -time.Second, "MaxDelay -1s: must not be negative"},
		{"tiny body limit", []Option{WithAccessToken("a"), WithMaxResponseBytes(10)}, "WithMaxResponseBytes", int64(10), "WithMaxResponseBytes(10)"},
		{"nil option", []Option{WithAccessToken("a"), nil}, "opts[1]", nil, "nil option"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.Contains(t, err.Error(), tt.want)
			var oe *OptionError
			require.ErrorAs(t, err, &oe)
			assert.Equal(t, tt.option, oe.Option)
			assert.Equal(t, tt.value, oe.Value)
			assert.True(t, strings.HasPrefix(err.Error(), "zohoterritory: "+tt.option), err.Error())
		})
	}
}

// TestNewWithoutCredentialsPlansButSendsNothing: a client without
// credentials checks ids and plans, and its sending calls fail with
// ErrNoCredentials before anything goes out.
func TestNewWithoutCredentialsPlansButSendsNothing(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	srv := httpTestServer(t, func(w http.ResponseWriter, r *http.Request) { requests.Add(1) })
	c, err := New(WithAPIDomain(srv.URL))
	require.NoError(t, err)
	plan, err := c.PlanRemoveTerritoriesFromUser("1", "2", "3")
	require.NoError(t, err)
	require.Len(t, plan, 1)
	assert.Equal(t, srv.URL+"/crm/v7/Users/1/territories?ids=2,3", plan[0].URL)

	res, err := c.RemoveTerritoriesFromUser(t.Context(), "1", "2", "3")
	require.ErrorIs(t, err, ErrNoCredentials)
	var authErr *AuthError
	require.ErrorAs(t, err, &authErr)
	assert.Equal(t, "zohoterritory: "+ErrNoCredentials.Error(), err.Error())
	require.NotNil(t, res)
	for _, it := range res.Items {
		assert.Equal(t, Failed, it.Outcome)
		assert.Equal(t, ReasonNotSent, it.Reason)
	}
	_, err = c.TerritoriesOfUser(t.Context(), "1")
	require.ErrorIs(t, err, ErrNoCredentials)
	assert.Zero(t, requests.Load(), "nothing was sent")
}

func TestNewAcceptsLoopbackHTTP(t *testing.T) {
	t.Parallel()
	for _, domain := range []string{"http://127.0.0.1:8080", "http://[::1]:9", "http://localhost:8080/prefix", "https://www.zohoapis.eu"} {
		c, err := New(WithAccessToken("a"), WithAPIDomain(domain))
		require.NoError(t, err, domain)
		assert.Equal(t, domain, c.APIDomain())
	}
}

func TestBadIDsAreRefusedBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, allRemoved("territories"))
	tests := []struct {
		name       string
		owner      string
		ids        []string
		arg, rule  string
		badIDInErr string
	}{
		{"no ids", "1", nil, "territoryIDs", "at least one id is required", ""},
		{"empty id", "1", []string{"2", ""}, "territoryIDs[1]", "must not be empty", `""`},
		{"letters", "1", []string{"2", "3", "12a"}, "territoryIDs[2]", "decimal digits only", `"12a"`},
		{"negative", "1", []string{"-5"}, "territoryIDs[0]", "decimal digits only", `"-5"`},
		{"spaces", "1", []string{" 5"}, "territoryIDs[0]", "decimal digits only", `" 5"`},
		{"comma inside", "1", []string{"5,6"}, "territoryIDs[0]", "decimal digits only", `"5,6"`},
		{"too long", "1", []string{"12345678901234567890"}, "territoryIDs[0]", "at most 19 digits", `"12345678901234567890"`},
		{"bad owner", "u1", []string{"5"}, "userID", "decimal digits only", `"u1"`},
		{"empty owner", "", []string{"5"}, "userID", "must not be empty", `""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := c.RemoveTerritoriesFromUser(t.Context(), tt.owner, tt.ids...)
			require.Error(t, err)
			assert.Nil(t, res)
			var idErr *InvalidIDError
			require.True(t, errors.As(err, &idErr), "error is an *InvalidIDError: %v", err)
			assert.Equal(t, tt.arg, idErr.Arg)
			assert.Contains(t, err.Error(), tt.arg)
			assert.Contains(t, err.Error(), tt.rule)
			assert.Contains(t, err.Error(), tt.badIDInErr)

			plan, err := c.PlanRemoveTerritoriesFromUser(tt.owner, tt.ids...)
			require.Error(t, err)
			assert.Nil(t, plan)
		})
	}
	_, err := c.RemoveUsersFromTerritory(t.Context(), "1", "x")
	require.ErrorContains(t, err, `userIDs[0] "x": must contain decimal digits only`)
	_, err = c.RemoveUsersFromTerritory(t.Context(), "t", "1")
	require.ErrorContains(t, err, `territoryID "t"`)
	assert.Empty(t, f.requests(), "no request was sent for bad input")
}

func TestSingleIDUsesSingleForm(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		call     func(c *Client) (*Result, error)
		wantPath string
		key      string
	}{
		{"territory from user", func(c *Client) (*Result, error) {
			return c.RemoveTerritoriesFromUser(t.Context(), "5725767000000583004", "5725767000002709047")
		}, "/crm/v7/Users/5725767000000583004/territories/5725767000002709047", "territories"},
		{"user from territory", func(c *Client) (*Result, error) {
			return c.RemoveUsersFromTerritory(t.Context(), "431581000000744113", "431581000000258001")
		}, "/crm/v7/settings/territories/431581000000744113/users/431581000000258001", "users"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, f, _ := setup(t, allRemoved(tt.key))
			res, err := tt.call(c)
			require.NoError(t, err)
			require.Len(t, f.requests(), 1)
			r := f.requests()[0]
			assert.Equal(t, http.MethodDelete, r.Method)
			assert.Equal(t, tt.wantPath, r.Path)
			assert.Equal(t, "", r.RawQuery)
			assert.Equal(t, "Zoho-oauthtoken test-token", r.Auth)
			assert.Contains(t, r.UserAgent, "zohoterritory-go")
			assert.True(t, res.AllRemoved())
			require.Len(t, res.Calls, 1)
			assert.Equal(t, http.StatusOK, res.Calls[0].Response.StatusCode, "the raw response stays reachable")
			assert.Contains(t, string(res.Calls[0].Body), "SUCCESS")
		})
	}
}

func TestBulkFormJoinsIDsWithCommas(t *testing.T) {
	t.Parallel()
	c, f, _ := setup(t, allRemoved("users"), WithAPIVersion("v2.1"))
	res, err := c.RemoveUsersFromTerritory(t.Context(), "431581000000744113", "1", "22", "333")
	require.NoError(t, err)
	reqs := f.requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/crm/v2.1/settings/territories/431581000000744113/users", reqs[0].Path)
	assert.Equal(t, "ids=1,22,333", reqs[0].RawQuery)
	assert.Equal(t, []string{"1", "22", "333"}, res.Removed())
	assert.Equal(t, "removeUsersFromTerritory", res.Calls[0].Operation)
}

func TestBatchesOf100InOrder(t *testing.T) {
	t.Parallel()
	var inFlight, maxInFlight, seen atomic.Int32
	// The first two batches wait for each other, so that two are in
	// flight at once; the third comes alone.
	var pair sync.WaitGroup
	pair.Add(2)
	h := func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		if seen.Add(1) <= 2 {
			pair.Done()
			pair.Wait()
		}
		ids := idsOf(r)
		// Answer in reverse order: the client must put results back in
		// input order.
		var items []any
		for i := len(ids) - 1; i >= 0; i-- {
			items = append(items, success(ids[i]))
		}
		writeJSON(w, http.StatusOK, map[string]any{"territories": items})
	}
	c, f, _ := setup(t, h, WithConcurrency(2))
	ids := numberedIDs(250)
	withDups := append(append([]string{}, ids...), ids[3], ids[200])
	var progress []Progress
	c.progress = func(p Progress) { progress = append(progress, p) }
	res, err := c.RemoveTerritoriesFromUser(t.Context(), "5725767000000583004", withDups...)
	require.NoError(t, err)

	reqs := f.requests()
	require.Len(t, reqs, 3, "250 ids make 3 calls; repeats are not sent again")
	var sent []string
	sizes := map[int]int{}
	for _, r := range reqs {
		q := strings.TrimPrefix(r.RawQuery, "ids=")
		part := strings.Split(q, ",")
		sizes[len(part)]++
		sent = append(sent, part...)
	}
	assert.Equal(t, map[int]int{100: 2, 50: 1}, sizes)
	assert.ElementsMatch(t, ids, sent)
	assert.Equal(t, ids, res.Removed(), "results in input order")
	assert.Equal(t, int32(2), maxInFlight.Load(), "two batches at once, no more")
	require.Len(t, res.Calls, 3)
	assert.Equal(t, ids[:100], res.Calls[0].IDs)
	assert.Equal(t, ids[200:], res.Calls[2].IDs)
	require.Len(t, progress, 3)
	assert.Equal(t, Progress{Done: 250, Total: 250}, progress[2])
}

func TestPlan(t *testing.T) {
	t.Parallel()
	c, err := New(WithAccessToken("a"), WithDataCenter(AU), WithAPIVersion("v8"), WithBatchSize(2))
	require.NoError(t, err)
	plan, err := c.PlanRemoveTerritoriesFromUser("9", "1", "2", "3", "1")
	require.NoError(t, err)
	assert.Equal(t, []PlannedCall{
		{Operation: "removeTerritoriesFromUser", Method: "DELETE", URL: "https://www.zohoapis.com.au/crm/v8/Users/9/territories?ids=1,2", IDs: []string{"1", "2"}},
		{Operation: "removeTerritoryFromUser", Method: "DELETE", URL: "https://www.zohoapis.com.au/crm/v8/Users/9/territories/3", IDs: []string{"3"}},
	}, plan)
	plan, err = c.PlanRemoveUsersFromTerritory("7", "5")
	require.NoError(t, err)
	assert.Equal(t, "https://www.zohoapis.com.au/crm/v8/settings/territories/7/users/5", plan[0].URL)
}

// TestBatchLimits: calls stay within both of Zoho's limits, the count of
// ids and the characters of the joined ids, in order, and the plan shows
// the calls that would be sent.
func TestBatchLimits(t *testing.T) {
	t.Parallel()
	long := make([]string, 300)
	for i := range long {
		long[i] = fmt.Sprintf("57257670000%08d", i) // 19 digits
	}
	tests := []struct {
		name   string
		op     Op
		ids    []string
		opts   []Option
		counts []int
	}{
		{"users: 500 characters", OpRemoveUsers, long, nil, slices.Repeat([]int{25}, 12)},
		{"territories: 100 ids", OpRemoveTerritories, long[:250], nil, []int{100, 100, 50}},
		{"short ids: 100 ids", OpRemoveUsers, numberedShort(250), nil, []int{100, 100, 50}},
		{"configured", OpRemoveUsers, long[:10], []Option{WithBatchLimits(OpRemoveUsers, BatchLimits{IDs: 4, Chars: 0})}, []int{4, 4, 2}},
		{"batch size", OpRemoveTerritories, long[:10], []Option{WithBatchSize(3)}, []int{3, 3, 3, 1}},
		{"chars only", OpRemoveTerritories, long[:10], []Option{WithBatchLimits(OpRemoveTerritories, BatchLimits{IDs: 100, Chars: 60})}, []int{3, 3, 3, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(tt.opts...)
			require.NoError(t, err)
			var plan []PlannedCall
			if tt.op == OpRemoveUsers {
				plan, err = c.PlanRemoveUsersFromTerritory("1", tt.ids...)
			} else {
				plan, err = c.PlanRemoveTerritoriesFromUser("1", tt.ids...)
			}
			require.NoError(t, err)
			var counts []int
			var all []string
			for _, p := range plan {
				counts = append(counts, len(p.IDs))
				all = append(all, p.IDs...)
				if len(p.IDs) > 1 {
					q, err := url.ParseQuery(p.URL[strings.Index(p.URL, "?")+1:])
					require.NoError(t, err)
					assert.Equal(t, strings.Join(p.IDs, ","), q.Get("ids"))
					limit := c.limits[tt.op]
					if limit.Chars > 0 {
						assert.LessOrEqual(t, len(q.Get("ids")), limit.Chars)
					}
				}
			}
			assert.Equal(t, tt.counts, counts)
			assert.Equal(t, tt.ids, all, "every id once, in order")
		})
	}
	_, err := New(WithBatchLimits(OpRemoveUsers, BatchLimits{IDs: 0}))
	assert.ErrorContains(t, err, `WithBatchLimits("remove-users"): IDs 0: must be between 1 and 100`)
	_, err = New(WithBatchLimits(OpRemoveUsers, BatchLimits{IDs: 5, Chars: 10}))
	assert.ErrorContains(t, err, "Chars 10: must be 0 (no cap) or at least 19")
	_, err = New(WithBatchLimits("add-all", BatchLimits{IDs: 5}))
	assert.ErrorContains(t, err, `WithBatchLimits("add-all"): unknown op`)
}

func numberedShort(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprint(i + 1)
	}
	return ids
}
