package main

import (
	"strings"

	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// connFlags are the flags that say where and how to connect. Each takes its
// default from an environment variable; a bad value is named by the flag
// and, when it came from there, the variable. The library checks every
// value.
type connFlags struct {
	dc, apiVersion, apiDomain, accountsURL string
	retry                                  zohoterritory.RetryPolicy
	fs                                     *pflag.FlagSet
	getenv                                 func(string) string
}

// envOf maps each connection flag to its variable.
var envOf = map[string]string{
	"dc":           "ZOHO_DC",
	"api-version":  "ZOHO_API_VERSION",
	"api-domain":   "ZOHO_API_DOMAIN",
	"accounts-url": "ZOHO_ACCOUNTS_URL",
}

// dataCentres lists the library's data centres: "US, EU, IN, ...".
func dataCentres() string {
	names := make([]string, 0, len(zohoterritory.DataCenters()))
	for _, dc := range zohoterritory.DataCenters() {
		names = append(names, string(dc))
	}
	return strings.Join(names, ", ")
}

func (cf *connFlags) register(fs *pflag.FlagSet, getenv func(string) string) {
	cf.fs, cf.getenv = fs, getenv
	env := func(flag, def string) string {
		if v := strings.TrimSpace(getenv(envOf[flag])); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&cf.dc, "dc", env("dc", string(zohoterritory.US)), "data centre: "+dataCentres()+" [ZOHO_DC]")
	fs.StringVar(&cf.apiVersion, "api-version", env("api-version", zohoterritory.DefaultAPIVersion), "API version, v2 to v8 [ZOHO_API_VERSION]")
	fs.StringVar(&cf.apiDomain, "api-domain", env("api-domain", ""), "API base URL instead of the data centre's, such as http://127.0.0.1:8080 for a sandbox [ZOHO_API_DOMAIN]")
	fs.StringVar(&cf.accountsURL, "accounts-url", env("accounts-url", ""), "accounts server of the refresh-token flow [ZOHO_ACCOUNTS_URL]")
	cf.retry = zohoterritory.DefaultRetryPolicy()
	fs.IntVar(&cf.retry.MaxAttempts, "max-attempts", cf.retry.MaxAttempts, "most times one request is sent, the first included (1: no retries)")
	fs.DurationVar(&cf.retry.MaxDelay, "max-delay", cf.retry.MaxDelay, "longest wait before a retry, a server's Retry-After included")
	fs.DurationVar(&cf.retry.AttemptTimeout, "attempt-timeout", cf.retry.AttemptTimeout, "time limit of each attempt")
}

// name names a flag for an error: "--dc", or "ZOHO_DC" when the value came
// from the variable.
func (cf *connFlags) name(flag string) string {
	if f := cf.fs.Lookup(flag); f != nil && !f.Changed && cf.fromEnv(flag) {
		return envOf[flag]
	}
	return "--" + flag
}

// fromEnv reports whether flag's variable is set.
func (cf *connFlags) fromEnv(flag string) bool {
	v, ok := envOf[flag]
	return ok && strings.TrimSpace(cf.getenv(v)) != ""
}

// given reports whether the user named flag's value, by the flag or its
// variable.
func (cf *connFlags) given(flag string) bool {
	return cf.fs.Changed(flag) || cf.fromEnv(flag)
}

// flagOf names the flag (or variable) behind each option and field the
// library may refuse.
func (cf *connFlags) flagOf() map[string]string {
	return map[string]string{
		"WithDataCenter":                 cf.name("dc"),
		"WithAPIVersion":                 cf.name("api-version"),
		"WithAPIDomain":                  cf.name("api-domain"),
		"WithAccountsURL":                cf.name("accounts-url"),
		"WithConcurrency":                "--concurrency",
		"WithConcurrencyCap":             "--concurrency-cap",
		"WithRetryPolicy.MaxAttempts":    "--max-attempts",
		"WithRetryPolicy.MaxDelay":       "--max-delay",
		"WithRetryPolicy.AttemptTimeout": "--attempt-timeout",
		"WithAccessToken":                "ZOHO_ACCESS_TOKEN",
		"WithRefreshToken":               "ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN",
	}
}

// credentials are what the environment gives to authenticate.
type credentials int

const (
	noCredentials credentials = iota
	staticToken
	refreshFlow
)

// client builds the library's client from the flags, the credentials in
// the environment and extra options. Without credentials it is built
// only when allowed (a dry run plans without them); the library checks
// every value once, and a refusal is told in the flag's words.
func (cf *connFlags) client(allowNoCredentials bool, extra ...zohoterritory.Option) (*zohoterritory.Client, error) {
	opts := []zohoterritory.Option{zohoterritory.WithDataCenter(zohoterritory.DataCenter(cf.dc)),
		zohoterritory.WithAPIVersion(cf.apiVersion), zohoterritory.WithRetryPolicy(cf.retry)}
	if cf.apiDomain != "" {
		opts = append(opts, zohoterritory.WithAPIDomain(cf.apiDomain))
	}
	creds, auth, err := cf.credentials(allowNoCredentials)
	if err != nil {
		return nil, err
	}
	opts = append(opts, auth...)
	switch {
	case cf.accountsURL == "":
	case creds == refreshFlow:
		opts = append(opts, zohoterritory.WithAccountsURL(cf.accountsURL))
	case cf.fs.Changed("accounts-url"):
		return nil, cmdutil.Usagef("--accounts-url: only the refresh-token flow uses an accounts server")
	}
	c, err := zohoterritory.New(append(opts, extra...)...)
	if err != nil {
		return nil, optionUsage(err, cf.flagOf())
	}
	return c, nil
}

// credentials reads the environment's way to authenticate: an access
// token, or the refresh-token flow's three variables.
func (cf *connFlags) credentials(allowNone bool) (credentials, []zohoterritory.Option, error) {
	token := cf.getenv("ZOHO_ACCESS_TOKEN")
	id, sec, rt := cf.getenv("ZOHO_CLIENT_ID"), cf.getenv("ZOHO_CLIENT_SECRET"), cf.getenv("ZOHO_REFRESH_TOKEN")
	switch refresh := id != "" || sec != "" || rt != ""; {
	case token != "" && refresh:
		return 0, nil, cmdutil.Usagef("credentials: both ZOHO_ACCESS_TOKEN and the refresh-token flow's variables are set; " +
			"unset ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN")
	case token != "":
		return staticToken, []zohoterritory.Option{zohoterritory.WithAccessToken(token)}, nil
	case refresh:
		var missing []string
		for _, kv := range [][2]string{{"ZOHO_CLIENT_ID", id}, {"ZOHO_CLIENT_SECRET", sec}, {"ZOHO_REFRESH_TOKEN", rt}} {
			if strings.TrimSpace(kv[1]) == "" {
				missing = append(missing, kv[0])
			}
		}
		if len(missing) > 0 {
			return 0, nil, cmdutil.Usagef("credentials: the refresh-token flow also needs %s", strings.Join(missing, " and "))
		}
		return refreshFlow, []zohoterritory.Option{zohoterritory.WithRefreshToken(id, sec, rt)}, nil
	case !allowNone:
		return 0, nil, cmdutil.Usagef("credentials: set ZOHO_ACCESS_TOKEN (a token from Zoho's self client, say), " +
			"or ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN")
	}
	return noCredentials, nil, nil
}
