package zohoterritory_test

import (
	"fmt"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contractcheck"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// validator returns the sandbox's check of api/openapi.yaml: the two
// validators when the tests are built with -tags contract (make contract, in
// CI), a check that accepts everything otherwise (internal/contractcheck).
func validator(t *testing.T) zohoterritorytest.ContractChecker {
	t.Helper()
	c, err := contractcheck.New()
	require.NoError(t, err)
	return c
}

// bigOrg is a seed with one user in 250 territories and one territory
// with 250 members.
func bigOrg(n int) (zohoterritorytest.Seed, string, []string, string, []string) {
	const caller, rep, org, big = "100", "200", "300", "400"
	seed := zohoterritorytest.Seed{
		Users: []zohoterritorytest.User{{ID: caller, FullName: "Caller"}, {ID: rep, FullName: "Rep"}},
		Territories: []zohoterritorytest.Territory{
			{ID: org, Name: "Org", ManagerID: caller, Members: []string{caller, rep}},
			{ID: big, Name: "Big", ManagerID: caller, ReportingTo: org},
		},
		DefaultTerritoryID: org,
		CallerID:           caller,
	}
	var terrs, users []string
	for i := range n {
		tid, uid := fmt.Sprintf("5%06d", i), fmt.Sprintf("6%06d", i)
		terrs = append(terrs, tid)
		users = append(users, uid)
		seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: tid, Name: "T" + tid, ManagerID: caller, ReportingTo: org, Members: []string{rep}})
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: uid, FullName: "U" + uid})
		seed.Territories[1].Members = append(seed.Territories[1].Members, uid)
	}
	return seed, rep, terrs, big, users
}

// TestAgainstSandbox runs the client against the sandbox with its contract
// check on: every request the client sends and every answer must match
// api/openapi.yaml, and the org's state must change as reported.
func TestAgainstSandbox(t *testing.T) {
	t.Parallel()
	seed, rep, terrs, big, users := bigOrg(250)
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithContractCheck(validator(t)))
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	for _, version := range []string{"v2", "v2.1", "v7", "v8"} {
		c, err := srv.Client(zohoterritory.WithAPIVersion(version), zohoterritory.WithConcurrency(3))
		require.NoError(t, err)
		_, err = c.RemoveTerritoriesFromUser(t.Context(), rep, "999")
		require.ErrorIs(t, err, zohoterritory.ErrInvalidData, version)
	}

	c, err := srv.Client(zohoterritory.WithConcurrency(3))
	require.NoError(t, err)
	res, err := c.RemoveTerritoriesFromUser(t.Context(), rep, terrs...)
	require.NoError(t, err)
	assert.Equal(t, terrs, res.Removed())
	assert.Len(t, res.Calls, 3)
	assert.Equal(t, []string{"300"}, srv.TerritoriesOf(rep), "only the default territory is left")

	// Again: every territory is now "not linked", reported as failures.
	res, err = c.RemoveTerritoriesFromUser(t.Context(), rep, terrs[:5]...)
	require.NoError(t, err)
	for _, it := range res.Items {
		assert.Equal(t, zohoterritory.Failed, it.Outcome)
		assert.Equal(t, zohoterritory.ReasonNotMember, it.Reason)
	}
	res, err = c.RemoveTerritoriesFromUser(t.Context(), rep, "300")
	require.NoError(t, err)
	assert.Equal(t, zohoterritory.ReasonDefaultTerritory, res.Items[0].Reason)

	res, err = c.RemoveUsersFromTerritory(t.Context(), big, append(users, "100")...)
	require.NoError(t, err)
	assert.Equal(t, users, res.Removed())
	assert.Equal(t, zohoterritory.ReasonManager, res.Failed()[0].Reason)
	assert.Equal(t, []string{"100"}, srv.Members(big))

	_, err = c.RemoveTerritoriesFromUser(t.Context(), "100", "400")
	require.ErrorIs(t, err, zohoterritory.ErrNotAllowed, "the caller cannot change their own territories")

	assert.Empty(t, srv.Violations(), "the sandbox's answers match the spec")
	assert.Empty(t, srv.RequestViolations(), "the client's requests match the spec")
}

