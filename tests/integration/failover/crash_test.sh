# Scenario (issue 15, file/position): mha-manager watches a 3-node sandbox under an `app`
# write load; the master's mysqld is SIGKILLed (SCENARIO=crash) or the whole host dies
# (SCENARIO=host); with BEHIND=1 one replica's IO thread was stopped for a while before.
# The manager must fail over, exit 0 (10 for a dead host: not fenced) with MHA's Failover
# Report, and `verify` must find every acknowledged write on the new master and every replica.
# After a crash, the old master restarted by hand comes up read_only (the fence file) until the
# operator unfences it.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.0.121}
scenario=${SCENARIO:-crash}
behind=${BEHIND:-0}            # 1: a replica's IO thread was stopped for 2 s before the kill
behind_host=${BEHIND_HOST:-3}  # which one (2 is the candidate_master: then it is not latest)
ignore_fail=${IGNORE_FAIL:-0}  # 1: host3 has ignore_fail=1 and is down before the kill
gtid=${GTID:-0}                # 1: MariaDB GTID replication (issue 16); 0: file/position
second_domain=${SECOND_DOMAIN:-0}  # with GTID=1, N>0: the load writes odd ids in GTID domain N
only_master=${ONLY_MASTER:-0}  # 1: every IO thread stops 1 s before the kill (rows only the master has)
sandbox_addresses "$base"

gtid_flag=--no-gtid
[ "$gtid" = 1 ] && gtid_flag=--gtid
sandbox_start D --nodes 3 "$gtid_flag" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
LOG=$D/manager/manager.log
mkdir -p "$D/manager"
if [ "$ignore_fail" = 1 ]; then
    sed -i 's/^\[server3\]$/[server3]\nignore_fail=1/' "$CONF"
fi

step "manager starts watching"
manager_start manager "$CONF"

step "load starts (app account)"
load_flags=()
if [ "$second_domain" != 0 ]; then
    # SET SESSION gtid_domain_id needs BINLOG REPLAY, which read_only still stops.
    sandbox_sql "$D" 1 "GRANT BINLOG REPLAY ON *.* TO '$MHA_APP_USER'@'127.%'"
    load_flags=(--second-domain "$second_domain")
fi
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 12 --acked "$D/acked" "${load_flags[@]}" >"$D/load.out" 2>&1 &
load=$!
sandbox_bg $load
sleep 2
if [ "$behind" = 1 ]; then
    step "host$behind_host's IO thread stopped for 2 s: it falls behind"
    sandbox_cmd stop-replica --dir "$D" "$behind_host" --io
    sleep 2
fi
if [ "$only_master" = 1 ]; then
    step "every replica's IO thread stops: the master alone takes the last writes"
    sandbox_cmd stop-replica --dir "$D" 2 --io
    sandbox_cmd stop-replica --dir "$D" 3 --io
    sleep 1
    master_rows=$(sandbox_sql "$D" 1 "SELECT COUNT(*) FROM $MHA_LOAD_TABLE")
    replica_rows=$(sandbox_sql "$D" 2 "SELECT COUNT(*) FROM $MHA_LOAD_TABLE")
    [ "$master_rows" -gt "$replica_rows" ] \
        || sandbox_fail "setup: the master ($master_rows rows) has nothing the replicas ($replica_rows) lack"
    echo "the master has $((master_rows - replica_rows)) rows no replica received"
fi
if [ "$ignore_fail" = 1 ]; then
    step "host3 (ignore_fail=1) dies first"
    sandbox_cmd kill-host --dir "$D" 3
fi
sleep 1

step "the master dies ($scenario)"
if [ "$scenario" = host ]; then
    sandbox_cmd kill-host --dir "$D" 1
else
    sandbox_cmd kill-mysqld --dir "$D" 1
fi
killed=$(date +%s.%N)

rc=0
for _ in $(seq 1 600); do kill -0 $manager 2>/dev/null || break; sleep 0.1; done
kill -0 $manager 2>/dev/null && { cat "$LOG"; sandbox_fail "manager did not finish the failover in 60 s"; }
wait $manager || rc=$?
done_at=$(date +%s.%N)
# A dead host cannot be fenced (its agent is gone, no shutdown_script): MHA's 10, and said so.
expected_rc=0
[ "$scenario" = host ] && expected_rc=10
[ "$rc" = "$expected_rc" ] || { cat "$LOG"; sandbox_fail "manager exit $rc, expected $expected_rc"; }
if [ "$scenario" = host ]; then
    grep -q "^WARNING: the old master $(addr 1)(.*) is NOT fenced: its agent is unreachable" "$LOG" \
        || { cat "$LOG"; sandbox_fail "the report does not say the old master is NOT fenced"; }
