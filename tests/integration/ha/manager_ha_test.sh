# Manager high availability on etcd (issue 33): two managers of one sandbox cluster (5 nodes,
# file/position, each manager with its own copy of the config, workdir and log) elect their
# active one in a 3-member etcd cluster started here (TLS, certificates from mha-certs).
#   1. exactly one manager is active, the other stands by and says who is active; a third,
#      the multi-cluster service (--manager_conf), stands by too: its status file, the API's
#      cluster state and /metrics say STANDBY, and it refuses a switch through its API;
#      the active manager SIGSTOPped while the master lives: the standby takes over (ending the
#      stopped one's monitor lock on the master); resumed, the stopped one stands by;
#      masterha_master_switch by hand is refused while a manager is active, and holds the
#      leader key while it runs when none is (switched to host2 by hand, and back through
#      the API of the service, then the active manager);
#   2. one etcd member killed: nothing changes;
#   3. the etcd majority lost: the active manager stands down and logs why; back: one is active;
#   4. kill -9 of the active manager: the standby is active within etcd_lease_seconds + one
#      ping interval, then detects a master crash and fails over under load; verify: nothing lost;
#   5. the active manager SIGSTOPped while the master is killed: the standby takes over and
#      fails over; the stopped one, resumed, does nothing to the cluster and says why;
#   6. the active manager killed mid-failover (the IP hook hangs): the standby takes over, sees
#      the journal in etcd, does not fail over, and its status names the phase; once the
#      operator removes the journal key it watches again;
#   7. no manager running: a failover by hand (masterha_master_switch --master_state=dead)
#      holds the leader key and writes its journal to etcd like a manager.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"
source "$MHA_SOURCE/tests/integration/ha/lib.sh"

base=${SANDBOX_BASE:-127.0.166.11}
etcd_prefix=${ETCD_PREFIX:-127.0.176}
lease=5
ping_interval=1
sandbox_addresses "$base"

sandbox_start D --nodes 5 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
etcd_cluster_start "$D/etcd" "$etcd_prefix"

# The IP hook does what $D/hook.mode says on --command=stop|stopssh; every call is logged.
cat >"$D/ip-hook" <<EOF
#!/bin/sh
echo "\$*" >>"$D/hook.calls"
case "\$1" in
    --command=stop|--command=stopssh) ;;
    *) exit 0 ;;
esac
if [ "\$(cat "$D/hook.mode")" = hang ]; then echo \$\$ >"$D/hook.pid"; exec sleep 300; fi
exit 0
EOF
chmod +x "$D/ip-hook"
echo ok >"$D/hook.mode"
: >"$D/hook.calls"
sed -i "s|^\[server default\]\$|[server default]\nmaster_ip_failover_script=$D/ip-hook\nhook_timeout=600|" "$D/app.cnf"
C1=$(ha_conf "$D/app.cnf" "$D/ha" m1)
C2=$(ha_conf "$D/app.cnf" "$D/ha" m2)
declare -A PID CONF=([m1]=$C1 [m2]=$C2) LOG=([m1]=$D/ha/m1/manager.log [m2]=$D/ha/m2/manager.log)

# A stopped manager ignores TERM until it is continued: the end of the test continues and
# kills every manager it started.
sandbox_on_exit 'for p in "${PID[@]}"; do kill -CONT "$p" 2>/dev/null; kill -KILL "$p" 2>/dev/null; done'

