package zohoterritory

import (
	"context"
	"fmt"
)

// Op names one kind of bulk change of territory membership.
type Op string

// The changes [Client.Apply] makes.
const (
	// OpRemoveUsers removes users (the ids) from a territory (the owner).
	OpRemoveUsers Op = "remove-users"
	// OpRemoveTerritories removes territories (the ids) from a user (the
	// owner).
	OpRemoveTerritories Op = "remove-territories"
)

// Change is one bulk change for [Client.Apply]: what to do, to whom, and
// how to run it.
type Change struct {
	Op Op
	// Owner is the territory of OpRemoveUsers, the user of
	// OpRemoveTerritories.
	Owner string
	// IDs are the users or territories to change, in the order the
	// [Result] keeps; repeats are dropped.
	IDs []string
	// MaybeDone are ids (among IDs) that an earlier run sent without
	// learning the outcome, such as a process that was killed with a call
	// in flight. Zoho's "not a member" for them means that the earlier
	// attempt removed them: they come out Removed, with Inferred set.
	// Without it, "not a member" is a failure like any other.
	MaybeDone []string
	// Stop, once closed, keeps calls not yet sent, and retries, from being
	// sent; calls in flight finish and are reported. The ids never sent
	// come out Failed with [ReasonNotSent]. Cancel the context instead to
	// stop at once, in-flight calls included.
	Stop <-chan struct{}
}

// endpoint returns the removal endpoint of the change's op.
func (ch Change) endpoint() (endpoint, error) {
	switch ch.Op {
	case OpRemoveUsers:
		return usersOfTerritory, nil
	case OpRemoveTerritories:
		return territoriesOfUser, nil
	}
	return endpoint{}, fmt.Errorf("zohoterritory: Change.Op %q: want %q or %q", ch.Op, OpRemoveUsers, OpRemoveTerritories)
}

// Apply makes a bulk change as [Client.RemoveUsersFromTerritory] and
// [Client.RemoveTerritoriesFromUser] do (they are Apply with the matching
// Op), with the extra control of [Change]: a soft stop, and the ids an
// earlier run may have done already. The ids are checked before anything
// is sent; a request-level failure is returned as the error, together with
// the [Result], which accounts for every id.
func (c *Client) Apply(ctx context.Context, ch Change) (*Result, error) {
	e, err := ch.endpoint()
	if err != nil {
		return nil, err
	}
	return c.remove(ctx, e, ch)
}
