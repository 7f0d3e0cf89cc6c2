package zohoterritory

import (
	"encoding/json"
	"fmt"
	"testing"
)

// envelopeOf100 is a 100-item answer of a bulk removal, as Zoho sends it.
func envelopeOf100(b *testing.B) []byte {
	b.Helper()
	items := make([]map[string]any, 100)
	for i := range items {
		items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"id": fmt.Sprintf("57257670000%08d", i)},
			"message": "Territory removed from the user successfully", "status": "success"}
	}
	body, err := json.Marshal(map[string]any{"territories": items})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// BenchmarkDecodeEnvelope measures the client's decoding of one 100-item
// answer (decodeEnvelope, encoding/json). With GOEXPERIMENT=jsonv2 the
// same decode through encoding/json/v2 runs beside it
// (decode_v2_bench_test.go), the measurement behind CONTRIBUTING.md's choice.
func BenchmarkDecodeEnvelope(b *testing.B) {
	body := envelopeOf100(b)
	b.Run("json=v1", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			items, found, err := decodeEnvelope(body, "territories")
			if err != nil || !found || len(items) != 100 {
				b.Fatal(err)
			}
		}
	})
	benchDecodeV2(b, body)
}
