//go:build tools

// Package tools pins the versions of the Go programs this module runs
// (code generation, OpenAPI breaking-change checks, benchmark comparison,
// vulnerability scanning)
// through go.mod, so that `go run` uses the same version on every
// machine.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
	_ "github.com/oasdiff/oasdiff"
	_ "golang.org/x/perf/cmd/benchstat"
	_ "golang.org/x/vuln/cmd/govulncheck"
)