fi
echo "failover finished $(awk "BEGIN{printf \"%.2f\", $done_at - $killed}") s after the kill"
grep -q -- "----- Failover Report -----" "$LOG" || { cat "$LOG"; sandbox_fail "no Failover Report"; }
grep -q "Master failover to .* completed successfully." "$LOG" || { cat "$LOG"; sandbox_fail "not completed"; }
apply_phase="Phase 3.5: Master Log Apply Phase"
[ "$gtid" = 1 ] && apply_phase="Phase 3.3: New Master Recovery Phase"
for phase in "Phase 1: Configuration Check Phase" "Phase 2: Dead Master Shutdown Phase" \
             "Phase 3.1: Getting Latest Slaves Phase" "Phase 3.3: Determining New Master Phase" \
             "$apply_phase" "Phase 4: Slaves Recovery Phase" \
             "Phase 5: New master cleanup phase"; do
    grep -q "\* $phase\.\." "$LOG" || sandbox_fail "log lacks '* $phase..'"
done
if [ "$scenario" = host ]; then
    grep -q "The dead master's binlog could not be saved" "$LOG" || sandbox_fail "report does not say the binlog could not be saved"
fi
[ -f "$D/manager/app.failover.complete" ] || sandbox_fail "no app.failover.complete"
if [ "$ignore_fail" = 1 ]; then
    grep -q "$(addr 3).*not recovered (ignore_fail=1" "$LOG" || { cat "$LOG"; sandbox_fail "report lacks the ignored replica"; }
fi
if [ "$only_master" = 1 ]; then
    grep -q "Saved [1-9][0-9]* bytes of the dead master's binlog events" "$LOG" \
        || { cat "$LOG"; sandbox_fail "nothing was saved from the dead master's binlog"; }
fi
if [ "$behind" = 1 ]; then
    grep -q "bytes of relay-log diff from" "$LOG" || { cat "$LOG"; sandbox_fail "no relay-log diff was applied"; }
fi

step "load ends; verify finds nothing lost"
wait $load || true
cat "$D/load.out" | tail -3
# A dead machine takes with it what it acknowledged that no replica received (async
# replication): verify accepts those ids only when its binlog on disk proves no one else had them.
verify_flags=()
[ "$scenario" = host ] && verify_flags=(--died 1)
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" "${verify_flags[@]}" || { cat "$LOG"; sandbox_fail "verify"; }
new_master=$(grep -o "Master failover to [0-9.]*" "$LOG" | tail -1 | awk '{print $4}')
if [ "$gtid" = 1 ]; then
    step "GTID: every replica replicates with slave_pos from where its data is"
    grep -q "GTID failover mode = 1 (MariaDB GTID)" "$LOG" || { cat "$LOG"; sandbox_fail "not a GTID failover"; }
    nm_pos=$(sandbox_sql "$D" 2 "SELECT @@gtid_binlog_pos")
    if [ "$ignore_fail" != 1 ]; then
        using=$(mariadb --no-defaults -uroot --socket="$D/host3/mysqld.sock" -e 'SHOW SLAVE STATUS\G' \
            | awk '/Using_Gtid:/{print $2}')
        [ "$using" = Slave_Pos ] || sandbox_fail "host3: Using_Gtid=$using, expected Slave_Pos"
        pos=$(sandbox_sql "$D" 3 "SELECT @@gtid_slave_pos")
        [ "$pos" = "$nm_pos" ] || sandbox_fail "host3: gtid_slave_pos $pos, new master's gtid_binlog_pos $nm_pos"
    fi
    if [ "$second_domain" != 0 ]; then
        case ",$nm_pos" in *",$second_domain-"*) ;; *) sandbox_fail "no domain $second_domain in $nm_pos";; esac
    fi
    echo "new master's GTID position $nm_pos; replicas match"
fi
[ "$new_master" = "$(addr 2)" ] || sandbox_fail "new master $new_master, expected the candidate $(addr 2)"

if [ "$scenario" = crash ]; then
    step "the old master restarted comes up read_only (fenced)"
    sandbox_cmd start-mysqld --dir "$D" 1
    [ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 1 ] || sandbox_fail "old master is writable after restart"
    if MYSQL_PWD=$MHA_APP_PASSWORD mariadb --no-defaults -h "$(addr 1)" -u "$MHA_APP_USER" \
        -e "INSERT INTO mha_load.writes (id) VALUES (999999999)" 2>/dev/null; then
        sandbox_fail "an app write landed on the fenced old master"
    fi
    step "mhactl unfence, restart: writable again"
    "$MHA_BIN/mhactl" unfence --conf="$CONF" --host="$(addr 1)" || sandbox_fail "unfence"
    sandbox_cmd kill-mysqld --dir "$D" 1
    sandbox_cmd start-mysqld --dir "$D" 1
    [ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 0 ] || sandbox_fail "still read_only after unfence"
fi

step "a second failover right away is refused (last_failover_minute)"
rc=0
"$MHA_BIN/masterha_master_switch" --conf="$CONF" --master_state=dead \
    --dead_master_host="$(addr 2)" --interactive=0 >"$D/second.out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "Current time is too early to do failover again" "$D/second.out" \
    || { cat "$D/second.out"; sandbox_fail "second failover not refused (rc $rc)"; }
echo PASS
