#!/usr/bin/env bash
# proxy.sh runs Zoho's official Node.js SDK and our CLI through
# `zohoterritory-contract proxy` in front of the sandbox, as a team would run
# them through it in front of its own Zoho org:
#
#   1. builds zohoterritory-contract and zohoterritory into a temporary
#      directory and starts `zohoterritory-contract sandbox serve
#      --refresh-flow --seed interop/seed.yaml` (which checks its own traffic);
#   2. starts `zohoterritory-contract proxy --target SANDBOX --accounts-target
#      SANDBOX --record DIR --pseudonymize --fail-on-violation` on a free port;
#   3. runs interop/zoho-sdk/run.mjs with Zoho's Node SDK, initialised with
#      its defaults (static token, then the refresh-token flow, whose token
#      request goes through the proxy too), and four CLI commands with the
#      refresh-token flow, all pointed at the proxy;
#   4. stops the proxy with SIGINT: it must exit 0 (no exchange broke the
#      contract) and have logged ok for every API exchange;
#   5. checks the recordings: `zohoterritory-contract validate --requests DIR`
#      passes, one case per API exchange, the token requests in DIR/accounts;
#      no file holds a token, the client secret, the refresh token, the client
#      id, or any real id or name of interop/seed.yaml; neither does the log;
#   6. stops the sandbox, which reports the violations of its own answers.
#
# Fails when any step fails. Everything stays in the temporary directory,
# removed at exit. Needs interop/node_modules (interop/lint.sh installs it).
#
# Usage: interop/proxy.sh
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
# shellcheck source=interop/sandbox.sh
. interop/sandbox.sh

if [ ! -d interop/node_modules/@zohocrm/nodejs-sdk-8.0 ]; then
	echo "proxy: interop/node_modules is missing; run npm ci --prefix interop (or interop/lint.sh)" >&2
	exit 1
fi

interop_begin

for cmd in zohoterritory-contract zohoterritory; do
	if ! go build -o "$tmp/$cmd" "./cmd/$cmd"; then
		echo "FAIL  go build ./cmd/$cmd"
		exit 1
	fi
done

sandbox_start "$tmp/zohoterritory-contract" "$tmp" --refresh-flow --seed interop/seed.yaml || exit 1
sandbox="$ZOHO_API_DOMAIN"
if ! ZOHO_ACCESS_TOKEN="$(sandbox_static_token)"; then
	echo "FAIL  get an access token from the sandbox"
	exit 1
fi
export ZOHO_ACCESS_TOKEN

rec="$tmp/recordings"
"$tmp/zohoterritory-contract" proxy --target "$sandbox" --accounts-target "$sandbox" --listen 127.0.0.1:0 \
	--record "$rec" --pseudonymize --fail-on-violation >"$tmp/proxy.env" 2>"$tmp/proxy.log" &
proxy_pid=$!
pids+=("$proxy_pid")
if ! wait_for "$tmp/proxy.env" '^export ZOHO_ACCOUNTS_URL=' "$proxy_pid" 10; then
	cat "$tmp/proxy.log"
	echo "FAIL  the proxy did not start within 10s"
	exit 1
fi
# shellcheck disable=SC1091
. "$tmp/proxy.env" # ZOHO_API_DOMAIN and ZOHO_ACCOUNTS_URL: the proxy
echo "proxy: $ZOHO_API_DOMAIN in front of the sandbox at $sandbox"

for mode in static refresh; do
	mkdir -p "$tmp/$mode"
	if ! (cd "$tmp/$mode" && NODE_SDK_WORKDIR="$tmp/$mode" node "$root/interop/zoho-sdk/run.mjs" "$mode" node >"$tmp/$mode.out" 2>&1); then
		cat "$tmp/$mode.out"
		fail "node interop/zoho-sdk/run.mjs $mode node through the proxy"
	else
		echo "ok    zoho nodejs-sdk-8.0 ($mode) through the proxy: $(tail -n 1 "$tmp/$mode.out")"
	fi
done

