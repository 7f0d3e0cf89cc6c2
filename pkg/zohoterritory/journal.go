package zohoterritory

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Journal records a change while it runs, so that what was sent and what
// came of it survives the process: a killed run is finished by another
// ([Change.MaybeDone] names the ids sent without a recorded answer), and a
// mistaken one is undone from it. Package journal holds the file
// implementation the command-line tool uses; a caller may supply its own.
//
// [Client.Apply] calls the methods from the goroutines of its calls, so an
// implementation must be safe for concurrent use. Each method should make
// its record durable before it returns (the file journal syncs it to
// disk): Sending is the promise that nothing goes out unrecorded.
type Journal interface {
	// Begin is called once, before anything of the change is sent. An
	// error stops the change before it starts.
	Begin(JournalRun) error
	// Sending is called before each attempt of a call is sent, with the
	// ids it carries. An error keeps the attempt from being sent.
	Sending(JournalAttempt) error
	// Answered is called after each attempt's answer is read (or its
	// failure is known), before the retry decision.
	Answered(JournalAttempt) error
	// Settled is called once a call's ids have their outcomes.
	Settled(call int, items []ItemResult) error
}

// JournalRun is what [Journal.Begin] is told: the change as it will be
// sent. It never holds a token.
type JournalRun struct {
	Op    Op
	Owner string
	// IDs are the change's ids, checked, repeats dropped.
	IDs []string
	// MaybeDone are the ids an earlier run may have done ([Change.MaybeDone]).
	MaybeDone  []string
	APIDomain  string
	APIVersion string
	Started    time.Time
}

// JournalAttempt is one attempt of one call, as [Journal.Sending] and
// [Journal.Answered] are told it.
type JournalAttempt struct {
	// Call numbers the calls of one change from 1; a batch split in
	// halves makes new calls.
	Call      int
	Operation string
	// Attempt counts the attempts of the call from 1.
	Attempt int
	IDs     []string
	// Status is the answer's HTTP status, 0 when none arrived; Err is
	// the attempt's failure, if any. Both are set for Answered only.
	Status int
	Err    error
	Time   time.Time
}

// JournalError is a journal's failure during a change. Before an attempt,
// it kept the attempt from being sent; after an answer, the answer stands
// but the journal does not hold it, so a later resume may send its ids
// again (which the rules of [Change.MaybeDone] make safe).
type JournalError struct {
	// Step is "begin", "sending", "answered" or "settled".
	Step string
	Err  error
}

func (e *JournalError) Error() string {
	return fmt.Sprintf("zohoterritory: journal (%s): %v", e.Step, e.Err)
}

func (e *JournalError) Unwrap() error { return e.Err }

// journalHook is a run's view of its journal: call numbers, and the first
// failure after a call went out, reported with the result.
type journalHook struct {
	j Journal
	journalState
}

// journalState is what a journal hook of either kind ([Journal],
// [TerritoryJournal]) keeps across a change's calls: their numbers, and the
// first failure to record that did not stop a call.
type journalState struct {
	now   func() time.Time
	calls atomic.Int64
	mu    sync.Mutex
	err   error
}

func (s *journalState) next() int { return int(s.calls.Add(1)) }

func (s *journalState) keep(step string, err error) {
	if err == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err == nil {
		s.err = &JournalError{Step: step, Err: err}
	}
}

func (s *journalState) first() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err
}

func (h *journalHook) nextCall() int {
	if h == nil {
		return 0
	}
	return h.next()
}

// hooks returns the request core's per-attempt hooks for call n.
func (h *journalHook) hooks(n int, op string, ids []string) (before func(int) error, after func(int, answer)) {
	if h == nil {
		return nil, nil
	}
	before = func(attempt int) error {
		if err := h.j.Sending(JournalAttempt{Call: n, Operation: op, Attempt: attempt, IDs: ids, Time: h.now()}); err != nil {
			return &JournalError{Step: "sending", Err: err}
		}
		return nil
	}
	after = func(attempt int, a answer) {
		at := JournalAttempt{Call: n, Operation: op, Attempt: attempt, IDs: ids, Err: a.err, Time: h.now()}
		if a.resp != nil {
			at.Status = a.resp.StatusCode
		}
		h.keep("answered", h.j.Answered(at))
	}
	return before, after
}

func (h *journalHook) settled(n int, items []ItemResult) {
	if h != nil {
		h.keep("settled", h.j.Settled(n, items))
	}
}

// failure returns the first failure that did not stop a call.
func (h *journalHook) failure() error {
	if h == nil {
		return nil
	}
	return h.first()
}
