# masterha_secondary_check through real agents over mutual TLS: the agent of each secondary
# host probes the master (a real mariadbd) from there. Exit 3 while the master answers it,
# 0 when it does not (a closed port, or a listener that never greets, which MHA's TCP check
# would have taken for an answer), 2 when a secondary host's agent is unreachable; the
# configuration comes from --conf or, as mha-manager runs it, from MHA_CONF.
# Loopback addresses 127.0.3.23-25 only.
set -uo pipefail
source "$MHA_SOURCE/tests/integration/agent/lib.sh" || exit 1
source "$MHA_SOURCE/tests/support/mariadbd.sh" || exit 1

AGENT_ADDR=127.0.3.23
MASTER_ADDR=127.0.3.24
NO_AGENT_ADDR=127.0.3.25
PORT=7443
WORK=$(mktemp -d /tmp/mha-secondary-check.XXXXXX)
cleanup() {
    stop_agent
    mariadbd_stop "$WORK/db"
    rm -rf "$WORK"
}
trap cleanup EXIT

mariadbd_start "$WORK/db" "$MASTER_ADDR" 3306 "server_id=1" || fail "mariadbd did not start"
CERTS=$WORK/certs
make_certs "$CERTS" "$AGENT_ADDR" || fail "mha-certs"
printf '[client]\nuser=unused\npassword=unused\n' >"$WORK/credentials.cnf"
chmod 600 "$WORK/credentials.cnf"
write_agent_cnf "$WORK/agent.cnf" "$CERTS" "$AGENT_ADDR" "$PORT" "$WORK/no-mysqld.sock" \
    "$WORK/credentials.cnf"
start_agent "$WORK/agent.cnf" "$WORK/agent.log" "$AGENT_ADDR" "$PORT"
cat >"$WORK/app.cnf" <<CNF
[server default]
user = root
manager_workdir = $WORK/manager
agent_ca = $CERTS/ca.crt
agent_cert = $CERTS/manager.crt
agent_key = $CERTS/manager.key

[server1]
hostname = $MASTER_ADDR

[server2]
hostname = $AGENT_ADDR
CNF

# check EXPECTED_EXIT PATTERN ARGS...: masterha_secondary_check exits so and prints PATTERN.
check() {
    local want=$1 pattern=$2 rc=0 out
    shift 2
    out=$("$MHA_BIN/masterha_secondary_check" "$@" 2>&1) || rc=$?
    [ "$rc" = "$want" ] || fail "masterha_secondary_check $*: exit $rc, expected $want: $out"
    grep -q -- "$pattern" <<<"$out" || fail "masterha_secondary_check $*: no '$pattern' in: $out"
    pass "masterha_secondary_check $* -> exit $rc: $(head -1 <<<"$out")"
}
# The options mha-manager appends to secondary_check_script (MHA's), accepted and unused.
mha_args=(--user=root --master_ip="$MASTER_ADDR" --ping_type=SELECT)

check 3 "Master is reachable from $AGENT_ADDR!" --conf="$WORK/app.cnf" -s "$AGENT_ADDR" \
    --master_host="$MASTER_ADDR" --master_port=3306 "${mha_args[@]}"
check 0 "Master is not reachable from $AGENT_ADDR. OK." --conf="$WORK/app.cnf" \
    -s "$AGENT_ADDR" --master_host="$MASTER_ADDR" --master_port=3307 "${mha_args[@]}"
# The agent's own port accepts TCP and never sends a MySQL greeting: not an answer.
check 0 "Master is not reachable from $AGENT_ADDR. OK." --conf="$WORK/app.cnf" \
    -s "$AGENT_ADDR" --master_host="$AGENT_ADDR" --master_port="$PORT" --timeout=1
check 2 "Monitoring server $NO_AGENT_ADDR is NOT reachable!" --conf="$WORK/app.cnf" \
    -s "$AGENT_ADDR" -s "$NO_AGENT_ADDR" --master_host="$MASTER_ADDR" --master_port=3307 \
    --timeout=1
# As mha-manager runs secondary_check_script: no --conf, MHA_CONF in the environment.
MHA_CONF=$WORK/app.cnf check 3 "Master is reachable from $AGENT_ADDR!" -s "$AGENT_ADDR" \
    --master_host="$MASTER_ADDR" --master_port=3306 "${mha_args[@]}"
check 1 "--conf is required" -s "$AGENT_ADDR" --master_host="$MASTER_ADDR"
echo PASS
