# Scenarios 8 and 10 of issue 15 on one sandbox (3 nodes, file/position, `app` load running):
#  10. The manager is killed (SIGKILL) in the middle of a failover, while the master IP hook
#      hangs: the journal names the phase; a new manager and a manual failover both refuse
#      (also with --ignore_last_failover) until the operator removes the journal.
#   8. Hooks that fail or hang, with MHA's rules: master_ip_failover_script --command=stop
#      exiting 1 stops the failover before anything is promoted (failover.error written); one
#      that hangs is killed after hook_timeout and stops it too; exit 10 means "proceed";
#      a failing report_script does not change the result. Then `verify` finds nothing lost.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.0.151}
sandbox_addresses "$base"

sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
JOURNAL=$D/manager/app.failover.journal
ERROR_FILE=$D/manager/app.failover.error
mkdir -p "$D/manager"

# The IP hook does what $D/hook.mode says on --command=stop|stopssh; status and start succeed.
# Every call is appended to $D/hook.calls.
cat >"$D/ip-hook" <<EOF
#!/bin/sh
echo "\$*" >>"$D/hook.calls"
case "\$1" in
    --command=stop|--command=stopssh) ;;
    *) exit 0 ;;
esac
case "\$(cat "$D/hook.mode")" in
    hang) echo \$\$ >"$D/hook.pid"; exec sleep 300 ;;
    fail) echo "cannot reach the load balancer" >&2; exit 1 ;;
    proceed) exit 10 ;;
    *) exit 0 ;;
esac
EOF
cat >"$D/report-hook" <<EOF
#!/bin/sh
echo "\$*" >>"$D/report.calls"
exit 3
EOF
chmod +x "$D/ip-hook" "$D/report-hook"
echo hang >"$D/hook.mode"
sed -i "s|^\[server default\]\$|[server default]\nmaster_ip_failover_script=$D/ip-hook\nreport_script=$D/report-hook\nhook_timeout=60|" "$CONF"

switch_dead() {
    "$MHA_BIN/masterha_master_switch" --conf="$CONF" --master_state=dead \
        --dead_master_host="$(addr 1)" --interactive=0 "$@"
}
replicas_read_only() {
    [ "$(sandbox_sql "$D" 2 'SELECT @@read_only')" = 1 ] && [ "$(sandbox_sql "$D" 3 'SELECT @@read_only')" = 1 ]
}

step "manager starts watching; load starts (app account)"
manager_start manager "$CONF"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 120 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 2

step "scenario 10: the master dies; the manager is killed while the IP hook hangs"
sandbox_cmd kill-mysqld --dir "$D" 1
for _ in $(seq 1 200); do [ -s "$D/hook.pid" ] && break; sleep 0.05; done
[ -s "$D/hook.pid" ] || { cat "$LOG"; sandbox_fail "the failover never called the IP hook"; }
kill -KILL $manager
wait $manager 2>/dev/null || true
hook_pid=$(cat "$D/hook.pid")
kill "$hook_pid" 2>/dev/null || true  # the hook outlives the killed manager: it is ours to end
tail -1 "$JOURNAL" | grep -q '"phase":"FenceOldMaster"' \
    || { cat "$JOURNAL"; sandbox_fail "the journal does not say the failover stopped in FenceOldMaster"; }
echo "journal: $(tail -1 "$JOURNAL")"

step "a new manager refuses to start; a manual failover refuses, even with --ignore_last_failover"
rc=0
"$MHA_BIN/mha-manager" --conf="$CONF" >"$D/manager2.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || sandbox_fail "a second manager started over an unfinished failover"
grep -q "A previous failover stopped in the middle (last phase: FenceOldMaster)" "$LOG" \
    || { tail -5 "$LOG"; sandbox_fail "the new manager does not name the unfinished failover"; }
rc=0
switch_dead --ignore_last_failover >"$D/switch1.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "A previous failover stopped in the middle" "$D/switch1.out" \
    || { cat "$D/switch1.out"; sandbox_fail "manual failover not refused over the journal (rc $rc)"; }
