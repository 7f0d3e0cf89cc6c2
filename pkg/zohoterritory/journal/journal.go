// Package journal records bulk changes of territory membership, and runs
// of tree plans, in files, so that a run killed half-way can be finished
// (resume) and a mistaken one undone (restore). It is the file
// implementation of [zohoterritory.Journal], [zohoterritory.SetJournal]
// and [tree.Journal].
//
// A journal is an append-only file of JSON lines, one record per line,
// synced to disk before each call is sent and after each answer is read:
//
//	{"type":"run","format":"zohoterritory-journal","version":2,...}  the header: command, API domain and version, process id, and every change (op, owner, ids)
//	{"type":"send",...}      the ids of one attempt of one call of one change, before it goes out
//	{"type":"answer",...}    that attempt's HTTP status (0: none arrived) or failure
//	{"type":"outcome",...}   each id's outcome, once the call has settled (call 0: settled without a call)
//	{"type":"resume",...}    a later process took the run up; later records are its own
//
// One journal holds one run: a removal or an add (one change), or a move or
// a reorganisation (a [zohoterritory.ChangeSet] of several). Version 1
// journals, of one change each, are read as they are.
//
// A run of a tree plan ([tree.Apply], [tree.Resume], [tree.Restore]) is
// journaled in format version 3 ([TreeVersion]): its header (kind "tree")
// holds the whole plan, then each structure step has a "step" record (the
// territories it may send) and the membership phase a "members" record
// (the changes it may send), and every send, answer and outcome record
// names its step; a create's outcome carries the territory's new id.
// [Read] gives it as [Run].Tree, a [tree.Progress]: what resume and restore
// need. docs/journals.md lists the fields.
//
// A process that writes a journal holds an exclusive lock on it until it
// closes it, so that two processes never drive one run ([LockedError]);
// the lock dies with the process.
//
// It never holds a token or a secret. Files are created with mode 0600, in
// directories created with mode 0700: a journal holds an organisation's
// ids. A reader takes a journal up to its last whole line (a process killed
// while writing leaves half a line, which is ignored) and refuses one that
// is malformed before that, or of a format version it does not know, with
// an error naming the file and line: a journal is applied whole or not at
// all.
package journal

import (
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
)

// Format is the value of every journal header's "format".
const Format = "zohoterritory-journal"

// Version is the journal format this package writes for changes of
// memberships. It reads this one, version 1 (one change, no change
// numbers) and [TreeVersion] (a tree run); a journal of another version is
// refused, never guessed at.
const Version = 2

// Record types.
const (
	typeRun     = "run"
	typeResume  = "resume"
	typeSend    = "send"
	typeAnswer  = "answer"
	typeOutcome = "outcome"
)

// record is one line of a journal. Which fields are set depends on Type.
type record struct {
	Type string    `json:"type"`
	Time time.Time `json:"time"`

	// run (the header)
	Format     string `json:"format,omitempty"`
	Version    int    `json:"version,omitempty"`
	Command    string `json:"command,omitempty"`
	Op         string `json:"op,omitempty"`
	Owner      string `json:"owner,omitempty"`
	APIDomain  string `json:"api_domain,omitempty"`
	APIVersion string `json:"api_version,omitempty"`

	// run, resume: the id of the process that wrote it (version 2).
	PID int `json:"pid,omitempty"`
	// run, resume (version 2): the changes of the run, or those this
	// process sends.
	Changes []changeRec `json:"changes,omitempty"`

	// version 1: run, resume, send: the ids; run and resume: those an
	// earlier process may have done. Version 2: send's ids.
	IDs       []string `json:"ids,omitempty"`
	MaybeDone []string `json:"maybe_done,omitempty"`

	// send, answer, outcome: which change (from 1; version 2), call
	// (numbered from 1 by each process in each change) and attempt.
	Change    int    `json:"change,omitempty"`
	Call      int    `json:"call,omitempty"`
	Attempt   int    `json:"attempt,omitempty"`
	Operation string `json:"operation,omitempty"`
	Status    int    `json:"status,omitempty"`
	Error     string `json:"error,omitempty"`

	// outcome
	Results []result `json:"results,omitempty"`
}

// changeRec is one change in a run or resume record: in the header every
// change with all its ids, in a resume record the number of each change the
// process sends and those ids.
type changeRec struct {
	Change    int      `json:"change,omitempty"`
	Op        string   `json:"op,omitempty"`
	Owner     string   `json:"owner,omitempty"`
	IDs       []string `json:"ids"`
	MaybeDone []string `json:"maybe_done,omitempty"`
}

// result is one id's outcome in an outcome record.
type result struct {
	ID       string `json:"id"`
	Outcome  string `json:"outcome"`
	Reason   string `json:"reason,omitempty"`
	Code     string `json:"code,omitempty"`
	Message  string `json:"message,omitempty"`
	Inferred bool   `json:"inferred,omitempty"`
	// RequestLevel says the outcome came from a failure of the whole call
	// (a 429, a refused token, a stop), not from Zoho's word about the id.
	RequestLevel bool `json:"request_level,omitempty"`
}

func resultOf(it zohoterritory.ItemResult) result {
	return result{ID: it.ID, Outcome: it.Outcome.String(), Reason: string(it.Reason), Code: it.Code,
		Message: it.Message, Inferred: it.Inferred, RequestLevel: it.Err != nil}
}
