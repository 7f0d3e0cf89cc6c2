// Package api holds the OpenAPI document of the Zoho CRM territory-membership
// endpoints, the single source of truth for the generated client, the
// sandbox and the contract tests.
package api

import (
	_ "embed"
	"strings"
)

//go:embed openapi.yaml
var openapiYAML []byte

// OpenAPI returns a copy of the OpenAPI 3.0 document (api/openapi.yaml) as
// YAML bytes. Each call returns a fresh copy, so callers may modify it.
func OpenAPI() []byte {
	return append([]byte(nil), openapiYAML...)
}

// Twin suffixes: every operation on a user is described twice, once under
// each spelling of its `users` path segment, because Zoho's documentation
// writes `Users` for some of these paths and `users` for others while its
// SDKs send `users` for all of them, and OpenAPI tools match paths exactly.
// The twin carries the operationId of its canonical operation followed by
// the segment as the twin's path spells it.
const (
	// TwinSuffixLower ends the operationId of a twin under `/users/`, such as
	// removeTerritoryFromUser_users.
	TwinSuffixLower = "_users"
	// TwinSuffixUpper ends the operationId of a twin under `/Users/`, such as
	// listUsers_Users.
	TwinSuffixUpper = "_Users"
)

// CanonicalOperationID returns the operation an operationId of the document
// names: the id itself, or for a twin the canonical operation it repeats,
// with twin true. It reads the naming rule only; the contract suite checks
// that every twin has its canonical operation and the same definitions.
func CanonicalOperationID(id string) (canonical string, twin bool) {
	for _, suffix := range []string{TwinSuffixLower, TwinSuffixUpper} {
		if c, ok := strings.CutSuffix(id, suffix); ok && c != "" {
			return c, true
		}
	}
	return id, false
}
