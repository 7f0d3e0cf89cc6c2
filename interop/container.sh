#!/usr/bin/env bash
# container.sh checks the sandbox's container image (Containerfile): builds
# it with `make image`, runs it with interop/seed.yaml mounted, waits for its
# port, runs Zoho's Node SDK check (interop/zoho-sdk/run.mjs static node) against
# it, and stops it with SIGTERM.
#
# Where no container engine works (none installed, or one that cannot run
# containers here), it prints one loud SKIPPED line saying why and exits 0.
# podman on Debian needs runc and, on some machines, higher ulimits: set
# CONTAINER_RUN_FLAGS (default for podman: --runtime runc --ulimit
# nofile=20000:20000 --ulimit nproc=32768:32768).
#
# Usage: interop/container.sh
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root" || exit 2

engine=""
why="neither podman nor docker is installed"
for e in podman docker; do
	command -v "$e" >/dev/null 2>&1 || continue
	if "$e" info >/dev/null 2>&1; then
		engine="$e"
		break
	fi
	why="$e is installed but '$e info' fails: $("$e" info 2>&1 | tail -n 1)"
done
if [ -z "$engine" ]; then
	echo "container: SKIPPED (no working container engine: $why)"
	exit 0
fi
if [ "$engine" = podman ]; then
	run_flags=${CONTAINER_RUN_FLAGS:---runtime runc --ulimit nofile=20000:20000 --ulimit nproc=32768:32768}
	build_flags=${CONTAINER_BUILD_FLAGS:---runtime runc}
else
	run_flags=${CONTAINER_RUN_FLAGS:-}
	build_flags=${CONTAINER_BUILD_FLAGS:-}
fi

tmp="$(mktemp -d)"
name="zohoterritory-sandbox-check-$$"
image="zohoterritory-sandbox:check-$$"
cleanup() {
	"$engine" rm -f "$name" >/dev/null 2>&1
	"$engine" rmi -f "$image" >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! make -s image IMAGE="$image" IMAGE_BUILD_FLAGS="$build_flags" >"$tmp/build.log" 2>&1; then
	cat "$tmp/build.log"
	echo "FAIL  make image ($engine)"
	exit 1
fi
echo "ok    make image ($engine): $("$engine" image inspect --format '{{.Size}}' "$image" 2>/dev/null) bytes"

port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')
# shellcheck disable=SC2086
if ! "$engine" run -d $run_flags --name "$name" -p "127.0.0.1:$port:8080" \
	-v "$root/interop/seed.yaml:/seed.yaml:ro" "$image" --seed /seed.yaml >"$tmp/run.log" 2>&1; then
	cat "$tmp/run.log"
	echo "FAIL  $engine run"
	exit 1
fi
for _ in $(seq 100); do
	"$engine" logs "$name" 2>/dev/null | grep -q '^export ZOHO_ACCESS_TOKEN=' && break
	sleep 0.1
done
token=$("$engine" logs "$name" 2>/dev/null | sed -n "s/^export ZOHO_ACCESS_TOKEN='\(.*\)'$/\1/p" | tail -n 1)
if [ -z "$token" ]; then
	"$engine" logs "$name"
	echo "FAIL  the container printed no access token within 10s"
	exit 1
fi
echo "ok    the container listens on 127.0.0.1:$port"

failed=0
mkdir -p "$tmp/sdk"
if ! (cd "$tmp/sdk" && ZOHO_API_DOMAIN="http://127.0.0.1:$port" ZOHO_ACCESS_TOKEN="$token" NODE_SDK_WORKDIR="$tmp/sdk" \
	node "$root/interop/zoho-sdk/run.mjs" static node); then
	echo "FAIL  node interop/zoho-sdk/run.mjs static node against the container"
	failed=1
fi
uid=$("$engine" inspect --format '{{.Config.User}}' "$name")
[ "$uid" = "65532:65532" ] || { echo "FAIL  the container runs as '$uid', not 65532:65532"; failed=1; }

"$engine" stop -t 10 "$name" >/dev/null
rc=$("$engine" inspect --format '{{.State.ExitCode}}' "$name")
case "$rc" in
0 | 2) echo "ok    $engine stop: exit $rc; $("$engine" logs "$name" 2>&1 | grep 'sandbox stopped' | tail -n 1)" ;;
*)
	"$engine" logs "$name"
	echo "FAIL  $engine stop: exit $rc"
	failed=1
	;;
esac
[ "$failed" -eq 0 ]
