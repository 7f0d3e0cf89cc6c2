package zohoterritorytest

import "encoding/json"

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

// maxIDDigits is the most digits of a record id: a positive 64-bit
// integer has at most 19.
const maxIDDigits = 19

// UnmarshalJSON never fails: it records what it saw. A JSON null is taken
// as the key's absence, as an add's body without an id is answered.
func (b *bodyID) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		return nil
	}
	b.present = true
	switch {
	case len(data) >= 2 && data[0] == '"':
		var s string
		if err := json.Unmarshal(data, &s); err == nil {
			b.raw, b.ok = s, true
		}
	case len(data) >= 1 && len(data) <= maxIDDigits && allDigits(data):
		// The literal digits, never a float64: ids exceed 2^53.
		b.raw, b.ok = string(data), true
	}
	return nil
}

// id is the id to look up: the value when it was a string or an integer,
// "" (which names no record) otherwise.
func (b bodyID) id() string {
	if !b.ok {
		return ""
	}
	return b.raw
}

func allDigits(data []byte) bool {
	for _, c := range data {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
