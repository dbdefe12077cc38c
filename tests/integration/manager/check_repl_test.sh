# Scenario (issue 14): masterha_check_repl on a healthy 3-node sandbox is OK; it is NOT OK,
# naming the cause, for each broken case, and OK again once each is fixed. Also: a second
# mha-manager refuses to start while the first monitors, status gives MHA's codes before and
# after a manager start, conf-host add+delete leaves the file byte-identical, and topology
# --json matches SHOW SLAVE STATUS, and check-repl stays OK under a write load. Mode:
# SANDBOX_MODE; base address: SANDBOX_BASE.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

mode=${SANDBOX_MODE:---no-gtid}
base=${SANDBOX_BASE:-127.0.0.101}
sandbox_addresses "$base"
use_gtid=$([ "$mode" = --gtid ] && echo slave_pos || echo no)

sandbox_start D --nodes 3 "$mode" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
OUT=$D/check.out

# check_repl EXPECTED_EXIT [NEEDLE] [extra flags]: runs masterha_check_repl, checks the verdict.
check_repl() {
    local want=$1 needle=${2:-} rc=0
    shift 2 || shift $#
    "$MHA_BIN/masterha_check_repl" --conf="$CONF" "$@" >"$OUT" 2>&1 || rc=$?
    if [ "$rc" != "$want" ]; then
        cat "$OUT"
        sandbox_fail "check_repl exit $rc, expected $want ($needle)"
    fi
    if [ "$want" = 0 ]; then
        grep -q "^MySQL Replication Health is OK.$" "$OUT" || { cat "$OUT"; sandbox_fail "no OK line"; }
    else
        grep -q "^MySQL Replication Health is NOT OK!$" "$OUT" || { cat "$OUT"; sandbox_fail "no NOT OK line"; }
    fi
    if [ -n "$needle" ] && ! grep -q -- "$needle" "$OUT"; then
        cat "$OUT"
        sandbox_fail "check_repl output lacks: $needle"
    fi
}
sql() { sandbox_sql "$D" "$@"; }
wait_sql() {  # host, sql, expected
    local _
    for _ in $(seq 1 100); do
        [ "$(sql "$1" "$2" 2>/dev/null)" = "$3" ] && return 0
        sleep 0.1
    done
    sandbox_fail "host$1: '$2' never returned '$3' (last: $(sql "$1" "$2" 2>&1))"
}
master_pos() { sql 1 "SHOW MASTER STATUS" | awk '{print $1" "$2}'; }

step "healthy cluster: OK"
check_repl 0 "Current Alive Master: $(addr 1)"

step "a replica with its SQL thread stopped"
sql 3 "STOP SLAVE SQL_THREAD"
check_repl 1 "Slave SQL thread is not running on $(addr 3)"
sql 3 "START SLAVE SQL_THREAD"
wait_sql 3 "SELECT COUNT(*) FROM information_schema.processlist WHERE command='Slave_SQL'" 1
check_repl 0

step "mismatched replication filters"
sql 3 "STOP SLAVE; SET GLOBAL replicate_ignore_db='scratch'; START SLAVE"
check_repl 1 "Replication filtering check failed on $(addr 3)"
sql 3 "STOP SLAVE; SET GLOBAL replicate_ignore_db=''; START SLAVE"
check_repl 0

step "a duplicate server_id"
sql 3 "SET GLOBAL server_id=2"
check_repl 1 "server_id=2"
sql 3 "SET GLOBAL server_id=3; STOP SLAVE; START SLAVE"
wait_sql 3 "SELECT COUNT(*) FROM information_schema.processlist WHERE command='Slave_IO'" 1
check_repl 0

step "a replica replicating from somewhere else"
read -r file pos < <(sql 2 "SHOW MASTER STATUS" | awk '{print $1" "$2}')
sql 3 "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='$(addr 2)', MASTER_LOG_FILE='$file', MASTER_LOG_POS=$pos, MASTER_USE_GTID=no; START SLAVE"
check_repl 1 "replicates from $(addr 2):3306, but real master is $(addr 1)"
read -r mfile mpos < <(master_pos)
if [ "$use_gtid" = no ]; then
    sql 3 "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='$(addr 1)', MASTER_LOG_FILE='$mfile', MASTER_LOG_POS=$mpos, MASTER_USE_GTID=no; START SLAVE"
