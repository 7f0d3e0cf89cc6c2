// Package tools pins the Go tools whose dependencies would otherwise weigh
// on the main module's graph (golangci-lint and its linters): they are
// tool directives of this separate module, run from the repository root
// with `go tool -modfile=tools/go.mod golangci-lint`.
package tools
