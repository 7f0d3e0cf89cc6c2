package zohoterritory

import (
	"errors"
	"fmt"
)

// maxIDLen is the longest Zoho record id: a positive 64-bit integer has at
// most 19 decimal digits.
const maxIDLen = 19

// CheckID returns nil when id is a Zoho record id (1 to 19 decimal
// digits, as every user and territory id is), and otherwise an
// [*InvalidIDError] with the rule it breaks and an empty Arg, for the
// caller to name where the id came from. The client runs the same check
// on every id before it sends anything.
func CheckID(id string) error { return checkID("", id) }

// checkID returns an [*InvalidIDError] naming arg when id is not a Zoho
// record id.
func checkID(arg, id string) error {
	switch {
	case id == "":
		return &InvalidIDError{Arg: arg, ID: id, Rule: "must not be empty"}
	case len(id) > maxIDLen:
		return &InvalidIDError{Arg: arg, ID: id, Rule: fmt.Sprintf("must have at most %d digits", maxIDLen)}
	}
	for i := 0; i < len(id); i++ {
		if id[i] < '0' || id[i] > '9' {
			return &InvalidIDError{Arg: arg, ID: id, Rule: "must contain decimal digits only"}
		}
	}
	return nil
}

// checkIDs checks every id and returns them with repeats dropped, keeping
// the first occurrence's place. name is the argument's name for errors,
// such as "userIDs".
func checkIDs(name string, ids []string) ([]string, error) {
	if len(ids) == 0 {
		return nil, &InvalidIDError{Arg: name, Rule: "at least one id is required"}
	}
	seen := make(map[string]struct{}, len(ids))
	out := make([]string, 0, len(ids))
	for i, id := range ids {
		if err := checkID(name, id); err != nil {
			// The argument's name is formatted only for the error.
			var idErr *InvalidIDError
			if errors.As(err, &idErr) {
				idErr.Arg = fmt.Sprintf("%s[%d]", name, i)
			}
			return nil, err
		}
		if _, dup := seen[id]; dup {
			continue
		}
		seen[id] = struct{}{}
		out = append(out, id)
	}
	return out, nil
}

// BatchLimits bound one call of a bulk change: at most IDs ids, and at
// most Chars characters in the comma-joined `ids` (0: no such cap).
type BatchLimits struct {
	IDs   int
	Chars int
}

// DefaultBatchLimits returns Zoho's limits for op's calls: removing users
// from a territory, 100 ids and 500 characters (Zoho's OpenAPI file caps
// that `ids` at 500 characters, about 26 ids of 18 or 19 digits); removing
// territories from a user, 100 ids (Zoho's documented limit) and 2,000
// characters.
//
// The adds send their ids in the body: 100 ids a call, no character cap.
func DefaultBatchLimits(op Op) BatchLimits {
	switch {
	case op.Adds():
		return BatchLimits{IDs: MaxBatchSize}
	case op == OpRemoveUsers:
		return BatchLimits{IDs: MaxBatchSize, Chars: 500}
	}
	return BatchLimits{IDs: MaxBatchSize, Chars: 2000}
}

func (l BatchLimits) validate() error {
	switch {
	case l.IDs < 1 || l.IDs > MaxBatchSize:
		return fmt.Errorf("IDs %d: must be between 1 and %d", l.IDs, MaxBatchSize)
	case l.Chars != 0 && l.Chars < maxIDLen:
		return fmt.Errorf("Chars %d: must be 0 (no cap) or at least %d, the longest id", l.Chars, maxIDLen) //nolint:staticcheck // ST1005: it starts with the field's name
	}
	return nil
}

// batches splits ids into consecutive calls within l: as many ids as fit,
// in order.
func batches(ids []string, l BatchLimits) [][]string {
	var out [][]string
	start, chars := 0, 0
	for i, id := range ids {
		add := len(id)
		if i > start {
			add++ // the comma
		}
		if i > start && (i-start >= l.IDs || (l.Chars > 0 && chars+add > l.Chars)) {
			out = append(out, ids[start:i:i])
			start, chars, add = i, 0, len(id)
		}
		chars += add
	}
	return append(out, ids[start:len(ids):len(ids)])
}
