# Scenarios (issues 25 and 27): a long apply is not cut by a fixed time limit, and a failed or
# refused apply says the truth and cleans up, against real agents over real TLS.
#  1. host3's SQL thread stopped while the master wrote a backlog that host3 applies slowly
#     (its copy of the table has no index: every row event scans it), the master killed: the
#     manager, whose agent_silence_timeout is 1 s, levels host3 for several times that long,
#     logging progress lines; host3 ends with the new master's rows.
#  2. A request body that stalls: answered 408 at host3's agent's io_timeout (3 s here), and the
#     apply lock is free at once (the next apply is not refused with 409).
#  3. A segment with a bad CRC: 400 naming the segment, mysqld untouched (SQL thread running).
#  4. A statement that fails in the first of two master binlog files of one stream: 422 naming
#     that file (not the stream's last one) and the segment; after repeated failures only the
#     last 3 apply work directories are left.
#  5. A 20 MB row (over host3's max_allowed_packet): applied, the setting restored after.
# SANDBOX_BASE (default 127.0.86.11).
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"
base=${SANDBOX_BASE:-127.0.86.11}
sandbox_addresses "$base"
sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
W=$D/work
mkdir -p "$W" "$D/manager"
sql() { sandbox_sql "$D" "$@"; }
agent_addr() { awk -v s="[server$1]" '$0 == s {f = 1} f && /^agent_host=/ {sub(/^agent_host=/, ""); print; exit}' "$D/app.cnf"; }
# agent HOST PATH [curl args…]: the body to stdout; the HTTP status in $W/status.
agent() {
    local host=$1 path=$2
    shift 2
    rm -f "$W/body"
    curl -s --max-time 60 --cacert "$MHA_CA" --cert "$MHA_CERT" --key "$MHA_KEY" \
        -w '%{http_code}' -o "$W/body" "$@" "https://$(agent_addr "$host"):$MHA_AGENT_PORT$path" \
        >"$W/status" || true
    cat "$W/body" 2>/dev/null || true
}
status() { cat "$W/status"; }
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$W/body" "$1"; }
slave_field() {
    mariadb --no-defaults -uroot --socket="$D/host$1/mysqld.sock" -e 'SHOW SLAVE STATUS\G' |
        awk -v f="$2:" '$1 == f {print $2}'
}

step "host3's agent restarted with io_timeout = 3"
old_agent=$(cat "$D/host3/agent.pid")
kill "$old_agent"
for _ in $(seq 1 100); do kill -0 "$old_agent" 2>/dev/null || break; sleep 0.1; done
sed 's/^\[agent\]$/[agent]\nio_timeout = 3/' "$D/host3/agent.cnf" >"$D/host3/agent-short.cnf"
"$MHA_BIN/mha-agent" --conf="$D/host3/agent-short.cnf" >"$D/host3/agent-short.out" 2>&1 &
sandbox_bg $!
for _ in $(seq 1 100); do
    agent 3 /health >/dev/null
    [ "$(status)" = 200 ] && break
    sleep 0.1
done
[ "$(status)" = 200 ] || sandbox_fail "host3's agent did not come back: $(cat "$D/host3/agent-short.out")"

step "1. a backlog host3 applies slowly; the master killed; agent_silence_timeout=1"
sql 1 "CREATE DATABASE t; CREATE TABLE t.slow (id INT NOT NULL, v INT NOT NULL, KEY (id));
       USE t; INSERT INTO t.slow SELECT seq, 0 FROM seq_1_to_20000"
for _ in $(seq 1 100); do
    [ "$(sql 3 "SELECT COUNT(*) FROM t.slow" 2>/dev/null)" = 20000 ] && break
    sleep 0.1
done
sql 3 "SET SESSION sql_log_bin = 0; ALTER TABLE t.slow DROP KEY id"
# The manager starts first: its start-up check, like check-repl, refuses a stopped SQL thread.
sed -i 's/^\[server default\]$/[server default]\nagent_silence_timeout=1/' "$D/app.cnf"
LOG=$D/manager/manager.log
manager_start manager "$D/app.cnf"
sql 3 "STOP SLAVE SQL_THREAD"
seq 0 $((${UPDATES:-5000} - 1)) |
    awk '{print "UPDATE t.slow SET v = v + 1 WHERE id = " 1 + ($1 * 7919) % 20000 ";"}' |
    mariadb --no-defaults -uroot --socket="$D/host1/mysqld.sock"
