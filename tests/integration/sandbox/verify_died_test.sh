# Scenario: the zero-loss oracle's --died N. A whole host that dies takes with it what it
# acknowledged and no replica received (async replication). verify must count those ids as
# lost, unless told the host died, and then only when the dead host's binlog on disk holds them
# and no answering server does. 2 nodes: host2's IO thread stops, the app load goes on on host1,
# host1's machine dies, host2 is made writable by hand.
# Base address: SANDBOX_BASE (default 127.0.96.21).
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

base=${SANDBOX_BASE:-127.0.96.21}
sandbox_addresses "$base"

step "up 2 nodes; load; host2 stops receiving; host1's host dies"
sandbox_start D --nodes 2 --base-ip "$base" || sandbox_fail "sandbox up"
source "$D/env"
"$SANDBOX_LOAD" --dir "$D" --acked "$D/acked" --rate 100 --seconds 3 >"$D/load.out" 2>&1 &
load=$!
sandbox_bg "$load"
sleep 1
sandbox_cmd stop-replica --dir "$D" 2 --io
sleep 1
sandbox_cmd kill-host --dir "$D" 1
wait "$load" || true
sandbox_sql "$D" 2 "STOP SLAVE; SET GLOBAL read_only=0"

step "without --died the ids only host1 had are lost"
if "$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" >"$D/plain.out" 2>&1; then
    cat "$D/plain.out"; sandbox_fail "verify passed though host2 lacks acknowledged ids"
fi
grep -q "$(addr 2) lacks [1-9][0-9]* acknowledged ids" "$D/plain.out" || { cat "$D/plain.out"; sandbox_fail "verify did not name the loss"; }

step "--died 1: host1's binlog on disk holds them: listed, not lost"
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" --died 1 >"$D/died.out" 2>&1 \
    || { cat "$D/died.out"; sandbox_fail "verify --died 1"; }
grep -q "acknowledged ids are on no answering server and in the dead host $(addr 1)'s binlog only" "$D/died.out" \
    || { cat "$D/died.out"; sandbox_fail "verify --died 1 did not list the ids"; }
cat "$D/died.out"

step "--died 2: host2's binlog does not hold them: still lost"
if "$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" --died 2 >"$D/wrong.out" 2>&1; then
    cat "$D/wrong.out"; sandbox_fail "verify --died 2 passed"
fi
"$SANDBOX_VERIFY" --dir "$D" --acked "$D/acked" --died 3 >"$D/bad.out" 2>&1 && sandbox_fail "--died 3 accepted"
grep -q "died 3: the sandbox has hosts 1..2" "$D/bad.out" || { cat "$D/bad.out"; sandbox_fail "no clear error for --died 3"; }
echo PASS
