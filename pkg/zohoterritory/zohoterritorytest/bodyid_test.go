package zohoterritorytest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBodyID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     bodyID
	}{
		{"string", `"5725767000000411004"`, bodyID{raw: "5725767000000411004", present: true, ok: true}},
		{"number above 2^53, digit for digit", `5725767000000411004`, bodyID{raw: "5725767000000411004", present: true, ok: true}},
		{"19 nines", `9999999999999999999`, bodyID{raw: "9999999999999999999", present: true, ok: true}},
		{"string not digits: the id check answers it", `"abc"`, bodyID{raw: "abc", present: true, ok: true}},
		{"empty string", `""`, bodyID{present: true, ok: true}},
		{"20 digits", `99999999999999999999`, bodyID{present: true}},
		{"negative", `-5725767000000411004`, bodyID{present: true}},
		{"fraction", `5725767000000411004.0`, bodyID{present: true}},
		{"exponent", `5.725767e18`, bodyID{present: true}},
		{"object", `{"id":"1"}`, bodyID{present: true}},
		{"array", `["1"]`, bodyID{present: true}},
		{"boolean", `true`, bodyID{present: true}},
		{"null: as if absent", `null`, bodyID{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got bodyID
			assert.NoError(t, got.UnmarshalJSON([]byte(tt.in)), "never fails")
			assert.Equal(t, tt.want, got)
			if !tt.want.ok {
				assert.Empty(t, got.id(), "a value that is no id names no record")
			}
		})
	}
}
