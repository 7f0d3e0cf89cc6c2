package main

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/journal"
)

// clientFlags are the flags of every command that sends many calls:
// where to connect, and how many calls at once.
type clientFlags struct {
	concurrency, concCap int
	conn                 connFlags
}

func (f *clientFlags) register(a *app, fl *pflag.FlagSet) {
	fl.IntVar(&f.concurrency, "concurrency", 0, "calls in flight at once, fixed (0: find Zoho's limit, starting at 4, growing while calls pass, coming down on a 429)")
	fl.IntVar(&f.concCap, "concurrency-cap", zohoterritory.DefaultConcurrencyCap, "without --concurrency: the most calls in flight at once (Zoho's limits: Free 5, Standard 10, Professional 15, Enterprise 20, Ultimate 25)")
	f.conn.register(fl, a.getenv)
}

// changeFlags are the flags every command that changes memberships has:
// how many calls at once, how the result reads, where to connect.
type changeFlags struct {
	clientFlags
	allRows bool
	noNames bool
	output  outputFlag
}

func (f *changeFlags) register(a *app, fl *pflag.FlagSet) {
	f.clientFlags.register(a, fl)
	fl.BoolVar(&f.allRows, "all-rows", false, "with --output table: a row for every id, however many")
	fl.BoolVar(&f.noNames, "no-names", false, "show ids alone: read no names for the table (a JSON output reads none anyway)")
	f.output.csv = true
	f.output.register(fl, a.io.OutTTY)
}

// check checks the flags once parsed; the library checks the rest when
// the client is built.
func (f *changeFlags) check() error { return f.output.check() }

// showNames reports whether the output shows names it may have to read: a
// table or CSV, unless --no-names.
func (f *changeFlags) showNames() bool {
	return (f.output.format == "table" || f.output.format == "csv") && !f.noNames
}

// aim points the connection at the journal's API domain and version,
// unless a flag or variable names them.
func (f *changeFlags) aim(run *journal.Run) {
	cf := &f.conn
	if !cf.given("api-domain") && run.APIDomain != "" {
		cf.apiDomain = run.APIDomain
	}
	if !cf.given("api-version") && run.APIVersion != "" {
		cf.apiVersion = run.APIVersion
	}
}

// client builds the client of a change: the logger, the concurrency (fixed,
// or adaptive under its cap) and, on a terminal when it sends, the
// progress line. Without credentials it is built only when allowed.
func (f *clientFlags) client(a *app, allowNoCredentials, progress bool) (*zohoterritory.Client, error) {
	opts := []zohoterritory.Option{zohoterritory.WithLogger(a.logger())}
	if f.concurrency != 0 {
		opts = append(opts, zohoterritory.WithConcurrency(f.concurrency))
	}
	if f.concurrency == 0 || f.conn.fs.Changed("concurrency-cap") {
		opts = append(opts, zohoterritory.WithConcurrencyCap(f.concCap))
	}
	if a.io.ErrTTY && progress {
		opts = append(opts, zohoterritory.WithProgress(progressLine(a)))
	}
	return f.conn.client(allowNoCredentials, opts...)
}

// concurrencyText says what the concurrency limit came to, for -v.
func concurrencyText(s zohoterritory.ConcurrencyStats) string {
	switch {
	case !s.Adaptive:
		return fmt.Sprintf("fixed concurrency %d, at most %d in flight, %d answered 429", s.Limit, s.Peak, s.TooManyRequests)
	case s.Learned:
		return fmt.Sprintf("adaptive concurrency: limit %d learned from 429s (cap %d), at most %d in flight, %d answered 429", s.Limit, s.Cap, s.Peak, s.TooManyRequests)
	}
	return fmt.Sprintf("adaptive concurrency: limit %d (cap %d), no 429, at most %d in flight", s.Limit, s.Cap, s.Peak)
}

// progressLine reports, on a terminal's stderr, how many ids have an
// outcome Zoho told, for changes of more than one call.
func progressLine(a *app) func(zohoterritory.Progress) {
	return func(p zohoterritory.Progress) {
		if p.Total <= zohoterritory.MaxBatchSize {
			return
		}
		fmt.Fprintf(a.io.Err, "\r%d of %d ids done", p.Done, p.Total)
		if p.Unknown > 0 {
			fmt.Fprintf(a.io.Err, ", %d unknown", p.Unknown)
		}
		if p.Done+p.Unknown+p.NotSent == p.Total {
			fmt.Fprintln(a.io.Err)
		}
	}
}
