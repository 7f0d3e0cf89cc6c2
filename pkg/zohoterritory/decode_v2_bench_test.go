//go:build goexperiment.jsonv2

package zohoterritory

import (
	jsonv2 "encoding/json/v2"
	"testing"
)

func benchDecodeV2(b *testing.B, body []byte) {
	b.Run("json=v2", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var env struct {
				Items *[]wireItem `json:"territories"`
			}
			if err := jsonv2.Unmarshal(body, &env); err != nil || env.Items == nil || len(*env.Items) != 100 {
				b.Fatal(err)
			}
		}
	})
}
