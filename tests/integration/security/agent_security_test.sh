# The security suite: one mha-agent over real mutual TLS (no mysqld: /health answers 503 at
# once), attacked as a stranger with network access would. Floods are bounded in count and
# time and loopback only; throughout each, the manager certificate's /health must answer
# within 1 s. Addresses: SANDBOX_BASE (the agent), the next three (flood, manager, probe
# target) on the same /24.
set -uo pipefail
source "$MHA_SOURCE/tests/integration/agent/lib.sh" || exit 1

ADDR=${SANDBOX_BASE:-127.0.50.11}
NET=${ADDR%.*}
LAST=${ADDR##*.}
FLOOD_SRC=$NET.$((LAST + 1))
MANAGER_SRC=$NET.$((LAST + 2))
SILENT=$NET.$((LAST + 3))
PORT=7443
URL="https://$ADDR:$PORT"
FLOOD="python3 $MHA_SOURCE/tests/integration/security/flood.py"
WORK=$(mktemp -d /tmp/mha-security.XXXXXX)
BG_PIDS=()
cleanup() {
    local pid
    for pid in "${BG_PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    stop_agent
    rm -rf "$WORK"
}
trap cleanup EXIT

CERTS=$WORK/certs
make_certs "$CERTS" "$ADDR" || fail "mha-certs"
printf '[client]\nuser=mha_agent\npassword=unused\n' >"$WORK/credentials.cnf"
chmod 600 "$WORK/credentials.cnf"
cat >"$WORK/agent.cnf" <<CNF
[agent]
listen = $ADDR:$PORT
tls_ca = $CERTS/ca.crt
tls_cert = $CERTS/agent-$ADDR.crt
tls_key = $CERTS/agent-$ADDR.key
allow_manager = mha-manager
allow_monitor = mha-monitor
max_connections = 64
handshake_timeout = 2
header_timeout = 3
io_timeout = 5

[mysqld]
socket = $WORK/no-mysqld.sock
credentials_file = $WORK/credentials.cnf
CNF
start_agent "$WORK/agent.cnf" "$WORK/agent.log" "$ADDR" "$PORT"

# mcurl PATH [curl args…]: the manager's certificate, from the manager's own address.
mcurl() {
    local path=$1
    shift
    curl -sS -g --max-time 10 --interface "$MANAGER_SRC" --cacert "$CERTS/ca.crt" \
        --cert "$CERTS/manager.crt" --key "$CERTS/manager.key" "$@" -w '\n%{http_code}\n' \
        "$URL$path"
}

# health_within_1s SECONDS WHAT: samples the manager's /health every 0.2 s for SECONDS; every
# answer must come (503: no mysqld here) within 1 s.
health_within_1s() {
    local end=$((SECONDS + $1)) what=$2 n=0 worst=0 out code t
    while [ $SECONDS -lt $end ]; do
        out=$(curl -s --max-time 1 --interface "$MANAGER_SRC" --cacert "$CERTS/ca.crt" \
            --cert "$CERTS/manager.crt" --key "$CERTS/manager.key" -o /dev/null \
            -w '%{http_code} %{time_total}' "$URL/health")
        code=${out% *} t=${out#* }
        [ "$code" = 503 ] || fail "$what: the manager's /health got '$out' after $n good answers (worst ${worst} s)"
        worst=$(echo "if ($t > $worst) $t else $worst" | bc)
        n=$((n + 1))
        sleep 0.2
    done
    [ $n -ge 5 ] || fail "$what: only $n /health samples"
    echo "   $what: $n /health answers, slowest $worst s"
}

# --- item 1: 200 idle TCP connections (no TLS) from one address
$FLOOD idle --source "$FLOOD_SRC" --target "$ADDR:$PORT" --count 200 --seconds 8 \
    >"$WORK/idle.out" 2>&1 &
BG_PIDS+=($!)
sleep 1
health_within_1s 6 "200 idle TCP connections"
wait "${BG_PIDS[-1]}"
cat "$WORK/idle.out"
refusals=$(grep -c 'refusing a connection from' "$WORK/agent.log")
[ "$refusals" -ge 1 ] || fail "no refusal logged during the idle flood"
[ "$refusals" -le 2 ] || fail "the refusal warning is not rate-limited: $refusals lines in 8 s"
pass "200 idle TCP connections: the manager's /health answers within 1 s throughout; $refusals refusal line(s) logged"

# --- item 1: 64 slow TLS clients holding a monitor certificate
$FLOOD slowtls --source "$FLOOD_SRC" --target "$ADDR:$PORT" --count 64 --seconds 9 \
    --ca "$CERTS/ca.crt" --cert "$CERTS/monitor.crt" --key "$CERTS/monitor.key" \
    >"$WORK/slow.out" 2>&1 &
BG_PIDS+=($!)
sleep 2
health_within_1s 6 "64 slow TLS monitor clients"
wait "${BG_PIDS[-1]}"
cat "$WORK/slow.out"
grep -q 'kept for managers' "$WORK/agent.log" || fail "no monitor connection was refused for the managers' reserve"
lines=$(wc -l <"$WORK/agent.log")
[ "$lines" -le 400 ] || fail "the agent logged $lines lines during the floods"
pass "64 slow TLS monitor clients: the manager's /health answers within 1 s; the reserve held ($lines log lines in all)"

# --- item 2: ten slow probes (a MySQL that never greets) do not delay /health
$FLOOD silent --listen "$SILENT:3306" --seconds 14 >/dev/null 2>&1 &
BG_PIDS+=($!)
sleep 0.5
for i in $(seq 1 10); do
    mcurl "/v1/probe?host=$SILENT&port=3306&timeout_ms=8000" >"$WORK/probe.$i" 2>&1 &
    BG_PIDS+=($!)
done
sleep 0.5
health_within_1s 5 "ten probes waiting 8 s each"
fence_out=$(mcurl "/v1/mysqld")
[ "$(status_of "$fence_out")" != 000 ] || fail "/v1/mysqld did not answer while probes ran"
for i in $(seq 1 10); do wait "${BG_PIDS[-$i]}" 2>/dev/null; done
grep -q '"reachable":false\|timed out\|timeout' "$WORK/probe.1" || fail "probe did not report the silent server: $(cat "$WORK/probe.1")"
pass "ten slow probes: /health and /v1/mysqld answer within 1 s meanwhile"

# --- item 3: a forged log line
out=$(mcurl "/x%0a2026-01-01%2000:00:00.000%20[error]%20[agent]%20forged")
[ "$(status_of "$out")" = 400 ] || fail "path with %0a: expected 400, got: $out"
out=$(mcurl "/v1/binlogs/a%5Cn2026-01-01%2000:00:00.000%20[error]%20forged%1b")
grep -q '^2026-01-01 00:00:00.000' "$WORK/agent.log" && fail "a forged line is in the agent log: $(grep '^2026-01-01' "$WORK/agent.log")"
grep -qF 'a\\n2026' "$WORK/agent.log" || grep -qF '%5Cn2026' "$WORK/agent.log" \
    || fail "the request with a backslash was not logged escaped"
pass "a request cannot forge a log line (the path's newline is refused, request text is escaped)"

# --- item 4: strict input, each a 400 naming the parameter
expect_400() {
    local what=$1 want=$2 out
    shift 2
    out=$(mcurl "$@")
    [ "$(status_of "$out")" = 400 ] || fail "$what: expected 400, got: $out"
    grep -qF "$want" <<<"$out" || fail "$what: the answer does not say '$want': $out"
}
expect_400 "NUL in host" "query parameter host: control character 0x00" "/v1/probe?host=127.0.0.1%00evil&port=3306"
expect_400 "host twice on /v1/probe" "query parameter host: given more than once" "/v1/probe?host=127.0.0.1&host=127.0.0.2&port=3306"
expect_400 "timeout_ms twice on /v1/fence" "query parameter timeout_ms: given more than once" "/v1/fence?timeout_ms=1&timeout_ms=2" -X POST
expect_400 "master_file twice on /v1/relay-logs/diff" "query parameter master_file: given more than once" "/v1/relay-logs/diff?master_file=a&master_file=b&master_pos=4"
expect_400 "Transfer-Encoding: gzip, chunked" "Transfer-Encoding: only chunked" "/v1/unfence" -X POST -H 'Transfer-Encoding: gzip, chunked' --data-binary x
pass "NUL bytes, repeated parameters (every route) and Transfer-Encoding other than chunked get a 400 naming them"

# --- item 4: a certificate with a SAN is known by its SAN only
leaf() {  # leaf NAME SUBJECT [SAN]
    openssl ecparam -name prime256v1 -genkey -noout -out "$WORK/$1.key" 2>/dev/null
    openssl req -new -key "$WORK/$1.key" -subj "$2" -out "$WORK/$1.csr" 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n%s\n' "${3:+subjectAltName=$3}" >"$WORK/$1.ext"
    openssl x509 -req -in "$WORK/$1.csr" -CA "$CERTS/ca.crt" -CAkey "$CERTS/ca.key" \
        -CAcreateserial -days 1 -extfile "$WORK/$1.ext" -out "$WORK/$1.crt" 2>/dev/null
}
leaf san-intruder "/CN=mha-manager" "DNS:intruder"
leaf cn-only "/CN=mha-manager"
code=$(curl -s --max-time 10 --cacert "$CERTS/ca.crt" --cert "$WORK/san-intruder.crt" \
    --key "$WORK/san-intruder.key" -o /dev/null -w '%{http_code}' "$URL/v1/mysqld")
[ "$code" = 403 ] || fail "CN=mha-manager with SAN DNS:intruder: expected 403, got $code"
code=$(curl -s --max-time 10 --cacert "$CERTS/ca.crt" --cert "$WORK/cn-only.crt" \
    --key "$WORK/cn-only.key" -o /dev/null -w '%{http_code}' "$URL/health")
[ "$code" = 503 ] || fail "CN=mha-manager without a SAN: expected the manager's 503, got $code"
pass "a certificate with a SAN is matched on its SAN only; the CN counts when there is no SAN"

# --- item 1: many addresses at once: over max_pending_connections a handshake of the address
# with the most pending goes
stop_agent
sed -i 's/^max_connections = 64$/max_connections = 64\nmax_pending_connections = 4/' "$WORK/agent.cnf"
start_agent "$WORK/agent.cnf" "$WORK/agent.log" "$ADDR" "$PORT"
for src in "$FLOOD_SRC" "$NET.$((LAST + 4))"; do
    $FLOOD idle --source "$src" --target "$ADDR:$PORT" --count 50 --seconds 6 >/dev/null 2>&1 &
    BG_PIDS+=($!)
done
sleep 1
health_within_1s 4 "idle connections from two addresses over max_pending_connections = 4"
grep -q 'dropping a pending TLS handshake from' "$WORK/agent.log" \
    || fail "no pending handshake was dropped for a newer one"
pass "over max_pending_connections a flood's handshake is dropped: the manager still gets in"
