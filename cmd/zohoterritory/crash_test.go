package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/testorg"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// killMode is the moment a gate kills the process at its chosen request.
type killMode int

const (
	// killBeforeSent: the request reaches the gate and goes no further;
	// Zoho never sees it.
	killBeforeSent killMode = iota
	// killAfterWork: Zoho carries the call out, and the process dies
	// before the answer comes back.
	killAfterWork
	// killMidAnswer: Zoho carries the call out, and the process dies with
	// half the answer read.
	killMidAnswer
)

// process is one run of the built command, killed by its gate.
type process struct {
	cmd     *exec.Cmd
	started chan struct{} // closed once cmd.Process is set
	exited  chan struct{}
	err     error // cmd.Wait's, once exited is closed
	stdout  bytes.Buffer
	stderr  bytes.Buffer
}

// kill sends SIGKILL and returns once the process is gone.
func (p *process) kill() {
	<-p.started
	_ = p.cmd.Process.Kill() // SIGKILL
	<-p.exited
}

// gate stands between the command and the sandbox, and kills the command
// (SIGKILL) at the at-th request it sees, at the moment mode names; it
// waits for the process to be gone before it goes on, so nothing depends
// on timing. The other requests it passes on are carried to the sandbox
// whether or not the command is still there to read the answer: a request
// a killed process had written is carried out all the same, and
// startKilled waits for each before the test reads the org.
type gate struct {
	srv    *httptest.Server
	target *url.URL
	at     int64
	mode   killMode
	seen   atomic.Int64
	once   sync.Once
	// proc is the process to kill: set before it starts, read by the
	// handler (atomic: the race detector cannot see that the request
	// came from the process started after the write).
	proc atomic.Pointer[process]
}

func newGate(t *testing.T, target string, at int, mode killMode) *gate {
	t.Helper()
	u, err := url.Parse(target)
	require.NoError(t, err)
	g := &gate{target: u, at: int64(at), mode: mode}
	proxy := httputil.NewSingleHostReverseProxy(u)
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := g.seen.Add(1)
		if n != g.at {
			proxy.ServeHTTP(w, r.WithContext(context.WithoutCancel(r.Context())))
			return
		}
		g.once.Do(func() { g.strike(t, w, r) })
	}))
	t.Cleanup(g.srv.Close)
	return g
}

func (g *gate) strike(t *testing.T, w http.ResponseWriter, r *http.Request) {
	if g.mode == killBeforeSent {
		g.proc.Load().kill()
		return
	}
	out := r.Clone(r.Context())
	out.RequestURI = ""
	out.URL.Scheme, out.URL.Host, out.Host = g.target.Scheme, g.target.Host, g.target.Host
	resp, err := http.DefaultTransport.RoundTrip(out)
	if !assert.NoError(t, err) {
		g.proc.Load().kill()
		return
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.NoError(t, err)
	if g.mode == killMidAnswer {
		w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
		w.WriteHeader(resp.StatusCode)
		_, _ = w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
	}
	g.proc.Load().kill()
}

// startKilled starts the command through g and returns once g has killed
// it and every request it had sent through g is answered, failing when it
// ended otherwise.
func startKilled(t *testing.T, g *gate, env []string, stdin string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(build(t), args...), started: make(chan struct{}), exited: make(chan struct{})}
	p.cmd.Env = env
	p.cmd.Stdin = strings.NewReader(stdin)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	g.proc.Store(p)
	require.NoError(t, p.cmd.Start())
	close(p.started)
	go func() {
		p.err = p.cmd.Wait()
		close(p.exited)
	}()
	<-p.exited
	g.srv.Close() // waits for the requests in flight
	var ee *exec.ExitError
	require.True(t, errors.As(p.err, &ee), "the process was killed, not ended: %v\nstderr: %s", p.err, p.stderr.String())
	ws, ok := ee.Sys().(syscall.WaitStatus)
	require.True(t, ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL, "killed by SIGKILL: %v\nstderr: %s", p.err, p.stderr.String())
	return p
}

