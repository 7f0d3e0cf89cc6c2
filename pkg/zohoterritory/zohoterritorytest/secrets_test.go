package zohoterritorytest

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFindSecrets(t *testing.T) {
	t.Parallel()
	const v = `se/cr"et+1 =&`
	secrets := []Secret{{Name: "token", Value: v}, {Name: "unset", Value: ""}, {Name: "other", Value: "zzz-other"}}
	tests := []struct {
		name, text string
		want       []string
	}{
		{"as is", "error: " + v, []string{"token"}},
		{"query-escaped", "GET /?t=" + url.QueryEscape(v), []string{"token"}},
		{"path-escaped", "/x/" + url.PathEscape(v), []string{"token"}},
		{"quoted", fmt.Sprintf("value %q", v), []string{"token"}},
		{"base64", "Basic " + base64.StdEncoding.EncodeToString([]byte(v)), []string{"token"}},
		{"two", v + " zzz-other", []string{"token", "other"}},
		{"none", "[REDACTED] se/cr", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tt.want, FindSecrets(tt.text, secrets...))
		})
	}
}