want=$(sql 1 "SHOW MASTER STATUS" | awk '{print $2}')
for _ in $(seq 1 100); do
    [ "$(slave_field 3 Read_Master_Log_Pos)" = "$want" ] && [ "$(slave_field 2 Exec_Master_Log_Pos)" = "$want" ] && break
    sleep 0.1
done
[ "$(slave_field 3 Read_Master_Log_Pos)" = "$want" ] || sandbox_fail "host3 did not receive the backlog"
sandbox_cmd kill-mysqld --dir "$D" 1
for _ in $(seq 1 1200); do kill -0 "$manager" 2>/dev/null || break; sleep 0.1; done
kill -0 "$manager" 2>/dev/null && { cat "$LOG"; sandbox_fail "the failover did not end in 120 s"; }
rc=0
wait "$manager" || rc=$?
[ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }
grep -q "Master failover to .* completed successfully." "$LOG" || { cat "$LOG"; sandbox_fail "not completed"; }
took=$(grep "apply ended: HTTP 200 after" "$D/host3/agent.log" | tail -1 | sed 's/.*after \([0-9.]*\) s.*/\1/' || true)
echo "host3's apply took $took s (agent_silence_timeout=1)"
grep "$(addr 3)(.*): applying (its SQL thread" "$LOG" | head -5
awk -v t="$took" 'BEGIN {exit !(t > 3)}' || { grep -i apply "$D/host3/agent.log" | tail || true; sandbox_fail "host3's apply took $took s: not past the silence timeout enough to prove anything"; }
progress_lines=$(grep -c "$(addr 3)(.*): applying (its SQL thread" "$LOG" || true)
# The failover log shows a progress line at least every 5 s.
want_lines=$(awk -v t="$took" 'BEGIN {print (t > 6 ? 2 : 1)}')
[ "$progress_lines" -ge "$want_lines" ] || { cat "$LOG"; sandbox_fail "$progress_lines progress lines for host3 in the failover log, expected at least $want_lines"; }
[ "$(sql 2 "CHECKSUM TABLE t.slow")" = "$(sql 3 "CHECKSUM TABLE t.slow")" ] ||
    sandbox_fail "host3's t.slow differs from the new master's"
[ "$(slave_field 3 Slave_SQL_Running)" = Yes ] || sandbox_fail "host3 does not replicate from the new master"

step "2. a stalled request body: 408 at the body deadline, lock released"
sql 2 "CREATE TABLE t.k (id INT PRIMARY KEY); INSERT INTO t.k VALUES (1)"
file=$(sql 2 "SHOW MASTER STATUS" | awk '{print $1}')
agent 2 "/v1/binlogs/$file?from=4" >"$W/stream.bin"
[ "$(status)" = 200 ] || sandbox_fail "binlog stream from host2: $(status)"
python3 - "$(agent_addr 3)" "$MHA_AGENT_PORT" "$MHA_CA" "$MHA_CERT" "$MHA_KEY" "$W/stream.bin" >"$W/stall" <<'PY'
import socket, ssl, sys, time
host, port, ca, cert, key, stream = sys.argv[1:]
ctx = ssl.create_default_context(cafile=ca)
ctx.load_cert_chain(cert, key)
s = ctx.wrap_socket(socket.create_connection((host, int(port))), server_hostname=host)
piece = open(stream, "rb").read()[:100]
s.sendall(b"POST /v1/apply?include_relay_log=0 HTTP/1.1\r\nHost: x\r\n"
          b"Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
          + b"%x\r\n" % len(piece) + piece + b"\r\n")
t0 = time.time()
s.settimeout(20)
data = b""
while b"\r\n\r\n" not in data:
    chunk = s.recv(4096)
    if not chunk:
        break
    data += chunk
print(data.split(b"\r\n")[0].decode() if data else "no answer", round(time.time() - t0, 1))
PY
echo "stalled body: $(cat "$W/stall")"
read -r _ code _ <"$W/stall"
[ "$code" = 408 ] || sandbox_fail "stalled body answered '$(cat "$W/stall")', expected 408"
agent 3 "/v1/apply?include_relay_log=0" -X POST --data-binary "" >/dev/null
[ "$(status)" = 200 ] || sandbox_fail "the apply after a stalled one: $(status) $(cat "$W/body")"
sql 3 "START SLAVE SQL_THREAD"

