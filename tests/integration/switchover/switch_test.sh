# Scenario (issue 17): masterha_master_switch on a 3-node sandbox, file/position (GTID=0) or
# GTID (GTID=1). In order:
#  1. quiet cluster: --dry-run, an invalid --new_master_host, a lagging replica, a long update
#     on the master, and a write that keeps FLUSH TABLES WITH READ LOCK from being granted are
#     each refused (or only planned) and change nothing: read_only, replication sources and
#     coordinates are identical before and after;
#  2. under an `app` load and a privileged `admin` writer (ALL PRIVILEGES: read_only does not
#     stop it; it keeps its connection and moves only after an error): switch to host2 with
#     --orig_master_is_new_slave, and back to host1; after each, every acknowledged row of both
#     writers is on the new master and every replica, the old master (now a replica) holds the
#     same rows, and both writers wrote on the new master;
#  3. host1's mysqld is killed: a dead-master --dry-run changes nothing, the manual failover
#     (--remove_dead_master_conf) loses nothing;
#  4. a switch without --orig_master_is_new_slave: the old master stays read_only, out of
#     replication, with no row the new master lacks.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.20.11}
gtid=${GTID:-0}
sandbox_addresses "$base"

mode=--no-gtid
[ "$gtid" = 1 ] && mode=--gtid
sandbox_start D --nodes 3 "$mode" --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
SWITCH="$MHA_BIN/masterha_master_switch"
sandbox_sql "$D" 1 "CREATE TABLE mha_load.slow (id INT PRIMARY KEY) ENGINE=InnoDB;
                    INSERT INTO mha_load.slow VALUES (1)"
# master_ip_online_change_script records its arguments (MHA's, passwords included).
cat >"$D/online_change.sh" <<'HOOK'
#!/bin/sh
echo "$*" >>"$(dirname "$0")/online_change.log"
HOOK
chmod +x "$D/online_change.sh"
sed -i "s|^\[server default\]$|[server default]\nmaster_ip_online_change_script=$D/online_change.sh|" "$CONF"

# One line per answering host: read_only, binlog end, GTID positions, replication source and
# coordinates (no Seconds_Behind_Master: it moves by itself).
state() {
    local i
    for i in 1 2 3; do
        [ -S "$D/host$i/mysqld.sock" ] && sandbox_sql "$D" "$i" "SELECT 1" >/dev/null 2>&1 || continue
        printf 'host%s ro=%s binlog=%s gtid=%s/%s ' "$i" \
            "$(sandbox_sql "$D" "$i" 'SELECT @@read_only')" \
            "$(sandbox_sql "$D" "$i" 'SHOW MASTER STATUS' | cut -f1,2 | tr '\t' :)" \
            "$(sandbox_sql "$D" "$i" 'SELECT @@gtid_binlog_pos')" \
            "$(sandbox_sql "$D" "$i" 'SELECT @@gtid_slave_pos')"
        mariadb --no-defaults -uroot --socket="$D/host$i/mysqld.sock" -e 'SHOW SLAVE STATUS\G' |
            grep -E '^ *(Master_Host|Master_Port|Master_Log_File|Read_Master_Log_Pos|Relay_Master_Log_File|Exec_Master_Log_Pos|Using_Gtid|Slave_IO_Running|Slave_SQL_Running):' |
            tr -d ' ' | tr '\n' ' '
        echo
    done
}
# True when every replica whose SQL thread runs has executed all it has read (a replica whose
# SQL thread waits on a lock also looks still, so stillness alone is not enough).
caught_up() {
    local i
    for i in 1 2 3; do
        [ -S "$D/host$i/mysqld.sock" ] || continue
        mariadb --no-defaults -uroot --socket="$D/host$i/mysqld.sock" -e 'SHOW SLAVE STATUS\G' |
            awk '/^ *Master_Log_File:/ {m=$2} /^ *Read_Master_Log_Pos:/ {r=$2}
                 /^ *Relay_Master_Log_File:/ {x=$2} /^ *Exec_Master_Log_Pos:/ {e=$2}
                 /^ *Slave_SQL_Running:/ {sql=$2}
                 END {exit (sql != "Yes" || (m == x && r == e)) ? 0 : 1}' || return 1
    done
}
# Waits until nothing moves any more (replicas caught up, no writer left).
settle() {
    local a b
    for _ in $(seq 1 40); do
        a=$(state); sleep 0.3; b=$(state)
        [ "$a" = "$b" ] && caught_up && return 0
    done
    echo "$b"
    sandbox_fail "the cluster does not settle"
}
# Ends host I's connections running exactly QUERY on the server side: killing the client alone
# leaves the server's thread (and any lock it holds) until the server notices, up to 5 s later.
kill_query() {
    local i=$1 query=$2 id
    for id in $(sandbox_sql "$D" "$i" "SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = '$query'"); do
        sandbox_sql "$D" "$i" "KILL $id" 2>/dev/null || true
    done
}
# Runs the switch command ($@) that must not change anything; it must exit EXPECT and print
# PATTERN; the state before and after must be identical.
unchanged() {
    local name=$1 expect=$2 pattern=$3 rc=0 before after
    shift 3
    before=$(state)
    "$@" >"$D/$name.out" 2>&1 || rc=$?
    after=$(state)
    [ "$rc" = "$expect" ] || { cat "$D/$name.out"; sandbox_fail "$name: exit $rc, expected $expect"; }
    grep -Eq -- "$pattern" "$D/$name.out" || { cat "$D/$name.out"; sandbox_fail "$name: no '$pattern'"; }
    [ "$before" = "$after" ] || { echo "before:"; echo "$before"; echo "after:"; echo "$after";
                                  cat "$D/$name.out"; sandbox_fail "$name changed the cluster"; }
    echo "   $name: exit $rc, nothing changed"
}
alive() { "$SWITCH" --conf="$CONF" --master_state=alive --interactive=0 "$@"; }

