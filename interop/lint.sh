#!/usr/bin/env bash
# lint.sh proves api/openapi.yaml with tools that nobody here wrote:
#   redocly     @redocly/cli lint, rules in redocly.yaml
#   spectral    @stoplight/spectral-cli lint, rules in .spectral.yaml; any warning fails
#   typescript  openapi-typescript generates interop/ts/zoho.d.ts, and
#               tsc --noEmit type-checks interop/ts/usage.ts against it
#   sdk keys    the key maps of Zoho's Node and TypeScript SDKs that the sandbox's
#               tests read (pkg/zohoterritory/zohoterritorytest/testdata/zoho-sdk)
#               still equal what the pinned packages ship (interop/zoho-sdk-keys.mjs)
#   oasdiff     no unacknowledged breaking change against api/baseline/openapi.yaml
#   zoho sdks   Zoho's official Node.js and TypeScript SDKs, with their default
#               initialisation, run every operation they have for what the
#               sandbox serves (the territories' lifecycle too), each mode against a
#               fresh sandbox that checks its traffic (interop/zoho-sdk.sh node,
#               interop/zoho-sdk.sh typescript)
#   proxy       the SDK and the CLI through `zohoterritory-contract proxy` in front
#               of the sandbox: every exchange ok, recorded, valid, without a
#               secret or a real id (interop/proxy.sh)
#   prism       Prism's mock serves every example to the Go client, and Prism's
#               validating proxy checks the Go client's and the CLI's traffic
#               with the sandbox (interop/prism.sh)
#
# Node tools come from interop/package-lock.json (installed here with `npm ci`
# when interop/node_modules is missing or older than the lock file); oasdiff
# comes from go.mod. Every check runs; the script prints one line per check,
# the tool's output for a failed one, and exits 1 if any failed.
#
# Usage: interop/lint.sh [-v]   (-v prints every tool's output)
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2

verbose=0
case "${1:-}" in
-v) verbose=1 ;;
"") ;;
*) echo "usage: interop/lint.sh [-v]" >&2; exit 2 ;;
esac

# No tool phones home or asks to be updated.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export SCARF_ANALYTICS=false
export NO_UPDATE_NOTIFIER=1
export npm_config_update_notifier=false

bin="$root/interop/node_modules/.bin"
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT

if [ ! -x "$bin/redocly" ] || [ interop/package-lock.json -nt interop/node_modules/.package-lock.json ]; then
	echo "interop: installing the Node tools (npm ci --prefix interop)"
	if ! npm ci --prefix interop --ignore-scripts --no-audit --no-fund >"$logs/npm" 2>&1; then
		cat "$logs/npm" >&2
		echo "FAIL  npm ci --prefix interop" >&2
		exit 1
	fi
fi

passed=0
failed=0

# check NAME COMMAND... runs COMMAND, prints one line, and the output on failure.
check() {
	local name="$1" start end rc
	shift
	start=$(date +%s.%N)
	"$@" >"$logs/out" 2>&1
	rc=$?
	end=$(date +%s.%N)
	local took
	took=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1fs", e - s }')
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		printf 'ok    %-62s %s\n' "$name" "$took"
		[ "$verbose" -eq 0 ] || sed 's/^/      /' "$logs/out"
	else
		failed=$((failed + 1))
		printf 'FAIL  %-62s %s\n' "$name" "$took"
		sed 's/^/      /' "$logs/out"
	fi
}

check "Zoho SDKs' key maps = testdata/zoho-sdk (interop/zoho-sdk-keys.mjs)" \
	node interop/zoho-sdk-keys.mjs --check
check "redocly lint api/openapi.yaml (redocly.yaml)" \
	"$bin/redocly" lint api/openapi.yaml --config redocly.yaml --lint-config error --format stylish
check "spectral lint api/openapi.yaml (.spectral.yaml, warn fails)" \
	"$bin/spectral" lint api/openapi.yaml --ruleset .spectral.yaml --fail-severity warn
check "openapi-typescript api/openapi.yaml -> interop/ts/zoho.d.ts" \
	"$bin/openapi-typescript" api/openapi.yaml --redocly redocly.yaml --output interop/ts/zoho.d.ts
check "tsc --noEmit -p interop/ts (usage.ts)" \
	"$bin/tsc" --noEmit -p interop/ts/tsconfig.json
check "oasdiff breaking api/baseline/openapi.yaml api/openapi.yaml" \
	interop/oasdiff.sh
check "zohoterritory-contract validate contracttests/testdata" \
	go run ./cmd/zohoterritory-contract validate contracttests/testdata
check "openapi-fetch + openapi-typescript client -> sandbox (interop/ts-client.sh)" \
	interop/ts-client.sh
check "zoho nodejs-sdk-8.0 -> sandbox (interop/zoho-sdk.sh node)" \
	interop/zoho-sdk.sh node
check "zoho typescript-sdk-8.0 -> sandbox (interop/zoho-sdk.sh typescript)" \
	interop/zoho-sdk.sh typescript
check "node sdk + CLI through the recording proxy (interop/proxy.sh)" \
	interop/proxy.sh
check "prism mock + prism proxy --errors (interop/prism.sh)" \
	interop/prism.sh
check "the sandbox's container image + Zoho's Node SDK (interop/container.sh)" \
	interop/container.sh

echo "interop: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
