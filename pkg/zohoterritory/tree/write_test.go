package tree

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	yaml "go.yaml.in/yaml/v3"
)

// wholeYAML writes f as WriteTo wrote it before it wrote a territory at a
// time: the whole tree as one YAML document, encoded at once. It is the
// oracle of WriteTo's tests: the two must give the same bytes, or the
// same error, for every file.
func wholeYAML(f *File) ([]byte, error) {
	var b bytes.Buffer
	if m := f.Meta; m != nil {
		fmt.Fprintf(&b, "# zohoterritory export of %s (API %s) on %s\n", m.APIDomain, m.APIVersion, m.Exported.UTC().Format("2006-01-02T15:04:05Z07:00"))
	}
	roots := &yaml.Node{Kind: yaml.SequenceNode}
	if f.Root != nil {
		root, err := wholeNode(f.Root)
		if err != nil {
			return nil, err
		}
		roots.Content = append(roots.Content, root)
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(fileYAML(roots)); err != nil {
		return nil, fmt.Errorf("tree: write %s: %w", f.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("tree: write %s: %w", f.Name, err)
	}
	return b.Bytes(), nil
}

// wholeNode returns the territory and every territory under it as one
// YAML mapping.
func wholeNode(n *Node) (*yaml.Node, error) {
	m, err := n.fields()
	if err != nil {
		return nil, err
	}
	if len(n.Children) > 0 {
		children := &yaml.Node{Kind: yaml.SequenceNode}
		for _, c := range n.Children {
			y, err := wholeNode(c)
			if err != nil {
				return nil, err
			}
			children.Content = append(children.Content, y)
		}
		m.Content = append(m.Content, str("children"), children)
	}
	return m, nil
}

// sameAsWhole fails t unless f writes as wholeYAML writes it: the same
// bytes, or the same error.
func sameAsWhole(t *testing.T, f *File, msgAndArgs ...any) {
	t.Helper()
	want, wantErr := wholeYAML(f)
	var b bytes.Buffer
	n, err := f.WriteTo(&b)
	if wantErr != nil {
		assert.EqualError(t, err, wantErr.Error(), msgAndArgs...)
		return
	}
	require.NoError(t, err, msgAndArgs...)
	assert.Equal(t, string(want), b.String(), msgAndArgs...)
	assert.Equal(t, int64(b.Len()), n, msgAndArgs...)
}

// awkward are values the YAML encoder writes with care: quoted, as block
// scalars (with indentation and chomping indicators), escaped, or as
// complex keys; and a few it cannot write (invalid UTF-8).
var awkward = []string{
	"", " ", "  ", "123", "-1", "0x1F", "0o17", "1e3", ".5", ".inf", "true", "no", "On", "null", "~", "2026-12-06",
	"2026-12-06T10:00:00Z", "<<", "=", "-", "- dash", "?", "? q", ":", ": colon", "a: b", "a:b", "a #b", "#c", "a#b",
	"[x]", "{y}", "x]", ",", "&a", "*b", "!t", "!!str", "%p", "@a", "`b", "|", "|-", ">", ">+", "'", "\"", "a'b\"c",
	"\\", "\\n", " leading", "trailing ", "\ttab", "tab\there", "line one\nline two", "ends with a break\n",
	"ends with two\n\n", "\nstarts with a break", "  \n  indented\n", "blank\n\nline", "trailing space \nnext",
	"\n", "\n\n", "\r\n", "cr\rhere", "nel\u0085here", "ls\u2028here", "ls\u2028", "ls\u2028 space", "ps\u2029\u2029x",
	"a\u2028\n", "Zürich", "日本語", "emoji 🙂", "\ufeffbom", "nul\x00", "bell\a", "del\x7f", "bad \xff utf8", "\xc3",
	"...", "---", "--- x", "a\n---\nb", "a\n...\n", "5725767000000452001", "ava@acme.com", "Chloe@acme.com",
	"read_only", "read_write_delete", strings.Repeat("long ", 100), strings.Repeat("x", 3000),
	strings.Repeat("a line of text\n", 20), strings.Repeat("k", 130),
}

// randomTree makes a file of depth at most depth, its values drawn from
// awkward and its rules from randomJSON.
func randomTree(r *rand.Rand, depth int) *File {
	pick := func() string { return awkward[r.IntN(len(awkward))] }
	var node func(d int) *Node
	node = func(d int) *Node {
		n := &Node{Name: pick()}
		if r.IntN(2) == 0 {
			n.ID = []string{"5725767000000452001", pick()}[r.IntN(2)]
		}
		if r.IntN(2) == 0 {
			n.Manager = pick()
		}
		if r.IntN(2) == 0 {
			n.Permission = []string{PermissionReadOnly, PermissionReadWriteDelete, pick()}[r.IntN(3)]
		}
		if r.IntN(2) == 0 {
			n.Description = pick()
		}
		for _, m := range modules {
			if r.IntN(3) == 0 {
				raw, err := json.Marshal(randomJSON(r, pick, 3))
				if err != nil {
					panic(err)
				}
				*n.Criteria.get(m) = raw
			}
		}
		switch r.IntN(3) {
		case 0:
			n.Users = []string{} // empty: not written
		case 1:
			for range r.IntN(6) + 1 {
				n.Users = append(n.Users, pick())
			}
		}
		if d < depth {
			for range r.IntN(4) {
				n.Children = append(n.Children, node(d+1))
			}
		}
		return n
	}
	f := &File{Name: "tree.yaml", Root: node(0)}
	if r.IntN(2) == 0 {
		f.Meta = &Meta{APIDomain: "https://www.zohoapis.eu", APIVersion: "v7", Exported: t0}
	}
	return f
}

// randomJSON makes a JSON value of depth at most depth: a criterion's
// shape (objects, lists, nested groups) with awkward keys and values.
func randomJSON(r *rand.Rand, pick func() string, depth int) any {
	switch k := r.IntN(8); {
	case depth > 0 && k < 3:
		m := map[string]any{}
		for range r.IntN(4) {
			m[pick()] = randomJSON(r, pick, depth-1)
		}
		return m
	case depth > 0 && k < 5:
		l := []any{}
		for range r.IntN(4) {
			l = append(l, randomJSON(r, pick, depth-1))
		}
		return l
	case k == 5:
		return []any{nil, true, 1.5e3, -7, json.Number("12345678901234567890123")}[r.IntN(5)]
	}
	return pick()
}

// TestWriteToWhole: WriteTo writes every file as the whole document
// encoded at once writes it: the package's golden files, the fixture's
// export, files of every awkward value at every place and depth (as the
// last key before children, in the last territory, in rules, in users),
// deep trees, and files that cannot be written (the same error).
func TestWriteToWhole(t *testing.T) {
	t.Parallel()
	t.Run("testdata", func(t *testing.T) {
		t.Parallel()
		for _, name := range []string{"export.yaml", "edited.yaml"} {
			text, err := os.ReadFile("testdata/" + name)
			require.NoError(t, err)
			sameAsWhole(t, read(t, string(text)), name)
		}
		sameAsWhole(t, read(t, exported(t, acme())), "acme")
	})
	t.Run("no territories", func(t *testing.T) {
		t.Parallel()
		sameAsWhole(t, &File{Name: "tree.yaml"})
		sameAsWhole(t, &File{Name: "tree.yaml", Meta: &Meta{APIDomain: "https://www.zohoapis.com", APIVersion: "v8", Exported: t0}})
		sameAsWhole(t, &File{Name: "tree.yaml", Root: &Node{Name: "Org"}})
	})
	t.Run("each value", func(t *testing.T) {
		t.Parallel()
		for _, v := range awkward {
			// v in every field of a territory with children, in a list
			// of siblings, and of the last one, three levels down.
			leaf := func() *Node {
				return &Node{Name: v, ID: v, Manager: v, Permission: v, Description: v, Users: []string{v, v},
					Criteria: Criteria{Leads: mustJSON(t, map[string]any{v: []any{v, map[string]any{"value": v}}})}}
			}
			mid := leaf()
			mid.Children = []*Node{leaf(), {Name: "next", Description: v}, leaf()}
			sameAsWhole(t, &File{Name: "tree.yaml", Root: &Node{Name: "Org", Description: v, Children: []*Node{
				{Name: "A", Description: v, Children: []*Node{mid, {Name: "B", Description: v}}},
				{Name: "C", Manager: v},
			}}}, "value %q", v)
		}
	})
	t.Run("deep", func(t *testing.T) {
		t.Parallel()
		root := &Node{Name: "Org"}
		n := root
		for i := range 60 {
			c := &Node{Name: fmt.Sprint("level ", i), Description: awkward[i%len(awkward)], Users: []string{"ava@acme.com"}}
			n.Children = append(n.Children, c, &Node{Name: fmt.Sprint("leaf ", i), Description: "two\nlines"})
			n = c
		}
		sameAsWhole(t, &File{Name: "tree.yaml", Root: root})
	})
	t.Run("random", func(t *testing.T) {
		t.Parallel()
		cases := 300
		if testing.Short() {
			cases = 50
		}
		for seed := range uint64(cases) {
			sameAsWhole(t, randomTree(rand.New(rand.NewPCG(seed, 1)), 4), "seed %d", seed)
		}
	})
	t.Run("errors", func(t *testing.T) {
		t.Parallel()
		bad := &File{Name: "tree.yaml", Root: &Node{Name: "Org", Children: []*Node{
			{Name: "A"}, {Name: "B", Criteria: Criteria{Deals: json.RawMessage(`{"a":`)}},
		}}}
		_, err := bad.WriteTo(&bytes.Buffer{})
		require.Error(t, err)
		sameAsWhole(t, bad)
	})
}

// FuzzWriteTo: for any values, WriteTo writes what the whole document
// encoded at once writes.
func FuzzWriteTo(f *testing.F) {
	for _, v := range awkward[:20] {
		f.Add(v, "x", "ava@acme.com", uint8(2))
	}
	f.Add("a\u2028 b", "ends\n\n", "5725767000000452001", uint8(3))
	f.Fuzz(func(t *testing.T, name, desc, user string, depth uint8) {
		if !utf8.ValidString(name + desc + user) {
			t.Skip() // the encoder's refusal is tested above
		}
		root := &Node{Name: "Org"}
		n := root
		for i := range int(depth % 6) {
			c := &Node{Name: name, Manager: user, Description: desc, Users: []string{user, name}}
			n.Children = append(n.Children, c, &Node{Name: fmt.Sprint(i), Description: desc,
				Criteria: Criteria{Accounts: mustJSON(t, map[string]any{name: desc, "value": []string{user}})}})
			n = c
		}
		sameAsWhole(t, &File{Name: "tree.yaml", Root: root})
	})
}

func mustJSON(t testing.TB, v any) json.RawMessage {
	t.Helper()
	raw, err := json.Marshal(v)
	require.NoError(t, err)
	return raw
}

// BenchmarkWriteTo measures writing the tree file of
// BenchmarkTreeAtScale's org (2,000 territories of 51 members under the
// root, each with an id, a manager and a permission) as WriteTo does
// (encoding=split: a territory at a time) and as the whole document
// encoded at once (encoding=whole, the oracle, as WriteTo did before).
func BenchmarkWriteTo(b *testing.B) {
	const territories, members = 2000, 51
	root := &Node{Name: "Org", ID: "100000", Manager: "caller@acme.com", Permission: PermissionReadWriteDelete, Users: []string{"caller@acme.com"}}
	for t := range territories {
		n := &Node{Name: fmt.Sprint("T", t), ID: fmt.Sprint(100001 + t), Manager: "caller@acme.com", Permission: PermissionReadWriteDelete}
		for k := range members {
			n.Users = append(n.Users, fmt.Sprintf("u%d@acme.com", (t*7+k)%5000))
		}
		root.Children = append(root.Children, n)
	}
	f := &File{Name: "tree.yaml", Root: root, Meta: &Meta{APIDomain: "https://www.zohoapis.com", APIVersion: "v8", Exported: t0}}
	for _, enc := range []struct {
		name  string
		write func() (int, error)
	}{
		{"whole", func() (int, error) {
			text, err := wholeYAML(f)
			return len(text), err
		}},
		{"split", func() (int, error) {
			n, err := f.WriteTo(io.Discard)
			return int(n), err
		}},
	} {
		b.Run("encoding="+enc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				n, err := enc.write()
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(n))
			}
		})
	}
}
