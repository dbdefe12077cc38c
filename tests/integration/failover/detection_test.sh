# Scenario (issue 15, detection): a partition between the manager and the master alone, and a
# freeze shorter than MHA's four failed pings, never fail over; a freeze longer than that
# does, after the frozen master is fenced (killed), with nothing acknowledged lost.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.0.136}
sandbox_addresses "$base"

sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
status_code() { local rc=0; "$MHA_BIN/masterha_check_status" --conf="$CONF" >/dev/null 2>&1 || rc=$?; echo $rc; }
wait_status() {  # code, seconds
    local _
    for _ in $(seq 1 $(( $2 * 10 ))); do [ "$(status_code)" = "$1" ] && return 0; sleep 0.1; done
    return 1
}

"$MHA_BIN/mha-manager" --conf="$CONF" >"$D/manager.out" 2>&1 &
manager=$!
sandbox_bg $manager
wait_status 0 10 || { cat "$LOG"; sandbox_fail "manager never reached PING_OK"; }

step "partition between the manager and the master for 12 s: no failover"
sandbox_cmd partition --dir "$D" 1
sleep 12
kill -0 $manager 2>/dev/null || { cat "$LOG"; sandbox_fail "manager exited during a partition"; }
grep -q "does not answer the manager, but .*: no failover." "$LOG" \
    || { cat "$LOG"; sandbox_fail "no log line about the partition"; }
sandbox_cmd heal --dir "$D" 1
wait_status 0 10 || { cat "$LOG"; sandbox_fail "monitoring did not resume after heal"; }
[ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 0 ] || sandbox_fail "master touched by a partition"

step "freeze shorter than the threshold (2 s): no failover"
sandbox_cmd freeze --dir "$D" 1
sleep 2
sandbox_cmd thaw --dir "$D" 1
wait_status 0 10 || { cat "$LOG"; sandbox_fail "monitoring did not resume after a short freeze"; }
kill -0 $manager 2>/dev/null || sandbox_fail "manager exited after a short freeze"

step "freeze longer than the threshold under load: fenced, failover, nothing lost"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 15 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 2
frozen_pid=$(cat "$D/host1/mysqld.pid")
sandbox_cmd freeze --dir "$D" 1
for _ in $(seq 1 300); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "no failover 30 s into a freeze"; }
rc=0; wait $manager || rc=$?
[ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }
grep -q "Master failover to .* completed successfully." "$LOG" || { cat "$LOG"; sandbox_fail "not completed"; }
grep -q "Fenced .* through its agent: killed" "$LOG" || { cat "$LOG"; sandbox_fail "frozen master not fenced by SIGKILL"; }
if kill -0 "$frozen_pid" 2>/dev/null && [ "$(awk '{print $3}' /proc/"$frozen_pid"/stat)" != Z ]; then
    sandbox_fail "the frozen mysqld still exists"
fi
wait $load || true
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$LOG"; sandbox_fail "verify"; }
echo PASS
