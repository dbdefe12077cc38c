# Scenario (issue 24): agents WITHOUT pid_file in agent.cnf and an MHA app.cnf carrying every
# SSH/node-tool key. One sandbox, in order:
#  1. one start-up line names the keys that mean nothing here; `mhactl topology` prints node_label;
#     `tail -F manager.log` sees "Ping(SELECT) succeeded" while the manager runs;
#  2. a 2-interval partition of the manager's SQL path to the healthy master: no failover, and
#     the log says why (its agent, which learned @@pid_file, gets an answer locally);
#  3. a second mha-manager refuses, naming the first (same workdir: its pid; another workdir: the
#     lock holder's connection); the first's session KILLed on the master: the lock is taken
#     back, and a second manager still refuses;
#  4. the manager SIGKILLed: its log ends with its last logged line; a manager whose lock was
#     taken by someone else while it reconnected exits, naming the holder;
#  5. kill-mysqld under load: failover at once on the crash path (the agent knows the process
#     is gone), nothing acknowledged lost.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.40.11}
sandbox_addresses "$base"
sandbox_start D --nodes 3 --no-gtid --base-ip "$base" --agent-no-pid-file || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
LOCK=MHA_Master_High_Availability_Monitor
mkdir -p "$D/manager" "$D/manager2"
status_code() { local rc=0; "$MHA_BIN/masterha_check_status" --conf="$CONF" >/dev/null 2>&1 || rc=$?; echo $rc; }
wait_status() {  # code, seconds
    local _
    for _ in $(seq 1 $(( $2 * 10 ))); do [ "$(status_code)" = "$1" ] && return 0; sleep 0.1; done
    return 1
}
lock_holder() { sandbox_sql "$D" 1 "SELECT IFNULL(IS_USED_LOCK('$LOCK'), 0)"; }
wait_log() {  # pattern, seconds, file
    local _
    for _ in $(seq 1 $(( $2 * 10 ))); do grep -q -- "$1" "$3" && return 0; sleep 0.1; done
    return 1
}
# A second manager; its exit code and output in $second_rc / $D/second.out.
second_manager() {
    second_rc=0
    timeout 60 "$MHA_BIN/mha-manager" --conf="$CONF" "$@" >"$D/second.out" 2>&1 || second_rc=$?
}

grep -q '^pid_file' "$D/host1/agent.cnf" && sandbox_fail "setup: agent.cnf still sets pid_file"
grep -q "mysqld's pid file is $D/host1/mysqld.pid (its @@pid_file" "$D/host1/agent.log" \
    || { cat "$D/host1/agent.log"; sandbox_fail "the agent did not learn @@pid_file"; }

step "1. MHA's SSH/node-tool keys and node_label in app.cnf"
sed -i 's/^ping_interval=1$/ping_interval=1\nssh_user=root\nssh_port=2222\nssh_options=-q\nssh_connection_timeout=7\nclient_bindir=\/usr\/bin\nclient_libdir=\/usr\/lib64\nhandle_raw_binlog=1\nremote_workdir=\/var\/tmp/' "$CONF"
sed -i "s/^\[server2\]$/[server2]\nssh_host=$(addr 2)\nnode_label=db-two/" "$CONF"
topo=$("$MHA_BIN/mhactl" topology --conf="$CONF") || { echo "$topo"; sandbox_fail "mhactl topology"; }
echo "$topo"
echo "$topo" | grep -q "+--$(addr 2)(.*) (db-two)  lag=" || sandbox_fail "topology lacks node_label"

tail -n +1 -F -s 0.1 "$LOG" >"$D/tail.out" 2>/dev/null &
sandbox_bg $!
started=$(date +%s.%N)
"$MHA_BIN/mha-manager" --conf="$CONF" >"$D/manager.out" 2>&1 &
manager=$!
sandbox_bg $manager
for _ in $(seq 1 100); do
    grep -q "Ping(SELECT) succeeded, waiting until MySQL doesn't respond" "$D/tail.out" && break
    kill -0 $manager 2>/dev/null || { cat "$D/manager.out" "$LOG"; sandbox_fail "manager exited"; }
    sleep 0.1
