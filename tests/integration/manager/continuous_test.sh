# Scenario (issue 30, continuous mode): `continuous=1` in the app config. Under the app load the
# master's mysqld is killed: the manager fails over to host2 and, in the same process, watches
# host2 (PING_OK, master host2) with host1's block commented out of the config.
#   WINDOW=0 (--last_failover_minute=0, 4 nodes): host2's mysqld is killed too: a second
#            failover, to host3 or host4 (the latest), by the same process, which then watches
#            it (the other its replica); verify finds nothing lost across both; both dead
#            masters' blocks are commented out, never lost.
#   AUTO_REJOIN=1 (auto_rejoin=1 too): host1 restarted fenced is rejoined by the manager as a
#            replica of host2 (the log says so) and holds every acknowledged row (verify).
#   MHA_NAME=1: run as masterha_manager, continuous=1 is ignored: MHA's exit after the failover
#            (0), the config untouched.
#   WINDOW=default (480 min): the second crash is refused: the log says "Last failover was done
#            at", the manager stays up, and masterha_check_status says FAILOVER_ERROR and why.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.96.71}
window=${WINDOW:-0}
sandbox_addresses "$base"

nodes=3
[ "$window" = 0 ] && nodes=4
sandbox_start D --nodes "$nodes" --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"
sed -i 's/^\[server default\]$/[server default]\ncontinuous=1/' "$CONF"
[ "${AUTO_REJOIN:-0}" = 1 ] && sed -i 's/^\[server default\]$/[server default]\nauto_rejoin=1/' "$CONF"
status_out() { "$MHA_BIN/masterha_check_status" --conf="$CONF" 2>&1 || true; }
wait_ping_ok() {  # master address
    local _
    for _ in $(seq 1 300); do
        status_out | grep -q "PING_OK), master:$1" && return 0
        kill -0 "$manager" 2>/dev/null || { cat "$LOG"; sandbox_fail "the manager exited"; }
        sleep 0.1
    done
    status_out; cat "$LOG"; sandbox_fail "the manager does not watch $1"
}

if [ "${MHA_NAME:-0}" = 1 ]; then
    step "masterha_manager with continuous=1: MHA's one-shot exit"
    cp "$CONF" "$D/app.cnf.before"
    "$MHA_BIN/masterha_manager" --conf="$CONF" >"$D/manager.out" 2>&1 &
    manager=$!
    sandbox_bg "$manager"
    wait_ping_ok "$(addr 1)"
    sandbox_cmd kill-mysqld --dir "$D" 1
    for _ in $(seq 1 600); do kill -0 "$manager" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$manager" 2>/dev/null && { cat "$LOG"; sandbox_fail "masterha_manager did not exit after the failover"; }
    rc=0
    wait "$manager" || rc=$?
    [ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "masterha_manager exit $rc"; }
    grep -q "Master failover to $(addr 2).* completed successfully" "$LOG" || { cat "$LOG"; sandbox_fail "no failover"; }
    cmp -s "$CONF" "$D/app.cnf.before" || { diff "$D/app.cnf.before" "$CONF"; sandbox_fail "the config was changed"; }
    grep -q "Continuous mode" "$LOG" && sandbox_fail "masterha_manager went continuous"
    echo PASS
    exit 0
fi

step "manager starts (continuous=1); load starts"
flags=()
[ "$window" = 0 ] && flags=(--last_failover_minute=0)
"$MHA_BIN/mha-manager" --conf="$CONF" "${flags[@]}" >"$D/manager.out" 2>&1 &
manager=$!
sandbox_bg "$manager"
wait_ping_ok "$(addr 1)"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 12 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg "$load"
sleep 2

step "host1's mysqld dies: failover to host2, and the same process watches host2"
sandbox_cmd kill-mysqld --dir "$D" 1
wait_ping_ok "$(addr 2)"
grep -q "Master failover to $(addr 2).* completed successfully" "$LOG" || { cat "$LOG"; sandbox_fail "first failover"; }
grep -q "^#\[server1\]$" "$CONF" || { cat "$CONF"; sandbox_fail "host1's block is not commented out"; }
grep -q "^# mha-manager: the dead master \[server1\] was failed over to $(addr 2) at " "$CONF" \
    || { cat "$CONF"; sandbox_fail "no note above host1's block"; }
