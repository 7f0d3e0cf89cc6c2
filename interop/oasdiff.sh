#!/usr/bin/env bash
# oasdiff.sh fails when api/openapi.yaml breaks a client of the committed
# baseline api/baseline/openapi.yaml, unless api/baseline/acknowledged-breaking.txt
# acknowledges the change. oasdiff is the Go module pinned in go.mod through
# tools.go; only Go is needed.
#
# Usage: interop/oasdiff.sh [BASE [REVISION [ACKNOWLEDGED]]]
#   defaults: api/baseline/openapi.yaml api/openapi.yaml
#             api/baseline/acknowledged-breaking.txt (relative to the repo root)
#
# Exit status: 0 no unacknowledged breaking change; 1 an unacknowledged
# breaking change, or an acknowledgement that matches no change; 2 anything else.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

abs() {
	case "$1" in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$PWD/$1" ;;
	esac
}

base="$(abs "${1:-$root/api/baseline/openapi.yaml}")"
revision="$(abs "${2:-$root/api/openapi.yaml}")"
ack="$(abs "${3:-$root/api/baseline/acknowledged-breaking.txt}")"
for f in "$base" "$revision" "$ack"; do
	[ -f "$f" ] || { echo "oasdiff.sh: no such file: $f" >&2; exit 2; }
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A built binary rather than `go run`, which turns every non-zero exit into 1.
(cd "$root" && go build -o "$work/oasdiff" github.com/oasdiff/oasdiff) || exit 2

# oasdiff reads the lines of an ignore file as they are; drop comments and blanks.
grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' "$ack" >"$work/ack" || true

# Run in an empty directory with no OASDIFF_CONFIG, so that no stray
# .oasdiff.* file changes the checks.
oasdiff() { (cd "$work" && env -u OASDIFF_CONFIG ./oasdiff "$@"); }

# errors IGNOREFILE prints how many ERR-level changes remain after IGNOREFILE.
errors() {
	local out
	out="$(oasdiff breaking "$base" "$revision" --format json --err-ignore "$1")" || exit 2
	grep -o '"level":3' <<<"$out" | wc -l
}

rc=0
oasdiff breaking "$base" "$revision" --fail-on ERR --err-ignore "$work/ack" --color never || rc=$?
case "$rc" in
0) ;;
1)
	cat >&2 <<EOF

oasdiff.sh: ${revision#"$root"/} breaks clients of ${base#"$root"/}.
If the change is intended, acknowledge each change in ${ack#"$root"/}
(see the file's header and interop/README.md), or refresh the baseline as
interop/README.md says.
EOF
	exit 1
	;;
*)
	echo "oasdiff.sh: oasdiff failed (exit $rc)" >&2
	exit 2
	;;
esac

# Every acknowledgement must still match a change: a stale one would let a
# later change with the same wording through unseen.
if [ -s "$work/ack" ]; then
	: >"$work/none"
	all="$(errors "$work/none")" || exit 2
	stale=0
	while IFS= read -r line; do
		printf '%s\n' "$line" >"$work/one"
		n="$(errors "$work/one")" || exit 2
		if [ "$n" -eq "$all" ]; then
			echo "oasdiff.sh: this acknowledgement matches no breaking change; remove it: $line" >&2
			stale=1
		fi
	done <"$work/ack"
	[ "$stale" -eq 0 ] || exit 1
	echo "oasdiff.sh: $(grep -c '' "$work/ack") acknowledged breaking change line(s) in use"
fi
