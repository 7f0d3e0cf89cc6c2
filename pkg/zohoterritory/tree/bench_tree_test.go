package tree_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/tree"
	"github.com/seed-ab9c0d28/zohoterritory/pkg/zohoterritory/zohoterritorytest"
)

// readLatency is what the sandbox adds to every request of
// BenchmarkTreeAtScale, as BenchmarkPlanAtScale's (package zohoterritory)
// does: a Zoho call's time, about.
const readLatency = 40 * time.Millisecond

// BenchmarkTreeAtScale measures what `export` and a tree `plan` do, end to
// end, in an org of 2,000 territories of 50 users each (and 5,000 users),
// with the default (adaptive) client against a sandbox that adds 40 ms to
// every request and answers 429 beyond 20 requests at once, as an
// Enterprise org does (BenchmarkPlanAtScale's settings). Its sub-benchmarks
// run side by side:
//
//   - op=read: [tree.ReadOrg] alone;
//   - op=export: ReadOrg, then [tree.Export] and the file written, as
//     `export --out` does;
//   - op=plan: ReadOrg, then the tree file read ([tree.ReadInput], as
//     `plan` reads it: the export with five of each territory's users
//     replaced by five others), [tree.Diff] and [tree.Order]: 10,000
//     memberships to add and 10,000 to remove.
//
// The reads are the users' 26 pages, the territories' 11, the counts' 2
// (2,000 a page) and the 2,001 members' listings (the root's included);
// the floor is reads ÷ 20 × 40 ms. x_floor is the whole operation's wall
// time over it, 429-% the share of calls answered 429, calls the calls
// made (429s included); pure-ms is the wall time of what follows the
// reads (none for op=read), and pure-cpu-ms the process's CPU time over it
// (where the platform tells it: the sandbox is idle then, so it is that
// part's CPU, the garbage collector's included). Each territory's manager
// is a member: 51 a territory. With -short (make bench-once, which runs
// every benchmark once to prove it still works) the org is a tenth as
// large: 200 territories; make bench measures it whole.
func BenchmarkTreeAtScale(b *testing.B) {
	const perTerritory, changed, users, limit = 50, 5, 5000, 20
	territories := 2000
	if testing.Short() {
		territories = 200
	}
	email := func(i int) string { return fmt.Sprintf("u%d@acme.com", i) }
	seed := zohoterritorytest.Seed{CallerID: "1", DefaultTerritoryID: "100000"}
	seed.Users = append(seed.Users, zohoterritorytest.User{ID: "1", FullName: "Caller", Email: "caller@acme.com"})
	for i := range users {
		seed.Users = append(seed.Users, zohoterritorytest.User{ID: fmt.Sprint(10000 + i), FullName: fmt.Sprint("U", i), Email: email(i)})
	}
	seed.Territories = append(seed.Territories, zohoterritorytest.Territory{ID: "100000", Name: "Org", ManagerID: "1"})
	for t := range territories {
		tr := zohoterritorytest.Territory{ID: fmt.Sprint(100001 + t), Name: fmt.Sprint("T", t), ManagerID: "1", ReportingTo: "100000"}
		for k := range perTerritory {
			tr.Members = append(tr.Members, fmt.Sprint(10000+(t*7+k)%users))
		}
		seed.Territories = append(seed.Territories, tr)
	}
	pages := func(n, size int) int { return (n + size - 1) / size }
	reads := (territories + 1) + pages(territories+1, zohoterritory.PageSize) + pages(users+1, zohoterritory.PageSize) +
		pages(territories+1, zohoterritory.UsersCountsPageSize)
	floor := time.Duration(pages(reads, limit)) * readLatency
	planFile := editedExport(b, seed, func(t int, n *tree.Node) {
		drop := map[string]bool{}
		for k := range changed {
			drop[email((t*7+k)%users)] = true
		}
		kept := n.Users[:0]
		for _, u := range n.Users {
			if !drop[u] {
				kept = append(kept, u)
			}
		}
		n.Users = kept
		for k := perTerritory; k < perTerritory+changed; k++ {
			n.Users = append(n.Users, email((t*7+k)%users))
		}
	})

	// pure is what an operation does once the org is read, checked.
	exportFile := filepath.Join(b.TempDir(), "export.yaml")
	ops := []struct {
		name string
		pure func(b *testing.B, org *tree.Org)
	}{
		{"read", nil},
		{"export", func(b *testing.B, org *tree.Org) {
			file, err := tree.Export(org, tree.Meta{APIDomain: org.APIDomain, APIVersion: org.APIVersion, Exported: time.Now()})
			if err != nil {
				b.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := file.WriteTo(&buf); err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(exportFile, buf.Bytes(), 0o600); err != nil {
				b.Fatal(err)
			}
		}},
		{"plan", func(b *testing.B, org *tree.Org) {
			fh, err := os.Open(planFile)
			if err != nil {
				b.Fatal(err)
			}
			in, err := tree.ReadInput(fh, planFile)
			_ = fh.Close()
			if err != nil {
				b.Fatal(err)
			}
			if in.Kind != tree.InputTree {
				b.Fatalf("%s read as a %s", planFile, in.Kind)
			}
			intents, err := tree.Diff(in.File, org, tree.Options{})
			if err != nil {
				b.Fatal(err)
			}
			plan, err := tree.Order(intents, org, tree.OrderOptions{Created: time.Now().UTC(), Source: planFile})
			if err != nil {
				b.Fatal(err)
			}
			if got, want := plan.Totals(), (tree.Totals{Add: territories * changed, Remove: territories * changed}); got != want {
				b.Fatalf("planned %v, want %v", got, want)
			}
		}},
	}
	for _, op := range ops {
		b.Run("op="+op.name, func(b *testing.B) {
			var total, pure, pureCPU time.Duration
			var sent, refused int
			cpuKnown := true
			for b.Loop() {
				b.StopTimer()
				srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed), zohoterritorytest.WithConcurrencyLimit(limit),
					zohoterritorytest.WithFaults(zohoterritorytest.Fault{Kind: zohoterritorytest.FaultLatency, Delay: readLatency}))
				if err != nil {
					b.Fatal(err)
				}
				c, err := srv.Client()
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				org, err := tree.ReadOrg(b.Context(), c)
				if err != nil {
					b.Fatal(err)
				}
				if op.pure != nil {
					cpu0, ok0 := processCPU()
					pureStart := time.Now()
					op.pure(b, org)
					pure += time.Since(pureStart)
					cpu1, ok1 := processCPU()
					pureCPU += cpu1 - cpu0
					cpuKnown = cpuKnown && ok0 && ok1
				}
				total += time.Since(start)
				b.StopTimer()
				checkOrg(b, org, territories+1, users+1, perTerritory+1)
				st := srv.Stats()
				sent, refused = sent+st.Calls, refused+st.Refused
				srv.Close()
				b.StartTimer()
			}
			b.ReportMetric(float64(floor.Milliseconds()), "floor-ms")
			b.ReportMetric(float64(total)/float64(b.N)/float64(floor), "x_floor")
			b.ReportMetric(100*float64(refused)/float64(sent), "429-%")
			b.ReportMetric(float64(sent)/float64(b.N), "calls")
			if op.pure != nil {
				b.ReportMetric(float64(pure.Microseconds())/1000/float64(b.N), "pure-ms")
				if cpuKnown {
					b.ReportMetric(float64(pureCPU.Microseconds())/1000/float64(b.N), "pure-cpu-ms")
				}
			}
		})
	}
}

