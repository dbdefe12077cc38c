# Scenario (issue 25): relay logs that end inside a transaction. 4 nodes under an `app` write
# load; a 60,000-row transaction (~6 MB of row events) commits on the master while replicas
# read the binlog slowly (MariaDB's read_binlog_speed_limit), and their IO threads are cut
# while it is in transit:
#   SCENARIO=behind   host3 alone is cut mid-transaction; host2 and host4 receive it whole.
#                     host3 is levelled from the latest replica's diff, which starts inside
#                     the transaction (its own relay log holds the first part).
#   SCENARIO=latest   every replica is cut mid-transaction (host3 first, host4, then host2,
#                     the candidate, latest): the dead master's saved binlog completes it.
# Then the master's mysqld is SIGKILLed (its agent stays up). Every acknowledged row and the
# whole large transaction are on every survivor; none holds part of it. GTID=1: MariaDB GTID.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.170.11}
scenario=${SCENARIO:-behind}
gtid=${GTID:-0}
rows=60000
sandbox_addresses "$base"

gtid_flag=--no-gtid
[ "$gtid" = 1 ] && gtid_flag=--gtid
sandbox_start D --nodes 4 "$gtid_flag" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"

read_pos() {  # host $1's Read_Master_Log_Pos
    mariadb --no-defaults -uroot --socket="$D/host$1/mysqld.sock" -e 'SHOW SLAVE STATUS\G' \
        | awk '/ Read_Master_Log_Pos:/{print $2}'
}
master_pos() {
    sandbox_sql "$D" 1 "SHOW MASTER STATUS" | awk '{print $2}'
}
# Cuts host $1's IO thread once it has read past $2 (a byte position in the current binlog)
# and checks that it stopped inside the big transaction (before $3).
cut_inside() {
    local h=$1 past=$2 before=$3 pos
    for _ in $(seq 1 600); do
        pos=$(read_pos "$h")
        [ "$pos" -gt "$past" ] && break
        sleep 0.05
    done
    sandbox_sql "$D" "$h" "STOP SLAVE IO_THREAD"
    pos=$(read_pos "$h")
    echo "host$h stopped reading at $pos (the transaction spans $start..$end)"
    [ "$pos" -gt "$start" ] && [ "$pos" -lt "$before" ] || sandbox_fail "setup: host$h is not inside the transaction"
}

slow="3"
[ "$scenario" = latest ] && slow="2 3 4"
sandbox_sql "$D" 1 "CREATE TABLE mha_load.big (id INT PRIMARY KEY, pad CHAR(100) NOT NULL DEFAULT '') ENGINE=InnoDB"
for h in $slow; do
    # 1 MB/s: the transaction takes several seconds to reach them.
    sandbox_sql "$D" "$h" "STOP SLAVE IO_THREAD; SET GLOBAL read_binlog_speed_limit=1024; START SLAVE IO_THREAD"
done

step "manager starts watching"
manager_start manager "$CONF"
step "load starts"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 16 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 2

step "a $rows-row transaction commits on the master"
start=$(master_pos)
sandbox_sql "$D" 1 "INSERT INTO mha_load.big (id, pad) SELECT seq, REPEAT('x', 100) FROM mha_load.seq_1_to_$rows"
end=$(master_pos)
[ "$end" -gt $((start + 5000000)) ] || sandbox_fail "setup: the transaction is only $((end - start)) bytes"
span=$((end - start))
if [ "$scenario" = latest ]; then
    cut_inside 3 $((start + span / 5)) "$end"
    cut_inside 4 $((start + span * 2 / 5)) "$end"
    cut_inside 2 $((start + span * 3 / 5)) "$end"
else
    cut_inside 3 $((start + span / 3)) "$end"
    for h in 2 4; do
        for _ in $(seq 1 300); do [ "$(read_pos $h)" -ge "$end" ] && break; sleep 0.1; done
        [ "$(read_pos $h)" -ge "$end" ] || sandbox_fail "setup: host$h did not receive the transaction"
    done
fi
sleep 1

step "the master's mysqld dies"
sandbox_cmd kill-mysqld --dir "$D" 1
for _ in $(seq 1 1200); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "manager did not finish the failover in 120 s"; }
rc=0
wait $manager || rc=$?
[ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }
grep -q "Master failover to .* completed successfully." "$LOG" || { cat "$LOG"; sandbox_fail "not completed"; }
if [ "$scenario" = latest ]; then
    grep -q "Saved [1-9][0-9]* bytes of binlog events from the dead master" "$LOG" \
        || { cat "$LOG"; sandbox_fail "the dead master's binlog was not saved"; }
else
    grep -q "$(addr 3).*bytes of relay-log diff from" "$LOG" || { cat "$LOG"; sandbox_fail "host3 got no diff"; }
fi

step "load ends; verify finds nothing lost"
wait $load || true
tail -2 "$D/load.out"
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/verify.out" 2>&1 || { cat "$LOG" "$D/verify.out"; sandbox_fail "verify"; }
cat "$D/verify.out"
for h in 2 3 4; do
    n=$(sandbox_sql "$D" "$h" "SELECT COUNT(*) FROM mha_load.big")
    [ "$n" = "$rows" ] || { cat "$LOG"; sandbox_fail "host$h holds $n of the transaction's $rows rows"; }
    if grep -q "$(addr $h) does not replicate from" "$D/verify.out"; then
        sandbox_fail "host$h does not replicate from the new master"
    fi
done
echo "every survivor holds all $rows rows of the transaction"
[ -z "${KEEP_LOG:-}" ] || cp "$LOG" "$KEEP_LOG"  # for a look at a passing run
echo PASS
