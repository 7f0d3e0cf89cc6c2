package tree

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// TestWriteMemberships: the org's memberships as the membership file
// reads them back: a row per member, territories by path, users as the
// tree file writes them; a path or an address a spreadsheet would run as
// a formula, or a path through a name with "/", is written by its id.
func TestWriteMemberships(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, WriteMemberships(&b, acme()))
	assert.Equal(t, "territory,user\n"+
		"Acme Org,ava@acme.com\nAcme Org,ben@acme.com\nAcme Org,Chloe@acme.com\nAcme Org,dev@acme.com\nAcme Org,eve@acme.com\nAcme Org,"+uGus+"\n"+
		"Europe,ava@acme.com\n"+
		"North America,ben@acme.com\nNorth America,Chloe@acme.com\nNorth America,dev@acme.com\n"+
		"North America/East Coast,"+uGus+"\nNorth America/East Coast,"+uHal1+"\n"+
		"North America/West Coast,Chloe@acme.com\nNorth America/West Coast,dev@acme.com\nNorth America/West Coast,eve@acme.com\n", b.String())
	rows, err := zohoterritory.ReadMemberships(&b, "memberships.csv")
	require.NoError(t, err)
	assert.Len(t, rows, 15)

	org := acme()
	org.Territories[1].Name = "-North America" // West and East Coast under it
	org.Territories[4].Name = "Europe/EMEA"    // Key Accounts under it
	org.Users[1].Email = "+ben@acme.com"
	org.Members[tKey] = []string{uDev}
	b.Reset()
	require.NoError(t, WriteMemberships(&b, org))
	assert.Contains(t, b.String(), "\nAcme Org,"+uBen+"\n")
	assert.Contains(t, b.String(), "\n"+tNA+",Chloe@acme.com\n")
	assert.Contains(t, b.String(), "\n"+tEast+","+uGus+"\n")
	assert.Contains(t, b.String(), "\n"+tEU+",ava@acme.com\n")
	assert.Contains(t, b.String(), "\n"+tKey+",dev@acme.com\n")
	assert.NotContains(t, b.String(), "North America")

	org.Territories[0].ParentID = tKey
	assert.Error(t, WriteMemberships(&b, org), "not one tree")
}
