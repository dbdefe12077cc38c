# Scenario (issue 25): a multi_tier_slave=1 cluster fails over as MHA does. 4 nodes in a chain:
# host2 and host3 replicate from the master, host4 from host3. Under an `app` write load the
# master's mysqld is SIGKILLed: host2 (candidate_master) becomes the master, host3 is recovered
# and replicates from it, host4 keeps replicating from host3 and has every acknowledged row.
# GTID=1: MariaDB GTID replication.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.170.11}
gtid=${GTID:-0}
sandbox_addresses "$base"

gtid_flag=--no-gtid
[ "$gtid" = 1 ] && gtid_flag=--gtid
sandbox_start D --nodes 4 "$gtid_flag" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"

status_of() {  # host $1's SHOW SLAVE STATUS field $2
    mariadb --no-defaults -uroot --socket="$D/host$1/mysqld.sock" -e 'SHOW SLAVE STATUS\G' \
        | awk -v f="$2:" '$1 == f {print $2}'
}

step "host4 moves under host3 (third tier); multi_tier_slave=1"
sandbox_sql "$D" 4 "STOP SLAVE"
if [ "$gtid" = 1 ]; then
    positioning="MASTER_USE_GTID=slave_pos"
else
    # No writes yet: host4 has executed what host3 logged up to its binlog end.
    read -r file pos _ < <(sandbox_sql "$D" 3 "SHOW MASTER STATUS")
    positioning="MASTER_LOG_FILE='$file', MASTER_LOG_POS=$pos, MASTER_USE_GTID=no"
fi
sandbox_sql "$D" 4 "CHANGE MASTER TO MASTER_HOST='$(addr 3)', MASTER_PORT=3306, \
    MASTER_USER='$MHA_REPL_USER', MASTER_PASSWORD='$MHA_REPL_PASSWORD', $positioning; START SLAVE"
sed -i 's/^\[server default\]$/[server default]\nmulti_tier_slave=1/' "$CONF"
grep -q "^multi_tier_slave=1" "$CONF" || sandbox_fail "setup: app.cnf has no [server default]"
"$MHA_BIN/masterha_check_repl" --conf="$CONF" >"$D/check_repl.out" 2>&1 \
    || { cat "$D/check_repl.out"; sandbox_fail "check-repl refuses the three-tier cluster"; }

step "manager starts watching; load starts"
manager_start manager "$CONF"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 10 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 3

step "the master's mysqld dies"
sandbox_cmd kill-mysqld --dir "$D" 1
for _ in $(seq 1 900); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "manager did not finish the failover in 90 s"; }
rc=0
wait $manager || rc=$?
[ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }
grep -q "Master failover to $(addr 2).* completed successfully." "$LOG" \
    || { cat "$LOG"; sandbox_fail "no failover to host2"; }
grep -q "$(addr 4).*left replicating from $(addr 3)" "$LOG" \
    || { cat "$LOG"; sandbox_fail "the report does not say host4 stays under host3"; }

step "load ends; verify: nothing lost on host2 and host3"
wait $load || true
tail -2 "$D/load.out"
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/verify.out" 2>&1 || { cat "$LOG" "$D/verify.out"; sandbox_fail "verify"; }
cat "$D/verify.out"
grep -q "replicas.*$(addr 3)" "$D/verify.out" || sandbox_fail "host3 does not replicate from the new master"

step "host4 still replicates from host3 and holds what host3 holds"
[ "$(status_of 4 Master_Host)" = "$(addr 3)" ] || sandbox_fail "host4 replicates from $(status_of 4 Master_Host)"
same=0
for _ in $(seq 1 300); do
    if [ "$(status_of 4 Slave_IO_Running)" = Yes ] && [ "$(status_of 4 Slave_SQL_Running)" = Yes ] &&
        [ "$(sandbox_sql "$D" 4 "CHECKSUM TABLE $MHA_LOAD_TABLE")" = "$(sandbox_sql "$D" 3 "CHECKSUM TABLE $MHA_LOAD_TABLE")" ]; then
        same=1
        break
    fi
    sleep 0.1
done
[ "$same" = 1 ] || sandbox_fail "host4 differs from host3 (IO $(status_of 4 Slave_IO_Running), SQL $(status_of 4 Slave_SQL_Running): $(status_of 4 Last_SQL_Error))"
# verify found every acknowledged row on host3; host4 holds the same table.
have=$(sandbox_sql "$D" 4 "SELECT COUNT(*) FROM $MHA_LOAD_TABLE")
echo "host4: $have rows, replicating from host3, same checksum as host3"
[ -z "${KEEP_LOG:-}" ] || cp "$LOG" "$KEEP_LOG"  # for a look at a passing run
echo PASS
