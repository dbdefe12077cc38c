# Scenario (issue 31): `mha-manager --manager_conf=FILE` watches two clusters of a conf_dir: app1
# (a 3-node sandbox) and broken (a config that does not load). Through real mutual TLS:
#   1. every route answers the admin and the monitor certificate;
#   2. the monitor is refused POST (403 JSON), no client certificate is refused at the TLS
#      handshake, a certificate of the CA not on the allow-list gets 403 JSON, an unknown
#      cluster 404 JSON, a path that cannot name a cluster 400, a bad switch body 400 naming
#      the key;
#   3. the cluster's servers are exactly `mhactl topology --json`'s (stable fields), with
#      agent health and fence state;
#   4. /metrics parses with python3-prometheus-client's parser;
#   5. POST switch with dry_run=true returns the plan and changes nothing (the monitor goes on);
#   6. the web page in headless Chromium (through a loopback proxy that presents the monitor
#      certificate) loads with no console error and shows both clusters and every host; the
#      master's mysqld is killed: the page shows the new master within two refreshes of the
#      API reporting it (screenshot kept); under load, verify finds every acknowledged write;
#      mha_failovers_total{result="done"} moves 0 -> 1 and the failover history has the
#      failover with lost "0".
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.116.11}
sandbox_addresses "$base"
listen_ip=${base%.*}.50
proxy_ip=${base%.*}.51
PY=/usr/bin/python3  # Debian's, with python3-prometheus-client
HERE=$MHA_SOURCE/tests/integration/api
ART=${MHA_ARTIFACT_DIR:-${TMPDIR:-/tmp}/mha-artifacts}/api-$(date +%Y%m%d-%H%M%S)-$$
mkdir -p "$ART"

sandbox_start D --nodes 3 --no-gtid --base-ip "$base" >/dev/null || sandbox_fail "sandbox up"
C=$D/certs
bash "$MHA_SOURCE/certs/mha-certs" --out "$C" --manager-server "mha-manager-server,$listen_ip" \
    --client stranger >/dev/null
W=$D/service
mkdir -p "$W/apps" "$D/manager"
cp "$D/app.cnf" "$W/apps/app1.cnf"
printf '[server default]\nno_such_parameter=1\n' >"$W/apps/broken.cnf"
cat >"$W/manager.cnf" <<CNF
[manager]
conf_dir = $W/apps
listen = $listen_ip:7444
tls_ca = $C/ca.crt
tls_cert = $C/manager-server.crt
tls_key = $C/manager-server.key
allow_admin = mha-manager
allow_monitor = mha-monitor
log_file = $W/service.log
CNF
URL=https://$listen_ip:7444
LOG=$D/manager/manager.log
on_failure() { cp -f "$W/service.log" "$LOG" "$ART/" 2>/dev/null || true; echo "artefacts: $ART" >&2; }
# shellcheck disable=SC2016  # evaluated at exit, when $passed says how the test ended
sandbox_on_exit '[ "${passed:-0}" = 1 ] || on_failure'

# call WHO METHOD PATH [BODY]: the body goes to $W/body, the status to $code.
call() {
    local who=$1 method=$2 path=$3 auth=()
    case "$who" in
        admin) auth=(--cert "$C/manager.crt" --key "$C/manager.key") ;;
        monitor) auth=(--cert "$C/monitor.crt" --key "$C/monitor.key") ;;
        stranger) auth=(--cert "$C/client-stranger.crt" --key "$C/client-stranger.key") ;;
    esac
    local data=() how=(-X "$method")
    [ $# -ge 4 ] && data=(-H "Content-Type: application/json" --data-binary "$4")
    [ "$method" = HEAD ] && how=(-I)
    code=$(curl -sS --path-as-is --max-time 20 --cacert "$C/ca.crt" "${auth[@]}" "${how[@]}" \
        "${data[@]}" -o "$W/body" -w '%{http_code}' "$URL$path" 2>"$W/curl.err") || code="curl-failed"
}
expect() {  # WHO METHOD PATH STATUS [BODY]
    local status=$4
    call "$1" "$2" "$3" "${@:5}"
    [ "$code" = "$status" ] || { cat "$W/body"; sandbox_fail "$1 $2 $3: $code, expected $status"; }
}
json() { jq -r "$1" "$W/body"; }
app1() { call admin GET /api/v1/clusters/app1; }
wait_master() {  # HOST: app1 PING_OK watching HOST
    local _
    for _ in $(seq 1 300); do
        call admin GET /api/v1/clusters
        if [ "$code" = 200 ] && [ "$(json '.clusters[] | select(.app=="app1") | .state + " " + .master')" = "PING_OK $1" ]; then
            return 0
        fi
        kill -0 "$service" 2>/dev/null || { cat "$W/service.out"; sandbox_fail "the service exited"; }
        sleep 0.1
    done
    cat "$W/body"; tail -20 "$W/service.log"; sandbox_fail "app1 is not PING_OK on $1"
}

