// Package tree keeps an org's territory tree as code: a YAML file that is
// the desired state of every territory (name, parent, manager, permission,
// description, assignment rules, members), compared with the org as read,
// gives a plan that creates, updates, moves and deletes territories and
// changes memberships in an order Zoho accepts at every step; the plan can
// be saved, checked for drift and undone.
//
// The core is pure, as STYLE.md items 16 and 19 ask: values in, values
// out, no network and no clock (times are passed in). The steps:
//
//	f, err := tree.ReadFile(r, "tree.yaml")            // the desired state
//	in, err := tree.Diff(f, org, tree.Options{})        // what must change
//	plan, err := tree.Order(in, org, tree.OrderOptions{ // how, step by step
//		Created: now, Source: "tree.yaml"})
//
// [Export] writes the org as a file that plans to no changes. [Drifts]
// says what changed in the org since a plan was made; [Undo] turns what a
// run of a plan made ([Done]) into the plan that takes it back.
//
// Four functions call Zoho, through the client, each in a file of its own:
// [ReadOrg] reads the org as an [Org]; [Apply] makes a plan step by step,
// recording it in a [Journal] (package journal's file); [Resume] finishes a
// killed run from its journal's [Progress], never creating a territory
// twice; [Restore] takes a run back as a journaled run of its own.
//
// Zoho's rules the plans keep (lengths, per-call caps, the limits) are in
// one place: [Rules] and the constants beside it.
package tree
