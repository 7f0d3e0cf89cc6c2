package tree

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// Check checks the file's values against Zoho's rules, without the org:
// names (not empty, at most [Rules].NameLength characters, unique in the
// file ignoring case), ids (record ids, each given once), permissions,
// descriptions (at most [Rules].DescriptionLength characters), rules (each
// module's a JSON object), and that managers and users are e-mail
// addresses or ids. Every problem is reported, with its place, in one
// [*ProblemsError]. [Diff] runs the same checks.
func (f *File) Check(rules Rules) error {
	r, err := rules.complete()
	if err != nil {
		return err
	}
	ps := &problems{file: f.Name}
	checkFile(f, r, ps)
	return ps.err()
}

// walkFile calls fn for each territory of the file, parents before
// children, in the file's order, with its path and parent (nil for the
// root).
func walkFile(root *Node, fn func(n *Node, path string, parent *Node)) {
	var walk func(n *Node, parentPath string, parent *Node)
	walk = func(n *Node, parentPath string, parent *Node) {
		path := childPath(parentPath, n.Name)
		fn(n, path, parent)
		if parent == nil {
			path = ""
		}
		for _, c := range n.Children {
			walk(c, path, n)
		}
	}
	if root != nil {
		walk(root, "", nil)
	}
}

func checkFile(f *File, r Rules, ps *problems) {
	names := map[string]*Node{}
	ids := map[string]*Node{}
	walkFile(f.Root, func(n *Node, path string, _ *Node) {
		switch k := fold(n.Name); {
		case k == "":
			ps.add(n.At("name"), path, "name", "empty: every territory has a name")
		case utf8.RuneCountInString(n.Name) > r.NameLength:
			ps.add(n.At("name"), path, "name", "%d characters: Zoho allows at most %d", utf8.RuneCountInString(n.Name), r.NameLength)
			fallthrough
		default:
			if first, dup := names[k]; dup {
				ps.add(n.At("name"), path, "name", "repeated: the territory at line %d has this name too, and Zoho's names are unique ignoring case", first.Pos.Line)
			} else {
				names[k] = n
			}
		}
		if n.ID != "" {
			if err := zohoterritory.CheckID(n.ID); err != nil {
				ps.add(n.At("id"), path, "id", "%q is not a record id: %s", n.ID, idRule(err))
			} else if first, dup := ids[n.ID]; dup {
				ps.add(n.At("id"), path, "id", "repeated: the territory at line %d has this id too, and an id names one territory", first.Pos.Line)
			} else {
				ids[n.ID] = n
			}
		}
		if (n.Permission != "" || n.has("permission")) && n.Permission != PermissionReadOnly && n.Permission != PermissionReadWriteDelete {
			ps.add(n.At("permission"), path, "permission", "%q: want %s or %s", n.Permission, PermissionReadOnly, PermissionReadWriteDelete)
		}
		if l := utf8.RuneCountInString(n.Description); l > r.DescriptionLength {
			ps.add(n.At("description"), path, "description", "%d characters: Zoho allows at most %d", l, r.DescriptionLength)
		}
		for _, m := range modules {
			if raw := *n.Criteria.get(m); !none(raw) && !isObject(raw) {
				ps.add(n.At("rules."+m), path, "rules."+m, "want a criterion (a JSON object: a condition or a group), as Zoho gives them")
			}
		}
		if n.Manager != "" {
			if _, err := zohoterritory.ParseUserRef(n.Manager); err != nil {
				ps.add(n.At("manager"), path, "manager", "%s", refRule(err))
			}
		}
		for i, u := range n.Users {
			if _, err := zohoterritory.ParseUserRef(u); err != nil {
				field := fmt.Sprintf("users[%d]", i)
				ps.add(n.At(field), path, field, "%s", refRule(err))
			}
		}
	})
}

// idRule is the rule an invalid id breaks.
func idRule(err error) string {
	var e *zohoterritory.InvalidIDError
	if errors.As(err, &e) {
		return e.Rule
	}
	return err.Error()
}

// refRule is the rule an invalid user reference breaks.
func refRule(err error) string {
	var e *zohoterritory.InvalidRefError
	if errors.As(err, &e) {
		return fmt.Sprintf("%q %s", e.Ref, e.Rule)
	}
	return err.Error()
}
