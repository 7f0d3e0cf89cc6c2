package tree

import (
	"context"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// PlanRestore returns the plan that takes back what a run of a plan made,
// from what its journal holds (prog): the org is read now ([ReadOrg]),
// what the run made is settled against it ([Progress.DoneIn]: what an
// attempt may have made without its outcome being recorded counts when
// the org shows it), and [Undo] plans it against the org as read, with
// opts. The territories the run deleted are created again, each
// [Create].Restores naming the id it replaces; records that were assigned
// to a deleted territory lost it with the delete and are not assigned
// again (Zoho gives a territory's records back to no one). Nothing is
// changed.
func PlanRestore(ctx context.Context, c *zohoterritory.Client, prog *Progress, opts OrderOptions) (*Plan, error) {
	if prog == nil || prog.Plan == nil {
		return nil, &PlanError{Step: -1, Rule: "no run to restore"}
	}
	org, err := ReadOrg(ctx, c)
	if err != nil {
		return nil, err
	}
	return Undo(prog.Plan, prog.DoneIn(org), org, opts)
}

// Restore takes back what a run of a plan made: it plans it
// ([PlanRestore], with order) and applies that plan ([Apply], with
// apply), as a run of its own: give apply.Journal a new journal, so that a
// killed restore is finished by [Resume] and a mistaken one taken back in
// turn. It returns the plan and its result, whose Restored maps the id of
// each territory the run deleted to the id of the territory created in
// its place. A plan with no changes is not applied (nothing is sent, the
// journal is not begun), and its result has no steps.
func Restore(ctx context.Context, c *zohoterritory.Client, prog *Progress, order OrderOptions, apply ApplyOptions) (*Plan, *ApplyResult, error) {
	p, err := PlanRestore(ctx, c, prog, order)
	if err != nil {
		return nil, nil, err
	}
	if !p.HasChanges() {
		return p, &ApplyResult{Steps: []StepResult{}, Created: map[string]string{}, Restored: map[string]string{}, Halted: -1}, nil
	}
	res, err := Apply(ctx, c, p, apply)
	return p, res, err
}
