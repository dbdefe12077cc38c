# Scenario: two sandboxes on different base addresses run at the same time, each replicating
# its own writes only, and taking one down leaves the other untouched. On the way: the default
# mode is file/position, a fence file holds across start-mysqld, `up` on a running sandbox is a
# no-op, and freeze/thaw, stop-replica --io and kill-host/start-host do what they say.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

sandbox_start A --nodes 3 --base-ip 127.0.0.21 || sandbox_fail "sandbox A up"
sandbox_start B --nodes 3 --gtid --base-ip 127.0.0.31 || sandbox_fail "sandbox B up"

sandbox_sql "$A" 1 "CREATE DATABASE side; CREATE TABLE side.t (who VARCHAR(8)); INSERT INTO side.t VALUES ('A')"
sandbox_sql "$B" 1 "CREATE DATABASE side; CREATE TABLE side.t (who VARCHAR(8)); INSERT INTO side.t VALUES ('B')"
expect() {  # dir host expected
    local _
    for _ in $(seq 1 100); do
        [ "$(sandbox_sql "$1" "$2" "SELECT GROUP_CONCAT(who) FROM side.t" 2>/dev/null)" = "$3" ] && return 0
        sleep 0.1
    done
    sandbox_fail "$1 host$2 does not hold exactly '$3'"
}
expect "$A" 2 A
expect "$A" 3 A
expect "$B" 2 B
expect "$B" 3 B
[ "$(sandbox_sql "$A" 2 "SELECT @@server_id")" = 2 ] || sandbox_fail "A host2 server_id"
# no mode given: file/position, MASTER_USE_GTID=no
grep -q '^host2 .* io=Yes sql=Yes gtid=No ' <(sandbox_cmd status --dir "$A") \
    || sandbox_fail "A's default mode is not file/position: $(sandbox_cmd status --dir "$A")"
grep -q "^hostname=127.0.0.32$" "$B/app.cnf" || sandbox_fail "B app.cnf addresses"

# A fence file in the server's fence directory holds across a restart (the agent writes it)
printf '[mysqld]\nread_only=1\n' >"$A/host1/fence.d/fence.cnf"
sandbox_cmd kill-mysqld --dir "$A" 1
sandbox_cmd start-mysqld --dir "$A" 1
[ "$(sandbox_sql "$A" 1 "SELECT @@read_only")" = 1 ] || sandbox_fail "a fenced master came back writable"
rm "$A/host1/fence.d/fence.cnf"
sandbox_sql "$A" 1 "SET GLOBAL read_only=0"

# `up` on a running sandbox is a no-op (once the replicas have reconnected to the restarted
# master: until then `up` rightly sees a sandbox that is not ready)
for _ in $(seq 1 100); do
    [ "$(sandbox_cmd status --dir "$A" | grep -c 'io=Yes sql=Yes')" = 2 ] && break
    sleep 0.1
done
out=$(sandbox_cmd up --dir "$A" --nodes 3 --base-ip 127.0.0.21)
grep -q "already up" <<<"$out" || sandbox_fail "second up on A: $out"

# The other fault commands, on B: a frozen server greets no one; thaw brings it back;
# stop-replica --io stops one thread; kill-host then start-host rebuilds the host.
source "$B/env"
manager_ping() {  # proxy address -> 0 when the admin account gets an answer within 3 s
    MYSQL_PWD=$MHA_PASSWORD timeout 3 mariadb --no-defaults --connect-timeout=2 -h "$1" \
        -u "$MHA_USER" -N -e 'SELECT 1' >/dev/null 2>&1
}
p3=$(echo "$MHA_PROXIES" | cut -d' ' -f3)
sandbox_cmd freeze --dir "$B" 3
[ "$(cut -d' ' -f3 "/proc/$(cat "$B/host3/mysqld.pid")/stat")" = T ] || sandbox_fail "freeze: not stopped"
manager_ping "$p3" && sandbox_fail "a frozen server answered"
sandbox_cmd thaw --dir "$B" 3
manager_ping "$p3" || sandbox_fail "thawed server does not answer"
sandbox_cmd stop-replica --dir "$B" 2 --io
st=$(sandbox_cmd status --dir "$B" | grep '^host2 ')
grep -q "io=No sql=Yes" <<<"$st" || sandbox_fail "stop-replica --io: $st"
sandbox_sql "$B" 2 "START SLAVE"
b3_pids=$(cat "$B"/host3/*.pid)
sandbox_cmd kill-host --dir "$B" 3
manager_ping "$p3" && sandbox_fail "a killed host answered"
for pid in $b3_pids; do  # mysqld, agent and both proxies: a dead machine
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
    [ -z "$state" ] || [ "$state" = Z ] || sandbox_fail "kill-host left pid $pid running ($state)"
done
grep -q '^host3 .* mysqld=down .* agent=down proxy=down agent-proxy=down$' <(sandbox_cmd status --dir "$B") \
    || sandbox_fail "status after kill-host: $(sandbox_cmd status --dir "$B" | grep '^host3 ')"
sandbox_cmd start-host --dir "$B" 3
manager_ping "$p3" || sandbox_fail "start-host: no answer through the proxy"

b_pids=$(sandbox_pids "$B")
sandbox_cmd down --dir "$A"
for pid in $b_pids; do
    kill -0 "$pid" 2>/dev/null || sandbox_fail "taking A down killed B's pid $pid"
done
sandbox_sql "$B" 1 "INSERT INTO side.t VALUES ('B')"
expect "$B" 3 "B,B"
echo "PASS"
