package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// Criteria are a territory's assignment rules, one criterion for each
// module, as Zoho gives them (account_rule_criteria, lead_rule_criteria,
// deal_rule_criteria): JSON values kept as they are, nil for none. The
// tree file calls them `rules`.
type Criteria struct {
	Accounts json.RawMessage `json:"accounts,omitempty"`
	Leads    json.RawMessage `json:"leads,omitempty"`
	Deals    json.RawMessage `json:"deals,omitempty"`
}

// modules are the keys of a file's `rules`, in the order they are
// written.
var modules = []string{"accounts", "leads", "deals"}

// get returns the criterion of module (one of modules).
func (c *Criteria) get(module string) *json.RawMessage {
	switch module {
	case "accounts":
		return &c.Accounts
	case "leads":
		return &c.Leads
	}
	return &c.Deals
}

// IsZero reports whether there is no criterion at all.
func (c Criteria) IsZero() bool {
	return none(c.Accounts) && none(c.Leads) && none(c.Deals)
}

// Equal reports whether c and o hold the same criteria, each compared as
// a whole JSON value: key order, spacing and the spelling of numbers
// (100, 100.0) do not count; a string "100" differs from the number 100.
func (c Criteria) Equal(o Criteria) bool {
	for _, m := range modules {
		if !sameJSON(*c.get(m), *o.get(m)) {
			return false
		}
	}
	return true
}

// Changed returns the modules whose criterion differs between c and o,
// in the order accounts, leads, deals: what an update sends.
func (c Criteria) Changed(o Criteria) []string {
	var out []string
	for _, m := range modules {
		if !sameJSON(*c.get(m), *o.get(m)) {
			out = append(out, m)
		}
	}
	return out
}

// normalized returns c with every JSON null as nil.
func (c Criteria) normalized() Criteria {
	for _, m := range modules {
		if p := c.get(m); none(*p) {
			*p = nil
		}
	}
	return c
}

// none reports whether raw holds no value: empty, or JSON null.
func none(raw json.RawMessage) bool {
	s := bytes.TrimSpace(raw)
	return len(s) == 0 || string(s) == "null"
}

// sameJSON compares two JSON values as [Criteria.Equal] says; a value
// that is not JSON equals only the same bytes.
func sameJSON(a, b json.RawMessage) bool {
	if none(a) || none(b) {
		return none(a) == none(b)
	}
	ca, errA := canonical(a)
	cb, errB := canonical(b)
	if errA != nil || errB != nil {
		return bytes.Equal(a, b)
	}
	return ca == cb
}

// canonical returns raw re-encoded with sorted keys and numbers in one
// spelling.
func canonical(raw json.RawMessage) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	b, err := json.Marshal(canonicalNumbers(v))
	return string(b), err
}

func canonicalNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = canonicalNumbers(e)
		}
	case []any:
		for i, e := range x {
			x[i] = canonicalNumbers(e)
		}
	case json.Number:
		if !strings.ContainsAny(string(x), ".eE") {
			return x // an integer: exact, however long
		}
		if f, err := x.Float64(); err == nil {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return v
}

// isObject reports whether raw is a JSON object.
func isObject(raw json.RawMessage) bool {
	s := bytes.TrimSpace(raw)
	return len(s) > 0 && s[0] == '{'
}

// yamlToJSON converts a YAML value to JSON, keys in the file's order.
// Numbers keep their spelling when it is JSON's; anchors, aliases and
// tags JSON has no value for are refused.
func yamlToJSON(n *yaml.Node) (json.RawMessage, error) {
	var b bytes.Buffer
	if err := writeJSON(&b, n); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.MappingNode:
		b.WriteByte('{')
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!null" || k.Tag == "!!merge" {
				return fmt.Errorf("line %d: a key must be a string", k.Line)
			}
			if seen[k.Value] {
				return fmt.Errorf("line %d: key %q repeated", k.Line, k.Value)
			}
			seen[k.Value] = true
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k.Value)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, e := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		return writeScalar(b, n)
	case yaml.AliasNode:
		return fmt.Errorf("line %d: aliases are not supported", n.Line)
	default:
		return fmt.Errorf("line %d: not a value", n.Line)
	}
	return nil
}

func writeScalar(b *bytes.Buffer, n *yaml.Node) error {
	switch n.Tag {
	case "!!str", "!!timestamp": // a date as written is a string to JSON
		writeString(b, n.Value)
	case "!!null":
		b.WriteString("null")
	case "!!bool":
		var v bool
		if err := n.Decode(&v); err != nil {
			return fmt.Errorf("line %d: %w", n.Line, err)
		}
		b.WriteString(strconv.FormatBool(v))
	case "!!int", "!!float":
		if json.Valid([]byte(n.Value)) && !strings.ContainsAny(n.Value, " \t\"[{") {
			b.WriteString(n.Value)
			return nil
		}
		var v float64
		if err := n.Decode(&v); err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return fmt.Errorf("line %d: %q is not a number JSON can hold", n.Line, n.Value)
		}
		if n.Tag == "!!int" {
			var i int64
			if err := n.Decode(&i); err == nil {
				b.WriteString(strconv.FormatInt(i, 10))
				return nil
			}
		}
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	default:
		return fmt.Errorf("line %d: the tag %s has no JSON value", n.Line, n.Tag)
	}
	return nil
}

func writeString(b *bytes.Buffer, s string) {
	enc, _ := json.Marshal(s) // a string always encodes
	b.Write(enc)
}

// jsonToYAML converts a JSON value to YAML, keys in the JSON's order, so
// that a criterion is written back as Zoho gave it.
func jsonToYAML(raw json.RawMessage) (*yaml.Node, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := readYAML(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one JSON value")
	}
	return n, nil
}

func readYAML(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				v, err := readYAML(dec)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, str(k.(string)), v)
			}
			_, err := dec.Token() // }
			return n, err
		}
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for dec.More() {
			v, err := readYAML(dec)
			if err != nil {
				return nil, err
			}
			n.Content = append(n.Content, v)
		}
		_, err := dec.Token() // ]
		return n, err
	case string:
		return str(t), nil
	case json.Number:
		tag := "!!int"
		if _, err := t.Int64(); err != nil {
			tag = "!!float" // YAML reads an integer past int64 as a float
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: string(t)}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(t)}, nil
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
}

// str is a YAML string scalar; the encoder quotes it when it would read
// back as something else.
func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}
