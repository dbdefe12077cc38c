# Scenario (issue 29): detection on the replicas' evidence. 3 nodes, file/position.
#   SCENARIO=gone        the master's host dies (kill-host) under the app load: the manager
#                        declares it dead at the first failed ping on the evidence (its agent
#                        silent, every probe failing, every replica's IO thread lost it), the
#                        log line names each piece and no "failed pings"; failover completes
#                        (exit 10: a dead host cannot be fenced) and nothing is lost that any
#                        survivor holds (verify --died 1).
#   SCENARIO=cut_off     the manager's SQL and agent paths to the master are partitioned (the
#                        replicas still replicate from it): no failover for 30 s, and
#                        masterha_check_status shows why; after heal, PING_OK again.
#   SCENARIO=probe_cut   the same cut, and host2's agent cut from the master's mysqld too (its
#                        probes time out: `sandbox partition 1 --from 2`), while host3 still
#                        replicates from the master under load: no failover; after heal,
#                        PING_OK again and host2 and host3 hold every acknowledged row.
#   SCENARIO=silent      the replicas have a 1 s heartbeat (MASTER_HEARTBEAT_PERIOD, as the
#                        manager sets on repoint); the master's agent is killed and its mysqld
#                        frozen (SIGSTOP: a host that vanished without closing its connections):
#                        the replicas' IO threads still say Yes, but their heartbeats are silent:
#                        that is the evidence, the failover follows, nothing lost (--died 1).
#   SCENARIO=agent_down  host3's agent is down when the master's host dies: the evidence is
#                        incomplete, MHA's four failed pings decide, and the log says what was
#                        missing.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.96.31}
scenario=${SCENARIO:-gone}
sandbox_addresses "$base"

