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
	// OpAddUsers adds users (the ids) to a territory (the owner): the way
	// back from OpRemoveUsers.
	OpAddUsers Op = "add-users"
	// OpAddTerritories adds territories (the ids) to a user (the owner):
	// the way back from OpRemoveTerritories.
	OpAddTerritories Op = "add-territories"
)

// Ops returns every [Op], removals first.
func Ops() []Op { return []Op{OpRemoveUsers, OpRemoveTerritories, OpAddUsers, OpAddTerritories} }

// Undo returns the op that puts back what op changes: OpAddUsers for
// OpRemoveUsers and the other way round, and so on; "" for an unknown op.
func (op Op) Undo() Op {
	switch op {
	case OpRemoveUsers:
		return OpAddUsers
	case OpAddUsers:
		return OpRemoveUsers
	case OpRemoveTerritories:
		return OpAddTerritories
	case OpAddTerritories:
		return OpRemoveTerritories
	}
	return ""
}

// Adds reports whether op adds memberships (rather than removing them).
func (op Op) Adds() bool { return op == OpAddUsers || op == OpAddTerritories }

// Kinds says what op's ids and owner are: users of a territory
// (OpRemoveUsers, OpAddUsers), or territories of a user.
func (op Op) Kinds() (ids, owner RefKind) {
	if op == OpRemoveUsers || op == OpAddUsers {
		return KindUser, KindTerritory
	}
	return KindTerritory, KindUser
}

// Change is one bulk change for [Client.Apply]: what to do, to whom, and
// how to run it.
type Change struct {
	Op Op
	// Owner is the territory of OpRemoveUsers and OpAddUsers, the user of
	// OpRemoveTerritories and OpAddTerritories.
	Owner string
	// IDs are the users or territories to change, in the order the
	// [Result] keeps; repeats are dropped.
	IDs []string
	// MaybeDone are ids (among IDs) that an earlier run sent without
	// learning the outcome, such as a process that was killed with a call
	// in flight. Zoho's "not a member" for them means that the earlier
	// attempt removed them: they come out Removed, with Inferred set (for
	// an add, "already present" means the earlier attempt added them:
	// Added, Inferred). Without it, "not a member" is a failure like any
	// other.
	MaybeDone []string
	// Settled are outcomes an earlier run recorded for some of the ids,
	// such as those a killed run's journal holds: they are not sent again,
	// and come back in the [Result] as they are. Each must be one of IDs.
	Settled []ItemResult
	// Journal, if set, records the change as it runs: before each attempt
	// is sent and after each answer is read, so that another process can
	// finish it after a crash (see [Journal]). An error of the journal
	// keeps the attempt from being sent.
	Journal Journal
	// Stop, once closed, keeps calls not yet sent, and retries, from being
	// sent; calls in flight finish and are reported. The ids never sent
	// come out Failed with [ReasonNotSent]. Cancel the context instead to
	// stop at once, in-flight calls included.
	Stop <-chan struct{}
}

// endpoint returns the endpoint of the change's op.
func (ch Change) endpoint() (endpoint, error) {
	switch ch.Op {
	case OpRemoveUsers:
		return removeUsers, nil
	case OpRemoveTerritories:
		return removeTerritories, nil
	case OpAddUsers:
		return addUsers, nil
	case OpAddTerritories:
		return addTerritories, nil
	}
	return endpoint{}, fmt.Errorf("zohoterritory: Change.Op %q: want one of %q", ch.Op, Ops())
}

// Apply makes a bulk change as [Client.RemoveUsersFromTerritory],
// [Client.RemoveTerritoriesFromUser], [Client.AddUsersToTerritory] and
// [Client.AddTerritoriesToUser] do (they are Apply with the matching Op),
// with the extra control of [Change]: a soft stop, a journal, and the ids
// an earlier run may have done already. The ids are checked before anything
// is sent; a request-level failure is returned as the error, together with
// the [Result], which accounts for every id.
func (c *Client) Apply(ctx context.Context, ch Change) (*Result, error) {
	e, err := ch.endpoint()
	if err != nil {
		return nil, err
	}
	return c.change(ctx, e, ch, nil)
}