loads=()
# The two writers take ids from separate ranges (the admin writer's start at 10^9).
start_loads() {
    "$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 120 --acked "$D/acked.app" >>"$D/load.app" 2>&1 &
    loads+=($!); sandbox_bg $!
    sleep 0.3
    "$SANDBOX_LOAD" --dir "$D" --user admin --rate 50 --seconds 120 --acked "$D/acked.admin" \
        >>"$D/load.admin" 2>&1 &
    loads+=($!); sandbox_bg $!
    sleep 1.2
}
stop_loads() {
    sleep 1  # both writers get going on the new master
    kill -TERM "${loads[@]}" 2>/dev/null || true
    wait "${loads[@]}" 2>/dev/null || true
    loads=()
    tail -qn1 "$D/load.app" "$D/load.admin" | sed 's/^/   /'
}
verify_all() {
    cat "$D/acked.app" "$D/acked.admin" >"$D/acked.all"
    "$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked.all" >"$D/verify.out" 2>&1 ||
        { cat "$D/verify.out"; sandbox_fail "verify after $1"; }
    sed 's/^/   /' "$D/verify.out"
}
# Both writers wrote on host NEW (their rows carry writer@host).
wrote_on() {
    local new=$1 who
    for who in app admin; do
        [ "$(sandbox_sql "$D" "$new" "SELECT COUNT(*) FROM mha_load.writes WHERE writer='$who@$(addr "$new")'")" -gt 0 ] ||
            sandbox_fail "the $who writer never wrote on host$new"
    done
}
switched() {  # NAME OUT: exit 0, MHA's success line, and the old master proven clean
    grep -q "Switching master to .* completed successfully." "$2" || { cat "$2"; sandbox_fail "$1: not completed"; }
    grep -q "holds no transaction the new master lacks" "$2" || { cat "$2"; sandbox_fail "$1: no divergence check"; }
    grep -o "Writes were blocked for [0-9.]* ms" "$2" | sed 's/^/   /'
}

step "1. refusals and --dry-run change nothing (quiet cluster)"
settle
unchanged dry_run_alive 0 "Checks: all passed" \
    alive --new_master_host="$(addr 2)" --orig_master_is_new_slave --dry-run
grep -q "FLUSH TABLES WITH READ LOCK" "$D/dry_run_alive.out" && grep -q "$(addr 2)(.*) (new master)" "$D/dry_run_alive.out" ||
    { cat "$D/dry_run_alive.out"; sandbox_fail "the dry run prints no plan"; }
unchanged bad_candidate 1 "is not an alive slave" alive --new_master_host="$(addr 240)"

# host3's SQL thread blocked behind a read lock while the app writes: it lags.
mariadb --no-defaults -uroot --socket="$D/host3/mysqld.sock" \
    -e "FLUSH TABLES WITH READ LOCK; SELECT SLEEP(60)" >/dev/null 2>&1 &
blocker=$!
sandbox_bg $blocker
"$SANDBOX_LOAD" --dir "$D" --rate 50 --seconds 1 --acked "$D/acked.app" >>"$D/load.app" 2>&1
for _ in $(seq 1 50); do
    sbm=$(mariadb --no-defaults -uroot --socket="$D/host3/mysqld.sock" -e 'SHOW SLAVE STATUS\G' |
          awk '/Seconds_Behind_Master/ {print $2}')
    [ "$sbm" != NULL ] && [ "${sbm:-0}" -ge 2 ] && break
    sleep 0.2
done
sleep 0.5  # host2 executes the last of it
unchanged lagging_replica 1 "Slave is currently behind [0-9]+ seconds on $(addr 3)" \
    alive --seconds_behind_master=1
kill_query 3 "SELECT SLEEP(60)"
wait "$blocker" 2>/dev/null || true
settle