replicas_read_only || sandbox_fail "a replica became writable while failover was refused"

step "scenario 8: the operator removes the journal; the IP hook fails (exit 1): failover stops"
rm -f "$JOURNAL"
echo fail >"$D/hook.mode"
rc=0
switch_dead >"$D/switch2.out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$D/switch2.out"; sandbox_fail "a failing stop hook: expected exit 1, got $rc"; }
grep -q "Failed to deactivate master IP with return code 1" "$D/switch2.out" \
    || { cat "$D/switch2.out"; sandbox_fail "the error does not name the hook's return code"; }
replicas_read_only || sandbox_fail "a replica was promoted although the stop hook failed"
[ -f "$ERROR_FILE" ] || sandbox_fail "no failover.error after a failed failover"

step "the IP hook hangs: killed after hook_timeout=2, failover stops"
rm -f "$ERROR_FILE" "$D/hook.pid"
echo hang >"$D/hook.mode"
sed -i 's/^hook_timeout=60$/hook_timeout=2/' "$CONF"
started=$(date +%s.%N)
rc=0
switch_dead >"$D/switch3.out" 2>&1 || rc=$?
took=$(awk "BEGIN{printf \"%.1f\", $(date +%s.%N) - $started}")
[ "$rc" = 1 ] || { cat "$D/switch3.out"; sandbox_fail "a hanging stop hook: expected exit 1, got $rc"; }
grep -q "no answer within hook_timeout=2 s (killed)" "$D/switch3.out" \
    || { cat "$D/switch3.out"; sandbox_fail "the error does not say the hook was killed"; }
awk "BEGIN{exit !($took < 15)}" || sandbox_fail "the hung hook held the failover for $took s"
hook_pid=$(cat "$D/hook.pid")
sleep 0.2
# Killed means gone or a zombie waiting for its reaper (the hook runs under /bin/sh -c).
state=$(ps -o stat= -p "$hook_pid" 2>/dev/null || true)
case "$state" in ""|Z*) ;; *) sandbox_fail "the hung hook (pid $hook_pid, state $state) is still running" ;; esac
replicas_read_only || sandbox_fail "a replica was promoted although the stop hook hung"
echo "failover stopped after $took s; the hook was killed"

step "the IP hook exits 10 (proceed), report_script fails: failover completes"
rm -f "$ERROR_FILE"
echo proceed >"$D/hook.mode"
rc=0
switch_dead >"$D/switch4.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat "$D/switch4.out"; sandbox_fail "exit 10 from the stop hook: expected success, got $rc"; }
grep -q "Master failover to $(addr 2).* completed successfully." "$D/switch4.out" \
    || { cat "$D/switch4.out"; sandbox_fail "not completed"; }
grep -q "report_script failed with return code 3; the failover result stands." "$D/switch4.out" \
    || { cat "$D/switch4.out"; sandbox_fail "the failing report_script is not reported"; }
grep -q -- "--command=start .*--new_master_host=$(addr 2)" "$D/hook.calls" \
    || { cat "$D/hook.calls"; sandbox_fail "the IP hook was not called with --command=start for the new master"; }
grep -q -- "--new_master_host=$(addr 2)" "$D/report.calls" || sandbox_fail "report_script was not called"
grep -q -- "--new_master_password=$MHA_PASSWORD" "$D/hook.calls" \
    || sandbox_fail "the IP hook did not get --new_master_password (MHA passes it)"
! grep -qF "$MHA_PASSWORD" "$D/switch4.out" || sandbox_fail "the password appears in the failover's output"
! grep -qF "$MHA_PASSWORD" "$LOG" || sandbox_fail "the password appears in the manager log"

step "load ends; verify finds nothing lost"
sleep 2
kill -TERM $load
wait $load || true
tail -2 "$D/load.out"
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || sandbox_fail "verify"
echo PASS
