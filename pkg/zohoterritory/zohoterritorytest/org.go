package zohoterritorytest

import (
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"
)

// Org is the organization in a [Seed], as GET /crm/{version}/org answers
// it (Zoho's "Get Organization"; zoho/crm-oas v8.0/org). Every field is
// optional; what is left out is filled in as each field says, from the
// rest of the seed where it can be.
type Org struct {
	// ID is the organization's record id. Default: 5725767000000020005.
	ID string `json:"id,omitempty" yaml:"id,omitempty"`
	// CompanyName is the organization's name, at most 100 characters.
	// Default: the name of the default territory (Zoho names the
	// organization territory after the org), or none (null).
	CompanyName string `json:"company_name,omitempty" yaml:"company_name,omitempty"`
	// PrimaryEmail is the super administrator's address. Default: the
	// caller's e-mail address, or none (null).
	PrimaryEmail string `json:"primary_email,omitempty" yaml:"primary_email,omitempty"`
	// TimeZone is the organization's time zone. Default:
	// America/Los_Angeles.
	TimeZone string `json:"time_zone,omitempty" yaml:"time_zone,omitempty"`
	// Currency is the home currency as Zoho spells it, such as "Euro -
	// EUR", with its ISOCode and CurrencySymbol. Default: "US Dollar -
	// USD", "USD" and "$".
	Currency       string `json:"currency,omitempty" yaml:"currency,omitempty"`
	ISOCode        string `json:"iso_code,omitempty" yaml:"iso_code,omitempty"`
	CurrencySymbol string `json:"currency_symbol,omitempty" yaml:"currency_symbol,omitempty"`
	// CountryCode is the organization's country, such as "US" (the
	// default).
	CountryCode string `json:"country_code,omitempty" yaml:"country_code,omitempty"`
	// Type is the kind of organization: production (the default),
	// sandbox, developer or bigin.
	Type string `json:"type,omitempty" yaml:"type,omitempty"`
	// Edition is the paid edition, `license_details.paid_type`: free,
	// standard, professional, enterprise (the default: territory
	// management needs Enterprise or above), ultimate, crmplus or zohoone.
	Edition string `json:"edition,omitempty" yaml:"edition,omitempty"`
	// ZGID is the organization's Zoho group id, which Zoho's SDKs keep
	// with the user's e-mail address. Default: digits made from ID.
	ZGID string `json:"zgid,omitempty" yaml:"zgid,omitempty"`
}

// defaultOrgID is the id of the organization a seed does not name: the one
// of the sample of Zoho's documentation page (v5), whose ids share the
// default seed's prefix.
const defaultOrgID = "5725767000000020005"

// orgTypes and editions are the values Zoho's OpenAPI file lists for
// `type` and `license_details.paid_type`.
var (
	orgTypes = []string{"production", "sandbox", "developer", "bigin"}
	editions = []string{"free", "standard", "professional", "enterprise", "ultimate", "crmplus", "zohoone"}
)

// validate checks the seed's org; bad names each wrong field.
func (o Org) validate(bad func(field, format string, args ...any)) {
	if o.ID != "" && !isRecordID(o.ID) {
		bad("org.id", "%q is not a record id (1 to 19 decimal digits)", o.ID)
	}
	if n := utf8.RuneCountInString(o.CompanyName); n > 100 {
		bad("org.company_name", "%d characters, more than Zoho's 100", n)
	}
	if o.PrimaryEmail != "" && !looksLikeEmail(o.PrimaryEmail) {
		bad("org.primary_email", "%q is not an e-mail address", o.PrimaryEmail)
	}
	if o.Type != "" && !slices.Contains(orgTypes, o.Type) {
		bad("org.type", "%q is not one of %v", o.Type, orgTypes)
	}
	if o.Edition != "" && !slices.Contains(editions, o.Edition) {
		bad("org.edition", "%q is not one of %v", o.Edition, editions)
	}
	if o.ZGID != "" && !isRecordID(o.ZGID) {
		bad("org.zgid", "%q is not a string of 1 to 19 digits", o.ZGID)
	}
}

// withDefaults fills in what o leaves to the server, from the seed's
// default territory and caller.
func (o Org) withDefaults(s Seed) Org {
	or := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	or(&o.ID, defaultOrgID)
	for _, t := range s.Territories {
		if t.ID == s.DefaultTerritoryID {
			or(&o.CompanyName, t.Name)
		}
	}
	for _, u := range s.Users {
		if u.ID == s.CallerID {
			or(&o.PrimaryEmail, u.Email)
		}
	}
	or(&o.TimeZone, "America/Los_Angeles")
	or(&o.Currency, "US Dollar - USD")
	or(&o.ISOCode, "USD")
	or(&o.CurrencySymbol, "$")
	or(&o.CountryCode, "US")
	or(&o.Type, "production")
	or(&o.Edition, "enterprise")
	or(&o.ZGID, "8"+o.ID[max(0, len(o.ID)-8):])
	return o
}