done
seen=$(date +%s.%N)
grep -q "Ping(SELECT) succeeded" "$D/tail.out" || { cat "$LOG"; sandbox_fail "tail -F never saw the Ping line"; }
took=$(awk "BEGIN{printf \"%.2f\", $seen - $started}")
echo "tail -F saw 'Ping(SELECT) succeeded' $took s after the manager started"
awk "BEGIN{exit !($took < 2)}" || sandbox_fail "tail -F saw the Ping line only after $took s"
[ "$(grep -c "no meaning without SSH and MHA's Perl node tools" "$LOG")" = 1 ] \
    || { cat "$LOG"; sandbox_fail "not exactly one line about the inert keys"; }
grep "no meaning without SSH" "$LOG" | grep -q "client_bindir, client_libdir, handle_raw_binlog, master_binlog_dir, remote_workdir, ssh_connection_timeout, ssh_host, ssh_options, ssh_port:" \
    || { grep "no meaning" "$LOG"; sandbox_fail "the line does not name every inert key"; }
wait_status 0 10 || { cat "$LOG"; sandbox_fail "no PING_OK"; }

step "2. the manager's SQL path to the healthy master partitioned for 2.5 s: no failover"
sandbox_cmd partition --dir "$D" 1
sleep 2.5
sandbox_cmd heal --dir "$D" 1
wait_status 0 15 || { cat "$LOG"; sandbox_fail "monitoring did not resume after heal"; }
kill -0 $manager 2>/dev/null || { cat "$LOG"; sandbox_fail "manager exited during a partition"; }
grep -q "The master's agent: mysqld running (pid [0-9]*), answers locally: yes" "$LOG" \
    || { cat "$LOG"; sandbox_fail "the log lacks the agent's evidence"; }
grep -q "does not answer the manager, but its own agent gets an answer from it locally: no failover." "$LOG" \
    || { cat "$LOG"; sandbox_fail "the log does not say why there is no failover"; }
grep -q "is down" "$LOG" && { cat "$LOG"; sandbox_fail "a healthy master was declared down"; }
[ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 0 ] || sandbox_fail "master touched by a partition"
# MHA bug #139: its reconnect did not take the monitor lock again.
grep -q "Took the monitor advisory lock back on the new connection" "$LOG" \
    || { cat "$LOG"; sandbox_fail "the monitor lock was not taken back after the partition"; }
[ "$(lock_holder)" != 0 ] || sandbox_fail "nobody holds the monitor lock after the partition"

step "3. a second manager refuses, naming the first"
second_manager
[ "$second_rc" = 1 ] || { cat "$D/second.out"; sandbox_fail "second manager (same workdir) exit $second_rc"; }
grep -q "mha-manager pid $manager (PING_OK, status file .*) already monitors app: refusing" "$LOG" \
    || { tail -5 "$LOG"; sandbox_fail "the refusal does not name the first manager"; }
wait_status 0 5 || sandbox_fail "the refused manager changed the status file"
holder=$(lock_holder)
[ "$holder" != 0 ] || sandbox_fail "nobody holds the monitor lock"
second_manager --workdir="$D/manager2" --manager_log="$D/manager2/manager.log"
[ "$second_rc" = 1 ] || { cat "$D/manager2/manager.log"; sandbox_fail "second manager (own workdir) exit $second_rc"; }
grep -q "advisory lock is already held by someone: the monitor advisory lock is held by connection $holder (" "$D/manager2/manager.log" \
    || { cat "$D/manager2/manager.log"; sandbox_fail "the refusal does not name the lock holder $holder"; }

step "3b. the first manager's session KILLed on the master: it takes the lock back"
sandbox_sql "$D" 1 "KILL $holder"
new_holder=0
for _ in $(seq 1 100); do
    new_holder=$(lock_holder)
    [ "$new_holder" != 0 ] && [ "$new_holder" != "$holder" ] && break
    sleep 0.1
done
[ "$new_holder" != 0 ] && [ "$new_holder" != "$holder" ] || { cat "$LOG"; sandbox_fail "the lock was not taken back"; }
wait_log "Took the monitor advisory lock back on the new connection $new_holder" 5 "$LOG" \
    || { cat "$LOG"; sandbox_fail "no log line about the lock taken back"; }
kill -0 $manager 2>/dev/null || sandbox_fail "the first manager exited"
second_manager --workdir="$D/manager2" --manager_log="$D/manager2/manager.log"
[ "$second_rc" = 1 ] || sandbox_fail "after the KILL a second manager started (exit $second_rc)"
grep -q "held by connection $new_holder (" "$D/manager2/manager.log" \
    || { cat "$D/manager2/manager.log"; sandbox_fail "the refusal does not name the new holder"; }
echo "lock held by connection $holder, KILLed, taken back by connection $new_holder"

step "4. the manager SIGKILLed: its log ends with its last logged line"
sleep 1
kill -9 $manager
wait $manager 2>/dev/null || true
last=$(tail -n 1 "$LOG")
case "$last" in
    *"Took the monitor advisory lock back on the new connection $new_holder"*) ;;
    *) tail -3 "$LOG"; sandbox_fail "the log ends with '$last'";;
