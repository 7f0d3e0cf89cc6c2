#!/usr/bin/env bash
# bench.sh puts Zoho's official Node.js SDK beside this project's CLI on one
# job: removing a user from the same 10,000 territories, against
# `zohoterritory-contract sandbox serve --latency 20ms --concurrency-limit 10`
# (a Standard org: 20 ms a call, at most 10 calls at once).
#
#   node-sdk       interop/node-sdk/bench.mjs: removeTerritoriesFromUser with
#                  100 ids, one call after another, as Zoho's documentation
#                  shows it;
#   zohoterritory  `zohoterritory remove-territories` with its defaults
#                  (adaptive concurrency), the ids on standard input; the
#                  time includes the process's start.
#
# Each client gets a sandbox of its own, started afresh with the same org,
# so the calls and 429s the sandbox counts (its exit line) are that
# client's. Prints one line per client: wall time, calls, 429s, and the
# floor (calls ÷ limit × 20 ms). Needs interop/node_modules (npm ci
# --prefix interop). Usage: interop/bench.sh [IDS]   (default 10000)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=interop/sandbox.sh
. interop/sandbox.sh
n="${1:-10000}"
latency_ms=20
limit=10

if [ ! -d interop/node_modules/@zohocrm/nodejs-sdk-8.0 ]; then
	echo "bench: interop/node_modules is missing; run npm ci --prefix interop" >&2
	exit 1
fi
interop_begin

go build -o "$tmp/zohoterritory-contract" ./cmd/zohoterritory-contract
go build -o "$tmp/zohoterritory" ./cmd/zohoterritory

# The org: user 200 belongs to the default territory 300 and to n more.
node -e '
const n = Number(process.argv[1]);
const ids = Array.from({length: n}, (_, i) => String(5000000 + i));
const seed = {
  caller_id: "100", default_territory_id: "300",
  users: [{id: "100", full_name: "Caller"}, {id: "200", full_name: "Rep"}],
  territories: [{id: "300", name: "Org", manager_id: "100", members: ["100", "200"]},
    ...ids.map((id) => ({id, name: "T" + id, manager_id: "100", reporting_to: "300", members: ["200"]}))],
};
require("fs").writeFileSync(process.argv[2], JSON.stringify(seed));
require("fs").writeFileSync(process.argv[3], ids.join("\n") + "\n");
' "$n" "$tmp/seed.json" "$tmp/ids.txt"

# start_sandbox starts a fresh sandbox and loads its environment.
start_sandbox() {
	sandbox_start "$tmp/zohoterritory-contract" "$tmp" --seed "$tmp/seed.json" \
		--latency "${latency_ms}ms" --concurrency-limit "$limit" || exit 1
}

# stop_sandbox stops it and prints its exit line's counts: "calls refused".
stop_sandbox() {
	kill -INT "$sandbox_pid"
	wait "$sandbox_pid" || true
	sandbox_pid=""
	sed -n 's/.*: \([0-9]*\) API calls, \([0-9]*\) answered 429.*/\1 \2/p' "$tmp/sandbox.log" | tail -n 1
}

report() { # client ms calls refused
	awk -v c="$1" -v ms="$2" -v calls="$3" -v r="$4" -v lim="$limit" -v lat="$latency_ms" -v n="$n" 'BEGIN {
		floor = int((n / 100 + lim - 1) / lim) * lat
		printf "%-14s %6d ms  %4d calls  %3d answered 429  (%.2fx the %d ms floor of %d calls at %d in flight)\n", c, ms, calls, r, ms / floor, floor, n / 100, lim }'
}

echo "bench: $n ids, sandbox latency ${latency_ms} ms, concurrency limit $limit; node $(node --version), SDK $(node -p 'require("./interop/node_modules/@zohocrm/nodejs-sdk-8.0/package.json").version'), $(go version | cut -d' ' -f3)"

start_sandbox
mkdir -p "$tmp/sdk"
out="$(cd "$tmp/sdk" && NODE_SDK_WORKDIR="$tmp/sdk" node "$root/interop/node-sdk/bench.mjs" 200 "$tmp/ids.txt")"
ms="$(node -p 'JSON.parse(process.argv[1]).ms' "$out")"
read -r calls refused < <(stop_sandbox)
report node-sdk "$ms" "$calls" "$refused"

start_sandbox
start=$(date +%s%N)
"$tmp/zohoterritory" remove-territories --user 200 -o json <"$tmp/ids.txt" >"$tmp/go.json"
ms=$((($(date +%s%N) - start) / 1000000))
removed="$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).removed.length' "$tmp/go.json")"
read -r calls refused < <(stop_sandbox)
[ "$removed" -eq "$n" ] || { echo "bench: zohoterritory removed $removed of $n" >&2; head -c 2000 "$tmp/go.json" >&2; exit 1; }
report zohoterritory "$ms" "$calls" "$refused"
