#!/usr/bin/env bash
# prism.sh checks api/openapi.yaml, the Go client, the CLI and the sandbox
# with Stoplight Prism (@stoplight/prism-cli, pinned in interop/package.json):
#
#   mock   `prism mock` serves the spec's examples; TestMockExamples
#          (interop/prism) asks for every named example of every documented
#          status of every operation and checks what the Go client makes of it.
#   proxy  `prism proxy --errors` stands between the clients and the sandbox
#          (`zohoterritory-contract sandbox serve --seed
#          interop/seed.yaml`) and checks every request and response against
#          the spec: TestProxy drives the Go client through it (and
#          TestProxyTerritories its territory changes), then the CLI's
#          remove-users and remove-territories run through it (single and bulk,
#          partial failures included, users by e-mail and territories by name
#          and path), and its territories and users commands.
#
# Fails when a test or a CLI run fails, when Prism logs a violation or answers
# in the server's place (problem+json), or when the sandbox reports a contract
# violation at SIGINT.
#
# Prism gets a copy of the spec without the oauth2 half of each security
# requirement (interop/prism/prismspec explains why); nothing else differs.
# Needs interop/node_modules (interop/lint.sh installs it).
#
# Usage: interop/prism.sh
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
# shellcheck source=interop/sandbox.sh
. interop/sandbox.sh

prism="$root/interop/node_modules/.bin/prism"
if [ ! -x "$prism" ]; then
	echo "prism: interop/node_modules is missing; run npm ci --prefix interop (or interop/lint.sh)" >&2
	exit 1
fi

interop_begin

