package record

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/contract"
)

func TestRewriteJSONKeepsOrderAndForm(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{`{"b":1,"a":[true,null,"x"],"c":{"z":"y","e":1.50}}`, `{"b":1,"a":[true,null,"X"],"c":{"z":"Y","e":1.50}}`},
		{` [ "a" , {} , [] ] `, `["A",{},[]]`},
		{`"<&>"`, `"<&>"`},
		{`{"k":"é\u00e9"}`, `{"k":"ÉÉ"}`},
	} {
		got, err := rewriteJSON([]byte(tt.in), func(_, _, v string) string { return string(bytes.ToUpper([]byte(v))) })
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, string(got), tt.in)
	}
	_, err := rewriteJSON([]byte(`{"a":1} {"b":2}`), func(_, _, v string) string { return v })
	assert.Error(t, err)
}

func TestRewriteJSONKeys(t *testing.T) {
	t.Parallel()
	var keys []string
	_, err := rewriteJSON([]byte(`{"users":[{"id":"1","details":{"id":"2"}},"3"],"x":"4"}`), func(h, k, v string) string {
		keys = append(keys, h+"/"+k+"="+v)
		return v
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"users/id=1", "details/id=2", "/users=3", "/x=4"}, keys)
}

func TestScrubberRemovesSecrets(t *testing.T) {
	t.Parallel()
	const (
		token   = "1000.8f2a0c5e9b7d4a1f.c3e5a7b9d1f3e5a7"
		refresh = "1000.refreshrefresh.abcdefabcdef"
		secret  = "s3cr3t-client-secret-value"
		client  = "1000.CLIENTIDCLIENTID"
	)
	s := NewScrubber(false)
	u, _ := url.Parse("https://accounts.zoho.com/oauth/v2/token?refresh_token=" + refresh + "&grant_type=refresh_token")
	x := Exchange{
		Method: http.MethodPost,
		URL:    u,
		RequestHeader: http.Header{
			"Authorization":  {"Zoho-oauthtoken " + token},
			"Cookie":         {"session=abcdefgh123"},
			"Content-Type":   {"application/x-www-form-urlencoded"},
			"X-Zcsrf-Token":  {"csrfcsrfcsrf"},
			"Content-Length": {"99"},
		},
		RequestBody: []byte("grant_type=refresh_token&client_id=" + client + "&client_secret=" + secret + "&refresh_token=" + refresh),
		Status:      http.StatusOK,
		ResponseHeader: http.Header{
			"Content-Type": {"application/json"},
			"Set-Cookie":   {"a=b; HttpOnly"},
		},
		ResponseBody: []byte(`{"access_token":"` + token + `","api_domain":"https://www.zohoapis.com","token_type":"Bearer","expires_in":3600,"note":"echo ` + secret + `"}`),
	}
	c := s.Case(x, "recorded", "test")
	b, err := s.Encode(c)
	require.NoError(t, err)
	text := string(b)
	for _, v := range []string{token, refresh, secret, client, "abcdefgh123", "csrfcsrfcsrf"} {
		assert.NotContains(t, text, v)
	}
	assert.Equal(t, "Zoho-oauthtoken "+AuthPlaceholder, c.Request.Headers["Authorization"])
	assert.Equal(t, Redacted, c.Request.Headers["Cookie"])
	assert.Equal(t, Redacted, c.Response.Headers["Set-Cookie"])
	assert.NotContains(t, c.Request.Headers, "Content-Length")
	assert.Equal(t, "https://accounts.zoho.com/oauth/v2/token?refresh_token=REDACTED&grant_type=refresh_token", c.Request.URL)
	assert.JSONEq(t, `"grant_type=refresh_token&client_id=REDACTED&client_secret=REDACTED&refresh_token=REDACTED"`, string(c.Request.Body))
	assert.JSONEq(t, `{"access_token":"REDACTED","api_domain":"https://www.zohoapis.com","token_type":"Bearer","expires_in":3600,"note":"echo REDACTED"}`, string(c.Response.Body))
	assert.Contains(t, c.Description, "url-encoded form")
	// The secrets are remembered for the log too.
	assert.Equal(t, "bad token REDACTED", s.Text("bad token "+token))

	// A JSON body's `code` is Zoho's error code, not an OAuth code.
	body, note := s.Body("application/json", []byte(`{"code":"INVALID_DATA","details":{},"message":"m","status":"error"}`), false)
	assert.Empty(t, note)
	assert.JSONEq(t, `{"code":"INVALID_DATA","details":{},"message":"m","status":"error"}`, string(body))
}

func TestScrubberMultipartForm(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, kv := range [][2]string{{"grant_type", "refresh_token"}, {"client_secret", "multipart-secret"}, {"refresh_token", "multipart-refresh"}} {
		require.NoError(t, mw.WriteField(kv[0], kv[1]))
	}
	require.NoError(t, mw.Close())
	s := NewScrubber(false)
	body, note := s.Body(mw.FormDataContentType(), buf.Bytes(), false)
	assert.JSONEq(t, `"grant_type=refresh_token&client_secret=REDACTED&refresh_token=REDACTED"`, string(body))
	assert.Contains(t, note, "multipart")
	assert.Equal(t, "REDACTED REDACTED", s.Text("multipart-secret multipart-refresh"))
}

