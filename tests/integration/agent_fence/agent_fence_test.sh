# Scenario: the agents tell a live, a frozen and a crashed mysqld apart (/v1/mysqld), see
# whether another host's server answers (/v1/probe: a TCP connect is not enough, access denied
# is), and fence an old master so that it stays harmless across a restart until unfenced
# (/v1/fence, /v1/unfence); the monitor certificate may call none of these routes.
# Sandbox at 127.0.0.81-83 (SANDBOX_BASE to move it).
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.0.81}
sandbox_addresses "$base"
now_ms() { echo $(($(date +%s%N) / 1000000)); }

step "up 3 nodes --no-gtid at $base"
sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
[ -n "$MHA_CA" ] || sandbox_fail "the sandbox started without agents (no mha-agent in $MHA_BIN)"
H1=$(addr 1)
FENCE=$D/host1/fence.d/fence.cnf
PIDFILE=$(sed -n 's/^pid_file = //p' "$D/host1/agent.cnf")
[ -n "$PIDFILE" ] || sandbox_fail "host1/agent.cnf has no pid_file"

# agent HOSTINDEX METHOD PATH [curl args…]: the body, then the status on the last line.
agent() {
    local h=$1 method=$2 path=$3
    shift 3
    curl -sS --max-time 15 --cacert "$MHA_CA" --cert "$MHA_CERT" --key "$MHA_KEY" \
        -X "$method" "$@" -w '\n%{http_code}\n' "https://$(addr "$h"):$MHA_AGENT_PORT$path"
}
monitor() {
    local h=$1 method=$2 path=$3
    curl -sS --max-time 15 --cacert "$MHA_CA" --cert "$D/certs/monitor.crt" \
        --key "$D/certs/monitor.key" -X "$method" -o /dev/null -w '%{http_code}' \
        "https://$(addr "$h"):$MHA_AGENT_PORT$path"
}
status_of() { tail -n 1 <<<"$1"; }
body_of() { sed '$d' <<<"$1"; }
# expect OUTPUT STATUS JQ_FILTER…: the status and every filter true on the body.
expect() {
    local out=$1 status=$2 filter
    shift 2
    [ "$(status_of "$out")" = "$status" ] || sandbox_fail "expected $status, got: $out"
    for filter in "$@"; do
        [ "$(body_of "$out" | jq -r "$filter")" = true ] || sandbox_fail "not ($filter): $out"
    done
}
app_write() {  # host index, id: exit status of an INSERT as the app account over TCP
    MYSQL_PWD=$MHA_APP_PASSWORD mariadb --no-defaults -h "$(addr "$1")" -u "$MHA_APP_USER" \
        -e "INSERT INTO $MHA_LOAD_TABLE (id, writer) VALUES ($2, 'agent_fence')" 2>&1
}

step "the monitor certificate gets 403 on every detection and fencing route"
for route in "GET /v1/mysqld" "GET /v1/probe?host=$H1" "POST /v1/fence" "POST /v1/unfence"; do
    code=$(monitor 1 ${route% *} "${route#* }")
    [ "$code" = 403 ] || sandbox_fail "monitor $route: expected 403, got $code"
done
[ ! -e "$FENCE" ] || sandbox_fail "a refused /v1/fence wrote the fence file"

step "/v1/mysqld: a live server is running and answers SELECT 1"
out=$(agent 1 GET /v1/mysqld)
expect "$out" 200 '.process == "running"' '.answers and .select_ok and .greeting' \
    '.pid > 0' '.process_name == "mariadbd"' '.version | startswith("10.11")' '.error == ""'

step "/v1/probe: host2 and host3 reach host1; access denied still answers"
for h in 2 3; do
    out=$(agent "$h" GET "/v1/probe?host=$H1&port=3306")
    expect "$out" 200 '.answers and .connected and .greeting' '.probe_account and .select_ok' \
        '.version | startswith("10.11")'
done
probe_cnf=$D/host2/probe-credentials.cnf
cp "$probe_cnf" "$D/probe-credentials.saved"
printf '[client]\nuser=%s\npassword=wrong-password\n' "$MHA_APP_USER" >"$probe_cnf"
out=$(agent 2 GET "/v1/probe?host=$H1")
cp "$D/probe-credentials.saved" "$probe_cnf"
expect "$out" 200 '.answers' '.select_ok | not' '.server_error == 1045'
body_of "$out" | grep -q "wrong-password" && sandbox_fail "the probe's password is in its answer"
for bad in "host=bad%20host!" "host=$H1&port=0" "host=$H1&port=70000" "port=3306" \
    "host=$H1&timeout_ms=0"; do
    out=$(agent 2 GET "/v1/probe?$bad")
    [ "$(status_of "$out")" = 400 ] || sandbox_fail "/v1/probe?$bad: expected 400, got: $out"
done

