// Package contracttests is the contract suite of zohoterritory. It holds
// recorded exchanges with Zoho CRM's territory-membership endpoints
// (testdata/*.json, one internal/contract.Case each) and tests that check
// them, mutated copies of them, the spec's own examples and the generated
// client's requests against api/openapi.yaml with both validators of
// internal/contract (kin-openapi and libopenapi-validator).
//
// The package has no code outside its tests. Run it with
//
//	go test -race ./contracttests/...
//
// and against a real Zoho organisation with ZOHO_LIVE=1 and the variables
// listed at the top of live_test.go.
package contracttests
