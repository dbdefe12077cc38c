# Scenario (issue 26): a second failure during a failover. 4 nodes under an `app` write load,
# host3's IO thread stopped (behind); the master's mysqld is SIGKILLed, and then the
# candidate's (host2):
#   SCENARIO=before   at the start of Phase 3 (by the master IP hook's --command=stop|stopssh,
#                     which runs in Phase 2): host2 is left out and named, host4 is promoted.
#   SCENARIO=at_promotion  in Phase 3.5, once levelled, just before read_only=0 (by the IP
#                     hook's --command=start): Phase 3.3 chooses again among the survivors.
#   SCENARIO=after    right after it was made writable (read_only=0): it may have acknowledged
#                     writes; the failover goes on from it as from a dead master, its binlog
#                     read through its agent, and promotes host3 or host4.
#   SCENARIO=after_host  the same, but host2's whole host dies (mysqld and agent): the report
#                     says that the writes it took while writable (from when to when) could not
#                     be read; nothing acknowledged before its promotion is missing.
#   SCENARIO=replica  host3 (a replica, not the candidate) dies during Phase 4 (frozen by the
#                     IP hook's --command=start, killed once Phase 4 has begun): host2 is the
#                     new master, host3 is named as not recovered (exit 10).
#   SCENARIO=relay_source  the master's whole host dies (mysqld and agent) while host2 and host3
#                     are behind (IO threads stopped); host4, the only one that received the
#                     last events, loses its mysqld in Phase 2 (by the IP hook's
#                     --command=stop) but keeps its agent: its relay logs, read from the files,
#                     level host2 and host3 (file/position), so nothing acknowledged is lost.
# Otherwise a master among host3/host4 is writable, every acknowledged row (those host2 acknowledged
# too) is on it and on the other survivor; exit 10 (a replica died); the report names both
# dead hosts and the final new master, and says "succeeded" only for a writable one.
# GTID=1: MariaDB GTID replication.
# UNLEVELLED=1 (with after/after_host): host3's agent dies just before read_only=0 (by the IP
#                     hook's --command=start), so Phase 4 cannot level host3 before host2 dies:
#                     the re-plan keeps host3, which fetches what it lacks from the new master by
#                     GTID; with GTID=0 (file/position) too, as MariaDB's binlogs carry GTIDs:
#                     once caught up it is switched back to file/position.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.170.11}
scenario=${SCENARIO:-before}
gtid=${GTID:-0}
sandbox_addresses "$base"

gtid_flag=--no-gtid
[ "$gtid" = 1 ] && gtid_flag=--gtid
sandbox_start D --nodes 4 "$gtid_flag" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"

victim=2 when=stop
[ "$scenario" = replica ] && victim=3 when=start
[ "$scenario" = relay_source ] && victim=4
[ "$scenario" = at_promotion ] && when=start
if [ "$scenario" = before ] || [ "$scenario" = at_promotion ] || [ "$scenario" = relay_source ]; then
    cat >"$D/ip-hook" <<EOF
#!/bin/bash
case "\$*" in *--command=$when*) "$SANDBOX_TOOL" kill-mysqld --dir "$D" $victim >>"$D/hook.out" 2>&1 ;; esac
exit 0
EOF
    chmod +x "$D/ip-hook"
    sed -i "s|^\[server default\]\$|[server default]\nmaster_ip_failover_script=$D/ip-hook|" "$CONF"
fi
if [ "$scenario" = replica ]; then
    # host3's mysqld dies in Phase 4: frozen (SIGSTOP) by the IP hook's --command=start, so
    # that nothing of Phase 4 reaches it first, and SIGKILLed 0.2 s after the manager logs
    # "Phase 4" (while Phase 4 waits on it).
    cat >"$D/ip-hook" <<EOF
#!/bin/bash
case "\$*" in *--command=start*) ;; *) exit 0 ;; esac
pid=\$(cat "$D/host3/mysqld.pid")
kill -STOP "\$pid"
(
    for _ in \$(seq 1 600); do grep -q "Phase 4: Slaves Recovery" "$LOG" && break; sleep 0.05; done
    sleep 0.2
    kill -KILL "\$pid"
    echo "\$(date +%T.%N) killed mysqld of $(addr 3) (pid \$pid) in Phase 4" >>"$D/hook.out"
) </dev/null >/dev/null 2>&1 &
exit 0
EOF
    chmod +x "$D/ip-hook"
    sed -i "s|^\[server default\]\$|[server default]\nmaster_ip_failover_script=$D/ip-hook|" "$CONF"
