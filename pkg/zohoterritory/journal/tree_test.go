package journal

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
)

// The tree run's example: territories 4520xx, users 4110xx.
const (
	exNA, exLatam, exPacific = "5725767000000452002", "5725767000000452007", "5725767000000452010"
	exDev, exHal             = "5725767000000411004", "5725767000000411008"
)

// examplePlan creates Pacific under North America, adds Dev (its manager)
// and Hal to it, and deletes Latin America.
func examplePlan() *tree.Plan {
	pacific := tree.Ref{Key: "new:North America/Pacific"}
	return &tree.Plan{Format: tree.PlanFormat, Version: tree.PlanVersion, Created: t0, APIDomain: "https://www.zohoapis.eu", APIVersion: "v7",
		Source: "tree.yaml",
		Steps: []tree.Step{
			{Kind: tree.StepCreate, Creates: []tree.Create{{Key: pacific.Key, Name: "Pacific", Parent: tree.Ref{ID: exNA},
				Permission: tree.PermissionReadOnly, ManagerID: exDev, Path: "North America/Pacific", Line: 20}}},
			{Kind: tree.StepAdd, Members: &tree.Members{Territory: pacific, Path: "North America/Pacific", Line: 20, Users: []string{exDev, exHal}}},
			{Kind: tree.StepDelete, Deletes: []tree.Delete{{ID: exLatam, Name: "Latin America", Path: "Latin America", Members: []string{}, Children: []string{}}}},
		},
		Skips: []tree.Skip{},
		Before: tree.Before{
			Territories: []tree.Territory{
				{ID: exNA, Name: "North America", ParentID: "5725767000000452001", Permission: tree.PermissionReadWriteDelete},
				{ID: exLatam, Name: "Latin America", ParentID: "5725767000000452001", Permission: tree.PermissionReadWriteDelete},
			},
			Members: map[string][]string{exLatam: {}},
		},
	}
}

// writeTreeExample writes, through File's tree hooks, an apply of
// examplePlan killed while its delete was in flight: Pacific created, the
// adds answered (Dev present already, as its manager), the delete sent and
// never answered.
func writeTreeExample(t *testing.T, path string) {
	t.Helper()
	now := clock()
	j, err := Create(path, Options{Command: "apply", Now: now})
	require.NoError(t, err)
	require.NoError(t, j.BeginTree(tree.JournalRun{Plan: examplePlan(), APIDomain: "https://www.zohoapis.eu", APIVersion: "v7"}))
	create := j.Step(0)
	require.NoError(t, create.BeginTerritories(zohoterritory.TerritoryRun{Op: zohoterritory.OpCreateTerritories, Started: now(),
		Territories: []zohoterritory.JournalTerritory{{Index: 0, Name: "Pacific", ReportingTo: exNA,
			Record: json.RawMessage(`{"name":"Pacific","reporting_to":{"id":"` + exNA + `"},"permission_type":"read_only","manager":{"id":"` + exDev + `"}}`)}}}))
	require.NoError(t, create.SendingTerritories(zohoterritory.TerritoryAttempt{Call: 1, Operation: "createTerritories", Attempt: 1, Indexes: []int{0}, Time: now()}))
	require.NoError(t, create.AnsweredTerritories(zohoterritory.TerritoryAttempt{Call: 1, Operation: "createTerritories", Attempt: 1, Indexes: []int{0}, Status: 201, Time: now()}))
	require.NoError(t, create.SettledTerritories(1, []zohoterritory.TerritoryItem{{Index: 0, ID: exPacific, Name: "Pacific", Outcome: zohoterritory.Created,
		Code: "SUCCESS", Message: "Territory Created Successfully"}}))
	members := j.Members(1)
	require.NoError(t, members.BeginSet(zohoterritory.JournalSet{Started: now(), APIDomain: "https://www.zohoapis.eu", APIVersion: "v7",
		Changes: []zohoterritory.JournalChange{{Op: zohoterritory.OpAddUsers, Owner: exPacific, IDs: []string{exDev, exHal}, Send: []string{exDev, exHal}}}}))
	add := members.Change(0)
	require.NoError(t, add.Begin(zohoterritory.JournalRun{}))
	require.NoError(t, add.Sending(zohoterritory.JournalAttempt{Call: 1, Operation: "addUsersToTerritory", Attempt: 1, IDs: []string{exDev, exHal}, Time: now()}))
	require.NoError(t, add.Answered(zohoterritory.JournalAttempt{Call: 1, Operation: "addUsersToTerritory", Attempt: 1, IDs: []string{exDev, exHal}, Status: 207, Time: now()}))
	require.NoError(t, add.Settled(1, []zohoterritory.ItemResult{
		{ID: exDev, Outcome: zohoterritory.AlreadyPresent, Code: "DUPLICATE_DATA", Message: "already associated"},
		{ID: exHal, Outcome: zohoterritory.Added, Code: "SUCCESS", Message: "Given User added"}}))
	del := j.Step(2)
	require.NoError(t, del.BeginTerritories(zohoterritory.TerritoryRun{Op: zohoterritory.OpDeleteTerritories, Started: now(),
		Territories: []zohoterritory.JournalTerritory{{Index: 0, ID: exLatam}}}))
	require.NoError(t, del.SendingTerritories(zohoterritory.TerritoryAttempt{Call: 1, Operation: "deleteTerritory", Attempt: 1, Indexes: []int{0}, Time: now()}))
	require.NoError(t, j.Close())
}

