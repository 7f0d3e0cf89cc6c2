package tree

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// The fixture's ids: territories 4520xx, users 4110xx.
const (
	tRoot  = "5725767000000452001"
	tNA    = "5725767000000452002"
	tWest  = "5725767000000452003"
	tEast  = "5725767000000452004"
	tEU    = "5725767000000452005"
	tKey   = "5725767000000452006"
	uAva   = "5725767000000411001"
	uBen   = "5725767000000411002"
	uChloe = "5725767000000411003"
	uDev   = "5725767000000411004"
	uEve   = "5725767000000411005" // inactive
	uFay   = "5725767000000411006" // deleted
	uGus   = "5725767000000411007" // no e-mail address
	uHal1  = "5725767000000411008" // shares an e-mail address with uHal2
	uHal2  = "5725767000000411009"
)

var t0 = time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)

var westRules = json.RawMessage(`{"group_operator":"AND","group":[{"field":{"api_name":"Billing_State","id":"5725767000000002001"},"comparator":"in","value":["CA","OR","WA"]},{"field":{"api_name":"Annual_Revenue","id":"5725767000000002002"},"comparator":"greater_than","value":100000}]}`)

// acme returns a small org: the root Acme Org; North America (West Coast,
// East Coast under it); Europe (Key Accounts under it).
func acme() *Org {
	return &Org{
		APIDomain: "https://www.zohoapis.eu", APIVersion: "v7",
		Territories: []Territory{
			{ID: tRoot, Name: "Acme Org", ManagerID: uAva, Permission: PermissionReadWriteDelete},
			{ID: tNA, Name: "North America", ParentID: tRoot, ManagerID: uBen, Permission: PermissionReadWriteDelete, Description: "Sales in the US and Canada"},
			{ID: tWest, Name: "West Coast", ParentID: tNA, ManagerID: uChloe, Permission: PermissionReadOnly, Criteria: Criteria{Accounts: westRules}},
			{ID: tEast, Name: "East Coast", ParentID: tNA, Permission: PermissionReadOnly},
			{ID: tEU, Name: "Europe", ParentID: tRoot, ManagerID: uAva, Permission: PermissionReadWriteDelete},
			{ID: tKey, Name: "Key Accounts", ParentID: tEU, Permission: PermissionReadOnly, Description: "The ten largest"},
		},
		Users: []zohoterritory.User{
			{ID: uAva, Email: "ava@acme.com", FullName: "Ava", Status: "active"},
			{ID: uBen, Email: "ben@acme.com", FullName: "Ben", Status: "active"},
			{ID: uChloe, Email: "Chloe@acme.com", FullName: "Chloe", Status: "active"},
			{ID: uDev, Email: "dev@acme.com", FullName: "Dev", Status: "active"},
			{ID: uEve, Email: "eve@acme.com", FullName: "Eve", Status: "inactive"},
			{ID: uFay, Email: "fay@acme.com", FullName: "Fay", Status: "deleted"},
			{ID: uGus, FullName: "Gus", Status: "active"},
			{ID: uHal1, Email: "hal@acme.com", FullName: "Hal One", Status: "active"},
			{ID: uHal2, Email: "HAL@acme.com", FullName: "Hal Two", Status: "active"},
		},
		Members: map[string][]string{
			tRoot: {uAva, uBen, uChloe, uDev, uEve, uGus},
			tNA:   {uBen, uChloe, uDev},
			tWest: {uChloe, uDev, uEve},
			tEast: {uGus, uHal1},
			tEU:   {uAva},
		},
	}
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o750))
		require.NoError(t, os.WriteFile(path, got, 0o600))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to write %s", path)
	assert.Equal(t, string(want), string(got), "%s differs: run go test -update to accept the change", path)
}

// write returns the file as written.
func write(t *testing.T, f *File) []byte {
	t.Helper()
	var b bytes.Buffer
	_, err := f.WriteTo(&b)
	require.NoError(t, err)
	return b.Bytes()
}

// read reads a tree file given as text.
func read(t *testing.T, text string) *File {
	t.Helper()
	f, err := ReadFile(strings.NewReader(text), "tree.yaml")
	require.NoError(t, err)
	return f
}

// exported returns the fixture's export as text.
func exported(t *testing.T, org *Org) string {
	t.Helper()
	f, err := Export(org, Meta{APIDomain: org.APIDomain, APIVersion: org.APIVersion, Exported: t0})
	require.NoError(t, err)
	return string(write(t, f))
}

// problemsOf returns the lines of a *ProblemsError.
func problemsOf(t *testing.T, err error) []string {
	t.Helper()
	var pe *ProblemsError
	require.ErrorAs(t, err, &pe)
	lines := make([]string, len(pe.Problems))
	for i, p := range pe.Problems {
		lines[i] = p.String()
	}
	return lines
}

// edit returns the fixture's export with each old text replaced by new.
func edit(t *testing.T, org *Org, pairs ...string) *File {
	t.Helper()
	text := exported(t, org)
	for i := 0; i+1 < len(pairs); i += 2 {
		require.Contains(t, text, pairs[i])
		text = strings.Replace(text, pairs[i], pairs[i+1], 1)
	}
	return read(t, text)
}
