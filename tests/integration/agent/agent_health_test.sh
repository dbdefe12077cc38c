# GET /health against a real mariadbd: 200 with its server_id, version, read_only, log_bin and
# basenames over the unix socket with the credentials file; 503 with the reason once it stops.
set -uo pipefail
source "$(dirname "$0")/lib.sh" || exit 1
source "$MHA_SOURCE/tests/support/mariadbd.sh" || exit 1

ADDR=127.0.3.3
DB_ADDR=127.0.3.4
PORT=7443
URL="https://$ADDR:$PORT"
WORK=$(mktemp -d /tmp/mha-agent-health.XXXXXX)
cleanup() {
    stop_agent
    mariadbd_stop "$WORK/db"
    rm -rf "$WORK"
}
trap cleanup EXIT

mariadbd_start "$WORK/db" "$DB_ADDR" 3306 $'server_id=4711\nlog_bin=mysql-bin\nrelay_log=relay-bin\nread_only=1' \
    || fail "mariadbd did not start"
mariadbd_sql "$WORK/db" "CREATE USER 'mha_agent'@'localhost' IDENTIFIED BY 'agent-Secret-1'" \
    || fail "cannot create the agent's account"
printf '[client]\nuser=mha_agent\npassword="agent-Secret-1"\n' >"$WORK/credentials.cnf"
chmod 600 "$WORK/credentials.cnf"

CERTS=$WORK/certs
make_certs "$CERTS" "$ADDR" || fail "mha-certs"
write_agent_cnf "$WORK/agent.cnf" "$CERTS" "$ADDR" "$PORT" "$WORK/db/mysqld.sock" "$WORK/credentials.cnf"
start_agent "$WORK/agent.cnf" "$WORK/agent.log" "$ADDR" "$PORT"

out=$(acurl "$CERTS" manager "$URL/health")
[ "$(status_of "$out")" = 200 ] || fail "/health against mariadbd: expected 200, got: $out"
for want in '"status":"ok"' '"reachable":true' '"server_id":4711' '"read_only":true' \
    '"log_bin":true' "\"log_bin_basename\":\"$WORK/db/data/mysql-bin\"" \
    "\"relay_log_basename\":\"$WORK/db/data/relay-bin\"" '"version":"10.11' '"error":""'; do
    grep -qF "$want" <<<"$out" || fail "/health body lacks $want: $out"
done
pass "/health is 200 with server_id 4711 and the server's state against a real mariadbd"

out=$(acurl "$CERTS" monitor "$URL/health")
[ "$(status_of "$out")" = 200 ] || fail "monitor /health: expected 200, got: $out"
pass "the monitor certificate gets /health"

out=$(acurl "$CERTS" monitor "$URL/metrics")
[ "$(status_of "$out")" = 200 ] || fail "monitor /metrics: expected 200, got: $out"
metrics=$(body_of "$out")
bad=$(exposition_errors "$metrics")
[ -z "$bad" ] || fail "/metrics lines that are not Prometheus text: $bad"
for want in 'mha_agent_mysqld_up 1' 'mha_agent_mysqld_read_only 1' 'mha_agent_mysqld_server_id 4711' \
    'mha_agent_http_requests_total{route="/health",code="200"} 2'; do
    grep -qxF "$want" <<<"$metrics" || fail "/metrics lacks the line $want: $metrics"
done
pass "monitor gets /metrics with mysqld up, read_only, server_id 4711 and the /health answers counted"

grep -q "agent-Secret-1" "$WORK/agent.log" && fail "the password appears in the agent log"
mariadbd_stop "$WORK/db"
out=$(acurl "$CERTS" manager "$URL/health")
[ "$(status_of "$out")" = 503 ] || fail "/health after mysqld stopped: expected 503, got: $out"
grep -q '"status":"mysqld_unavailable"' <<<"$out" || fail "503 body lacks the status: $out"
grep -q "mysqld.sock" <<<"$out" || fail "503 body does not say why: $out"
grep -q "agent-Secret-1" <<<"$out" && fail "the password appears in the health body"
pass "/health is 503 with the reason once mysqld is gone"

kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
rc=$?
AGENT_PID=""
[ "$rc" = 0 ] || fail "mha-agent exited $rc on SIGTERM"
pass "SIGTERM stops the agent cleanly (exit 0)"
