# Durability semi_sync (issue 32), on one `sandbox up --semi-sync` (3 nodes, timeout 2000 ms,
# durability=semi_sync in app.cnf), one replication mode per run (GTID=0|1), three scenarios in
# turn on the same sandbox:
#   1. check-repl: OK as `up` leaves it; NOT OK naming host and variable when the master's
#      semi-sync is off, and when its wait point is AFTER_COMMIT; OK again once fixed.
#   2. fall back: with the manager watching, every replica's IO thread stopped and a write that
#      waits past the timeout: the monitor logs the fall back within two ping intervals (1 s
#      each), masterha_check_status's Reason: line says so; IO threads started and a write:
#      "semi-synchronous again", the Reason: line gone. The manager here is the service
#      (`mha-manager --manager_conf`, issue 31): its /metrics says mha_master_semi_sync_active
#      0 while fallen back and 1 again after, and the API's cluster says "fallen back".
#   switch: the manager stopped, an online switch to host2 and back (--orig_master_is_new_slave):
#      each time the new master is the semi-sync master (AFTER_SYNC, the old master's timeout),
#      the old master's master side is off, both replicas acknowledge; the report says so.
#   3. host gone: under the app load, host2's (the candidate's) IO thread stopped for 2 s while
#      host3 goes on acknowledging, then the master's host dies (kill-host: mysqld and agent):
#      verify (without --died: every acknowledged row must be on the survivors) finds every
#      row; the new master has semi-sync on as master (AFTER_SYNC, the old master's 2000 ms),
#      the other replica acknowledges it; the log and the Failover Report say so, and the
#      report says every acknowledged transaction was found on a survivor (and why).
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.156.11}
gtid=${GTID:-0}
sandbox_addresses "$base"
mode=$([ "$gtid" = 1 ] && echo --gtid || echo --no-gtid)

sandbox_start D --nodes 3 "$mode" --base-ip "$base" --semi-sync --semi-sync-timeout 2000 \
    || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
OUT=$D/check.out
sql() { sandbox_sql "$D" "$@"; }
grep -q '^durability=semi_sync$' "$CONF" || sandbox_fail "app.cnf has no durability=semi_sync"

check_repl() { check_repl_expect "$CONF" "$OUT" "$@"; }  # EXPECTED_EXIT [NEEDLE…]

step "1. check-repl"
check_repl 0 "$(addr 1) (master): semi-sync on: rpl_semi_sync_master_enabled=ON, rpl_semi_sync_master_wait_point=AFTER_SYNC, rpl_semi_sync_master_timeout=2000 ms, rpl_semi_sync_master_clients=2" \
    "$(addr 2): acknowledges" "$(addr 3): acknowledges" "MySQL Replication Health is OK."
sql 1 "SET GLOBAL rpl_semi_sync_master_enabled=0"
check_repl 1 "$(addr 1) (master): rpl_semi_sync_master_enabled=OFF" "MySQL Replication Health is NOT OK!"
sql 1 "SET GLOBAL rpl_semi_sync_master_enabled=1; SET GLOBAL rpl_semi_sync_master_wait_point=AFTER_COMMIT"
check_repl 1 "$(addr 1) (master): rpl_semi_sync_master_wait_point=AFTER_COMMIT" "MySQL Replication Health is NOT OK!"
grep -q "rpl_semi_sync_master_enabled=OFF" "$OUT" && sandbox_fail "a fixed variable is still named"
sql 1 "SET GLOBAL rpl_semi_sync_master_wait_point=AFTER_SYNC"
check_repl 0 "MySQL Replication Health is OK."

