package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"
)

// BenchmarkStartupToFirstRequest measures the built command from process
// start to its first request's arrival at a loopback server: flag and
// environment parsing, id checks, client construction, the journal's
// creation in its default directory, and the request.
//
// It waits for events only (the request's arrival, the process's exit),
// never for a time: a command that exits without sending a request fails
// the benchmark at once with its stderr.
func BenchmarkStartupToFirstRequest(b *testing.B) {
	arrived := make(chan time.Time, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- time.Now():
		default:
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"users":[{"code":"SUCCESS","details":{"id":"2"},"message":"ok","status":"success"}]}`))
	}))
	b.Cleanup(srv.Close)
	bin := build(b)
	// The command refuses to start a change without a journal directory
	// (XDG_STATE_HOME, or HOME): give it one of the benchmark's own.
	env := []string{"PATH=" + os.Getenv("PATH"), "XDG_STATE_HOME=" + b.TempDir(),
		"ZOHO_API_DOMAIN=" + srv.URL, "ZOHO_ACCESS_TOKEN=bench"}
	var total time.Duration
	for b.Loop() {
		cmd := exec.Command(bin, "remove-users", "--territory", "1", "2")
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		var err error
		select {
		case at := <-arrived:
			total += at.Sub(start)
			err = <-exited
		case err = <-exited:
			// The request, if any, arrived before the exit.
			select {
			case at := <-arrived:
				total += at.Sub(start)
			default:
				b.Fatalf("the command exited (%v) before sending a request:\n%s", err, stderr.Bytes())
			}
		}
		if err != nil {
			b.Fatalf("the command failed: %v\n%s", err, stderr.Bytes())
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-first-request")
}
