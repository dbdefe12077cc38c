# Scenario: a 3-node sandbox (file/position, or GTID with SANDBOX_MODE=--gtid) is ready when
# `up` returns, its servers, app.cnf, perl-app.cnf (read by Perl MHA's own parser) and env are
# as DESIGN.md §7 says, it replicates, its agents report their servers, its accounts, faults
# and partitions do what they say, its oracle (load + verify) passes on a healthy cluster and
# fails when a replica lost a row, lags (bounded wait) or a second server is writable, and
# `down` leaves nothing behind. Base address: SANDBOX_BASE (default 127.0.0.41).
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

step "up returned only once everything is ready: status right away"
gtid_mode=$([ "$mode" = --gtid ] && echo Slave_Pos || echo No)
status=$(sandbox_cmd status --dir "$D")
echo "$status"
grep -q "^host1 $(addr 1) mysqld=running master writable agent=health=200 proxy=open agent-proxy=open$" \
    <<<"$status" || sandbox_fail "host1 is not a ready, writable master"
for h in 2 3; do
    grep -q "^host$h $(addr "$h") mysqld=running replica read_only source=$(addr 1) io=Yes sql=Yes gtid=$gtid_mode agent=health=200 proxy=open agent-proxy=open$" \
        <<<"$status" || sandbox_fail "host$h is not a ready $mode replica of host1"
done

step "each server: its own my.cnf first, binlog ROW, unique server_id, log_slave_updates, fence dir"
for h in 1 2 3; do
    argv=$(tr '\0' ' ' <"/proc/$(cat "$D/host$h/mysqld.pid")/cmdline")
    [ "$(cut -d' ' -f2 <<<"$argv")" = "--defaults-file=$D/host$h/my.cnf" ] \
        || sandbox_fail "host$h mariadbd does not start with its own --defaults-file: $argv"
    grep -qx "!includedir $D/host$h/fence.d" "$D/host$h/my.cnf" || sandbox_fail "host$h my.cnf lacks its fence dir"
    expected="1 ROW $h 1 $([ "$h" = 1 ] && echo 0 || echo 1) 0 $D/host$h/data/"
    got=$(sandbox_sql "$D" "$h" "SELECT @@log_bin, @@binlog_format, @@server_id, @@log_slave_updates, @@read_only, @@relay_log_purge, @@datadir" | tr '\t' ' ')
    [ "$got" = "$expected" ] || sandbox_fail "host$h: log_bin binlog_format server_id log_slave_updates read_only relay_log_purge datadir = '$got', expected '$expected'"
done

step "app.cnf: proxy ip=, real hostname=, binlog dirs, candidate on host2, agent keys"
python3 - "$D" "$MHA_PROXIES" "$MHA_AGENT_PROXIES" "$MHA_HOSTS" <<'PY' || sandbox_fail "app.cnf"
import configparser, sys
d, proxies, agent_proxies, hosts = sys.argv[1], *(a.split() for a in sys.argv[2:])
c = configparser.ConfigParser(interpolation=None)
c.read(f"{d}/app.cnf")
sd = c["server default"]
want = {"ping_interval": "1", "user": "mha", "repl_user": "repl", "agent_port": "7443",
        "agent_ca": f"{d}/certs/ca.crt", "agent_cert": f"{d}/certs/manager.crt",
        "agent_key": f"{d}/certs/manager.key"}
bad = [f"{k}={sd.get(k)!r}" for k, v in want.items() if sd.get(k) != v]
for i in range(3):
    s = c[f"server{i + 1}"]
    got = (s.get("hostname"), s.get("ip"), s.get("agent_host"), s.get("master_binlog_dir"),
           s.get("candidate_master"))
    exp = (hosts[i], proxies[i], agent_proxies[i], f"{d}/host{i + 1}/binlog",
           "1" if i == 1 else None)
    if got != exp:
        bad.append(f"server{i + 1}: {got} != {exp}")
if c.sections() != ["server default", "server1", "server2", "server3"]:
    bad.append(f"sections {c.sections()}")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
grep -q "agent_\|^ip=" "$D/perl-app.cnf" && sandbox_fail "perl-app.cnf has agent keys or ip="
for f in "$MHA_SSH_KEY" "$MHA_SSH_KEY.pub"; do [ -s "$f" ] || sandbox_fail "no SSH key $f"; done
grep -q "^ssh_options=-i $MHA_SSH_KEY " "$D/perl-app.cnf" || sandbox_fail "perl-app.cnf does not use $MHA_SSH_KEY"
if [ -f /usr/share/perl5/MHA/Config.pm ]; then
    # Perl MHA 0.58's own parser: it rejects any key it does not know
    perl -MMHA::Config -e '
        my ($servers) = MHA::Config->new(file => $ARGV[0], globalfile => "/nonexistent")->read_config();
        print join(" ", map { "$_->{hostname}:$_->{ip}:$_->{candidate_master}" } @$servers), "\n";' \
        "$D/perl-app.cnf" >"$D/perl-parse.out" 2>&1 || { cat "$D/perl-parse.out"; sandbox_fail "Perl MHA rejects perl-app.cnf"; }
    [ "$(cat "$D/perl-parse.out")" = "$(addr 1):$(addr 1):0 $(addr 2):$(addr 2):1 $(addr 3):$(addr 3):0" ] \
        || sandbox_fail "Perl MHA reads perl-app.cnf as: $(cat "$D/perl-parse.out")"