esac
[ "$(tail -c 1 "$LOG" | od -An -c | tr -d ' ')" = '\n' ] || sandbox_fail "the last line is cut"

step "4b. someone else takes the lock the moment the manager's session is KILLed: it exits"
manager_start manager "$CONF"
holder=$(lock_holder)
sandbox_sql "$D" 1 "KILL $holder; SELECT GET_LOCK('$LOCK', 5); SELECT SLEEP(5)" >"$D/intruder.out" &
intruder=$!
sandbox_bg $intruder
rc=0
for _ in $(seq 1 100); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
wait $manager || rc=$?
[ "$rc" = 1 ] || { cat "$LOG"; sandbox_fail "the manager kept monitoring without the lock (exit $rc)"; }
grep -q "the monitor advisory lock is held by connection [0-9]* (root@localhost.*) while reconnecting: another manager monitors $(addr 1) now. Exiting" "$LOG" \
    || { tail -5 "$LOG"; sandbox_fail "no log line naming the lock's new holder"; }
wait $intruder || true

step "5. kill-mysqld under load: the crash path, as fast as with pid_file set"
manager_start manager "$CONF"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 8 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 2
sandbox_cmd kill-mysqld --dir "$D" 1
killed=$(date +%s.%N)
for _ in $(seq 1 100); do
    [ "$(status_code)" = 0 ] || break
    sleep 0.05
done
noticed=$(date +%s.%N)
for _ in $(seq 1 600); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
rc=0
wait $manager || rc=$?
done_at=$(date +%s.%N)
[ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }
echo "failover finished $(awk "BEGIN{printf \"%.2f\", $done_at - $killed}") s after the kill"
# zombie: exited, not yet reaped; absent: reaped (the pid file, learned, names no process)
grep -Eq "is down: its agent reports mysqld (zombie|absent \(no process [0-9]+ \(from $D/host1/mysqld.pid\)\))" "$LOG" \
    || { cat "$LOG"; sandbox_fail "not the crash path"; }
echo "the manager left PING_OK $(awk "BEGIN{printf \"%.2f\", $noticed - $killed}") s after the kill"
grep -q "Master failover to .* completed successfully." "$LOG" || { cat "$LOG"; sandbox_fail "not completed"; }
wait $load || true
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$LOG"; sandbox_fail "verify"; }
echo PASS
