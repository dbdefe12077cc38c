# Scenario: the sandbox's write load follows a failover done by hand. The master is made
# read_only and a replica promoted, then the old master's mysqld is killed. The `app` load
# (unprivileged) is stopped by read_only and moves to the new master at once; the `admin` load
# (privileged: read_only does not stop it) keeps its connection to the old master, and moves
# only after the error the crash gives it. No acknowledged id is lost, and ids increase.
# Base address: SANDBOX_BASE (default 127.0.76.11).
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.76.11}
sandbox_addresses "$base"

step "up 2 nodes at $base; app and admin loads"
sandbox_start D --nodes 2 --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
"$SANDBOX_LOAD" --dir "$D" --acked "$D/acked.app" --rate 50 --seconds 120 >"$D/load.app.out" 2>&1 &
app=$!
sandbox_bg "$app"
"$SANDBOX_LOAD" --dir "$D" --user admin --acked "$D/acked.admin" --rate 50 --seconds 120 \
    >"$D/load.admin.out" 2>&1 &
admin=$!
sandbox_bg "$admin"

count() {  # host, WHERE clause
    sandbox_sql "$D" "$1" "SELECT COUNT(*) FROM $MHA_LOAD_TABLE WHERE $2"
}
wait_count() {  # host, WHERE clause, at least: polls up to 20 s
    local _
    for _ in $(seq 1 200); do
        [ "$(count "$1" "$2" 2>/dev/null || echo 0)" -ge "$3" ] && return 0
        sleep 0.1
    done
    sandbox_fail "host$1 has fewer than $3 rows WHERE $2 (has $(count "$1" "$2" || true))"
}
wait_count 1 "writer = 'app@$(addr 1)'" 10
wait_count 1 "writer = 'admin@$(addr 1)'" 10

step "host1 read_only, host2 promoted: app moves to host2, admin stays on host1"
t1=$(sandbox_sql "$D" 1 "SET GLOBAL read_only=1; SELECT NOW(6)")
sandbox_sql "$D" 2 "STOP SLAVE; SET GLOBAL read_only=0"
wait_count 2 "writer = 'app@$(addr 2)'" 10
wait_count 1 "writer = 'admin@$(addr 1)' AND written_at > '$t1'" 10
[ "$(count 1 "writer LIKE 'app@%' AND written_at > '$t1'")" = 0 ] \
    || sandbox_fail "the app account wrote on a read_only server"

step "host1's mysqld killed: admin moves to host2 after the error"
t2=$(sandbox_sql "$D" 2 "SELECT NOW(6)")
sandbox_cmd kill-mysqld --dir "$D" 1
wait_count 2 "writer = 'admin@$(addr 2)'" 10
[ "$(count 2 "writer = 'admin@$(addr 2)' AND written_at < '$t2'")" = 0 ] \
    || sandbox_fail "admin moved to host2 before its connection to host1 failed"
kill -TERM "$app" "$admin"
wait "$app" || sandbox_fail "app load: $(cat "$D/load.app.out")"
wait "$admin" || sandbox_fail "admin load: $(cat "$D/load.admin.out")"
cat "$D/load.app.out" "$D/load.admin.out"
grep -Eq "host switches$" "$D/load.app.out" || sandbox_fail "app load printed no summary"

step "every acknowledged id is on host1 or host2, ids increase, the two ranges are apart"
sandbox_cmd start-mysqld --dir "$D" 1
for who in app admin; do
    f=$D/acked.$who
    [ -s "$f" ] || sandbox_fail "$who acknowledged nothing"
    sort -n -c -u "$f" || sandbox_fail "$who: acknowledged ids do not increase"
done
[ "$(tail -n 1 "$D/acked.app")" -lt 1000000000 ] || sandbox_fail "app ids reach the admin range"
[ "$(head -n 1 "$D/acked.admin")" -gt 1000000000 ] || sandbox_fail "admin ids below their range"
{ sandbox_sql "$D" 1 "SELECT id FROM $MHA_LOAD_TABLE"; sandbox_sql "$D" 2 "SELECT id FROM $MHA_LOAD_TABLE"; } \
    | sort -u >"$D/written"
lost=$(sort -u "$D/acked.app" "$D/acked.admin" | comm -23 - "$D/written" | wc -l)
[ "$lost" = 0 ] || sandbox_fail "$lost acknowledged ids are on neither host"
echo "PASS"
