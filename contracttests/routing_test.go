package contracttests

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

// okBodies are valid 200 bodies for each operation.
var okBodies = map[string]string{
	opGetOrganization:           `{"org":[{"id":"5725767000000020005","company_name":"Zylker","primary_email":"patricia@zylker.com","time_zone":"America/Los_Angeles","currency":"US Dollar - USD","iso_code":"USD","type":"production","zgid":"808232144","license_details":{"paid":true,"paid_type":"enterprise","users_license_purchased":10}}]}`,
	opListUsers:                 `{"users":[{"id":"5725767000000411001","full_name":"Patricia Boyle","email":"patricia@zylker.com","status":"active"},{"id":"5725767000000411003","email":"chloe@zylker.com","status":"inactive"}],"info":{"per_page":200,"count":2,"page":1,"more_records":false}}`,
	opGetUser:                   `{"users":[{"id":"5725767000000411001","full_name":"Patricia Boyle","email":"patricia@zylker.com","status":"active"}]}`,
	opListTerritories:           `{"territories":[{"id":"5725767000000452001","name":"Zylker","manager":{"id":"5725767000000411001","name":"Patricia Boyle"},"reporting_to":null},{"id":"5725767000002709047","name":"West Coast","manager":null,"reporting_to":{"id":"5725767000000452001","name":"Zylker"}}],"info":{"per_page":200,"count":2,"page":1,"more_records":false}}`,
	opGetTerritory:              `{"territories":[{"id":"5725767000002709047","name":"West Coast","manager":null,"reporting_to":{"id":"5725767000000452001","name":"Zylker"}}]}`,
	opListUsersOfTerritory:      `{"users":[{"id":"431581000000258001","full_name":"Patricia Boyle","email":"patricia@zylker.com","status":"active"}],"info":{"per_page":200,"count":1,"page":1,"more_records":false}}`,
	opGetUserOfTerritory:        `{"users":[{"id":"431581000000258001","full_name":"Patricia Boyle","email":"patricia@zylker.com","status":"active"}]}`,
	opListTerritoriesOfUser:     `{"territories":[{"id":"5725767000002709047","Name":"West Coast","Manager":{"id":"5725767000000583010","name":"Patricia Boyle"},"Reporting_To":null}],"info":{"per_page":200,"count":1,"page":1,"more_records":false}}`,
	opGetTerritoryOfUser:        `{"territories":[{"id":"5725767000002709047","Name":"West Coast","Manager":null,"Reporting_To":{"id":"5725767000000452115","Name":"North America"}}]}`,
	opRemoveUserFromTerritory:   `{"users":[{"code":"SUCCESS","details":{"id":"431581000000258001"},"message":"Given User Removed from the mentioned territory Successfully","status":"success"}]}`,
	opRemoveUsersFromTerritory:  `{"users":[{"code":"SUCCESS","details":{"id":"431581000000258001"},"message":"Given User Removed from the mentioned territory Successfully","status":"success"},{"code":"SUCCESS","details":{"id":"431581000000258002"},"message":"Given User Removed from the mentioned territory Successfully","status":"success"}]}`,
	opRemoveTerritoryFromUser:   `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000002709047"},"message":"Territory removed from the user successfully","status":"success"}]}`,
	opRemoveTerritoriesFromUser: `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000000452115"},"message":"Territory removed from the user successfully","status":"success"},{"code":"SUCCESS","details":{"id":"5725767000000454003"},"message":"Territory removed from the user successfully","status":"success"}]}`,
	opAddUserToTerritory:        `{"users":[{"code":"SUCCESS","details":{"id":"431581000000258001"},"message":"Given User added to the mentioned territory Successfully","status":"success"}]}`,
	opAddUsersToTerritory:       `{"users":[{"code":"SUCCESS","details":{"id":"431581000000258001"},"message":"Given User added to the mentioned territory Successfully","status":"success"},{"code":"SUCCESS","details":{"id":"431581000000258002"},"message":"Given User added to the mentioned territory Successfully","status":"success"}]}`,
	opAddTerritoriesToUser:      `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000000452115"},"message":"Territory associated to the user successfully","status":"success"}]}`,

	opCreateTerritories:            `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000002712001"},"message":"Territory Created Successfully","status":"success"}]}`,
	opUpdateTerritories:            `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000002709047"},"message":"Territory Updated Successfully","status":"success"}]}`,
	opUpdateTerritory:              `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000002709047"},"message":"Territory Updated Successfully","status":"success"}]}`,
	opGetChildTerritories:          `{"territories":[{"id":"5725767000002709047","name":"West Coast","manager":null,"reporting_to":{"id":"5725767000000452002","name":"North America"},"permission_type":"read_write_delete"}],"info":{"per_page":200,"count":1,"page":1,"more_records":false}}`,
	opGetAssociatedUsersCount:      `{"associated_users_count":[{"count":3,"territory":{"id":"5725767000000452002","name":"North America"}}],"info":{"per_page":2000,"count":1,"page":1,"more_records":false}}`,
	opTransferAndDeleteTerritories: `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000000452002"},"message":"Territory Transferred And Deleted Successfully","status":"success"}]}`,
	opTransferAndDeleteTerritory:   `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000000452002"},"message":"Territory Transferred And Deleted Successfully","status":"success"}]}`,
	opDeleteTerritories:            `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000002712001"},"message":"Given Territory Removed Successfully","status":"success"},{"code":"SUCCESS","details":{"id":"5725767000002712002"},"message":"Given Territory Removed Successfully","status":"success"}]}`,
	opDeleteTerritory:              `{"territories":[{"code":"SUCCESS","details":{"id":"5725767000002712001"},"message":"Given Territory Removed Successfully","status":"success"}]}`,
}

