# Sourced by integration test scripts: bring sandboxes up (tests/sandbox/sandbox) and always
# tear them down, also when the test fails or is interrupted.
#
#   sandbox_start VAR [up options…]   up in a fresh directory; its path goes into $VAR
#   sandbox_new_dir VAR               only that fresh path (not made yet), torn down at the end
#   sandbox_cmd SUBCOMMAND --dir D …  the sandbox tool
#   sandbox_bg PID                    a background process (e.g. load) to kill at the end
#   sandbox_sql D HOSTINDEX "SQL"     root over that host's socket, -N -B output
#   sandbox_fail MESSAGE              prints and exits 1 (teardown runs)
#   sandbox_pids D                    every PID the sandbox recorded (for leak checks)
#   sandbox_addresses BASE            then `addr N`: host N's address counted from BASE
#                                     (127.0.0.121: addr 2 is 127.0.0.122)
#   step MESSAGE                      a timestamped progress line
#   manager_start VAR CONF            mha-manager in the background, up to PING_OK; PID in VAR
#
# Installs `trap … EXIT` and turns INT/TERM into exit: a test that needs its own cleanup
# registers it with sandbox_on_exit "command". A test killed outright (SIGKILL: ctest's TIMEOUT)
# runs no trap; for that, the first sandbox_start also starts tests/support/sandbox-watchdog.sh
# outside the test's process tree, which tears down the sandboxes and background PIDs once the
# test's shell is gone without having done so.

MHA_SOURCE=${MHA_SOURCE:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SANDBOX_TOOL="$MHA_SOURCE/tests/sandbox/sandbox"
# shellcheck disable=SC2034  # for the sourcing tests
SANDBOX_LOAD="$MHA_SOURCE/tests/sandbox/load"
# shellcheck disable=SC2034  # for the sourcing tests
SANDBOX_VERIFY="$MHA_SOURCE/tests/sandbox/verify"
if [ -z "${MHA_BIN:-}" ]; then
    export MHA_BIN="$MHA_SOURCE/build/bin"
fi

_sandbox_dirs=()
_sandbox_bg_pids=()
_sandbox_on_exit=()
_sandbox_state=""  # the watchdog's view: files `dirs` and `bg`, one entry a line

sandbox_cleanup() {
    local rc=$? pid d cmd
    trap - EXIT INT TERM
    set +e  # under errexit, the first failing step (`wait` on a killed PID) would end the cleanup
    for pid in "${_sandbox_bg_pids[@]}"; do
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    for cmd in "${_sandbox_on_exit[@]}"; do
        eval "$cmd" || true
    done
    for d in "${_sandbox_dirs[@]}"; do
        if [ -d "$d" ]; then
            if [ "$rc" != 0 ]; then
                echo "--- sandbox $d at failure:" >&2
                "$SANDBOX_TOOL" status --dir "$d" >&2 || true
            fi
            "$SANDBOX_TOOL" down --dir "$d" >/dev/null || echo "sandbox down $d failed" >&2
        fi
        rmdir "$(dirname "$d")" 2>/dev/null || true
    done
    [ -z "$_sandbox_state" ] || rm -rf "$_sandbox_state"  # the watchdog then exits idle
    exit "$rc"
}
trap sandbox_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sandbox_on_exit() {
    _sandbox_on_exit+=("$1")
}

sandbox_fail() {
    echo "FAIL: $*" >&2
    exit 1
}

sandbox_cmd() {
    "$SANDBOX_TOOL" "$@"
}

_sandbox_watch() {
    [ -z "$_sandbox_state" ] || return 0
    _sandbox_state=$(mktemp -d /tmp/mha-sandbox-watch.XXXXXX)
    local pid
    for pid in "${_sandbox_bg_pids[@]}"; do echo "$pid" >>"$_sandbox_state/bg"; done
    # setsid in a subshell that exits at once: the watchdog is no child of this shell (ctest
    # kills the test's whole process tree) and in no process group a terminal's ^C reaches.
    (setsid bash "$MHA_SOURCE/tests/support/sandbox-watchdog.sh" $$ "$_sandbox_state" \
        "$SANDBOX_TOOL" </dev/null >/dev/null 2>&1 &)
}

sandbox_new_dir() {
    local parent
    _sandbox_watch
    parent=$(mktemp -d /tmp/mha-sandbox-test.XXXXXX)
    _sandbox_dirs+=("$parent/sandbox")
    echo "$parent/sandbox" >>"$_sandbox_state/dirs"
    printf -v "$1" '%s' "$parent/sandbox"
}

sandbox_start() {
    local var=$1 _dir
    shift
    sandbox_new_dir _dir
    printf -v "$var" '%s' "$_dir"
    "$SANDBOX_TOOL" up --dir "$_dir" "$@"
}

sandbox_bg() {
    _sandbox_bg_pids+=("$1")
    [ -z "$_sandbox_state" ] || echo "$1" >>"$_sandbox_state/bg"
}

sandbox_sql() {
    local d=$1 index=$2
    shift 2
    mariadb --no-defaults -uroot --socket="$d/host$index/mysqld.sock" -N -B -e "$*"
}

sandbox_pids() {
    local f
    for f in "$1"/host*/*.pid; do
        [ -f "$f" ] && cat "$f"
    done
}

sandbox_addresses() {
    _sandbox_prefix=${1%.*}
    _sandbox_last=${1##*.}
}

addr() {
    echo "$_sandbox_prefix.$((_sandbox_last + $1 - 1))"
}

# check_repl_expect CONF OUT EXIT [NEEDLE…]: masterha_check_repl on CONF (its output in OUT)
# exits EXIT and prints every NEEDLE (a fixed string); otherwise the test fails, showing it.
check_repl_expect() {
    local conf=$1 out=$2 want=$3 rc=0 needle
    shift 3
    "$MHA_BIN/masterha_check_repl" --conf="$conf" >"$out" 2>&1 || rc=$?
    [ "$rc" = "$want" ] || { cat "$out"; sandbox_fail "check_repl exit $rc, expected $want"; }
    for needle in "$@"; do
        grep -qF -- "$needle" "$out" || { cat "$out"; sandbox_fail "check_repl output lacks: $needle"; }
    done
}

step() {
    echo "== $(date +%T.%N | cut -c1-12) $*"
}

# Its output goes to $(dirname CONF)/manager.out; the manager's log is the config's manager_log.
manager_start() {
    local var=$1 conf=$2 pid out
    out=$(dirname "$conf")/manager.out
    "$MHA_BIN/mha-manager" --conf="$conf" >"$out" 2>&1 &
    pid=$!
    sandbox_bg "$pid"
    printf -v "$var" '%s' "$pid"
    for _ in $(seq 1 100); do
        "$MHA_BIN/masterha_check_status" --conf="$conf" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || { cat "$out"; sandbox_fail "manager exited at start"; }
        sleep 0.1
    done
    cat "$out"
    sandbox_fail "manager never reached PING_OK"
}