func TestPseudonymize(t *testing.T) {
	t.Parallel()
	const (
		user = "5725767000000411004"
		terr = "5725767000000452002"
		mail = "dev.patel@example.org"
	)
	s := newScrubber(true, []byte("a fixed key for the test"))
	u, _ := url.Parse("http://127.0.0.1:1234/crm/v7/settings/territories/" + terr + "/users?ids=" + user + "%2C5725767000000411003&")
	x := Exchange{
		Method: http.MethodDelete, URL: u,
		RequestHeader: http.Header{"Authorization": {"Zoho-oauthtoken 1000.abcdefabcdef.abcdef"}},
		Status:        http.StatusOK, ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		ResponseBody: []byte(`{"users":[{"id":"` + user + `","full_name":"Dev Patel","email":"` + mail + `","status":"active","role":{"id":"12","name":"CEO"}},` +
			`{"code":"INVALID_DATA","details":{"id":"` + user + `","resource_path_index":2},"message":"user ` + terr + ` said ` + mail + `","status":"error"}]}`),
	}
	c := s.Case(x, "d", "s")
	b, err := s.Encode(c)
	require.NoError(t, err)
	for _, real := range []string{user, terr, "5725767000000411003", mail, "Dev Patel", "CEO"} {
		assert.NotContains(t, string(b), real)
	}
	stand := s.pseudo.ID(user)
	assert.Regexp(t, `^[1-9][0-9]{18}$`, stand)
	assert.Equal(t, stand, s.pseudo.ID(user), "the same id has the same stand-in")
	assert.NotEqual(t, stand, s.pseudo.ID(terr))
	assert.Regexp(t, regexp.MustCompile(`^http://127\.0\.0\.1:1234/crm/v7/settings/territories/[0-9]{19}/users\?ids=`+stand+`%2C[0-9]{19}&$`), c.Request.URL)
	assert.Contains(t, string(c.Response.Body), `"id":"`+stand+`"`)
	assert.Contains(t, string(c.Response.Body), `"resource_path_index":2`)
	assert.Equal(t, s.pseudo.ID("12"), regexp.MustCompile(`"role":\{"id":"([0-9]+)"`).FindStringSubmatch(string(c.Response.Body))[1])
	assert.Regexp(t, `"email":"user-[0-9a-f]{10}@example\.com"`, string(c.Response.Body))
	assert.Contains(t, string(c.Response.Body), `"code":"INVALID_DATA"`)

	// Pseudonymized, the case still validates.
	v, err := contract.New()
	require.NoError(t, err)
	c.Response.Body = []byte(`{"users":[{"code":"SUCCESS","details":{"id":"` + stand + `"},"message":"ok","status":"success"}]}`)
	vd, err := v.Validate(c)
	require.NoError(t, err)
	assert.True(t, vd.OK(), vd.String())
	assert.Equal(t, "removeUsersFromTerritory", vd.Operation)

	// The organization's name and its administrator's address too.
	org := s.Case(Exchange{Method: http.MethodGet, URL: &url.URL{Scheme: "http", Host: "127.0.0.1:1234", Path: "/crm/v8/org"},
		Status: http.StatusOK, ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		ResponseBody: []byte(`{"org":[{"id":"` + terr + `","company_name":"Acme Widgets","primary_email":"` + mail + `","zgid":"808232144"}]}`)}, "d", "s")
	b, err = s.Encode(org)
	require.NoError(t, err)
	for _, real := range []string{terr, "Acme Widgets", mail} {
		assert.NotContains(t, string(b), real)
	}

	// A territory's api_name is made from its name; an error's
	// details.api_name names a field, and stays.
	terrs := s.Case(Exchange{Method: http.MethodGet, URL: &url.URL{Scheme: "http", Host: "127.0.0.1:1234", Path: "/crm/v8/settings/territories"},
		Status: http.StatusOK, ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		ResponseBody: []byte(`{"territories":[{"id":"` + terr + `","name":"West Coast","api_name":"West_Coast"}]}`)}, "d", "s")
	assert.NotContains(t, string(terrs.Response.Body), "West")
	item := s.Case(Exchange{Method: http.MethodPut, URL: &url.URL{Scheme: "http", Host: "127.0.0.1:1234", Path: "/crm/v8/settings/territories/" + terr + "/users"},
		Status: http.StatusBadRequest, ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		ResponseBody: []byte(`{"users":[{"code":"DUPLICATE_DATA","details":{"api_name":"id","json_path":"$.users[0].id"},"message":"m","status":"error"}]}`)}, "d", "s")
	assert.Contains(t, string(item.Response.Body), `"details":{"api_name":"id","json_path":"$.users[0].id"}`)

	// Another run, another key: other stand-ins.
	assert.NotEqual(t, stand, NewScrubber(true).pseudo.ID(user))
}

func TestCreateDir(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "a", "rec")
	d, err := CreateDir(dir)
	require.NoError(t, err)
	fi, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())

	p, err := d.Write("", "0001_x_200.json", []byte("{}\n"))
	require.NoError(t, err)
	fi, err = os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	_, err = d.Write("accounts", "0002_token_200.json", []byte("{}\n"))
	require.NoError(t, err)
	_, err = d.Write("", "../x.json", nil)
	assert.Error(t, err)
	left, err := filepath.Glob(filepath.Join(dir, ".recording-*"))
	require.NoError(t, err)
	assert.Empty(t, left)

	_, err = CreateDir(dir)
	assert.ErrorContains(t, err, "is not empty")
}
