package journal

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

var update = flag.Bool("update", false, "rewrite testdata/format-v2.jsonl and format-v2-set.jsonl")

// pidRE finds the process id a record names, which differs in every run.
var pidRE = regexp.MustCompile(`"pid":\d+`)

var t0 = time.Date(2026, 12, 2, 9, 30, 0, 0, time.UTC)

// clock returns t0, t0+1s, t0+2s...
func clock() func() time.Time {
	var mu sync.Mutex
	n := 0
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		n++
		return t0.Add(time.Duration(n) * time.Second)
	}
}

// writeExample writes, through File's methods, a removal of four
// territories in two calls: the first removed one and was refused one
// (the manager's); the second was answered 500, sent again, and its answer
// never came (the process died).
func writeExample(t *testing.T, path string) {
	t.Helper()
	now := clock()
	j, err := Create(path, Options{Command: "remove-territories", Now: now})
	require.NoError(t, err)
	require.NoError(t, j.Begin(zohoterritory.JournalRun{Op: zohoterritory.OpRemoveTerritories, Owner: "5725767000000411004",
		IDs: []string{"111", "222", "333", "444"}, APIDomain: "https://www.zohoapis.eu", APIVersion: "v7", Started: now()}))
	require.NoError(t, j.Sending(zohoterritory.JournalAttempt{Call: 1, Operation: "removeTerritoriesFromUser", Attempt: 1, IDs: []string{"111", "222"}, Time: now()}))
	require.NoError(t, j.Sending(zohoterritory.JournalAttempt{Call: 2, Operation: "removeTerritoriesFromUser", Attempt: 1, IDs: []string{"333", "444"}, Time: now()}))
	require.NoError(t, j.Answered(zohoterritory.JournalAttempt{Call: 1, Attempt: 1, Status: 207, Time: now()}))
	require.NoError(t, j.Settled(1, []zohoterritory.ItemResult{
		{ID: "111", Outcome: zohoterritory.Removed, Message: "Territory removed from the user successfully"},
		{ID: "222", Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonManager, Code: "INVALID_DATA", Message: "The territory given cannot be removed from the user"},
	}))
	require.NoError(t, j.Answered(zohoterritory.JournalAttempt{Call: 2, Attempt: 1, Status: 500, Err: errors.New("removeTerritoriesFromUser: 500 INTERNAL_ERROR"), Time: now()}))
	require.NoError(t, j.Sending(zohoterritory.JournalAttempt{Call: 2, Operation: "removeTerritoriesFromUser", Attempt: 2, IDs: []string{"333", "444"}, Time: now()}))
	require.NoError(t, j.Close())
}

// TestFormatGolden documents the format, version 2, with a golden file,
// and reads the same run written in version 1 as the same run.
func TestFormatGolden(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "run.jsonl")
	writeExample(t, path)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	got = pidRE.ReplaceAll(got, []byte(`"pid":4242`))
	golden := filepath.Join("testdata", "format-v2.jsonl")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o600))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	for _, file := range []string{"format-v1.jsonl", "format-v2.jsonl"} {
		run, err := Read(filepath.Join("testdata", file))
		require.NoError(t, err)
		require.Len(t, run.Changes, 1, file)
		c := run.Changes[0]
		assert.Equal(t, zohoterritory.OpRemoveTerritories, c.Op)
		assert.Equal(t, "remove-territories", run.Command)
		assert.Equal(t, "https://www.zohoapis.eu", run.APIDomain)
		assert.Equal(t, "v7", run.APIVersion)
		assert.Equal(t, []string{"111", "222", "333", "444"}, c.IDs)
		ids, maybe := c.Pending()
		assert.Equal(t, []string{"333", "444"}, ids, "the second call's ids have no outcome")
		assert.Equal(t, []string{"333", "444"}, maybe, "a 500 and an unanswered attempt may have removed them")
		assert.Equal(t, []string{"111"}, c.Done())
		undo, doubtful, ok := run.Undo()
		require.True(t, ok)
		require.Len(t, undo.Changes, 1)
		assert.Equal(t, zohoterritory.OpAddTerritories, undo.Changes[0].Op)
		assert.Equal(t, []string{"111", "333", "444"}, undo.Changes[0].IDs, "removed, and maybe removed; never the manager's")
		assert.Empty(t, doubtful)
		assert.Equal(t, Counts{Total: 4, Done: 1, Failed: 1, Pending: 2, Maybe: 2}, run.Counts())
		assert.False(t, run.Complete())
		assert.Equal(t, tree.RunUnfinished, run.Status(), "a resume has ids to send")
		resume := run.Resume()
		require.Len(t, resume.Changes, 1)
		assert.Equal(t, []string{"111", "222"}, idsOf(resume.Changes[0].Settled))
		assert.Equal(t, []string{"333", "444"}, resume.Changes[0].MaybeDone)
	}
}

