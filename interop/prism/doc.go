// Package prism holds tests that run the Go client against Stoplight Prism
// (npm @stoplight/prism-cli, pinned in interop/package.json), a mock server
// and validating proxy built from api/openapi.yaml by people who do not work
// on this project:
//
//   - TestMockExamples asks `prism mock` for every named example of every
//     documented status of every operation and checks what the client makes
//     of it;
//   - TestProxy (memberships) and TestProxyTerritories (territory changes)
//     send the client's calls through `prism proxy --errors` to the
//     sandbox and fail on any request or response Prism finds in breach
//     of the spec.
//
// Both are skipped unless ZOHO_PRISM_MOCK_URL or ZOHO_PRISM_PROXY_URL says
// where Prism listens, so `go test ./...` needs no Node; interop/prism.sh
// starts Prism and the sandbox and runs them.
package prism
