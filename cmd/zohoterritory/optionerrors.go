package main

import (
	"errors"
	"fmt"
	"regexp"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// optionName is an option of the library named in a rule.
var optionName = regexp.MustCompile(`\bWith[A-Za-z]+\b`)

// flagMeanings say what a flag means besides the option it sets, for the
// message of a value the library refused: --concurrency's 0 sets no fixed
// limit at all, so the library never sees it.
var flagMeanings = map[string]string{
	"--concurrency": " (or 0: find Zoho's limit)",
}

// optionUsage tells an option (or a field of one) that the library
// refused in the words of the flag or variable it came from, as a usage
// error: flagOf maps "WithDataCenter", or "WithRetryPolicy.MaxAttempts" for
// a field, to "--dc" or "ZOHO_DC"; options the rule names are renamed so
// too. The rule is the library's; the CLI restates none.
func optionUsage(err error, flagOf map[string]string) error {
	var oe *zohoterritory.OptionError
	if !errors.As(err, &oe) {
		return cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	key := oe.Option
	if oe.Field != "" {
		key += "." + oe.Field
	}
	what, ok := flagOf[key]
	if !ok {
		return cmdutil.Usagef("%s", cmdutil.Message(err))
	}
	rule := optionName.ReplaceAllStringFunc(oe.Err.Error(), func(option string) string {
		if flag, ok := flagOf[option]; ok {
			return flag
		}
		return option
	}) + flagMeanings[what]
	switch v := oe.Value.(type) {
	case nil:
		return cmdutil.Usagef("%s: %s", what, rule)
	case string:
		return cmdutil.Usagef("%s %q: %s", what, v, rule)
	default:
		return cmdutil.Usagef("%s %v: %s", what, fmt.Sprint(v), rule)
	}
}