else
    sql 3 "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='$(addr 1)', MASTER_USE_GTID=slave_pos; START SLAVE"
fi
check_repl 0

step "two writable servers"
sql 3 "STOP SLAVE; RESET SLAVE ALL; SET GLOBAL read_only=0"
check_repl 1 "There are 2 non-slave servers"
read -r mfile mpos < <(master_pos)
if [ "$use_gtid" = no ]; then
    sql 3 "SET GLOBAL read_only=1; CHANGE MASTER TO MASTER_HOST='$(addr 1)', MASTER_USER='repl', MASTER_PASSWORD='$(grep -m1 '^repl_password=' "$CONF" | cut -d= -f2-)', MASTER_LOG_FILE='$mfile', MASTER_LOG_POS=$mpos, MASTER_USE_GTID=no; START SLAVE"
else
    sql 3 "SET GLOBAL read_only=1; CHANGE MASTER TO MASTER_HOST='$(addr 1)', MASTER_USER='repl', MASTER_PASSWORD='$(grep -m1 '^repl_password=' "$CONF" | cut -d= -f2-)', MASTER_USE_GTID=slave_pos; START SLAVE"
fi
wait_sql 3 "SELECT COUNT(*) FROM information_schema.processlist WHERE command='Slave_IO'" 1
check_repl 0

step "a lagging replica"
sql 3 "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=3600; START SLAVE"
sql 1 "SET TIMESTAMP=UNIX_TIMESTAMP()-120; CREATE DATABASE IF NOT EXISTS lagtest; CREATE TABLE lagtest.t (id INT PRIMARY KEY)"
sleep 1
check_repl 1 "Slave is currently behind"
check_repl 0 "" --seconds_behind_master=100000
sql 3 "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=0; START SLAVE"
wait_sql 3 "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema='lagtest'" 1
check_repl 0

step "an agent down"
sandbox_cmd partition --dir "$D" 3 --agent
check_repl 1 "Agent on $(addr 3)"
sandbox_cmd heal --dir "$D" 3 --agent
check_repl 0

step "a missing, a failing, then a working hook script"
cp "$CONF" "$D/app.cnf.orig"
sed -i "s|^\[server default\]|[server default]\nmaster_ip_failover_script=$D/no-such-script|" "$CONF"
check_repl 1 "$D/no-such-script: not found"
printf '#!/bin/sh\nexit 3\n' >"$D/failing-hook"
chmod +x "$D/failing-hook"
sed -i "s|^master_ip_failover_script=.*|master_ip_failover_script=$D/failing-hook|" "$CONF"
check_repl 1 "Failed to get master_ip_failover_script status with return code 3"
printf '#!/bin/sh\necho "$@" >>%s/hook-args\nexit 0\n' "$D" >"$D/good-hook"
chmod +x "$D/good-hook"
sed -i "s|^master_ip_failover_script=.*|master_ip_failover_script=$D/good-hook|" "$CONF"
check_repl 0 "master_ip_failover_script --command=status: OK"
grep -q -- "--command=status .*--orig_master_host=$(addr 1)" "$D/hook-args" || sandbox_fail "hook args: $(cat "$D/hook-args")"
cp "$D/app.cnf.orig" "$CONF"

step "status before a manager start: NOT_RUNNING (2)"
rc=0; "$MHA_BIN/masterha_check_status" --conf="$CONF" >"$OUT" 2>&1 || rc=$?
[ "$rc" = 2 ] && grep -q "is stopped(2:NOT_RUNNING)" "$OUT" || { cat "$OUT"; sandbox_fail "status rc $rc"; }

step "mha-manager starts, status PING_OK (0); a second manager refuses"
"$MHA_BIN/mha-manager" --conf="$CONF" --manager_log="$D/manager1.log" &
manager=$!
sandbox_bg $manager
for _ in $(seq 1 100); do
    rc=0; "$MHA_BIN/masterha_check_status" --conf="$CONF" >"$OUT" 2>&1 || rc=$?
    [ "$rc" = 0 ] && break
    sleep 0.1
