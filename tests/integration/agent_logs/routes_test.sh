# Scenario: the agents' log routes at their edges — relay-log positions at a file boundary,
# right after a rotate, inside a transaction and already purged; path traversal on every file
# route (400, nothing read); relay-log purge under load removes only executed relay logs and
# waits for MHA's failover lock; the saved binlog of a master whose mysqld was SIGKILLed
# decodes every event written before the kill. SANDBOX_BASE (default 127.0.0.70).
SANDBOX_BASE=${SANDBOX_BASE:-127.0.0.70}
source "${MHA_SOURCE:?}/tests/integration/agent_logs/lib.sh"
start_cluster

sql 1 "CREATE DATABASE t; CREATE TABLE t.a (id INT PRIMARY KEY, v INT);
       CREATE TABLE t.after (id INT PRIMARY KEY); INSERT INTO t.a VALUES (1, 1)"
wait_caught_up 2
read -r early_file early_pos < <(master_pos)

step "position at a file boundary and right after a rotate"
sql 1 "INSERT INTO t.a VALUES (2, 2)"
read -r f1 end1 < <(master_pos)
sql 1 "FLUSH BINARY LOGS"
read -r f2 start2 < <(master_pos)
sql 1 "INSERT INTO t.a VALUES (1002, 1002)"
wait_caught_up 2
for at in "$f1 $end1" "$f2 $start2"; do
    read -r f p <<<"$at"
    agent 2 "/v1/relay-logs/position?master_file=$f&master_pos=$p" >/dev/null
    [ "$(status)" = 200 ] || sandbox_fail "position $f:$p: $(status) $(cat "$W/body")"
    agent 2 "/v1/relay-logs/diff?master_file=$f&master_pos=$p" >"$W/d.bin"
    mariadb-binlog --skip-gtid-strict-mode "$W/d.bin" >"$W/d.sql" || sandbox_fail "the diff does not decode"
    grep -q "INSERT INTO t.a VALUES (1002, 1002)" "$W/d.sql" ||
        sandbox_fail "the diff from $f:$p lacks the write after it"
    grep -q "INSERT INTO t.a VALUES (2, 2)" "$W/d.sql" &&
        sandbox_fail "the diff from $f:$p holds a write before it"
done

step "relay-log end, read from the files, is where host2's IO thread read"
agent 2 /v1/relay-logs/end >/dev/null
[ "$(status)" = 200 ] || sandbox_fail "relay-log end: $(status) $(cat "$W/body")"
read_at="$(slave_field 2 Master_Log_File):$(slave_field 2 Read_Master_Log_Pos)"
[ "$(json master_file):$(json master_pos)" = "$read_at" ] \
    || sandbox_fail "relay-log end $(cat "$W/body"), SHOW SLAVE STATUS read $read_at"

step "position inside a transaction: 409"
sql 1 "BEGIN; INSERT INTO t.a VALUES (3, 3); INSERT INTO t.a VALUES (4, 4); COMMIT"
wait_caught_up 2
read -r f _ < <(master_pos)
inside=$(mariadb-binlog "$D/host1/binlog/$f" | awk '/Table_map/ {for (i = 1; i <= NF; i++) if ($i == "end_log_pos") p = $(i + 1)} END {print p}')
agent 2 "/v1/relay-logs/position?master_file=$f&master_pos=$inside" >/dev/null
[ "$(status)" = 409 ] || sandbox_fail "position inside a transaction ($f:$inside): $(status) $(cat "$W/body")"

step "traversal on every file route: 400 and nothing read"
ln -s /etc/passwd "$D/host3/binlog/evil.000001"
sandbox_on_exit "rm -f '$D/host3/binlog/evil.000001'"
cp "$D/host3/binlog/mysql-bin.index" "$W/index.saved"
echo "$D/host3/binlog/evil.000001" >>"$D/host3/binlog/mysql-bin.index"
for path in "/v1/binlogs/..%2F..%2F..%2Fetc%2Fpasswd" "/v1/binlogs/%2Fetc%2Fpasswd" \
    "/v1/binlogs/../host3/my.cnf" "/v1/binlogs/mysql-bin.999999" "/v1/binlogs/evil.000001" \
    "/v1/binlogs/..%2Fdata%2Fibdata1?from=4" "/v1/binlogs/mysql-bin.index" \
    "/v1/relay-logs/position?master_file=..%2F..%2Fetc%2Fpasswd&master_pos=4" \
    "/v1/relay-logs/diff?master_file=%2Fetc%2Fpasswd&master_pos=4" \
    "/v1/relay-logs/diff?master_file=mysql-bin.000001&master_pos=..%2F4"; do
    agent 3 "$path" --path-as-is >/dev/null
    [ "$(status)" = 400 ] || sandbox_fail "GET $path: $(status), expected 400"
    grep -q root: "$W/body" && sandbox_fail "GET $path returned file content"
