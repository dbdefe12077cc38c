# Scenario (issue 30, safe rejoin): under the app load the master's mysqld is killed and the
# manager fails over to host2; host1 restarts fenced (read_only). GTID=0|1 (file/position or
# MariaDB GTID replication).
#   EXTRA=0: `mhactl rejoin --host=host1` makes it a replica of host2: it replicates in the
#            cluster's own mode, has every acknowledged row (verify counts it), stays read_only,
#            and its fence file is gone.
#   EXTRA=1: rejoin refuses while host1's mysqld is down and while it is writable; then one
#            row written on host1 with the admin account while it was fenced: rejoin refuses,
#            names that transaction (its GTID), and host1 stays fenced, replicating from no one.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.96.91}
gtid=${GTID:-0}
extra=${EXTRA:-0}
sandbox_addresses "$base"

gtid_flag=--no-gtid
[ "$gtid" = 1 ] && gtid_flag=--gtid
sandbox_start D --nodes 3 "$gtid_flag" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"

step "failover from host1 to host2 under load; host1 restarts fenced"
manager_start manager "$CONF"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 8 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg "$load"
sleep 2
sandbox_cmd kill-mysqld --dir "$D" 1
rc=0
wait "$manager" || rc=$?
[ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "failover exit $rc"; }
if [ "$extra" = 1 ]; then
    step "rejoin while host1's mysqld is down: refused, clearly"
    rc=0
    "$MHA_BIN/mhactl" rejoin --conf="$CONF" --host="$(addr 1)" >"$D/down.out" 2>&1 || rc=$?
    [ "$rc" = 1 ] && grep -q "Rejoin of $(addr 1): it does not answer (" "$D/down.out" \
        || { cat "$D/down.out"; sandbox_fail "rejoin of a stopped mysqld: exit $rc"; }
fi
sandbox_cmd start-mysqld --dir "$D" 1
[ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 1 ] || sandbox_fail "host1 is not fenced after restart"
[ -f "$D/host1/fence.d/fence.cnf" ] || sandbox_fail "host1 has no fence file"
"$MHA_BIN/mhactl" status --conf="$CONF" >"$D/status.out" 2>&1 || true
grep -q "^Rejoin pending: the old master $(addr 1) is not a replica yet (mhactl rejoin --conf=$CONF --host=$(addr 1))" "$D/status.out" \
    || { cat "$D/status.out"; sandbox_fail "mhactl status does not say the rejoin is pending"; }

if [ "$extra" = 1 ]; then
    step "host1 made writable by hand: rejoin refuses it"
    sandbox_sql "$D" 1 "SET GLOBAL read_only=0"
    rc=0
    "$MHA_BIN/mhactl" rejoin --conf="$CONF" --host="$(addr 1)" >"$D/writable.out" 2>&1 || rc=$?
    [ "$rc" = 1 ] && grep -q "Rejoin of $(addr 1) refused: it is writable. Fence it first" "$D/writable.out" \
        || { cat "$D/writable.out"; sandbox_fail "rejoin of a writable old master: exit $rc"; }
    [ -z "$(sandbox_sql "$D" 1 'SHOW SLAVE STATUS')" ] || sandbox_fail "host1 replicates after a refusal"
    sandbox_sql "$D" 1 "SET GLOBAL read_only=1"

    step "a row written on the fenced host1 with the admin account: rejoin refuses, naming it"
    sandbox_sql "$D" 1 "INSERT INTO $MHA_LOAD_TABLE (id, writer) VALUES (999999999, 'admin on the fenced old master')"
    # MariaDB writes a GTID for it in both modes: the refusal names that one.
    written=$(sandbox_sql "$D" 1 "SELECT @@gtid_binlog_pos" | tr ',' '\n' | grep "^0-")
    rc=0
    "$MHA_BIN/mhactl" rejoin --conf="$CONF" --host="$(addr 1)" >"$D/rejoin.out" 2>&1 || rc=$?
    cat "$D/rejoin.out"
    [ "$rc" = 1 ] || sandbox_fail "rejoin exit $rc, expected 1"
    grep -q "Rejoin of $(addr 1) refused: it holds transactions the master $(addr 2) lacks: .*$written" "$D/rejoin.out" \
        || sandbox_fail "the refusal does not name the transaction $written"
    [ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 1 ] || sandbox_fail "host1 was made writable"
    [ -z "$(sandbox_sql "$D" 1 'SHOW SLAVE STATUS')" ] || sandbox_fail "host1 replicates after a refusal"
    [ -f "$D/host1/fence.d/fence.cnf" ] || sandbox_fail "host1's fence was lifted"
    wait "$load" || true
    echo PASS
    exit 0
fi

step "mhactl rejoin: host1 becomes a replica of host2"
"$MHA_BIN/mhactl" rejoin --conf="$CONF" --host="$(addr 1)" >"$D/rejoin.out" 2>&1 \
    || { cat "$D/rejoin.out"; sandbox_fail "rejoin failed"; }
cat "$D/rejoin.out"
grep -q "$(addr 1) replicates from $(addr 2) (.*), caught up, read_only." "$D/rejoin.out" || sandbox_fail "no success line"
using=$(mariadb --no-defaults -uroot --socket="$D/host1/mysqld.sock" -e 'SHOW SLAVE STATUS\G' | awk '/Using_Gtid:/{print $2}')
if [ "$gtid" = 1 ]; then
    [ "$using" = Slave_Pos ] || sandbox_fail "host1: Using_Gtid=$using, expected Slave_Pos (the cluster's mode)"
else
    [ "$using" = No ] || sandbox_fail "host1: Using_Gtid=$using, expected No (the cluster's mode)"
fi
[ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 1 ] || sandbox_fail "host1 is writable"
[ ! -f "$D/host1/fence.d/fence.cnf" ] || sandbox_fail "host1's fence file is still there"
"$MHA_BIN/mhactl" status --conf="$CONF" >"$D/status.out" 2>&1 || true
grep -q "^Rejoin pending" "$D/status.out" && { cat "$D/status.out"; sandbox_fail "status still says rejoin pending"; }

step "load ends; verify: host1 has every acknowledged row too"
wait "$load" || true
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/verify.out" 2>&1 || { cat "$D/verify.out"; sandbox_fail "verify"; }
cat "$D/verify.out"
grep -q "^verify: master $(addr 2), replicas .*$(addr 1)" "$D/verify.out" || sandbox_fail "verify did not count host1 as a replica"
echo PASS
