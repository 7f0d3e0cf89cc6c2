// Package api holds the OpenAPI document of the Zoho CRM territory-membership
// endpoints, the single source of truth for the generated client, the
// sandbox and the contract tests.
package api

import _ "embed"

//go:embed openapi.yaml
var openapiYAML []byte

// OpenAPI returns a copy of the OpenAPI 3.0 document (api/openapi.yaml) as
// YAML bytes. Each call returns a fresh copy, so callers may modify it.
func OpenAPI() []byte {
	return append([]byte(nil), openapiYAML...)
}
