# Scenario (issue 30, read_only enforcement): while the manager monitors the master, a replica
# made writable is set back to read_only=1 within two ping intervals and the log says so;
# replication stopped on a replica is reported and not restarted; started again, reported
# running. The master is never touched and the manager stays at PING_OK.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.96.61}
sandbox_addresses "$base"

sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"

step "manager starts watching"
manager_start manager "$CONF"

step "host3 made writable: back to read_only=1 within two ping intervals (2 s)"
sandbox_sql "$D" 3 "SET GLOBAL read_only=0"
set_at=$(date +%s.%N)
back=""
for _ in $(seq 1 40); do
    if [ "$(sandbox_sql "$D" 3 'SELECT @@read_only')" = 1 ]; then back=$(date +%s.%N); break; fi
    sleep 0.05
done
[ -n "$back" ] || { cat "$LOG"; sandbox_fail "host3 is still writable 2 s later"; }
echo "read_only=1 again after $(awk "BEGIN{printf \"%.2f\", $back - $set_at}") s"
grep -q "$(addr 3) was writable (read_only=0) though it is not the master: set read_only=1 again." "$LOG" \
    || { cat "$LOG"; sandbox_fail "no log line for the writable replica"; }
[ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 0 ] || sandbox_fail "the master was made read_only"

step "replication stopped on host2: reported, not restarted"
sandbox_sql "$D" 2 "STOP SLAVE"
for _ in $(seq 1 40); do
    grep -q "$(addr 2): replication is not running (IO No, SQL No" "$LOG" && break
    sleep 0.05
done
grep -q "$(addr 2): replication is not running (IO No, SQL No): reported, not restarted." "$LOG" \
    || { cat "$LOG"; sandbox_fail "stopped replication not reported"; }
sleep 3
st=$(sandbox_cmd status --dir "$D" | grep '^host2 ')
grep -q "io=No sql=No" <<<"$st" || sandbox_fail "replication was restarted behind the operator's back: $st"
[ "$(grep -c "$(addr 2): replication is not running" "$LOG")" = 1 ] \
    || { cat "$LOG"; sandbox_fail "the stopped replication was reported more than once"; }

step "started again: reported running"
sandbox_sql "$D" 2 "START SLAVE"
for _ in $(seq 1 60); do
    grep -q "$(addr 2): replication runs again (IO Yes, SQL Yes)" "$LOG" && break
    sleep 0.05
done
grep -q "$(addr 2): replication runs again (IO Yes, SQL Yes)" "$LOG" || { cat "$LOG"; sandbox_fail "no 'runs again' line"; }
"$MHA_BIN/masterha_check_status" --conf="$CONF" | grep -q "PING_OK" || sandbox_fail "the manager is not at PING_OK"
kill -0 "$manager" || sandbox_fail "the manager exited"
echo PASS
