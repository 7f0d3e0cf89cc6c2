package contracttests

import (
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	yaml "go.yaml.in/yaml/v3"

	"github.com/seed-ab9c0d28/zohoterritory/api"
	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// specOp is one operation of the spec with its path and method.
type specOp struct {
	path, method string
	op           *openapi3.Operation
}

// specOperations returns every operation of the spec by operationId.
func specOperations(t *testing.T) map[string]specOp {
	t.Helper()
	ops := map[string]specOp{}
	for path, item := range validator.Doc().Paths.Map() {
		for method, op := range item.Operations() {
			require.NotContainsf(t, ops, op.OperationID, "operationId %s twice", op.OperationID)
			ops[op.OperationID] = specOp{path: path, method: method, op: op}
		}
	}
	return ops
}

// usersSpelling returns the spelling of the `users` segment that follows
// `/crm/{version}/` in a path template, or "" for a path on no user.
func usersSpelling(path string) string {
	rest, ok := strings.CutPrefix(path, "/crm/{version}/")
	if !ok {
		return ""
	}
	seg, _, _ := strings.Cut(rest, "/")
	if seg == "users" || seg == "Users" {
		return seg
	}
	return ""
}

// swapSpelling spells the `users` segment of a path template the other way.
func swapSpelling(path string) string {
	switch usersSpelling(path) {
	case "users":
		return strings.Replace(path, "/crm/{version}/users", "/crm/{version}/Users", 1)
	case "Users":
		return strings.Replace(path, "/crm/{version}/Users", "/crm/{version}/users", 1)
	}
	return path
}

// twinIDs returns the operationIds of the spec's twins, sorted.
func twinIDs(t *testing.T) []string {
	t.Helper()
	var ids []string
	for id := range specOperations(t) {
		if _, twin := api.CanonicalOperationID(id); twin {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// refsOfParams lists the $refs of parameters (every parameter of the spec
// is a component).
func refsOfParams(params openapi3.Parameters) []string {
	out := make([]string, 0, len(params))
	for _, p := range params {
		out = append(out, p.Ref)
	}
	return out
}

// refsOfResponses maps each status to its response's $ref.
func refsOfResponses(r *openapi3.Responses) map[string]string {
	out := map[string]string{}
	for code, ref := range r.Map() {
		out[code] = ref.Ref
	}
	return out
}

// TestTwins: every operation on a user is described under both spellings
// of `users`; the twin is named after its canonical operation with the
// twin's spelling, lives at the canonical path with the other spelling, and
// shares every definition by $ref (parameters, request body, responses),
// with the same scopes, tags and externalDocs; nothing else is a twin.
func TestTwins(t *testing.T) {
	t.Parallel()
	ops := specOperations(t)
	canonicals := 0
	for id, so := range ops {
		canonical, twin := api.CanonicalOperationID(id)
		spelling := usersSpelling(so.path)
		if twin {
			require.Containsf(t, ops, canonical, "twin %s has no operation %s", id, canonical)
			assert.Truef(t, strings.HasSuffix(id, "_"+spelling), "twin %s at %s: its suffix must be the path's spelling %q", id, so.path, spelling)
			c := ops[canonical]
			assert.Equal(t, swapSpelling(c.path), so.path, id)
			assert.Equal(t, c.method, so.method, id)
			assert.Equal(t, refsOfParams(c.op.Parameters), refsOfParams(so.op.Parameters), "%s: parameters", id)
			assert.Equal(t, refsOfResponses(c.op.Responses), refsOfResponses(so.op.Responses), "%s: responses", id)
			assert.Equal(t, c.op.Security, so.op.Security, "%s: security", id)
			assert.Equal(t, c.op.Tags, so.op.Tags, "%s: tags", id)
			assert.Equal(t, c.op.ExternalDocs, so.op.ExternalDocs, "%s: externalDocs", id)
			if c.op.RequestBody != nil || so.op.RequestBody != nil {
				require.NotNil(t, c.op.RequestBody, id)
				require.NotNil(t, so.op.RequestBody, id)
				assert.Equal(t, c.op.RequestBody.Ref, so.op.RequestBody.Ref, "%s: requestBody", id)
			}
			assert.Containsf(t, so.op.Description, "`"+canonical+"`", "%s: the description names its operation", id)
			continue
		}
		canonicals++
		if spelling == "" {
			continue
		}
		other := "users"
		if spelling == "users" {
			other = "Users"
		}
		twinID := id + "_" + other
		if assert.Containsf(t, ops, twinID, "%s %s %s has no twin under %q", id, strings.ToUpper(so.method), so.path, other) {
			assert.Equal(t, swapSpelling(so.path), ops[twinID].path, twinID)
		}
	}
	assert.Equal(t, len(operations), canonicals, "the canonical operations are the suite's operations")
	assert.Len(t, twinIDs(t), 7, "five operations under /Users/ and two under /users have a twin each")
}

// TestTwinsLeftOutOfGeneration: gen/zohoapi/config.yaml excludes exactly
// the twins, so that the generated client has one method per operation,
// named after the canonical operationId, and none for a twin.
func TestTwinsLeftOutOfGeneration(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../gen/zohoapi/config.yaml")
	require.NoError(t, err)
	var cfg struct {
		OutputOptions struct {
			ExcludeOperationIDs []string `yaml:"exclude-operation-ids"`
		} `yaml:"output-options"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &cfg))
	excluded := slices.Clone(cfg.OutputOptions.ExcludeOperationIDs)
	sort.Strings(excluded)
	assert.Equal(t, twinIDs(t), excluded, "exclude-operation-ids must list the spec's twins")

	client := reflect.TypeOf(&zohoapi.Client{})
	goName := func(id string) string { return strings.ToUpper(id[:1]) + strings.ReplaceAll(id[1:], "_", "") }
	for _, op := range operations {
		_, ok := client.MethodByName(goName(op))
		assert.Truef(t, ok, "the generated client has no method %s", goName(op))
	}
	for _, id := range excluded {
		_, ok := client.MethodByName(goName(id))
		assert.Falsef(t, ok, "the generated client has a method %s for the twin %s", goName(id), id)
	}
}
