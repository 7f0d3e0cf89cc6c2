package main

import (
	"flag"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// connFlags are the flags that say where and how to connect; each takes
// its default from an environment variable.
type connFlags struct {
	dc, apiVersion, apiDomain, accountsURL string
}

func (cf *connFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&cf.dc, "dc", envOr(getenv, "ZOHO_DC", "US"), "data centre: US, EU, IN, AU, CN, JP, CA, SA, UK [ZOHO_DC]")
	fs.StringVar(&cf.apiVersion, "api-version", envOr(getenv, "ZOHO_API_VERSION", zohoterritory.DefaultAPIVersion), "API version [ZOHO_API_VERSION]")
	fs.StringVar(&cf.apiDomain, "api-domain", getenv("ZOHO_API_DOMAIN"), "API base URL, such as http://127.0.0.1:8080 for a sandbox [ZOHO_API_DOMAIN]")
	fs.StringVar(&cf.accountsURL, "accounts-url", getenv("ZOHO_ACCOUNTS_URL"), "accounts server for the refresh-token flow [ZOHO_ACCOUNTS_URL]")
}

func envOr(getenv func(string) string, key, def string) string {
	if v := strings.TrimSpace(getenv(key)); v != "" {
		return v
	}
	return def
}

// options turns the flags and the credentials in the environment into
// client options. A bad value names its flag and variable. A dry run needs
// no credentials, since it sends nothing.
func (cf *connFlags) options(getenv func(string) string, dryRun bool) ([]zohoterritory.Option, error) {
	var opts []zohoterritory.Option
	dc, err := zohoterritory.ParseDataCenter(cf.dc)
	if err != nil {
		return nil, usageErr("--dc / ZOHO_DC: %v", err)
	}
	opts = append(opts, zohoterritory.WithDataCenter(dc))
	check := func(what string, o zohoterritory.Option) error {
		if _, err := zohoterritory.New(zohoterritory.WithAccessToken("x"), o); err != nil {
			return usageErr("%s: %v", what, strings.TrimPrefix(err.Error(), "zohoterritory: "))
		}
		opts = append(opts, o)
		return nil
	}
	if err := check("--api-version / ZOHO_API_VERSION", zohoterritory.WithAPIVersion(cf.apiVersion)); err != nil {
		return nil, err
	}
	if cf.apiDomain != "" {
		if err := check("--api-domain / ZOHO_API_DOMAIN", zohoterritory.WithAPIDomain(cf.apiDomain)); err != nil {
			return nil, err
		}
	}

	token := getenv("ZOHO_ACCESS_TOKEN")
	id, sec, rt := getenv("ZOHO_CLIENT_ID"), getenv("ZOHO_CLIENT_SECRET"), getenv("ZOHO_REFRESH_TOKEN")
	refresh := id != "" || sec != "" || rt != ""
	switch {
	case token != "" && refresh:
		return nil, usageErr("credentials: set either ZOHO_ACCESS_TOKEN or ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN, not both")
	case token != "":
		opts = append(opts, zohoterritory.WithAccessToken(token))
	case refresh:
		var missing []string
		for _, kv := range [][2]string{{"ZOHO_CLIENT_ID", id}, {"ZOHO_CLIENT_SECRET", sec}, {"ZOHO_REFRESH_TOKEN", rt}} {
			if strings.TrimSpace(kv[1]) == "" {
				missing = append(missing, kv[0])
			}
		}
		if len(missing) > 0 {
			return nil, usageErr("credentials: the refresh-token flow also needs %s", strings.Join(missing, ", "))
		}
		opts = append(opts, zohoterritory.WithRefreshToken(id, sec, rt))
		if cf.accountsURL != "" {
			o := zohoterritory.WithAccountsURL(cf.accountsURL)
			if _, err := zohoterritory.New(zohoterritory.WithRefreshToken("i", "s", "r"), o); err != nil {
				return nil, usageErr("--accounts-url / ZOHO_ACCOUNTS_URL: %v", strings.TrimPrefix(err.Error(), "zohoterritory: "))
			}
			opts = append(opts, o)
		}
	case dryRun:
		// Nothing is sent, so no credentials are needed; the client still
		// wants one way to authenticate.
		opts = append(opts, zohoterritory.WithAccessToken("dry-run"))
	default:
		return nil, usageErr("credentials: set ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN")
	}
	return opts, nil
}
