package zohoterritorytest

import (
	"bytes"
	"encoding/json"
)

// bodyID is a record id in a request body, as Zoho takes it: a JSON
// string, or a JSON number of up to 19 digits (Zoho's Python SDK sends
// numbers). raw keeps the digits exactly; ok is false when the value is
// neither (an object, a float, a negative number, a string that is not
// digits is still ok=true with the string, so that the id check answers it).
type bodyID struct {
	raw     string
	present bool // the key was there
	ok      bool // a string or an integer's digits
}

// UnmarshalJSON never fails: it records what it saw. encoding/json calls it
// for every value of the key, null included.
func (b *bodyID) UnmarshalJSON(data []byte) error {
	*b = bodyID{present: true}
	data = bytes.TrimSpace(data)
	switch {
	case len(data) >= 2 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err == nil {
			b.raw, b.ok = s, true
		}
	case len(data) >= 1 && len(data) <= 19 && allDigits(data):
		b.raw, b.ok = string(data), true
	}
	return nil
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}
