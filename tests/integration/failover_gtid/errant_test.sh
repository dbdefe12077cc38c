# Scenario (issue 16): an errant transaction on a GTID replica (a write straight on host2, the
# candidate_master, that the master never had). check-repl finds and names it; a failover
# refuses with check_errant_gtid=1 (the default), changing nothing; with check_errant_gtid=0 it
# warns, names it, and fails over to host3 instead, host2 replicating from it; `verify` finds
# every acknowledged write everywhere.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.33.11}
sandbox_addresses "$base"

sandbox_start D --nodes 3 --gtid --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
CONF=$D/app.cnf
mkdir -p "$D/manager"

step "load, then an errant transaction on host2, then more load"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 2 --acked "$D/acked" >"$D/load1.out" 2>&1 \
    || { cat "$D/load1.out"; sandbox_fail "load"; }
errant=$(sandbox_sql "$D" 2 "CREATE DATABASE errant_on_host2; SELECT @@last_gtid")
case "$errant" in 0-2-[0-9]*) ;; *) sandbox_fail "unexpected errant GTID '$errant'";; esac
echo "errant transaction on host2: $errant"
"$SANDBOX_LOAD" --dir "$D" --rate 100 --seconds 2 --acked "$D/acked" >"$D/load2.out" 2>&1 \
    || { cat "$D/load2.out"; sandbox_fail "load"; }

step "check-repl finds and names it"
rc=0
"$MHA_BIN/masterha_check_repl" --conf="$CONF" >"$D/check.out" 2>&1 || rc=$?
[ "$rc" != 0 ] || { cat "$D/check.out"; sandbox_fail "check-repl passed with an errant transaction"; }
grep -q "Errant GTID transactions on slave $(addr 2).*$errant" "$D/check.out" \
    || { cat "$D/check.out"; sandbox_fail "check-repl does not name $errant on host2"; }
grep -q "GTID failover mode = 1" "$D/check.out" || { cat "$D/check.out"; sandbox_fail "no GTID mode line"; }

step "the master dies; check_errant_gtid=1 (default): the failover refuses, naming it"
sandbox_cmd kill-mysqld --dir "$D" 1
switch() {
    "$MHA_BIN/masterha_master_switch" --conf="$CONF" --master_state=dead \
        --dead_master_host="$(addr 1)" --interactive=0 >"$D/$1.out" 2>&1
}
rc=0
switch refused || rc=$?
[ "$rc" = 1 ] || { cat "$D/refused.out"; sandbox_fail "failover not refused (rc $rc)"; }
grep -q "$(addr 2).*has errant GTID transactions $errant.*Stop failover" "$D/refused.out" \
    || { cat "$D/refused.out"; sandbox_fail "refusal does not name $errant"; }
[ ! -e "$D/manager/app.failover.error" ] || sandbox_fail "a refused failover left app.failover.error"
[ "$(sandbox_sql "$D" 2 'SELECT @@read_only')" = 1 ] || sandbox_fail "host2 changed by a refused failover"

step "check_errant_gtid=0: the failover warns and promotes host3, not host2"
sed -i 's/^\[server default\]$/[server default]\ncheck_errant_gtid=0/' "$CONF"
rc=0
switch done || rc=$?
[ "$rc" = 0 ] || { cat "$D/done.out"; sandbox_fail "failover exit $rc"; }
grep -q "has errant GTID transactions $errant.*not promoted (check_errant_gtid=0)" "$D/done.out" \
    || { cat "$D/done.out"; sandbox_fail "report does not name the errant transaction"; }
grep -q "Master failover to $(addr 3)(.*completed successfully" "$D/done.out" \
    || { cat "$D/done.out"; sandbox_fail "host3 was not promoted"; }
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" || { cat "$D/done.out"; sandbox_fail "verify"; }
[ "$(sandbox_sql "$D" 2 "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='errant_on_host2'")" = 1 ] \
    || sandbox_fail "host2 lost its own errant transaction"
[ "$(sandbox_sql "$D" 3 "SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name='errant_on_host2'")" = 0 ] \
    || sandbox_fail "the errant transaction reached the new master"
echo PASS
