//go:build !contract

package contractcheck

import "net/http"

// On reports whether this build checks: false, built without the tag
// `contract`.
const On = false

// New returns a check that accepts every request and response: this build
// has no validator (build with -tags contract for the real check).
func New() (Checker, error) { return accepting{}, nil }

type accepting struct{}

func (accepting) CheckRequest(*http.Request) error { return nil }

func (accepting) CheckResponse(*http.Request, int, http.Header, []byte) error { return nil }