done
agent 3 "/v1/apply?master_file=..%2F..%2Fetc%2Fpasswd" -X POST --data-binary "" >/dev/null
[ "$(status)" = 400 ] || sandbox_fail "POST /v1/apply with a traversal master_file: $(status)"
cp "$W/index.saved" "$D/host3/binlog/mysql-bin.index"

step "purge under load removes only executed relay logs; a held failover lock makes it wait"
"$SANDBOX_LOAD" --dir "$D" --acked "$W/acked" --rate 50 --seconds 12 >"$W/load.log" 2>&1 &
sandbox_bg $!
for _ in 1 2 3; do sql 2 "FLUSH RELAY LOGS"; sleep 0.5; done
before=$(wc -l <"$D/host2/relay/relay-bin.index")
agent 2 "/v1/relay-logs/purge" -X POST >/dev/null
[ "$(status)" = 200 ] || sandbox_fail "purge: $(status) $(cat "$W/body")"
echo "   purge: $(cat "$W/body")"
after=$(wc -l <"$D/host2/relay/relay-bin.index")
[ "$after" -lt "$before" ] || sandbox_fail "purge removed nothing ($before relay logs before, $after after)"
current=$(slave_field 2 Relay_Log_File)
[ -f "$D/host2/relay/$current" ] || sandbox_fail "purge removed the SQL thread's relay log $current"
[ "$(sql 2 "SELECT @@relay_log_purge")" = 0 ] || sandbox_fail "relay_log_purge left on"
[ -z "$(ls "$D/host2/agent-work" | grep purge- || true)" ] || sandbox_fail "hard links left in workdir"
mariadb --no-defaults -uroot --socket="$D/host2/mysqld.sock" -N -e \
    "SELECT GET_LOCK('MHA_Master_High_Availability_Failover', 0); SELECT SLEEP(4)" >/dev/null &
holder=$!
sandbox_bg $holder
sleep 0.5
agent 2 "/v1/relay-logs/purge?wait=1" -X POST >/dev/null
[ "$(status)" = 409 ] || sandbox_fail "purge while the failover lock is held: $(status), expected 409"
t0=$(date +%s)
"$MHA_BIN/mha-agent" purge-relay-logs --conf="$D/host2/agent.cnf" --wait=20 >"$W/purge.out" ||
    sandbox_fail "mha-agent purge-relay-logs: $(cat "$W/purge.out")"
(( $(date +%s) - t0 >= 2 )) || sandbox_fail "purge-relay-logs did not wait for the failover lock"
wait "$holder" || true
sleep 13
"$SANDBOX_VERIFY" --dir "$D" --acked "$W/acked" --timeout 30 >"$W/verify.log" 2>&1 ||
    sandbox_fail "verify after purge under load: $(tail -5 "$W/verify.log")"
[ "$(slave_field 2 Slave_SQL_Running)" = Yes ] || sandbox_fail "host2's SQL thread stopped"

step "position already purged from host2's relay logs: a clear 404"
agent 2 "/v1/relay-logs/position?master_file=$early_file&master_pos=$early_pos" >/dev/null
[ "$(status)" = 404 ] || sandbox_fail "purged position: $(status) $(cat "$W/body")"
grep -q "purged" "$W/body" || sandbox_fail "purged position: unclear message $(cat "$W/body")"

step "saved binlog of a SIGKILLed master decodes every event written before the kill"
sql 1 "INSERT INTO t.a VALUES (5000, 5000); FLUSH BINARY LOGS; BEGIN; INSERT INTO t.a VALUES (5001, 1); INSERT INTO t.a VALUES (5002, 2); COMMIT"
sandbox_cmd kill-mysqld --dir "$D" 1 >/dev/null
agent 1 /v1/binlogs >/dev/null
[ "$(status)" = 200 ] || sandbox_fail "GET /v1/binlogs with mysqld dead: $(status)"
first=$(json binlogs | python3 -c 'import ast,sys; print(ast.literal_eval(sys.stdin.read())[0]["name"])')
agent 1 "/v1/binlogs/$first?from=4" >"$W/saved.bin"
[ "$(status)" = 200 ] || sandbox_fail "saved binlog with mysqld dead: $(status)"
mapfile -t files < <(sed "s|^\./|$D/host1/binlog/|" "$D/host1/binlog/mysql-bin.index")
count() { grep -cE "^#[0-9].*(GTID|Write_rows|Query|Xid|Table_map)"; }
want=$(mariadb-binlog "${files[@]}" 2>/dev/null | count)
got=$(mariadb-binlog --skip-gtid-strict-mode "$W/saved.bin" | count)
[ "$got" = "$want" ] || sandbox_fail "saved stream decodes $got events, the binlogs hold $want"
mariadb-binlog --skip-gtid-strict-mode "$W/saved.bin" >"$W/saved.sql" || sandbox_fail "the saved stream does not decode"
grep -q "INSERT INTO t.a VALUES (5002, 2)" "$W/saved.sql" ||
    sandbox_fail "the last transaction before the kill is missing"
echo "PASS"
