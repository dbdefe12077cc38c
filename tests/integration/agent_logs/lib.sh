# Sourced by the agent log-route tests: a 3-node sandbox and helpers for the agents' log
# routes (curl with the manager's certificate), SQL per host, replica coordinates.
set -euo pipefail
source "${MHA_SOURCE:?}/tests/support/sandbox-fixture.sh"

mode=${SANDBOX_MODE:---no-gtid}
base=${SANDBOX_BASE:-127.0.0.61}
sandbox_addresses "$base"

start_cluster() {
    step "up 3 nodes $mode at $base"
    sandbox_start D --nodes 3 "$mode" --base-ip "$base" || sandbox_fail "sandbox up"
    source "$D/env"
    [ -n "$MHA_CA" ] || sandbox_fail "the sandbox started without agents"
    W=$(dirname "$D")/work
    mkdir -p "$W"
    sandbox_on_exit "rm -rf '$W'"
}

sql() { sandbox_sql "$D" "$@"; }

# agent HOST PATH [curl args…]: the body to stdout; the HTTP status in $W/status.
agent() {
    local host=$1 path=$2
    shift 2
    curl -s --max-time 60 --cacert "$MHA_CA" --cert "$MHA_CERT" --key "$MHA_KEY" \
        -w '%{http_code}' -o "$W/body" "$@" "https://$(addr "$host"):$MHA_AGENT_PORT$path" \
        >"$W/status" || true
    cat "$W/body"
}
status() { cat "$W/status"; }
json() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$W/body" "$1"; }

# slave_field HOST FIELD
slave_field() {
    mariadb --no-defaults -uroot --socket="$D/host$1/mysqld.sock" -e 'SHOW SLAVE STATUS\G' |
        awk -v f="$2:" '$1 == f {print $2}'
}

master_pos() { sql 1 "SHOW MASTER STATUS" | awk '{print $1, $2}'; }

# wait_caught_up HOST: the replica has read and executed everything the master logged.
wait_caught_up() {
    local want _
    for _ in $(seq 1 300); do
        want=$(master_pos)  # the master may log more meanwhile (the sandbox's own writes)
        [ "$(slave_field "$1" Master_Log_File) $(slave_field "$1" Read_Master_Log_Pos)" = "$want" ] &&
            [ "$(slave_field "$1" Relay_Master_Log_File) $(slave_field "$1" Exec_Master_Log_Pos)" = "$want" ] &&
            return 0
        sleep 0.1
    done
    sandbox_fail "host$1 did not catch up with $want: read $(slave_field "$1" Master_Log_File) $(slave_field "$1" Read_Master_Log_Pos), exec $(slave_field "$1" Relay_Master_Log_File) $(slave_field "$1" Exec_Master_Log_Pos)"
}

# wait_read HOST: the replica has received everything the master logged.
wait_read() {
    local want _
    for _ in $(seq 1 300); do
        want=$(master_pos)
        [ "$(slave_field "$1" Master_Log_File) $(slave_field "$1" Read_Master_Log_Pos)" = "$want" ] && return 0
        sleep 0.1
    done
    sandbox_fail "host$1 did not receive up to $want"
}

# same_tables HOST: CHECKSUM TABLE of every test table equals the master's.
same_tables() {
    local tables
    tables=$(sql 1 "SELECT GROUP_CONCAT(CONCAT(table_schema, '.', table_name)) FROM information_schema.tables WHERE table_schema = 't'")
    [ "$(sql 1 "CHECKSUM TABLE $tables")" = "$(sql "$1" "CHECKSUM TABLE $tables")" ] ||
        sandbox_fail "host$1's tables differ from the master's: $(sql "$1" "CHECKSUM TABLE $tables") vs $(sql 1 "CHECKSUM TABLE $tables")"
}

# repoint HOST FILE POS: replication from the master at those coordinates (file/position).
repoint() {
    sql "$1" "STOP SLAVE; CHANGE MASTER TO MASTER_LOG_FILE='$2', MASTER_LOG_POS=$3, MASTER_USE_GTID=no; START SLAVE"
}

# replicates HOST: rows written now arrive, no SQL error, tables equal.
replicates() {
    local n
    n=$(sql 1 "SELECT COALESCE(MAX(id), 0) + 1 FROM t.after")
    sql 1 "INSERT INTO t.after VALUES ($n)"
    wait_caught_up "$1"
    [ "$(slave_field "$1" Last_SQL_Errno)" = 0 ] || sandbox_fail "host$1: $(slave_field "$1" Last_SQL_Error)"
    [ "$(slave_field "$1" Slave_SQL_Running)" = Yes ] || sandbox_fail "host$1's SQL thread stopped"
    [ "$(sql "$1" "SELECT COUNT(*) FROM t.after WHERE id = $n")" = 1 ] || sandbox_fail "host$1 lacks row $n"
    same_tables "$1"
}

# relay_cut HOST: truncates HOST's last relay log at the start of its last Xid event (its IO
# thread is stopped), as a crash while receiving would leave it; prints the master position
# the relay log then ends at (the end_log_pos of the event before the Xid).
relay_cut() {
    local relay offset end
    relay=$(tail -1 "$D/host$1/relay/relay-bin.index")
    relay="$D/host$1/relay/$(basename "$relay")"
    read -r offset end < <(mariadb-binlog "$relay" 2>/dev/null | awk '
        /^# at / {at = $3}
        /end_log_pos/ {for (i = 1; i <= NF; i++) if ($i == "end_log_pos") pos = $(i + 1)
                       if ($0 ~ /Xid = /) {xid_at = at; before = prev} prev = pos}
        END {print xid_at, before}')
    [ -n "$offset" ] || sandbox_fail "no Xid in $relay"
    truncate -s "$offset" "$relay"
    echo "$end"
}
