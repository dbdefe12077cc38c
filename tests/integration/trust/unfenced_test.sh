# Scenario (issue 24): the master's agent is killed and its mysqld frozen past MHA's four pings,
# no shutdown_script: the old master cannot be fenced. The failover goes on only because every
# replica's agent finds it silent, and says so everywhere: the Failover Report's first lines,
# the journal, the exit code (10) and `mhactl status`, which keeps saying it (also once the
# old master thaws, writable) until `mhactl fence` makes it read_only. Then the same on the new
# master with a shutdown_script: it fences, so exit 0 and no warning. Nothing acknowledged is
# lost.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.40.21}
sandbox_addresses "$base"
sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
old="$(addr 1)(.*:3306)"
mhactl_status() { local rc=0; "$MHA_BIN/mhactl" status --conf="$CONF" >"$D/status.out" 2>&1 || rc=$?; echo $rc; }

start_manager() {
    "$MHA_BIN/mha-manager" --conf="$CONF" --remove_dead_master_conf "$@" >"$D/manager.out" 2>&1 &
    manager=$!
    sandbox_bg $manager
    for _ in $(seq 1 100); do
        "$MHA_BIN/masterha_check_status" --conf="$CONF" >/dev/null 2>&1 && return 0
        kill -0 $manager 2>/dev/null || { cat "$D/manager.out" "$LOG"; sandbox_fail "manager exited at start"; }
        sleep 0.1
    done
    cat "$LOG"; sandbox_fail "manager never reached PING_OK"
}

# The load ends before the fault: with the old master's agent gone its binlog cannot be saved,
# so a write acknowledged in the instant before the freeze, not yet sent to a replica, would be
# lost whatever the manager does (asynchronous replication).
step "manager starts; a load runs"
start_manager
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 3 --acked "$D/acked" >"$D/load.out" 2>&1 \
    || { cat "$D/load.out"; sandbox_fail "load"; }

step "the master's agent is killed, then its mysqld frozen"
kill -9 "$(cat "$D/host1/agent.pid")"
sandbox_cmd freeze --dir "$D" 1
for _ in $(seq 1 600); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "no failover 60 s into the freeze"; }
rc=0; wait $manager || rc=$?
[ "$rc" = 10 ] || { cat "$LOG"; sandbox_fail "manager exit $rc, expected 10 (done, old master NOT fenced)"; }

step "the report's first lines, the journal and the log say the old master is NOT fenced"
report=$(sed -n '/----- Failover Report -----/,$p' "$LOG")
echo "$report" | head -6
echo "$report" | sed -n 3p | grep -q "succeeded (old master NOT fenced)$" \
    || sandbox_fail "the report's subject does not say NOT fenced"
echo "$report" | sed -n 5p | grep -q "^WARNING: the old master $old is NOT fenced: its agent is unreachable, and no shutdown_script is set; going on because it answers none of $(addr 2), $(addr 3)" \
    || sandbox_fail "the report's first lines do not say the old master is NOT fenced"
grep -q "Master failover to .* completed successfully." "$LOG" || sandbox_fail "not completed"
grep -q '"phase":"OldMasterNotFenced"' "$D/manager/app.failover.journal" \
    || { cat "$D/manager/app.failover.journal"; sandbox_fail "journal lacks OldMasterNotFenced"; }
tail -1 "$D/manager/app.failover.journal" | grep -q 'old_master_fenced=NO","phase":"Done"' \
    || { cat "$D/manager/app.failover.journal"; sandbox_fail "the journal's Done entry does not say NOT fenced"; }

step "mhactl status says it while the old master is frozen, and once it thaws (writable)"
[ "$(mhactl_status)" = 2 ] || { cat "$D/status.out"; sandbox_fail "status code"; }
grep -q "WARNING: the old master $(addr 1) is NOT fenced" "$D/status.out" \
    || { cat "$D/status.out"; sandbox_fail "mhactl status does not say NOT fenced"; }
sandbox_cmd thaw --dir "$D" 1
[ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 0 ] || sandbox_fail "setup: the thawed old master is read_only"
mhactl_status >/dev/null
grep -q "WARNING: the old master $(addr 1) is NOT fenced" "$D/status.out" \
    || { cat "$D/status.out"; sandbox_fail "the warning went away while the old master is writable"; }

step "its agent back, mhactl fence: read_only, and the warning is gone"
sandbox_cmd start-host --dir "$D" 1
"$MHA_BIN/mhactl" fence --conf="$CONF" --host="$(addr 1)" >"$D/fence.out" 2>&1 \
    || { cat "$D/fence.out"; sandbox_fail "mhactl fence"; }
cat "$D/fence.out"
grep -q "Cleared the failover's \"old master $(addr 1) NOT fenced\" record" "$D/fence.out" \
    || sandbox_fail "mhactl fence did not clear the record"
[ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 1 ] || sandbox_fail "the old master is not read_only after mhactl fence"
mhactl_status >/dev/null
grep -q "NOT fenced" "$D/status.out" && { cat "$D/status.out"; sandbox_fail "still warns after the fence"; }

"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$LOG"; sandbox_fail "verify"; }

step "with a shutdown_script, the next master's agent killed and its mysqld frozen: exit 0"
cat >"$D/shutdown.sh" <<SCRIPT
#!/bin/bash
case "\$*" in *--command=stop*) echo "\$*" >>"$D/shutdown.args"; kill -9 "\$(cat "$D/host2/mysqld.pid")";; esac
exit 0
SCRIPT
chmod +x "$D/shutdown.sh"
sed -i "s|^ping_interval=1$|ping_interval=1\nshutdown_script=$D/shutdown.sh|" "$CONF"
grep -q "^\[server1\]" "$CONF" && sandbox_fail "--remove_dead_master_conf left [server1]"
start_manager --ignore_last_failover
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 3 --acked "$D/acked2" >"$D/load2.out" 2>&1 \
    || { cat "$D/load2.out"; sandbox_fail "load 2"; }
kill -9 "$(cat "$D/host2/agent.pid")"
sandbox_cmd freeze --dir "$D" 2
for _ in $(seq 1 600); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
rc=0; wait $manager || rc=$?
[ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc with a shutdown_script that fenced"; }
grep -q -- "--command=stop --host=$(addr 2)" "$D/shutdown.args" || sandbox_fail "shutdown_script not run"
report=$(awk '/----- Failover Report -----/{n++} n==2' "$LOG")
echo "$report" | grep -q "Shut down $(addr 2)(.*) with shutdown_script" || { echo "$report"; sandbox_fail "report"; }
echo "$report" | grep -q "NOT fenced" && { echo "$report"; sandbox_fail "a fenced master reported NOT fenced"; }
mhactl_status >/dev/null
grep -q "NOT fenced" "$D/status.out" && { cat "$D/status.out"; sandbox_fail "status warns after a fenced failover"; }
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked2" || { cat "$LOG"; sandbox_fail "verify 2"; }
echo PASS