// runBinary runs the command to its end and returns its output and exit
// code.
func runBinary(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(build(t), args...)
	cmd.Env = env
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return out.String(), errb.String(), ee.ExitCode()
	}
	require.NoError(t, err)
	return out.String(), errb.String(), 0
}

// tearJournal drops the journal's last drop lines and leaves half of the
// line before them, as a process killed while writing that line would
// have left it, and returns the type of the torn record.
func tearJournal(t *testing.T, path string, drop int) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	lines := strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	lines = lines[:len(lines)-drop]
	last := strings.TrimSuffix(lines[len(lines)-1], "\n")
	var rec struct {
		Type string `json:"type"`
	}
	require.NoError(t, json.Unmarshal([]byte(last), &rec))
	lines[len(lines)-1] = last[:len(last)/2]
	require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600))
	return rec.Type
}

// TestKilledRunIsResumedAndRestored kills the command with SIGKILL at many
// points of a 1,000-id removal (1,002 territories of one user, two of which
// Zoho never removes: the default territory and the one the user
// manages), each time before the first call, between calls, with a call
// carried out but its answer not yet back, and with half an answer read;
// with one call in flight and with several; with the journal's last line
// cut in half; and with the resume itself killed. Each time `resume`
// accounts for every id: every removable id is gone from the org, every id
// the first process removed is reported removed, and the two forbidden
// ones fail with their reasons; then `restore` brings the org back to its
// state before the removal.
func TestKilledRunIsResumedAndRestored(t *testing.T) {
	t.Parallel()
	type kill struct {
		at   int
		mode killMode
	}
	tests := []struct {
		name        string
		concurrency string
		kills       []kill // the first kills the removal, the next ones each a resume
		// tear, if set, is the record the first process was killed
		// while writing: the journal is cut so, after the kill.
		tear string
	}{
		{"before the first call", "1", []kill{{1, killBeforeSent}}, ""},
		{"between calls", "1", []kill{{4, killBeforeSent}}, ""},
		{"with a call carried out, its answer not back", "1", []kill{{3, killAfterWork}}, ""},
		{"while the answer is being read", "1", []kill{{6, killMidAnswer}}, ""},
		{"the last call carried out", "1", []kill{{11, killAfterWork}}, ""},
		{"with calls in flight at once", "4", []kill{{5, killAfterWork}}, ""},
		// Zoho never saw the call whose send record was being written...
		{"while writing a call's send record", "1", []kill{{7, killBeforeSent}}, "send"},
		// ...but carried out the one whose outcome was.
		{"while writing a call's outcome", "1", []kill{{7, killBeforeSent}}, "outcome"},
		{"and the resume killed too", "2", []kill{{3, killAfterWork}, {2, killMidAnswer}, {1, killBeforeSent}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			org := testorg.NewBulk()
			srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(org.Seed), zohoterritorytest.WithContractCheck(validator(t)))
			require.NoError(t, err)
			t.Cleanup(func() {
				srv.Close()
				assert.Empty(t, srv.Violations(), "sandbox answers match the spec")
			})
			before := srv.TerritoriesOf(testorg.Rep)
			state := t.TempDir()
			journalPath := filepath.Join(state, "offboard.jsonl")
			env := func(apiDomain string) []string {
				return []string{"PATH=" + os.Getenv("PATH"), "XDG_STATE_HOME=" + state,
					"ZOHO_API_DOMAIN=" + apiDomain, "ZOHO_ACCESS_TOKEN=" + srv.AccessToken()}
			}

			g := newGate(t, srv.URL(), tt.kills[0].at, tt.kills[0].mode)
			startKilled(t, g, env(g.srv.URL), strings.Join(org.IDs, "\n"),
				"remove-territories", "-u", testorg.Rep, "--concurrency", tt.concurrency, "--journal", journalPath, "-o", "json")
			require.NoError(t, srv.WaitIdle(t.Context()))
			removedByFirst := missing(before, srv.TerritoriesOf(testorg.Rep))
			if tt.kills[0].mode != killBeforeSent {
				assert.NotEmpty(t, removedByFirst, "the call the kill caught was carried out")
			}
			switch tt.tear {
			case "send": // the last record: call 7's send
				assert.Equal(t, "send", tearJournal(t, journalPath, 0))
			case "outcome": // before it: call 6's outcome
				assert.Equal(t, "outcome", tearJournal(t, journalPath, 1))
			}
			for _, k := range tt.kills[1:] {
				g := newGate(t, srv.URL(), k.at, k.mode)
				startKilled(t, g, env(g.srv.URL), "", "resume", journalPath, "--concurrency", tt.concurrency)
				require.NoError(t, srv.WaitIdle(t.Context()))
			}

			stdout, stderr, code := runBinary(t, env(srv.URL()), "resume", journalPath, "-o", "json")
			assert.Equal(t, 2, code, "the two forbidden ids fail: %s", stderr)
			var res jsonResult
			require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
			assert.ElementsMatch(t, org.Removable, res.Removed, "every removable id removed")
			assert.Subset(t, res.Removed, removedByFirst, "what the first process removed is reported removed")
			assert.Empty(t, res.Unknown)
			failed := map[string]string{}
			for _, f := range res.Failed {
				failed[f.ID] = f.Reason
			}
			assert.Equal(t, org.Documented, failed, "only the ids the rules forbid failed")
			assert.Equal(t, []string{testorg.Default, testorg.Managed}, sortedIDs(srv.TerritoriesOf(testorg.Rep)))
			assert.NotContains(t, stdout+stderr, srv.AccessToken())

			// A second resume has nothing to send.
			stdout2, _, code2 := runBinary(t, env(srv.URL()), "resume", journalPath, "-o", "json")
			assert.Equal(t, 2, code2)
			assert.JSONEq(t, stdout, stdout2, "the journal holds the same result")

			stdout, stderr, code = runBinary(t, env(srv.URL()), "restore", journalPath, "-o", "json")
			require.Equal(t, 0, code, "restore: %s", stderr)
			var restored jsonAddResult
			require.NoError(t, json.Unmarshal([]byte(stdout), &restored), stdout)
			assert.ElementsMatch(t, org.Removable, append(restored.Added, restored.AlreadyPresent...))
			assert.Empty(t, restored.Failed)
			assert.Equal(t, before, srv.TerritoriesOf(testorg.Rep), "the org is back as it was")
		})
	}
}

