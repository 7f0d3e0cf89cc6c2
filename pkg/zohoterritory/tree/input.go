package tree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"

	yaml "go.yaml.in/yaml/v3"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file tells apart the four kinds of file that plan and apply take,
// by what they hold: a YAML or JSON document by its `format`, anything
// else as the membership file (CSV) that has no format to tell.

// InputKind is what a file given to plan or apply holds.
type InputKind string

// The kinds of [Input].
const (
	// InputTree is a tree file (format zohoterritory-tree): [Input].File.
	InputTree InputKind = "tree file"
	// InputTreePlan is a saved tree plan (format zohoterritory-tree-plan):
	// [Input].Plan.
	InputTreePlan InputKind = "saved tree plan"
	// InputMembershipPlan is a saved membership plan (format
	// zohoterritory-plan): [Input].MembershipPlan.
	InputMembershipPlan InputKind = "saved membership plan"
	// InputMemberships is a membership file (CSV of territory and user):
	// [Input].Memberships.
	InputMemberships InputKind = "membership file"
)

// Input is a file given to plan or apply, read as what it holds: Kind
// says which of the other fields is set.
type Input struct {
	Kind           InputKind
	File           *File
	Plan           *Plan
	MembershipPlan *zohoterritory.Plan
	Memberships    []zohoterritory.MembershipRow
}

// maxInputSize is the most bytes ReadInput reads: a saved membership
// plan's bound ([zohoterritory.ReadPlan] keeps the same).
const maxInputSize = 256 << 20

// formatLine is a top-level `format:` key, which a membership file never
// starts a line with: a YAML document too broken to parse that has one is
// a tree file with a mistake, reported with its place.
var formatLine = regexp.MustCompile(`(?m)^["']?format["']?[ \t]*:`)

// ReadInput reads a file given to plan or apply and tells by its content
// what it is: a JSON document by its "format" (a saved tree plan, a saved
// membership plan, or a tree file written as JSON); a YAML mapping, or a
// YAML document with a top-level `format` key that does not parse, is a
// tree file ([ReadFile] reports what is wrong with it, with its place);
// anything else is a membership file ([zohoterritory.ReadMemberships]).
// Each kind is read strictly by its own reader, whose errors it returns:
// a [*ProblemsError] for a tree file, a [*zohoterritory.FileError]
// otherwise. name is the file's name in them.
func ReadInput(r io.Reader, name string) (*Input, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInputSize+1))
	if err != nil {
		return nil, &zohoterritory.FileError{Name: name, Err: err}
	}
	if len(data) > maxInputSize {
		return nil, &zohoterritory.FileError{Name: name, Err: fmt.Errorf("larger than %d MiB", maxInputSize>>20)}
	}
	switch kind, parsed, err := inputKind(data, name); {
	case err != nil:
		return nil, err
	case kind == InputTreePlan:
		p, err := ReadPlan(bytes.NewReader(data), name)
		return &Input{Kind: kind, Plan: p}, err
	case kind == InputMembershipPlan:
		p, err := zohoterritory.ReadPlan(bytes.NewReader(data), name)
		return &Input{Kind: kind, MembershipPlan: p}, err
	case kind == InputTree:
		f, err := readFile(data, name, parsed)
		return &Input{Kind: kind, File: f}, err
	}
	rows, err := zohoterritory.ReadMemberships(bytes.NewReader(data), name)
	return &Input{Kind: InputMemberships, Memberships: rows}, err
}

// inputKind tells what data holds, by its format. For a tree file in
// YAML it returns the first document as parsed, which the file's reading
// goes on from; nil otherwise.
func inputKind(data []byte, name string) (InputKind, *parsedYAML, error) {
	var head struct {
		Format *string `json:"format"`
	}
	if json.Unmarshal(data, &head) == nil {
		format := ""
		if head.Format != nil {
			format = *head.Format
		}
		switch format {
		case PlanFormat:
			return InputTreePlan, nil, nil
		case zohoterritory.PlanFormat:
			return InputMembershipPlan, nil, nil
		case FileFormat:
			return InputTree, nil, nil
		}
		return "", nil, &zohoterritory.FileError{Name: name, Err: fmt.Errorf(
			"a JSON document, but not a saved plan (its format is %q, not %s or %s), nor a tree file (format %s), nor a membership file",
			format, PlanFormat, zohoterritory.PlanFormat, FileFormat)}
	}
	if len(data) > maxFileSize {
		return InputMemberships, nil, nil // larger than any tree file
	}
	p := parseYAML(data)
	switch {
	case p.err == nil && len(p.doc.Content) == 1 && p.doc.Content[0].Kind == yaml.MappingNode:
		if v := valueOf(p.doc.Content[0], "format"); v != nil && v.Kind == yaml.ScalarNode {
			switch v.Value {
			case PlanFormat:
				return InputTreePlan, nil, nil
			case zohoterritory.PlanFormat:
				return InputMembershipPlan, nil, nil
			}
		}
		return InputTree, p, nil
	case p.err != nil && formatLine.Match(data):
		return InputTree, p, nil
	}
	return InputMemberships, nil, nil
}