func idsOf(items []zohoterritory.ItemResult) []string {
	out := []string{}
	for _, it := range items {
		out = append(out, it.ID)
	}
	return out
}

// writeSetExample writes a move of two users from 20 to 30: the add
// answered for u1 (added) and u2 (the territory is full), the removal of
// u2 kept without a call, and u1's removal sent with no answer (the
// process died).
func writeSetExample(t *testing.T, path string) {
	t.Helper()
	now := clock()
	j, err := Create(path, Options{Command: "move-users", Now: now})
	require.NoError(t, err)
	require.NoError(t, j.BeginSet(zohoterritory.JournalSet{APIDomain: "https://www.zohoapis.com", APIVersion: "v8", Started: now(),
		Changes: []zohoterritory.JournalChange{
			{Op: zohoterritory.OpAddUsers, Owner: "30", IDs: []string{"1", "2"}, Send: []string{"1", "2"}},
			{Op: zohoterritory.OpRemoveUsers, Owner: "20", IDs: []string{"1", "2"}, Send: []string{"1", "2"}},
		}}))
	add, remove := j.Change(0), j.Change(1)
	require.NoError(t, add.Begin(zohoterritory.JournalRun{}))
	require.NoError(t, add.Sending(zohoterritory.JournalAttempt{Call: 1, Operation: "addUsersToTerritory", Attempt: 1, IDs: []string{"1", "2"}, Time: now()}))
	require.NoError(t, add.Answered(zohoterritory.JournalAttempt{Call: 1, Attempt: 1, Status: 207, Time: now()}))
	require.NoError(t, add.Settled(1, []zohoterritory.ItemResult{
		{ID: "1", Outcome: zohoterritory.Added, Message: "Given User added"},
		{ID: "2", Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonLimitExceeded, Code: "LIMIT_EXCEEDED", Message: "Maximum Users Limit reached for a territory"},
	}))
	require.NoError(t, remove.Settled(0, []zohoterritory.ItemResult{{ID: "2", Outcome: zohoterritory.Failed, Reason: zohoterritory.ReasonKept, Message: "not removed, so the user keeps it"}}))
	require.NoError(t, remove.Sending(zohoterritory.JournalAttempt{Call: 1, Operation: "removeUserFromTerritory", Attempt: 1, IDs: []string{"1"}, Time: now()}))
	require.NoError(t, j.Close())
}

// TestSetFormatGolden: a run of several changes, each record naming its
// change; a resume of it and its undo.
func TestSetFormatGolden(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "move.jsonl")
	writeSetExample(t, path)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	got = pidRE.ReplaceAll(got, []byte(`"pid":4242`))
	golden := filepath.Join("testdata", "format-v2-set.jsonl")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o600))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	run, err := Read(path)
	require.NoError(t, err)
	require.Len(t, run.Changes, 2)
	assert.Equal(t, os.Getpid(), run.PID)
	assert.Equal(t, Counts{Total: 4, Done: 1, Failed: 2, Pending: 1, Maybe: 1}, run.Counts())
	set := run.Resume()
	require.Len(t, set.Changes, 2)
	assert.Equal(t, []string{"1", "2"}, idsOf(set.Changes[0].Settled))
	assert.Equal(t, []string{"2"}, idsOf(set.Changes[1].Settled), "kept is final")
	assert.Equal(t, []string{"1"}, set.Changes[1].MaybeDone)

	undo, doubtful, ok := run.Undo()
	require.True(t, ok)
	assert.Empty(t, doubtful)
	require.Len(t, undo.Changes, 2)
	assert.Equal(t, zohoterritory.Change{Op: zohoterritory.OpRemoveUsers, Owner: "30", IDs: []string{"1"}}, undo.Changes[0], "take back the add")
	assert.Equal(t, zohoterritory.Change{Op: zohoterritory.OpAddUsers, Owner: "20", IDs: []string{"1"}}, undo.Changes[1], "put back what may have been removed")
}