step "3. a segment with a bad CRC: 400, mysqld untouched"
cp "$W/stream.bin" "$W/bad.bin"
size=$(stat -c %s "$W/bad.bin")
printf 'Z' | dd of="$W/bad.bin" bs=1 seek=$((size - 10)) conv=notrunc 2>/dev/null
agent 3 "/v1/apply?include_relay_log=0" -X POST --data-binary @"$W/bad.bin" >/dev/null
echo "   $(status) $(cat "$W/body")"
[ "$(status)" = 400 ] || sandbox_fail "bad CRC: $(status), expected 400"
if ! grep -q "segment 1" "$W/body" || ! grep -q "CRC32" "$W/body"; then
    sandbox_fail "the 400 names no segment or CRC"
fi
[ "$(slave_field 3 Slave_SQL_Running)" = Yes ] || sandbox_fail "a refused body stopped host3's SQL thread"

step "4. a failing statement in the first of two binlog files: 422 names that file"
sql 3 "STOP SLAVE"
pos=$(sql 2 "SHOW MASTER STATUS" | awk '{print $2}')
sql 2 "INSERT INTO t.k VALUES (2); FLUSH BINARY LOGS; INSERT INTO t.k VALUES (3)"
agent 2 "/v1/binlogs/$file?from=$pos" >"$W/two.bin"
[ "$(status)" = 200 ] || sandbox_fail "binlog stream from host2: $(status)"
sql 3 "SET SESSION sql_log_bin = 0; INSERT INTO t.k VALUES (2)"
for i in 1 2 3 4 5; do
    agent 3 "/v1/apply?include_relay_log=0" -X POST --data-binary @"$W/two.bin" >/dev/null
    [ "$(status)" = 422 ] || sandbox_fail "apply $i: $(status) $(cat "$W/body"), expected 422"
done
echo "   $(cat "$W/body")"
[ "$(json master_log_file)" = "$file" ] || sandbox_fail "the failure names $(json master_log_file), the event is in $file"
[ "$(json source_file)" = "request body segment 1" ] || sandbox_fail "source_file: $(json source_file)"
# source_pos is the failing row event's offset in the segment as sent.
mariadb-binlog "$W/two.bin" >"$W/two.sql" 2>/dev/null || true
grep -A1 "^# at $(json source_pos)\$" "$W/two.sql" | grep -q "Write_rows" ||
    sandbox_fail "source_pos $(json source_pos) is no Write_rows event of the segment"
kept=$(find "$D/host3/agent-work" -maxdepth 1 -name 'apply-*' -type d | wc -l)
[ "$kept" -le 3 ] || sandbox_fail "$kept apply work directories left after 5 failures, expected at most 3"
step "5. a 20 MB row: applied with max_allowed_packet raised for the apply, then restored"
packet=$(sql 3 "SELECT @@global.max_allowed_packet")
read -r file pos < <(sql 2 "SHOW MASTER STATUS" | awk '{print $1, $2}')
sql 2 "CREATE TABLE t.blob (id INT PRIMARY KEY, b LONGBLOB); SET GLOBAL max_allowed_packet = 67108864"
mariadb --no-defaults -uroot --socket="$D/host2/mysqld.sock" --max-allowed-packet=64M \
    -e "INSERT INTO t.blob VALUES (1, REPEAT('x', 20000000))"
agent 2 "/v1/binlogs/$file?from=$pos" >"$W/blob.bin"
[ "$(status)" = 200 ] || sandbox_fail "binlog stream from host2: $(status)"
agent 3 "/v1/apply?include_relay_log=0" -X POST --data-binary @"$W/blob.bin" >/dev/null
[ "$(status)" = 200 ] || sandbox_fail "the 20 MB row: $(status) $(cut -c1-300 "$W/body")"
[ "$(sql 3 "SELECT LENGTH(b) FROM t.blob WHERE id = 1")" = 20000000 ] || sandbox_fail "host3 lacks the 20 MB row"
[ "$(sql 3 "SELECT @@global.max_allowed_packet")" = "$packet" ] ||
    sandbox_fail "host3's max_allowed_packet is $(sql 3 "SELECT @@global.max_allowed_packet"), was $packet"
echo "PASS"