// wireOrganization is the organization as GET org sends it: the keys Zoho's OpenAPI
// file requires that its documentation's samples and its SDKs' models
// (Node and TypeScript, `org/org`) all know, plus `max_per_page`. Nulls
// are Zoho's "none"; `zia_portal_id` goes as null, which both of Zoho's
// forms of it (an integer, a string) allow.
type wireOrganization struct {
	ID                     string             `json:"id"`
	CompanyName            *string            `json:"company_name"`
	PrimaryEmail           *string            `json:"primary_email"`
	PrimaryZUID            string             `json:"primary_zuid"`
	ZGID                   string             `json:"zgid"`
	DomainName             string             `json:"domain_name"`
	Alias                  *string            `json:"alias"`
	Type                   string             `json:"type"`
	CreatedTime            string             `json:"created_time"`
	TimeZone               string             `json:"time_zone"`
	Currency               string             `json:"currency"`
	ISOCode                string             `json:"iso_code"`
	CurrencySymbol         string             `json:"currency_symbol"`
	CurrencyLocale         string             `json:"currency_locale"`
	MCStatus               bool               `json:"mc_status"`
	Country                *string            `json:"country"`
	CountryCode            string             `json:"country_code"`
	Street                 *string            `json:"street"`
	City                   *string            `json:"city"`
	State                  *string            `json:"state"`
	Zip                    *string            `json:"zip"`
	Phone                  *string            `json:"phone"`
	Mobile                 *string            `json:"mobile"`
	Fax                    *string            `json:"fax"`
	Website                *string            `json:"website"`
	Description            *string            `json:"description"`
	EmployeeCount          string             `json:"employee_count"`
	PhotoID                *string            `json:"photo_id"`
	ZiaPortalID            *string            `json:"zia_portal_id"`
	LicenseDetails         wireLicense        `json:"license_details"`
	HierarchyPreferences   wireHierarchyPrefs `json:"hierarchy_preferences"`
	MaxPerPage             int                `json:"max_per_page"`
	GappsEnabled           bool               `json:"gapps_enabled"`
	TranslationEnabled     bool               `json:"translation_enabled"`
	PrivacySettings        bool               `json:"privacy_settings"`
	HIPAAComplianceEnabled bool               `json:"hipaa_compliance_enabled"`
	LiteUsersEnabled       bool               `json:"lite_users_enabled"`
	DeletableOrgAccount    bool               `json:"deletable_org_account"`
}

// wireLicense is `license_details`, without `portal_users_license_purchased`,
// which Zoho's OpenAPI file requires but its SDKs' models do not know.
type wireLicense struct {
	Paid                  bool    `json:"paid"`
	PaidType              string  `json:"paid_type"`
	PaidExpiry            *string `json:"paid_expiry"`
	UsersLicensePurchased int     `json:"users_license_purchased"`
	TrialType             *string `json:"trial_type"`
	TrialExpiry           *string `json:"trial_expiry"`
}

type wireHierarchyPrefs struct {
	Type              string `json:"type"`
	StrictlyReporting bool   `json:"strictly_reporting"`
}

// serveOrg answers GET org: the `org` array with the one organization.
func (s *Server) serveOrg(w http.ResponseWriter) {
	s.mu.Lock()
	o := s.org
	users := 0
	for _, u := range s.users {
		if u.Status != StatusDeleted {
			users++
		}
	}
	caller := s.caller
	s.mu.Unlock()
	paid := o.Edition != "free"
	wo := wireOrganization{
		ID: o.ID, CompanyName: nullable(o.CompanyName), PrimaryEmail: nullable(o.PrimaryEmail), PrimaryZUID: zuid(caller),
		ZGID: o.ZGID, DomainName: "org" + o.ZGID, Type: o.Type, CreatedTime: seededAt, TimeZone: o.TimeZone,
		Currency: o.Currency, ISOCode: o.ISOCode, CurrencySymbol: o.CurrencySymbol, CurrencyLocale: "en_US",
		CountryCode: o.CountryCode, EmployeeCount: strconv.Itoa(users),
		LicenseDetails:       wireLicense{Paid: paid, PaidType: o.Edition, UsersLicensePurchased: users},
		HierarchyPreferences: wireHierarchyPrefs{Type: "Role_Hierarchy"},
		MaxPerPage:           maxPerPage,
	}
	writeJSON(w, http.StatusOK, map[string][]wireOrganization{"org": {wo}})
}