// TestUndoOfAnUnsettledAdd: an add whose answer was lost is not undone (the
// user may have been a member before); the undo names it.
func TestUndoOfAnUnsettledAdd(t *testing.T) {
	t.Parallel()
	body := `{"type":"run","time":"2026-12-02T09:30:00Z","format":"zohoterritory-journal","version":2,"pid":1,"changes":[{"op":"add-users","owner":"77","ids":["1","2"]}]}
{"type":"send","time":"2026-12-02T09:30:00Z","change":1,"call":1,"attempt":1,"ids":["1","2"]}
{"type":"answer","time":"2026-12-02T09:30:00Z","change":1,"call":1,"attempt":1,"status":500}
{"type":"outcome","time":"2026-12-02T09:30:00Z","change":1,"call":1,"results":[{"id":"1","outcome":"unknown"},{"id":"2","outcome":"unknown"}]}
{"type":"resume","time":"2026-12-02T09:31:00Z","pid":2,"changes":[{"change":1,"ids":["1","2"],"maybe_done":["1","2"]}]}
{"type":"send","time":"2026-12-02T09:31:00Z","change":1,"call":1,"attempt":1,"ids":["1"]}
{"type":"answer","time":"2026-12-02T09:31:00Z","change":1,"call":1,"attempt":1,"status":400}
{"type":"outcome","time":"2026-12-02T09:31:00Z","change":1,"call":1,"results":[{"id":"1","outcome":"added","inferred":true}]}
`
	run, err := parse("j", []byte(body))
	require.NoError(t, err)
	assert.Equal(t, 2, run.PID, "the resume's process")
	assert.Equal(t, 1, run.Resumes)
	undo, doubtful, ok := run.Undo()
	require.True(t, ok)
	assert.Equal(t, []string{"1"}, undo.Changes[0].IDs)
	assert.Equal(t, []string{"2"}, doubtful)
}

func TestFilesArePrivate(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "state", "zohoterritory")
	p, err := NewPath(dir, string(zohoterritory.OpRemoveUsers), "77", t0)
	require.NoError(t, err)
	assert.Equal(t, "20261202T093000000Z-remove-users-77.jsonl", filepath.Base(p))
	j, err := Create(p, Options{})
	require.NoError(t, err)
	require.NoError(t, j.Close())
	fi, err := os.Stat(p)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())

	_, err = Create(p, Options{})
	require.Error(t, err, "never overwritten")
	assert.Contains(t, err.Error(), "never overwritten")
	p2, err := NewPath(dir, string(zohoterritory.OpRemoveUsers), "77", t0)
	require.NoError(t, err)
	assert.Equal(t, "20261202T093000000Z-remove-users-77-2.jsonl", filepath.Base(p2))

	// A state directory that others may read is narrowed.
	require.NoError(t, os.Chmod(dir, 0o755))
	_, err = NewPath(dir, string(zohoterritory.OpRemoveUsers), "77", t0)
	require.NoError(t, err)
	di, err = os.Stat(dir)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())
}

