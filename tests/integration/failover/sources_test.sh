# Scenario (issue 25): the failover takes the missing events from whatever host still holds
# them, under an `app` write load, the master's mysqld SIGKILLed (its agent stays up).
#   SCENARIO=keeper   5 nodes; host5's IO thread stopped; the master's binlog and the replicas'
#                     relay logs rotate (ROTATE=flush: FLUSH LOGS on the master, FLUSH RELAY
#                     LOGS on the replicas; ROTATE=small: max_relay_log_size=4096 everywhere,
#                     2,000 rows written while host5 is stopped); host2 and host3 (latest) purge
#                     their relay logs, host4 (latest) keeps them: host4's relay log serves host5.
#   SCENARIO=master   the same, every latest replica purges: the dead master's binlog (through
#                     its agent) serves host5.
#   SCENARIO=agent_latest|agent_behind|agent_candidate   4 nodes at three positions: host3's IO
#                     thread stopped first (oldest), host2's (candidate_master) next, host4 latest;
#                     then one agent is killed (host4's, host3's or host2's) before the master.
#   SCENARIO=agent_candidate_latest   host3, then host4 stop reading; host2 (candidate_master)
#                     is the latest and its agent dies: it is promoted all the same, its own SQL
#                     thread executing its relay log; the others get the dead master's binlog.
#                     A replica whose agent is down is levelled by its own SQL thread when it
#                     lacks nothing, repointed by GTID, or (file/position, lacking events) left
#                     out and named: exit 10.
# Every scenario: a master is writable and `verify` finds every acknowledged write on it and on
# every replica that replicates from it. GTID=1: MariaDB GTID replication.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.170.11}
scenario=${SCENARIO:-keeper}
rotate=${ROTATE:-flush}
gtid=${GTID:-0}
sandbox_addresses "$base"

nodes=5
case "$scenario" in agent_*) nodes=4 ;; esac
gtid_flag=--no-gtid
[ "$gtid" = 1 ] && gtid_flag=--gtid
sandbox_start D --nodes "$nodes" "$gtid_flag" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"

relay_files() {  # the relay logs host $1 still has
    sed 's|.*/||' "$D/host$1/relay/relay-bin.index" | tr '\n' ' '
}

step "manager starts watching"
manager_start manager "$CONF"

expect_rc=0
case "$scenario" in
keeper | master)
    purging="2 3"
    [ "$scenario" = master ] && purging="2 3 4"
    rate=300
    if [ "$rotate" = small ]; then
        rate=500
        for h in 2 3 4 5; do sandbox_sql "$D" "$h" "SET GLOBAL max_relay_log_size=4096"; done
    fi
    for h in $purging; do sandbox_sql "$D" "$h" "SET GLOBAL relay_log_purge=1"; done
    step "load starts; host5's IO thread stops; logs rotate; relay logs purged on: $purging"
    "$SANDBOX_LOAD" --dir "$D" --rate "$rate" --seconds 17 --acked "$D/acked" >"$D/load.out" 2>&1 &
    load=$!
    sandbox_bg $load
    sleep 2
    sandbox_cmd stop-replica --dir "$D" 5 --io
    behind=$(sandbox_sql "$D" 5 "SELECT COUNT(*) FROM $MHA_LOAD_TABLE")
    if [ "$rotate" = flush ]; then
        sleep 1
        sandbox_sql "$D" 1 "FLUSH BINARY LOGS"
        for h in 2 3 4; do sandbox_sql "$D" "$h" "FLUSH RELAY LOGS"; done
    fi
    # ROTATE=small: at least 2,000 rows while host5 is stopped (500/s for 5 s).
    sleep 5
    ahead=$(sandbox_sql "$D" 1 "SELECT COUNT(*) FROM $MHA_LOAD_TABLE")
    echo "host5 is $((ahead - behind)) rows behind; relay logs: host2: $(relay_files 2 | wc -w) from $(relay_files 2 | cut -d' ' -f1), host4: $(relay_files 4 | wc -w) from $(relay_files 4 | cut -d' ' -f1)"
    [ "$rotate" != small ] || [ $((ahead - behind)) -ge 2000 ] || sandbox_fail "setup: only $((ahead - behind)) rows behind"
    case " $(relay_files 2)" in *" relay-bin.000001 "* | *" relay-bin.000002 "*)
        sandbox_fail "setup: host2 did not purge its first relay logs: $(relay_files 2)" ;; esac
    ;;
