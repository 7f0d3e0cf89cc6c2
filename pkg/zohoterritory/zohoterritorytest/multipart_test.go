package zohoterritorytest_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// TestTokenEndpointAcceptsMultipart: Zoho's Node SDK posts the refresh
// grant as multipart/form-data.
func TestTokenEndpointAcceptsMultipart(t *testing.T) {
	t.Parallel()
	srv, err := zohoterritorytest.NewServer()
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	oc := srv.OAuthClient()

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range map[string]string{"grant_type": "refresh_token", "client_id": oc.ClientID, "client_secret": oc.ClientSecret, "refresh_token": oc.RefreshToken} {
		require.NoError(t, mw.WriteField(k, v))
	}
	require.NoError(t, mw.Close())
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+"/oauth/v2/token", &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var reply map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&reply))
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.NotEmpty(t, reply["access_token"], "reply: %v", reply)
	assert.Equal(t, srv.URL(), reply["api_domain"])
	assert.Equal(t, 1, srv.RefreshCount())
}
