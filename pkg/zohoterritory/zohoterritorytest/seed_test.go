package zohoterritorytest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedFiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		file, token, clientID, secret, refresh string
	}{
		{"seed.json", "1000.json-token", "1000.JSONCLIENT", "json-secret", "1000.json-refresh"},
		{"seed.yaml", "1000.yaml-token", "1000.YAMLCLIENT", "yaml-secret", "1000.yaml-refresh"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, WithSeedFile(filepath.Join("testdata", tc.file)))
			assert.Equal(t, []string{"1001", "1002", "1003"}, srv.Members("2001"))
			assert.Equal(t, []string{"1001", "1002", "1004"}, srv.Members("2002"), "the manager is a member")
			assert.Equal(t, []string{"2001", "2002"}, srv.TerritoriesOf("1002"))
			assert.Nil(t, srv.TerritoriesOf("9"))
			assert.Nil(t, srv.Members("9"))
			users := srv.Users()
			require.Len(t, users, 4)
			assert.Equal(t, User{ID: "1001", FullName: "Maria Manager", FirstName: "Maria", LastName: "Manager", Email: "maria@example.com",
				Status: StatusActive, Role: "Manager", Profile: ProfileAdministrator}, users[0])
			assert.True(t, users[1].NotConfirmed)
			assert.Equal(t, "Organization Parent Territory", srv.Territories()[0].Description)
			assert.Equal(t, Org{ID: "3001", CompanyName: "Iberia Widgets", PrimaryEmail: "sam@example.com", TimeZone: "Europe/Madrid",
				Currency: "Euro - EUR", ISOCode: "EUR", CurrencySymbol: "€", CountryCode: "ES", Type: "sandbox", Edition: "ultimate",
				ZGID: "83001"}, srv.Org(), "the seeded org, the caller's address and a zgid filled in")
			assert.Equal(t, OAuthClient{ClientID: tc.clientID, ClientSecret: tc.secret, RefreshToken: tc.refresh,
				Scopes: []string{ScopeTerritoriesAll}}, srv.OAuthClient())

			// The seeded token works and its `All` scopes allow both operations.
			status, body := call(t, http.MethodDelete, usersURL(srv, "v8", "2002", "", "ids=1002,1001"), tc.token)
			assert.Equal(t, http.StatusMultiStatus, status)
			assert.JSONEq(t, envelope("users", okItem("1002", msgUserRemoved), errItem("1001", msgUserIsManager)), body)
			status, body = call(t, http.MethodDelete, territoriesURL(srv, "v8", "users", "1001", "", "ids=2001,2002"), tc.token)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.JSONEq(t, envelope("territories", errItem("2001", msgOrgTerritory), errItem("2002", msgTerritoryManager)), body)
			status, body = call(t, http.MethodDelete, territoriesURL(srv, "v8", "Users", "1003", "2002", ""), tc.token)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.JSONEq(t, topError("NOT_ALLOWED", msgNotAllowed, ""), body)
			status, body = call(t, http.MethodDelete, territoriesURL(srv, "v8", "Users", "1004", "2002", ""), tc.token)
			assert.Equal(t, http.StatusBadRequest, status)
			assert.JSONEq(t, topError("INVALID_DATA", msgUserDeleted, `{"owner_status":"deleted"}`), body)
			assert.Equal(t, []string{"1001", "1004"}, srv.Members("2002"))

			status, reply := postToken(t, srv, url.Values{"grant_type": {"refresh_token"}, "client_id": {tc.clientID},
				"client_secret": {tc.secret}, "refresh_token": {tc.refresh}})
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, srv.URL(), reply["api_domain"])
		})
	}
}

func TestSeedFileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file     string
		wantErrs []string
	}{
		{"missing.json", []string{"seed file: open testdata/missing.json"}},
		{"seed.toml", []string{`extension ".toml" is not .json, .yaml or .yml`}},
		{"unknown_field.yaml", []string{"unknown_field.yaml", "field fullname not found"}},
		{"bad_ids.json", []string{
			`seed: users[1].id: "12345678901234567890" is not a record id`,
			`seed: territories[0].manager_id: unknown user id "1009"`,
			`seed: territories[0].members[1]: "x" is not a record id`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			srv, err := NewServer(WithSeedFile(filepath.Join("testdata", tt.file)))
			require.Error(t, err)
			assert.Nil(t, srv)
			for _, want := range tt.wantErrs {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestSeedValidation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		mutate  func(*Seed)
		wantErr []string
	}{
		{"no caller", func(s *Seed) { s.CallerID = "" }, []string{"seed: caller_id: required"}},
		{"unknown caller", func(s *Seed) { s.CallerID = "42" }, []string{`seed: caller_id: unknown user id "42"`}},
		{"bad user id", func(s *Seed) { s.Users[2].ID = "12a" }, []string{`seed: users[2].id: "12a" is not a record id`}},
		{"empty user id", func(s *Seed) { s.Users[0].ID = "" }, []string{`seed: users[0].id: "" is not a record id`}},
		{"twenty digits", func(s *Seed) { s.Users[0].ID = strings.Repeat("1", 20) }, []string{"seed: users[0].id:"}},
		{"duplicate user", func(s *Seed) { s.Users[1].ID = s.Users[0].ID }, []string{"seed: users[1].id: duplicate user id"}},
		{"bad status", func(s *Seed) { s.Users[3].Status = "gone" }, []string{`seed: users[3].status: "gone" is not one of`}},
		{"bad territory id", func(s *Seed) { s.Territories[1].ID = "-1" }, []string{`seed: territories[1].id: "-1"`}},
		{"duplicate territory", func(s *Seed) { s.Territories[3].ID = s.Territories[2].ID }, []string{"seed: territories[3].id: duplicate territory id"}},
		{"unknown manager", func(s *Seed) { s.Territories[1].ManagerID = "7" }, []string{`seed: territories[1].manager_id: unknown user id "7"`}},
		{"unknown parent", func(s *Seed) { s.Territories[2].ReportingTo = "8" }, []string{`seed: territories[2].reporting_to: unknown territory id "8"`}},
		{"reporting cycle", func(s *Seed) { s.Territories[1].ReportingTo = s.Territories[3].ID }, []string{
			"seed: territories[1].reporting_to: territory", "seed: territories[3].reporting_to: territory"}},
		{"unknown member", func(s *Seed) { s.Territories[0].Members = append(s.Territories[0].Members, "6") },
			[]string{`seed: territories[0].members[5]: unknown user id "6"`}},
		{"unknown default territory", func(s *Seed) { s.DefaultTerritoryID = "5" }, []string{`seed: default_territory_id: unknown territory id "5"`}},
		{"bad default territory", func(s *Seed) { s.DefaultTerritoryID = "org" }, []string{`seed: default_territory_id: "org" is not a record id`}},
		{"empty token", func(s *Seed) { s.AccessTokens = []Token{{AccessToken: " "}} }, []string{"seed: access_tokens[0].access_token: required"}},
		{"duplicate token", func(s *Seed) { s.AccessTokens = []Token{{AccessToken: "a"}, {AccessToken: "a"}} },
			[]string{"seed: access_tokens[1].access_token: duplicate token"}},
		{"bad scope", func(s *Seed) { s.AccessTokens = []Token{{AccessToken: "a", Scopes: []string{"A B"}}} },
			[]string{`seed: access_tokens[0].scopes[0]: "A B" is not a scope`}},
		{"incomplete client", func(s *Seed) { s.OAuthClients = []OAuthClient{{ClientID: "c"}} }, []string{
			"seed: oauth_clients[0].client_secret: required", "seed: oauth_clients[0].refresh_token: required"}},
		{"duplicate client", func(s *Seed) {
			c := OAuthClient{ClientID: "c", ClientSecret: "s", RefreshToken: "r"}
			s.OAuthClients = []OAuthClient{c, c}
		}, []string{`seed: oauth_clients[1].client_id: duplicate client id "c"`}},
		{"several faults at once", func(s *Seed) { s.CallerID = ""; s.Users[0].Status = "x" }, []string{
			"seed: caller_id: required", "seed: users[0].status"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			seed := DefaultSeed()
			tt.mutate(&seed)
			srv, err := NewServer(WithSeed(seed))
			require.Error(t, err)
			assert.Nil(t, srv)
			for _, want := range tt.wantErr {
				assert.Contains(t, err.Error(), want)
			}
		})
	}
}

func TestDefaultSeedIsValidAndFresh(t *testing.T) {
	t.Parallel()
	s := DefaultSeed()
	require.NoError(t, s.Validate())
	s.Territories[0].Members[0] = "1"
	assert.Equal(t, ava, DefaultSeed().Territories[0].Members[0], "each call returns a fresh copy")

	srv := newServer(t)
	assert.Equal(t, []string{ava, ben, chloe, dev, eve}, srv.Members(org))
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na))
	assert.Equal(t, []string{chloe, eve, finn}, srv.Members(eu))
	assert.Equal(t, []string{chloe, dev}, srv.Members(west))
	assert.Equal(t, []string{ben, chloe}, srv.Members(keyNA))
	assert.Equal(t, []string{chloe, eve}, srv.Members(keyEU))
	assert.Equal(t, []string{org, na, eu, west, keyNA, keyEU}, srv.TerritoriesOf(chloe))
	assert.Equal(t, []string{eu}, srv.TerritoriesOf(finn))
	assert.Nil(t, srv.TerritoriesOf(gus))
	assert.Equal(t, AllScopes(), srv.OAuthClient().Scopes)
}

