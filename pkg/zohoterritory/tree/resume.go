package tree

import (
	"context"
	"fmt"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// Resume finishes a run of a plan that was killed or stopped half-way,
// from what its journal holds (prog: package journal reads it from the
// file, as Run.Tree): the run's plan, step by step, as [Apply] makes it,
// with the journal's truth handed to the client. A territory or membership
// whose outcome the journal holds for good is not sent again (a create's
// id is taken from its outcome, for the steps after it that name its key);
// one an attempt may have done without its outcome being recorded is sent
// again as maybe done: a create among them is first looked up by its name
// under its parent, and found it counts as created (with the id found),
// so that no territory is created twice; a delete answered "no such
// territory" counts as deleted, a removal answered "not a member" as
// removed, an add answered "already present" as added; updates are sent
// again as they are (the same update twice is one). The rest is sent as
// new. A step that a failure of Zoho's stopped stops the resumed run again
// ([RunHalted]): Restore takes back what it made.
//
// Give opts.Journal the run's journal opened again (package journal's
// Open): the resume's records follow the run's, so that a killed resume is
// resumed too. The result accounts for every step, those settled before
// as the journal holds them.
func Resume(ctx context.Context, c *zohoterritory.Client, prog *Progress, opts ApplyOptions) (*ApplyResult, error) {
	if prog == nil {
		return nil, &PlanError{Step: -1, Rule: "no run to resume"}
	}
	if err := checkApply(prog.Plan); err != nil {
		return nil, err
	}
	if len(prog.Steps) != len(prog.Plan.Steps) {
		return nil, &PlanError{Step: -1, Rule: fmt.Sprintf("the journal holds %d steps of a plan of %d", len(prog.Steps), len(prog.Plan.Steps))}
	}
	return run(ctx, c, prog.Plan, prog, opts)
}