# The CLI, with the refresh-token flow, after the SDK's runs (which put back
# every membership they removed): the reads of slice 2, a removal, and the
# same removal again (exit 2: not a member).
cli() {
	env -u ZOHO_ACCESS_TOKEN "$tmp/zohoterritory" "$@" -o json --max-delay 1ms >>"$tmp/cli.out" 2>&1
}
cli list-territories --user 4876543000000200004 || fail "zohoterritory list-territories through the proxy"
cli list-users -t 4876543000000520001 || fail "zohoterritory list-users through the proxy"
cli remove-users -t 4876543000000520001 4876543000000200002 || fail "zohoterritory remove-users of a member through the proxy"
cli remove-users -t 4876543000000520001 4876543000000200002
rc=$?
if [ "$rc" -ne 2 ]; then
	fail "zohoterritory remove-users of a non-member through the proxy exited $rc, want 2"
fi
grep -q '"reason": "not_member"' "$tmp/cli.out" || fail "zohoterritory remove-users: no not_member in its output"
[ "$failed" -eq 0 ] && echo "ok    zohoterritory list-territories, list-users, remove-users through the proxy"

kill -INT "$proxy_pid"
wait "$proxy_pid"
rc=$?
if [ "$rc" -ne 0 ]; then
	cat "$tmp/proxy.log"
	fail "zohoterritory-contract proxy --fail-on-violation exited $rc"
fi
api=$(grep -cE '^[0-9]{4} [A-Z]+ /crm/' "$tmp/proxy.log")
okl=$(grep -cE '^[0-9]{4} [A-Z]+ /crm/.* ok$' "$tmp/proxy.log")
tokens=$(grep -cE '^[0-9]{4} POST /oauth/v2/token \(token endpoint\) 200 recorded$' "$tmp/proxy.log")
if [ "$api" -eq 0 ] || [ "$api" -ne "$okl" ]; then
	grep -vE ' ok$' "$tmp/proxy.log"
	fail "the proxy logged $api API exchanges, $okl of them ok"
fi
# One refresh by the SDK, one by the CLI's each of four runs.
if [ "$tokens" -ne 5 ]; then
	fail "the proxy recorded $tokens token requests, want 5"
fi
cases=$(find "$rec" -maxdepth 1 -name '*.json' | wc -l)
if [ "$cases" -ne "$api" ]; then
	fail "$cases case files for $api API exchanges"
fi
if ! "$tmp/zohoterritory-contract" validate --requests "$rec" >"$tmp/validate.out" 2>&1; then
	cat "$tmp/validate.out"
	fail "zohoterritory-contract validate --requests on the recordings"
else
	echo "ok    the proxy: $api API exchanges and $tokens token requests, all ok; validate --requests: $(tail -n 1 "$tmp/validate.out")"
fi

# No secret and no real id or name in the recordings or the log.
leaks=0
scan() { # scan NAME VALUE
	[ -n "$2" ] || return 0
	if grep -rqF -- "$2" "$rec" "$tmp/proxy.log"; then
		echo "      $1 found in: $(grep -rlF -- "$2" "$rec" "$tmp/proxy.log" | sed "s|$tmp/||" | tr '\n' ' ')"
		leaks=1
	fi
}
scan "the static access token" "$ZOHO_ACCESS_TOKEN"
scan "the client secret" "$ZOHO_CLIENT_SECRET"
scan "the refresh token" "$ZOHO_REFRESH_TOKEN"
scan "the client id" "$ZOHO_CLIENT_ID"
if grep -rqE '1000\.[0-9a-f]{32}\.[0-9a-f]{32}' "$rec" "$tmp/proxy.log"; then
	echo "      a token the sandbox issued found in: $(grep -rlE '1000\.[0-9a-f]{32}\.[0-9a-f]{32}' "$rec" "$tmp/proxy.log" | sed "s|$tmp/||" | tr '\n' ' ')"
	leaks=1
fi
for id in $(grep -oE '[0-9]{19}' interop/seed.yaml | sort -u); do
	scan "the real id $id" "$id"
done
for name in "Ada Admin" "Ivy Inactive" '"Organization"' '"P2"' '"M2"' "Interop Test Org" "ada@interop.example"; do
	scan "the real name $name" "$name"
done
if [ "$leaks" -ne 0 ]; then
	fail "the recordings or the proxy's log hold a secret or a real id"
else
	echo "ok    no token, secret, client id, real id or name in the $(find "$rec" -type f | wc -l) recorded files or the proxy's log"
fi

sandbox_stop "$tmp" || failed=1

[ "$failed" -eq 0 ]
