package zohoterritorytest

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

// GrantCodeLifetime is how long a grant code from [Server.IssueGrantCode]
// may be exchanged: three minutes, the default of the codes Zoho's API
// console generates for a Self Client.
const GrantCodeLifetime = 3 * time.Minute

// grantCode is a Self Client's grant code, as the API console makes one.
type grantCode struct {
	clientID  string
	scopes    []string
	expiresAt time.Time
	used      bool
}

// issuedRefresh is a refresh token issued in exchange for a grant code.
type issuedRefresh struct {
	clientID string
	scopes   []string
}

// IssueGrantCode makes a grant code for the first OAuth client (the one
// [Server.OAuthClient] returns) with exactly the given scopes, as Zoho's API
// console does for a Self Client. It may be exchanged once, within
// [GrantCodeLifetime] on the server's clock, at URL()+"/oauth/v2/token"
// with grant_type=authorization_code and the client's id and secret; the
// answer carries an access token and a refresh token with those scopes.
func (s *Server) IssueGrantCode(scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := "1000." + randomHex(16) + "." + randomHex(16)
	s.grantCodes[code] = &grantCode{clientID: s.clients[0].ClientID, scopes: slices.Clone(scopes),
		expiresAt: s.cfg.now().Add(GrantCodeLifetime)}
	return code
}

// serveToken is Zoho's token endpoint: the refresh-token grant and a Self
// Client's authorization-code grant. Like Zoho, it reports bad credentials
// with HTTP 200 and an `error` field.
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
	switch r.Form.Get("grant_type") {
	case "refresh_token":
		s.serveRefresh(w, r)
	case "authorization_code":
		s.serveGrantCode(w, r)
	default:
		writeJSON(w, http.StatusOK, map[string]string{"error": "unsupported_grant_type"})
	}
}

// serveRefresh answers the refresh-token grant for a seeded client's
// refresh token or one issued for a grant code.
func (s *Server) serveRefresh(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.clients, func(c OAuthClient) bool { return c.ClientID == r.Form.Get("client_id") })
	if i < 0 || s.clients[i].ClientSecret != r.Form.Get("client_secret") {
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_client"})
		return
	}
	var scopes []string
	rt := r.Form.Get("refresh_token")
	if issued, ok := s.refreshTokens[rt]; ok && issued.clientID == s.clients[i].ClientID {
		scopes = issued.scopes
	} else if rt == s.clients[i].RefreshToken {
		scopes = s.clients[i].Scopes
	} else {
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_code"})
		return
	}
	s.refreshes++
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token": s.issueLocked(slices.Clone(scopes)),
		"api_domain":   s.apiDomainFor(r),
		"token_type":   "Bearer",
		"expires_in":   int(s.cfg.tokenLifetime.Seconds()),
	})
}

// serveGrantCode exchanges a grant code from [Server.IssueGrantCode] for an
// access token and a new refresh token, as Zoho's accounts server does for
// a Self Client: an unknown client id is invalid_client, a wrong secret
// invalid_client_secret, and a code that is unknown, used, expired or
// another client's is invalid_code. A refused exchange leaves the code
// usable.
func (s *Server) serveGrantCode(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.clients, func(c OAuthClient) bool { return c.ClientID == r.Form.Get("client_id") })
	if i < 0 {
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_client"})
		return
	}
	if s.clients[i].ClientSecret != r.Form.Get("client_secret") {
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_client_secret"})
		return
	}
	gc, ok := s.grantCodes[r.Form.Get("code")]
	if !ok || gc.used || gc.clientID != s.clients[i].ClientID || !s.cfg.now().Before(gc.expiresAt) {
		writeJSON(w, http.StatusOK, map[string]string{"error": "invalid_code"})
		return
	}
	gc.used = true
	rt := "1000." + randomHex(16) + "." + randomHex(16)
	s.refreshTokens[rt] = issuedRefresh{clientID: gc.clientID, scopes: gc.scopes}
	s.refreshes++
	writeJSON(w, http.StatusOK, map[string]any{
		"access_token":  s.issueLocked(slices.Clone(gc.scopes)),
		"refresh_token": rt,
		// Space-separated, as in the token replies Zoho's documentation
		// shows with a scope.
		"scope":      strings.Join(gc.scopes, " "),
		"api_domain": s.apiDomainFor(r),
		"token_type": "Bearer",
		"expires_in": int(s.cfg.tokenLifetime.Seconds()),
	})
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
