package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"
)

// BenchmarkStartupToFirstRequest measures the built command from process
// start to its first request's arrival at a loopback server: flag and
// environment parsing, id checks, client construction and the request.
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
	env := []string{"PATH=" + os.Getenv("PATH"), "ZOHO_API_DOMAIN=" + srv.URL, "ZOHO_ACCESS_TOKEN=bench"}
	var total time.Duration
	for b.Loop() {
		cmd := exec.Command(build(b), "remove-users", "--territory", "1", "2")
		cmd.Env = env
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		select {
		case at := <-arrived:
			total += at.Sub(start)
		case <-time.After(10 * time.Second):
			b.Fatal("no request arrived")
		}
		if err := cmd.Wait(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms-to-first-request")
}