// TestRefreshAgainstSandbox uses the refresh-token flow against the
// sandbox's token endpoint: 200 concurrent calls whose token has expired
// make exactly one refresh call between them.
func TestRefreshAgainstSandbox(t *testing.T) {
	t.Parallel()
	const callers = 200
	seed, rep, terrs, _, _ := bigOrg(callers + 1)
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithContractCheck(validator(t)))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	oc := srv.OAuthClient()
	c, err := zohoterritory.New(
		zohoterritory.WithRefreshToken(oc.ClientID, oc.ClientSecret, oc.RefreshToken),
		zohoterritory.WithAccountsURL(srv.URL()),
	)
	require.NoError(t, err)

	res, err := c.RemoveTerritoriesFromUser(t.Context(), rep, terrs[0])
	require.NoError(t, err)
	assert.True(t, res.AllRemoved())
	assert.Equal(t, srv.URL(), c.APIDomain(), "the token reply's api_domain is used")
	require.Equal(t, 1, srv.RefreshCount())
	require.Equal(t, 1, tokenCalls(srv))

	srv.ExpireAccessTokens()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, id := range terrs[1:] {
		wg.Go(func() {
			<-start
			res, err := c.RemoveTerritoriesFromUser(t.Context(), rep, id)
			if assert.NoError(t, err) {
				assert.True(t, res.AllRemoved(), id)
			}
		})
	}
	close(start)
	wg.Wait()
	assert.Equal(t, 2, tokenCalls(srv), "%d callers with an expired token make one refresh call", callers)
	assert.Equal(t, 2, srv.RefreshCount())
	assert.Equal(t, []string{"300"}, srv.TerritoriesOf(rep))
	assert.Empty(t, srv.Violations())
}

// TestFailedRefreshUnderConcurrency: 200 concurrent calls whose refresh is
// refused each get an *AuthError that names the accounts server and the
// OAuth error, never a secret, and nothing reaches the API.
func TestFailedRefreshUnderConcurrency(t *testing.T) {
	t.Parallel()
	const callers = 200
	seed, rep, terrs, _, _ := bigOrg(callers)
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	oc := srv.OAuthClient()
	const wrongSecret = "wrong-secret-0b9f4e"
	c, err := zohoterritory.New(
		zohoterritory.WithRefreshToken(oc.ClientID, wrongSecret, oc.RefreshToken),
		zohoterritory.WithAccountsURL(srv.URL()),
	)
	require.NoError(t, err)
	secrets := []zohoterritorytest.Secret{{Name: "client secret", Value: wrongSecret}, {Name: "refresh token", Value: oc.RefreshToken}}

	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, id := range terrs {
		wg.Go(func() {
			<-start
			res, err := c.RemoveTerritoriesFromUser(t.Context(), rep, id)
			var authErr *zohoterritory.AuthError
			if assert.ErrorAs(t, err, &authErr) {
				assert.Equal(t, srv.URL(), authErr.AccountsURL)
				assert.Equal(t, "invalid_client", authErr.Code)
				assert.Contains(t, err.Error(), "refresh access token at "+srv.URL()+": invalid_client")
			}
			assert.Empty(t, zohoterritorytest.FindSecrets(fmt.Sprintf("%v %+v %#v", err, err, res), secrets...))
			if assert.NotNil(t, res) && assert.Len(t, res.Items, 1) {
				assert.Equal(t, zohoterritory.ReasonNotSent, res.Items[0].Reason)
			}
		})
	}
	close(start)
	wg.Wait()
	assert.Positive(t, tokenCalls(srv))
	assert.Equal(t, tokenCalls(srv), len(srv.Requests()), "nothing reached the API")
	assert.Len(t, srv.TerritoriesOf(rep), callers+1)
}

// tokenCalls counts the requests the sandbox's token endpoint answered.
func tokenCalls(srv *zohoterritorytest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Path == "/oauth/v2/token" {
			n++
		}
	}
	return n
}

// TestZohosLimitsAgainstTheSandbox: removing 300 users of 19-digit ids
// sends no `ids` longer than 500 characters, and 250 territories still
// take 3 calls; the sandbox, which enforces both caps, accepts every call.
func TestZohosLimitsAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	seed, _, terrs, big, users := bigOrg(300)
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithContractCheck(validator(t)))
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	c, err := srv.Client(zohoterritory.WithConcurrency(2))
	require.NoError(t, err)
	res, err := c.RemoveUsersFromTerritory(t.Context(), big, users...)
	require.NoError(t, err)
	assert.Len(t, res.Removed(), 300)
	for _, r := range srv.Requests() {
		q, err := url.ParseQuery(r.RawQuery)
		require.NoError(t, err)
		assert.LessOrEqual(t, len(q.Get("ids")), 500, "a users call's ids")
	}
	before := len(srv.Requests())
	res, err = c.RemoveTerritoriesFromUser(t.Context(), "200", terrs[:250]...)
	require.NoError(t, err)
	assert.Len(t, res.Removed(), 250)
	assert.Len(t, res.Calls, 3)
	assert.Len(t, srv.Requests(), before+3)
	assert.Empty(t, srv.Violations())
	assert.Empty(t, srv.RequestViolations())
}

