package zohoterritory

import (
	"encoding/json"
	"errors"
	"fmt"
)

// wireID is a record id as JSON carries it: a string of digits, or the
// same digits as a JSON number (Zoho's Python SDK writes ids so). The
// digits are kept as written: ids exceed 2^53, so a float would change
// them. null reads as "".
type wireID string

// UnmarshalJSON reads a string, a whole number (its literal digits) or
// null. A number with a sign, a fraction or an exponent, and any other
// JSON value, is an error: it cannot be a record id, and reading it as one
// would guess. A string is kept whatever it holds: whether it is a
// well-formed id is for the reader to check (checkID), as it was before
// numbers were read.
func (w *wireID) UnmarshalJSON(b []byte) error {
	if len(b) == 0 {
		return errors.New("record id: empty JSON value")
	}
	switch c := b[0]; {
	case c == 'n' && string(b) == "null":
		*w = ""
		return nil
	case c == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*w = wireID(s)
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		for _, d := range b {
			if d < '0' || d > '9' {
				return fmt.Errorf("record id %s: a number must be written as its digits alone, without sign, fraction or exponent", truncateJSON(b))
			}
		}
		*w = wireID(b)
		return nil
	}
	return fmt.Errorf("record id: want a string or a number, got %s", jsonKind(b[0]))
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	}
	return "something else"
}

// truncateJSON keeps an error about a value short: a number cannot be an
// id past a few dozen characters anyway.
func truncateJSON(b []byte) string {
	const limit = 40
	if len(b) > limit {
		return string(b[:limit]) + "..."
	}
	return string(b)
}