sandbox_sql "$D" 1 "UPDATE mha_load.slow SET id=id WHERE SLEEP(3)=1" &
update=$!
sleep 2.2
unchanged long_update 1 "running long updates on the current master" alive
wait $update
settle
sandbox_sql "$D" 1 "UPDATE mha_load.slow SET id=id WHERE SLEEP(2)=1" &
update=$!
sleep 0.3
rm -f "$D/online_change.log"
unchanged lock_not_granted 1 "FLUSH TABLES WITH READ LOCK was not granted within 1 s" alive
wait $update
# The hook was told to stop writes on host1, then (the rollback) to start them there again.
grep -q -- "--command=stop --orig_master_host=$(addr 1) " "$D/online_change.log" &&
    grep -q -- "--command=start --orig_master_host=$(addr 2) .*--new_master_host=$(addr 1) " "$D/online_change.log" ||
    { cat "$D/online_change.log"; sandbox_fail "the rollback did not run the hook's start for host1"; }
settle

step "2. switch to host2 (--orig_master_is_new_slave) under app + admin writers"
start_loads
alive --new_master_host="$(addr 2)" --orig_master_is_new_slave >"$D/switch1.out" 2>&1 ||
    { cat "$D/switch1.out"; sandbox_fail "switch to host2 failed"; }
switched "switch to host2" "$D/switch1.out"
# MHA's hook arguments; the passwords reach the script but never the log.
grep -q -- "--command=stop --orig_master_host=$(addr 1) --orig_master_ip=$(echo "$MHA_PROXIES" | cut -d' ' -f1) --orig_master_port=3306 --orig_master_user=$MHA_USER --new_master_host=$(addr 2) .*--orig_master_is_new_slave --orig_master_password=$MHA_PASSWORD --new_master_password=$MHA_PASSWORD" "$D/online_change.log" ||
    { cat "$D/online_change.log"; sandbox_fail "hook --command=stop lacks MHA's arguments"; }
grep -q -- "--command=start --orig_master_host=$(addr 1) .*--new_master_host=$(addr 2) " "$D/online_change.log" ||
    { cat "$D/online_change.log"; sandbox_fail "hook --command=start was not called"; }
grep -q -- "--orig_master_password=xxx" "$D/switch1.out" && ! grep -q -- "$MHA_PASSWORD" "$D/switch1.out" ||
    sandbox_fail "the switch log shows a password"
stop_loads
verify_all "the switch to host2"
grep -q "replicas.*$(addr 1)" "$D/verify.out" || sandbox_fail "the old master does not replicate from the new one"
[ "$(sandbox_sql "$D" 1 'SELECT @@read_only')" = 1 ] || sandbox_fail "old master host1 is writable"
wrote_on 2

step "   and back to host1"
start_loads
alive --new_master_host="$(addr 1)" --orig_master_is_new_slave >"$D/switch2.out" 2>&1 ||
    { cat "$D/switch2.out"; sandbox_fail "switch back to host1 failed"; }
switched "switch back to host1" "$D/switch2.out"
stop_loads
verify_all "the switch back to host1"
grep -q "replicas.*$(addr 2)" "$D/verify.out" || sandbox_fail "host2 does not replicate from host1"
wrote_on 1

step "3. host1's mysqld dies: a dead-master --dry-run changes nothing, the failover loses nothing"
start_loads
sandbox_cmd kill-mysqld --dir "$D" 1
sleep 0.5
unchanged dry_run_dead 0 "Checks: all passed" \
    "$SWITCH" --conf="$CONF" --master_state=dead --dead_master_host="$(addr 1)" --interactive=0 --dry-run
grep -q "New master: $(addr 2)" "$D/dry_run_dead.out" || { cat "$D/dry_run_dead.out"; sandbox_fail "dry run: no new master"; }
[ ! -e "$D/manager/app.failover.complete" ] || sandbox_fail "the dry run wrote failover.complete"
"$SWITCH" --conf="$CONF" --master_state=dead --dead_master_host="$(addr 1)" --interactive=0 \
    --remove_dead_master_conf >"$D/dead.out" 2>&1 || { cat "$D/dead.out"; sandbox_fail "manual failover failed"; }
grep -q "Master failover to $(addr 2).* completed successfully." "$D/dead.out" || { cat "$D/dead.out"; sandbox_fail "failover not completed"; }
stop_loads
verify_all "the manual failover"
wrote_on 2

step "4. switch to host3 without --orig_master_is_new_slave"
start_loads
alive --new_master_host="$(addr 3)" >"$D/switch3.out" 2>&1 ||
    { cat "$D/switch3.out"; sandbox_fail "switch to host3 failed"; }
switched "switch to host3" "$D/switch3.out"
stop_loads
verify_all "the switch to host3"
wrote_on 3
[ "$(sandbox_sql "$D" 2 'SELECT @@read_only')" = 1 ] || sandbox_fail "old master host2 is writable"
[ -z "$(sandbox_sql "$D" 2 'SHOW SLAVE STATUS')" ] || sandbox_fail "old master host2 replicates"
sandbox_sql "$D" 2 "SELECT id FROM mha_load.writes" | sort >"$D/ids.2"
sandbox_sql "$D" 3 "SELECT id FROM mha_load.writes" | sort >"$D/ids.3"
extra=$(comm -23 "$D/ids.2" "$D/ids.3" | wc -l)
[ "$extra" = 0 ] || sandbox_fail "old master host2 holds $extra rows the new master lacks"
echo PASS
