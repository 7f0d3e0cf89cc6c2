package main

import (
	"errors"
	"net/url"
	"strings"

	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// connFlags are the flags that say where and how to connect. Each takes its
// default from an environment variable; a bad value is named by the flag
// and, when it came from there, the variable.
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

func (cf *connFlags) register(fs *pflag.FlagSet, getenv func(string) string) {
	cf.fs, cf.getenv = fs, getenv
	env := func(flag, def string) string {
		if v := strings.TrimSpace(getenv(envOf[flag])); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&cf.dc, "dc", env("dc", "US"), "data centre: US, EU, IN, AU, CN, JP, CA, SA, UK [ZOHO_DC]")
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
	dc, err := zohoterritory.ParseDataCenter(cf.dc)
	if err != nil {
		return nil, cmdutil.Usagef("%s %q: unknown data centre: want one of US, EU, IN, AU, CN, JP, CA, SA, UK", cf.name("dc"), cf.dc)
	}
	if err := cf.checkRetry(); err != nil {
		return nil, err
	}
	opts := []zohoterritory.Option{zohoterritory.WithDataCenter(dc), zohoterritory.WithAPIVersion(cf.apiVersion),
		zohoterritory.WithRetryPolicy(cf.retry)}
	if cf.apiDomain != "" {
		if err := checkDomain(cf.name("api-domain"), cf.apiDomain); err != nil {
			return nil, err
		}
		opts = append(opts, zohoterritory.WithAPIDomain(cf.apiDomain))
	}

	token := cf.getenv("ZOHO_ACCESS_TOKEN")
	id, sec, rt := cf.getenv("ZOHO_CLIENT_ID"), cf.getenv("ZOHO_CLIENT_SECRET"), cf.getenv("ZOHO_REFRESH_TOKEN")
	creds := noCredentials
	switch refresh := id != "" || sec != "" || rt != ""; {
	case token != "" && refresh:
		return nil, cmdutil.Usagef("credentials: both ZOHO_ACCESS_TOKEN and the refresh-token flow's variables are set; " +
			"unset ZOHO_ACCESS_TOKEN, or ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN")
	case token != "":
		creds = staticToken
		opts = append(opts, zohoterritory.WithAccessToken(token))
	case refresh:
		var missing []string
		for _, kv := range [][2]string{{"ZOHO_CLIENT_ID", id}, {"ZOHO_CLIENT_SECRET", sec}, {"ZOHO_REFRESH_TOKEN", rt}} {
			if strings.TrimSpace(kv[1]) == "" {
				missing = append(missing, kv[0])
			}
		}
		if len(missing) > 0 {
			return nil, cmdutil.Usagef("credentials: the refresh-token flow also needs %s", strings.Join(missing, " and "))
		}
		creds = refreshFlow
		opts = append(opts, zohoterritory.WithRefreshToken(id, sec, rt))
	case !allowNoCredentials:
		return nil, cmdutil.Usagef("credentials: set ZOHO_ACCESS_TOKEN (a token from Zoho's self client, say), " +
			"or ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and ZOHO_REFRESH_TOKEN")
	}
	switch {
	case cf.accountsURL == "":
	case creds == refreshFlow:
		opts = append(opts, zohoterritory.WithAccountsURL(cf.accountsURL))
	case cf.fs.Changed("accounts-url"):
		return nil, cmdutil.Usagef("--accounts-url: only the refresh-token flow uses an accounts server")
	}
	c, err := zohoterritory.New(append(opts, extra...)...)
	if err != nil {
		return nil, cf.optionError(err)
	}
	return c, nil
}

// optionError tells an option the library refused in the words of the
// flag or variable it came from.
func (cf *connFlags) optionError(err error) error {
	var oe *zohoterritory.OptionError
	if !errors.As(err, &oe) {
		return cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	what := map[string]string{
		"WithDataCenter":   cf.name("dc"),
		"WithAPIVersion":   cf.name("api-version"),
		"WithAPIDomain":    cf.name("api-domain"),
		"WithAccountsURL":  cf.name("accounts-url"),
		"WithConcurrency":  "--concurrency",
		"WithRetryPolicy":  "--max-attempts, --max-delay or --attempt-timeout",
		"WithAccessToken":  "ZOHO_ACCESS_TOKEN",
		"WithRefreshToken": "ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN",
	}[oe.Option]
	if what == "" {
		what = oe.Option
	}
	if s, ok := oe.Value.(string); ok && s != "" {
		return cmdutil.Usagef("%s %q: %v", what, s, oe.Err)
	}
	if oe.Value != nil {
		return cmdutil.Usagef("%s %v: %v", what, oe.Value, oe.Err)
	}
	return cmdutil.Usagef("%s: %v", what, oe.Err)
}

// checkDomain refuses an API domain with a path, a query or a fragment: the
// tool adds /crm/{version}/... itself, and a copied URL with /crm/v7 in it
// would make every call 404.
func checkDomain(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return cmdutil.Usagef("%s %q: not an absolute URL: give the API domain alone, such as https://www.zohoapis.eu", name, raw)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || u.User != nil {
		bare := url.URL{Scheme: u.Scheme, Host: u.Host}
		// Shown without user info, query or fragment, where a secret could
		// hide.
		shown := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
		value := shown.String()
		if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			value += "?…"
		}
		return cmdutil.Usagef("%s %q: give the API domain alone, without a path, query or fragment: %s", name, value, bare.String())
	}
	return nil
}

func (cf *connFlags) checkRetry() error {
	p := &cf.retry
	switch {
	case p.MaxAttempts < 1:
		return cmdutil.Usagef("--max-attempts %d: must be at least 1", p.MaxAttempts)
	case p.MaxDelay <= 0:
		return cmdutil.Usagef("--max-delay %s: must be positive", p.MaxDelay)
	case p.AttemptTimeout <= 0:
		return cmdutil.Usagef("--attempt-timeout %s: must be positive", p.AttemptTimeout)
	}
	p.BaseDelay = min(p.BaseDelay, p.MaxDelay)
	return nil
}

// outputFlag is -o/--output, whose default is table on a terminal and json
// otherwise.
type outputFlag struct {
	format string
	outTTY bool
	// csv allows -o csv: the commands that change memberships write a
	// row per membership.
	csv bool
}

func (o *outputFlag) register(fs *pflag.FlagSet, outTTY bool) {
	o.outTTY = outTTY
	formats := "table or json"
	if o.csv {
		formats = "table, json or csv (a row per membership)"
	}
	fs.StringVarP(&o.format, "output", "o", "", "output format: "+formats+" (default: table on a terminal, json otherwise)")
}

// check checks the flag, and settles the default.
func (o *outputFlag) check() error {
	switch o.format {
	case "":
		o.format = "json"
		if o.outTTY {
			o.format = "table"
		}
	case "table", "json":
	case "csv":
		if !o.csv {
			return cmdutil.Usagef("--output %q: want table or json", o.format)
		}
	default:
		if o.csv {
			return cmdutil.Usagef("--output %q: want table, json or csv", o.format)
		}
		return cmdutil.Usagef("--output %q: want table or json", o.format)
	}
	return nil
}
