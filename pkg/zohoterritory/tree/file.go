package tree

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	yaml "go.yaml.in/yaml/v3"
)

// This file reads and writes the tree file: YAML, the desired state of the
// org's whole territory tree from its root. Reading is strict (unknown
// keys, wrong types, a second root are refused) and keeps the place of
// every value for the problems; writing is stable (keys in one order,
// values quoted where YAML would read them otherwise), so that a file
// read and written back is the same bytes.

// FileFormat is the value of every tree file's `format`.
const FileFormat = "zohoterritory-tree"

// FileVersion is the tree file format this package reads and writes.
const FileVersion = 1

// maxFileSize is the most bytes ReadFile reads: far more than an org's
// tree (2,000 territories of 100 members is about 10 MB).
const maxFileSize = 64 << 20

// File is a tree file: the desired state of the org's territories, from
// the root down. Read one with [ReadFile], make one with [Export], write
// one with [File.WriteTo].
type File struct {
	// Name is the file's name, for problems ("tree.yaml").
	Name string
	// Meta says what the file was exported from; nil when the file has no
	// export comment.
	Meta *Meta
	// Root is the org's root territory (the organization territory) and,
	// through its children, every other.
	Root *Node
}

// Meta is what an export was made from, written as the file's first
// line: "# zohoterritory export of https://www.zohoapis.eu (API v7) on
// 2026-12-06T10:00:00Z".
type Meta struct {
	APIDomain, APIVersion string
	// Exported is when the org was read; written in UTC, to the second.
	Exported time.Time
}

// Pos is a place in a file: 1-based line and column.
type Pos struct {
	Line, Col int
}

// Node is one territory of a tree file, as written. Manager and Users are
// references as a person gives them (e-mail addresses or ids), resolved
// against the org by [Diff].
type Node struct {
	// Name is required.
	Name string
	// ID is the territory's record id, written by export: it matches the
	// org's territory across a rename or a move. "" when absent.
	ID string
	// Manager is an e-mail address or a user id; "" for no manager.
	Manager string
	// Permission is read_only or read_write_delete; "" when absent (for an
	// existing territory: unchanged).
	Permission string
	// Description is "" for none.
	Description string
	// Criteria are the assignment rules (the file's `rules`).
	Criteria Criteria
	// Users are the members, exactly (the manager is one whether listed or
	// not): e-mail addresses or user ids.
	Users []string
	// Children are the territories that report to this one, in the
	// file's order.
	Children []*Node
	// Pos is where the territory's mapping starts in the file; zero for a
	// node not read from a file.
	Pos Pos
	// at holds where each key's value is: "name", "users", "users[2]",
	// "rules.accounts", ...
	at map[string]Pos
}

// At returns where the value of field ("manager", "users[2]",
// "rules.leads", ...) is in the file, or where the territory starts when
// the field is absent.
func (n *Node) At(field string) Pos {
	if p, ok := n.at[field]; ok {
		return p
	}
	return n.Pos
}

// has reports whether the file gave field.
func (n *Node) has(field string) bool {
	_, ok := n.at[field]
	return ok
}

// childPath returns the path of a territory named name whose parent's
// path is parent: names from the top joined by "/", the root left out
// below it, as [zohoterritory.Directory.Path] writes them. parent is ""
// for the root and for the root's children.
func childPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "/" + name
}

var headerRE = regexp.MustCompile(`^# zohoterritory export of (\S+) \(API (\S+)\) on (\S+)\r?$`)

// ReadFile reads a tree file strictly: YAML, `format` zohoterritory-tree,
// `version` 1, `territories` a list of exactly one territory (the root),
// each territory a mapping of the keys [Node] lists and nothing else. It
// reports every problem it finds, each with its place, in one
// [*ProblemsError]; name is the file's name in them. The values are
// checked against Zoho's rules by [File.Check], and against the org by
// [Diff].
func ReadFile(r io.Reader, name string) (*File, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return readFile(data, name, nil)
}

// parsedYAML is a YAML text's first document (or the error that ended
// it) and the decoder that read it, for the documents after it.
type parsedYAML struct {
	doc yaml.Node
	err error
	dec *yaml.Decoder
}

// parseYAML decodes data's first YAML document.
func parseYAML(data []byte) *parsedYAML {
	p := &parsedYAML{dec: yaml.NewDecoder(bytes.NewReader(data))}
	p.err = p.dec.Decode(&p.doc)
	return p
}