// missing returns the ids of before that after lacks.
func missing(before, after []string) []string {
	var out []string
	for _, id := range before {
		if !slices.Contains(after, id) {
			out = append(out, id)
		}
	}
	return out
}

func sortedIDs(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// TestKilledMoveIsResumedAndRestored kills move-users with SIGKILL at
// several points of a move of 60 users into a territory with room for 50
// (Zoho's limit of 100 users, 50 there already):
// before the add is sent, with the add carried out and its answer lost,
// with a removal carried out, with half a removal's answer read, before
// the last removal, and with the resume killed too. After every kill every
// user is in the territory they left or the one they joined (never in
// neither); `resume` finishes the move (50 moved, 10 kept where they were,
// exit 2), and `restore` puts every user back.
func TestKilledMoveIsResumedAndRestored(t *testing.T) {
	t.Parallel()
	const caller, org, from, to = "5725767000000400001", "5725767000000500001", "5725767000000500002", "5725767000000500003"
	seed := zohoterritorytest.Seed{CallerID: caller, DefaultTerritoryID: org,
		Users: []zohoterritorytest.User{{ID: caller, FullName: "Caller", Email: "caller@acme.com"}},
		Territories: []zohoterritorytest.Territory{
			{ID: org, Name: "Org", ManagerID: caller},
			{ID: from, Name: "From", ManagerID: caller, ReportingTo: org},
			{ID: to, Name: "To", ManagerID: caller, ReportingTo: org},
		}}
	var users []string
	for i := range 60 {
		id := fmt.Sprintf("57257670000004%05d", 10+i)
		users = append(users, id)
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: id, FullName: "Rep " + id, Email: "rep" + id + "@acme.com"})
		seed.Territories[1].Members = append(seed.Territories[1].Members, id)
	}
	var stayers []string // the 49 users in the territory joined, and its manager
	for i := range 49 {
		id := fmt.Sprintf("57257670000004%05d", 100+i)
		stayers = append(stayers, id)
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: id, FullName: "Stayer " + id, Email: "stayer" + id + "@acme.com"})
		seed.Territories[2].Members = append(seed.Territories[2].Members, id)
	}
	type kill struct {
		at   int
		mode killMode
	}
	tests := []struct {
		name  string
		kills []kill // the first kills the move, the next ones each a resume
	}{
		{"before the add is sent", []kill{{1, killBeforeSent}}},
		{"with the add carried out, its answer lost", []kill{{1, killAfterWork}}},
		{"with a removal carried out", []kill{{2, killAfterWork}}},
		{"while a removal's answer is read", []kill{{2, killMidAnswer}}},
		{"before the last removal", []kill{{3, killBeforeSent}}},
		{"and the resume killed too", []kill{{1, killAfterWork}, {2, killAfterWork}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithTerritoryUserLimit(100),
				zohoterritorytest.WithContractCheck(validator(t)))
			require.NoError(t, err)
			t.Cleanup(func() {
				srv.Close()
				assert.Empty(t, srv.Violations(), "sandbox answers match the spec")
			})
			everyoneSomewhere := func(when string) {
				for _, u := range users {
					if !slices.Contains(srv.Members(from), u) && !slices.Contains(srv.Members(to), u) {
						t.Errorf("%s: user %s is in neither territory", when, u)
					}
				}
			}
			state := t.TempDir()
			journalPath := filepath.Join(state, "move.jsonl")
			env := func(apiDomain string) []string {
				return []string{"PATH=" + os.Getenv("PATH"), "XDG_STATE_HOME=" + state,
					"ZOHO_API_DOMAIN=" + apiDomain, "ZOHO_ACCESS_TOKEN=" + srv.AccessToken()}
			}
			g := newGate(t, srv.URL(), tt.kills[0].at, tt.kills[0].mode)
			startKilled(t, g, env(g.srv.URL), strings.Join(users, "\n"),
				"move-users", "--from", from, "--to", to, "--concurrency", "1", "--journal", journalPath, "-o", "json")
			require.NoError(t, srv.WaitIdle(t.Context()))
			everyoneSomewhere("after the kill")
			for _, k := range tt.kills[1:] {
				g := newGate(t, srv.URL(), k.at, k.mode)
				startKilled(t, g, env(g.srv.URL), "", "resume", journalPath, "--concurrency", "1")
				require.NoError(t, srv.WaitIdle(t.Context()))
				everyoneSomewhere("after the resume's kill")
			}

			stdout, stderr, code := runBinary(t, env(srv.URL()), "resume", journalPath, "-o", "json")
			assert.Equal(t, 2, code, "ten users are kept: %s", stderr)
			var res jsonSet
			require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
			assert.Equal(t, 50, res.Counts.Removed, stdout)
			assert.Equal(t, 10, res.Counts.Kept)
			assert.Zero(t, res.Counts.Unknown)
			assert.Zero(t, res.Counts.NotSent)
			everyoneSomewhere("after the resume")
			moved := missing(users, srv.Members(from))
			assert.Len(t, moved, 50)
			for _, u := range moved {
				assert.Contains(t, srv.Members(to), u)
			}
			for _, m := range res.Memberships {
				if m.Outcome == "failed" && m.Op == "remove" {
					assert.Equal(t, "kept", m.Reason)
					assert.Contains(t, m.Message, "limit_exceeded")
				}
			}

			_, stderr, code = runBinary(t, env(srv.URL()), "restore", journalPath, "-o", "json")
			require.Equal(t, 0, code, "restore: %s", stderr)
			assert.ElementsMatch(t, append([]string{caller}, users...), srv.Members(from), "everyone back where they were")
			assert.ElementsMatch(t, append([]string{caller}, stayers...), srv.Members(to))
		})
	}
}