fi
if [ "${UNLEVELLED:-0}" = 1 ]; then
    cat >"$D/ip-hook" <<EOF
#!/bin/bash
case "\$*" in *--command=start*) "$SANDBOX_TOOL" kill-agent --dir "$D" 3 >>"$D/hook.out" 2>&1 ;; esac
exit 0
EOF
    chmod +x "$D/ip-hook"
    sed -i "s|^\[server default\]\$|[server default]\nmaster_ip_failover_script=$D/ip-hook|" "$CONF"
fi

step "manager starts watching; load starts; host3 falls behind"
manager_start manager "$CONF"
"$SANDBOX_LOAD" --dir "$D" --rate 150 --seconds 12 --acked "$D/acked" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 2
sandbox_cmd stop-replica --dir "$D" 3 --io
[ "$scenario" = relay_source ] && sandbox_cmd stop-replica --dir "$D" 2 --io
sleep 2

victims=("$D/host2/mysqld.pid")
[ "$scenario" = after_host ] && victims+=("$D/host2/agent.pid")
if [ "$scenario" = after ] || [ "$scenario" = after_host ]; then
    # SIGKILLs host2's mysqld (and agent) as soon as it is writable: directly, not through
    # the sandbox tool, so that the failover has not gone far meanwhile.
    (
        for _ in $(seq 1 3000); do
            if [ "$(sandbox_sql "$D" 2 "SELECT @@read_only" 2>/dev/null)" = 0 ]; then
                for f in "${victims[@]}"; do kill -9 "$(cat "$f")"; done
                echo "$(date +%T.%N) killed ${victims[*]} of $(addr 2)" >>"$D/watch.out"
                exit 0
            fi
            sleep 0.01
        done
    ) &
    watcher=$!
    sandbox_bg $watcher
fi

step "the master's mysqld dies; then host2's ($scenario its promotion)"
if [ "$scenario" = relay_source ]; then
    sandbox_cmd kill-host --dir "$D" 1  # its binlog is not readable: host4's relay logs must serve
else
    sandbox_cmd kill-mysqld --dir "$D" 1
fi
last_before=$(tail -1 "$D/acked")  # acknowledged by the old master: never lost
for _ in $(seq 1 900); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "manager did not finish the failover in 90 s"; }
rc=0
wait $manager || rc=$?
grep -q "killed .*$(addr $victim)" "$D/hook.out" "$D/watch.out" 2>/dev/null \
    || { cat "$LOG"; sandbox_fail "setup: host$victim was not killed during the failover"; }
[ "$rc" = 10 ] || { cat "$LOG"; sandbox_fail "manager exit $rc, expected 10"; }
new_master=$(grep -o "Master failover to [0-9.]*" "$LOG" | tail -1 | awk '{print $4}')
echo "new master: $new_master"
survivors="$(addr 3) $(addr 4)"
[ "$scenario" = replica ] && survivors="$(addr 2)"
[ "$scenario" = relay_source ] && survivors="$(addr 2) $(addr 3)"
case " $survivors " in *" $new_master "*) ;; *) cat "$LOG"; sandbox_fail "new master '$new_master' is not among $survivors" ;; esac
[ "$(sandbox_sql "$D" $((${new_master##*.} - ${base##*.} + 1)) "SELECT @@read_only")" = 0 ] \
    || sandbox_fail "the new master $new_master is read_only"
report=$(sed -n '/----- Failover Report -----/,$p' "$LOG")
if [ "$scenario" = replica ]; then
    # The timeline: Phase 4 began, host3 was killed, Phase 4 named it, Phase 5 came after.
    sed -n '/Phase 4: Slaves Recovery/,/Phase 5: /p' "$LOG" | grep -E "Phase [45]: |$(addr 3)"
    cat "$D/hook.out"
    echo "$report" | grep -q "$(addr 3).*: Applying logs failed\|$(addr 3).*: Starting replication failed" \
        || { cat "$LOG"; sandbox_fail "the report does not name host3 as not recovered"; }
else
    echo "$report" | grep -q "$(addr $victim).*died during the failover" || { cat "$LOG"; sandbox_fail "the report does not name host$victim as dead"; }
fi
if [ "$scenario" = relay_source ]; then
    echo "$report" | grep -q "$(addr 4).*: its relay logs (up to .*) served the others through its agent" \
        || { cat "$LOG"; sandbox_fail "the report does not say host4's relay logs served the others"; }
