//go:build contract

package contractcheck

import (
	"sync"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// On reports whether this build checks: true, built with the tag
// `contract`.
const On = true

var shared = sync.OnceValues(func() (Checker, error) {
	v, err := contract.New()
	if err != nil {
		return nil, err
	}
	return v, nil
})

// New returns internal/contract's check of api/openapi.yaml, loaded once
// per process (it takes tens of milliseconds).
func New() (Checker, error) { return shared() }
