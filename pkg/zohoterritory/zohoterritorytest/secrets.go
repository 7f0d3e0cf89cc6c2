package zohoterritorytest

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"strings"
)

// Secret is a value that must never be printed, with a name to report it by
// (so that a failing test does not print the secret either).
type Secret struct {
	Name  string
	Value string
}

// FindSecrets returns the names of the secrets whose value appears in text,
// in the order given: as is, escaped for a URL query or path, quoted as by
// %q or JSON, or in base64. Empty values are ignored. It is for tests that
// check that no secret reaches an error, a log line or a program's output:
//
//	if leaks := zohoterritorytest.FindSecrets(err.Error(), secrets...); len(leaks) > 0 {
//		t.Errorf("error shows %v", leaks)
//	}
func FindSecrets(text string, secrets ...Secret) []string {
	var found []string
	for _, s := range secrets {
		if s.Value == "" {
			continue
		}
		for _, form := range secretForms(s.Value) {
			if strings.Contains(text, form) {
				found = append(found, s.Name)
				break
			}
		}
	}
	return found
}

func secretForms(v string) []string {
	quoted := strconv.Quote(v)
	return []string{
		v,
		url.QueryEscape(v),
		url.PathEscape(v),
		quoted[1 : len(quoted)-1],
		base64.StdEncoding.EncodeToString([]byte(v)),
		base64.RawURLEncoding.EncodeToString([]byte(v)),
	}
}
