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
#      and with the refresh-token flow (slice 3); each run calls all eleven
#      operations and reads the org's state back after every removal and add;
#   4. stops the sandbox with SIGINT; a contract violation it reports, or a
#      non-zero exit, fails the check.
#
# Needs interop/node_modules (interop/lint.sh installs it).
# Usage: interop/ts-client.sh
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2
# shellcheck source=interop/sandbox.sh
. interop/sandbox.sh
bin=interop/node_modules/.bin

if [ ! -x "$bin/tsc" ] || [ ! -d interop/node_modules/openapi-fetch ]; then
	echo "ts-client: interop/node_modules is missing; run npm ci --prefix interop (or interop/lint.sh)" >&2
	exit 1
fi

interop_begin

"$bin/openapi-typescript" api/openapi.yaml --redocly redocly.yaml --output interop/ts/zoho.d.ts >"$tmp/gen.log" 2>&1 ||
	{ cat "$tmp/gen.log"; echo "FAIL  openapi-typescript"; exit 1; }
rm -rf interop/ts-client/build
"$bin/tsc" -p interop/ts-client/tsconfig.json || { echo "FAIL  tsc -p interop/ts-client"; exit 1; }

go build -o "$tmp/zohoterritory-contract" ./cmd/zohoterritory-contract || { echo "FAIL  go build ./cmd/zohoterritory-contract"; exit 1; }
sandbox_start "$tmp/zohoterritory-contract" "$tmp" --refresh-flow --seed interop/seed.yaml || exit 1
# The static mode's token, from the sandbox's token endpoint.
if ! ZOHO_ACCESS_TOKEN="$(sandbox_static_token)"; then
	echo "FAIL  get an access token from the sandbox"
	exit 1
fi
export ZOHO_ACCESS_TOKEN
echo "ts-client: sandbox at $ZOHO_API_DOMAIN, openapi-fetch $(node -p 'require("./interop/node_modules/openapi-fetch/package.json").version'), openapi-typescript $(node -p 'require("./interop/node_modules/openapi-typescript/package.json").version'), node $(node --version)"

for mode in static refresh; do
	node interop/ts-client/build/ts-client/client.js "$mode" || fail "node interop/ts-client/build/ts-client/client.js $mode"
done

sandbox_stop "$tmp" || failed=1

[ "$failed" -eq 0 ]
