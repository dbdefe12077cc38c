# Scenario: a replica that stopped receiving is brought level through the agents — the
# latest replica's relay-log diff (and the master's saved binlog events) applied as ONE stream
# with POST /v1/apply — then repointed at the coordinates the apply returned: its tables equal
# the master's and replication continues without a duplicate-key error. Also when its relay
# log ends inside a transaction, and when a transaction is split between the diff and the
# master's saved events. SANDBOX_MODE=--no-gtid|--gtid, SANDBOX_BASE (default 127.0.0.61).
source "${MHA_SOURCE:?}/tests/integration/agent_logs/lib.sh"
start_cluster

sql 1 "CREATE DATABASE t; CREATE TABLE t.a (id INT PRIMARY KEY, v INT);
       CREATE TABLE t.after (id INT PRIMARY KEY); INSERT INTO t.a VALUES (1, 1), (2, 2)"
wait_caught_up 2
wait_caught_up 3

# apply_diff TARGET [EXTRA_SEGMENT_FILE]: diff from host2 at TARGET's read position, applied
# to TARGET with the extra segment after it; repoints TARGET at the returned coordinates.
apply_diff() {
    local target=$1 extra=${2:-} file pos
    file=$(slave_field "$target" Master_Log_File)
    pos=${TARGET_POS:-$(slave_field "$target" Read_Master_Log_Pos)}
    agent 2 "/v1/relay-logs/diff?master_file=$file&master_pos=$pos" >"$W/diff.bin"
    [ "$(status)" = 200 ] || sandbox_fail "diff from host2 at $file:$pos: $(status) $(cat "$W/body")"
    mariadb-binlog --skip-gtid-strict-mode "$W/diff.bin" >/dev/null || sandbox_fail "the diff does not decode"
    cat "$W/diff.bin" ${extra:+"$extra"} >"$W/body.bin"
    agent "$target" /v1/apply -X POST --data-binary @"$W/body.bin" \
        -H 'Content-Type: application/octet-stream' >/dev/null
    [ "$(status)" = 200 ] || sandbox_fail "apply on host$target: $(status) $(cat "$W/body")"
    echo "   apply: $(cat "$W/body")"
    [ "$(json ends_in_transaction)" = False ] || sandbox_fail "the applied stream ends inside a transaction"
    [ "$(slave_field "$target" Slave_SQL_Running)" = No ] || sandbox_fail "apply left the SQL thread running"
    repoint "$target" "$(json master_log_file)" "$(json master_log_pos)"
}

step "host3 stops receiving; the master writes a multi-statement transaction, a DDL, a rotate"
sql 3 "STOP SLAVE IO_THREAD"
sql 1 "BEGIN; INSERT INTO t.a VALUES (3, 3); UPDATE t.a SET v = v + 10 WHERE id = 1;
       INSERT INTO t.a VALUES (4, 4); COMMIT; CREATE TABLE t.b (id INT PRIMARY KEY);
       ALTER TABLE t.a ADD COLUMN w INT; INSERT INTO t.b VALUES (1); FLUSH BINARY LOGS;
       INSERT INTO t.b VALUES (2), (3)"
wait_caught_up 2
step "host2's diff applied to host3; host3 repointed at the returned coordinates replicates"
apply_diff 3
replicates 3

step "host3's relay log ends inside a transaction (SQL thread stopped, relay log cut at its Xid)"
sql 3 "STOP SLAVE SQL_THREAD"
sql 1 "INSERT INTO t.a (id, v) VALUES (5, 5); BEGIN; INSERT INTO t.a (id, v) VALUES (6, 6); INSERT INTO t.b VALUES (6); COMMIT"
wait_read 3
sql 3 "STOP SLAVE IO_THREAD"
cut=$(relay_cut 3)
sql 1 "BEGIN; INSERT INTO t.a (id, v) VALUES (7, 7); UPDATE t.a SET v = 0 WHERE id = 6; COMMIT"
wait_caught_up 2
agent 2 "/v1/relay-logs/position?master_file=$(slave_field 3 Master_Log_File)&master_pos=$cut" >/dev/null
[ "$(status)" = 409 ] || sandbox_fail "position inside a transaction: $(status), expected 409"
TARGET_POS=$cut apply_diff 3
[ "$(json relay_log_events)" -gt 0 ] || sandbox_fail "the apply took nothing from host3's own relay log"
replicates 3

step "a transaction split between host2's diff and the master's saved binlog events"
sql 3 "STOP SLAVE IO_THREAD"
sql 1 "INSERT INTO t.a (id, v) VALUES (8, 8); BEGIN; INSERT INTO t.a (id, v) VALUES (9, 9); INSERT INTO t.b VALUES (9); COMMIT"
wait_read 2
sql 2 "STOP SLAVE IO_THREAD"
cut2=$(relay_cut 2)
file=$(slave_field 2 Master_Log_File)
agent 1 "/v1/binlogs/$file?from=$cut2" >"$W/saved.bin"
[ "$(status)" = 200 ] || sandbox_fail "saved binlog from host1 at $file:$cut2: $(status) $(cat "$W/body")"
apply_diff 3 "$W/saved.bin"
[ "$(json segments)" = 2 ] || sandbox_fail "expected 2 segments"
replicates 3
echo "PASS"