step "frozen: /v1/mysqld says stopped at once, probes time out within their deadline"
sandbox_cmd freeze --dir "$D" 1
t0=$(now_ms)
out=$(agent 1 GET /v1/mysqld)
took=$(($(now_ms) - t0))
expect "$out" 200 '.process == "stopped"' '.answers | not'
echo "   /v1/mysqld on the frozen mysqld: $took ms"
[ "$took" -lt 1500 ] || sandbox_fail "/v1/mysqld on a frozen mysqld took $took ms"
t0=$(now_ms)
out=$(agent 2 GET "/v1/probe?host=$H1&timeout_ms=800")
took=$(($(now_ms) - t0))
expect "$out" 200 '.connected' '.answers | not' '.greeting | not' '.elapsed_ms < 1000'
echo "   /v1/probe (timeout_ms=800) of the frozen mysqld: $took ms"
[ "$took" -lt 1500 ] || sandbox_fail "/v1/probe of a frozen mysqld took $took ms"
sandbox_cmd thaw --dir "$D" 1
out=$(agent 2 GET "/v1/probe?host=$H1")
expect "$out" 200 '.answers'

step "killed: /v1/mysqld says absent, probes get no answer"
sandbox_cmd kill-mysqld --dir "$D" 1
for _ in $(seq 1 20); do
    out=$(agent 1 GET /v1/mysqld)
    [ "$(body_of "$out" | jq -r .process)" = absent ] && break
    sleep 0.1
done
expect "$out" 200 '.process == "absent"' '.answers | not' '.process_detail | contains("no process")'
out=$(agent 2 GET "/v1/probe?host=$H1")
expect "$out" 200 '.answers | not' '.connected | not'
sandbox_cmd start-mysqld --dir "$D" 1

step "/v1/fence on the live master: read_only now, and the fence file is written"
out=$(agent 1 POST /v1/fence)
expect "$out" 200 '.fenced and .read_only_set and .fence_file_written' '.action == "read_only"' \
    '.killed | not' '.super_read_only | not' '.process == "running"'
[ -f "$FENCE" ] || sandbox_fail "no fence file $FENCE"
grep -qx "read_only=1" "$FENCE" || sandbox_fail "fence file lacks read_only=1: $(cat "$FENCE")"
grep -q "super_read_only" "$FENCE" && sandbox_fail "MariaDB fence file has super_read_only"
[ "$(sandbox_sql "$D" 1 'SELECT @@global.read_only')" = 1 ] || sandbox_fail "read_only is not 1"
app_write 1 900001 >/dev/null && sandbox_fail "app wrote on the fenced master"
out=$(agent 1 POST /v1/fence -d '{"timeout_ms": 2000}')
expect "$out" 200 '.fenced and .read_only_set' '.action == "read_only"'

step "restarted after the fence: read_only from the first connection, app writes fail"
sandbox_cmd kill-mysqld --dir "$D" 1
sandbox_cmd start-mysqld --dir "$D" 1
[ "$(sandbox_sql "$D" 1 'SELECT @@global.read_only')" = 1 ] \
    || sandbox_fail "the fenced master came back writable"
err=$(app_write 1 900002) && sandbox_fail "app wrote on the restarted fenced master"
grep -q "read-only\|read_only" <<<"$err" || sandbox_fail "unexpected app error: $err"

step "/v1/unfence and a restart: writable again"
out=$(agent 1 POST /v1/unfence)
expect "$out" 200 '.existed and .removed'
[ ! -e "$FENCE" ] || sandbox_fail "the fence file is still there"
out=$(agent 1 POST /v1/unfence)
expect "$out" 200 '.existed | not'
sandbox_cmd kill-mysqld --dir "$D" 1
sandbox_cmd start-mysqld --dir "$D" 1
[ "$(sandbox_sql "$D" 1 'SELECT @@global.read_only')" = 0 ] || sandbox_fail "still read_only"
app_write 1 900003 >/dev/null || sandbox_fail "app cannot write after unfence and restart"

step "/v1/fence on a frozen master: SIGKILL, the process is gone, the fence file stays"
pid=$(cat "$PIDFILE")
sandbox_cmd freeze --dir "$D" 1
t0=$(now_ms)
out=$(agent 1 POST /v1/fence)
took=$(($(now_ms) - t0))
expect "$out" 200 '.fenced and .killed and .fence_file_written' '.action == "killed"' \
    '.process == "stopped"' ".pid == $pid"
echo "   /v1/fence of the frozen mysqld (SIGKILL): $took ms"
[ "$took" -lt 2000 ] || sandbox_fail "fencing a frozen mysqld took $took ms"
state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)
[ "$state" = gone ] || [ "$state" = Z ] || sandbox_fail "mysqld $pid still alive ($state)"
[ -f "$FENCE" ] || sandbox_fail "no fence file after fencing the frozen master"
out=$(agent 1 POST /v1/fence)
expect "$out" 200 '.fenced' '.action == "none"' '.process == "absent" or .process == "zombie"'

step "the killed master restarts read_only; unfence for the teardown"
sandbox_cmd start-mysqld --dir "$D" 1
[ "$(sandbox_sql "$D" 1 'SELECT @@global.read_only')" = 1 ] || sandbox_fail "came back writable"
out=$(agent 1 POST /v1/unfence)
expect "$out" 200 '.existed'
echo "agent_fence: all scenarios passed"
