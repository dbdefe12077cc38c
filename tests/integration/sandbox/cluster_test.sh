# Scenario: a 3-node sandbox (file/position, or GTID with SANDBOX_MODE=--gtid) replicates,
# its agents report their servers, its faults and partitions do what they say, its oracle
# (load + verify) passes on a healthy cluster and fails when a replica lost a row, and `down`
# leaves nothing behind. Base address: SANDBOX_BASE (default 127.0.0.41).
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

mode=${SANDBOX_MODE:---no-gtid}
base=${SANDBOX_BASE:-127.0.0.41}
sandbox_addresses "$base"
proxy() { echo "$MHA_PROXIES" | cut -d' ' -f"$1"; }        # the manager's SQL path
agent_proxy() { echo "$MHA_AGENT_PROXIES" | cut -d' ' -f"$1"; }  # the manager's agent path

step "up 3 nodes $mode at $base"
sandbox_start D --nodes 3 "$mode" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
[ "$MHA_HOSTS" = "$(addr 1) $(addr 2) $(addr 3)" ] || sandbox_fail "MHA_HOSTS=$MHA_HOSTS"
for f in app.cnf perl-app.cnf env; do [ -s "$D/$f" ] || sandbox_fail "no $D/$f"; done
grep -q "^ip=$(proxy 1)$" "$D/app.cnf" || sandbox_fail "app.cnf lacks the proxy ip= of host1"
grep -q "agent_\|^ip=" "$D/perl-app.cnf" && sandbox_fail "perl-app.cnf has agent keys or ip="
grep -q "gtid=$([ "$mode" = --gtid ] && echo Slave_Pos || echo No)" <(sandbox_cmd status --dir "$D" | grep host2) \
    || { sandbox_cmd status --dir "$D"; sandbox_fail "replication mode is not $mode"; }

step "a write on the master shows on both replicas"
sandbox_sql "$D" 1 "CREATE DATABASE test; CREATE TABLE test.t (id INT PRIMARY KEY); INSERT INTO test.t VALUES (1),(2)"
wait_rows() {  # host, sql, expected, seconds
    local _
    for _ in $(seq 1 $(( $4 * 10 ))); do
        [ "$(sandbox_sql "$D" "$1" "$2" 2>/dev/null)" = "$3" ] && return 0
        sleep 0.1
    done
    return 1
}
for h in 2 3; do
    wait_rows "$h" "SELECT COUNT(*) FROM test.t" 2 10 || sandbox_fail "host$h did not get the write"
done

health() {  # host index [address] -> HTTP status of GET /health
    curl -s -o /dev/null -w '%{http_code}' --max-time 3 --cacert "$MHA_CA" --cert "$MHA_CERT" \
        --key "$MHA_KEY" "https://${2:-$(addr "$1")}:$MHA_AGENT_PORT/health" || true
}
[ -n "$MHA_CA" ] || sandbox_fail "the sandbox started without agents (no mha-agent in $MHA_BIN?)"
if [ -n "$MHA_CA" ]; then
    step "each agent's /health gives its server_id"
    for h in 1 2 3; do
        body=$(curl -s --max-time 5 --cacert "$MHA_CA" --cert "$MHA_CERT" --key "$MHA_KEY" \
            "https://$(addr "$h"):$MHA_AGENT_PORT/health")
        python3 -c 'import json,sys; b=json.loads(sys.argv[1]); sys.exit(b["mysqld"]["server_id"] != int(sys.argv[2]))' \
            "$body" "$h" || sandbox_fail "host$h /health: $body"
    done
fi

step "kill-mysqld: the manager's open connection is closed at once; start-mysqld brings it back"
MYSQL_PWD=$MHA_PASSWORD timeout 20 mariadb --no-defaults -h "$(proxy 3)" -u "$MHA_USER" \
    -e 'SELECT SLEEP(15)' >/dev/null 2>&1 &
sleeper=$!
sandbox_bg $sleeper
sleep 0.5
sandbox_cmd kill-mysqld --dir "$D" 3
start=$(date +%s%N)
wait $sleeper && sandbox_fail "the query through the proxy survived the crash"
(( ($(date +%s%N) - start) / 1000000 < 2000 )) || sandbox_fail "the proxy kept the manager's side open"
if [ -n "$MHA_CA" ]; then
    code=$(health 3)
    [ "$code" = 503 ] || sandbox_fail "host3 /health with mysqld dead: $code, expected 503"
