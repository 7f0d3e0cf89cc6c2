package record

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// rewriteJSON re-encodes the JSON document b compactly, keys in the order
// they came, with every string value replaced by str(holder, key, value):
// key is the name of the member that holds the value, or of the array that
// holds it ("" at the top), and holder the name of the member (or array)
// that holds the object the value is in ("" at the top), so that
// `details.api_name` can be told from a record's `api_name`. Numbers,
// booleans and nulls are kept as written.
// Decoding a document into a map would sort its keys; the order is part of
// what a recording shows.
func rewriteJSON(b []byte, str func(holder, key, v string) string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)

	type frame struct {
		object    bool
		holder    string // the member or array holding this object or array
		key       string // the member being read, in an object
		expectKey bool
		n         int // values written so far
	}
	stack := []frame{{}}
	top := func() *frame { return &stack[len(stack)-1] }
	// sep writes the comma or colon that precedes the next token.
	sep := func(isKey bool) {
		f := top()
		if f.object && !isKey {
			out.WriteByte(':')
			return
		}
		if f.n > 0 && len(stack) > 1 {
			out.WriteByte(',')
		}
	}
	writeString := func(s string) {
		// Encode adds a newline after each value; drop it.
		_ = enc.Encode(s)
		out.Truncate(out.Len() - 1)
	}
	// valueKey is the name to give a value at the top frame.
	valueKey := func() string {
		return top().key
	}
	done := func() {
		f := top()
		f.n++
		if f.object {
			f.expectKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		f := top()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				sep(false)
				key := valueKey()
				out.WriteByte(byte(t))
				stack = append(stack, frame{object: t == '{', expectKey: t == '{', key: key, holder: key})
			case '}', ']':
				out.WriteByte(byte(t))
				stack = stack[:len(stack)-1]
				done()
			}
			continue
		case string:
			if f.object && f.expectKey {
				sep(true)
				writeString(t)
				f.key, f.expectKey = t, false
				continue
			}
			sep(false)
			holder := top().holder
			if !top().object && len(stack) > 1 {
				holder = stack[len(stack)-2].holder
			}
			writeString(str(holder, valueKey(), t))
		case json.Number:
			sep(false)
			out.WriteString(t.String())
		case bool:
			sep(false)
			fmt.Fprint(&out, t)
		case nil:
			sep(false)
			out.WriteString("null")
		}
		done()
	}
	if len(stack) != 1 || stack[0].n != 1 {
		return nil, errors.New("not one JSON value")
	}
	return out.Bytes(), nil
}