// TestKilledApplyIsResumedAndRestored kills apply with SIGKILL at several
// points of a reorganisation (a 2,000-row file over 40 territories: 43
// reads, then 40 add calls, then 40 removal calls, one at a time): before
// the first add, with an add carried out and its answer lost, with a
// removal carried out, with half a removal's answer read, before the last
// removal, and with the resume killed too. `resume` finishes each (the org
// holds the file), and `restore` returns the org to its state before the
// apply.
func TestKilledApplyIsResumedAndRestored(t *testing.T) {
	t.Parallel()
	type kill struct {
		at   int
		mode killMode
	}
	tests := []struct {
		name  string
		kills []kill
	}{
		{"before the first add", []kill{{44, killBeforeSent}}},
		{"with an add carried out, its answer lost", []kill{{50, killAfterWork}}},
		{"with a removal carried out", []kill{{84, killAfterWork}}},
		{"while a removal's answer is read", []kill{{90, killMidAnswer}}},
		{"before the last removal", []kill{{123, killBeforeSent}}},
		{"and the resume killed too", []kill{{60, killAfterWork}, {30, killAfterWork}}},
	}
	seed, file, want := reorgOrg(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithContractCheck(validator(t)))
			require.NoError(t, err)
			t.Cleanup(func() {
				srv.Close()
				assert.Empty(t, srv.Violations(), "sandbox answers match the spec")
			})
			before := map[string][]string{}
			for id := range want {
				before[id] = srv.Members(id)
			}
			state := t.TempDir()
			journalPath := filepath.Join(state, "apply.jsonl")
			env := func(apiDomain string) []string {
				return []string{"PATH=" + os.Getenv("PATH"), "XDG_STATE_HOME=" + state,
					"ZOHO_API_DOMAIN=" + apiDomain, "ZOHO_ACCESS_TOKEN=" + srv.AccessToken()}
			}
			g := newGate(t, srv.URL(), tt.kills[0].at, tt.kills[0].mode)
			startKilled(t, g, env(g.srv.URL), "", "apply", file, "--yes", "--concurrency", "1", "--journal", journalPath, "-o", "json")
			require.NoError(t, srv.WaitIdle(t.Context()))
			for _, k := range tt.kills[1:] {
				g := newGate(t, srv.URL(), k.at, k.mode)
				startKilled(t, g, env(g.srv.URL), "", "resume", journalPath, "--concurrency", "1")
				require.NoError(t, srv.WaitIdle(t.Context()))
			}

			stdout, stderr, code := runBinary(t, env(srv.URL()), "resume", journalPath, "-o", "json")
			require.Equal(t, 0, code, "resume: %s", stderr)
			var res jsonSet
			require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
			assert.Equal(t, 800, res.Counts.Added+res.Counts.AlreadyPresent)
			assert.Equal(t, 400, res.Counts.Removed+res.Counts.Absent)
			for id, users := range want {
				assert.ElementsMatch(t, users, srv.Members(id), "territory %s holds the file", id)
			}

			_, stderr, code = runBinary(t, env(srv.URL()), "restore", journalPath, "-o", "json")
			require.Equal(t, 0, code, "restore: %s", stderr)
			for id, members := range before {
				assert.ElementsMatch(t, members, srv.Members(id), "territory %s is back as it was", id)
			}
		})
	}
}
