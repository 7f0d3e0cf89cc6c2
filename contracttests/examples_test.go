package contracttests

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
)

// TestSpecExamples validates every named example as a response body under
// every (operation, status) that references it, with both validators:
// libopenapi-validator's ValidateDocument does not check examples, and
// kin-openapi's document validation checks them against the schema but not
// under each status of each operation.
func TestSpecExamples(t *testing.T) {
	t.Parallel()
	doc := validator.Doc()
	uses, err := testkit.Examples()
	require.NoError(t, err)
	require.NotEmpty(t, uses)

	used := map[string]bool{}
	for _, u := range uses {
		if u.Name == "" {
			continue // a response without a body
		}
		used[u.Name] = true
		t.Run(u.Name+"/"+u.Operation+"/"+strconv.Itoa(u.Status), func(t *testing.T) {
			t.Parallel()
			body, err := json.Marshal(u.Value)
			require.NoError(t, err)
			req := sampleRequest(t, u.Operation, "https://www.zohoapis.com"+samplePaths[u.Operation], nil)
			require.Equal(t, u.Method, req.Method)
			vd := validator.ValidateResponse(req, contract.Response{
				StatusCode: u.Status,
				Header:     http.Header{"Content-Type": {"application/json"}},
				Body:       body,
			})
			assert.Equal(t, u.Operation, vd.Operation)
			assert.Truef(t, vd.OK(), "example %s as %s %d: %s", u.Name, u.Operation, u.Status, describe(vd))
		})
	}

	// An example no response uses is checked by nobody; say so.
	var unused []string
	for name := range doc.Components.Examples {
		if !used[name] {
			unused = append(unused, name)
		}
	}
	sort.Strings(unused)
	assert.Empty(t, unused, "components/examples that no response references")
}
