package zohoterritorytest

import (
	"errors"
	"net/http"
	"slices"
)

// serveToken is Zoho's refresh-token grant. Like Zoho, it reports bad
// credentials with HTTP 200 and an `error` field.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "invalid_request"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	// Zoho's Node SDK posts multipart/form-data; curl and x/oauth2 post
	// application/x-www-form-urlencoded. ParseMultipartForm reads both.
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) { //nolint:gosec // G120: the body is bounded by MaxBytesReader above
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_request"})
		return
	}
	if r.Form.Get("grant_type") != "refresh_token" {
		writeJSON(w, http.StatusOK, map[string]string{"error": "unsupported_grant_type"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.clients, func(c OAuthClient) bool { return c.ClientID == r.Form.Get("client_id") })
	switch {
	case i < 0 || s.clients[i].ClientSecret != r.Form.Get("client_secret"):
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_client"})
	case s.clients[i].RefreshToken != r.Form.Get("refresh_token"):
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_code"})
	default:
		s.refreshes++
		writeJSON(w, http.StatusOK, map[string]any{
			"access_token": s.issueLocked(slices.Clone(s.clients[i].Scopes)),
			"api_domain":   s.apiDomainFor(r),
			"token_type":   "Bearer",
			"expires_in":   int(s.cfg.tokenLifetime.Seconds()),
		})
	}
}

// apiDomainFor is the api_domain of a token reply: the server as the client
// reached it, so that a client in another container or on another machine
// is sent back to the same address.
func (s *Server) apiDomainFor(r *http.Request) string {
	if r.Host == "" {
		return s.url
	}
	return "http://" + r.Host
}