// okStatus is the status of each operation's okBodies: 201 for a create,
// 200 for the others.
func okStatus(op string) int {
	if op == opCreateTerritories {
		return http.StatusCreated
	}
	return http.StatusOK
}

// usersSegment is the `users` segment of a path on a user, in either
// spelling, with what comes before it.
var usersSegment = regexp.MustCompile(`^(/crm/[^/]+/)([Uu])sers(/|\?|$)`)

// otherSpelling spells the `users` segment of a path on a user the other
// way (`Users` for `users` and back); other paths come back unchanged.
func otherSpelling(path string) string {
	return usersSegment.ReplaceAllStringFunc(path, func(m string) string {
		sub := usersSegment.FindStringSubmatch(m)
		letter := "u"
		if sub[2] == "u" {
			letter = "U"
		}
		return sub[1] + letter + "sers" + sub[3]
	})
}

// checkRoute validates a request (with op's method) and a success response on
// base+path and checks the routing and the ListedServer flag of both
// verdicts.
func checkRoute(t *testing.T, base, path, op string, listed bool) {
	t.Helper()
	req := sampleRequest(t, op, base+path, http.Header{"Authorization": {"Zoho-oauthtoken test"}})

	vd := validator.ValidateRequest(req)
	assert.Equalf(t, op, vd.Operation, "request %s", req.URL)
	assert.Equalf(t, listed, vd.ListedServer, "request %s: ListedServer", req.URL)
	assert.Truef(t, vd.OK(), "request %s: %s", req.URL, describe(vd))

	vd = validator.ValidateResponse(req, contract.Response{
		StatusCode: okStatus(op),
		Header:     http.Header{"Content-Type": {"application/json;charset=UTF-8"}},
		Body:       []byte(okBodies[op]),
	})
	assert.Equalf(t, op, vd.Operation, "response to %s", req.URL)
	assert.Equalf(t, listed, vd.ListedServer, "response to %s: ListedServer", req.URL)
	assert.Truef(t, vd.OK(), "response to %s: %s", req.URL, describe(vd))
}

// TestRoutingListedServers routes every operation on every server of the
// spec (server variables at their defaults) to its operationId, with both
// spellings of `users` in the paths on a user (the spec's twins).
func TestRoutingListedServers(t *testing.T) {
	t.Parallel()
	servers := validator.Doc().Servers
	require.NotEmpty(t, servers)
	var sawMultiPartTLD, sawSandbox bool
	for _, s := range servers {
		base := s.URL
		for name, sv := range s.Variables {
			base = strings.ReplaceAll(base, "{"+name+"}", sv.Default)
		}
		require.NotContainsf(t, base, "{", "server %s: unexpanded variable", s.URL)
		sawMultiPartTLD = sawMultiPartTLD || strings.HasSuffix(base, ".com.au") || strings.HasSuffix(base, ".com.cn")
		sawSandbox = sawSandbox || base == "http://127.0.0.1:8080"
		t.Run(base, func(t *testing.T) {
			t.Parallel()
			for _, op := range operations {
				checkRoute(t, base, samplePaths[op], op, true)
				if other := otherSpelling(samplePaths[op]); other != samplePaths[op] {
					checkRoute(t, base, other, op, true)
				}
			}
		})
	}
	assert.True(t, sawMultiPartTLD, "the spec lists no multi-part domain such as www.zohoapis.com.au")
	assert.True(t, sawSandbox, "the spec lists no sandbox server http://127.0.0.1:{port}")
}

// TestRoutingOtherHosts checks that loopback hosts on any port count as the
// sandbox server, and that hosts the spec does not list are still routed by
// path but reported as unlisted.
func TestRoutingOtherHosts(t *testing.T) {
	t.Parallel()
	port := 1024 + rand.IntN(64000) // the sandbox listens on whatever port is free
	tests := []struct {
		name   string
		base   string
		listed bool
	}{
		{"loopback_ipv4_random_port", fmt.Sprintf("http://127.0.0.1:%d", port), true},
		{"loopback_ipv4_other_address", fmt.Sprintf("http://127.0.0.2:%d", port), true},
		{"loopback_localhost", fmt.Sprintf("http://localhost:%d", port), true},
		{"loopback_ipv6", fmt.Sprintf("http://[::1]:%d", port), true},
		{"listed_host_explicit_port", "https://www.zohoapis.com.au:443", true},
		{"unlisted_host", "https://crm.example.com", false},
		{"unlisted_zoho_lookalike", "https://www.zohoapis.com.example.net", false},
		{"listed_host_over_http", "http://www.zohoapis.eu", false},
		{"unlisted_datacentre_prefix", "https://api.zohoapis.in", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, op := range operations {
				checkRoute(t, tt.base, samplePaths[op], op, tt.listed)
				checkRoute(t, tt.base, otherSpelling(samplePaths[op]), op, tt.listed)
			}
		})
	}
}