grep -q "^#hostname=$(addr 1)$" "$CONF" || { cat "$CONF"; sandbox_fail "host1's block is lost"; }
status_out | grep -q "^Last failover: started .*, ended (Done)" || { status_out; sandbox_fail "status lacks the last failover"; }
sleep 2

if [ "${AUTO_REJOIN:-0}" = 1 ]; then
    step "host1 restarts fenced: the manager rejoins it as a replica of host2"
    sandbox_cmd start-mysqld --dir "$D" 1
    for _ in $(seq 1 300); do
        grep -q "auto_rejoin: $(addr 1) replicates from $(addr 2) (file/position), caught up, read_only." "$LOG" && break
        sleep 0.1
    done
    grep -q "auto_rejoin: $(addr 1) replicates from $(addr 2) (file/position), caught up, read_only." "$LOG" \
        || { cat "$LOG"; sandbox_fail "host1 was not rejoined within 30 s"; }
    [ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 1 ] || sandbox_fail "host1 is writable"
    wait "$load" || true
    "$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/verify.out" 2>&1 || { cat "$D/verify.out" "$LOG"; sandbox_fail "verify"; }
    cat "$D/verify.out"
    grep -q "^verify: master $(addr 2), replicas .*$(addr 1)" "$D/verify.out" || sandbox_fail "host1 is not a replica of host2"
    "$MHA_BIN/masterha_check_status" --conf="$CONF" | grep -q "^Rejoin pending" && sandbox_fail "status still says rejoin pending"
    kill -TERM "$manager"
    wait "$manager" || true
    echo PASS
    exit 0
fi

step "host2's mysqld dies too"
sandbox_cmd kill-mysqld --dir "$D" 2
if [ "$window" = 0 ]; then
    # host3 or host4: whichever received more before host2 died (the latest wins, no candidate).
    for _ in $(seq 1 300); do
        [ "$(grep -c "Master failover to .* completed successfully" "$LOG")" = 2 ] && break
        sleep 0.1
    done
    [ "$(grep -c "Master failover to .* completed successfully" "$LOG")" = 2 ] || { cat "$LOG"; sandbox_fail "not two failovers"; }
    second=$(grep -o "Master failover to [0-9.]*" "$LOG" | tail -1 | awk '{print $4}')
    case "$second" in "$(addr 3)"|"$(addr 4)") ;; *) cat "$LOG"; sandbox_fail "second new master '$second' is not host3 or host4" ;; esac
    wait_ping_ok "$second"
    grep -q "^#\[server2\]$" "$CONF" || { cat "$CONF"; sandbox_fail "host2's block is not commented out"; }
    grep -q "^#\[server1\]$" "$CONF" || { cat "$CONF"; sandbox_fail "host1's block was lost"; }
    [ "$(grep -c "Starting failover" "$LOG")" = 2 ] || sandbox_fail "expected two failovers in one log"
    step "load ends; verify finds nothing lost across both failovers"
    wait "$load" || true
    tail -2 "$D/load.out"
    "$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$LOG"; sandbox_fail "verify"; }
else
    for _ in $(seq 1 200); do
        status_out | grep -q "FAILOVER_ERROR" && break
        sleep 0.1
    done
    status_out | grep -q "FAILOVER_ERROR" || { status_out; cat "$LOG"; sandbox_fail "status is not FAILOVER_ERROR"; }
    status_out | grep -q "^Reason: Last failover was done at " || { status_out; sandbox_fail "status does not say why"; }
    grep -q "Last failover was done at .* Current time is too early to do failover again" "$LOG" \
        || { cat "$LOG"; sandbox_fail "the log does not say why"; }
    grep -q "nothing is watched until an operator acts" "$LOG" || { cat "$LOG"; sandbox_fail "no operator line"; }
    kill -0 "$manager" || sandbox_fail "the manager exited"
    [ "$(grep -c "Master failover to .* completed successfully" "$LOG")" = 1 ] || sandbox_fail "a second failover ran"
    status_out
fi
kill -TERM "$manager"
wait "$manager" || true
echo PASS
