package zohoterritory

import "fmt"

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
			err.(*InvalidIDError).Arg = fmt.Sprintf("%s[%d]", name, i)
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

// batches splits ids into consecutive slices of at most size ids.
func batches(ids []string, size int) [][]string {
	out := make([][]string, 0, (len(ids)+size-1)/size)
	for len(ids) > size {
		out = append(out, ids[:size:size])
		ids = ids[size:]
	}
	return append(out, ids)
}