start() {  # start NAME
    local started_pid
    ha_manager_start started_pid "${CONF[$1]}" --ignore_last_failover
    PID[$1]=$started_pid
}
other() { [ "$1" = m1 ] && echo m2 || echo m1; }
status_code() { "$MHA_BIN/masterha_check_status" --conf="${CONF[$1]}" >/dev/null 2>&1 && echo 0 || echo $?; }
is_active() { [ "$(status_code "$1")" = 0 ]; }
is_standby() { [ "$(status_code "$1")" = 40 ]; }
# active: which manager monitors (PING_OK) while the other stands by; fails unless exactly one.
active() {
    if is_active m1 && is_standby m2; then echo m1
    elif is_active m2 && is_standby m1; then echo m2
    else return 1
    fi
}
wait_active() {
    wait_for "${1:-30}" active >/dev/null ||
        { ha_status "$C1"; ha_status "$C2"; tail -n 20 "${LOG[m1]}" "${LOG[m2]}"; sandbox_fail "no single active manager"; }
    active
}
log_since() {  # log_since NAME LINE: the manager's log from line LINE on
    tail -n +"$2" "${LOG[$1]}"
}
log_has() {  # log_has NAME LINE PATTERN: PATTERN in the manager's log from line LINE on
    tail -n +"$2" "${LOG[$1]}" | grep -q -- "$3"
}
took_over() {  # the manager no longer stands by (it is initializing or pinging)
    local c
    c=$(status_code "$1")
    [ "$c" != 40 ] && [ "$c" != 2 ]
}
lines() { wc -l <"${LOG[$1]}"; }
replica_read_only() { [ "$(sandbox_sql "$D" "$1" 'SELECT @@read_only')" = 1 ]; }

step "1. two managers, one cluster: exactly one is active"
start m1
wait_for 30 is_active m1 || { ha_status "$C1"; cat "$D/ha/m1/manager.out"; sandbox_fail "m1 never PING_OK"; }
start m2
A=$(wait_active)
S=$(other "$A")
ha_status "${CONF[$S]}" | grep -q "^Reason: standby: the active manager is .* pid ${PID[$A]} " ||
    { ha_status "${CONF[$S]}"; sandbox_fail "the standby does not name the active manager"; }
etcdctl_ha get /mha-test/app/leader --print-value-only | grep -q "pid ${PID[$A]}\"" ||
    sandbox_fail "the leader key does not name the active manager"
echo "active: $A (pid ${PID[$A]}); standby: $S: $(ha_status "${CONF[$S]}" | tail -n 1)"

step "1b. a third manager, the service (--manager_conf), stands by: status file, API, /metrics"
svc=$D/ha/svc
listen_ip=${base%.*}.50
mkdir -p "$svc/apps"
cp "$(ha_conf "$D/app.cnf" "$D/ha" m3)" "$svc/apps/app.cnf"  # app.cnf: the app is "app"
certs=$D/etcd/certs
bash "$MHA_SOURCE/certs/mha-certs" --out "$certs" --manager-server "mha-manager-server,$listen_ip" >/dev/null
cat >"$svc/manager.cnf" <<CNF
[manager]
conf_dir = $svc/apps
listen = $listen_ip:7444
tls_ca = $certs/ca.crt
tls_cert = $certs/manager-server.crt
tls_key = $certs/manager-server.key
allow_admin = mha-manager
allow_monitor = mha-monitor
log_file = $svc/service.log
CNF
"$MHA_BIN/mha-manager" --manager_conf="$svc/manager.cnf" >"$svc/service.out" 2>&1 &
PID[svc]=$!
sandbox_bg "${PID[svc]}"
api() {  # api PATH: the body, with the monitor certificate
    curl -sS --max-time 10 --cacert "$certs/ca.crt" --cert "$certs/monitor.crt" \
        --key "$certs/monitor.key" "https://$listen_ip:7444$1"
}
svc_state() { [ "$(api /api/v1/clusters 2>/dev/null | jq -r '.clusters[] | select(.app=="app") | .state')" = STANDBY ]; }
svc_status() { [ "$("$MHA_BIN/masterha_check_status" --conf="$svc/apps/app.cnf" >/dev/null 2>&1; echo $?)" = 40 ]; }
wait_for 30 svc_status || { ha_status "$svc/apps/app.cnf"; tail -n 20 "$svc/service.log"; sandbox_fail "the service does not stand by in its status file"; }
ha_status "$svc/apps/app.cnf" | grep -q "^Reason: standby: the active manager is .* pid ${PID[$A]} " ||
    { ha_status "$svc/apps/app.cnf"; sandbox_fail "the service's status does not name the active manager"; }
