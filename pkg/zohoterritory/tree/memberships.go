package tree

import (
	"encoding/csv"
	"io"
	"slices"
	"strings"
)

// This file writes the org's memberships as the membership file that
// zohoterritory.ReadMemberships reads: the spreadsheet's side of the tree
// file, for a round trip through one.

// WriteMemberships writes the org's memberships as a membership file:
// CSV with the header `territory,user` and a row for each member of each
// territory, territories in the order [Export] writes them, each one's
// users as Export sorts them. A territory is written by its path, a user
// as Export writes them (the e-mail address when no other user shares it,
// else the id); either is written by its id where its path or address
// would not read back as itself: a path through a name holding "/", or a
// cell a spreadsheet would run as a formula (it starts with =, +, -, @, a
// tab or a carriage return), so that no cell is one. Planned by
// territory against the same org, the file changes nothing. It fails only
// for a snapshot that is not one tree, or a failed write.
func WriteMemberships(w io.Writer, org *Org) error {
	ix, err := indexOrg(org)
	if err != nil {
		return err
	}
	f, err := Export(org, Meta{})
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"territory", "user"}); err != nil {
		return err
	}
	walkFile(f.Root, func(n *Node, path string, _ *Node) {
		territory := path
		if formula(path) || strings.Count(path, "/") != depth(ix, n.ID) {
			territory = n.ID
		}
		users := slices.Clone(org.Members[n.ID])
		slices.SortFunc(users, func(a, b string) int { return compareUsers(ix.label(a), ix.label(b)) })
		for _, id := range slices.Compact(users) {
			user := ix.label(id)
			if formula(user) {
				user = id
			}
			_ = cw.Write([]string{territory, user}) // the error is cw.Error's
		}
	})
	cw.Flush()
	return cw.Error()
}

// depth is how many "/" the path of the territory id has when no name on
// it holds one: the root's and its children's paths have none.
func depth(ix *orgIndex, id string) int {
	d := 0
	for t := ix.terr(id); t.ParentID != "" && ix.terr(t.ParentID).ParentID != ""; t = ix.terr(t.ParentID) {
		d++
	}
	return d
}

// formula reports whether a spreadsheet would run the cell as a formula
// (OWASP's list for CSV injection).
func formula(cell string) bool {
	return cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0]))
}