fi
echo "$report" | grep -q "Master $(addr 1).* is down" || sandbox_fail "the report does not name the dead master"
if [ "$scenario" != replica ] && [ "$scenario" != relay_source ] && echo "$report" | grep "succeeded" | grep -q "to $(addr 2)"; then
    sandbox_fail "the report says the failover to the dead host2 succeeded"
fi
if [ "$scenario" = at_promotion ]; then
    grep -q "The new master $(addr 2).* is gone (.*): choosing a new master again" "$LOG" \
        || { cat "$LOG"; sandbox_fail "no new choice after host2 died at its promotion"; }
fi
if [ "$scenario" = after ] || [ "$scenario" = after_host ]; then
    # Killed once read_only=0 took effect: during Phase 4 or 5 (re-plan from it), or before
    # the manager read the statement's answer (a new choice, its binlog applied last).
    grep -q "Re-planning: the failover goes on from $(addr 2)\|The new master $(addr 2).* is gone (Phase 3.5, read_only=0)" "$LOG" \
        || { cat "$LOG"; sandbox_fail "no re-plan after host2 died writable"; }
    grep -q "Replan" "$D/manager/app.failover.journal" || sandbox_fail "the journal lacks the re-plan"
    # mhactl status tells the story from the journal: the re-plan names the dead new master.
    "$MHA_BIN/mhactl" status --conf="$CONF" >"$D/status.out" 2>&1 || true
    grep -q "^Last failover: started .*, ended (Done)" "$D/status.out" \
        || { cat "$D/status.out"; sandbox_fail "mhactl status does not tell the last failover"; }
    grep -q "^  .* Replan: .*$(addr 2)" "$D/status.out" \
        || { cat "$D/status.out"; sandbox_fail "mhactl status does not show the re-plan"; }
    sed -n '/^Last failover/,$p' "$D/status.out"
fi

if [ "${UNLEVELLED:-0}" = 1 ]; then
    grep -q "killed the agent of $(addr 3)" "$D/hook.out" || sandbox_fail "setup: host3's agent was not killed"
    grep -q "$(addr 3).* was not levelled before $(addr 2).* died (.*): it will fetch what it lacks from the new master by GTID" "$LOG" \
        || { cat "$LOG"; sandbox_fail "host3 (not levelled) was not kept by the re-plan"; }
    if [ "$gtid" = 0 ]; then
        # Once level, it follows the new master by file/position as the cluster does.
        for _ in $(seq 1 100); do
            grep -q "$(addr 3).* caught up by GTID, now replicating by file/position" "$LOG" && break
            sleep 0.1
        done
        grep -q "$(addr 3).* caught up by GTID, now replicating by file/position" "$LOG" \
            || { cat "$LOG"; sandbox_fail "host3 was not switched back to file/position"; }
    fi
fi
if [ "$scenario" = after_host ]; then
    echo "$report" | grep -q "The writes $(addr 2).* took while it was writable (from .* to .*) could not be read" \
        || { cat "$LOG"; sandbox_fail "the report does not say host2's writes could not be read"; }
fi

step "load ends; verify finds nothing lost on the survivors"
wait $load || true
tail -2 "$D/load.out"
if ! "$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/verify.out" 2>&1; then
    [ "$scenario" = after_host ] || { cat "$LOG" "$D/verify.out"; sandbox_fail "verify"; }
    # Only writes host2 acknowledged while writable (after the old master died) may be gone.
    sandbox_sql "$D" $((${new_master##*.} - ${base##*.} + 1)) "SELECT id FROM $MHA_LOAD_TABLE" | sort >"$D/present"
    sort "$D/acked" | comm -23 - "$D/present" >"$D/missing"
    while read -r id; do
        [ "$id" -gt "$last_before" ] || sandbox_fail "id $id, acknowledged before host2's promotion, is lost"
    done <"$D/missing"
    echo "$(wc -l <"$D/missing") ids acknowledged by host2 while writable are lost (its host is gone)"
    [ "$(sandbox_sql "$D" 3 "CHECKSUM TABLE $MHA_LOAD_TABLE")" = "$(sandbox_sql "$D" 4 "CHECKSUM TABLE $MHA_LOAD_TABLE")" ] \
        || sandbox_fail "host3 and host4 differ"
fi
cat "$D/verify.out"
for h in 2 3 4; do
    [ "$h" = "$victim" ] && continue
    if grep -q "$(addr $h) does not replicate from" "$D/verify.out"; then
        cat "$LOG"; sandbox_fail "host$h does not replicate from the new master"
    fi
done
[ -z "${KEEP_LOG:-}" ] || cp "$LOG" "$KEEP_LOG"  # for a look at a passing run
echo PASS
