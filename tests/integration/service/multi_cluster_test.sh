# Scenario (issue 31): one mha-manager process watches 4 sandbox clusters from a --conf-dir.
# app1's master_ip_failover_script hangs; app1's master dies and its failover sits in the hook;
# then app2's master dies (under load): app2 fails over at once, nothing lost, while app1's hook
# still hangs. app3 and app4 stay PING_OK throughout, no gap between good pings longer than
# 2 x ping_interval. SIGHUP with app4's file removed stops app4 only; put back, it is watched
# again. A cluster whose config is broken (and a file whose name cannot name a cluster) is
# named in the service's log and never disturbs the others. SIGTERM stops the service.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.110.11}
prefix=${base%.*}
last=${base##*.}
bases=("$base" "$prefix.$((last + 10))" "$prefix.$((last + 20))" "$prefix.$((last + 30))")
nodes=(2 3 2 2)
dirs=()
for i in 0 1 2 3; do
    sandbox_start S --nodes "${nodes[$i]}" --no-gtid --base-ip "${bases[$i]}" >/dev/null \
        || sandbox_fail "sandbox $((i + 1)) up"
    dirs+=("$S")
done
W=$(dirname "${dirs[0]}")/service
mkdir -p "$W/apps"
for i in 0 1 2 3; do
    cp "${dirs[$i]}/app.cnf" "$W/apps/app$((i + 1)).cnf"
    mkdir -p "${dirs[$i]}/manager"
done
printf '[server default]\nping_interval=banana\n' >"$W/apps/broken.cnf"
cp "${dirs[3]}/app.cnf" "$W/apps/bad name.cnf"
A=${dirs[0]}
B=${dirs[1]}
cat >"$W/ip-hook" <<HOOK
#!/bin/sh
case "\$1" in
    --command=stop|--command=stopssh) echo \$\$ >"$W/hook.pid"; exec sleep 300 ;;
esac
exit 0
HOOK
chmod +x "$W/ip-hook"
sed -i "s|^\[server default\]\$|[server default]\nmaster_ip_failover_script=$W/ip-hook\nhook_timeout=200|" "$W/apps/app1.cnf"
status_of() { "$MHA_BIN/masterha_check_status" --conf="$W/apps/app$1.cnf" 2>&1 || true; }
wait_status() {  # app, pattern, seconds
    local _
    for _ in $(seq 1 $(($3 * 10))); do
        status_of "$1" | grep -q "$2" && return 0
        kill -0 "$service" 2>/dev/null || { cat "$W/service.log"; sandbox_fail "the service exited"; }
        sleep 0.1
    done
    status_of "$1"; cat "$W/service.log"; sandbox_fail "app$1: no \"$2\" within $3 s"
}
sandbox_on_exit '[ -s "$W/hook.pid" ] && kill "$(cat "$W/hook.pid")" 2>/dev/null'

step "the service starts and watches 4 clusters"
"$MHA_BIN/mha-manager" --conf-dir="$W/apps" --manager_log="$W/service.log" \
    >"$W/service.out" 2>&1 &
service=$!
sandbox_bg "$service"
for app in 1 2 3 4; do
    master=$(sed -n 's/^hostname=//p' "$W/apps/app$app.cnf" | head -1)
    wait_status "$app" "pid:$service).*PING_OK), master:$master" 30
done
grep -q "Watching 5 cluster(s)" "$W/service.log" || { cat "$W/service.log"; sandbox_fail "service log"; }
for _ in $(seq 1 50); do grep -q "\[broken\] .*ping_interval.*trying again in 10 s" "$W/service.log" && break; sleep 0.1; done
grep -q "\[broken\] .*ping_interval.*trying again in 10 s" "$W/service.log" \
    || { cat "$W/service.log"; sandbox_fail "the broken config is not named in the service log"; }
grep -q "bad name.cnf: \"bad name\" cannot name a cluster" "$W/service.log" \
    || { cat "$W/service.log"; sandbox_fail "the unusable file name is not named"; }

