package zohoterritory

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigID is above 2^53: read through a float64 it would come back as
// 5725767000000411000.
const bigID = "5725767000000411004"

func TestWireIDUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		want     wireID
		errPart  string // "" when it must read
	}{
		{name: "string", in: `"` + bigID + `"`, want: bigID},
		{name: "number", in: bigID, want: bigID},
		{name: "19 nines", in: "9999999999999999999", want: "9999999999999999999"},
		{name: "zero", in: "0", want: "0"},
		{name: "null", in: "null", want: ""},
		{name: "empty string", in: `""`, want: ""},
		// A string is kept as it is: checking it is the reader's job.
		{name: "string not digits", in: `"abc"`, want: "abc"},
		{name: "escaped string", in: `"57\u0032"`, want: "572"},
		{name: "negative", in: "-5", errPart: "without sign"},
		{name: "fraction", in: "5725767000000411004.0", errPart: "fraction"},
		{name: "exponent", in: "5.725767e18", errPart: "exponent"},
		{name: "exponent without point", in: "5725767e12", errPart: "exponent"},
		{name: "object", in: `{"id":"1"}`, errPart: "an object"},
		{name: "array", in: `["1"]`, errPart: "an array"},
		{name: "boolean", in: "true", errPart: "a boolean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got struct {
				ID wireID `json:"id"`
			}
			err := json.Unmarshal([]byte(`{"id":`+tt.in+`}`), &got)
			if tt.errPart != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.errPart)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.ID)
		})
	}
}

// TestWireIDMissingKey: a missing key leaves the id empty, as a string
// field would.
func TestWireIDMissingKey(t *testing.T) {
	t.Parallel()
	var got struct {
		ID wireID `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(`{}`), &got))
	assert.Equal(t, wireID(""), got.ID)
}

// TestDecodersReadNumericIDs: every decoder of ids in answers reads an id
// sent as a JSON number digit for digit, above 2^53 included.
func TestDecodersReadNumericIDs(t *testing.T) {
	t.Parallel()
	const manager, parent, role = "5725767000000411001", "5725767000000452001", "5725767000000031155"

	items, found, err := decodeEnvelope([]byte(`{"territories":[{"code":"SUCCESS","details":{"id":`+bigID+`},"message":"m","status":"success"}]}`), "territories")
	require.NoError(t, err)
	require.True(t, found)
	require.Len(t, items, 1)
	assert.Equal(t, wireID(bigID), items[0].Details.ID)
	assert.Equal(t, bigID, decodeItem(0, items[0], "territories", []string{bigID}, false).id)

	terr, id, err := decodeTerritory(json.RawMessage(`{"id":` + bigID + `,"Name":"West","Manager":{"id":` + manager + `,"Name":"Ben"},"Reporting_To":{"id":` + parent + `,"Name":"Org"}}`))
	require.NoError(t, err)
	assert.Equal(t, bigID, id)
	assert.Equal(t, bigID, terr.ID)
	assert.Equal(t, &Ref{ID: manager, Name: "Ben"}, terr.Manager)
	assert.Equal(t, &Ref{ID: parent, Name: "Org"}, terr.ReportingTo)

	user, id, err := decodeUser(json.RawMessage(`{"id":` + bigID + `,"full_name":"Dev","role":{"id":` + role + `,"name":"Rep"}}`))
	require.NoError(t, err)
	assert.Equal(t, bigID, id)
	assert.Equal(t, bigID, user.ID)
	assert.Equal(t, &Ref{ID: role, Name: "Rep"}, user.Role)

	// A number that cannot be an id fails the decode, naming the rule.
	_, _, err = decodeTerritory(json.RawMessage(`{"id":5.7e18,"Name":"West"}`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "without sign, fraction or exponent")
}
