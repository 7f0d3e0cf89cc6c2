package prism

import (
	"context"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// Slice 3 of interop/seed.yaml, the sandbox's org under interop/prism.sh
// (slice 2 is the CLI's): M manages P, whose members are X and Y; Q has
// member X; Z belongs to R, S, T and the default territory.
const (
	caller           = "4876543000000100001"
	inactiveUser     = "4876543000000100002"
	orgTerritory     = "4876543000000500001"
	unknownTerritory = "4876543000000599999"

	userM, userX, userY, userZ = "4876543000000300001", "4876543000000300002", "4876543000000300003", "4876543000000300004"
	terrP, terrQ, terrR, terrS = "4876543000000530001", "4876543000000530002", "4876543000000530003", "4876543000000530004"
	terrT                      = "4876543000000530005"
)

// TestProxy sends the client's calls, all four removals with successes,
// per-id failures and request-level errors, and then the three adds that
// put the memberships back, through `prism proxy --errors` to the sandbox,
// and checks both that Prism found nothing wrong with any request or
// response and that each answer was read right. The steps depend on each
// other: each removal or add changes the sandbox's state, and the next step
// sees it.
func TestProxy(t *testing.T) {
	base := os.Getenv("ZOHO_PRISM_PROXY_URL")
	if base == "" {
		t.Skip("ZOHO_PRISM_PROXY_URL is not set: interop/prism.sh runs this test through `prism proxy`")
	}
	token := os.Getenv("ZOHO_ACCESS_TOKEN")
	require.NotEmpty(t, token, "ZOHO_ACCESS_TOKEN: the sandbox's access token")

	tr := &prismTransport{}
	client := func(version string) *zohoterritory.Client {
		c, err := zohoterritory.New(
			zohoterritory.WithAPIDomain(base),
			zohoterritory.WithAccessToken(token),
			zohoterritory.WithAPIVersion(version),
			zohoterritory.WithHTTPClient(&http.Client{Transport: tr}),
			zohoterritory.WithRetryPolicy(noRetries()),
		)
		require.NoError(t, err)
		return c
	}
	v7, v8 := client("v7"), client("v8")

	type want struct {
		status    int
		removed   []string
		failed    map[string]zohoterritory.Reason
		errorCode string // a request-level error's code
	}
	steps := []struct {
		name  string
		c     *zohoterritory.Client
		call  func(c *zohoterritory.Client, t *testing.T, owner string, ids []string) (*zohoterritory.Result, error)
		owner string
		ids   []string
		want  want
	}{
		{"remove users, partly", v7, removeUsers, terrP, []string{userX, userY, userM},
			want{status: 207, removed: []string{userX, userY}, failed: map[string]zohoterritory.Reason{userM: zohoterritory.ReasonManager}}},
		{"remove users, none is a member any more", v7, removeUsers, terrP, []string{userX, userY},
			want{status: 400, failed: map[string]zohoterritory.Reason{userX: zohoterritory.ReasonNotMember, userY: zohoterritory.ReasonNotMember}}},
		{"remove one user", v7, removeUsers, terrQ, []string{userX},
			want{status: 200, removed: []string{userX}}},
		{"remove one user, not a member any more", v7, removeUsers, terrQ, []string{userX},
			want{status: 400, failed: map[string]zohoterritory.Reason{userX: zohoterritory.ReasonNotMember}}},
		{"remove users from an unknown territory", v7, removeUsers, unknownTerritory, []string{userX, userY},
			want{status: 400, errorCode: "INVALID_DATA"}},
		{"remove territories, partly", v8, removeTerritories, userZ, []string{terrR, terrS, orgTerritory},
			want{status: 207, removed: []string{terrR, terrS}, failed: map[string]zohoterritory.Reason{orgTerritory: zohoterritory.ReasonDefaultTerritory}}},
		{"remove one territory", v8, removeTerritories, userZ, []string{terrT},
			want{status: 200, removed: []string{terrT}}},
		{"remove territories, none linked any more", v8, removeTerritories, userZ, []string{terrR, terrS, terrT},
			want{status: 400, failed: map[string]zohoterritory.Reason{terrR: zohoterritory.ReasonNotMember, terrS: zohoterritory.ReasonNotMember, terrT: zohoterritory.ReasonNotMember}}},
		{"remove the caller's own territory", v8, removeTerritories, caller, []string{orgTerritory},
			want{status: 400, errorCode: "NOT_ALLOWED"}},
		{"remove territories from an inactive user", v7, removeTerritories, inactiveUser, []string{terrR, orgTerritory},
			want{status: 400, errorCode: "INVALID_DATA"}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			res, err := s.call(s.c, t, s.owner, s.ids)
			assert.Empty(t, tr.take(), "Prism reported violations")
			require.NotNil(t, res)
			require.Len(t, res.Calls, 1)
			require.NotNil(t, res.Calls[0].Response, "no answer: %v", err)
			assert.Equal(t, s.want.status, res.Calls[0].Response.StatusCode)
			if s.want.errorCode != "" {
				var apiErr *zohoterritory.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, s.want.errorCode, apiErr.Code)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, s.want.removed, res.Removed())
			failed := map[string]zohoterritory.Reason{}
			for _, f := range res.Failed() {
				failed[f.ID] = f.Reason
			}
			if len(s.want.failed) == 0 {
				assert.Empty(t, failed)
			} else {
				assert.Equal(t, s.want.failed, failed)
			}
			assert.Empty(t, res.Unknown())
			assert.Empty(t, res.Unmatched)
		})
	}

	// The adds give back what the steps above took, with the generated
	// client (pkg/zohoterritory has no add methods yet).
	gc := genClient(t, base, token, tr)
	adds := []struct {
		name       string
		call       addCall
		wantStatus int
		wantCodes  []string // the codes of the items, or of the error object
	}{
		{"add users back, the manager a member already", func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
			return c.AddUsersToTerritory(ctx, zohoapi.V7, terrP, zohoapi.UsersToAdd{Users: recordRefs(userX, userY, userM)})
		}, 207, []string{"SUCCESS", "SUCCESS", "DUPLICATE_DATA"}},
		{"add one user back", func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
			return c.AddUserToTerritory(ctx, zohoapi.V8, terrQ, userX)
		}, 200, []string{"SUCCESS"}},
		{"add one user again", func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
			return c.AddUserToTerritory(ctx, zohoapi.V8, terrQ, userX)
		}, 400, []string{"DUPLICATE_DATA"}},
		{"add territories back", func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
			return c.AddTerritoriesToUser(ctx, zohoapi.V8, userZ, zohoapi.TerritoriesToAdd{Territories: recordRefs(terrR, terrS, terrT, orgTerritory)})
		}, 207, []string{"SUCCESS", "SUCCESS", "SUCCESS", "DUPLICATE_DATA"}},
		{"add territories to the caller", func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
			return c.AddTerritoriesToUser(ctx, zohoapi.V8, caller, zohoapi.TerritoriesToAdd{Territories: recordRefs(terrR)})
		}, 403, []string{"NOT_ALLOWED"}},
		{"add users to an unknown territory", func(ctx context.Context, c *zohoapi.Client) (*http.Response, error) {
			return c.AddUsersToTerritory(ctx, zohoapi.V7, unknownTerritory, zohoapi.UsersToAdd{Users: recordRefs(userX)})
		}, 400, []string{"INVALID_DATA"}},
	}
	for _, a := range adds {
		t.Run(a.name, func(t *testing.T) {
			status, body := sendAdd(t, gc, a.call)
			assert.Empty(t, tr.take(), "Prism reported violations")
			assert.Equal(t, a.wantStatus, status, "%v", body)
			m, _ := body.(map[string]any)
			var codes []string
			if code, ok := m["code"].(string); ok {
				codes = []string{code}
			}
			for _, key := range []string{"users", "territories"} {
				items, _ := m[key].([]any)
				for _, it := range items {
					code, _ := it.(map[string]any)["code"].(string)
					codes = append(codes, code)
				}
			}
			assert.Equal(t, a.wantCodes, codes)
		})
	}
	users, err := v7.UsersOfTerritory(t.Context(), terrP)
	require.NoError(t, err)
	var ids []string
	for _, u := range users {
		ids = append(ids, u.ID)
	}
	assert.ElementsMatch(t, []string{userM, userX, userY}, ids, "P holds its members again")
	assert.Empty(t, tr.take(), "Prism reported violations")
}