sandbox_start D --nodes 3 --no-gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"
status_out() { "$MHA_BIN/masterha_check_status" --conf="$CONF" 2>&1 || true; }
heal_and_wait_ping_ok() {  # extra heal arguments (e.g. "--from 2"), healed first
    [ $# -eq 0 ] || sandbox_cmd heal --dir "$D" 1 "$@"
    sandbox_cmd heal --dir "$D" 1
    sandbox_cmd heal --dir "$D" 1 --agent
    for _ in $(seq 1 100); do
        status_out | grep -q "PING_OK" && break
        sleep 0.1
    done
    status_out | grep -q "PING_OK" || { status_out; cat "$LOG"; sandbox_fail "monitoring did not resume"; }
}

step "manager starts watching"
manager_start manager "$CONF"

if [ "$scenario" = cut_off ]; then
    step "the manager's SQL and agent paths to the master are cut for 30 s"
    sandbox_cmd partition --dir "$D" 1
    sandbox_cmd partition --dir "$D" 1 --agent
    for _ in $(seq 1 300); do
        kill -0 "$manager" 2>/dev/null || { cat "$LOG"; sandbox_fail "the manager exited during the cut"; }
        sleep 0.1
    done
    grep -q "does not answer the manager, but .*: no failover." "$LOG" \
        || { cat "$LOG"; sandbox_fail "no log line about the cut"; }
    status_out | grep -q "^Detection: .*another host still gets an answer" \
        || { status_out; sandbox_fail "masterha_check_status does not say why there is no failover"; }
    status_out
    grep -q "Starting failover" "$LOG" && { cat "$LOG"; sandbox_fail "a failover started"; }
    heal_and_wait_ping_ok
    status_out | grep -q "^Detection:" && sandbox_fail "the status still shows a detection after heal"
    [ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 0 ] || sandbox_fail "the master was touched"
    echo PASS
    exit 0
fi

if [ "$scenario" = probe_cut ]; then
    step "the manager's paths and host2's agent path to the master are cut; host3 replicates"
    "$SANDBOX_LOAD" --dir "$D" --rate 50 --seconds 14 --acked "$D/acked" >"$D/load.out" 2>&1 &
    load=$!
    sandbox_bg $load
    sandbox_cmd partition --dir "$D" 1
    sandbox_cmd partition --dir "$D" 1 --agent
    sandbox_cmd partition --dir "$D" 1 --from 2
    before=$(sandbox_sql "$D" 3 "SELECT COUNT(*) FROM $MHA_LOAD_TABLE")
    for _ in $(seq 1 120); do
        kill -0 "$manager" 2>/dev/null || { cat "$LOG"; sandbox_fail "the manager exited during the cut"; }
        sleep 0.1
    done
    # Pings fail, the evidence is incomplete (host3 still has the master), then MHA's four
    # pings and the probes: host2's probe times out, host3's answers: no failover.
    for _ in $(seq 1 200); do
        grep -q "does not answer the manager, but .*: no failover." "$LOG" && break
        sleep 0.1
    done
    grep -q "does not answer the manager, but .*: no failover." "$LOG" \
        || { cat "$LOG"; sandbox_fail "no log line about the cut"; }
    grep -q "Starting failover" "$LOG" && { cat "$LOG"; sandbox_fail "a failover started"; }
    # The evidence as the log names it: host2's probe cut, host3's answered.
    grep -q "Probe from $(addr 2)'s agent: the master answers no (.*timed out)" "$LOG" \
        || { cat "$LOG"; sandbox_fail "host2's probe was not cut"; }
    grep -q "Probe from $(addr 3)'s agent: the master answers yes" "$LOG" \
        || { cat "$LOG"; sandbox_fail "host3's probe did not answer"; }
    after=$(sandbox_sql "$D" 3 "SELECT COUNT(*) FROM $MHA_LOAD_TABLE")
    [ "$after" -gt "$before" ] || sandbox_fail "host3 did not replicate during the cut ($before -> $after)"
    grep "does not answer the manager, but" "$LOG" | tail -1
    heal_and_wait_ping_ok --from 2
    wait $load || true
    "$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/verify.out" 2>&1 \
        || { cat "$D/verify.out"; sandbox_fail "verify"; }
    tail -1 "$D/verify.out"
    [ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 0 ] || sandbox_fail "the master was touched"
    echo PASS
    exit 0
fi

if [ "$scenario" = silent ]; then
    for h in 2 3; do
        sandbox_sql "$D" $h "STOP SLAVE; CHANGE MASTER TO MASTER_HEARTBEAT_PERIOD=1; START SLAVE"
    done
fi
step "load starts"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 6 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 2
if [ "$scenario" = agent_down ]; then
    sandbox_cmd kill-agent --dir "$D" 3
fi
if [ "$scenario" = silent ]; then
    step "the master's agent dies and its mysqld freezes: no connection is closed"
    sandbox_on_exit "sandbox_cmd thaw --dir '$D' 1 >/dev/null 2>&1"
    sandbox_cmd kill-agent --dir "$D" 1
    sandbox_cmd freeze --dir "$D" 1
else
    step "the master's host dies"
    sandbox_cmd kill-host --dir "$D" 1
fi
killed=$(date +%s.%N)
for _ in $(seq 1 600); do kill -0 "$manager" 2>/dev/null || break; sleep 0.1; done
kill -0 "$manager" 2>/dev/null && { cat "$LOG"; sandbox_fail "no failover 60 s after the kill"; }
rc=0
wait "$manager" || rc=$?
[ "$rc" = 10 ] || { cat "$LOG"; sandbox_fail "manager exit $rc, expected 10 (the dead host is not fenced)"; }
down=$(grep "\] Master $(addr 1) is down: " "$LOG" | head -1)
echo "$down"
if [ "$scenario" = gone ]; then
    echo "$down" | grep -q "its host is gone, on the evidence: the manager's ping failed; its agent does not answer; no other agent's probe gets an answer (2 of 2); every replica's IO thread lost it ($(addr 2): IO .*, error [0-9]*.*, $(addr 3): IO .*, error [0-9]*" \
        || { cat "$LOG"; sandbox_fail "the detection line does not name the evidence"; }
    echo "$down" | grep -q "failed pings" && sandbox_fail "the detection counted pings"
    # Usually 1; 2 when the sandbox's kill-host (agent, proxies, then mysqld) is slow enough that
    # a probe still got an answer at the first ping and at the second look 200 ms later.
    pings=$(sed -n "1,/\] Master $(addr 1) is down: /p" "$LOG" | grep -c "Got error on MySQL .* ping")
    echo "failed pings before the death: $pings"
    [ "$pings" -le 2 ] || { cat "$LOG"; sandbox_fail "$pings failed pings before the death, expected 1"; }
elif [ "$scenario" = silent ]; then
    echo "$down" | grep -q "its host is gone, on the evidence: .*every replica's IO thread lost it (.*heartbeat" \
        || { cat "$LOG"; sandbox_fail "the detection line does not name the silent heartbeats"; }
    echo "$down" | grep -q "failed pings" && sandbox_fail "the detection counted pings"
else
    echo "$down" | grep -q "after 4 failed pings" || { cat "$LOG"; sandbox_fail "the four-ping rule did not decide"; }
    grep -q "the evidence that its host is gone is incomplete: 1 of 2 other agents did not probe it" "$LOG" \
        || { cat "$LOG"; sandbox_fail "the log does not say which evidence was missing"; }
fi
detected=$(python3 - "$LOG" "$killed" <<'PY'
import sys, datetime
for line in open(sys.argv[1]):
    if "Starting failover" in line:
        t = datetime.datetime.strptime(line[:24], "%a %b %d %H:%M:%S %Y").timestamp()
        print(f"{t - float(sys.argv[2]):.1f}")
        break
PY
)
echo "failover started ~${detected} s after the kill (log time, 1 s resolution)"
grep -q "Master failover to $(addr 2).* completed successfully\|Master failover to $(addr 2).* done" "$LOG" \
    || { cat "$LOG"; sandbox_fail "no failover to host2"; }

[ -z "${KEEP_LOG:-}" ] || cp "$LOG" "$KEEP_LOG"
step "load ends; verify"
wait "$load" || true
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" --died 1 || { cat "$LOG"; sandbox_fail "verify"; }
[ -z "${KEEP_LOG:-}" ] || cp "$LOG" "$KEEP_LOG"
echo PASS
