package zohoterritorytest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzServeRequest sends the handler requests of any method, path, query,
// header and body. Whatever comes, it answers without panicking, never with
// a 5xx (no fault is set), and every CRM API answer with a body is a JSON
// object.
func FuzzServeRequest(f *testing.F) {
	srv, err := NewServer()
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(srv.Close)
	tok := srv.AccessToken()
	for _, c := range []struct{ method, target, auth, body string }{
		{"DELETE", "/crm/v8/settings/territories/4876543000000500002/users?ids=1,2,3", "Zoho-oauthtoken " + tok, ""},
		{"DELETE", "/crm/v7/Users/1/territories/2", "Zoho-oauthtoken " + tok, ""},
		{"GET", "/crm/v8/Users/1/territories?page=2&per_page=200", "Zoho-oauthtoken " + tok, ""},
		{"GET", "/crm/v2.1/settings/territories/1/users/2", "Bearer x", ""},
		{"POST", "/oauth/v2/token", "", "grant_type=refresh_token&client_id=a&client_secret=b&refresh_token=c"},
		{"PUT", "/crm/v8/Users/%zz/territories?ids=,,", "Zoho-oauthtoken " + tok, "{}"},
		{"DELETE", "/crm/v8/users/1/territories?ids=" + strings.Repeat("9", 600), "Zoho-oauthtoken " + tok, ""},
		{"GET", "/crm/v8/users?type=DeletedUsers&page=1&per_page=200&ids=5725767000000411007,x", "Zoho-oauthtoken " + tok, ""},
		{"GET", "/crm/v6/Users/5725767000000411003", "Zoho-oauthtoken " + tok, ""},
		{"GET", "/crm/v8/settings/territories?ids=5725767000000452005,5725767000000452006&page=2", "Zoho-oauthtoken " + tok, ""},
		{"GET", "/crm/v8/settings/territories/5725767000000452001?type=Everyone", "Zoho-oauthtoken " + tok, ""},
	} {
		f.Add(c.method, c.target, c.auth, c.body)
	}
	f.Fuzz(func(t *testing.T, method, target, auth, body string) {
		u, err := url.ParseRequestURI(target)
		if err != nil || !validMethod(method) {
			return // net/http refuses these before any handler
		}
		req := httptest.NewRequest(http.MethodGet, "/", strings.NewReader(body))
		req.Method, req.URL, req.RequestURI = method, u, target
		if auth != "" && !strings.ContainsAny(auth, "\r\n") {
			req.Header.Set("Authorization", auth)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		srv.serveHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body.String())
		}
		if strings.HasPrefix(u.Path, "/crm/") && rec.Body.Len() > 0 {
			var v map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
				t.Fatalf("%s %s: %d, not a JSON object: %q", method, target, rec.Code, rec.Body.String())
			}
		}
	})
}

// validMethod reports whether net/http would accept m as a method token.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for _, c := range m {
		if c <= ' ' || c >= 0x7f || strings.ContainsRune("()<>@,;:\\\"/[]?={}", c) {
			return false
		}
	}
	return true
}
