# Scenario (issue 24): ping_type=CONNECT, then ping_type=INSERT, as in MHA. One sandbox:
#  1. CONNECT: the monitor lock stays on one connection while every ping opens a new one; a
#     second manager refuses; kill-mysqld → failover (--remove_dead_master_conf), nothing lost;
#  2. INSERT on the new topology: infra.chk_masterha is written on every ping (and replicated);
#     read_only on the healthy master stops nothing; a second manager refuses; kill-mysqld →
#     failover to the last host, nothing lost.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.40.31}
sandbox_addresses "$base"
sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
LOCK=MHA_Master_High_Availability_Monitor
mkdir -p "$D/manager" "$D/manager2"
lock_holder() { sandbox_sql "$D" "$1" "SELECT IFNULL(IS_USED_LOCK('$LOCK'), 0)"; }
second_refuses() {  # master host index
    local rc=0 holder
    holder=$(lock_holder "$1")
    timeout 60 "$MHA_BIN/mha-manager" --conf="$CONF" --workdir="$D/manager2" \
        --manager_log="$D/manager2/manager.log" >/dev/null 2>&1 || rc=$?
    [ "$rc" = 1 ] || { cat "$D/manager2/manager.log"; sandbox_fail "a second manager started (exit $rc)"; }
    grep -q "advisory lock is already held by someone: .* held by connection $holder (" "$D/manager2/manager.log" \
        || { cat "$D/manager2/manager.log"; sandbox_fail "the refusal does not name connection $holder"; }
}
fail_over() {  # master host index, expected new master index, load seconds
    local rc=0
    "$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds "$3" --acked "$D/acked$1" >"$D/load$1.out" 2>&1 &
    local load=$!
    sandbox_bg $load
    sleep 2
    sandbox_cmd kill-mysqld --dir "$D" "$1"
    for _ in $(seq 1 600); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
    kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "no failover in 60 s"; }
    wait $manager || rc=$?
    [ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }
    grep -q "Master failover to $(addr "$2")(.*) completed successfully." "$LOG" \
        || { cat "$LOG"; sandbox_fail "no failover to host$2"; }
    wait $load || true
    "$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked$1" || { cat "$LOG"; sandbox_fail "verify"; }
}

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

step "1. ping_type=CONNECT"
sed -i 's/^ping_interval=1$/ping_interval=1\nping_type=CONNECT/' "$CONF"
start_manager
grep -q "Ping(CONNECT) succeeded" "$LOG" || { cat "$LOG"; sandbox_fail "not a CONNECT ping"; }
first=$(lock_holder 1)
connections=$(sandbox_sql "$D" 1 "SHOW GLOBAL STATUS LIKE 'Connections'" | awk '{print $2}')
sleep 3.5
[ "$(lock_holder 1)" = "$first" ] && [ "$first" != 0 ] \
    || sandbox_fail "the monitor lock moved or was lost under CONNECT pings ($first -> $(lock_holder 1))"
more=$(( $(sandbox_sql "$D" 1 "SHOW GLOBAL STATUS LIKE 'Connections'" | awk '{print $2}') - connections ))
[ "$more" -ge 3 ] || sandbox_fail "only $more new connections in 3.5 s of CONNECT pings"
echo "lock kept on connection $first; $more new connections in 3.5 s"
second_refuses 1
fail_over 1 2 6
grep -q "^\[server1\]" "$CONF" && sandbox_fail "--remove_dead_master_conf left [server1]"

step "2. ping_type=INSERT on the new topology (host2 master, host3 replica)"
sed -i 's/^ping_type=CONNECT$/ping_type=INSERT/' "$CONF"
start_manager --ignore_last_failover
grep -q "Ping(INSERT) succeeded" "$LOG" || { cat "$LOG"; sandbox_fail "not an INSERT ping"; }
sleep 2
age=$(sandbox_sql "$D" 2 "SELECT UNIX_TIMESTAMP() - val FROM infra.chk_masterha WHERE \`key\` = 1")
[ -n "$age" ] && [ "$age" -le 2 ] || { cat "$LOG"; sandbox_fail "infra.chk_masterha not written by the pings (age '$age')"; }
echo "infra.chk_masterha written ${age} s ago"
step "read_only on the healthy master for 3 s: no failover"
sandbox_sql "$D" 2 "SET GLOBAL read_only=1"
sleep 3
sandbox_sql "$D" 2 "SET GLOBAL read_only=0"
kill -0 $manager 2>/dev/null || { cat "$LOG"; sandbox_fail "the manager exited over read_only"; }
grep -q "Got error on MySQL insert ping" "$LOG" && { cat "$LOG"; sandbox_fail "a ping failed over read_only"; }
second_refuses 2
fail_over 2 3 4
sandbox_sql "$D" 3 "SELECT COUNT(*) FROM infra.chk_masterha" | grep -qx 1 \
    || sandbox_fail "infra.chk_masterha did not replicate"
echo PASS
