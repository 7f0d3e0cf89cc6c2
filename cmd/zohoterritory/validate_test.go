package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValidateContractCases(t *testing.T) {
	t.Parallel()
	out := runBinary(t, nil, "", "validate", "../../contracttests/testdata")
	require.Equal(t, 0, out.code, out.stdout+out.stderr)
	lines := strings.Split(strings.TrimSpace(out.stdout), "\n")
	require.Greater(t, len(lines), 30)
	for _, l := range lines[:len(lines)-1] {
		assert.Regexp(t, `^PASS \S+ ((?:remove|list|get)\w+) \d{3} response: kin-openapi=pass libopenapi-validator=pass$`, l)
	}
	assert.Regexp(t, `^\d+ passed, 0 failed$`, lines[len(lines)-1])
}

func TestValidateHAR(t *testing.T) {
	t.Parallel()
	out := runBinary(t, nil, "", "validate", "--requests", "testdata/traffic.har")
	require.Equal(t, 0, out.code, out.stdout+out.stderr)
	assert.Equal(t, "PASS traffic.har#1 removeTerritoriesFromUser 200 response: kin-openapi=pass libopenapi-validator=pass request: kin-openapi=pass libopenapi-validator=pass\n"+
		"PASS traffic.har#2 removeUserFromTerritory 400 response: kin-openapi=pass libopenapi-validator=pass request: kin-openapi=pass libopenapi-validator=pass\n"+
		"2 passed, 0 failed\n", out.stdout)

	out = runBinary(t, nil, "", "validate", "--requests", "testdata/bad.har")
	assert.Equal(t, 2, out.code)
	assert.Contains(t, out.stdout, "FAIL bad.har#1 removeTerritoriesFromUser 200 response: kin-openapi=fail libopenapi-validator=fail")
	assert.Contains(t, out.stdout, "FAIL bad.har#2 removeTerritoriesFromUser 418 response: kin-openapi=fail libopenapi-validator=fail request: kin-openapi=fail")
	assert.Contains(t, out.stdout, "0 passed, 2 failed")
	assert.Contains(t, out.stderr, "2 of 2 exchanges break the contract")
}

func TestValidateBadInput(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"validate"}, "no files given"},
		{[]string{"validate", "testdata/missing.har"}, "missing.har"},
		{[]string{"validate", "main.go"}, "not JSON"},
		{[]string{"validate", "testdata/dry_run_table.golden"}, "not JSON"},
	} {
		out := runBinary(t, nil, "", tt.args...)
		assert.Equal(t, 1, out.code, tt.args)
		assert.Contains(t, out.stderr, tt.want)
	}
}