wait_for 15 svc_state || { api /api/v1/clusters; sandbox_fail "the API's state is not STANDBY"; }
api /metrics | grep -qx 'mha_monitor_state{cluster="app",state="STANDBY"} 1' ||
    { api /metrics | grep mha_monitor_state; sandbox_fail "/metrics does not say STANDBY"; }
# A switch asked of the standby service is refused (409), naming the active manager.
code=$(curl -sS --max-time 10 --cacert "$certs/ca.crt" --cert "$certs/manager.crt" \
    --key "$certs/manager.key" -H 'Content-Type: application/json' -o "$svc/refusal" -w '%{http_code}' \
    --data-binary "{\"new_master_host\": \"$(addr 2)\"}" "https://$listen_ip:7444/api/v1/clusters/app/switch")
[ "$code" = 409 ] && grep -q "the active manager is .* pid ${PID[$A]} .*; send the switch to the active manager" "$svc/refusal" ||
    sandbox_fail "a switch through the standby service was not refused: $code $(cat "$svc/refusal")"
[ "$(active)" = "$A" ] || sandbox_fail "the active manager changed when the service started"
kill -TERM "${PID[svc]}"
wait "${PID[svc]}" 2>/dev/null || true
unset 'PID[svc]'
echo "service: STANDBY in its status file, the API and /metrics"

step "1c. the active manager SIGSTOPped, the master alive: the standby takes over and monitors"
s_lines=$(lines "$S")
kill -STOP "${PID[$A]}"
wait_for $((lease + 15)) is_active "$S" ||
    { ha_status "${CONF[$S]}"; log_since "$S" "$s_lines" | tail -n 20; kill -CONT "${PID[$A]}"; sandbox_fail "the standby did not take over from a stopped manager"; }
# The stopped manager's session still holds the master's monitor lock: the new one ends it.
log_since "$S" "$s_lines" | grep "this manager holds the cluster's etcd lease, so that holder is a manager that lost it" ||
    sandbox_fail "the new active manager does not say whose monitor lock it ended"
a_lines=$(lines "$A")
kill -CONT "${PID[$A]}"
wait_for 15 is_standby "$A" || { ha_status "${CONF[$A]}"; log_since "$A" "$a_lines" | tail -n 20; sandbox_fail "the resumed manager does not stand by"; }
A_OLD=$A; A=$S; S=$A_OLD
[ "$(active)" = "$A" ] || sandbox_fail "not one active manager after the resume"
echo "active: $A; the resumed $S stands by: $(ha_status "${CONF[$S]}" | tail -n 1)"

step "1d. masterha_master_switch by hand: refused while a manager is active; holds the key when none is"
switch() { "$MHA_BIN/masterha_master_switch" --conf="$C1" --interactive=0 "$@" >"$D/switch.out" 2>&1; }
for args in "--master_state=alive --new_master_host=$(addr 2) --orig_master_is_new_slave" \
    "--master_state=dead --dead_master_host=$(addr 1)"; do
    rc=0
    switch $args || rc=$?
    [ "$rc" = 1 ] && grep -q "the manager .* pid ${PID[$A]} .* is active for app (etcd key /mha-test/app/leader)" "$D/switch.out" ||
        { cat "$D/switch.out"; sandbox_fail "masterha_master_switch $args was not refused (exit $rc) while $A is active"; }
done
tail -n 1 "$D/switch.out"
[ "$(active)" = "$A" ] && ! replica_read_only 1 || sandbox_fail "a refused switch changed the cluster"
# Both managers stopped (each gives the key back): the switch holds the key while it runs.
for m in m1 m2; do kill -TERM "${PID[$m]}"; wait "${PID[$m]}" 2>/dev/null || true; done
switch --master_state=alive --new_master_host="$(addr 2)" --orig_master_is_new_slave ||
    { cat "$D/switch.out"; sandbox_fail "the switch by hand failed with no manager running"; }
