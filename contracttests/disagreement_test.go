package contracttests

import (
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestValidatorDisagreements reports, by case name, every exchange on which
// exactly one validator rejects: the recorded cases (responses and
// requests) and the negative cases. Recorded cases must never disagree;
// the negative ones may only disagree as their table records, each with a
// comment saying why.
func TestValidatorDisagreements(t *testing.T) {
	t.Parallel()
	cases := loadCases(t)

	var got []string
	note := func(name string, caughtBy string, finding string) {
		got = append(got, name)
		t.Logf("DISAGREE %s: only %s rejects: %s", name, caughtBy, finding)
	}
	for _, c := range cases {
		vd, err := validator.Validate(c)
		require.NoError(t, err)
		if vd.Disagree() {
			note("response/"+c.Name, vd.CaughtBy(), describe(vd))
		}
		req, err := c.HTTPRequest()
		require.NoError(t, err)
		if vd := validator.ValidateRequest(req); vd.Disagree() {
			note("request/"+c.Name, vd.CaughtBy(), describe(vd))
		}
	}

	var want []string
	for _, nc := range negativeCases() {
		mutated := nc.mutate(t, caseByName(t, cases, nc.base))
		vd := verdictOf(t, nc, mutated)
		if vd.Disagree() {
			note("negative/"+nc.name, vd.CaughtBy(), describe(vd))
		}
		if nc.caughtBy == byKin || nc.caughtBy == byLib {
			want = append(want, "negative/"+nc.name)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	assert.Equal(t, want, got, "disagreements between kin-openapi and libopenapi-validator changed")
	t.Logf("%d disagreement(s) over %d recorded and %d negative cases", len(got), len(cases), len(negativeCases()))
}
