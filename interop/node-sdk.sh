#!/usr/bin/env bash
# node-sdk.sh runs Zoho's official Node.js SDK for CRM v8 against the sandbox:
#
#   1. builds the CLI into a temporary directory and starts
#      `zohoterritory-contract sandbox serve --refresh-flow --seed interop/seed.yaml`,
#      which checks every request and answer against the spec
#      on a free loopback port;
#   2. runs interop/node-sdk/run.mjs twice, with the static access token and
#      with the refresh-token flow against the sandbox's token endpoint; each
#      run calls the four operations, checks the SDK's parsed answers and the
#      sandbox's state, and records the calls as HAR;
#   3. validates the recorded requests and responses with both validators
#      (`zohoterritory-contract validate --requests`);
#   4. stops the sandbox with SIGINT, which makes it report the contract
#      violations of its own answers and exit 2 if there were any.
#
# Fails when any step fails or any violation is printed. The SDK's token
# store, log and resource files stay in the temporary directory, which is
# removed at exit. Needs interop/node_modules (interop/lint.sh installs it).
#
# Usage: interop/node-sdk.sh
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2

if [ ! -d interop/node_modules/@zohocrm/nodejs-sdk-8.0 ]; then
	echo "node-sdk: interop/node_modules is missing; run npm ci --prefix interop (or interop/lint.sh)" >&2
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

if ! go build -o "$tmp/zohoterritory-contract" ./cmd/zohoterritory-contract; then
	echo "FAIL  go build ./cmd/zohoterritory-contract"
	exit 1
fi

"$tmp/zohoterritory-contract" sandbox serve --addr 127.0.0.1:0 --refresh-flow --seed interop/seed.yaml \
	>"$tmp/sandbox.env" 2>"$tmp/sandbox.log" &
sandbox_pid=$!

# The sandbox prints its environment once it listens; wait for the last line.
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
# The lines are shell: `export K='V'` and an `unset` of the other flow.
# shellcheck disable=SC1091
. "$tmp/sandbox.env"
# The static mode's token, from the sandbox's token endpoint, as a self
# client would get one.
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
echo "node-sdk: sandbox at $ZOHO_API_DOMAIN, SDK $(node -p 'require("./interop/node_modules/@zohocrm/nodejs-sdk-8.0/package.json").version'), node $(node --version)"

for mode in static refresh; do
	mkdir -p "$tmp/$mode"
	# cwd is the temporary directory, so that nothing the SDK writes lands in the repository.
	if ! (cd "$tmp/$mode" && NODE_SDK_WORKDIR="$tmp/$mode" NODE_SDK_HAR="$tmp/$mode.har" \
		node "$root/interop/node-sdk/run.mjs" "$mode"); then
		fail "node interop/node-sdk/run.mjs $mode"
	fi
done

hars=()
for mode in static refresh; do
	[ -s "$tmp/$mode.har" ] && hars+=("$tmp/$mode.har")
done
if [ "${#hars[@]}" -eq 0 ]; then
	fail "no calls were recorded"
elif ! "$tmp/zohoterritory-contract" validate --requests "${hars[@]}" >"$tmp/validate.out" 2>&1; then
	cat "$tmp/validate.out"
	fail "zohoterritory-contract validate --requests: the SDK's calls break api/openapi.yaml"
else
	echo "ok    zohoterritory-contract validate --requests: $(tail -n 1 "$tmp/validate.out")"
fi

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