grep -q "This manager (masterha_master_switch on .*) is the active manager of app: etcd key /mha-test/app/leader" "$D/switch.out" &&
    grep -q "gives the etcd key /mha-test/app/leader back" "$D/switch.out" ||
    { cat "$D/switch.out"; sandbox_fail "the switch by hand did not hold the leader key"; }
grep -E "is the active manager of app|gives the etcd key|[Ss]witch.*completed" "$D/switch.out"
[ -z "$(etcdctl_ha get /mha-test/app/leader --print-value-only)" ] || sandbox_fail "the leader key outlived the switch"
replica_read_only 1 && ! replica_read_only 2 || sandbox_fail "host2 is not the master after the switch"
# Back to host1 through the API of the service, now the active manager: its switch holds the
# key too (its watch gave it back for the switch) and the service is active again after it.
"$MHA_BIN/mha-manager" --manager_conf="$svc/manager.cnf" >"$svc/service.out" 2>&1 &
PID[svc]=$!
sandbox_bg "${PID[svc]}"
svc_active() { [ "$(api /api/v1/clusters 2>/dev/null | jq -r '.clusters[] | select(.app=="app") | .state')" = PING_OK ]; }
wait_for 30 svc_active || { api /api/v1/clusters; tail -n 20 "$svc/service.log"; sandbox_fail "the service did not become the active manager"; }
code=$(curl -sS --max-time 60 --cacert "$certs/ca.crt" --cert "$certs/manager.crt" \
    --key "$certs/manager.key" -H 'Content-Type: application/json' -o "$svc/switched" -w '%{http_code}' \
    --data-binary "{\"new_master_host\": \"$(addr 1)\", \"orig_master_is_new_slave\": true}" "https://$listen_ip:7444/api/v1/clusters/app/switch")
[ "$code" = 200 ] && [ "$(jq -r .exit_code "$svc/switched")" = 0 ] ||
    { cat "$svc/switched"; tail -n 30 "$svc/service.log"; sandbox_fail "the switch back to host1 through the active service's API failed ($code)"; }
grep -q "This manager (a switch through the API on .*) is the active manager of app" "$D/ha/m3/manager.log" ||
    { tail -n 30 "$D/ha/m3/manager.log"; sandbox_fail "the API's switch did not hold the leader key"; }
replica_read_only 2 && ! replica_read_only 1 || sandbox_fail "host1 is not the master after the API's switch"
wait_for 30 svc_active || { api /api/v1/clusters; sandbox_fail "the service does not monitor again after its switch"; }
kill -TERM "${PID[svc]}"
wait "${PID[svc]}" 2>/dev/null || true
unset 'PID[svc]'
start m1
start m2
A=$(wait_active)
S=$(other "$A")
echo "switched to host2 by hand and back through the service's API; active again: $A"

step "2. one etcd member killed: nothing changes"
a_lines=$(lines "$A")
etcd_member_kill 1
sleep $((lease + 2))
[ "$(active)" = "$A" ] || sandbox_fail "the active manager changed with one etcd member down"
! log_since "$A" "$a_lines" | grep -q "Standing down" || sandbox_fail "the active manager stood down with one member down"
etcd_member_start 1

step "3. the etcd majority lost: the active manager stops acting and logs why"
a_lines=$(lines "$A")
etcd_member_kill 2
etcd_member_kill 3
wait_for $((lease + 5)) log_has "$A" "$a_lines" "Standing down as the active manager of app: the etcd lease was not renewed within its $lease s" ||
    { log_since "$A" "$a_lines"; sandbox_fail "the active manager did not stand down without an etcd majority"; }
log_since "$A" "$a_lines" | grep "Standing down"
wait_for 10 is_standby "$A" || { ha_status "${CONF[$A]}"; sandbox_fail "the manager without a lease does not say standby"; }
ha_status "${CONF[$A]}" | tail -n 1
sleep 2
is_standby m1 && is_standby m2 || sandbox_fail "a manager acts without an etcd majority"
etcd_member_start 2
etcd_member_start 3
A=$(wait_active 40)
S=$(other "$A")
echo "etcd back: active $A"

