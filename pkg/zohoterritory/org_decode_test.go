package zohoterritory

import (
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOrgDecode: Zoho's forms of the organization are read (its OpenAPI
// example's, its documentation page's with nulls and an empty address);
// an answer without exactly one organization, or without a record id, is
// an *APIError naming getOrganization.
func TestOrgDecode(t *testing.T) {
	t.Parallel()
	ok := []struct {
		name, body string
		want       Org
	}{
		{"documentation page", `{"org":[{"id":"5725767000000020005","company_name":"zohoo","primary_email":"","time_zone":"America/Los_Angeles",
			"currency":"US Dollar - USD","iso_code":"USD","zgid":"808232144","zia_portal_id":"814461734",
			"license_details":{"paid":true,"paid_type":"enterprise","users_license_purchased":10}}]}`,
			Org{ID: "5725767000000020005", CompanyName: "zohoo", TimeZone: "America/Los_Angeles", Currency: "US Dollar - USD",
				ISOCode: "USD", Edition: "enterprise", ZGID: "808232144"}},
		{"nulls, a numeric id and zgid", `{"org":[{"id":5725767000000020005,"company_name":null,"primary_email":null,"zgid":808232144,"type":"developer"}]}`,
			Org{ID: "5725767000000020005", Type: "developer", ZGID: "808232144"}},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, "/crm/v7/org", r.URL.Path) // the client's default version
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.body))
			})
			got, err := c.Org(t.Context())
			require.NoError(t, err)
			assert.NotEmpty(t, got.Raw)
			got.Raw = nil
			assert.Equal(t, tt.want, got)
		})
	}
	bad := []struct{ name, body, want string }{
		{"no organization", `{"org":[]}`, "0 objects in the org array, want 1"},
		{"two", `{"org":[{"id":"1"},{"id":"2"}]}`, "2 objects in the org array, want 1"},
		{"bad id", `{"org":[{"id":"x1"}]}`, "org[0].id"},
		{"an array", `[]`, "decode body"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				_, _ = w.Write([]byte(tt.body))
			})
			_, err := c.Org(t.Context())
			require.Error(t, err)
			var apiErr *APIError
			require.Truef(t, errors.As(err, &apiErr), "%T: %v", err, err)
			assert.Equal(t, "getOrganization", apiErr.Operation)
			assert.Equal(t, http.StatusOK, apiErr.StatusCode)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
