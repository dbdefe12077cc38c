# MHA's binlog servers (issue 32), on one `sandbox up --binlog-server` (3 nodes, no semi-sync:
# durability=async; [binlog1] in app.cnf: mariadb-binlog --raw --stop-never streams the master's
# binlog, an mha-agent without mysqld serves it), one replication mode per run (GTID=0|1):
#   1. check-repl: OK naming the binlog server and how far it follows the master's binlog;
#      NOT OK naming it while its agent is down (kill-agent binlog1), OK again once it is back;
#      NOT OK naming it while its streamer is frozen and the master writes (its copy stops
#      short of the master's position), OK once it runs again.
#   2. the failover salvages from the binlog server: under the app load, both replicas' IO
#      threads stopped (host3's 0.4 s before host2's: host3 is levelled from host2's relay log
#      first), writes go on for 1 s, the load ends, 300 ms later the master's host is
#      killed (mysqld and agent): the manager fails over, the log names the binlog server and
#      how far its complete transactions reach, and verify (without --died) finds every
#      acknowledged row: the last second's rows came from the binlog server only. The Failover
#      Report says they were salvaged from it, and why that is not certain under async.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.156.11}
gtid=${GTID:-0}
sandbox_addresses "$base"
mode=$([ "$gtid" = 1 ] && echo --gtid || echo --no-gtid)

sandbox_start D --nodes 3 "$mode" --base-ip "$base" --binlog-server || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
sql() { sandbox_sql "$D" "$@"; }
[ -n "$MHA_BINLOG_SERVER" ] || sandbox_fail "no binlog server in the sandbox"
grep -q '^\[binlog1\]$' "$CONF" || sandbox_fail "app.cnf has no [binlog1]"

check_repl() { check_repl_expect "$CONF" "$D/check.out" "$@"; }  # EXPECTED_EXIT [NEEDLE…]
bs="Binlog server binlog1 ($MHA_BINLOG_SERVER, agent $MHA_BINLOG_SERVER:$MHA_AGENT_PORT)"

step "1. check-repl: OK with the binlog server; NOT OK naming it when its agent is down"
check_repl 0 "$bs: follows the master's binlog: mysql-bin.000001 at" "MySQL Replication Health is OK."
sandbox_cmd kill-agent --dir "$D" binlog1
check_repl 1 "$bs: its agent is not reachable: " "MySQL Replication Health is NOT OK!"
sandbox_cmd start-host --dir "$D" binlog1
check_repl 0 "$bs: follows the master's binlog:" "MySQL Replication Health is OK."
# The streamer frozen while the master writes: its copy stops short of the master's position.
streamer=$(cat "$D/binlog1/stream.pid")
kill -STOP "$streamer"
sql 1 "CREATE DATABASE IF NOT EXISTS binlog_server_probe"
rc=0
"$MHA_BIN/masterha_check_repl" --conf="$CONF" >"$D/check.out" 2>&1 || rc=$?
kill -CONT "$streamer"
[ "$rc" = 1 ] && grep -q "$bs: does not follow the master's binlog: its mysql-bin.000001 stops at [0-9]*, the master is at [0-9]* (listed again for 1 s)" "$D/check.out" ||
    { cat "$D/check.out"; sandbox_fail "check-repl did not name the binlog server whose streamer is frozen (exit $rc)"; }
grep "does not follow" "$D/check.out"
check_repl 0 "$bs: follows the master's binlog:" "MySQL Replication Health is OK."

step "2. the master's host dies; the replicas missed its last second: salvaged from the binlog server"
manager_start manager "$CONF"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 3 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 1
sandbox_cmd stop-replica --dir "$D" 3 --io
sleep 0.4  # host3 behind host2: levelled from host2's relay log, then from the binlog server
sandbox_cmd stop-replica --dir "$D" 2 --io
stopped=$(wc -l <"$D/acked")
wait "$load" || { cat "$D/load.out"; sandbox_fail "the load failed"; }
sleep 0.3
sandbox_cmd kill-host --dir "$D" 1
total=$(wc -l <"$D/acked")
echo "acknowledged rows: $total ($stopped when the IO threads stopped)"
[ "$total" -gt $((stopped + 20)) ] || sandbox_fail "too few rows written after the IO threads stopped"
for _ in $(seq 1 600); do kill -0 "$manager" 2>/dev/null || break; sleep 0.1; done
kill -0 "$manager" 2>/dev/null && { cat "$LOG"; sandbox_fail "no failover 60 s after the kill"; }
rc=0
wait "$manager" || rc=$?
[ "$rc" = 10 ] || [ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }  # 10: not fenced (host gone)
grep -q "Dead Master's agent is not reachable: salvaging from the binlog servers." "$LOG" \
    || { cat "$LOG"; sandbox_fail "no salvage from the binlog servers"; }
grep -q "binlog server binlog1 ($MHA_BINLOG_SERVER): [0-9]* complete transaction(s) after mysql-bin.[0-9]*:[0-9]*, up to mysql-bin.[0-9]*:[0-9]*" "$LOG" \
    || { cat "$LOG"; sandbox_fail "no evidence line for the binlog server"; }
grep -q "Using binlog server binlog1 ($MHA_BINLOG_SERVER)" "$LOG" || { cat "$LOG"; sandbox_fail "binlog1 not used"; }
grep -q "$(addr 3)(.*): events after .* from $(addr 2)(.*)'s relay log" "$LOG" ||
    { cat "$LOG"; sandbox_fail "host3 was not levelled from host2's relay log"; }
report=$(sed -n '/----- Failover Report -----/,$p' "$LOG")
echo "$report" | grep -q "Saved [0-9]* bytes of binlog events of the dead master .* from binlog server binlog1 ($MHA_BINLOG_SERVER)" \
    || { echo "$report"; sandbox_fail "the Failover Report does not name the binlog server"; }
echo "$report" | grep -q "Acknowledged transactions: NOT certain (durability=async): the dead master's binlog could not be read; its events up to mysql-bin.[0-9]*:[0-9]* were salvaged from binlog server binlog1" \
    || { echo "$report"; sandbox_fail "the Failover Report's acknowledged line"; }
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$LOG"; sandbox_fail "verify: an acknowledged row is missing"; }
grep "binlog server\|Using binlog" "$LOG"
sandbox_cmd status --dir "$D"
echo PASS
