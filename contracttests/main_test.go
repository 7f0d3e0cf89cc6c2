package contracttests

import (
	"fmt"
	"os"
	"testing"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// validator is shared by every test of the binary. It is written once, in
// TestMain before any test runs, and only read afterwards; contract.Validator
// is documented as safe for concurrent use, so parallel tests (and -race)
// also check that promise.
var validator *contract.Validator

func TestMain(m *testing.M) {
	v, err := contract.New()
	if err != nil {
		fmt.Fprintf(os.Stderr, "contracttests: load api/openapi.yaml: %v\n", err)
		os.Exit(1)
	}
	validator = v
	os.Exit(m.Run())
}
