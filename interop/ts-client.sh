#!/usr/bin/env bash
# ts-client.sh runs a TypeScript client generated from api/openapi.yaml
# (openapi-typescript's types with openapi-fetch, both pinned in
# interop/package.json) against the sandbox:
#
#   1. generates interop/ts/zoho.d.ts and compiles interop/ts-client/client.ts
#      with tsc into interop/ts-client/build (not committed);
#   2. starts `zohoterritory-contract sandbox serve --refresh-flow --seed
#      interop/seed.yaml` on a free loopback port;
#   3. runs the client twice: with a static access token (the org's slice 2)
#      and with the refresh-token flow (slice 3); each run calls all eight
#      operations and reads the org's state back after every removal;
#   4. stops the sandbox with SIGINT; a contract violation it reports, or a
#      non-zero exit, fails the check.
#
# Needs interop/node_modules (interop/lint.sh installs it).
# Usage: interop/ts-client.sh
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
bin=interop/node_modules/.bin

if [ ! -x "$bin/tsc" ] || [ ! -d interop/node_modules/openapi-fetch ]; then
	echo "ts-client: interop/node_modules is missing; run npm ci --prefix interop (or interop/lint.sh)" >&2
	exit 1
fi

tmp="$(mktemp -d)"
sandbox_pid=""
cleanup() {
	if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
		kill -TERM "$sandbox_pid" 2>/dev/null
		wait "$sandbox_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=0
fail() {
	echo "FAIL  $*"
	failed=1
}

"$bin/openapi-typescript" api/openapi.yaml --redocly redocly.yaml --output interop/ts/zoho.d.ts >"$tmp/gen.log" 2>&1 ||
	{ cat "$tmp/gen.log"; echo "FAIL  openapi-typescript"; exit 1; }
rm -rf interop/ts-client/build
"$bin/tsc" -p interop/ts-client/tsconfig.json || { echo "FAIL  tsc -p interop/ts-client"; exit 1; }

go build -o "$tmp/zohoterritory-contract" ./cmd/zohoterritory-contract || { echo "FAIL  go build ./cmd/zohoterritory-contract"; exit 1; }
"$tmp/zohoterritory-contract" sandbox serve --addr 127.0.0.1:0 --refresh-flow --seed interop/seed.yaml \
	>"$tmp/sandbox.env" 2>"$tmp/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 100); do
	grep -q '^export ZOHO_REFRESH_TOKEN=' "$tmp/sandbox.env" 2>/dev/null && break
	kill -0 "$sandbox_pid" 2>/dev/null || break
	sleep 0.1
done
if ! grep -q '^export ZOHO_REFRESH_TOKEN=' "$tmp/sandbox.env" 2>/dev/null; then
	echo "FAIL  the sandbox did not start within 10s"
	cat "$tmp/sandbox.log"
	exit 1
fi
# shellcheck disable=SC1091
. "$tmp/sandbox.env"
# The static run's token, from the sandbox's token endpoint.
if ! ZOHO_ACCESS_TOKEN="$(node -e '
const e = process.env;
fetch(e.ZOHO_ACCOUNTS_URL + "/oauth/v2/token", {method: "POST", body: new URLSearchParams({
  grant_type: "refresh_token", client_id: e.ZOHO_CLIENT_ID, client_secret: e.ZOHO_CLIENT_SECRET, refresh_token: e.ZOHO_REFRESH_TOKEN})})
  .then(r => r.json()).then(j => { if (!j.access_token) throw new Error("no access_token"); console.log(j.access_token); })
  .catch(err => { console.error(err.message); process.exit(1); });')"; then
	echo "FAIL  get an access token from the sandbox"
	exit 1
fi
export ZOHO_ACCESS_TOKEN
echo "ts-client: sandbox at $ZOHO_API_DOMAIN, openapi-fetch $(node -p 'require("./interop/node_modules/openapi-fetch/package.json").version'), openapi-typescript $(node -p 'require("./interop/node_modules/openapi-typescript/package.json").version'), node $(node --version)"

for mode in static refresh; do
	node interop/ts-client/build/ts-client/client.js "$mode" || fail "node interop/ts-client/build/ts-client/client.js $mode"
done

kill -INT "$sandbox_pid"
wait "$sandbox_pid"
rc=$?
sandbox_pid=""
if grep -qi 'violation' "$tmp/sandbox.log"; then
	grep -i 'violation' "$tmp/sandbox.log"
	fail "the sandbox reported contract violations"
fi
if [ "$rc" -ne 0 ]; then
	cat "$tmp/sandbox.log"
	fail "zohoterritory-contract sandbox serve exited with $rc"
else
	echo "ok    zohoterritory-contract sandbox serve: no violation"
fi

[ "$failed" -eq 0 ]