step "4. kill -9 of the active manager: the standby is active within $lease s + one ping interval"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 25 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg "$load"
sleep 1
started=$(date +%s%N)
kill -KILL "${PID[$A]}"
wait "${PID[$A]}" 2>/dev/null || true
wait_for 20 took_over "$S" ||
    sandbox_fail "the standby never took over"
took_ms=$((($(date +%s%N) - started) / 1000000))
echo "takeover after kill -9: $took_ms ms"
[ "$took_ms" -le $(((lease + ping_interval) * 1000)) ] ||
    sandbox_fail "takeover took $took_ms ms (> etcd_lease_seconds + ping_interval)"
wait_for 20 is_active "$S" || sandbox_fail "the new active manager never reached PING_OK"
start "$A"  # back, as the standby
wait_for 20 is_standby "$A" || sandbox_fail "the restarted manager does not stand by"
A_OLD=$A; A=$S; S=$A_OLD
a_lines=$(lines "$A")
sandbox_cmd kill-mysqld --dir "$D" 1
wait_for 60 log_has "$A" "$a_lines" "Master failover to $(addr 2).* completed successfully" ||
    { log_since "$A" "$a_lines" | tail -n 30; sandbox_fail "no failover after the takeover"; }
wait "$load" || true
tail -n 2 "$D/load.out"
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || sandbox_fail "verify"
[ "$(etcdctl_ha get /mha-test/app/journal --print-value-only | jq -r '.entries[-1].phase')" = Done ] ||
    sandbox_fail "the failover journal in etcd does not end with Done"
wait_for 20 active >/dev/null || sandbox_fail "not one active manager after the failover"

step "5. the active manager SIGSTOPped while the master is killed: the standby fails over"
s_lines=$(lines "$S")
stop_calls=$(grep -c -- '--command=stop' "$D/hook.calls")
kill -STOP "${PID[$A]}"
sandbox_cmd kill-mysqld --dir "$D" 2
wait_for 60 log_has "$S" "$s_lines" "Master failover to $(addr 3).* completed successfully" ||
    { log_since "$S" "$s_lines" | tail -n 30; sandbox_fail "the standby did not fail over"; }
# It may drop it as soon as it learns of that failover (then before $s_lines): its whole log.
grep -q "commented it out of ${CONF[$S]}" "${LOG[$S]}" ||
    sandbox_fail "the standby did not drop the master the other manager had failed over from its config"
calls=$(grep -c -- '--command=stop' "$D/hook.calls")
a_lines=$(lines "$A")
kill -CONT "${PID[$A]}"
wait_for 15 log_has "$A" "$a_lines" "Standing down as the active manager of app: this process did not run for" ||
    { log_since "$A" "$a_lines"; sandbox_fail "the resumed manager does not say it lost its lease"; }
wait_for 15 is_standby "$A" || sandbox_fail "the resumed manager does not stand by"
sleep 2
log_since "$A" "$a_lines" | grep -E "Standing down|Not running phase|standby:" || true
! log_since "$A" "$a_lines" | grep -q "Phase 2: Dead Master Shutdown Phase" ||
    sandbox_fail "the resumed manager ran a failover phase"
[ "$(grep -c -- '--command=stop' "$D/hook.calls")" = "$calls" ] ||
    sandbox_fail "the resumed manager called the IP hook"
[ "$calls" = $((stop_calls + 1)) ] || sandbox_fail "expected one failover's stop hook call"
[ "$(etcdctl_ha get /mha-test/app/journal --print-value-only | jq -r .manager)" = "$(hostname) pid ${PID[$S]}" ] ||
    sandbox_fail "the journal in etcd is not the new active manager's"
A_OLD=$A; A=$S; S=$A_OLD
[ "$(active)" = "$A" ] || sandbox_fail "not one active manager after the resume"

