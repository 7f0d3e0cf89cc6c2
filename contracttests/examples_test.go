package contracttests

import (
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// exampleUse is one place a named example is shown: as the body of
// operation's response with status.
type exampleUse struct {
	example   string // name under components/examples
	operation string
	status    int
	value     any
}

// exampleName is the components/examples name an example reference points
// to, or key when it is inline.
func exampleName(key string, ref *openapi3.ExampleRef) string {
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/examples/"); ok {
		return name
	}
	return key
}

// exampleUses walks every operation's responses for application/json
// examples.
func exampleUses(t *testing.T, doc *openapi3.T) []exampleUse {
	t.Helper()
	var uses []exampleUse
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for code, resp := range op.Responses.Map() {
				status, err := strconv.Atoi(code)
				require.NoErrorf(t, err, "%s: response %q is not a status code", op.OperationID, code)
				require.NotNil(t, resp.Value)
				mt := resp.Value.Content.Get("application/json")
				if mt == nil {
					continue
				}
				for key, ex := range mt.Examples {
					require.NotNilf(t, ex.Value, "%s %d: example %s", op.OperationID, status, key)
					uses = append(uses, exampleUse{
						example:   exampleName(key, ex),
						operation: op.OperationID,
						status:    status,
						value:     ex.Value.Value,
					})
				}
			}
		}
	}
	sort.Slice(uses, func(i, j int) bool {
		a, b := uses[i], uses[j]
		if a.example != b.example {
			return a.example < b.example
		}
		if a.operation != b.operation {
			return a.operation < b.operation
		}
		return a.status < b.status
	})
	return uses
}

// TestSpecExamples validates every named example as a response body under
// every (operation, status) that references it, with both validators:
// libopenapi-validator's ValidateDocument does not check examples, and
// kin-openapi's document validation checks them against the schema but not
// under each status of each operation.
func TestSpecExamples(t *testing.T) {
	t.Parallel()
	doc := validator.Doc()
	uses := exampleUses(t, doc)
	require.NotEmpty(t, uses)

	used := map[string]bool{}
	for _, u := range uses {
		used[u.example] = true
		t.Run(u.example+"/"+u.operation+"/"+strconv.Itoa(u.status), func(t *testing.T) {
			t.Parallel()
			body, err := json.Marshal(u.value)
			require.NoError(t, err)
			req, err := contract.ParseURL(opMethod(u.operation), "https://www.zohoapis.com"+samplePaths[u.operation], nil)
			require.NoError(t, err)
			vd := validator.ValidateResponse(req, contract.Response{
				StatusCode: u.status,
				Header:     http.Header{"Content-Type": {"application/json"}},
				Body:       body,
			})
			assert.Equal(t, u.operation, vd.Operation)
			assert.Truef(t, vd.OK(), "example %s as %s %d: %s", u.example, u.operation, u.status, describe(vd))
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
