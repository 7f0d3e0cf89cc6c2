#!/usr/bin/env bash
# coldbuild.sh times cold builds (an empty GOCACHE, modules already
# downloaded) of the commands and of the sandbox package, in two checkouts
# side by side, and the size of each binary. It is how BENCHMARKS.md's build
# table was made:
#
#   git worktree add /tmp/before <commit>
#   bench/coldbuild.sh /tmp/before . > bench/results/coldbuild.txt
#
# Usage: bench/coldbuild.sh BEFORE_DIR AFTER_DIR [RUNS]   (default 1 run of each)
set -euo pipefail
before="$1" after="$2" runs="${3:-1}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

# one LABEL DIR WHAT... times `go build WHAT` in DIR with an empty cache.
one() {
	local label="$1" dir="$2"
	shift 2
	local cache
	cache="$(mktemp -d)"
	(cd "$dir" && GOCACHE="$cache" GOFLAGS=-buildvcs=false /usr/bin/time -f "%e %U %M" -o "$out/t" go "$@" >/dev/null 2>"$out/err") ||
		{ cat "$out/err" >&2; exit 1; }
	read -r wall user rss <"$out/t"
	printf '%-10s %-40s wall %7ss  user %7ss  peak %6d MiB\n' "$label" "go $*" "$wall" "$user" $((rss / 1024))
	rm -rf "$cache"
}

echo "# $(go version); $(nproc) cores; $(date -u +%Y-%m-%d)"
for i in $(seq "$runs"); do
	for side in before after; do
		dir="${!side}"
		one "$side" "$dir" build -o "$out/zohoterritory" ./cmd/zohoterritory
		printf '%-10s %-40s %d bytes\n' "$side" "size of zohoterritory" "$(stat -c %s "$out/zohoterritory")"
		one "$side" "$dir" build ./pkg/zohoterritory/zohoterritorytest
		one "$side" "$dir" build ./pkg/zohoterritory
		one "$side" "$dir" run ./cmd/zohoterritory demo
		if [ -d "$dir/cmd/zohoterritory-contract" ]; then
			one "$side" "$dir" build -o "$out/zohoterritory-contract" ./cmd/zohoterritory-contract
			printf '%-10s %-40s %d bytes\n' "$side" "size of zohoterritory-contract" "$(stat -c %s "$out/zohoterritory-contract")"
		fi
	done
done
