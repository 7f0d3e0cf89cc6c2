package contractcheck

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNew: built with -tags contract, the check refuses what breaks the
// spec; without, it accepts everything.
func TestNew(t *testing.T) {
	t.Parallel()
	c, err := New()
	require.NoError(t, err)

	wrong := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:8080/crm/v8/nowhere", nil)
	reqErr := c.CheckRequest(wrong)
	respErr := c.CheckResponse(wrong, http.StatusOK, http.Header{"Content-Type": {"text/plain"}}, []byte("hello"))
	if On {
		assert.ErrorContains(t, reqErr, "POST /crm/v8/nowhere")
		assert.ErrorContains(t, respErr, "POST /crm/v8/nowhere -> 200")
	} else {
		assert.NoError(t, reqErr)
		assert.NoError(t, respErr)
	}
}
