// Package contractcheck is the contract check that the tests of the
// client, the CLI and the sandbox give the sandbox
// (zohoterritorytest.WithContractCheck), chosen when the tests are built:
//
//   - with the build tag `contract` (make contract, which make check and CI
//     run), it is internal/contract's two validators of api/openapi.yaml:
//     every request those tests send the sandbox and every answer is
//     checked, and a test that asserts no violation means it;
//   - without it (make test, a plain go test), it accepts everything, so
//     that those three test binaries neither compile nor link the
//     validators: they are built and run while the validators compile for
//     the tests that need them (internal/contract, internal/record,
//     internal/proxy, contracttests and the contract command), and
//     fuzzing them does not instrument the validators.
//
// A test that needs the real check whatever the tags (one that expects a
// violation) belongs in contracttests, which always links it.
package contractcheck

import "net/http"

// Checker checks a request or a response against the contract: the
// sandbox's zohoterritorytest.ContractChecker. It is safe for concurrent
// use.
type Checker interface {
	// CheckRequest checks a request as the server received it, leaving
	// its body readable.
	CheckRequest(r *http.Request) error
	// CheckResponse checks the response the server sent to r.
	CheckResponse(r *http.Request, status int, header http.Header, body []byte) error
}
