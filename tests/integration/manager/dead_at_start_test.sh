# Scenario (issue 28), one sandbox, in order: the manager's start refuses what check-repl
# refuses (RESET SLAVE ALL on a replica; with multi_tier_slave=1 a writable intermediate
# master), refuses a master only partitioned from the manager and a dead master whose replicas
# name different masters; then, under a write load with one replica's IO thread stopped, the
# master is killed and only then is the manager started (masterha_manager, or MANAGER=mha-manager):
# it identifies the dead master as MHA does, fails over, and `verify` finds every acknowledged
# write. Mode: GTID=1 for MariaDB GTID; BEHIND=0: no IO thread stopped; base: SANDBOX_BASE.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.60.11}
gtid=${GTID:-0}
behind=${BEHIND:-1}  # 1: host3's IO thread is stopped under the load before the kill
# 1: relay logs in 4 KiB files, relay_log_purge=0 on host3, binary (non-UTF-8) column data,
# and a large transaction committed just before the kill
extras=${EXTRAS:-0}
sandbox_addresses "$base"
gtid_flag=--no-gtid
use_gtid=no
if [ "$gtid" = 1 ]; then gtid_flag=--gtid; use_gtid=slave_pos; fi
sandbox_start D --nodes 3 "$gtid_flag" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"
OUT=$D/check.out
sql() { sandbox_sql "$D" "$@"; }
repl_password=$(grep -m1 '^repl_password=' "$CONF" | cut -d= -f2-)

# check_repl EXPECTED_EXIT NEEDLE: masterha_check_repl's verdict and a line it must print.
check_repl() {
    local rc=0
    "$MHA_BIN/masterha_check_repl" --conf="$CONF" >"$OUT" 2>&1 || rc=$?
    [ "$rc" = "$1" ] || { cat "$OUT"; sandbox_fail "check_repl exit $rc, expected $1 ($2)"; }
    grep -q -- "$2" "$OUT" || { cat "$OUT"; sandbox_fail "check_repl output lacks: $2"; }
}
# manager_refuses NEEDLE: masterha_manager exits non-zero at start, its log saying NEEDLE.
manager_refuses() {
    local rc=0
    rm -f "$LOG"
    timeout 60 "$MHA_BIN/masterha_manager" --conf="$CONF" >"$D/manager.out" 2>&1 || rc=$?
    if [ "$rc" = 0 ] || [ "$rc" = 124 ]; then
        cat "$D/manager.out" "$LOG"
        sandbox_fail "manager exit $rc, expected a refusal ($1)"
    fi
    grep -q -- "$1" "$LOG" || { cat "$D/manager.out" "$LOG"; sandbox_fail "manager log lacks: $1"; }
}
wait_io() {  # host: its IO thread connected
    local _
    for _ in $(seq 1 100); do
        [ "$(sql "$1" "SELECT COUNT(*) FROM information_schema.processlist WHERE command='Slave_IO'")" = 1 ] && return 0
        sleep 0.1
    done
    sandbox_fail "host$1: IO thread never started"
}
# replicate HOST FROM: CHANGE MASTER of HOST to host FROM at its current binlog end.
replicate() {
    local file pos
    read -r file pos < <(sql "$2" "SHOW MASTER STATUS" | awk '{print $1" "$2}')
    if [ "$use_gtid" = no ]; then
        sql "$1" "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='$(addr "$2")', MASTER_USER='repl', MASTER_PASSWORD='$repl_password', MASTER_LOG_FILE='$file', MASTER_LOG_POS=$pos, MASTER_USE_GTID=no; START SLAVE"
    else
        sql "$1" "STOP SLAVE; CHANGE MASTER TO MASTER_HOST='$(addr "$2")', MASTER_USER='repl', MASTER_PASSWORD='$repl_password', MASTER_USE_GTID=slave_pos; START SLAVE"
    fi
    wait_io "$1"
}

step "healthy: check-repl OK"
check_repl 0 "MySQL Replication Health is OK."

step "RESET SLAVE ALL on host3: check-repl NOT OK, the manager refuses with the same message"
sql 3 "STOP SLAVE; RESET SLAVE ALL"
check_repl 1 "There are 2 non-slave servers"
manager_refuses "There are 2 non-slave servers"
replicate 3 1
check_repl 0 "MySQL Replication Health is OK."