fi
sandbox_cmd start-mysqld --dir "$D" 3
if [ -n "$MHA_CA" ]; then
    for _ in $(seq 1 50); do [ "$(health 3)" = 200 ] && break; sleep 0.1; done
    [ "$(health 3)" = 200 ] || sandbox_fail "host3 /health after start-mysqld: $(health 3)"
fi
sandbox_sql "$D" 1 "INSERT INTO test.t VALUES (3)"
wait_rows 3 "SELECT COUNT(*) FROM test.t" 3 10 || sandbox_fail "host3 does not replicate after restart"

step "the app account cannot write on a replica"
if MYSQL_PWD=$MHA_APP_PASSWORD mariadb --no-defaults -h "$(addr 2)" -u "$MHA_APP_USER" \
    -e "INSERT INTO $MHA_LOAD_TABLE (id, writer) VALUES (999999, 'replica')" 2>/tmp/app-err.$$; then
    sandbox_fail "app wrote on a read_only replica"
fi
grep -q "read-only\|read_only" /tmp/app-err.$$ || { cat /tmp/app-err.$$; rm -f /tmp/app-err.$$; sandbox_fail "unexpected error"; }
rm -f /tmp/app-err.$$

step "partition: the manager's path times out, replicas keep replicating; heal restores"
sandbox_cmd partition --dir "$D" 1
start=$(date +%s%N)
if MYSQL_PWD=$MHA_PASSWORD timeout 3 mariadb --no-defaults -h "$(proxy 1)" -u "$MHA_USER" -e 'SELECT 1' >/dev/null 2>&1; then
    sandbox_fail "the manager reached the partitioned master"
fi
(( ($(date +%s%N) - start) / 1000000 >= 2500 )) || sandbox_fail "partition refused instead of timing out"
sandbox_sql "$D" 1 "INSERT INTO test.t VALUES (4)"
for h in 2 3; do
    wait_rows "$h" "SELECT COUNT(*) FROM test.t" 4 10 || sandbox_fail "host$h stopped replicating under partition"
done
if [ -n "$MHA_CA" ]; then
    sandbox_cmd partition --dir "$D" 1 --agent
    [ "$(health 1 "$(agent_proxy 1)")" = 000 ] || sandbox_fail "agent path not partitioned"
    [ "$(health 1)" = 200 ] || sandbox_fail "agent's own address must stay reachable"
    sandbox_cmd heal --dir "$D" 1 --agent
    [ "$(health 1 "$(agent_proxy 1)")" = 200 ] || sandbox_fail "agent path not healed"
fi
sandbox_cmd heal --dir "$D" 1
[ "$(MYSQL_PWD=$MHA_PASSWORD timeout 5 mariadb --no-defaults -h "$(proxy 1)" -u "$MHA_USER" -N -e 'SELECT @@server_id')" = 1 ] \
    || sandbox_fail "heal did not restore the manager's path"

step "verify: 0 lost under load on a healthy cluster"
acked="$D/acked"
"$SANDBOX_LOAD" --dir "$D" --acked "$acked" --rate 100 --seconds 3
"$SANDBOX_VERIFY" --dir "$D" --acked "$acked" --timeout 20 || sandbox_fail "verify on a healthy cluster"

step "verify: a row deleted on one replica behind replication's back is a loss"
victim=$(head -n 5 "$acked" | tail -n 1)
sandbox_sql "$D" 3 "SET SESSION sql_log_bin=0; DELETE FROM $MHA_LOAD_TABLE WHERE id=$victim"
if out=$("$SANDBOX_VERIFY" --dir "$D" --acked "$acked" --timeout 10); then
    echo "$out"; sandbox_fail "verify passed with a lost row"
fi
echo "$out"
grep -q "$(addr 3) rows=.* lost=1 " <<<"$out" || sandbox_fail "verify did not name the loss on host3"

step "down: no process left, nothing listens on the sandbox addresses"
pids=$(sandbox_pids "$D")
sandbox_cmd down --dir "$D"
[ ! -e "$D" ] || sandbox_fail "$D still exists"
for pid in $pids; do
    if kill -0 "$pid" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]; then
        sandbox_fail "pid $pid is still running: $(tr '\0' ' ' <"/proc/$pid/cmdline")"
    fi
done
listening=$(ss -Hltn | awk '{print $4}')
for a in $MHA_HOSTS $MHA_PROXIES $MHA_AGENT_PROXIES; do
    grep -qE "^${a//./\\.}:" <<<"$listening" && sandbox_fail "something still listens on $a"
done
echo "PASS"
