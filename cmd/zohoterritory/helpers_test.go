package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/seed-ab9c0d28/zohoterritory/internal/cmdutil"
	"github.com/seed-ab9c0d28/zohoterritory/internal/contractcheck"
	"github.com/seed-ab9c0d28/zohoterritory/internal/testkit"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

var update = flag.Bool("update", false, "rewrite the golden transcripts in testdata/")

// Ids of zohoterritorytest.DefaultSeed.
const (
	acme, northAmerica, europe, westCoast = "5725767000000452001", "5725767000000452002", "5725767000000452003", "5725767000000452004"
	keyAccountsNA, keyAccountsEU          = "5725767000000452005", "5725767000000452006" // Key Accounts, Key Accounts Europe
	ava, ben, chloe, dev, eve             = "5725767000000411001", "5725767000000411002", "5725767000000411003", "5725767000000411004", "5725767000000411005"
	finn                                  = "5725767000000411006" // inactive
)

// twinSeed is DefaultSeed with a name twice: Key Accounts Europe named
// Key Accounts, as North America's is. Zoho refuses a second territory of
// a name, but should an org hold one, a name alone must not pick either.
func twinSeed() zohoterritorytest.Seed {
	seed := zohoterritorytest.DefaultSeed()
	for i, tr := range seed.Territories {
		if tr.ID == keyAccountsEU {
			seed.Territories[i].Name = "Key Accounts"
		}
	}
	return seed
}

// result is what one in-process run of the command did. The line that
// names a change's journal is taken out of stderr into journal, so that
// the tests of other lines need not know where it went.
type result struct {
	stdout, stderr string
	code           int
	journal        string
}

var journalLine = regexp.MustCompile(`(?m)^zohoterritory: writing the journal to (.*)\n`)

// cli describes a run: its environment, standard input, whether the
// streams are terminals, and the first-interrupt channel.
type cli struct {
	env   map[string]string
	stdin string
	// in, if set, is standard input instead of stdin.
	in                    io.Reader
	inTTY, outTTY, errTTY bool
	// readPassword stands for what is typed on the terminal, without
	// echo, when a secret is asked for; nil for no terminal.
	readPassword func() ([]byte, error)
	// terminal, if set, is the terminal instead.
	terminal cmdutil.Terminal
	stop     <-chan struct{}
	ctx      context.Context
}

// run runs the command in-process, as main would, with only c's
// environment.
func (c cli) run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errb testkit.SyncBuffer
	var in io.Reader = strings.NewReader(c.stdin)
	if c.in != nil {
		in = c.in
	}
	io := &cmdutil.IOStreams{In: in, Out: &out, Err: &errb,
		InTTY: c.inTTY, OutTTY: c.outTTY, ErrTTY: c.errTTY, Terminal: c.terminal}
	if io.Terminal == nil && c.readPassword != nil {
		io.Terminal = &typedTerminal{read: c.readPassword}
	}
	ctx := c.ctx
	if ctx == nil {
		ctx = t.Context()
	}
	env := c.env
	if env["XDG_STATE_HOME"] == "" && env["HOME"] == "" {
		// Journals go to the test's own state directory.
		env = with(env, "XDG_STATE_HOME", t.TempDir())
	}
	code := run(ctx, args, io, func(k string) string { return env[k] }, c.stop)
	r := result{stdout: out.String(), stderr: errb.String(), code: code}
	if m := journalLine.FindStringSubmatch(r.stderr); m != nil {
		r.journal = m[1]
		r.stderr = journalLine.ReplaceAllString(r.stderr, "")
	}
	return r
}

// typedTerminal is a terminal on which read's bytes are typed: what a
// person types without echo. restored counts the times it was given back
// its state.
type typedTerminal struct {
	read     func() ([]byte, error)
	buf      []byte
	started  bool
	restored atomic.Int32
}

func (t *typedTerminal) MakeRaw() (func() error, error) {
	return func() error { t.restored.Add(1); return nil }, nil
}

func (t *typedTerminal) Read(p []byte) (int, error) {
	if !t.started {
		t.started = true
		b, err := t.read()
		if err != nil {
			return 0, err
		}
		t.buf = b
	}
	if len(t.buf) == 0 {
		return 0, io.EOF
	}
	n := copy(p, t.buf)
	t.buf = t.buf[n:]
	return n, nil
}

// runCLI runs the command with env and stdin, on streams that are not
// terminals.
func runCLI(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	return cli{env: env, stdin: stdin}.run(t, args...)
}

// validator returns the sandbox's check of api/openapi.yaml: the two
// validators when the tests are built with -tags contract (make contract, in
// CI), a check that accepts everything otherwise (internal/contractcheck).
func validator(t *testing.T) zohoterritorytest.ContractChecker {
	t.Helper()
	c, err := contractcheck.New()
	require.NoError(t, err)
	return c
}

// sandbox starts a sandbox (the default seed unless opts say otherwise)
// that checks its traffic against the spec, and returns it with the
// environment that points the command at it.
func sandbox(t *testing.T, opts ...zohoterritorytest.Option) (*zohoterritorytest.Server, map[string]string) {
	t.Helper()
	srv, err := zohoterritorytest.NewServer(append([]zohoterritorytest.Option{zohoterritorytest.WithContractCheck(validator(t))}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() {
		srv.Close()
		assert.Empty(t, srv.Violations(), "sandbox responses match the spec")
	})
	return srv, map[string]string{"ZOHO_API_DOMAIN": srv.URL(), "ZOHO_ACCESS_TOKEN": srv.AccessToken()}
}

var portRE = regexp.MustCompile(`127\.0\.0\.1:[1-9][0-9]{4}`)

// golden compares got with testdata/<name>.golden, with loopback ports
// normalised; -update rewrites the file.
func golden(t *testing.T, name, got string) {
	t.Helper()
	got = portRE.ReplaceAllString(got, "127.0.0.1:PORT")
	path := filepath.Join("testdata", name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll("testdata", 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test -update to create %s", path)
	assert.Equal(t, string(want), got, "transcript %s differs (go test -update rewrites it)", path)
}

// with returns a copy of env with the pairs set; an empty value unsets.
func with(env map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range env {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
			continue
		}
		out[kv[i]] = kv[i+1]
	}
	return out
}

// decode reads the JSON result of a removal, refusing unknown keys.
func decode(t *testing.T, s string) jsonResult {
	t.Helper()
	var r jsonResult
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&r), "stdout is one JSON object: %s", s)
	return r
}

// emptyResult is the JSON result with every list present and empty.
func emptyResult() jsonResult {
	return jsonResult{Removed: []string{}, Failed: []jsonFailed{}, Unknown: []string{}, Skipped: []jsonSkipped{},
		Inferred: []string{}, Absent: []string{}, UnknownCauses: []jsonCause{}}
}