step "multi_tier_slave=1, host3 replicates from a writable host2: NOT OK naming it; read_only: OK"
cp "$CONF" "$D/app.cnf.orig"
sed -i 's/^\[server default\]$/[server default]\nmulti_tier_slave=1/' "$CONF"
replicate 3 2
sql 2 "SET GLOBAL read_only=0"
check_repl 1 "Intermediate master $(addr 2)(.*) has slaves but read_only=1 is not set"
manager_refuses "Intermediate master $(addr 2)"
sql 2 "SET GLOBAL read_only=1"
check_repl 0 "MySQL Replication Health is OK."
cp "$D/app.cnf.orig" "$CONF"
replicate 3 1

step "the master only partitioned from the manager: refused, with the reason"
sandbox_cmd partition --dir "$D" 1
manager_refuses "not dead either"
sandbox_cmd heal --dir "$D" 1

step "a dead master whose replicas name different masters: refused, naming what each says"
replicate 3 2
sandbox_cmd kill-mysqld --dir "$D" 1
manager_refuses "$(addr 3)(.*) replicates from $(addr 2):3306"
sandbox_cmd start-mysqld --dir "$D" 1
replicate 2 1
replicate 3 1
check_repl 0 "MySQL Replication Health is OK."

if [ "$extras" = 1 ]; then
    step "extras: small relay logs, relay_log_purge=0 on host3, binary data"
    for h in 2 3; do sql "$h" "SET GLOBAL max_relay_log_size=4096"; done
    sql 3 "SET GLOBAL relay_log_purge=0"
    sql 1 "CREATE DATABASE mha_extra; CREATE TABLE mha_extra.bin (id INT PRIMARY KEY, b BLOB);
           CREATE TABLE mha_extra.big (id INT PRIMARY KEY, pad VARCHAR(200));
           INSERT INTO mha_extra.bin SELECT seq, UNHEX(REPEAT('FF00FEC3A8',20 + seq))
             FROM (WITH RECURSIVE s(seq) AS (SELECT 1 UNION ALL SELECT seq + 1 FROM s WHERE seq < 500)
                   SELECT seq FROM s) x"
fi
step "load; host3's IO thread stopped; the master killed; then the manager is started"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 6 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 2
if [ "$behind" = 1 ]; then
    sandbox_cmd stop-replica --dir "$D" 3 --io
fi
sleep 1
if [ "$extras" = 1 ]; then
    sql 1 "INSERT INTO mha_extra.big SELECT a.seq * 1000 + b.seq, REPEAT('x', 200)
           FROM (WITH RECURSIVE s(seq) AS (SELECT 0 UNION ALL SELECT seq + 1 FROM s WHERE seq < 199)
                 SELECT seq FROM s) a,
                (WITH RECURSIVE s(seq) AS (SELECT 0 UNION ALL SELECT seq + 1 FROM s WHERE seq < 999)
                 SELECT seq FROM s) b"
fi
sandbox_cmd kill-mysqld --dir "$D" 1
wait $load || true
check_repl 1 "Identified master is $(addr 1)(.*) (maybe dead)."
rc=0
rm -f "$LOG"
# MANAGER=mha-manager: the systemd unit's command line (packaging/rpm/mha-manager@.service).
timeout 120 "$MHA_BIN/${MANAGER:-masterha_manager}" --conf="$CONF" >"$D/manager.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || { cat "$D/manager.out" "$LOG"; sandbox_fail "manager exit $rc"; }
for line in "MySQL master is not currently alive!" "Identified master is $(addr 1)" \
            "----- Failover Report -----" "Master failover to .* completed successfully."; do
    grep -q -- "$line" "$LOG" || { cat "$LOG"; sandbox_fail "manager log lacks: $line"; }
done
grep -q "Ping(.*) succeeded" "$LOG" && sandbox_fail "the manager monitored a dead master"

step "verify: nothing acknowledged lost"
tail -2 "$D/load.out"
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$LOG"; sandbox_fail "verify"; }
if [ "$extras" = 1 ]; then
    step "extras: the binary rows and the large transaction are on both remaining servers"
    for t in bin big; do
        a=$(sql 2 "CHECKSUM TABLE mha_extra.$t" | awk '{print $2}')
        b=$(sql 3 "CHECKSUM TABLE mha_extra.$t" | awk '{print $2}')
        [ "$a" = "$b" ] || sandbox_fail "mha_extra.$t differs: host2 $a, host3 $b"
    done
    [ "$(sql 2 "SELECT COUNT(*) FROM mha_extra.big")" = 200000 ] || sandbox_fail "large transaction not complete on host2"
    [ "$(sql 2 "SELECT COUNT(*) FROM mha_extra.bin")" = 500 ] || sandbox_fail "binary rows missing on host2"
fi