step "6. the active manager killed mid-failover: the standby sees the journal and waits"
echo hang >"$D/hook.mode"
rm -f "$D/hook.pid"
s_lines=$(lines "$S")
sandbox_cmd kill-mysqld --dir "$D" 3
wait_for 30 test -s "$D/hook.pid" || { tail -n 20 "${LOG[$A]}"; sandbox_fail "the failover never called the IP hook"; }
calls=$(grep -c -- '--command=stop' "$D/hook.calls")
kill -KILL "${PID[$A]}"
wait "${PID[$A]}" 2>/dev/null || true
kill "$(cat "$D/hook.pid")" 2>/dev/null || true  # the hook outlives the killed manager
echo ok >"$D/hook.mode"
wait_for 20 sh -c "'$MHA_BIN/masterha_check_status' --conf='${CONF[$S]}' | grep -q 'stopped in the middle (last phase: FenceOldMaster)'" ||
    { ha_status "${CONF[$S]}"; log_since "$S" "$s_lines"; sandbox_fail "the standby's status does not name the phase reached"; }
ha_status "${CONF[$S]}"
[ "$(status_code "$S")" = 51 ] || sandbox_fail "expected FAILOVER_ERROR (51)"
sleep 3
! log_since "$S" "$s_lines" | grep -q "Phase 1: Configuration Check Phase" ||
    sandbox_fail "the standby started a second failover"
[ "$(grep -c -- '--command=stop' "$D/hook.calls")" = "$calls" ] || sandbox_fail "a second failover called the IP hook"
replica_read_only 4 || sandbox_fail "host4 became writable"

step "the operator takes host3's predecessor out of this config and removes the journal key"
# This manager's config still has host2 (failed over by the other manager, whose record the
# journal key held): the operator's part, as after any interrupted failover.
"$MHA_BIN/masterha_conf_host" --command=delete --conf="${CONF[$S]}" --block=server2 >/dev/null
etcdctl_ha del /mha-test/app/journal >/dev/null
s_lines=$(lines "$S")
wait_for 60 log_has "$S" "$s_lines" "Master failover to $(addr 4).* completed successfully" ||
    { log_since "$S" "$s_lines" | tail -n 30; sandbox_fail "no failover once the journal was cleared"; }

step "7. a failover by hand, no manager running: it holds the key and journals in etcd"
kill -TERM "${PID[$S]}"
wait "${PID[$S]}" 2>/dev/null || true
sandbox_cmd kill-mysqld --dir "$D" 4
rc=0
"$MHA_BIN/masterha_master_switch" --conf="${CONF[$S]}" --master_state=dead --dead_master_host="$(addr 4)" \
    --ignore_last_failover --interactive=0 >"$D/manual.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 10 ] || { cat "$D/manual.out"; sandbox_fail "the failover by hand failed (exit $rc)"; }
grep -E "is the active manager of app|gives the etcd key|Master failover to" "$D/manual.out"
grep -q "This manager (masterha_master_switch on .*) is the active manager of app" "$D/manual.out" ||
    { cat "$D/manual.out"; sandbox_fail "the failover by hand did not hold the leader key"; }
! replica_read_only 5 || sandbox_fail "host5 is not writable after the failover by hand"
journal=$(etcdctl_ha get /mha-test/app/journal --print-value-only)
echo "$journal" | jq -r .manager | grep -q "^masterha_master_switch on $(hostname) pid [0-9]*$" &&
    [ "$(echo "$journal" | jq -r '.dead_master.hostname + ":" + (.dead_master.port | tostring)')" = "$(addr 4):3306" ] && [ "$(echo "$journal" | jq -r '.entries[-1].phase')" = Done ] ||
    { echo "$journal"; sandbox_fail "the journal in etcd is not the failover by hand's"; }
[ -z "$(etcdctl_ha get /mha-test/app/leader --print-value-only)" ] || sandbox_fail "the leader key outlived the failover by hand"
echo PASS