step "the service starts on $URL with app1 and broken"
"$MHA_BIN/mha-manager" --manager_conf="$W/manager.cnf" >"$W/service.out" 2>&1 &
service=$!
sandbox_bg "$service"
wait_master "$(addr 1)"

step "1. every route answers the admin and the monitor certificate"
for who in admin monitor; do
    for path in /api/v1/clusters /api/v1/clusters/app1 /api/v1/clusters/app1/failovers \
                /api/v1/clusters/broken /metrics / /app.js /style.css; do
        expect "$who" GET "$path" 200
        case "$path" in /api/*) jq -e . "$W/body" >/dev/null || sandbox_fail "$path: not JSON" ;; esac
    done
    expect "$who" HEAD /api/v1/clusters 200
done
call monitor GET /api/v1/clusters
[ "$(json '[.clusters[].app] | join(",")')" = "app1,broken" ] || { cat "$W/body"; sandbox_fail "clusters"; }
[ "$(json '.clusters[1].state')" = NOT_RUNNING ] || sandbox_fail "broken is not NOT_RUNNING"
expect monitor GET /api/v1/clusters/broken 200
json .config_error | grep -q "no_such_parameter" || { cat "$W/body"; sandbox_fail "broken's config error"; }

step "2. refusals: monitor POST, no certificate, stranger, unknown cluster, bad paths and bodies"
expect monitor POST /api/v1/clusters/app1/switch 403 '{"dry_run":true}'
[ "$(json .error)" = permission_denied ] || sandbox_fail "403 body: $(cat "$W/body")"
json .message | grep -q "role monitor may not call POST /api/v1/clusters/app1/switch" \
    || sandbox_fail "403 message: $(cat "$W/body")"
call none GET /api/v1/clusters
[ "$code" = curl-failed ] || sandbox_fail "no client certificate answered $code"
echo "no client certificate: $(cat "$W/curl.err")"
expect stranger GET /api/v1/clusters 403
json .message | grep -q "is not on the manager's allow-list" || sandbox_fail "stranger: $(cat "$W/body")"
expect monitor GET /api/v1/clusters/nope 404
[ "$(json .error)/$(json .message)" = 'not_found/no cluster named "nope"' ] || sandbox_fail "404: $(cat "$W/body")"
expect admin POST /api/v1/clusters/nope/switch 404 '{}'
expect monitor GET /api/v1/clusters/../etc/passwd 400
[ "$(json .error)" = invalid_argument ] || sandbox_fail "400: $(cat "$W/body")"
expect monitor GET /api/v1/clusters/app1/nothing 404
expect admin POST /api/v1/clusters/app1/switch 400 '{"dry_run":"yes"}'
[ "$(json .message)" = '"dry_run": must be true or false' ] || sandbox_fail "400: $(cat "$W/body")"
expect admin POST /api/v1/clusters/app1/switch 400 '{"new_master":"x"}'
json .message | grep -q '^"new_master": unknown key' || sandbox_fail "400: $(cat "$W/body")"
expect admin POST /api/v1/clusters/app1/switch 400 '{"dry_run":true'
echo "refusals as expected"

step "3. the servers are mhactl topology --json's, with agent health and fence state"
"$MHA_BIN/mhactl" topology --conf="$W/apps/app1.cnf" --json >"$W/topology.json"
expect monitor GET /api/v1/clusters/app1 200
$PY - "$W/topology.json" "$W/body" "$(addr 1)" <<'PY' || sandbox_fail "the API's topology differs from mhactl's"
import json, sys
cli = {s["name"]: s for s in json.load(open(sys.argv[1]))["servers"]}
api = {s["name"]: s for s in json.load(open(sys.argv[2]))["servers"]}
master = sys.argv[3]
assert cli.keys() == api.keys() and len(cli) == 3, (cli.keys(), api.keys())
stable = ["name", "hostname", "ip", "port", "alive", "server_id", "read_only", "log_bin", "version",
          "node_label", "error"]
repl = ["master_host", "master_port", "master_log_file", "slave_io_running", "slave_sql_running",
        "using_gtid"]
for name, c in cli.items():
    a = api[name]
    for key in stable:
        assert c.get(key) == a.get(key), (name, key, c.get(key), a.get(key))
    assert ("replication" in c) == ("replication" in a), name
    for key in repl if "replication" in c else []:
        assert c["replication"][key] == a["replication"][key], (name, key)
    # what only the API adds
    assert a["agent"]["checked"] and a["agent"]["reachable"], (name, a["agent"])
    assert a["fence"] == "none", (name, a["fence"])
    assert a["role"] == ("master" if a["hostname"] == master else "replica"), (name, a["role"])
print("topology: %d servers equal on %d fields; agents reachable, none fenced" %
      (len(cli), len(stable) + len(repl)))
PY

# metric NAME{LABELS}: the value of one sample, parsed by prometheus_client's text parser.
metrics_sample() {
    expect monitor GET /metrics 200
    cp "$W/body" "$W/metrics.txt"
    $PY - "$W/metrics.txt" "$@" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
samples = {}
for family in text_string_to_metric_families(open(sys.argv[1]).read()):
    for s in family.samples:
        labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
        samples[f"{s.name}{{{labels}}}"] = s.value
for wanted in sys.argv[2:]:
    print(samples.get(wanted, "absent"))
PY
}

step "4. /metrics parses with prometheus_client; per server and per cluster series"
cl='cluster="app1"'
mapfile -t v < <(metrics_sample "mha_server_up{$cl,server=\"$(addr 1):3306\"}" \
    "mha_replica_io_running{$cl,server=\"$(addr 2):3306\"}" \
    "mha_replica_sql_running{$cl,server=\"$(addr 3):3306\"}" \
    "mha_agent_reachable{$cl,server=\"$(addr 3):3306\"}" \
    "mha_server_fenced{$cl,server=\"$(addr 1):3306\"}" \
    "mha_server_read_only{$cl,server=\"$(addr 2):3306\"}" \
    "mha_monitor_state{$cl,state=\"PING_OK\"}" \
    "mha_monitor_state{$cl,state=\"FAILOVER_RUNNING\"}" \
    "mha_failovers_total{$cl,result=\"done\"}" \
    "mha_replica_seconds_behind_master{$cl,server=\"$(addr 2):3306\"}")
echo "metrics: ${v[*]}"
[ "${v[*]:0:9}" = "1.0 1.0 1.0 1.0 0.0 1.0 1.0 0.0 0.0" ] || sandbox_fail "metrics: ${v[*]}"
[ "${v[9]}" != absent ] || sandbox_fail "no seconds behind master for a running replica"
pings=$(metrics_sample "mha_pings_total{$cl,result=\"ok\"}")
[ "${pings%.*}" -ge 1 ] || sandbox_fail "no good ping counted: $pings"
grep -c '^# TYPE mha_' "$W/metrics.txt" | sed 's/^/metric families: /'

# read_only of every host, and each replica's source and running threads.
servers_now() {
    local i
    for i in 1 2 3; do
        echo "host$i read_only=$(sandbox_sql "$D" "$i" "SELECT @@read_only")" \
            "$(sandbox_sql "$D" "$i" "SHOW SLAVE STATUS" | cut -f2,11,12)"
    done
}

step "5. POST switch with dry_run=true: the plan, nothing changed"
before=$(servers_now)
expect admin POST /api/v1/clusters/app1/switch 200 "{\"new_master_host\":\"$(addr 2)\",\"dry_run\":true}"
[ "$(json .exit_code)/$(json .dry_run)/$(json .changed_anything)" = "0/true/false" ] \
    || { cat "$W/body"; sandbox_fail "dry run answer"; }
json .report | grep -q "$(addr 2)" || { cat "$W/body"; sandbox_fail "the plan does not name $(addr 2)"; }
json .report | sed 's/^/  | /' | head -12
# The monitor went on during the dry run: its lock on the master was held all along.
json .report | grep -q "The master's monitor lock is held by this manager's monitor of the cluster, which goes on during a dry run" ||
    { json .report; sandbox_fail "the dry run paused the cluster's monitor (its lock was free)"; }
after=$(servers_now)
[ "$before" = "$after" ] || { echo "$before"; echo "$after"; sandbox_fail "the dry run changed the servers"; }
wait_master "$(addr 1)"
echo "dry run: exit 0, servers unchanged, the monitor went on, app1 PING_OK on $(addr 1)"

step "6. the page in headless Chromium; the master dies; the page follows"
"$PY" "$HERE/mtls_proxy.py" "$proxy_ip" "$W/proxy.port" "$listen_ip:7444" "$C/ca.crt" \
    "$C/monitor.crt" "$C/monitor.key" 2>"$W/proxy.err" &
sandbox_bg $!
for _ in $(seq 1 50); do [ -s "$W/proxy.port" ] && break; sleep 0.1; done
page=http://$proxy_ip:$(cat "$W/proxy.port")
"$PY" "$HERE/page_watch.py" --url "$page/?refresh=2" --api "$page/api/v1/clusters/app1" \
    --app app1 --clusters app1,broken --hosts "$(addr 1):3306,$(addr 2):3306,$(addr 3):3306" \
    --new-master "$(addr 2)" --ready "$W/page.ready" --screenshot "$ART/page.png" --timeout 120 \
    >"$W/page.out" 2>&1 &
watcher=$!
sandbox_bg "$watcher"
for _ in $(seq 1 600); do
    [ -e "$W/page.ready" ] && break
    kill -0 "$watcher" 2>/dev/null || { cat "$W/page.out"; sandbox_fail "the page check ended before the failover"; }
    sleep 0.1
done
[ -e "$W/page.ready" ] || { cat "$W/page.out"; sandbox_fail "the page did not load within 60 s"; }
cat "$W/page.out"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 8 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg "$load"
sleep 2
sandbox_cmd kill-mysqld --dir "$D" 1 >/dev/null
wait_master "$(addr 2)"
wait "$load" || true
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/verify.out" 2>&1 \
    || { cat "$D/verify.out"; sandbox_fail "verify after the failover"; }
tail -1 "$D/verify.out"
rc=0
wait "$watcher" || rc=$?
cat "$W/page.out"
[ "$rc" = 0 ] || sandbox_fail "the page check failed"
[ -s "$ART/page.png" ] || sandbox_fail "no screenshot"

step "the failover moved mha_failovers_total; its history says what happened"
mapfile -t v < <(metrics_sample "mha_failovers_total{$cl,result=\"done\"}" \
    "mha_last_failover_duration_seconds{$cl}" "mha_last_failover_detection_seconds{$cl}" \
    "mha_monitor_state{$cl,state=\"PING_OK\"}")
echo "after the failover: failovers_total{done}=${v[0]} duration=${v[1]} s detection=${v[2]} s"
[ "${v[0]}" = 1.0 ] || sandbox_fail "mha_failovers_total{result=\"done\"} is ${v[0]}, expected 1"
if [ "${v[1]}" = absent ] || [ "${v[3]}" != 1.0 ]; then sandbox_fail "after the failover: ${v[*]}"; fi
cp "$W/metrics.txt" "$ART/metrics.txt"
expect monitor GET /api/v1/clusters/app1/failovers 200
cp "$W/body" "$ART/failovers.json"
$PY - "$W/body" "$(addr 1)" "$(addr 2)" <<'PY' || { cat "$W/body"; sandbox_fail "the failover history"; }
import json, sys
history = json.load(open(sys.argv[1]))["failovers"]
assert len(history) == 1, history
f = history[0]
assert f["result"] == "done" and f["exit_code"] == 0, f
assert f["dead_master"].startswith(sys.argv[2] + "("), f["dead_master"]
assert f["new_master"].startswith(sys.argv[3] + "("), f["new_master"]
assert f["lost"] == "0", f["lost"]
assert f["saved"], f
assert f["duration_s"] > 0 and f["ended"] >= f["started"], f
assert f["phases"][0] == "CheckConfig" and "RecoverNewMaster" in f["phases"], f["phases"]
assert f["detection_seconds"] is not None, "no detection seconds"
assert f["old_master_fenced"] is True, f
print(f"history: {f['started']} {f['dead_master']} -> {f['new_master']} in {f['duration_s']} s "
      f"(detection {f['detection_seconds']} s), saved: {f['saved']}; lost {f['lost']}")
PY
tail -2 "$D/manager/app1.failover.journal" | cut -c1-160
tail -2 "$D/manager/app1.failover.journal" | head -1 | grep -q '"phase":"Summary"' \
    || sandbox_fail "the journal's Summary entry is not before Done"
"$MHA_BIN/masterha_check_status" --conf="$W/apps/app1.cnf" | grep -q "^Last failover: started .*, ended (Done)" \
    || sandbox_fail "mhactl status no longer reads the journal"

kill -TERM "$service"
wait "$service" || true
# shellcheck disable=SC2034  # read by the exit hook
passed=1
echo "artefacts (screenshot, page text, metrics, history): $ART"
echo PASS
