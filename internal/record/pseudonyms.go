package record

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// pseudonyms replaces record ids, e-mail addresses and names with stand-ins
// that are the same for the same value throughout a run. A stand-in is an
// HMAC-SHA256 of the value under a random key made for the run, so it says
// nothing of the value and cannot be recomputed by anyone else; the
// mapping lives in memory only and is never written. It is safe for
// concurrent use.
type pseudonyms struct {
	key []byte

	mu    sync.Mutex
	fwd   map[string]string // real value -> stand-in
	taken map[string]bool   // stand-ins given out
}

func newPseudonyms(key []byte) *pseudonyms {
	if key == nil {
		key = make([]byte, 32)
		_, _ = rand.Read(key) // crypto/rand.Read never fails
	}
	return &pseudonyms{key: key, fwd: map[string]string{}, taken: map[string]bool{}}
}

// digest is the HMAC of kind, value and a counter, for a stand-in that does
// not collide with one given out already.
func (p *pseudonyms) digest(kind, v string, n int) []byte {
	m := hmac.New(sha256.New, p.key)
	m.Write([]byte(kind + "\x00" + v + "\x00" + strconv.Itoa(n)))
	return m.Sum(nil)
}

// get returns v's stand-in, making one with mk (given a digest) the first
// time; a stand-in that collides with another, or equals v, is made again.
func (p *pseudonyms) get(kind, v string, mk func(d []byte) string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := kind + "\x00" + v
	if s, ok := p.fwd[k]; ok {
		return s
	}
	for n := 0; ; n++ {
		s := mk(p.digest(kind, v, n))
		if s == v || p.taken[s] {
			continue
		}
		p.fwd[k], p.taken[s] = s, true
		return s
	}
}

// ID returns the stand-in of a record id: as many decimal digits as the id
// has, with a leading digit that is not 0 when the id's is not, so that it
// still matches api/openapi.yaml's RecordId (`^[0-9]{1,19}$`).
func (p *pseudonyms) ID(id string) string {
	return p.get("id", id, func(d []byte) string {
		// Ids are at most 19 digits; the digest has 32 bytes, one a digit.
		var b strings.Builder
		for i := 0; i < len(id); i++ {
			digit := '0' + d[i%len(d)]%10
			if i == 0 && id[0] != '0' {
				digit = '1' + d[0]%9
			}
			b.WriteByte(digit)
		}
		return b.String()
	})
}

// Email returns the stand-in of an e-mail address, at example.com.
func (p *pseudonyms) Email(addr string) string {
	return p.get("email", strings.ToLower(addr), func(d []byte) string {
		return "user-" + hex.EncodeToString(d[:5]) + "@example.com"
	})
}

// Name returns the stand-in of a person's or a territory's name.
func (p *pseudonyms) Name(name string) string {
	return p.get("name", name, func(d []byte) string {
		return "name-" + hex.EncodeToString(d[:4])
	})
}

var (
	// longDigits is a run of digits as long as a Zoho record id, inside
	// any text (an error message, a URL in a JSON string).
	longDigits = regexp.MustCompile(`[0-9]{10,19}`)
	// allDigits is a whole value that could be a record id.
	allDigits = regexp.MustCompile(`^[0-9]{1,19}$`)
	email     = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}`)
	// escapeOrDigits finds percent-escapes (skipped) and digit runs in a
	// raw query value, so that the 2 of `%2C` is not taken for an id.
	escapeOrDigits = regexp.MustCompile(`%[0-9A-Fa-f]{2}|[0-9]+`)
)

// idKey reports whether a JSON member of this name holds a record id.
func idKey(key string) bool {
	k := strings.ToLower(key)
	return k == "id" || k == "ids" || k == "zuid" || strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "_ids")
}

// nameKey reports whether a JSON member of this name holds a person's, a
// territory's or the organization's name (GET org's `company_name`).
func nameKey(key string) bool {
	switch strings.ToLower(key) {
	case "name", "full_name", "first_name", "last_name", "company_name":
		return true
	}
	return false
}

// Text replaces the ids (runs of 10 to 19 digits) and e-mail addresses in
// free text.
func (p *pseudonyms) Text(s string) string {
	s = email.ReplaceAllStringFunc(s, p.Email)
	return longDigits.ReplaceAllStringFunc(s, p.ID)
}

// JSONString replaces a JSON string value held by member key of an object
// held by holder: a whole id under an id-like key, a name under a name key
// (and a record's `api_name`, made from its name, but not an error's
// `details.api_name`, which names a field), and ids and e-mail addresses in
// any other text.
func (p *pseudonyms) JSONString(holder, key, v string) string {
	switch {
	case key == "api_name" && holder != "details" && v != "":
		return p.Name(v)
	case idKey(key) && allDigits.MatchString(v):
		return p.ID(v)
	case idKey(key) && strings.Contains(v, ","):
		parts := strings.Split(v, ",")
		for i, part := range parts {
			if allDigits.MatchString(part) {
				parts[i] = p.ID(part)
			}
		}
		return strings.Join(parts, ",")
	case nameKey(key) && v != "":
		return p.Name(v)
	}
	return p.Text(v)
}

// PathSegment replaces a path segment that is all digits.
func (p *pseudonyms) PathSegment(seg string) string {
	if allDigits.MatchString(seg) {
		return p.ID(seg)
	}
	return p.Text(seg)
}

// RawQueryValue replaces the ids of a query value as it was sent (escaped):
// every digit run of the `ids` parameter, and long digit runs of any other.
func (p *pseudonyms) RawQueryValue(name, raw string) string {
	ids := idKey(name)
	raw = escapeOrDigits.ReplaceAllStringFunc(raw, func(m string) string {
		if m[0] == '%' || !ids && len(m) < 10 || len(m) > 19 {
			return m
		}
		return p.ID(m)
	})
	return email.ReplaceAllStringFunc(raw, p.Email)
}