func TestStateDir(t *testing.T) {
	t.Parallel()
	env := func(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }
	tests := []struct {
		name string
		env  map[string]string
		want string
		err  bool
	}{
		{"xdg", map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, "/s/zohoterritory", false},
		{"relative xdg is ignored", map[string]string{"XDG_STATE_HOME": "rel", "HOME": "/h"}, "/h/.local/state/zohoterritory", false},
		{"home", map[string]string{"HOME": "/h"}, "/h/.local/state/zohoterritory", false},
		{"neither", map[string]string{}, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StateDir(env(tt.env))
			if tt.err {
				require.Error(t, err)
				assert.Equal(t, "journal: no state directory: set XDG_STATE_HOME or HOME to an absolute path", err.Error(), "no command's flag in a library's message")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, filepath.FromSlash(tt.want), got)
		})
	}
}

// TestReadRefuses: a journal is read up to its last whole line, and
// refused, naming file and line, when it is anything but whole before it.
func TestReadRefuses(t *testing.T) {
	t.Parallel()
	golden, err := os.ReadFile(filepath.Join("testdata", "format-v1.jsonl"))
	require.NoError(t, err)
	lines := strings.SplitAfter(string(golden), "\n")
	v2, err := os.ReadFile(filepath.Join("testdata", "format-v2-set.jsonl"))
	require.NoError(t, err)
	v2lines := strings.SplitAfter(string(v2), "\n")
	header := lines[0]
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "empty: the run never started"},
		{"only half a header", header[:20], "empty: the run never started"},
		{"not a journal", "hello\n", "line 1: not a zohoterritory journal"},
		{"another format", `{"type":"run","format":"other","version":1}` + "\n", "line 1: not a zohoterritory journal"},
		{"unknown version", strings.Replace(header, `"version":1`, `"version":4`, 1), "line 1: format version 4 is not one this zohoterritory reads (it reads versions 1, 2 and 3)"},
		{"change number in version 1", header + `{"type":"send","time":"2026-12-02T09:30:00Z","change":1,"call":1,"attempt":1,"ids":["111"]}` + "\n", "line 2: a change number in a version 1 journal"},
		{"no such change", v2lines[0] + `{"type":"send","time":"2026-12-02T09:30:00Z","change":3,"call":1,"attempt":1,"ids":["1"]}` + "\n", "line 2: change 3: the run has changes 1 to 2"},
		{"no change number in version 2", v2lines[0] + `{"type":"send","time":"2026-12-02T09:30:00Z","call":1,"attempt":1,"ids":["1"]}` + "\n", "line 2: change 0"},
		{"id of another change", strings.Replace(v2lines[0], `"owner":"20","ids":["1","2"]`, `"owner":"20","ids":["1"]`, 1) + `{"type":"send","time":"2026-12-02T09:30:00Z","change":2,"call":1,"attempt":1,"ids":["2"]}` + "\n", `line 2: id "2" is not one of the run's ids`},
		{"version 1 fields in version 2", strings.Replace(v2lines[0], `"pid"`, `"owner":"5","pid"`, 1), "line 1: header: version 1 fields in a version 2 header"},
		{"malformed in the middle", header + "{oops\n" + lines[1], "line 2: malformed record"},
		{"unknown record", header + `{"type":"what","time":"2026-12-02T09:30:00Z"}` + "\n", `line 2: unknown record type "what"`},
		{"unknown field", header + `{"type":"resume","time":"2026-12-02T09:30:00Z","token":"x"}` + "\n", "line 2: malformed record"},
		{"foreign id", header + `{"type":"send","time":"2026-12-02T09:30:00Z","call":1,"attempt":1,"ids":["999"]}` + "\n", `line 2: id "999" is not one of the run's ids`},
		{"answer without send", header + `{"type":"answer","time":"2026-12-02T09:30:00Z","call":7,"attempt":1,"status":200}` + "\n", "line 2: answer to call 7 attempt 1"},
		{"second header", header + header, "line 2: a second header"},
		{"unknown outcome", header + `{"type":"outcome","time":"2026-12-02T09:30:00Z","call":1,"results":[{"id":"111","outcome":"gone"}]}` + "\n", `unknown outcome "gone"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "j.jsonl")
			require.NoError(t, os.WriteFile(p, []byte(tt.body), 0o600))
			_, err := Read(p)
			require.Error(t, err)
			var re *ReadError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, err.Error(), p)
			assert.Contains(t, err.Error(), tt.want)
			_, _, err = Open(p, Options{})
			require.Error(t, err, "never opened to append")
		})
	}
}

// TestTornLastLine: every cut of the last line (a writer killed while
// writing) reads as the journal without it, and Open cuts it off before
// appending, so that the next record starts on its own line.
func TestTornLastLine(t *testing.T) {
	t.Parallel()
	golden, err := os.ReadFile(filepath.Join("testdata", "format-v1.jsonl"))
	require.NoError(t, err)
	lastStart := strings.LastIndex(strings.TrimSuffix(string(golden), "\n"), "\n") + 1
	whole, err := parse("whole", golden[:lastStart])
	require.NoError(t, err)
	wantIDs, wantMaybe := whole.Changes[0].Pending()
	for cut := lastStart + 1; cut < len(golden); cut++ {
		run, err := parse("torn", golden[:cut])
		require.NoError(t, err, "cut at %d", cut)
		assert.True(t, run.Torn)
		ids, maybe := run.Changes[0].Pending()
		assert.Equal(t, wantIDs, ids)
		assert.Equal(t, wantMaybe, maybe)
	}

	p := filepath.Join(t.TempDir(), "j.jsonl")
	require.NoError(t, os.WriteFile(p, golden[:len(golden)-7], 0o600))
	j, run, err := Open(p, Options{Command: "resume", Now: clock()})
	require.NoError(t, err)
	assert.True(t, run.Torn)
	require.NoError(t, j.Begin(zohoterritory.JournalRun{Op: run.Changes[0].Op, Owner: run.Changes[0].Owner, IDs: []string{"333"}, Started: t0}))
	require.NoError(t, j.Close())
	again, err := Read(p)
	require.NoError(t, err)
	assert.False(t, again.Torn)
	assert.Equal(t, 1, again.Resumes)
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.Equal(t, string(golden[:lastStart]), string(b[:lastStart]))
	assert.True(t, strings.HasPrefix(string(b[lastStart:]), `{"type":"resume"`))
}

// TestPendingRules: what a resume sends again, and which of those ids an
// earlier attempt may have done.
func TestPendingRules(t *testing.T) {
	t.Parallel()
	hdr := `{"type":"run","time":"2026-12-02T09:30:00Z","format":"zohoterritory-journal","version":1,"op":"remove-users","owner":"77","ids":["1"]}` + "\n"
	send := func(call, attempt int) string {
		return fmt.Sprintf(`{"type":"send","time":"2026-12-02T09:30:00Z","call":%d,"attempt":%d,"ids":["1"]}`+"\n", call, attempt)
	}
	answer := func(call, attempt, status int) string {
		return fmt.Sprintf(`{"type":"answer","time":"2026-12-02T09:30:00Z","call":%d,"attempt":%d,"status":%d}`+"\n", call, attempt, status)
	}
	outcome := func(fields string) string {
		return `{"type":"outcome","time":"2026-12-02T09:30:00Z","call":1,"results":[{"id":"1",` + fields + `}]}` + "\n"
	}
	resume := `{"type":"resume","time":"2026-12-02T09:31:00Z","ids":["1"]}` + "\n"
	tests := []struct {
		name           string
		body           string
		pending, maybe bool
	}{
		{"never sent", "", true, false},
		{"sent, no answer", send(1, 1), true, true},
		{"sent, refused with 429", send(1, 1) + answer(1, 1, 429), true, false},
		{"sent, 500", send(1, 1) + answer(1, 1, 500), true, true},
		{"sent, 200, outcome lost", send(1, 1) + answer(1, 1, 200), true, true},
		{"removed", send(1, 1) + answer(1, 1, 200) + outcome(`"outcome":"removed"`), false, false},
		{"not a member", send(1, 1) + answer(1, 1, 400) + outcome(`"outcome":"failed","reason":"not_member"`), false, false},
		{"500 then refused: the 500 may have done it", send(1, 1) + answer(1, 1, 500) + send(1, 2) + answer(1, 2, 400), true, true},
		{"unknown", send(1, 1) + answer(1, 1, 500) + outcome(`"outcome":"unknown"`), true, true},
		{"refused token", send(1, 1) + answer(1, 1, 401) + outcome(`"outcome":"failed","reason":"unauthorized","request_level":true`), true, false},
		{"not sent", outcome(`"outcome":"failed","reason":"not_sent","request_level":true`), true, false},
		{"a resume settles it", send(1, 1) + resume + send(1, 1) + answer(1, 1, 400) + outcome(`"outcome":"removed","inferred":true`), false, false},
		{"a resume killed too", send(1, 1) + resume + send(1, 1) + answer(1, 1, 429), true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			run, err := parse("j", []byte(hdr+tt.body))
			require.NoError(t, err)
			ids, maybe := run.Changes[0].Pending()
			assert.Equal(t, tt.pending, len(ids) == 1, "pending")
			assert.Equal(t, tt.maybe, len(maybe) == 1, "maybe done")
		})
	}
}

// TestWithClient: Apply writes the journal through the request core's
// hooks: every attempt is recorded before it is sent, and every id's
// outcome after; a journal that cannot be written keeps calls from being
// sent.
func TestWithClient(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen++
		first := seen == 1
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if first {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write([]byte(`{"code":"INTERNAL_ERROR","details":{},"message":"Internal Server Error","status":"error"}`))
			return
		}
		ids := strings.Split(r.URL.Query().Get("ids"), ",")
		items := make([]map[string]any, len(ids))
		for i, id := range ids {
			items[i] = map[string]any{"code": "SUCCESS", "details": map[string]any{"id": id}, "message": "Territory removed from the user successfully", "status": "success"}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"territories": items})
	}))
	defer srv.Close()
	c, err := zohoterritory.New(zohoterritory.WithAPIDomain(srv.URL), zohoterritory.WithAccessToken("secret-token-value"),
		zohoterritory.WithConcurrency(1), zohoterritory.WithRetryPolicy(zohoterritory.RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond, AttemptTimeout: time.Minute}))
	require.NoError(t, err)

	p := filepath.Join(t.TempDir(), "j.jsonl")
	j, err := Create(p, Options{Command: "remove-territories"})
	require.NoError(t, err)
	ids := make([]string, 150)
	for i := range ids {
		ids[i] = fmt.Sprint(1000 + i)
	}
	res, err := c.Apply(context.Background(), zohoterritory.Change{Op: zohoterritory.OpRemoveTerritories, Owner: "9", IDs: ids, Journal: j})
	require.NoError(t, err)
	require.True(t, res.AllRemoved())
	require.NoError(t, j.Close())

	b, err := os.ReadFile(p)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "secret-token-value")
	run, err := Read(p)
	require.NoError(t, err)
	assert.True(t, run.Complete())
	assert.Equal(t, tree.RunComplete, run.Status())
	assert.Equal(t, ids, run.Changes[0].Done())
	assert.Equal(t, srv.URL, run.APIDomain)
	types := []string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec record
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		types = append(types, rec.Type)
	}
	assert.Equal(t, []string{"run", "send", "answer", "send", "answer", "outcome", "send", "answer", "outcome"}, types,
		"the 500 and its retry of the first call, then the second call")

	// A journal that cannot be written: nothing is sent.
	mu.Lock()
	before := seen
	mu.Unlock()
	res, err = c.Apply(context.Background(), zohoterritory.Change{Op: zohoterritory.OpRemoveTerritories, Owner: "9", IDs: ids, Journal: j})
	require.Error(t, err)
	var je *zohoterritory.JournalError
	require.ErrorAs(t, err, &je)
	assert.Equal(t, "begin", je.Step)
	assert.Nil(t, res)
	mu.Lock()
	assert.Equal(t, before, seen, "nothing sent without a journal")
	mu.Unlock()
}