// TestTreeFormatGolden documents the format of a tree run, version 3, with
// a golden file, and reads it back as a tree.Progress.
func TestTreeFormatGolden(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "run.jsonl")
	writeTreeExample(t, path)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	got = pidRE.ReplaceAll(got, []byte(`"pid":4242`))
	golden := filepath.Join("testdata", "format-v3-tree.jsonl")
	if *update {
		require.NoError(t, os.WriteFile(golden, got, 0o600))
	}
	want, err := os.ReadFile(golden)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))

	run, err := Read(golden)
	require.NoError(t, err)
	assert.Equal(t, TreeVersion, run.Version)
	assert.Equal(t, "apply", run.Command)
	assert.Equal(t, "https://www.zohoapis.eu", run.APIDomain)
	assert.Equal(t, 4242, run.PID)
	assert.Empty(t, run.Changes, "no membership changes: a tree run")
	require.NotNil(t, run.Tree)
	assert.Equal(t, examplePlan(), run.Tree.Plan, "the whole plan, read back")
	assert.Equal(t, []tree.StepProgress{
		{Begun: true, Settled: []zohoterritory.TerritoryItem{{Index: 0, ID: exPacific, Name: "Pacific", Outcome: zohoterritory.Created,
			Code: "SUCCESS", Message: "Territory Created Successfully"}}},
		{Begun: true, SettledUsers: []zohoterritory.ItemResult{
			{ID: exDev, Outcome: zohoterritory.AlreadyPresent, Code: "DUPLICATE_DATA", Message: "already associated"},
			{ID: exHal, Outcome: zohoterritory.Added, Code: "SUCCESS", Message: "Given User added"}}},
		{Begun: true, MaybeDone: []int{0}},
	}, run.Tree.Steps)
	assert.Equal(t, tree.RunUnfinished, run.Tree.Status())
	assert.Equal(t, tree.RunUnfinished, run.Status(), "a tree run's status is its progress's")
	for i, want := range [][2]int{{0, 0}, {0, 0}, {1, 1}} {
		send, maybe := run.Tree.Remaining(i)
		assert.Equal(t, want, [2]int{send, maybe}, "step %d", i)
	}
	assert.Equal(t, Counts{Total: 4, Done: 2, Present: 1, Pending: 1, Maybe: 1}, run.Counts())
	assert.False(t, run.Complete())
	assert.Equal(t, tree.Done{Created: map[string]string{"new:North America/Pacific": exPacific},
		Added: []tree.Members{{Territory: tree.Ref{Key: "new:North America/Pacific"}, Path: "North America/Pacific", Users: []string{exHal}}}},
		run.Tree.Done(), "what is known made; the delete may be done")

	// Taken up by another process: a resume record, then its own.
	p := filepath.Join(t.TempDir(), "run.jsonl")
	require.NoError(t, os.WriteFile(p, want, 0o600))
	j, opened, err := Open(p, Options{Command: "resume", Now: clock()})
	require.NoError(t, err)
	require.NotNil(t, opened.Tree)
	require.NoError(t, j.BeginTree(tree.JournalRun{Plan: opened.Tree.Plan}))
	del := j.Step(2)
	require.NoError(t, del.BeginTerritories(zohoterritory.TerritoryRun{Op: zohoterritory.OpDeleteTerritories, MaybeDone: []int{0},
		Territories: []zohoterritory.JournalTerritory{{Index: 0, ID: exLatam}}}))
	require.NoError(t, del.SettledTerritories(1, []zohoterritory.TerritoryItem{{Index: 0, ID: exLatam, Outcome: zohoterritory.Deleted, Inferred: true}}))
	require.Error(t, j.BeginTree(tree.JournalRun{Plan: opened.Tree.Plan}), "one run a journal")
	require.NoError(t, j.Close())
	run, err = Read(p)
	require.NoError(t, err)
	assert.Equal(t, 1, run.Resumes)
	assert.Equal(t, tree.RunComplete, run.Tree.Status())
	assert.Equal(t, tree.RunComplete, run.Status())
	assert.True(t, run.Complete())
	assert.Equal(t, []string{exLatam}, run.Tree.Done().Deleted)
	list, err := List(filepath.Dir(p))
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "apply", list[0].Run.Command, "listed with the others")
}

