//go:build !goexperiment.jsonv2

package zohoterritory

import "testing"

// benchDecodeV2 needs GOEXPERIMENT=jsonv2.
func benchDecodeV2(*testing.B, []byte) {}