func TestWithSeedCopiesTheSeed(t *testing.T) {
	t.Parallel()
	seed := DefaultSeed()
	srv := newServer(t, WithSeed(seed))
	seed.Territories[1].Members[0] = eve
	seed.Territories[1].ManagerID = eve
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na))
}

func TestOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []Option
		wantErr string
	}{
		{"public address", []Option{WithAddr("0.0.0.0:0")}, `address "0.0.0.0:0" is not a loopback address`},
		{"all interfaces", []Option{WithAddr(":8080")}, `address ":8080" is not a loopback address`},
		{"host name", []Option{WithAddr("example.com:80")}, `address "example.com:80" is not a loopback address`},
		{"no port", []Option{WithAddr("127.0.0.1")}, `address "127.0.0.1"`},
		{"two seeds", []Option{WithSeed(DefaultSeed()), WithSeedFile("testdata/seed.json")}, "WithSeedFile after WithSeed"},
		{"nil option", []Option{nil}, "nil option"},
		{"nil clock", []Option{withClock(nil)}, "nil clock"},
		{"nil checker", []Option{WithContractCheck(nil)}, "a checker is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, err := NewServer(tt.opts...)
			require.Error(t, err)
			assert.Nil(t, srv)
			assert.Contains(t, err.Error(), tt.wantErr)
		})
	}
}

func TestWithAddr(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"127.0.0.1:0", "127.0.0.2:0", "localhost:0"} {
		t.Run(addr, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, WithAddr(addr))
			u, err := url.Parse(srv.URL())
			require.NoError(t, err)
			assert.Equal(t, "http", u.Scheme)
			assert.NotEqual(t, "0", u.Port())
			status, _ := call(t, http.MethodDelete, usersURL(srv, "v8", na, dev, ""), srv.AccessToken())
			assert.Equal(t, http.StatusOK, status)
		})
	}
}

// TestWithRemoteAccess: an address other machines reach needs the option
// that asks for it; on every address, the URL given to clients here is
// loopback, and a token reply names the address the client used.
func TestWithRemoteAccess(t *testing.T) {
	t.Parallel()
	_, err := NewServer(WithAddr("0.0.0.0:0"))
	require.ErrorContains(t, err, "not a loopback address")
	srv := newServer(t, WithAddr("0.0.0.0:0"), WithRemoteAccess())
	u, err := url.Parse(srv.URL())
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", u.Hostname())
	status, _ := call(t, http.MethodDelete, usersURL(srv, "v8", na, dev, ""), srv.AccessToken())
	assert.Equal(t, http.StatusOK, status)

	c := srv.OAuthClient()
	other := "http://localhost:" + u.Port()
	resp, err := http.PostForm(other+tokenPath, url.Values{"grant_type": {"refresh_token"}, "client_id": {c.ClientID},
		"client_secret": {c.ClientSecret}, "refresh_token": {c.RefreshToken}})
	require.NoError(t, err)
	defer resp.Body.Close()
	var reply struct {
		APIDomain string `json:"api_domain"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&reply))
	assert.Equal(t, other, reply.APIDomain)
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	srv, err := NewServer()
	require.NoError(t, err)
	srv.Close()
	srv.Close()
	assert.Equal(t, []string{ben, chloe, dev}, srv.Members(na), "state stays readable")
	req, err := http.NewRequestWithContext(t.Context(), http.MethodDelete, usersURL(srv, "v8", na, dev, ""), nil)
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if resp != nil {
		_ = resp.Body.Close()
	}
	assert.Error(t, err, "closed server refuses connections")
}