// TestTreeReadRefuses: a tree run's journal that is malformed, names what
// its plan does not hold, or whose plan is not a plan, is refused with
// its line.
func TestTreeReadRefuses(t *testing.T) {
	t.Parallel()
	golden, err := os.ReadFile(filepath.Join("testdata", "format-v3-tree.jsonl"))
	require.NoError(t, err)
	lines := strings.SplitAfter(string(golden), "\n")
	header := lines[0]
	for _, tt := range []struct{ name, body, want string }{
		{"no kind", strings.Replace(header, `"kind":"tree",`, "", 1), `line 1: header: kind ""`},
		{"not a plan", strings.Replace(header, `"format":"zohoterritory-tree-plan"`, `"format":"other"`, 1), "line 1: header: the plan"},
		{"membership fields", strings.Replace(header, `"kind":"tree"`, `"kind":"tree","owner":"1"`, 1), "line 1: malformed header"},
		{"no such step", header + `{"type":"send","time":"2026-12-02T09:30:00Z","step":4,"call":1,"attempt":1,"indexes":[0]}` + "\n", "line 2: step 4: the plan has steps 1 to 3"},
		{"index past the step", header + `{"type":"send","time":"2026-12-02T09:30:00Z","step":1,"call":1,"attempt":1,"indexes":[1]}` + "\n", "line 2: step 1: index 1: the step has 1 territories"},
		{"indexes for a membership step", header + `{"type":"send","time":"2026-12-02T09:30:00Z","step":2,"call":1,"attempt":1,"indexes":[0]}` + "\n", "line 2: step 2: send record without ids"},
		{"foreign user", header + `{"type":"send","time":"2026-12-02T09:30:00Z","step":2,"call":1,"attempt":1,"ids":["1"]}` + "\n", `line 2: step 2: user "1" is not one of the step's`},
		{"step record of a membership step", header + `{"type":"step","time":"2026-12-02T09:30:00Z","step":2,"op":"add-users"}` + "\n", "line 2: step 2: a step record for a membership step"},
		{"members of a structure step", header + `{"type":"members","time":"2026-12-02T09:30:00Z","changes":[{"step":1,"op":"add-users","owner":"1","ids":["1"]}]}` + "\n", "line 2: change of step 1: not a membership step"},
		{"created without an id", header + `{"type":"outcome","time":"2026-12-02T09:30:00Z","step":1,"call":1,"items":[{"index":0,"outcome":"created"}]}` + "\n", `line 2: step 1: index 0: created with id ""`},
		{"answer without send", header + `{"type":"answer","time":"2026-12-02T09:30:00Z","step":1,"call":1,"attempt":1,"status":201}` + "\n", "line 2: step 1: answer to call 1 attempt 1"},
		{"second header", header + header, "line 2: a second header"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "j.jsonl")
			require.NoError(t, os.WriteFile(p, []byte(tt.body), 0o600))
			_, err := Read(p)
			var re *ReadError
			require.ErrorAs(t, err, &re)
			assert.Contains(t, err.Error(), tt.want)
			_, _, err = Open(p, Options{})
			require.Error(t, err, "never opened to append")
		})
	}

	// A membership run's journal is not taken up as a tree run's.
	p := filepath.Join(t.TempDir(), "v2.jsonl")
	v2, err := os.ReadFile(filepath.Join("testdata", "format-v2.jsonl"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, v2, 0o600))
	j, _, err := Open(p, Options{})
	require.NoError(t, err)
	defer func() { _ = j.Close() }()
	assert.ErrorContains(t, j.BeginTree(tree.JournalRun{Plan: examplePlan()}), "not the journal of a tree run")
}
