package zohoterritory

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWireID(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in, want string
		ok       bool
	}{
		{`"5725767000000411004"`, "5725767000000411004", true},
		{`5725767000000411004`, "5725767000000411004", true}, // above 2^53: the digits as written
		{`9999999999999999999`, "9999999999999999999", true},
		{`null`, "", true},
		{`""`, "", true},
		{`-1`, "", false},
		{`1.5`, "", false},
		{`5.7e18`, "", false},
		{`true`, "", false},
		{`{"id":"1"}`, "", false},
	} {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			var v struct {
				ID wireID `json:"id"`
			}
			err := json.Unmarshal([]byte(`{"id":`+tt.in+`}`), &v)
			if !tt.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, wireID(tt.want), v.ID)
		})
	}
}
