# Scenario: the sandbox's life cycle at its edges. Bad options are refused with an error that
# names them; `up` fails within a bounded time, with the failing server's log tail, when a server
# cannot start, and `up` again on that D replaces it; `up` on a running D changes nothing, `up`
# with other options replaces it (5 nodes, GTID, candidate 4); `down` on a half-started D (its
# `up` killed) stops everything; a test killed by SIGTERM, SIGINT or SIGKILL still tears its
# sandbox down. Base address: SANDBOX_BASE (default 127.0.70.11) and the next four.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.70.11}
sandbox_addresses "$base"

alive() {  # pid: running (a zombie is not)
    local s
    s=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$s" ] && [ "$s" != Z ]
}
none_left() {  # pids…
    local pid
    for pid in "$@"; do
        if alive "$pid"; then
            sandbox_fail "pid $pid still runs: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
        fi
    done
}
addresses() {  # nodes: every address a sandbox of that size at $base uses (servers, proxies)
    local i a o
    for i in $(seq 1 "$1"); do
        a=$(addr "$i")
        o=${a#*.*.}
        o=${o%.*}
        echo "$a ${a%.*.*}.$((o + 1)).${a##*.} ${a%.*.*}.$((o + 2)).${a##*.}"
    done
}
nothing_listens() {  # nodes
    local listening a
    listening=$(ss -Hltn | awk '{print $4}')
    for a in $(addresses "$1"); do
        if grep -qE "^${a//./\\.}:" <<<"$listening"; then
            sandbox_fail "something still listens on $a"
        fi
    done
}
wait_for() {  # seconds, command…: polls every 0.1 s
    local n=$(($1 * 10))
    shift
    while ! "$@"; do
        n=$((n - 1))
        [ "$n" -gt 0 ] || return 1
        sleep 0.1
    done
}

step "bad options are refused, naming what is wrong, before anything starts"
sandbox_new_dir D
while IFS='|' read -r args expected; do
    # shellcheck disable=SC2086  # the options are words
    if out=$(sandbox_cmd up --dir "$D" $args 2>&1 </dev/null); then
        sandbox_fail "up $args succeeded"
    fi
    grep -qF -- "$expected" <<<"$out" || sandbox_fail "up $args: '$out' does not say '$expected'"
    [ ! -e "$D" ] || sandbox_fail "up $args left $D behind"
done <<'EOF'
--nodes 1|--nodes must be 2..5
--nodes 6|--nodes must be 2..5
--nodes 3 --candidate 4|--candidate must name one of the hosts
--base-ip 10.0.0.11|--base-ip 10.0.0.11: the sandbox uses loopback addresses only
--gtid --no-gtid|argument --no-gtid: not allowed with argument --gtid
EOF
out=$(sandbox_cmd kill-mysqld --dir "$D" 1 2>&1) && sandbox_fail "kill-mysqld without a sandbox succeeded"
grep -qF "no sandbox in $D" <<<"$out" || sandbox_fail "kill-mysqld without a sandbox: $out"

step "up fails within a bounded time, with the failing log's tail, when host2 cannot listen"
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind((sys.argv[1], 3306)); s.listen(); time.sleep(300)' "$(addr 2)" &
blocker=$!
sandbox_bg "$blocker"
listens() { ss -Hltn | awk '{print $4}' | grep -qx "${1//./\\.}:3306"; }
wait_for 10 listens "$(addr 2)" || sandbox_fail "the port blocker does not listen"
rc=0
out=$(timeout 120 "$SANDBOX_TOOL" up --dir "$D" --nodes 2 --base-ip "$base" 2>&1) || rc=$?
echo "$out" | tail -n 4
[ "$rc" = 1 ] || sandbox_fail "up with host2's port taken: exit $rc, expected 1"
grep -qF "sandbox: up failed: $(addr 2): mariadbd does not answer (its process exited); tail of $D/host2/error.log:" <<<"$out" \
    || sandbox_fail "up did not name host2 and its log"
grep -q "Address already in use" <<<"$out" || sandbox_fail "up did not print the tail of host2's log"
[ -s "$D/host2/error.log" ] || sandbox_fail "a failed up must leave D and its logs"
# shellcheck disable=SC2046  # one pid a word
none_left $(sandbox_pids "$D")
kill "$blocker"
wait "$blocker" 2>/dev/null || true

step "up again on the failed D replaces it (and --bin names the binaries)"
out=$(env -u MHA_BIN "$SANDBOX_TOOL" up --dir "$D" --nodes 2 --base-ip "$base" --bin "$MHA_BIN")
grep -q "holds a stale or different sandbox: replacing it" <<<"$out" || sandbox_fail "second up: $out"
grep -qx "export MHA_BIN=$MHA_BIN" "$D/env" || sandbox_fail "--bin did not reach D/env: $(grep MHA_BIN= "$D/env")"
grep -q '^host2 .* replica read_only .* io=Yes sql=Yes gtid=No agent=health=200 ' <(sandbox_cmd status --dir "$D") \
    || sandbox_fail "after the second up: $(sandbox_cmd status --dir "$D")"

step "up on a running D with the same options changes nothing"
before=$(sandbox_pids "$D" | sort)
out=$(sandbox_cmd up --dir "$D" --nodes 2 --base-ip "$base")
grep -q "is already up" <<<"$out" || sandbox_fail "third up: $out"
[ "$(sandbox_pids "$D" | sort)" = "$before" ] || sandbox_fail "up on a running sandbox restarted something"

step "up with other options replaces it: 5 nodes, GTID, candidate 4"
out=$(sandbox_cmd up --dir "$D" --nodes 5 --gtid --candidate 4 --base-ip "$base")
grep -q "replacing it" <<<"$out" || sandbox_fail "up with other options: $out"
# shellcheck disable=SC2086
none_left $before
status=$(sandbox_cmd status --dir "$D")
for h in 2 3 4 5; do
    grep -q "^host$h $(addr "$h") mysqld=running replica read_only source=$(addr 1) io=Yes sql=Yes gtid=Slave_Pos agent=health=200 " <<<"$status" \
        || { echo "$status"; sandbox_fail "host$h of 5"; }
done
for h in 1 2 3 4 5; do
    [ "$(sandbox_sql "$D" "$h" "SELECT @@server_id")" = "$h" ] || sandbox_fail "host$h server_id"
done
[ "$(awk '/^\[/ {section = $0} /^candidate_master=1$/ {print section}' "$D/app.cnf")" = "[server4]" ] \
    || sandbox_fail "candidate_master is not on server4 alone"
sandbox_cmd down --dir "$D" >/dev/null
[ ! -e "$D" ] || sandbox_fail "down left $D"
nothing_listens 5

for sig in TERM KILL; do
    step "down on a half-started D: its up killed by SIG$sig once the servers were starting"
    "$SANDBOX_TOOL" up --dir "$D" --nodes 2 --base-ip "$base" >"$D.up.out" 2>&1 &
    up=$!
    wait_for 60 test -s "$D/host2/mysqld.pid" || sandbox_fail "up never started host2's mysqld"
    kill -"$sig" "$up"
    rc=0
    wait "$up" || rc=$?
    pids=$(sandbox_pids "$D")
    if [ "$sig" = TERM ]; then
        [ "$rc" = 130 ] || { cat "$D.up.out"; sandbox_fail "up after SIGTERM: exit $rc, expected 130"; }
        grep -q "up interrupted: stopped what it had started" "$D.up.out" || sandbox_fail "$(cat "$D.up.out")"
        # shellcheck disable=SC2086
        none_left $pids  # an interrupted up stops its own processes
    fi
    rm -f "$D.up.out"
    sandbox_cmd down --dir "$D"
    [ ! -e "$D" ] || sandbox_fail "down on a half-started D left it"
    # shellcheck disable=SC2086
    none_left $pids
    nothing_listens 2
done

# A test script that sources the fixture, brings a sandbox up and is then stopped from outside.
# env --default-signal: a background job of a non-interactive shell starts with SIGINT ignored.
child=$(dirname "$D")/child.sh
cat >"$child" <<'EOF'
set -euo pipefail
source "$MHA_SOURCE/tests/support/sandbox-fixture.sh"
sandbox_start D --nodes 2 --base-ip "$2" >/dev/null
echo "$D $_sandbox_state" >"$1.tmp"
mv "$1.tmp" "$1"
while :; do sleep 0.2; done
EOF
for sig in TERM INT KILL; do
    step "a test killed by SIG$sig still tears its sandbox down"
    info=$(dirname "$D")/child-$sig
    env --default-signal=INT bash "$child" "$info" "$base" >"$info.out" 2>&1 &
    pid=$!
    wait_for 60 test -s "$info" || { cat "$info.out"; sandbox_fail "the child test did not come up"; }
    read -r cd state <"$info"
    pids=$(sandbox_pids "$cd")
    [ -n "$pids" ] || sandbox_fail "the child's sandbox recorded no pids"
    kill -"$sig" "$pid"
    wait "$pid" || true
    wait_for 30 test ! -e "$cd" || { cat "$info.out"; sandbox_fail "SIG$sig: $cd still exists"; }
    wait_for 10 test ! -e "$state" || sandbox_fail "SIG$sig: the watchdog's $state still exists"
    # shellcheck disable=SC2086
    none_left $pids
    nothing_listens 2
    if [ "$sig" = KILL ]; then
        grep -q "ended without tearing down" "$state.log" || sandbox_fail "no watchdog log in $state.log"
        rm -f "$state.log"
    else
        [ ! -e "$state.log" ] || sandbox_fail "the watchdog acted although the test cleaned up"
    fi
    rm -f "$info" "$info.out"
done
rm -f "$child"
echo "PASS"
