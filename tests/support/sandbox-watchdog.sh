#!/usr/bin/env bash
# sandbox-watchdog.sh TEST_PID STATE_DIR SANDBOX_TOOL
#
# Started by sandbox-fixture.sh outside the test's process tree and session. A test that dies
# without running its EXIT trap (SIGKILL, which is what ctest sends at a test's TIMEOUT) leaves
# its sandboxes running; this waits for TEST_PID to end and then tears down what STATE_DIR
# lists: `bg` (PIDs the test started in the background) and `dirs` (sandbox directories).
# A test that cleaned up after itself removes STATE_DIR, and this exits without doing anything.
test_pid=$1 state=$2 tool=$3

alive() {  # a zombie is gone too: its parent may not have reaped it yet
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

while [ -d "$state" ] && alive "$test_pid"; do
    sleep 0.5
done
[ -d "$state" ] || exit 0
sleep 0.5  # the test's own EXIT trap, if it runs after all, goes first
[ -d "$state" ] || exit 0

exec >>"$state.log" 2>&1  # left behind on purpose: what was cleaned up, and why
echo "$(date +%T) test pid $test_pid ended without tearing down: cleaning up"
if [ -f "$state/bg" ]; then
    while read -r pid; do
        kill -TERM "$pid" 2>/dev/null && echo "stopped background pid $pid"
    done <"$state/bg"
fi
if [ -f "$state/dirs" ]; then
    while read -r d; do
        if [ -d "$d" ]; then
            "$tool" down --dir "$d" || echo "sandbox down $d failed"
        fi
        rmdir "$(dirname "$d")" 2>/dev/null || true
    done <"$state/dirs"
fi
rm -rf "$state"
