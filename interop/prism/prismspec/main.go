// Command prismspec writes the copy of api/openapi.yaml that interop/prism.sh
// gives to Prism: the document unchanged except that every security
// requirement loses its oauth2 schemes.
//
// The spec pairs the `zohoOAuthToken` API-key scheme (the Authorization
// header, `Zoho-oauthtoken <token>`) with the `zohoOAuth` oauth2 scheme, which
// only lists the scopes. Prism 5 checks an oauth2 scheme as
// `Authorization: Bearer <token>`, so no request Zoho accepts can satisfy both,
// and every call would be refused with 401 "Invalid security scheme used"
// before anything else is checked. Without the oauth2 half, Prism still
// requires the Authorization header and checks everything else.
//
// Usage: go run ./interop/prism/prismspec IN OUT
//
// It prints how many oauth2 entries it dropped; none once the spec no longer
// pairs the two schemes, and then this program can go.
package main

import (
	"bytes"
	"fmt"
	"os"

	yaml "go.yaml.in/yaml/v3"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: prismspec IN OUT")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "prismspec:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	b, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	root := doc.Content[0]
	oauth2 := map[string]bool{}
	for name, scheme := range pairs(lookup(lookup(root, "components"), "securitySchemes")) {
		if t := lookup(scheme, "type"); t != nil && t.Value == "oauth2" {
			oauth2[name] = true
		}
	}
	dropped := 0
	strip := func(security *yaml.Node) {
		if security == nil || security.Kind != yaml.SequenceNode {
			return
		}
		for _, req := range security.Content {
			kept := req.Content[:0]
			for i := 0; i+1 < len(req.Content); i += 2 {
				if oauth2[req.Content[i].Value] {
					dropped++
					continue
				}
				kept = append(kept, req.Content[i], req.Content[i+1])
			}
			req.Content = kept
		}
	}
	strip(lookup(root, "security"))
	for _, item := range pairs(lookup(root, "paths")) {
		for _, op := range pairs(item) {
			strip(lookup(op, "security"))
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return err
	}
	if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil { //nolint:gosec // G306: a copy of the public spec, read by Prism
		return err
	}
	fmt.Printf("dropped %d oauth2 entries from security requirements\n", dropped)
	return nil
}

// lookup returns the value of key in mapping node m, or nil.
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// pairs returns the entries of mapping node m.
func pairs(m *yaml.Node) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if m == nil || m.Kind != yaml.MappingNode {
		return out
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		out[m.Content[i].Value] = m.Content[i+1]
	}
	return out
}