done
[ "$rc" = 0 ] && grep -q "(pid:$manager) is running(0:PING_OK), master:$(addr 1)" "$OUT" \
    || { cat "$OUT" "$D/manager1.log"; sandbox_fail "status after start: rc $rc"; }
rc=0; timeout 30 "$MHA_BIN/mha-manager" --conf="$CONF" --manager_log="$D/manager2.log" --workdir="$D/m2" || rc=$?
[ "$rc" = 1 ] || sandbox_fail "second manager exit $rc"
grep -q "advisory lock is already held by someone" "$D/manager2.log" || { cat "$D/manager2.log"; sandbox_fail "no lock message"; }
kill -0 $manager || sandbox_fail "first manager died"

step "masterha_stop stops it; status NOT_RUNNING again"
"$MHA_BIN/masterha_stop" --conf="$CONF" >"$OUT" 2>&1 || { cat "$OUT"; sandbox_fail "stop"; }
for _ in $(seq 1 50); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && sandbox_fail "manager still running after stop"
rc=0; "$MHA_BIN/masterha_check_status" --conf="$CONF" >"$OUT" 2>&1 || rc=$?
[ "$rc" = 2 ] || { cat "$OUT"; sandbox_fail "status after stop: rc $rc"; }

step "conf-host add then delete leaves the file byte-identical"
sum_before=$(sha256sum <"$CONF")
"$MHA_BIN/masterha_conf_host" --command=add --conf="$CONF" --hostname=127.0.0.250 --block=100 \
    --params="candidate_master=1;no_master=0" >"$OUT" 2>&1 || { cat "$OUT"; sandbox_fail "conf-host add"; }
grep -q '^\[server100\]$' "$CONF" && grep -q '^hostname=127.0.0.250$' "$CONF" || sandbox_fail "block not added"
"$MHA_BIN/masterha_conf_host" --command=delete --conf="$CONF" --block=100 >"$OUT" 2>&1 || { cat "$OUT"; sandbox_fail "conf-host delete"; }
[ "$(sha256sum <"$CONF")" = "$sum_before" ] || { diff "$D/app.cnf.orig" "$CONF"; sandbox_fail "file changed"; }

step "topology --json parses and matches SHOW SLAVE STATUS"
"$MHA_BIN/mhactl" topology --conf="$CONF" --json 2>/dev/null >"$D/topology.json"
for h in 2 3; do
    want=$(mariadb --no-defaults -uroot --socket="$D/host$h/mysqld.sock" -e "SHOW SLAVE STATUS\G" | awk '/ Master_Host:/{h=$2} / Master_Log_File:/{f=$2} /Slave_IO_Running:/{io=$2} END{print h, f, io}')
    got=$(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
s = [s for s in t["servers"] if s["hostname"] == sys.argv[2]][0]["replication"]
print(s["master_host"], s["master_log_file"], s["slave_io_running"])' "$D/topology.json" "$(addr "$h")")
    [ "$want" = "$got" ] || sandbox_fail "topology host$h: '$got' vs SHOW SLAVE STATUS '$want'"
done
"$MHA_BIN/mhactl" topology --conf="$CONF" 2>/dev/null | grep -q "^$(addr 1)(.*) (current master)$" \
    || sandbox_fail "topology tree"

step "under a write load, 20 check-repl runs in a row are all OK"
# A replica read after the master may already hold the master's next transactions: read
# naively, that is an errant transaction (GTID) and a refused switchover.
"$SANDBOX_LOAD" --dir "$D" --rate 400 --seconds 60 --acked "$D/acked.busy" >"$D/load.busy" 2>&1 &
busy=$!
sandbox_bg $busy
sleep 1
for _ in $(seq 1 20); do
    check_repl 0
done
kill -TERM $busy; wait $busy 2>/dev/null || true
[ -s "$D/acked.busy" ] || sandbox_fail "the load wrote nothing"
echo "PASS"