// TestBadIDsNeverBlockTheGoodOnes: 3 unknown territories among 100 are
// refused alone and the other 97 removed, in both of Zoho's answer forms:
// an item naming each (its OpenAPI example), and one request-level error
// for the whole call (its documentation), which the client splits.
func TestBadIDsNeverBlockTheGoodOnes(t *testing.T) {
	t.Parallel()
	for _, form := range []string{"per item", "request level"} {
		t.Run(form, func(t *testing.T) {
			t.Parallel()
			seed, rep, terrs, _, _ := bigOrg(97)
			opts := []zohoterritorytest.Option{zohoterritorytest.WithSeed(seed), zohoterritorytest.WithContractCheck(validator(t))}
			if form == "request level" {
				opts = append(opts, zohoterritorytest.WithRequestLevelInvalidIDs())
			}
			srv, err := zohoterritorytest.NewServer(opts...)
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			c, err := srv.Client()
			require.NoError(t, err)
			ids := slices.Concat(terrs[:10], []string{"9000001"}, terrs[10:50], []string{"9000002"}, terrs[50:], []string{"9000003"})
			require.Len(t, ids, 100)
			res, _ := c.RemoveTerritoriesFromUser(t.Context(), rep, ids...)
			assert.ElementsMatch(t, terrs, res.Removed())
			var bad []string
			for _, it := range res.Failed() {
				assert.Equal(t, zohoterritory.ReasonInvalidID, it.Reason, it.ID)
				bad = append(bad, it.ID)
			}
			assert.Equal(t, []string{"9000001", "9000002", "9000003"}, bad)
			if form == "per item" {
				assert.Zero(t, res.Splits, "the items name the bad ids")
			} else {
				assert.Positive(t, res.Splits)
				assert.LessOrEqual(t, res.Splits, 40, "about 2·k·log2(n)")
			}
			assert.Equal(t, []string{"300"}, srv.TerritoriesOf(rep), "only the default territory is left")
			assert.Empty(t, srv.Violations())
		})
	}
}

// TestAdaptiveConcurrencyAgainstTheSandbox: the default client against a
// sandbox that enforces a concurrency limit. Under a limit of 1 every id is
// accounted for (removed, and gone from the org, or reported not removed
// and still there), even with retries off; with the default policy all are
// removed and each call was accepted exactly once. The cap is never
// exceeded, as the server itself counted.
func TestAdaptiveConcurrencyAgainstTheSandbox(t *testing.T) {
	t.Parallel()
	noRetries := zohoterritory.DefaultRetryPolicy()
	noRetries.MaxAttempts = 1
	tests := []struct {
		name        string
		serverLimit int
		opts        []zohoterritory.Option
		wantAll     bool
		cap         int
	}{
		{"limit 1, retries off", 1, []zohoterritory.Option{zohoterritory.WithRetryPolicy(noRetries)}, false, zohoterritory.DefaultConcurrencyCap},
		{"limit 1", 1, nil, true, zohoterritory.DefaultConcurrencyCap},
		{"limit 3", 3, nil, true, zohoterritory.DefaultConcurrencyCap},
		{"no limit, cap 6", 0, []zohoterritory.Option{zohoterritory.WithConcurrencyCap(6)}, true, 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			seed, rep, terrs, _, _ := bigOrg(2000)
			opts := []zohoterritorytest.Option{zohoterritorytest.WithSeed(seed)}
			if tt.serverLimit > 0 {
				opts = append(opts, zohoterritorytest.WithConcurrencyLimit(tt.serverLimit))
			}
			srv, err := zohoterritorytest.NewServer(opts...)
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			c, err := srv.Client(tt.opts...)
			require.NoError(t, err)

			res, err := c.RemoveTerritoriesFromUser(t.Context(), rep, terrs...)
			if tt.wantAll {
				require.NoError(t, err)
			}
			require.Len(t, res.Items, len(terrs), "one result per id")
			left := map[string]bool{}
			for _, id := range srv.TerritoriesOf(rep) {
				left[id] = true
			}
			for i, it := range res.Items {
				require.Equal(t, terrs[i], it.ID)
				assert.NotEqual(t, zohoterritory.Unknown, it.Outcome, "a 429 did nothing, so nothing is unknown: %s", it.ID)
				assert.Equal(t, it.Outcome != zohoterritory.Removed, left[it.ID], "%s reported %v", it.ID, it.Outcome)
			}
			if tt.wantAll {
				assert.True(t, res.AllRemoved(), "%v", res)
			}

			st, cs := srv.Stats(), c.Concurrency()
			assert.True(t, cs.Adaptive)
			assert.LessOrEqual(t, st.PeakInFlight, tt.cap, "the server never saw more than the cap")
			assert.LessOrEqual(t, cs.Peak, tt.cap)
			assert.Equal(t, st.Refused, cs.TooManyRequests, "every 429 the server sent was seen")
			if tt.serverLimit > 0 {
				assert.LessOrEqual(t, st.PeakInFlight, tt.serverLimit)
			}
			if tt.wantAll {
				assert.Equal(t, len(res.Calls), st.Calls-st.Refused, "each call accepted exactly once")
			}
		})
	}
}
