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
#      sandbox's state, and records the calls as HAR; then
#      interop/node-sdk/territories.mjs, the territories' lifecycle through the
#      SDK's TerritoriesOperations, likewise;
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
# shellcheck source=interop/sandbox.sh
. interop/sandbox.sh

if [ ! -d interop/node_modules/@zohocrm/nodejs-sdk-8.0 ]; then
	echo "node-sdk: interop/node_modules is missing; run npm ci --prefix interop (or interop/lint.sh)" >&2
	exit 1
fi

interop_begin

if ! go build -o "$tmp/zohoterritory-contract" ./cmd/zohoterritory-contract; then
	echo "FAIL  go build ./cmd/zohoterritory-contract"
	exit 1
fi

sandbox_start "$tmp/zohoterritory-contract" "$tmp" --refresh-flow --seed interop/seed.yaml || exit 1
# The static mode's token, from the sandbox's token endpoint.
if ! ZOHO_ACCESS_TOKEN="$(sandbox_static_token)"; then
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

# The territories' lifecycle (interop/node-sdk/territories.mjs), with the static token.
mkdir -p "$tmp/territories"
if ! (cd "$tmp/territories" && NODE_SDK_WORKDIR="$tmp/territories" NODE_SDK_HAR="$tmp/territories.har" \
	node "$root/interop/node-sdk/territories.mjs"); then
	fail "node interop/node-sdk/territories.mjs"
fi

hars=()
for mode in static refresh territories; do
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

sandbox_stop "$tmp" || failed=1

[ "$failed" -eq 0 ]