// readFile reads the tree file data as ReadFile says; p is its first
// YAML document when the caller has decoded it (to tell what the file
// is), nil otherwise.
func readFile(data []byte, name string, p *parsedYAML) (*File, error) {
	ps := &problems{file: name}
	if len(data) > maxFileSize {
		ps.add(Pos{}, "", "", "larger than %d MiB: not a tree file", maxFileSize>>20)
		return nil, ps.err()
	}
	if p == nil {
		p = parseYAML(data)
	}
	f := &File{Name: name}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if m := headerRE.FindSubmatch(first); m != nil {
		if t, err := time.Parse(time.RFC3339, string(m[3])); err == nil {
			f.Meta = &Meta{APIDomain: string(m[1]), APIVersion: string(m[2]), Exported: t}
		}
	}
	if err := p.err; err != nil {
		if errors.Is(err, io.EOF) {
			ps.add(Pos{}, "", "", "empty: want format: %s, version: %d and territories", FileFormat, FileVersion)
		} else {
			ps.add(yamlErrorPos(err), "", "", "%s", yamlErrorText(err))
		}
		return nil, ps.err()
	}
	doc := &p.doc
	var more yaml.Node
	if err := p.dec.Decode(&more); err == nil {
		ps.add(Pos{Line: more.Line, Col: more.Column}, "", "", "a second YAML document: a tree file holds one")
	} else if !errors.Is(err, io.EOF) {
		ps.add(yamlErrorPos(err), "", "", "%s", yamlErrorText(err))
	}
	top := doc.Content[0]
	if top.Kind != yaml.MappingNode {
		ps.add(pos(top), "", "", "want a mapping of format, version and territories")
		return nil, ps.err()
	}
	var gotFormat, gotVersion bool
	eachKey(top, "", "", ps, func(key string, k, v *yaml.Node) {
		switch key {
		case "format":
			gotFormat = true
			if v.Kind != yaml.ScalarNode || v.Value != FileFormat {
				ps.add(pos(v), "", "format", "want %s: not a tree file", FileFormat)
			}
		case "version":
			gotVersion = true
			if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Value != strconv.Itoa(FileVersion) {
				ps.add(pos(v), "", "version", "want %d: a tree file of another version", FileVersion)
			}
		case "territories":
			f.Root = readRoots(v, ps)
		default:
			ps.add(pos(k), "", "", "unknown key %q: a tree file has format, version and territories", key)
		}
	})
	if !gotFormat {
		ps.add(pos(top), "", "", "no format: want format: %s", FileFormat)
	}
	if !gotVersion {
		ps.add(pos(top), "", "", "no version: want version: %d", FileVersion)
	}
	if f.Root == nil && !hasKey(top, "territories") {
		ps.add(pos(top), "", "", "no territories: want the root territory and, under it, every other")
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	return f, nil
}

func readRoots(v *yaml.Node, ps *problems) *Node {
	if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
		ps.add(pos(v), "", "territories", "want a list of one territory: the root, with every other under it")
		return nil
	}
	for _, extra := range v.Content[1:] {
		ps.add(pos(extra), "", "territories", "a second root: the org has one root territory, and every other is under it")
	}
	return readNode(v.Content[0], "", true, ps)
}

// readNode reads the territory at n, whose parent's path is parent.
func readNode(n *yaml.Node, parent string, isRoot bool, ps *problems) *Node {
	if n.Kind != yaml.MappingNode {
		ps.add(pos(n), parent, "", "want a territory: a mapping of name, id, manager, permission, description, rules, users, children")
		return nil
	}
	t := &Node{Pos: pos(n), at: map[string]Pos{}}
	path := parent
	if v := valueOf(n, "name"); v != nil && v.Kind == yaml.ScalarNode {
		t.Name = v.Value
		path = childPath(parent, v.Value)
	}
	eachKey(n, path, "", ps, func(key string, k, v *yaml.Node) {
		t.at[key] = pos(v)
		switch key {
		case "name":
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				ps.add(pos(v), path, key, "want the territory's name")
			}
		case "id", "manager", "permission", "description":
			s, ok := scalar(v)
			if !ok {
				ps.add(pos(v), path, key, "want a single value")
			}
			switch key {
			case "id":
				t.ID = s
			case "manager":
				t.Manager = s
			case "permission":
				t.Permission = s
			default:
				t.Description = s
			}
		case "rules":
			t.Criteria = readCriteria(t, v, path, ps)
		case "users":
			t.Users = readUsers(t, v, path, ps)
		case "children":
			t.Children = readChildren(v, path, isRoot, ps)
		default:
			ps.add(pos(k), path, "", "unknown key %q: a territory has name, id, manager, permission, description, rules, users, children", key)
		}
	})
	if _, ok := t.at["name"]; !ok {
		ps.add(pos(n), parent, "", "no name: every territory has one")
	}
	return t
}

