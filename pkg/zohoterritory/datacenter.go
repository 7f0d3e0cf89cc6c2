package zohoterritory

import (
	"fmt"
	"strings"
)

// DataCenter is one of the Zoho data centres. Each has its own accounts
// server, which issues tokens, and its own API domain; a token works only in
// the data centre that issued it.
type DataCenter string

// The data centres Zoho CRM runs in.
const (
	US DataCenter = "US" // United States: accounts.zoho.com, www.zohoapis.com
	EU DataCenter = "EU" // Europe: accounts.zoho.eu, www.zohoapis.eu
	IN DataCenter = "IN" // India: accounts.zoho.in, www.zohoapis.in
	AU DataCenter = "AU" // Australia: accounts.zoho.com.au, www.zohoapis.com.au
	CN DataCenter = "CN" // China: accounts.zoho.com.cn, www.zohoapis.com.cn
	JP DataCenter = "JP" // Japan: accounts.zoho.jp, www.zohoapis.jp
	CA DataCenter = "CA" // Canada: accounts.zohocloud.ca, www.zohoapis.ca
	SA DataCenter = "SA" // Saudi Arabia: accounts.zoho.sa, www.zohoapis.sa
	UK DataCenter = "UK" // United Kingdom: accounts.zoho.uk, www.zohoapis.uk (host not confirmed by Zoho)
)

type dcHosts struct {
	accounts string // accounts server
	apiTLD   string // what follows "zohoapis." in the API hosts
}

// hosts is the table behind [DataCenter]'s methods. It is a switch rather
// than a package-level map so that nothing can modify it.
func (d DataCenter) hosts() (dcHosts, bool) {
	switch d {
	case US:
		return dcHosts{"https://accounts.zoho.com", "com"}, true
	case EU:
		return dcHosts{"https://accounts.zoho.eu", "eu"}, true
	case IN:
		return dcHosts{"https://accounts.zoho.in", "in"}, true
	case AU:
		return dcHosts{"https://accounts.zoho.com.au", "com.au"}, true
	case CN:
		return dcHosts{"https://accounts.zoho.com.cn", "com.cn"}, true
	case JP:
		return dcHosts{"https://accounts.zoho.jp", "jp"}, true
	case CA:
		return dcHosts{"https://accounts.zohocloud.ca", "ca"}, true
	case SA:
		return dcHosts{"https://accounts.zoho.sa", "sa"}, true
	case UK:
		return dcHosts{"https://accounts.zoho.uk", "uk"}, true
	}
	return dcHosts{}, false
}

// DataCenters returns every known data centre, in a fixed order.
func DataCenters() []DataCenter {
	return []DataCenter{US, EU, IN, AU, CN, JP, CA, SA, UK}
}

// ParseDataCenter returns the data centre named s (case-insensitive, such as
// "eu"), or an error that lists the known ones.
func ParseDataCenter(s string) (DataCenter, error) {
	dc := DataCenter(strings.ToUpper(strings.TrimSpace(s)))
	if !dc.Valid() {
		return "", fmt.Errorf("unknown data centre %q: want one of %s", s, dataCenterList())
	}
	return dc, nil
}

func dataCenterList() string {
	names := make([]string, 0, 9)
	for _, dc := range DataCenters() {
		names = append(names, string(dc))
	}
	return strings.Join(names, ", ")
}

// Valid reports whether d is a known data centre.
func (d DataCenter) Valid() bool {
	_, ok := d.hosts()
	return ok
}

// AccountsURL returns the data centre's accounts server, which issues and
// refreshes tokens, such as https://accounts.zoho.eu. It is "" for an
// unknown data centre.
func (d DataCenter) AccountsURL() string {
	h, _ := d.hosts()
	return h.accounts
}

// APIDomain returns the data centre's production API domain, such as
// https://www.zohoapis.eu. It is "" for an unknown data centre.
func (d DataCenter) APIDomain() string { return d.apiHost("www") }

// SandboxAPIDomain returns the API domain of the data centre's Zoho sandbox
// environment, such as https://sandbox.zohoapis.eu.
func (d DataCenter) SandboxAPIDomain() string { return d.apiHost("sandbox") }

// DeveloperAPIDomain returns the API domain of the data centre's developer
// environment, such as https://developer.zohoapis.eu.
func (d DataCenter) DeveloperAPIDomain() string { return d.apiHost("developer") }

func (d DataCenter) apiHost(env string) string {
	h, ok := d.hosts()
	if !ok {
		return ""
	}
	return "https://" + env + ".zohoapis." + h.apiTLD
}