// checkOrg fails b unless org holds what the benchmark's seed made: its
// territories and users, and each territory but the root with its members.
func checkOrg(b *testing.B, org *tree.Org, territories, users, members int) {
	b.Helper()
	if len(org.Territories) != territories || len(org.Users) != users {
		b.Fatalf("read %d territories and %d users", len(org.Territories), len(org.Users))
	}
	for _, tr := range org.Territories[1:] {
		if n := len(org.Members[tr.ID]); n != members {
			b.Fatalf("territory %s: %d members read", tr.ID, n)
		}
	}
}

// editedExport exports the org of seed (read from a sandbox without added
// latency), gives edit each territory under the root with its index, and
// writes the file to a temporary directory; it returns the file's path.
func editedExport(b *testing.B, seed zohoterritorytest.Seed, edit func(t int, n *tree.Node)) string {
	b.Helper()
	srv, err := zohoterritorytest.NewServer(zohoterritorytest.WithSeed(seed))
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	c, err := srv.Client()
	if err != nil {
		b.Fatal(err)
	}
	org, err := tree.ReadOrg(b.Context(), c)
	if err != nil {
		b.Fatal(err)
	}
	file, err := tree.Export(org, tree.Meta{APIDomain: org.APIDomain, APIVersion: org.APIVersion, Exported: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range file.Root.Children {
		var t int
		if _, err := fmt.Sscanf(n.Name, "T%d", &t); err != nil {
			b.Fatalf("territory %q: %v", n.Name, err)
		}
		edit(t, n)
	}
	var buf bytes.Buffer
	if _, err := file.WriteTo(&buf); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "tree.yaml")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}