agent_*)
    middle=2
    [ "$scenario" = agent_candidate_latest ] && middle=4
    step "load starts; host3, then host$middle stop reading: three positions"
    "$SANDBOX_LOAD" --dir "$D" --rate 150 --seconds 12 --acked "$D/acked" >"$D/load.out" 2>&1 &
    load=$!
    sandbox_bg $load
    sleep 2
    sandbox_cmd stop-replica --dir "$D" 3 --io
    sleep 1.5
    sandbox_cmd stop-replica --dir "$D" "$middle" --io
    sleep 1.5
    case "$scenario" in
        agent_latest) down=4 ;;
        agent_behind) down=3 ;;
        agent_candidate | agent_candidate_latest) down=2 ;;
    esac
    step "host$down's agent dies"
    sandbox_cmd kill-agent --dir "$D" "$down"
    sleep 1
    # File/position: a replica lacking events it cannot apply without its agent is left out.
    if [ "$gtid" = 0 ] && { [ "$down" = "$middle" ] || [ "$down" = 3 ]; }; then expect_rc=10; fi
    ;;
*) sandbox_fail "unknown SCENARIO $scenario" ;;
esac

step "the master's mysqld dies"
sandbox_cmd kill-mysqld --dir "$D" 1
for _ in $(seq 1 900); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "manager did not finish the failover in 90 s"; }
rc=0
wait $manager || rc=$?
[ "$rc" = "$expect_rc" ] || { cat "$LOG"; sandbox_fail "manager exit $rc, expected $expect_rc"; }
grep -q -- "----- Failover Report -----" "$LOG" || { cat "$LOG"; sandbox_fail "no Failover Report"; }
new_master=$(grep -o "Master failover to [0-9.]*" "$LOG" | tail -1 | awk '{print $4}')
echo "new master: $new_master"

case "$scenario" in
keeper)
    grep -q "$(addr 5).*bytes of relay-log diff from $(addr 4)" "$LOG" \
        || { cat "$LOG"; sandbox_fail "host5 was not served from host4's relay log"; }
    grep -q "$(addr 2).*does not hold the events after" "$LOG" \
        || { cat "$LOG"; sandbox_fail "the log does not say host2's relay logs were purged"; }
    ;;
master)
    grep -q "$(addr 5).*bytes of binlog events from $(addr 1)" "$LOG" \
        || { cat "$LOG"; sandbox_fail "host5 was not served from the dead master's binlog"; }
    grep -q "$(addr 5).*lacked events: .*from the dead master" "$LOG" \
        || { cat "$LOG"; sandbox_fail "the report does not say where host5's events were"; }
    ;;
agent_latest)
    if [ "$gtid" = 1 ]; then
        grep -q "$(addr 4).*fetches what it lacks from the new master by GTID" "$LOG" \
            || { cat "$LOG"; sandbox_fail "host4 was not repointed by GTID"; }
    else
        grep -q "$(addr 4).*its own SQL thread executed its relay log" "$LOG" \
            || { cat "$LOG"; sandbox_fail "host4 was not levelled by its SQL thread"; }
    fi
    ;;
agent_candidate_latest)
    grep -q "$(addr 2).*its agent does not answer; starting its SQL thread" "$LOG" \
        || { cat "$LOG"; sandbox_fail "host2 was not levelled by its SQL thread"; }
    [ "$new_master" = "$(addr 2)" ] || sandbox_fail "new master $new_master, expected the latest candidate host2"
    for h in 3 4; do
        grep -q "$(addr $h).*bytes of binlog events from $(addr 1)" "$LOG" \
            || { cat "$LOG"; sandbox_fail "host$h was not served from the dead master's binlog"; }
    done
    ;;
agent_behind | agent_candidate)
    if [ "$gtid" = 1 ]; then
        grep -q "$(addr $down).*fetches what it lacks from the new master by GTID" "$LOG" \
            || { cat "$LOG"; sandbox_fail "host$down was not repointed by GTID"; }
    else
        grep -q "$(addr $down).*not recovered (.*agent does not answer" "$LOG" \
            || { cat "$LOG"; sandbox_fail "the report does not name host$down as left out"; }
    fi
    [ "$scenario" = agent_behind ] || [ "$gtid" = 1 ] || [ "$new_master" != "$(addr 2)" ] \
        || sandbox_fail "the candidate without its agent was promoted though it lacked events"
    ;;
esac

step "load ends; verify finds nothing lost"
wait $load || true
tail -3 "$D/load.out"
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/verify.out" 2>&1 || { cat "$LOG" "$D/verify.out"; sandbox_fail "verify"; }
cat "$D/verify.out"
if [ "$expect_rc" = 0 ]; then
    # Every survivor replicates from the new master (none was left out).
    for h in $(seq 2 "$nodes"); do
        [ "$(addr $h)" = "$new_master" ] && continue
        if grep -q "$(addr $h) does not replicate from" "$D/verify.out"; then
            sandbox_fail "host$h does not replicate from the new master"
        fi
    done
fi
[ -z "${KEEP_LOG:-}" ] || cp "$LOG" "$KEEP_LOG"  # for a look at a passing run
echo PASS
