#!/usr/bin/env bash
# zoho-sdk.sh runs one of Zoho's official JavaScript SDKs for CRM v8 against
# the sandbox, with the SDK's default initialisation, over every operation
# it has for what the sandbox serves (interop/zoho-sdk/run.mjs says which):
#
#   node        @zohocrm/nodejs-sdk-8.0
#   typescript  @zohocrm/typescript-sdk-8.0 (the compiled JavaScript it ships)
#
# For each mode, the static access token and the refresh-token flow, it
#
#   1. starts a fresh `zohoterritory-contract sandbox serve --refresh-flow
#      --seed interop/seed.yaml`, which checks every request and answer
#      against api/openapi.yaml with both validators, on a free loopback port;
#   2. runs interop/zoho-sdk/run.mjs MODE SDK, which checks what the SDK made
#      of every answer, reads every change back, and records the calls as
#      HAR, request bodies included; in the static mode, then
#      interop/zoho-sdk/territories.mjs SDK, the territories' lifecycle
#      through the SDK's TerritoriesOperations, likewise;
#   3. validates the recorded requests and responses with both validators
#      (`zohoterritory-contract validate --requests`);
#   4. stops the sandbox with SIGINT, which makes it report the contract
#      violations of the requests it got and of its own answers (any one
#      fails the check) and exit 2 if there were any.
#
# Fails when any step fails. The SDK's token store, log and resource files
# stay in the temporary directory, which is removed at exit. Needs
# interop/node_modules (interop/lint.sh installs it).
#
# Usage: interop/zoho-sdk.sh node|typescript
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
# shellcheck source=interop/sandbox.sh
. interop/sandbox.sh

case "${1:-}" in
node) pkg=@zohocrm/nodejs-sdk-8.0 ;;
typescript) pkg=@zohocrm/typescript-sdk-8.0 ;;
*)
	echo "usage: interop/zoho-sdk.sh node|typescript" >&2
	exit 2
	;;
esac
sdk="$1"

if [ ! -d "interop/node_modules/$pkg" ]; then
	echo "zoho-sdk: interop/node_modules is missing $pkg; run npm ci --prefix interop (or interop/lint.sh)" >&2
	exit 1
fi

interop_begin

if ! go build -o "$tmp/zohoterritory-contract" ./cmd/zohoterritory-contract; then
	echo "FAIL  go build ./cmd/zohoterritory-contract"
	exit 1
fi
echo "zoho-sdk: $pkg $(node -p "require('./interop/node_modules/$pkg/package.json').version"), node $(node --version)"

for mode in static refresh; do
	dir="$tmp/$mode"
	mkdir -p "$dir/sdk"
	sandbox_start "$tmp/zohoterritory-contract" "$dir" --refresh-flow --seed interop/seed.yaml || exit 1
	# The static mode's token, from the sandbox's token endpoint.
	if ! ZOHO_ACCESS_TOKEN="$(sandbox_static_token)"; then
		echo "FAIL  get an access token from the sandbox"
		exit 1
	fi
	export ZOHO_ACCESS_TOKEN
	echo "zoho-sdk: $mode: a fresh sandbox at $ZOHO_API_DOMAIN"
	# cwd is the temporary directory, so that nothing the SDK writes lands in the repository.
	if ! (cd "$dir/sdk" && NODE_SDK_WORKDIR="$dir/sdk" NODE_SDK_HAR="$dir/calls.har" \
		node "$root/interop/zoho-sdk/run.mjs" "$mode" "$sdk"); then
		fail "node interop/zoho-sdk/run.mjs $mode $sdk"
	fi
	hars=("$dir/calls.har")
	if [ "$mode" = static ]; then
		mkdir -p "$dir/territories"
		hars+=("$dir/territories.har")
		if ! (cd "$dir/territories" && NODE_SDK_WORKDIR="$dir/territories" NODE_SDK_HAR="$dir/territories.har" \
			node "$root/interop/zoho-sdk/territories.mjs" "$sdk"); then
			fail "node interop/zoho-sdk/territories.mjs $sdk"
		fi
	fi
	for har in "${hars[@]}"; do
		if [ ! -s "$har" ]; then
			fail "$mode: no calls were recorded in $(basename "$har")"
		elif ! "$tmp/zohoterritory-contract" validate --requests "$har" >"$dir/validate.out" 2>&1; then
			cat "$dir/validate.out"
			fail "$mode: zohoterritory-contract validate --requests $(basename "$har"): the SDK's calls break api/openapi.yaml"
		else
			echo "ok    $mode $sdk: zohoterritory-contract validate --requests $(basename "$har"): $(tail -n 1 "$dir/validate.out")"
		fi
	done
	# The sandbox lists the requests and the answers that broke the
	# contract as it stops; any one fails the check.
	sandbox_stop "$dir" || failed=1
done

[ "$failed" -eq 0 ]
