package zohoterritory

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/seed-ab9c0d28/zohoterritory/gen/zohoapi"
)

// Org is the organization a token belongs to, as [Client.Org] returns it:
// the keys an administrator's tool needs, and the whole object in Raw.
type Org struct {
	ID          string
	CompanyName string // empty when Zoho sent null
	// PrimaryEmail is the super administrator's address; empty for none.
	PrimaryEmail string
	TimeZone     string
	// Currency is the home currency as Zoho spells it ("US Dollar -
	// USD"); ISOCode its code ("USD").
	Currency string
	ISOCode  string
	// Type is the kind of org: "production", "sandbox", "developer" or
	// "bigin" (Zoho may add others).
	Type string
	// Edition is the paid edition (license_details.paid_type): "free",
	// "standard", "professional", "enterprise", "ultimate", ... Territory
	// management needs Enterprise or above.
	Edition string
	// ZGID is the org's Zoho group id.
	ZGID string
	// Raw is the organization object exactly as Zoho sent it.
	Raw json.RawMessage
}

// Org reads the organization the token belongs to: its id, name, time
// zone, currency and edition, as Zoho's SDKs read it when they start. The
// read is retried as [RetryPolicy] says; a failure is an [*APIError]
// naming getOrganization (or [*RateLimitError], [*AuthError]). Zoho asks
// for the scope ZohoCRM.org.READ (or .ALL), which the membership commands
// do not need: a token without it gets [ErrOAuthScopeMismatch].
//
// Zoho API docs: https://www.zoho.com/crm/developer/docs/api/v8/get-org-data.html
func (c *Client) Org(ctx context.Context) (Org, error) {
	const op = "getOrganization"
	resp, body, err := c.read(ctx, op, newBudget(c.retry.Budget), func(ctx context.Context, gc *zohoapi.Client) (*http.Response, error) { //nolint:bodyclose // c.read reads and closes the body; it hands back the bytes
		return gc.GetOrganization(ctx, c.version)
	})
	if err != nil {
		return Org{}, err
	}
	fail := func(err error) (Org, error) {
		return Org{}, &APIError{Operation: op, StatusCode: resp.StatusCode, Response: resp, Body: body, Err: fmt.Errorf("decode body: %w", err)}
	}
	if resp.StatusCode == http.StatusNoContent {
		return fail(errors.New("204: no organization"))
	}
	o, err := decodeOrg(body)
	if err != nil {
		return fail(err)
	}
	return o, nil
}

// decodeOrg reads the one organization of `{"org":[{...}]}`.
func decodeOrg(body []byte) (Org, error) {
	var env struct {
		Org []json.RawMessage `json:"org"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return Org{}, err
	}
	if len(env.Org) != 1 {
		return Org{}, fmt.Errorf("%d objects in the org array, want 1", len(env.Org))
	}
	var w struct {
		ID             wireID  `json:"id"`
		CompanyName    *string `json:"company_name"`
		PrimaryEmail   *string `json:"primary_email"`
		TimeZone       string  `json:"time_zone"`
		Currency       string  `json:"currency"`
		ISOCode        string  `json:"iso_code"`
		Type           string  `json:"type"`
		ZGID           wireID  `json:"zgid"`
		LicenseDetails *struct {
			PaidType string `json:"paid_type"`
		} `json:"license_details"`
	}
	if err := json.Unmarshal(env.Org[0], &w); err != nil {
		return Org{}, fmt.Errorf("org[0]: %w", err)
	}
	if err := checkID("org[0].id", string(w.ID)); err != nil {
		return Org{}, err
	}
	o := Org{ID: string(w.ID), TimeZone: w.TimeZone, Currency: w.Currency, ISOCode: w.ISOCode, Type: w.Type, ZGID: string(w.ZGID), Raw: env.Org[0]}
	if w.CompanyName != nil {
		o.CompanyName = *w.CompanyName
	}
	if w.PrimaryEmail != nil {
		o.PrimaryEmail = *w.PrimaryEmail
	}
	if w.LicenseDetails != nil {
		o.Edition = w.LicenseDetails.PaidType
	}
	return o, nil
}