else
    echo "(no Perl MHA here, scripts/install-deps --bench: its parser's check of perl-app.cnf skipped)"
fi

step "env: every variable set and usable"
for v in MHA_BIN MHA_CONF MHA_HOSTS MHA_CA MHA_CERT MHA_KEY MHA_USER MHA_PASSWORD MHA_APP_USER MHA_APP_PASSWORD MHA_MYSQL; do
    [ -n "${!v:-}" ] || sandbox_fail "env does not set $v"
done
[ "$MHA_BIN" = "$(cd "$MHA_BIN" && pwd)" ] || sandbox_fail "MHA_BIN=$MHA_BIN is not an absolute directory"
[ -x "$MHA_BIN/mha-agent" ] || sandbox_fail "MHA_BIN=$MHA_BIN has no mha-agent"
[ "$MHA_CONF" = "$D/app.cnf" ] || sandbox_fail "MHA_CONF=$MHA_CONF"
[ -x "$MHA_MYSQL" ] || sandbox_fail "MHA_MYSQL=$MHA_MYSQL"
openssl verify -CAfile "$MHA_CA" "$MHA_CERT" >/dev/null || sandbox_fail "MHA_CERT is not signed by MHA_CA"
[ "$(openssl x509 -in "$MHA_CERT" -noout -pubkey)" = "$(openssl pkey -in "$MHA_KEY" -pubout)" ] \
    || sandbox_fail "MHA_KEY does not match MHA_CERT"
[ "$(MYSQL_PWD=$MHA_PASSWORD "$MHA_MYSQL" --no-defaults -h "$(proxy 2)" -u "$MHA_USER" -N -e 'SELECT @@server_id')" = 2 ] \
    || sandbox_fail "MHA_USER/MHA_PASSWORD through the proxy of host2"

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

step "the app account: DML on the load schema of the master, nothing else"
app_sql() {  # host address, sql
    MYSQL_PWD=$MHA_APP_PASSWORD "$MHA_MYSQL" --no-defaults -h "$1" -u "$MHA_APP_USER" -N -e "$2"
}
app_sql "$(addr 1)" "INSERT INTO $MHA_LOAD_TABLE (id, writer) VALUES (999999, 'app'); DELETE FROM $MHA_LOAD_TABLE WHERE id=999999" \
    || sandbox_fail "app cannot write the load table on the master"
app_sql "$(addr 1)" "INSERT INTO test.t VALUES (100)" 2>/dev/null && sandbox_fail "app wrote outside the load schema"
app_sql "$(addr 1)" "CREATE TABLE mha_load.other (id INT)" 2>/dev/null && sandbox_fail "app created a table"

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
out=$("$SANDBOX_VERIFY" --dir "$D" --acked "$acked" --timeout 20) || { echo "$out"; sandbox_fail "verify on a healthy cluster"; }
echo "$out"
[ -s "$acked" ] || sandbox_fail "load acknowledged nothing"
sort -n -c -u "$acked" || sandbox_fail "acknowledged ids do not increase"
grep -q "^verify: acked=$(wc -l <"$acked") lost=0 extra=0 writable=1 checksums=equal$" <<<"$out" \
    || sandbox_fail "verify's summary on a healthy cluster"

step "verify waits a bounded time for a replica whose SQL thread is stopped (stop-replica --sql)"
sandbox_cmd stop-replica --dir "$D" 2 --sql
grep -q "io=Yes sql=No" <(sandbox_cmd status --dir "$D" | grep '^host2 ') || sandbox_fail "stop-replica --sql"
sandbox_sql "$D" 1 "INSERT INTO test.t VALUES (5)"
if out=$("$SANDBOX_VERIFY" --dir "$D" --acked "$acked" --timeout 2); then
    echo "$out"; sandbox_fail "verify passed with a replica behind"
fi
grep -q "FAIL: $(addr 2) did not catch up within 2.0s" <<<"$out" || { echo "$out"; sandbox_fail "verify did not name the lagging replica"; }
sandbox_sql "$D" 2 "START SLAVE SQL_THREAD"

step "verify: a row deleted on one replica behind replication's back is a loss"
victim=$(head -n 5 "$acked" | tail -n 1)
sandbox_sql "$D" 3 "SET SESSION sql_log_bin=0; DELETE FROM $MHA_LOAD_TABLE WHERE id=$victim"
if out=$("$SANDBOX_VERIFY" --dir "$D" --acked "$acked" --timeout 10); then
    echo "$out"; sandbox_fail "verify passed with a lost row"
fi
echo "$out"
grep -q "$(addr 3) rows=.* lost=1 " <<<"$out" || sandbox_fail "verify did not name the loss on host3"
grep -q " lost=1 extra=0 writable=1 checksums=DIFFER$" <<<"$out" || sandbox_fail "verify's summary of the loss"

step "verify: two writable servers fail it"
sandbox_sql "$D" 3 "SET GLOBAL read_only=0"
if out=$("$SANDBOX_VERIFY" --dir "$D" --acked "$acked" --timeout 10); then
    echo "$out"; sandbox_fail "verify passed with two writable servers"
fi
grep -q "FAIL: 2 writable servers ($(addr 1) $(addr 3)), expected exactly 1" <<<"$out" || { echo "$out"; sandbox_fail "verify's writable check"; }
sandbox_sql "$D" 3 "SET GLOBAL read_only=1"

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