free_port() {
	node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

if ! go build -o "$tmp/zohoterritory" ./cmd/zohoterritory || ! go build -o "$tmp/zohoterritory-contract" ./cmd/zohoterritory-contract; then
	echo "FAIL  go build ./cmd/zohoterritory ./cmd/zohoterritory-contract"
	exit 1
fi
if ! spec_note="$(go run ./interop/prism/prismspec api/openapi.yaml "$tmp/openapi.prism.yaml")"; then
	echo "FAIL  go run ./interop/prism/prismspec"
	exit 1
fi

"$tmp/zohoterritory-contract" sandbox serve --addr 127.0.0.1:0 --seed interop/seed.yaml \
	>"$tmp/sandbox.env" 2>"$tmp/sandbox.log" &
sandbox_pid=$!
pids+=("$sandbox_pid")
if ! wait_for "$tmp/sandbox.env" '^export ZOHO_ACCESS_TOKEN=' "$sandbox_pid" 30; then
	cat "$tmp/sandbox.log"
	echo "FAIL  the sandbox did not start"
	exit 1
fi
sandbox_url="$(sed -n "s/^export ZOHO_API_DOMAIN='\(.*\)'$/\1/p" "$tmp/sandbox.env")"
token="$(sed -n "s/^export ZOHO_ACCESS_TOKEN='\(.*\)'$/\1/p" "$tmp/sandbox.env")"

mock_port="$(free_port)"
"$prism" mock --host 127.0.0.1 --port "$mock_port" "$tmp/openapi.prism.yaml" >"$tmp/mock.log" 2>&1 &
pids+=("$!")
mock_pid=$!
proxy_port="$(free_port)"
"$prism" proxy --errors --host 127.0.0.1 --port "$proxy_port" "$tmp/openapi.prism.yaml" "$sandbox_url" >"$tmp/proxy.log" 2>&1 &
pids+=("$!")
proxy_pid=$!
for p in mock proxy; do
	pid_var="${p}_pid"
	if ! wait_for "$tmp/$p.log" 'Prism is listening on' "${!pid_var}" 30; then
		cat "$tmp/$p.log"
		echo "FAIL  prism $p did not start"
		exit 1
	fi
done
mock_url="http://127.0.0.1:$mock_port"
proxy_url="http://127.0.0.1:$proxy_port"
echo "prism: $("$prism" --version) mock at $mock_url, proxy at $proxy_url -> sandbox at $sandbox_url"
echo "prism: spec copy for Prism: $spec_note"

# The Go client: every example from the mock, and its calls through the proxy.
if ZOHO_PRISM_MOCK_URL="$mock_url" ZOHO_PRISM_PROXY_URL="$proxy_url" ZOHO_ACCESS_TOKEN="$token" \
	go test -count=1 -v ./interop/prism >"$tmp/gotest.out" 2>&1; then
	grep -E '^(ok|--- )' "$tmp/gotest.out" | sed 's/^/      /'
	echo "ok    go test ./interop/prism (TestMockExamples, TestProxy, TestProxyTerritories)"
else
	cat "$tmp/gotest.out"
	fail "go test ./interop/prism"
fi

# The CLI through the proxy, on slice 2 of interop/seed.yaml: X and Y leave
# P (its manager M stays), X leaves Q, Z loses R, S and T (the default
# territory stays).
summary() {
	node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  try {
    const o = JSON.parse(s);
    console.log(`removed=${o.removed.join(",")} failed=${o.failed.map((f) => f.id + ":" + f.reason).join(",")} unknown=${o.unknown.join(",")}`);
  } catch (e) { console.log("not JSON: " + s.slice(0, 300)); }
});'
}
cli() { # WANT_EXIT WANT_SUMMARY ARGS...
	local want_exit="$1" want="$2" got rc
	shift 2
	ZOHO_API_DOMAIN="$proxy_url" ZOHO_ACCESS_TOKEN="$token" "$tmp/zohoterritory" "$@" --output json >"$tmp/cli.out" 2>"$tmp/cli.err"
	rc=$?
	got="$(summary <"$tmp/cli.out")"
	if [ "$rc" -eq "$want_exit" ] && [ "$got" = "$want" ]; then
		echo "ok    zohoterritory $* -> exit $rc, $got"
	else
		cat "$tmp/cli.err"
		fail "zohoterritory $*: exit $rc, $got; want exit $want_exit, $want"
	fi
}
M=4876543000000200001 X=4876543000000200002 Y=4876543000000200003 Z=4876543000000200004
P=4876543000000520001 Q=4876543000000520002 R=4876543000000520003 S=4876543000000520004 T=4876543000000520005
ORG=4876543000000500001
# By name, e-mail and path too: the directory's reads (listUsers,
# listTerritories) go through the proxy as well.
cli 2 "removed=$X,$Y failed=$M:manager unknown=" remove-users --territory P2 X2@interop.example "$Y" m2@interop.example
cli 0 "removed=$X failed= unknown=" remove-users --territory "Organization/Q2" "$X"
cli 2 "removed= failed=$X:not_member unknown=" remove-users --territory "$Q" "$X"
cli 2 "removed=$R,$S failed=$ORG:default_territory unknown=" remove-territories --api-version v8 --user "$Z" "$R" "$S" "$ORG"
cli 0 "removed=$T failed= unknown=" remove-territories --user "$Z" "$T"
cli 2 "removed= failed=$R:not_member,$T:not_member unknown=" remove-territories --api-version v2.1 --user "$Z" "$R" "$T"

# The directory's own commands through the proxy: the tree and the users.
read_cli() { # WHAT ARGS...
	local what="$1"
	shift
	if ZOHO_API_DOMAIN="$proxy_url" ZOHO_ACCESS_TOKEN="$token" "$tmp/zohoterritory" "$@" >"$tmp/cli.out" 2>"$tmp/cli.err" &&
		grep -q "$what" "$tmp/cli.out"; then
		echo "ok    zohoterritory $* -> exit 0, names $what"
	else
		cat "$tmp/cli.err"
		fail "zohoterritory $*: want exit 0 and $what in the output"
	fi
}
read_cli "T2" territories -o json
read_cli "z2@interop.example" users --status all -o json

# What Prism logged: a violation it reported (with --errors, those of
# responses also became 500 answers), or an answer it made up itself.
for p in mock proxy; do
	if grep -E 'Violation:|Request terminated with error' "$tmp/$p.log" >"$tmp/$p.violations"; then
		sed 's/^/      /' "$tmp/$p.violations"
		fail "prism $p logged violations"
	else
		echo "ok    prism $p logged no violation ($(grep -c 'Request received' "$tmp/$p.log") requests)"
	fi
done

sandbox_stop "$tmp" || failed=1

[ "$failed" -eq 0 ]
