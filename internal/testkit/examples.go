// Package testkit holds what the module's tests share: the walk over
// api/openapi.yaml's response examples, and a buffer a test reads while a
// command writes it. It is imported by tests only.
package testkit

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/seed-ab9c0d28/zohoterritory/api"
)

// Example is one use of a response example of api/openapi.yaml: the body of
// an operation's answer with a status.
type Example struct {
	// Name is the example's name under components/examples, or its key
	// when it is written inline; "" for a response that shows no JSON
	// example (a 204, whose answer has no body), listed once.
	Name      string
	Operation string
	Method    string // upper case, such as DELETE
	Path      string // the path template, such as /crm/{version}/Users/{user_id}/territories
	Status    int
	// Value is the example's value as encoding/json decodes it (numbers
	// are float64), as a client reading the answer would see it.
	Value any
}

type specDoc struct {
	Paths      map[string]map[string]specOp `yaml:"paths"`
	Components struct {
		Responses map[string]specResponse `yaml:"responses"`
		Examples  map[string]specExample  `yaml:"examples"`
	} `yaml:"components"`
}

type specOp struct {
	OperationID string                  `yaml:"operationId"`
	Responses   map[string]specResponse `yaml:"responses"`
}

type specResponse struct {
	Ref     string `yaml:"$ref"`
	Content map[string]struct {
		Examples map[string]specExample `yaml:"examples"`
	} `yaml:"content"`
}

type specExample struct {
	Ref   string `yaml:"$ref"`
	Value any    `yaml:"value"`
}

// Examples returns every application/json response example of
// api/openapi.yaml, once for each operation and status that shows it, and
// one entry without a name for each response that shows none, sorted by
// name, operation and status. Twins (api.CanonicalOperationID) are left
// out: their responses are their canonical operation's.
func Examples() ([]Example, error) {
	return ExamplesOf(api.OpenAPI())
}

// ExamplesOf is [Examples] for another copy of the document.
func ExamplesOf(spec []byte) ([]Example, error) {
	var doc specDoc
	if err := yaml.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("testkit: parse spec: %w", err)
	}
	var out []Example
	for path, item := range doc.Paths {
		for method, op := range item {
			if op.OperationID == "" {
				continue // parameters or another non-operation key
			}
			if _, twin := api.CanonicalOperationID(op.OperationID); twin {
				continue // the same responses, by $ref, as its canonical operation
			}
			for code, resp := range op.Responses {
				status, err := strconv.Atoi(code)
				if err != nil {
					return nil, fmt.Errorf("testkit: %s: response %q is not a status", op.OperationID, code)
				}
				if name, ok := strings.CutPrefix(resp.Ref, "#/components/responses/"); ok {
					r, found := doc.Components.Responses[name]
					if !found {
						return nil, fmt.Errorf("testkit: %s %d: no response %s", op.OperationID, status, name)
					}
					resp = r
				}
				examples := resp.Content["application/json"].Examples
				if len(examples) == 0 {
					out = append(out, Example{Operation: op.OperationID, Method: strings.ToUpper(method), Path: path, Status: status})
				}
				for key, ex := range examples {
					name := key
					if ref, ok := strings.CutPrefix(ex.Ref, "#/components/examples/"); ok {
						named, found := doc.Components.Examples[ref]
						if !found {
							return nil, fmt.Errorf("testkit: %s %d: no example %s", op.OperationID, status, ref)
						}
						name, ex = ref, named
					}
					value, err := asJSON(ex.Value)
					if err != nil {
						return nil, fmt.Errorf("testkit: example %s: %w", name, err)
					}
					out = append(out, Example{Name: name, Operation: op.OperationID, Method: strings.ToUpper(method),
						Path: path, Status: status, Value: value})
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		return a.Status < b.Status
	})
	return out, nil
}

// Strings returns the string values of key in every object within v, in a
// depth-first walk: the codes or messages of an example, say.
func Strings(v any, key string) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v[key].(string); ok {
				out = append(out, s)
			}
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(v[k])
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// asJSON turns a YAML-decoded value into what encoding/json makes of it.
func asJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	err = json.Unmarshal(b, &out)
	return out, err
}
