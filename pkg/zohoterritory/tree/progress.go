package tree

import (
	"slices"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// This file is what a journal holds of a run of a plan, as a value:
// package journal reads it from a file, [Resume] finishes the run from it
// and [Restore] takes it back. It reads and sends nothing.

// Progress is a run of a plan as its journal tells it: the plan, and for
// each step what the run's processes recorded of it.
type Progress struct {
	Plan *Plan
	// Steps has one entry per step of Plan, in order.
	Steps []StepProgress
}

// StepProgress is what a journal holds of one step of a run. Settled
// outcomes are final (done, or refused by Zoho for a reason of its own):
// a resume does not send them again. MaybeDone are the places an attempt
// may have done without its outcome being recorded (sent, then no answer
// recorded, or one that did not refuse the call): a resume sends them
// again as maybe done ([zohoterritory.TerritoryChange.MaybeDone], a create
// among them looked up by its name under its parent first;
// [zohoterritory.Change.MaybeDone]). The rest is sent as new.
type StepProgress struct {
	// Begun says a process began the step: the journal holds what it
	// would send.
	Begun bool
	// Settled and MaybeDone are a structure step's (free_name, create,
	// update, delete): its territories by their index in the step, a
	// create's settled outcome carrying the territory's id.
	Settled   []zohoterritory.TerritoryItem
	MaybeDone []int
	// SettledUsers and MaybeDoneUsers are a membership step's (add,
	// remove): its users.
	SettledUsers   []zohoterritory.ItemResult
	MaybeDoneUsers []string
}

// RunStatus says where a run of a plan stands.
type RunStatus string

// The statuses of [Progress.Status].
const (
	// RunComplete: every territory and membership of every step has a
	// final outcome.
	RunComplete RunStatus = "complete"
	// RunUnfinished: a resume has something to send.
	RunUnfinished RunStatus = "unfinished"
	// RunHalted: a structure step failed for good (a name taken, a limit
	// reached, ...), so the steps after it can never be made: a resume
	// stops there again. Restore takes back what the run made.
	RunHalted RunStatus = "halted"
)

// size is how many territories or memberships step s holds.
func (s Step) size() int {
	if s.Members != nil {
		return len(s.Members.Users)
	}
	return len(s.Creates) + len(s.Updates) + len(s.Deletes)
}

// settled counts the step's settled places and, of them, those refused
// for good.
func (sp StepProgress) settled() (n, refused int) {
	for _, it := range sp.Settled {
		n++
		if territoryFate(it) == fateRefused {
			refused++
		}
	}
	for _, it := range sp.SettledUsers {
		n++
		if memberFate(it) == fateRefused {
			refused++
		}
	}
	return n, refused
}

// Status says whether the run is complete, unfinished or halted:
// unfinished while a step has a place without a final outcome (a resume
// sends it), halted at a structure step, not the last, of which a place
// was refused for good (the steps after it can never be made); complete
// otherwise, every place done or refused for good. [ApplyResult.Status]
// says the same of a run as it ends.
func (p *Progress) Status() RunStatus {
	return runStatus(len(p.Plan.Steps), func(i int) (structure bool, open, refused int) {
		s := p.Plan.Steps[i]
		n, refused := p.step(i).settled()
		return s.Members == nil, s.size() - n, refused
	})
}

// runStatus is the rule of [RunStatus], for a run of steps steps: tally
// says of step i whether it is a structure step, how many of its places
// have no final outcome, and how many were refused for good.
func runStatus(steps int, tally func(i int) (structure bool, open, refused int)) RunStatus {
	for i := range steps {
		structure, open, refused := tally(i)
		switch {
		case open > 0:
			return RunUnfinished
		case refused > 0 && structure && i < steps-1:
			return RunHalted
		}
	}
	return RunComplete
}

// Remaining returns how many of step i's territories or memberships a
// resume sends (those without a final outcome), and how many of those an
// attempt may have done already.
func (p *Progress) Remaining(i int) (send, maybe int) {
	if i < 0 || i >= len(p.Plan.Steps) {
		return 0, 0
	}
	sp := p.step(i)
	n, _ := sp.settled()
	return p.Plan.Steps[i].size() - n, len(sp.MaybeDone) + len(sp.MaybeDoneUsers)
}

// Left returns, over the whole plan, how many territories and memberships
// a resume sends ([Progress.Remaining] of every step), how many of those
// an attempt may have done already, and how many the plan holds.
func (p *Progress) Left() (send, maybe, total int) {
	for i, s := range p.Plan.Steps {
		n, m := p.Remaining(i)
		send, maybe, total = send+n, maybe+m, total+s.size()
	}
	return send, maybe, total
}

// Halt returns the index of the structure step whose territories Zoho
// refused for good, which keeps the steps after it from being made; -1
// when none does.
func (p *Progress) Halt() int {
	for i, s := range p.Plan.Steps {
		if _, refused := p.step(i).settled(); refused > 0 && s.Members == nil {
			return i
		}
	}
	return -1
}

func (p *Progress) step(i int) StepProgress {
	if i < len(p.Steps) {
		return p.Steps[i]
	}
	return StepProgress{}
}

// created returns the ids of the territories the run is known to have
// created, by key.
func (p *Progress) created() map[string]string {
	out := map[string]string{}
	for i, s := range p.Plan.Steps {
		for _, it := range p.step(i).Settled {
			if it.Outcome == zohoterritory.Created && it.Index >= 0 && it.Index < len(s.Creates) {
				out[s.Creates[it.Index].Key] = it.ID
			}
		}
	}
	return out
}

// Done returns what the run is known to have made: the outcomes the
// journal holds as done (a create's with the id Zoho gave it). What an
// attempt may have made without its outcome being recorded is left out
// ([Progress.DoneIn] settles it against the org).
func (p *Progress) Done() Done {
	d := Done{Created: p.created()}
	for i, s := range p.Plan.Steps {
		sp := p.step(i)
		for _, it := range sp.Settled {
			if it.Index < 0 || it.Index >= s.size() {
				continue
			}
			switch {
			case it.Outcome == zohoterritory.Updated && s.Kind == StepFreeName:
				d.Freed = append(d.Freed, s.Updates[it.Index].ID)
			case it.Outcome == zohoterritory.Updated:
				d.Updated = append(d.Updated, s.Updates[it.Index].ID)
			case it.Outcome == zohoterritory.Deleted:
				d.Deleted = append(d.Deleted, s.Deletes[it.Index].ID)
			}
		}
		var added, removed []string
		for _, it := range sp.SettledUsers {
			switch it.Outcome {
			case zohoterritory.Added:
				added = append(added, it.ID)
			case zohoterritory.Removed:
				removed = append(removed, it.ID)
			}
		}
		d.Added = appendMembers(d.Added, s, added)
		d.Removed = appendMembers(d.Removed, s, removed)
	}
	return d
}

// appendMembers appends step s's users (in the step's order) to list, as
// one entry.
func appendMembers(list []Members, s Step, users []string) []Members {
	if len(users) == 0 || s.Members == nil {
		return list
	}
	var ordered []string
	for _, u := range s.Members.Users {
		if slices.Contains(users, u) {
			ordered = append(ordered, u)
		}
	}
	return append(list, Members{Territory: s.Members.Territory, Path: s.Members.Path, Users: ordered})
}

// DoneIn returns what the run made, as [Progress.Done] does, with what an
// attempt may have made without its outcome being recorded settled
// against the org as read now (org): a create maybe done counts as created
// when the org holds a territory of its name (ignoring case) under its
// parent, as a resume's look-up would find it; a delete maybe done, when
// the org no longer holds the territory; an update or a free maybe done
// counts as done (taking it back puts back only the fields the org holds
// otherwise than before the run); an add maybe done, when the user is a
// member now and was not before the run; a removal maybe done, when the
// user is not a member now and was before. So a restore of a run killed
// with calls in flight takes back what they made, and nothing else.
func (p *Progress) DoneIn(org *Org) Done {
	d := p.Done()
	ix := struct {
		has     map[string]bool
		under   map[string]map[string]string // parent id → folded name → id
		members map[string]map[string]bool
	}{map[string]bool{}, map[string]map[string]string{}, map[string]map[string]bool{}}
	for _, t := range org.Territories {
		ix.has[t.ID] = true
		if ix.under[t.ParentID] == nil {
			ix.under[t.ParentID] = map[string]string{}
		}
		ix.under[t.ParentID][fold(t.Name)] = t.ID
	}
	for id, users := range org.Members {
		ix.members[id] = map[string]bool{}
		for _, u := range users {
			ix.members[id][u] = true
		}
	}
	was := func(territory, user string) bool { return slices.Contains(p.Plan.Before.Members[territory], user) }
	for i, s := range p.Plan.Steps {
		sp := p.step(i)
		for _, k := range sp.MaybeDone {
			if k < 0 || k >= s.size() {
				continue
			}
			switch s.Kind {
			case StepCreate:
				c := s.Creates[k]
				if _, known := d.Created[c.Key]; known {
					continue
				}
				parent := c.Parent.ID
				if c.Parent.Key != "" {
					parent = d.Created[c.Parent.Key]
				}
				if id, ok := ix.under[parent][fold(c.Name)]; ok && parent != "" {
					d.Created[c.Key] = id
				}
			case StepFreeName:
				d.Freed = append(d.Freed, s.Updates[k].ID)
			case StepUpdate:
				d.Updated = append(d.Updated, s.Updates[k].ID)
			case StepDelete:
				if id := s.Deletes[k].ID; !ix.has[id] {
					d.Deleted = append(d.Deleted, id)
				}
			}
		}
		if s.Members == nil || len(sp.MaybeDoneUsers) == 0 {
			continue
		}
		territory := s.Members.Territory.ID
		if s.Members.Territory.Key != "" {
			territory = d.Created[s.Members.Territory.Key]
		}
		var users []string
		for _, u := range sp.MaybeDoneUsers {
			member := ix.members[territory][u]
			if (s.Kind == StepAdd && member && !was(territory, u)) || (s.Kind == StepRemove && !member && was(territory, u)) {
				users = append(users, u)
			}
		}
		if s.Kind == StepAdd {
			d.Added = mergeMembers(d.Added, s, users)
		} else {
			d.Removed = mergeMembers(d.Removed, s, users)
		}
	}
	return d
}

// mergeMembers adds users to step s's entry of list, or appends one.
func mergeMembers(list []Members, s Step, users []string) []Members {
	if len(users) == 0 {
		return list
	}
	for i := range list {
		if list[i].Territory == s.Members.Territory {
			list[i].Users = append(list[i].Users, users...)
			return list
		}
	}
	return appendMembers(list, s, users)
}