func readCriteria(t *Node, v *yaml.Node, path string, ps *problems) Criteria {
	var c Criteria
	if isNull(v) {
		return c
	}
	if v.Kind != yaml.MappingNode {
		ps.add(pos(v), path, "rules", "want a mapping of accounts, leads, deals: each module's criteria as Zoho gives them")
		return c
	}
	eachKey(v, path, "rules.", ps, func(key string, k, m *yaml.Node) {
		field := "rules." + key
		t.at[field] = pos(m)
		if key != "accounts" && key != "leads" && key != "deals" {
			ps.add(pos(k), path, "rules", "unknown module %q: want accounts, leads or deals", key)
			return
		}
		if isNull(m) {
			return
		}
		raw, err := yamlToJSON(m)
		if err != nil {
			ps.add(pos(m), path, field, "%v", err)
			return
		}
		*c.get(key) = raw
	})
	return c
}

func readUsers(t *Node, v *yaml.Node, path string, ps *problems) []string {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		ps.add(pos(v), path, "users", "want a list of e-mail addresses or user ids")
		return nil
	}
	users := make([]string, 0, len(v.Content))
	for i, u := range v.Content {
		field := fmt.Sprintf("users[%d]", i)
		s, ok := scalar(u)
		if !ok || isNull(u) {
			ps.add(pos(u), path, field, "want an e-mail address or a user id")
			continue
		}
		t.at[field] = pos(u)
		users = append(users, s)
	}
	return users
}

func readChildren(v *yaml.Node, path string, isRoot bool, ps *problems) []*Node {
	if isNull(v) {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		ps.add(pos(v), path, "children", "want a list of territories")
		return nil
	}
	var out []*Node
	for _, c := range v.Content {
		parent := path
		if isRoot {
			parent = ""
		}
		if n := readNode(c, parent, false, ps); n != nil {
			out = append(out, n)
		}
	}
	return out
}

// eachKey calls fn for each key of the mapping m in order, after
// refusing aliases and repeated keys.
func eachKey(m *yaml.Node, path, prefix string, ps *problems, fn func(key string, k, v *yaml.Node)) {
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			ps.add(pos(k), path, "", "want a key")
			continue
		}
		if seen[k.Value] {
			ps.add(pos(k), path, prefix+k.Value, "repeated: each key is given once")
			continue
		}
		seen[k.Value] = true
		if v.Kind == yaml.AliasNode {
			ps.add(pos(v), path, prefix+k.Value, "aliases are not supported: write the value out")
			continue
		}
		fn(k.Value, k, v)
	}
}

func valueOf(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func hasKey(m *yaml.Node, key string) bool { return valueOf(m, key) != nil }

// scalar returns a scalar's text, "" for null.
func scalar(v *yaml.Node) (string, bool) {
	if v.Kind != yaml.ScalarNode {
		return "", false
	}
	if isNull(v) {
		return "", true
	}
	return v.Value, true
}

func isNull(v *yaml.Node) bool { return v.Kind == yaml.ScalarNode && v.Tag == "!!null" }

func pos(n *yaml.Node) Pos { return Pos{Line: n.Line, Col: n.Column} }

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlErrorPos finds the line a YAML syntax error names.
func yamlErrorPos(err error) Pos {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return Pos{Line: line, Col: 1}
	}
	return Pos{}
}

func yamlErrorText(err error) string {
	s := yamlLineRE.ReplaceAllString(err.Error(), "")
	return "not YAML: " + strings.TrimPrefix(s, "yaml: ")
}

