package zohoterritory

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// wireID is a record id as JSON carries it: a string of digits, or the
// same digits as a JSON number (Zoho's Python SDK writes ids so). The
// digits are kept as written: ids exceed 2^53, so a float would change
// them. null reads as "".
type wireID string

// UnmarshalJSON reads a string as it is and a number as its literal
// digits, refusing a sign, a fraction or an exponent.
func (w *wireID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		*w = ""
		return nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*w = wireID(s)
		return nil
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return fmt.Errorf("id %s: a number must be written with decimal digits only", b)
		}
	}
	if len(b) == 0 {
		return fmt.Errorf("id: empty")
	}
	*w = wireID(b)
	return nil
}
