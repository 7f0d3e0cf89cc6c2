package contracttests

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// Zoho's own examples, copied as published from the public repository
// zoho/crm-oas (v8.0/territory_users/territory_users.yaml and
// v8.0/users_territories/users_territories.yaml, every example of the
// operations api/openapi.yaml describes; for the adds, the example files
// under v8.0/*/operations/associate*/examples, the request bodies from
// their request.md; for the directory reads, every example of getUsers and
// getSingleUser in v8.0/users/users.yaml and of getTerritories and
// getTerritoryById in v8.0/territories/territories.yaml, e51 to e64; for
// the territories' lifecycle, every example of
// v8.0/territories/mds/examples/<operation>.md for createTerritories,
// updateTerritories, updateTerritoryById, deleteTerritories,
// deleteTerritoryById, transferAndDeleteTerritories,
// transferAndDeleteTerritoryById, getChildTerritoriesByParentId and
// getTerritoryAssociatedUsersCount, with the file's request example as the
// body, e65 to e126; for the organization, the example of getOrganization
// in v8.0/org/org.yaml, e127), one case file each. If Zoho's published
// shapes and ours part, a test fails here.
const (
	zohoOASDir     = "testdata/zoho-oas"
	zohoOASDefects = "testdata/zoho-oas-defects"
)

// TestZohoOASExamples: every example Zoho publishes for our operations
// passes both validators, routed to the operation Zoho's file names.
func TestZohoOASExamples(t *testing.T) {
	t.Parallel()
	cases, err := contract.ReadCases(zohoOASDir)
	require.NoError(t, err)
	require.Len(t, cases, 117, "every example of crm-oas's operations in api/openapi.yaml but the three defects")
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			assert.True(t, strings.HasPrefix(c.Source, "zoho/crm-oas v8.0/"), "the source names where it was copied from")
			vd, err := validator.Validate(c)
			require.NoError(t, err)
			assert.True(t, vd.OK(), "%s: %s", c.Name, describe(vd))
			assert.Equal(t, expectedOperation(t, c.Request.Method, c.Request.URL), vd.Operation)
			if len(c.Request.Body) > 0 {
				// Zoho's request examples of the adds fit the spec too.
				req, err := c.HTTPRequest()
				require.NoError(t, err)
				vd := validator.ValidateRequest(req)
				assert.True(t, vd.OK(), "%s: request: %s", c.Name, describe(vd))
			}
		})
	}
}

// TestZohoOASDefects: the examples that wrap the envelope's items in a
// second array ({"users":[[...]]}) are Zoho's file's defect, not the wire
// format (the documentation pages and SDKs send a flat array); both
// validators refuse them, and each case says why.
func TestZohoOASDefects(t *testing.T) {
	t.Parallel()
	cases, err := contract.ReadCases(zohoOASDefects)
	require.NoError(t, err)
	require.Len(t, cases, 3)
	for _, c := range cases {
		assert.Contains(t, c.Description, "defect", c.Name)
		vd, err := validator.Validate(c)
		require.NoError(t, err)
		assert.Equal(t, "both", vd.CaughtBy(), "%s: %s", c.Name, describe(vd))
	}
	paths, err := filepath.Glob(filepath.Join(zohoOASDefects, "*.json"))
	require.NoError(t, err)
	assert.Len(t, paths, len(cases))
}