step "app3/app4 sampled; load on app2; app1's master dies, its failover hangs in the hook"
python3 "$MHA_SOURCE/tests/integration/service/ping_gaps.py" 25 \
    "${dirs[2]}/manager/app3.master_status.health" "${dirs[3]}/manager/app4.master_status.health" \
    >"$W/gaps.out" &
sampler=$!
sandbox_bg "$sampler"
"$SANDBOX_LOAD" --dir "$B" --rate 100 --seconds 10 --acked "$B/acked" >"$B/load.out" 2>&1 &
load=$!
sandbox_bg "$load"
sleep 1
sandbox_cmd kill-mysqld --dir "$A" 1 >/dev/null
for _ in $(seq 1 300); do [ -s "$W/hook.pid" ] && break; sleep 0.1; done
[ -s "$W/hook.pid" ] || { cat "$A/manager/manager.log"; sandbox_fail "app1's failover never called its hook"; }

step "app2's master dies while app1's hook hangs: app2 fails over at once"
b2=$(sed -n 's/^hostname=//p' "$W/apps/app2.cnf" | sed -n 2p)
killed=$(date +%s.%N)
sandbox_cmd kill-mysqld --dir "$B" 1 >/dev/null
wait_status 2 "master:$b2" 30
took=$(python3 -c "import time; print('%.1f' % (time.time() - $killed))")
grep -q "Master failover to $b2.* completed successfully" "$B/manager/manager.log" \
    || { cat "$B/manager/manager.log"; sandbox_fail "app2's failover"; }
kill -0 "$(cat "$W/hook.pid")" 2>/dev/null || sandbox_fail "app1's hook is not hanging any more"
echo "app2 failed over to $b2 in ${took} s while app1's hook hung"
status_of 1 | grep -q "FAILOVER_RUNNING" || { status_of 1; sandbox_fail "app1 is not in its failover"; }
wait "$load" || true
"$SANDBOX_VERIFY" --dir "$B" --acked "$B/acked" >"$B/verify.out" 2>&1 \
    || { cat "$B/verify.out" "$B/manager/manager.log"; sandbox_fail "verify app2"; }
tail -1 "$B/verify.out"

step "app3 and app4 kept pinging"
wait "$sampler"
cat "$W/gaps.out"
python3 - "$W/gaps.out" <<'PY' || sandbox_fail "a watched cluster missed pings"
import sys
ok = True
for line in open(sys.argv[1]):
    f, gap, states = line.split()
    if float(gap.split("=")[1]) > 2.0 or states.split("=")[1] != "none":
        print("FAIL:", line.strip())
        ok = False
sys.exit(0 if ok else 1)
PY

step "SIGHUP without app4.cnf: app4 stops, app3 untouched; with it again: watched again"
mv "$W/apps/app4.cnf" "$W/app4.cnf"
kill -HUP "$service"
app4_status() { "$MHA_BIN/masterha_check_status" --conf="$W/app4.cnf" 2>&1 || true; }
for _ in $(seq 1 100); do app4_status | grep -q NOT_RUNNING && break; sleep 0.1; done
app4_status | grep -q "NOT_RUNNING" || { app4_status; sandbox_fail "app4 still watched"; }
status_of 3 | grep -q "pid:$service).*PING_OK" || { status_of 3; sandbox_fail "app3 disturbed"; }
mv "$W/app4.cnf" "$W/apps/app4.cnf"
kill -HUP "$service"
wait_status 4 "pid:$service).*PING_OK" 30
grep -q "\[app4\] its config is gone: stopping this cluster" "$W/service.log" \
    || { cat "$W/service.log"; sandbox_fail "service log: app4 stop"; }

step "app1's hook ends; SIGTERM stops the service"
kill "$(cat "$W/hook.pid")" 2>/dev/null || true
kill -TERM "$service"
for _ in $(seq 1 300); do kill -0 "$service" 2>/dev/null || break; sleep 0.1; done
kill -0 "$service" 2>/dev/null && { cat "$W/service.log"; sandbox_fail "the service did not stop"; }
grep -q "mha-manager service stopped" "$W/service.log" || { cat "$W/service.log"; sandbox_fail "no clean stop"; }
echo PASS
