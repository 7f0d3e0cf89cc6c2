package zohoterritory

import (
	"context"
	"slices"
)

// This file gathers the names a report shows beside ids: what a run read
// anyway (the directory it resolved references with, the listings it
// planned from), and, with the one read each that costs, what is missing.

// With returns a directory that also holds users and territories that d
// lacks, such as those of a listing (a territory's users, a user's
// territories), for their names. They do not make a part of the directory
// whole: [Directory.HasUsers] and [Directory.HasTerritories] stay as they
// were, and a territory added to a directory without every territory has
// no path. d may be nil.
func (d *Directory) With(users []User, territories []Territory) *Directory {
	return d.merged(newDirectory(users, territories, false, false))
}

// merged returns a directory that holds d's users and territories and
// those of other that d lacks; a part is whole when it is whole in either.
// Either may be nil.
func (d *Directory) merged(other *Directory) *Directory {
	switch {
	case d == nil && other == nil:
		return newDirectory(nil, nil, false, false)
	case d == nil:
		return other
	case other == nil:
		return d
	}
	// The whole part comes first, in Zoho's order.
	ubase, uextra := d, other
	if other.hasUsers && !d.hasUsers {
		ubase, uextra = other, d
	}
	users := slices.Clone(ubase.users)
	for _, u := range uextra.users {
		if _, ok := ubase.userAt[u.ID]; !ok {
			users = append(users, u)
		}
	}
	tbase, textra := d, other
	if other.hasTerrs && !d.hasTerrs {
		tbase, textra = other, d
	}
	territories := slices.Clone(tbase.territories)
	for _, t := range textra.territories {
		if _, ok := tbase.terrAt[t.ID]; !ok {
			territories = append(territories, t)
		}
	}
	return newDirectory(users, territories, d.hasUsers || other.hasUsers, d.hasTerrs || other.hasTerrs)
}

// ReadNames returns a directory that names the users and territories
// given, for a report that shows names beside ids: known (what the run
// read anyway; may be nil) and, read now, what it lacks: the users by id,
// in one call for up to 100 (their listing past that), and every
// territory, for their paths, unless known holds them all. It reads
// nothing when known names them all. On a failed read it returns known
// with the read's error: names only decorate.
func (c *Client) ReadNames(ctx context.Context, known *Directory, userIDs, territoryIDs []string) (*Directory, error) {
	known = known.merged(nil)
	var q DirectoryQuery
	if !known.hasUsers {
		seen := map[string]bool{}
		for _, id := range userIDs {
			if _, ok := known.userAt[id]; !ok && !seen[id] && id != "" {
				seen[id] = true
				q.UserIDs = append(q.UserIDs, id)
			}
		}
	}
	q.Territories = len(territoryIDs) > 0 && !known.hasTerrs
	if q.IsZero() {
		return known, nil
	}
	read, err := c.ReadDirectory(ctx, q)
	if err != nil {
		return known, err
	}
	return known.merged(read), nil
}
