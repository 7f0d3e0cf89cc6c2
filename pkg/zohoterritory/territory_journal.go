package zohoterritory

import (
	"encoding/json"
	"time"
)

// TerritoryJournal records a territory change while it runs, as [Journal]
// records a change of memberships: every territory the run may send before
// anything is, every attempt before it is sent and after it is answered,
// and each territory's outcome once its call has settled. A run killed
// half-way can then be finished by another ([TerritoryChange.MaybeDone]
// names the territories sent without a recorded answer, and a create among
// them is looked up by its name under its parent before it is sent again),
// and a mistaken one undone from it: the record of each territory is the
// object its call sent. The method names differ from [Journal]'s so that
// one type (package journal's file journal, next) may implement both.
//
// The client calls the methods from the goroutines of its calls, so an
// implementation must be safe for concurrent use, and should make each
// record durable before it returns: SendingTerritories is the promise that
// nothing goes out unrecorded.
type TerritoryJournal interface {
	// BeginTerritories is called once, before anything is sent. An error
	// stops the change before it starts.
	BeginTerritories(TerritoryRun) error
	// SendingTerritories is called before each attempt of a call is
	// sent. An error keeps the attempt from being sent.
	SendingTerritories(TerritoryAttempt) error
	// AnsweredTerritories is called after each attempt's answer is read
	// (or its failure is known), before the retry decision.
	AnsweredTerritories(TerritoryAttempt) error
	// SettledTerritories is called once a call's territories have their
	// outcomes; call 0 holds those settled without a call of their own
	// (found created by a look-up before any call, or never sent).
	SettledTerritories(call int, items []TerritoryItem) error
}

// TerritoryRun is what [TerritoryJournal.BeginTerritories] is told: the
// change as it will be sent. It never holds a token.
type TerritoryRun struct {
	Op TerritoryOp
	// Territories are those this run may send (not settled by an earlier
	// one), in the change's order.
	Territories []JournalTerritory
	// MaybeDone are the places an earlier run may have done.
	MaybeDone []int
	// Forecasts is a delete's choice for the forecasts.
	Forecasts  Forecasts
	APIDomain  string
	APIVersion string
	Started    time.Time
}

// JournalTerritory is one territory of a [TerritoryRun].
type JournalTerritory struct {
	// Index is its place in the change's list.
	Index int
	// ID is the territory's id; "" for a create.
	ID string
	// Name and ReportingTo are a create's natural key: what a look-up
	// after a lost answer searches for.
	Name, ReportingTo string
	// Record is the object the call's body carries for the territory
	// (a create's, an update's, a transfer's); nil for a delete. An
	// update whose permission type is read first holds the value read.
	Record json.RawMessage
}

// TerritoryAttempt is one attempt of one call, as
// [TerritoryJournal.SendingTerritories] and
// [TerritoryJournal.AnsweredTerritories] are told it.
type TerritoryAttempt struct {
	// Call numbers the calls of one change from 1.
	Call      int
	Operation string
	// Attempt counts the attempts of the call from 1.
	Attempt int
	// Indexes are the places of the territories this attempt carries
	// (fewer than the first attempt's when a look-up found some created).
	Indexes []int
	// Status is the answer's HTTP status, 0 when none arrived; Err is the
	// attempt's failure, if any. Both are set for AnsweredTerritories only.
	Status int
	Err    error
	Time   time.Time
}

// territoryJournalHook is a run's view of its journal, as journalHook is a
// membership run's.
type territoryJournalHook struct {
	j TerritoryJournal
	journalState
}

func (h *territoryJournalHook) nextCall() int {
	if h == nil {
		return 0
	}
	return h.next()
}

func (h *territoryJournalHook) sending(n int, op string, attempt int, indexes []int) error {
	if h == nil {
		return nil
	}
	at := TerritoryAttempt{Call: n, Operation: op, Attempt: attempt, Indexes: indexes, Time: h.now()}
	if err := h.j.SendingTerritories(at); err != nil {
		return &JournalError{Step: "sending", Err: err}
	}
	return nil
}

func (h *territoryJournalHook) answered(n int, op string, attempt int, indexes []int, a answer) {
	if h == nil {
		return
	}
	at := TerritoryAttempt{Call: n, Operation: op, Attempt: attempt, Indexes: indexes, Err: a.err, Time: h.now()}
	if a.resp != nil {
		at.Status = a.resp.StatusCode
	}
	h.keep("answered", h.j.AnsweredTerritories(at))
}

func (h *territoryJournalHook) settled(n int, items []TerritoryItem) {
	if h != nil && len(items) > 0 {
		h.keep("settled", h.j.SettledTerritories(n, items))
	}
}

func (h *territoryJournalHook) failure() error {
	if h == nil {
		return nil
	}
	return h.first()
}
