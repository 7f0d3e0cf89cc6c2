#!/usr/bin/env bash
# run.sh runs every benchmark of BENCHMARKS.md, keeps the raw output in
# bench/results/, and prints benchstat's side-by-side tables.
#
# Usage: bench/run.sh [COUNT]   (default 6 runs of each benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-6}"
out=bench/results
mkdir -p "$out"
benchstat=(go run golang.org/x/perf/cmd/benchstat)

{
	echo "# $(go version); $(nproc) cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
} >"$out/machine.txt"

echo "== per-call overhead: client vs hand-written net/http (100 ids)"
go test -run '^$' -bench '^BenchmarkOverhead$' -benchmem -count "$count" ./pkg/zohoterritory/ | tee "$out/overhead.txt" >/dev/null
"${benchstat[@]}" -col /impl "$out/overhead.txt"

echo "== bulk throughput against the sandbox with 20 ms latency"
go test -run '^$' -bench '^BenchmarkBulkThroughput$' -benchtime 3x -count "$count" -timeout 30m ./pkg/zohoterritory/ | tee "$out/throughput.txt" >/dev/null
"${benchstat[@]}" "$out/throughput.txt"

echo "== under Zoho's concurrency limit: 100,000 ids, 20 ms, sandbox limit 5/10/20; default vs fixed 4 vs fixed 25"
go test -run '^$' -bench '^BenchmarkUnderZohosLimit$' -benchtime 1x -count "$count" -timeout 60m ./pkg/zohoterritory/ | tee "$out/limit.txt" >/dev/null
"${benchstat[@]}" -col /client "$out/limit.txt"

echo "== the client's own cost: 10,000 ids at fixed concurrency 10, pre-encoded answers vs the sandbox"
go test -run '^$' -bench '^BenchmarkClientCost$' -benchtime 3x -count "$count" ./pkg/zohoterritory/ | tee "$out/clientcost.txt" >/dev/null
"${benchstat[@]}" -col /server "$out/clientcost.txt"

echo "== Zoho's Node SDK vs zohoterritory: 10,000 ids, sandbox latency 20 ms, limit 10"
if [ ! -d interop/node_modules/@zohocrm/nodejs-sdk-8.0 ]; then
	npm ci --prefix interop --no-audit --no-fund >/dev/null
fi
bash interop/bench.sh | tee "$out/node-sdk.txt"

echo "== the sandbox under load: 200 clients, 50,000 mixed requests"
go test -run '^$' -bench '^BenchmarkLoad$' -benchtime 1x -count "$count" ./pkg/zohoterritory/zohoterritorytest/ | tee "$out/load.txt" >/dev/null
"${benchstat[@]}" "$out/load.txt"

echo "== contract validation: responses per second per core, spec load"
go test -run '^$' -bench '^(BenchmarkValidateResponse|BenchmarkSpecLoad)$' -benchmem -count "$count" ./internal/contract/ | tee "$out/validation.txt" >/dev/null
"${benchstat[@]}" -col /validator "$out/validation.txt"

echo "== CLI start-up to first request"
go test -run '^$' -bench '^BenchmarkStartupToFirstRequest$' -benchtime 30x -count "$count" ./cmd/zohoterritory/ | tee "$out/startup.txt" >/dev/null
"${benchstat[@]}" "$out/startup.txt"

echo "== resolving references: 10,000 users and 2,000 territories, read and indexed"
go test -run '^$' -bench '^BenchmarkResolveDirectory$' -benchtime 3x -benchmem -count "$count" ./pkg/zohoterritory/ | tee "$out/directory.txt" >/dev/null
"${benchstat[@]}" "$out/directory.txt"

echo "== planning 2,000 territories of 50 users: sandbox latency 40 ms, limit 20"
go test -run '^$' -bench '^BenchmarkPlanAtScale$' -benchtime 1x -count "$count" -timeout 30m ./pkg/zohoterritory/ | tee "$out/plan.txt" >/dev/null
"${benchstat[@]}" "$out/plan.txt"

echo "== export and plan of a tree of 2,000 territories of 50 users, side by side with the reads alone (ReadOrg): sandbox latency 40 ms, limit 20"
: >"$out/tree.txt"
for _ in $(seq "$count"); do # a round of the three at a time (-count runs each one's rounds in a row), so that they share the machine's load
	go test -run '^$' -bench '^BenchmarkTreeAtScale$' -benchtime 1x -count 1 -timeout 30m ./pkg/zohoterritory/tree/ >>"$out/tree.txt"
done
"${benchstat[@]}" -col /op "$out/tree.txt"

echo "== writing that tree's file (2,000 territories of 51 users): a territory at a time, as File.WriteTo does, vs the whole document at once, as it did (the tests' oracle)"
go test -run '^$' -bench '^BenchmarkWriteTo$' -benchtime 10x -benchmem -count "$count" ./pkg/zohoterritory/tree/ | tee "$out/writeto.txt" >/dev/null
"${benchstat[@]}" -col /encoding "$out/writeto.txt"
