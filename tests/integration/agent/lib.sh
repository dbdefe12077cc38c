# Sourced by the agent integration tests: certificates, agent.cnf, start/stop of one mha-agent,
# curl helpers and assertions. Loopback addresses 127.0.3.0/24 only.

: "${MHA_BIN:?MHA_BIN must point at the bin directory of the build}"
: "${MHA_SOURCE:?MHA_SOURCE must point at the source tree}"

AGENT_PID=""

fail() {
    echo "FAIL: $*" >&2
    if [ -n "${AGENT_LOG:-}" ] && [ -f "$AGENT_LOG" ]; then
        echo "--- tail of the agent log:" >&2
        tail -n 30 "$AGENT_LOG" >&2
    fi
    exit 1
}

pass() { echo "ok: $*"; }

# make_certs DIR AGENT_ADDRESS: CA, manager, monitor, an "intruder" client and the agent's cert.
make_certs() {
    "$MHA_SOURCE/certs/mha-certs" --out "$1" --agent "$2" --client intruder >/dev/null
}

# write_agent_cnf FILE CERTS ADDRESS PORT SOCKET CREDENTIALS [EXTRA_AGENT_LINES]
write_agent_cnf() {
    local file=$1 certs=$2 address=$3 port=$4 socket=$5 credentials=$6 extra=${7:-}
    cat >"$file" <<CNF
# agent.cnf for an integration test
[agent]
listen = $address:$port
tls_ca = $certs/ca.crt
tls_cert = $certs/agent-$address.crt
tls_key = $certs/agent-$address.key
allow_manager = mha-manager
allow_monitor = mha-monitor
max_connections = 16
max_header_bytes = 4096
max_body_bytes = 65536
io_timeout = 2
handshake_timeout = 2
header_timeout = 2
$extra

[mysqld]
socket = $socket
credentials_file = $credentials
connect_timeout = 2
CNF
}

# start_agent CNF LOG ADDRESS PORT: starts mha-agent, waits until it accepts TCP connections.
start_agent() {
    local cnf=$1 address=$3 port=$4 i
    AGENT_LOG=$2
    "$MHA_BIN/mha-agent" --conf="$cnf" >"$AGENT_LOG" 2>&1 &
    AGENT_PID=$!
    for i in $(seq 1 100); do
        if (exec 3<>"/dev/tcp/$address/$port") 2>/dev/null; then
            return 0
        fi
        kill -0 "$AGENT_PID" 2>/dev/null || fail "mha-agent exited at start"
        sleep 0.1
    done
    fail "mha-agent did not listen on $address:$port"
}

stop_agent() {
    if [ -n "$AGENT_PID" ] && kill -0 "$AGENT_PID" 2>/dev/null; then
        kill -TERM "$AGENT_PID" 2>/dev/null
        wait "$AGENT_PID" 2>/dev/null
    fi
    AGENT_PID=""
}

# acurl CERTS CLIENT URL [curl args…]: curl with client certificate CLIENT (manager, monitor,
# client-intruder, or "none"); prints the body, then the status code on the last line.
acurl() {
    local certs=$1 client=$2 url=$3
    shift 3
    local auth=()
    if [ "$client" != none ]; then
        auth=(--cert "$certs/$client.crt" --key "$certs/$client.key")
    fi
    curl -sS --max-time 10 --cacert "$certs/ca.crt" "${auth[@]}" "$@" -w '\n%{http_code}\n' "$url"
}

# status_of OUTPUT: the last line of acurl's output.
status_of() { tail -n 1 <<<"$1"; }

# body_of OUTPUT: acurl's output without the status line (and the blank line before it).
body_of() { sed '$d' <<<"$1" | sed '${/^$/d}'; }

# exposition_errors BODY: prints every line that is not Prometheus text format 0.0.4
# ("# HELP name text", "# TYPE name counter|gauge", "name{label="value",…} number").
exposition_errors() {
    local name='[a-zA-Z_:][a-zA-Z0-9_:]*' label='[a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*"'
    grep -vE "^# HELP $name .+\$|^# TYPE $name (counter|gauge)\$|^$name(\{$label(,$label)*\})? -?[0-9.eE+-]+\$" <<<"$1"
}

# content_type_of CERTS CLIENT URL: the Content-Type of the answer.
content_type_of() {
    curl -sS --max-time 10 --cacert "$1/ca.crt" --cert "$1/$2.crt" --key "$1/$2.key" \
        -o /dev/null -w '%{content_type}' "$3"
}