// WriteTo writes the file: the export comment when Meta is set, then
// format, version and the territories, each territory's keys in the order
// of [Node], children and users in the order they have, ids quoted, rules
// as nested mappings in their keys' order, users on one line. A file read
// with [ReadFile] writes back as the same bytes (comments other than the
// export's aside).
func (f *File) WriteTo(w io.Writer) (int64, error) {
	tw := &treeWriter{name: f.Name}
	if m := f.Meta; m != nil {
		fmt.Fprintf(&tw.out, "# zohoterritory export of %s (API %s) on %s\n", m.APIDomain, m.APIVersion, m.Exported.UTC().Format(time.RFC3339))
	}
	var err error
	if f.Root == nil {
		err = tw.encode(&tw.out, fileYAML(&yaml.Node{Kind: yaml.SequenceNode}))
	} else {
		err = tw.territory(f.Root, 0)
	}
	if err != nil {
		return 0, err
	}
	n, err := w.Write(tw.out.Bytes())
	return int64(n), err
}

// fileYAML returns the file's top mapping with territories.
func fileYAML(territories *yaml.Node) *yaml.Node {
	return mapping(
		"format", str(FileFormat),
		"version", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(FileVersion)},
		"territories", territories)
}

// treeWriter writes a tree file's YAML to out; part is its scratch space.
type treeWriter struct {
	name      string
	out, part bytes.Buffer
}

// territory writes the territory n, at depth (0 for the root), and the
// territories under it, as the file's YAML document holds them; for the
// root, it writes the document's beginning too.
//
// The document is not encoded whole because the YAML encoder keeps every
// event of what it encodes until it is done: for an org's tree (100,000
// values and more) that queue's growth, by copying, was most of the
// write's cost (BenchmarkWriteTo). Each territory's own
// keys are encoded on their own instead, in a document that holds the
// path down to the territory and nothing else: the file's format,
// version and territories, then, for each territory above it, a list item
// with only `children`. The encoder reaches the territory in the state
// the whole document puts it in (the same indentation, and nothing before
// the item's dash changes how the item is written), so the lines from the
// territory's dash on are the bytes the whole document has there; the
// lines above them, the file's head and the path, are dropped below the
// root. The tests keep the whole document's encoding and compare the two.
func (tw *treeWriter) territory(n *Node, depth int) error {
	m, err := n.fields()
	if err != nil {
		return err
	}
	for range depth {
		m = mapping("children", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{m}})
	}
	tw.part.Reset()
	if err := tw.encode(&tw.part, fileYAML(&yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{m}})); err != nil {
		return err
	}
	text := tw.part.Bytes()
	if depth > 0 {
		for range 3 + depth { // format, version, territories, the path
			_, text, _ = bytes.Cut(text, []byte("\n"))
		}
	}
	tw.out.Write(text)
	if len(n.Children) == 0 {
		return nil
	}
	// The key of the territory's children, where the encoder puts the
	// territory's keys: 2 past a list item's dash, and each list 2 past its
	// key.
	tw.out.WriteString(strings.Repeat(" ", 4*(depth+1)))
	tw.out.WriteString("children:\n")
	for _, c := range n.Children {
		if err := tw.territory(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// encode writes v to w as a YAML document indented by 2, with a fresh
// encoder (whose queue of events holds only v's).
func (tw *treeWriter) encode(w io.Writer, v *yaml.Node) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("tree: write %s: %w", tw.name, err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("tree: write %s: %w", tw.name, err)
	}
	return nil
}

// fields returns the territory's own keys, its children aside, as a YAML
// mapping.
func (n *Node) fields() (*yaml.Node, error) {
	var kv []any
	kv = append(kv, "name", str(n.Name))
	if n.ID != "" {
		id := str(n.ID)
		id.Style = yaml.DoubleQuotedStyle
		kv = append(kv, "id", id)
	}
	for _, f := range []struct{ key, value string }{{"manager", n.Manager}, {"permission", n.Permission}, {"description", n.Description}} {
		if f.value != "" {
			kv = append(kv, f.key, str(f.value))
		}
	}
	if !n.Criteria.IsZero() {
		rules := &yaml.Node{Kind: yaml.MappingNode}
		for _, m := range modules {
			raw := *n.Criteria.get(m)
			if none(raw) {
				continue
			}
			v, err := jsonToYAML(raw)
			if err != nil {
				return nil, fmt.Errorf("tree: territory %q: rules.%s: %w", n.Name, m, err)
			}
			rules.Content = append(rules.Content, str(m), v)
		}
		kv = append(kv, "rules", rules)
	}
	if len(n.Users) > 0 {
		users := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, u := range n.Users {
			users.Content = append(users.Content, str(u))
		}
		kv = append(kv, "users", users)
	}
	return mapping(kv...), nil
}

// mapping makes a YAML mapping of key, value pairs (a string, then a
// *yaml.Node).
func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Content = append(m.Content, str(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return m
}
