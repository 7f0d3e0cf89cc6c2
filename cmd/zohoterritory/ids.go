package main

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// idsHelp says how ids are given, for every command that takes them.
const idsHelp = `Ids come as arguments, or on standard input when there are none (or the
only one is "-") and standard input is not a terminal: one per line,
comma- or space-separated, or a CSV file's single column, quoted or not,
with or without a header named id. Lines may be of any length. A bad id is
named by its argument number or line, and nothing is sent.`

// readIDs takes the ids from the arguments, or from standard input. Every
// id is checked here, so that a bad one is named as the user gave it
// (argument 3, line 7) before anything is sent.
func readIDs(args []string, io *cmdutil.IOStreams) ([]string, error) {
	fromStdin := len(args) == 0 || (len(args) == 1 && args[0] == "-")
	if !fromStdin {
		for i, a := range args {
			if a == "-" {
				return nil, cmdutil.Usagef(`argument %d: "-" (read ids from standard input) must be the only id argument`, i+1)
			}
			if err := checkID(a); err != nil {
				return nil, cmdutil.Usagef("argument %d %q: %s", i+1, a, err)
			}
		}
		return args, nil
	}
	if io.InTTY {
		return nil, cmdutil.Usagef("no ids given: pass them as arguments or on standard input")
	}
	ids, err := readIDList(io.In, "standard input")
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, cmdutil.Usagef("no ids given: standard input holds none")
	}
	return ids, nil
}

// readIDList reads ids from r, named what in errors.
func readIDList(r io.Reader, what string) ([]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	var ids []string
	first := true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return ids, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, cmdutil.Usagef("%s, line %d: %v", what, pe.Line, pe.Err)
			}
			return nil, cmdutil.Usagef("read %s: %v", what, err)
		}
		line, _ := cr.FieldPos(0)
		for i, field := range rec {
			for _, id := range strings.Fields(field) {
				if first && i == 0 && isHeader(id) {
					continue
				}
				if err := checkID(id); err != nil {
					return nil, cmdutil.Usagef("%s, line %d: %q: %s", what, line, id, err)
				}
				ids = append(ids, id)
			}
		}
		first = false
	}
}

// isHeader reports whether a CSV's first field names its column.
func isHeader(field string) bool {
	switch strings.ToLower(field) {
	case "id", "ids", "user_id", "territory_id", "record_id", "user id", "territory id":
		return true
	}
	return false
}

// checkID returns the rule an id breaks, as the library states it, or nil.
func checkID(id string) error {
	err := zohoterritory.CheckID(id)
	var ie *zohoterritory.InvalidIDError
	if errors.As(err, &ie) {
		return errors.New(ie.Rule)
	}
	return err
}

// idList is a repeatable flag of ids, each value one id or several
// separated by commas.
type idList []string

func (l *idList) String() string { return strings.Join(*l, ",") }
func (l *idList) Type() string   { return "ids" }

func (l *idList) Set(v string) error {
	for id := range strings.SplitSeq(v, ",") {
		if id = strings.TrimSpace(id); id == "" {
			continue
		}
		if err := checkID(id); err != nil {
			return fmt.Errorf("%q: %w", id, err)
		}
		*l = append(*l, id)
	}
	return nil
}