step "2. the master falls back to async (the manager service watching)"
svc_ip=${base%.*}.$((${base##*.} + 8))
C=$D/certs
bash "$MHA_SOURCE/certs/mha-certs" --out "$C" --manager-server "mha-manager-server,$svc_ip" >/dev/null
mkdir -p "$D/service/apps"
ln -s "$CONF" "$D/service/apps/app.cnf"
cat >"$D/service/manager.cnf" <<CNF
[manager]
conf_dir = $D/service/apps
listen = $svc_ip:7444
tls_ca = $C/ca.crt
tls_cert = $C/manager-server.crt
tls_key = $C/manager-server.key
allow_admin = mha-manager
log_file = $D/service/service.log
CNF
"$MHA_BIN/mha-manager" --manager_conf="$D/service/manager.cnf" >"$D/service/out" 2>&1 &
manager=$!
sandbox_bg "$manager"
for _ in $(seq 1 100); do
    "$MHA_BIN/masterha_check_status" --conf="$CONF" >/dev/null 2>&1 && break
    kill -0 "$manager" 2>/dev/null || { cat "$D/service/out"; sandbox_fail "the service exited at start"; }
    sleep 0.1
done
service_get() {  # PATH: the body on stdout
    curl -sS --max-time 10 --cacert "$C/ca.crt" --cert "$C/manager.crt" --key "$C/manager.key" \
        "https://$svc_ip:7444$1"
}
semi_metric() { service_get /metrics | awk '$1 == "mha_master_semi_sync_active{cluster=\"app\"}" {print $2}'; }
wait_semi_metric() {  # VALUE
    for _ in $(seq 1 50); do [ "$(semi_metric)" = "$1" ] && return 0; sleep 0.1; done
    service_get /metrics | grep semi_sync
    sandbox_fail "mha_master_semi_sync_active is not $1"
}
wait_semi_metric 1
status_out() { "$MHA_BIN/masterha_check_status" --conf="$CONF" 2>&1 || true; }
sql 1 "CREATE TABLE mha_load.semi_probe (id INT PRIMARY KEY)"
sandbox_cmd stop-replica --dir "$D" 2 --io
sandbox_cmd stop-replica --dir "$D" 3 --io
started=$(date +%s.%N)
sql 1 "INSERT INTO mha_load.semi_probe VALUES (1)"  # waits 2000 ms for an ack, then async
fell=$(date +%s.%N)
waited=$(echo "$fell - $started" | bc)
echo "the insert waited ${waited} s"
[ "$(sql 1 "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'" | cut -f2)" = OFF ] \
    || sandbox_fail "the master did not fall back to async"
needle="Semi-sync: the master $(addr 1) has fallen back to asynchronous replication (rpl_semi_sync_master_status=OFF"
seen=""
while [ "$(echo "$(date +%s.%N) - $fell < 4" | bc)" = 1 ]; do
    if grep -qF "$needle" "$LOG"; then seen=$(date +%s.%N); break; fi
    sleep 0.05
done
[ -n "$seen" ] || { cat "$LOG"; sandbox_fail "no fall-back line in the manager's log"; }
after=$(echo "$seen - $fell" | bc)
echo "logged ${after} s after the master fell back"
[ "$(echo "$after <= 2" | bc)" = 1 ] || sandbox_fail "logged after ${after} s: more than two ping intervals (2 s)"
status_out | grep -qF "Reason: $needle" || { status_out; sandbox_fail "masterha_check_status does not say it"; }
status_out
wait_semi_metric 0
[ "$(service_get /api/v1/clusters | jq -r '.clusters[0].semi_sync')" = "fallen back" ] \
    || { service_get /api/v1/clusters; sandbox_fail "the API does not say the master fell back"; }
sleep 2.5
[ "$(grep -cF "$needle" "$LOG")" = 1 ] || { cat "$LOG"; sandbox_fail "the fall back was logged more than once"; }
sql 2 "START SLAVE IO_THREAD"
sql 3 "START SLAVE IO_THREAD"
again="Semi-sync: the master $(addr 1) is again semi-synchronous"
for _ in $(seq 1 100); do
    sql 1 "INSERT INTO mha_load.semi_probe SELECT COALESCE(MAX(id), 0) + 1 FROM mha_load.semi_probe"
    grep -qF "$again" "$LOG" && break
    sleep 0.1
done
grep -qF "$again" "$LOG" || { cat "$LOG"; sandbox_fail "no 'semi-synchronous again' line"; }
for _ in $(seq 1 30); do status_out | grep -q "^Reason:" || break; sleep 0.1; done
status_out | grep -q "^Reason:" && { status_out; sandbox_fail "the Reason: line stayed"; }
wait_semi_metric 1
for _ in $(seq 1 100); do
    [ "$(sql 1 "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_clients'" | cut -f2)" = 2 ] && break
    sleep 0.1
done

step "switch: to host2 and back, semi-sync roles kept"
"$MHA_BIN/masterha_stop" --conf="$CONF" >"$OUT" 2>&1 || { cat "$OUT"; sandbox_fail "masterha_stop"; }
for _ in $(seq 1 50); do kill -0 "$manager" 2>/dev/null || break; sleep 0.1; done
kill -0 "$manager" 2>/dev/null && sandbox_fail "the manager still runs after masterha_stop"
ss() { sql "$1" "SHOW GLOBAL VARIABLES LIKE '$2'; SHOW GLOBAL STATUS LIKE '$2'" | cut -f2 | head -1; }
switch_to() {  # NEW OLD OTHER
    local new=$1 old=$2 other=$3
    "$MHA_BIN/masterha_master_switch" --conf="$CONF" --master_state=alive --interactive=0 \
        --new_master_host="$(addr "$new")" --orig_master_is_new_slave >"$D/switch.out" 2>&1 \
        || { cat "$D/switch.out"; sandbox_fail "switch to host$new failed"; }
    grep -q "making $(addr "$new")(.*) the semi-sync master before read_only=0 (timeout 2000 ms, the original master's)" "$D/switch.out" \
        || { cat "$D/switch.out"; sandbox_fail "switch: no semi-sync master line"; }
    grep -q "Durability: semi_sync, in force: $(addr "$new")(.*) is the semi-sync master (AFTER_SYNC) since before read_only=0; acknowledgers: " "$D/switch.out" \
        || { cat "$D/switch.out"; sandbox_fail "switch report: no durability line"; }
    [ "$(ss "$new" rpl_semi_sync_master_enabled)" = ON ] || sandbox_fail "switch: new master's semi-sync off"
    [ "$(ss "$new" rpl_semi_sync_master_wait_point)" = AFTER_SYNC ] || sandbox_fail "switch: wait point"
    [ "$(ss "$new" rpl_semi_sync_master_timeout)" = 2000 ] || sandbox_fail "switch: timeout"
    [ "$(ss "$old" rpl_semi_sync_master_enabled)" = OFF ] || sandbox_fail "switch: old master's master side on"
    [ "$(ss "$old" rpl_semi_sync_slave_enabled)" = ON ] || sandbox_fail "switch: old master does not acknowledge"
    [ "$(ss "$other" rpl_semi_sync_slave_enabled)" = ON ] || sandbox_fail "switch: replica does not acknowledge"
    for _ in $(seq 1 100); do
        [ "$(ss "$new" Rpl_semi_sync_master_clients)" = 2 ] && break
        sleep 0.1
    done
    [ "$(ss "$new" Rpl_semi_sync_master_clients)" = 2 ] || sandbox_fail "switch: not 2 acknowledgers"
}
switch_to 2 1 3
switch_to 1 2 3
check_repl 0 "$(addr 1) (master): semi-sync on:" "MySQL Replication Health is OK."
manager_start manager "$CONF"

step "3. the master's host dies while host2's IO thread had been stopped for 2 s"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 8 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 1
sandbox_cmd stop-replica --dir "$D" 2 --io
sleep 2
[ "$(sql 1 "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync_master_status'" | cut -f2)" = ON ] \
    || sandbox_fail "the master fell back to async while host3 acknowledged"
behind=$(( $(wc -l <"$D/acked") ))
sandbox_cmd kill-host --dir "$D" 1
for _ in $(seq 1 600); do kill -0 "$manager" 2>/dev/null || break; sleep 0.1; done
kill -0 "$manager" 2>/dev/null && { cat "$LOG"; sandbox_fail "no failover 60 s after the kill"; }
rc=0
wait "$manager" || rc=$?
[ "$rc" = 10 ] || [ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }
wait "$load" || true
echo "acknowledged rows: $(wc -l <"$D/acked") ($behind when the host died)"
new=$(grep -o "Master failover to [0-9.]*" "$LOG" | head -1 | sed 's/.* //')
[ -n "$new" ] || { cat "$LOG"; sandbox_fail "no failover line"; }
echo "new master: $new"
if [ "$new" = "$(addr 2)" ]; then nm=2 other=3; else nm=3 other=2; fi
grep -q "durability=semi_sync: making $(addr $nm)(.*) the semi-sync master before read_only=0 (timeout 2000 ms, the dead master's)" "$LOG" \
    || { cat "$LOG"; sandbox_fail "no log line for the new master's semi-sync"; }
sed -n "/making $(addr $nm)/,/Setting read_only=0 on/p" "$LOG" | grep -q "rpl_semi_sync_master_enabled=ON, rpl_semi_sync_master_wait_point=AFTER_SYNC" \
    || { cat "$LOG"; sandbox_fail "the semi-sync master was not set before read_only=0"; }
grep -q "$(addr $other)(.*): semi-sync before its IO thread starts: rpl_semi_sync_slave_enabled=1" "$LOG" \
    || { cat "$LOG"; sandbox_fail "no log line for the replica's semi-sync"; }
grep -q "Durability: semi_sync, in force: $(addr $nm)(.*) is the semi-sync master (AFTER_SYNC) since before read_only=0; acknowledgers: $(addr $other)" "$LOG" \
    || { cat "$LOG"; sandbox_fail "the Failover Report does not state the durability"; }
# The master's host is gone (its binlog unreadable): semi-sync at the last ping is the evidence.
sed -n '/----- Failover Report -----/,$p' "$LOG" | grep -q "Acknowledged transactions: all found on a survivor: the dead master was semi-synchronous at its last good ping" \
    || { cat "$LOG"; sandbox_fail "the Failover Report does not say the acknowledged transactions were found"; }
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$LOG"; sandbox_fail "verify: an acknowledged row is missing"; }
[ "$(ss $nm rpl_semi_sync_master_enabled)" = ON ] || sandbox_fail "new master: semi-sync master off"
[ "$(ss $nm rpl_semi_sync_master_wait_point)" = AFTER_SYNC ] || sandbox_fail "new master: wait point"
[ "$(ss $nm rpl_semi_sync_master_timeout)" = 2000 ] || sandbox_fail "new master: not the old timeout"
[ "$(ss $other rpl_semi_sync_slave_enabled)" = ON ] || sandbox_fail "replica: semi-sync off"
for _ in $(seq 1 50); do
    [ "$(ss $other Rpl_semi_sync_slave_status)" = ON ] && [ "$(ss $nm Rpl_semi_sync_master_clients)" = 1 ] && break
    sleep 0.1
done
[ "$(ss $other Rpl_semi_sync_slave_status)" = ON ] || sandbox_fail "the replica does not acknowledge"
[ "$(ss $nm Rpl_semi_sync_master_clients)" = 1 ] || sandbox_fail "the new master has no acknowledger"
sandbox_cmd status --dir "$D"
[ -z "${KEEP_LOG:-}" ] || cp "$LOG" "$KEEP_LOG"
echo PASS
