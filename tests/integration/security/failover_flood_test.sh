# Security suite: a failover completes while strangers flood the master's and the latest
# replica's agents (200 idle TCP connections and 64 slow TLS clients with a monitor
# certificate, each), and the manager certificate's /health on both answers within 1 s
# throughout. Sandbox: 3 nodes, file/position, an app write load; the master's mysqld is
# SIGKILLed; nothing acknowledged may be lost. The floods come from SANDBOX_BASE + 29 and + 31,
# loopback only, bounded in count and time (flood.py).
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.50.11}
sandbox_addresses "$base"
flood_src=$(addr 30)
slow_src=$(addr 32)  # the slow TLS clients from another address than the idle flood
health_src=$(addr 31)
FLOOD="python3 $MHA_SOURCE/tests/integration/security/flood.py"

sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
CERTS=$D/certs
mkdir -p "$D/manager"

# health_watch HOST_INDEX OUT: the manager certificate's /health on that agent every 0.2 s,
# from its own address, until killed; one line "code seconds" per answer.
health_watch() {
    while true; do
        curl -s --max-time 1 --interface "$health_src" --cacert "$CERTS/ca.crt" \
            --cert "$CERTS/manager.crt" --key "$CERTS/manager.key" -o /dev/null \
            -w '%{http_code} %{time_total}\n' "https://$(addr "$1"):7443/health" >>"$2"
        sleep 0.2
    done
}

step "manager starts watching"
manager_start manager "$CONF"

step "load starts (app account)"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 14 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load

step "floods start against host1's and host2's agents"
for i in 1 2; do
    $FLOOD idle --source "$flood_src" --target "$(addr $i):7443" --count 200 --seconds 15 \
        >"$D/flood-idle-$i.out" 2>&1 &
    sandbox_bg $!
    $FLOOD slowtls --source "$slow_src" --target "$(addr $i):7443" --count 64 --seconds 15 \
        --ca "$CERTS/ca.crt" --cert "$CERTS/monitor.crt" --key "$CERTS/monitor.key" \
        >"$D/flood-slow-$i.out" 2>&1 &
    sandbox_bg $!
done
floods=$(jobs -p | tail -4)
sleep 2
watchers=()
for i in 1 2; do
    health_watch $i "$D/health-$i" &
    sandbox_bg $!
    watchers+=($!)
done
sleep 3

step "the master dies (mysqld SIGKILL) under the floods"
sandbox_cmd kill-mysqld --dir "$D" 1
killed=$(date +%s.%N)
rc=0
for _ in $(seq 1 600); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "manager did not finish the failover in 60 s"; }
wait $manager || rc=$?
done_at=$(date +%s.%N)
[ "$rc" = 0 ] || { cat "$LOG"; sandbox_fail "manager exit $rc"; }
echo "failover finished $(awk "BEGIN{printf \"%.2f\", $done_at - $killed}") s after the kill"
grep -q "Master failover to $(addr 2).* completed successfully." "$LOG" \
    || { cat "$LOG"; sandbox_fail "failover to $(addr 2) not completed"; }

step "the floods end; the manager's /health answered within 1 s throughout"
for f in $floods; do wait "$f" || true; done
for w in "${watchers[@]}"; do kill "$w" 2>/dev/null || true; done
cat "$D"/flood-*.out
for i in 1 2; do
    n=$(wc -l <"$D/health-$i")
    [ "$n" -ge 10 ] || sandbox_fail "host$i: only $n /health samples"
    # 200 or 503 (host1's mysqld is dead): an answer; 000 is none within 1 s.
    bad=$(awk '$1 == "000" || $2 >= 1.0' "$D/health-$i" | wc -l)
    worst=$(sort -k2 -g "$D/health-$i" | tail -1)
    [ "$bad" = 0 ] || sandbox_fail "host$i: $bad of $n /health samples had no answer within 1 s"
    echo "host$i: $n /health answers, slowest: $worst"
    grep -q "refusing a connection from $flood_src" "$D/host$i/agent.log" \
        || sandbox_fail "host$i's agent never refused a flood connection: was it flooded?"
    grep -q "kept for managers" "$D/host$i/agent.log" \
        || sandbox_fail "host$i's agent never held its managers' reserve against the slow clients"
done

step "load ends; verify finds nothing lost"
wait $load || true
tail -3 "$D/load.out"
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$LOG"; sandbox_fail "verify"; }
echo PASS
