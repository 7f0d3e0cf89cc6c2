# sandbox.sh is sourced by the interop scripts that run clients against
# `zohoterritory-contract sandbox serve`: it sets up a script's temporary
# directory and its cleanup, starts the sandbox, fetches a static token from
# its token endpoint, and stops it, reporting what it found. It defines
# functions only.

# interop_begin makes the temporary directory $tmp, points the CLI's
# journals into it (XDG_STATE_HOME), sets failed=0, and traps EXIT to stop
# the sandbox ($sandbox_pid) and every process in $pids still running, then
# remove $tmp (with KEEP=1 it is kept, and named). Ctrl-C exits 130.
interop_begin() {
	tmp="$(mktemp -d)"
	export XDG_STATE_HOME="$tmp/state"
	sandbox_pid=""
	pids=()
	failed=0
	trap interop_cleanup EXIT
	trap 'exit 130' INT TERM
}

interop_cleanup() {
	local pid
	for pid in "$sandbox_pid" "${pids[@]}"; do
		if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
			kill -TERM "$pid" 2>/dev/null || true
			wait "$pid" 2>/dev/null || true
		fi
	done
	if [ -n "${KEEP:-}" ]; then
		echo "kept $tmp"
	else
		rm -rf "$tmp"
	fi
}

# wait_for FILE PATTERN PID SECONDS polls FILE for a line matching PATTERN
# while PID runs, for at most SECONDS; it returns 1 when the line never came.
wait_for() {
	local _
	for _ in $(seq $(($4 * 10))); do
		grep -q "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || break
		sleep 0.1
	done
	grep -q "$2" "$1" 2>/dev/null || return 1
}

# fail prints a FAIL line and marks the script failed.
fail() {
	echo "FAIL  $*"
	failed=1
}

# sandbox_start BIN DIR [FLAG ...] starts `BIN sandbox serve --addr
# 127.0.0.1:0 FLAG...` with its environment in DIR/sandbox.env and its log
# in DIR/sandbox.log, sets sandbox_pid, waits up to 10 s for the last line
# of the environment (the access token, or with --refresh-flow the refresh
# token) and exports it. Returns 1, with the log, when it did not start.
sandbox_start() {
	local bin="$1" dir="$2"
	shift 2
	"$bin" sandbox serve --addr 127.0.0.1:0 "$@" >"$dir/sandbox.env" 2>"$dir/sandbox.log" &
	sandbox_pid=$!
	local last='^export ZOHO_ACCESS_TOKEN='
	case " $* " in *" --refresh-flow "*) last='^export ZOHO_REFRESH_TOKEN=' ;; esac
	if ! wait_for "$dir/sandbox.env" "$last" "$sandbox_pid" 10; then
		echo "FAIL  the sandbox did not start within 10s"
		cat "$dir/sandbox.log"
		return 1
	fi
	# The lines are shell: `export K='V'` and an `unset` of the other flow.
	# shellcheck disable=SC1091
	. "$dir/sandbox.env"
}

# sandbox_static_token prints an access token from the sandbox's token
# endpoint, as a self client would get one, with the refresh-token flow's
# variables that `sandbox serve --refresh-flow` exported.
sandbox_static_token() {
	node -e '
const e = process.env;
fetch(e.ZOHO_ACCOUNTS_URL + "/oauth/v2/token", {method: "POST", body: new URLSearchParams({
  grant_type: "refresh_token", client_id: e.ZOHO_CLIENT_ID, client_secret: e.ZOHO_CLIENT_SECRET, refresh_token: e.ZOHO_REFRESH_TOKEN})})
  .then(r => r.json()).then(j => { if (!j.access_token) throw new Error("no access_token"); console.log(j.access_token); })
  .catch(err => { console.error(err.message); process.exit(1); });'
}

# sandbox_stop DIR stops the sandbox with SIGINT and prints what it
# reported: ok, or FAIL lines for contract violations or a non-zero exit
# (then it returns 1). It clears sandbox_pid.
sandbox_stop() {
	local dir="$1" rc bad=0
	kill -INT "$sandbox_pid"
	wait "$sandbox_pid"
	rc=$?
	sandbox_pid=""
	if grep -qi 'violation' "$dir/sandbox.log"; then
		grep -i 'violation' "$dir/sandbox.log"
		echo "FAIL  the sandbox reported contract violations"
		bad=1
	fi
	if [ "$rc" -ne 0 ]; then
		cat "$dir/sandbox.log"
		echo "FAIL  zohoterritory-contract sandbox serve exited with $rc"
		bad=1
	elif [ "$bad" -eq 0 ]; then
		echo "ok    zohoterritory-contract sandbox serve: no violation"
	fi
	return "$bad"
}
