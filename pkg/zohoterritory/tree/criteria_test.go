package tree

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestCriteriaEqual: criteria compare as whole JSON values: key order,
// spacing and the spelling of numbers do not count, types do.
func TestCriteriaEqual(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{`{"a":1,"b":[1,2]}`, `{ "b": [1, 2], "a": 1 }`, true},
		{`{"value":100}`, `{"value":100.0}`, true},
		{`{"value":1e2}`, `{"value":100}`, true},
		{`{"value":"100"}`, `{"value":100}`, false},
		{`{"value":12345678901234567890123}`, `{"value":12345678901234567890124}`, false},
		{`{"b":[1,2]}`, `{"b":[2,1]}`, false},
		{`null`, ``, true},
		{`{}`, ``, false},
		{`{"a":true}`, `{"a":"true"}`, false},
		{`not json`, `not json`, true},
		{`not json`, `{}`, false},
	} {
		a := Criteria{Leads: json.RawMessage(tc.a)}
		b := Criteria{Leads: json.RawMessage(tc.b)}
		assert.Equal(t, tc.same, a.Equal(b), "%s vs %s", tc.a, tc.b)
		assert.Equal(t, tc.same, len(a.Changed(b)) == 0, "%s vs %s", tc.a, tc.b)
	}
	c := Criteria{Accounts: json.RawMessage(`{"a":1}`), Deals: json.RawMessage(`null`)}
	assert.Equal(t, []string{"accounts", "leads"}, c.Changed(Criteria{Leads: json.RawMessage(`{}`)}))
	assert.False(t, c.IsZero())
	assert.True(t, Criteria{Deals: json.RawMessage(" null ")}.IsZero())
	assert.Nil(t, c.normalized().Deals)
}
