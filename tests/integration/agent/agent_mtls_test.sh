# mha-agent over real mutual TLS: who gets in, what each role may call, limits and timeouts,
# certificate reload on SIGHUP, clean stop on SIGTERM. mysqld is absent here (health is 503).
set -uo pipefail
source "$(dirname "$0")/lib.sh" || exit 1

ADDR=127.0.3.1
PORT=7443
URL="https://$ADDR:$PORT"
WORK=$(mktemp -d /tmp/mha-agent-mtls.XXXXXX)
IDLE_PID=""
KEEP_PID=""
cleanup() {
    [ -n "$IDLE_PID" ] && kill "$IDLE_PID" 2>/dev/null
    [ -n "$KEEP_PID" ] && kill "$KEEP_PID" 2>/dev/null
    stop_agent
    rm -rf "$WORK"
}
trap cleanup EXIT

version=$("$MHA_BIN/mha-agent" --version) || fail "mha-agent --version exited $?"
[[ $version =~ ^mha-agent\ [0-9]+\.[0-9]+\.[0-9]+$ ]] || fail "mha-agent --version printed: $version"
pass "mha-agent --version prints \"$version\""

# --- certs/mha-certs: ECDSA P-256 everywhere, keys 0600, every address of an agent in its SAN
CERTS=$WORK/certs
make_certs "$CERTS" "$ADDR" || fail "mha-certs"
"$MHA_SOURCE/certs/mha-certs" --out "$CERTS" --agent "db1.example,$ADDR,::1" >/dev/null \
    || fail "mha-certs --agent with a name and two addresses"
for base in ca manager monitor client-intruder "agent-$ADDR" agent-db1.example; do
    [ "$(stat -c %a "$CERTS/$base.key")" = 600 ] || fail "$base.key has mode $(stat -c %a "$CERTS/$base.key"), not 600"
    openssl pkey -in "$CERTS/$base.key" -noout -text 2>/dev/null | grep -q 'NIST CURVE: P-256' \
        || fail "$base.key is not an ECDSA P-256 key"
    openssl x509 -in "$CERTS/$base.crt" -noout -text | grep -q 'NIST CURVE: P-256' \
        || fail "$base.crt does not hold a P-256 key"
    openssl verify -CAfile "$CERTS/ca.crt" "$CERTS/$base.crt" >/dev/null || fail "$base.crt does not chain to ca.crt"
done
san=$(openssl x509 -in "$CERTS/agent-db1.example.crt" -noout -ext subjectAltName)
for want in "DNS:db1.example" "IP Address:$ADDR" "IP Address:0:0:0:0:0:0:0:1"; do
    grep -qF "$want" <<<"$san" || fail "agent-db1.example.crt SAN lacks $want: $san"
done
openssl x509 -in "$CERTS/agent-db1.example.crt" -noout -subject | grep -q 'CN *= *db1.example' \
    || fail "agent-db1.example.crt is not issued to db1.example"
grep -qF "DNS:mha-manager" <<<"$(openssl x509 -in "$CERTS/manager.crt" -noout -ext subjectAltName)" \
    || fail "manager.crt is not named mha-manager"
grep -qF "DNS:mha-monitor" <<<"$(openssl x509 -in "$CERTS/monitor.crt" -noout -ext subjectAltName)" \
    || fail "monitor.crt is not named mha-monitor"
pass "mha-certs: CA, manager, monitor and agent certificates are ECDSA P-256, keys 0600, the agent's name and every address in its SAN"
"$MHA_SOURCE/certs/mha-certs" --out "$WORK/other-ca" --agent "$ADDR" >/dev/null || fail "mha-certs (other CA)"
printf '[client]\nuser=mha_agent\npassword=unused\n' >"$WORK/credentials.cnf"
chmod 600 "$WORK/credentials.cnf"
write_agent_cnf "$WORK/agent.cnf" "$CERTS" "$ADDR" "$PORT" "$WORK/no-mysqld.sock" "$WORK/credentials.cnf"
start_agent "$WORK/agent.cnf" "$WORK/agent.log" "$ADDR" "$PORT"

# --- who gets in
out=$(acurl "$CERTS" manager "$URL/health")
[ "$(status_of "$out")" = 503 ] || fail "manager /health: expected 503 without mysqld, got: $out"
grep -q '"reachable":false' <<<"$out" || fail "health body lacks reachable=false: $out"
grep -q 'no-mysqld.sock' <<<"$out" || fail "health error does not name the socket: $out"
grep -qF "\"agent_version\":\"${version#mha-agent }\"" <<<"$out" || fail "health body lacks agent_version ${version#mha-agent }: $out"
grep -qE '"uptime_seconds":[0-9.e+-]+' <<<"$out" || fail "health body lacks uptime_seconds: $out"
pass "manager certificate: /health answers 503 with the reason when mysqld is not there"

out=$(acurl "$CERTS" none "$URL/health" 2>&1)
[ "$(status_of "$out")" = 000 ] || fail "no client certificate: expected no HTTP answer, got: $out"
# TLS 1.3: the server's "certificate required" alert comes after the client's Finished, so
# s_client must keep reading (-ign_eof) until the server closes instead of quitting at stdin EOF.
s_out=$(timeout 10 openssl s_client -ign_eof -connect "$ADDR:$PORT" -CAfile "$CERTS/ca.crt" </dev/null 2>&1)
grep -qi "certificate required" <<<"$s_out" || fail "s_client without certificate: no alert: $s_out"
pass "without a client certificate the handshake is refused"

out=$(acurl "$CERTS" manager "$URL/health" --tls-max 1.2 2>&1)
[ "$(status_of "$out")" = 000 ] || fail "TLS 1.2 client accepted by a TLS 1.3 agent: $out"
pass "TLS 1.3 is the default floor (a TLS 1.2 client is refused)"

out=$(curl -sS --max-time 10 --cacert "$CERTS/ca.crt" --cert "$WORK/other-ca/manager.crt" \
    --key "$WORK/other-ca/manager.key" -w '\n%{http_code}\n' "$URL/health" 2>&1)
[ "$(status_of "$out")" = 000 ] || fail "certificate from another CA: expected refusal, got: $out"
pass "a certificate from another CA is refused"

out=$(acurl "$CERTS" client-intruder "$URL/health")
[ "$(status_of "$out")" = 403 ] || fail "name not on the allow-list: expected 403, got: $out"
grep -q '"error":"permission_denied"' <<<"$out" || fail "403 body is not the JSON error: $out"
pass "an allowed CA but a name not on the allow-list gets 403 (JSON)"

out=$(acurl "$CERTS" monitor "$URL/health")
[ "$(status_of "$out")" = 503 ] || fail "monitor /health: expected 503, got: $out"
out=$(acurl "$CERTS" monitor "$URL/v1/binlogs")
[ "$(status_of "$out")" = 403 ] || fail "monitor /v1/binlogs: expected 403, got: $out"
out=$(acurl "$CERTS" monitor "$URL/health" -X POST)
[ "$(status_of "$out")" = 403 ] || fail "monitor POST /health: expected 403, got: $out"
out=$(acurl "$CERTS" monitor "$URL/v1/mysqld")
[ "$(status_of "$out")" = 403 ] || fail "monitor /v1/mysqld: expected 403, got: $out"
out=$(acurl "$CERTS" monitor "$URL/v1/nothing-here")
[ "$(status_of "$out")" = 403 ] || fail "monitor unknown route: expected 403, got: $out"
out=$(acurl "$CERTS" manager "$URL/v1/nothing-here")
[ "$(status_of "$out")" = 404 ] || fail "manager unknown route: expected 404, got: $out"
pass "monitor gets /health, 403 elsewhere; unknown routes are 404"

out=$(acurl "$CERTS" monitor "$URL/metrics")
[ "$(status_of "$out")" = 200 ] || fail "monitor /metrics: expected 200, got: $out"
metrics=$(body_of "$out")
bad=$(exposition_errors "$metrics")
[ -z "$bad" ] || fail "/metrics lines that are not Prometheus text: $bad"
[ "$(content_type_of "$CERTS" monitor "$URL/metrics")" = "text/plain; version=0.0.4; charset=utf-8" ] \
    || fail "/metrics content type: $(content_type_of "$CERTS" monitor "$URL/metrics")"
for want in 'mha_agent_mysqld_up 0' "mha_agent_info{version=\"${version#mha-agent }\"} 1" \
    'mha_agent_http_requests_total{route="/health",code="503"} ' \
    'mha_agent_http_requests_total{route="/v1/binlogs",code="403"} 1' \
    'mha_agent_http_requests_total{route="unmatched",code="404"} 1'; do
    grep -qF "$want" <<<"$metrics" || fail "/metrics lacks $want: $metrics"
done
grep -qE '^mha_agent_uptime_seconds [0-9]+\.[0-9]+$' <<<"$metrics" || fail "/metrics lacks the uptime: $metrics"
pass "monitor gets /metrics: Prometheus text 0.0.4, mysqld down, answers counted by route and code"

# --- bad clients are answered or cut off, and the agent keeps serving
exec 3<>"/dev/tcp/$ADDR/$PORT" || fail "cannot open the idle connection"
( timeout 10 cat <&3 >/dev/null; echo $? >"$WORK/idle.rc" ) &
IDLE_PID=$!
out=$(acurl "$CERTS" manager "$URL/health")
[ "$(status_of "$out")" = 503 ] || fail "agent stopped serving while a client idles: $out"
sleep 3.5  # io_timeout is 2 s
[ -f "$WORK/idle.rc" ] || fail "a client that sends nothing was not cut off after io_timeout"
[ "$(cat "$WORK/idle.rc")" = 0 ] || fail "idle connection ended by the test's timeout, not the agent"
exec 3<&-
IDLE_PID=""
pass "a client that connects and sends nothing is cut off; others are served meanwhile"

# -quiet implies -ign_eof: s_client keeps reading until the agent closes (or timeout kills it).
timeout 10 openssl s_client -quiet -connect "$ADDR:$PORT" -CAfile "$CERTS/ca.crt" \
    -cert "$CERTS/manager.crt" -key "$CERTS/manager.key" </dev/null >/dev/null 2>&1
[ $? != 124 ] || fail "a TLS client that sends no request was not cut off after io_timeout"
pass "a client that completes the TLS handshake and sends no request is cut off"

idle_fds=()
for _ in $(seq 1 16); do  # 8 pending TLS handshakes per address at most
    exec {fd}<>"/dev/tcp/$ADDR/$PORT" || fail "cannot open an idle connection"
    idle_fds+=("$fd")
done
sleep 0.3
out=$(acurl "$CERTS" manager "$URL/health" 2>&1)
[ "$(status_of "$out")" = 000 ] || fail "a 9th pending handshake from one address was served: $out"
out=$(acurl "$CERTS" manager "$URL/health" --interface 127.0.3.2)
[ "$(status_of "$out")" = 503 ] || fail "another address was not served while one address idles: $out"
for fd in "${idle_fds[@]}"; do exec {fd}<&-; done
sleep 0.3
out=$(acurl "$CERTS" manager "$URL/health")
[ "$(status_of "$out")" = 503 ] || fail "agent does not serve that address again once it closes: $out"
grep -q "TLS handshakes already pending from that address" "$AGENT_LOG" || fail "the refusal is not logged"
pass "idle connections beyond max_pending_per_address are refused; other addresses are served"

s_out=$( (printf 'THIS IS NOT HTTP\r\n\r\n'; sleep 1) | openssl s_client -quiet -connect "$ADDR:$PORT" \
    -CAfile "$CERTS/ca.crt" -cert "$CERTS/manager.crt" -key "$CERTS/manager.key" 2>/dev/null)
grep -q "HTTP/1.1 400" <<<"$s_out" || fail "malformed request: expected 400, got: $s_out"
grep -q '"error":"invalid_argument"' <<<"$s_out" || fail "malformed request: no JSON error: $s_out"
pass "a malformed request gets 400 (JSON)"

big_header=$(head -c 8000 /dev/zero | tr '\0' a)
out=$(acurl "$CERTS" manager "$URL/health" -H "X-Big: $big_header")
[ "$(status_of "$out")" = 431 ] || fail "oversized header: expected 431, got: $out"
# Megabytes, far over max_body_bytes and the socket buffers: the client is still sending when
# the agent answers, and must read the 413, not a reset connection.
head -c 8000000 /dev/zero >"$WORK/big.body"
out=$(acurl "$CERTS" manager "$URL/health" -X GET --data-binary @"$WORK/big.body")
[ "$(status_of "$out")" = 413 ] || fail "oversized body: expected 413, got: $out"
out=$(acurl "$CERTS" manager "$URL/health" -X GET -H 'Transfer-Encoding: chunked' \
    --data-binary @"$WORK/big.body")
[ "$(status_of "$out")" = 413 ] || fail "oversized chunked body: expected 413, got: $out"
out=$(acurl "$CERTS" manager "$URL/health")
[ "$(status_of "$out")" = 503 ] || fail "agent stopped serving after bad requests: $out"
pass "oversized header (431) and body (413, also chunked) are refused; the agent keeps serving"

# --- SIGHUP: new certificates for new connections, same process and listener
served_serial() {
    openssl s_client -connect "$ADDR:$PORT" -CAfile "$CERTS/ca.crt" -cert "$CERTS/manager.crt" \
        -key "$CERTS/manager.key" </dev/null 2>/dev/null | openssl x509 -noout -serial
}
before=$(served_serial)
[ -n "$before" ] || fail "cannot read the served certificate"
[ "$before" = "$(openssl x509 -noout -serial -in "$CERTS/agent-$ADDR.crt")" ] || fail "served cert is not the agent's"
"$MHA_SOURCE/certs/mha-certs" --out "$CERTS" --agent "$ADDR" --renew >/dev/null || fail "mha-certs --renew"
expected=$(openssl x509 -noout -serial -in "$CERTS/agent-$ADDR.crt")
[ "$before" != "$expected" ] || fail "mha-certs --renew did not make a new certificate"
pid_before=$AGENT_PID
# A keep-alive connection opened before the reload: one request before SIGHUP, one after.
mkfifo "$WORK/keep.in"
openssl s_client -quiet -connect "$ADDR:$PORT" -CAfile "$CERTS/ca.crt" -cert "$CERTS/manager.crt" \
    -key "$CERTS/manager.key" <"$WORK/keep.in" >"$WORK/keep.out" 2>/dev/null &
KEEP_PID=$!
exec 4>"$WORK/keep.in"
printf 'GET /health HTTP/1.1\r\nHost: %s\r\n\r\n' "$ADDR" >&4
for _ in $(seq 1 50); do
    [ "$(grep -c '^HTTP/1.1 503' "$WORK/keep.out")" = 1 ] && break
    sleep 0.05
done
[ "$(grep -c '^HTTP/1.1 503' "$WORK/keep.out")" = 1 ] || fail "no answer on the keep-alive connection"
kill -HUP "$AGENT_PID"
for _ in $(seq 1 50); do
    grep -q "certificates reloaded" "$AGENT_LOG" && break
    sleep 0.02
done
grep -q "certificates reloaded" "$AGENT_LOG" || fail "the agent did not log the reload"
printf 'GET /health HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$ADDR" >&4
exec 4>&-
timeout 5 tail --pid="$KEEP_PID" -f /dev/null
KEEP_PID=""
[ "$(grep -c '^HTTP/1.1 503' "$WORK/keep.out")" = 2 ] \
    || fail "the connection opened before SIGHUP was not served after it: $(cat "$WORK/keep.out")"
for _ in $(seq 1 50); do
    [ "$(served_serial)" = "$expected" ] && break
    sleep 0.1
done
[ "$(served_serial)" = "$expected" ] || fail "after SIGHUP the agent still serves $before"
kill -0 "$pid_before" 2>/dev/null || fail "the agent died on SIGHUP"
out=$(acurl "$CERTS" manager "$URL/health")
[ "$(status_of "$out")" = 503 ] || fail "renewed manager certificate not accepted after SIGHUP: $out"
pass "SIGHUP serves the new certificate ($before -> $expected), same PID $pid_before; a connection open across it is still served"

# --- SIGTERM: clean stop
kill -TERM "$AGENT_PID"
wait "$AGENT_PID"
rc=$?
AGENT_PID=""
[ "$rc" = 0 ] || fail "mha-agent exited $rc on SIGTERM"
pass "SIGTERM stops the agent cleanly (exit 0)"

# --- tls_min_version = 1.2 lets TLS 1.2 clients in (same certificates, another port)
PORT12=7444
write_agent_cnf "$WORK/agent12.cnf" "$CERTS" "$ADDR" "$PORT12" "$WORK/no-mysqld.sock" \
    "$WORK/credentials.cnf" "tls_min_version = 1.2"
start_agent "$WORK/agent12.cnf" "$WORK/agent12.log" "$ADDR" "$PORT12"
out=$(acurl "$CERTS" manager "https://$ADDR:$PORT12/health" --tls-max 1.2)
[ "$(status_of "$out")" = 503 ] || fail "TLS 1.2 client refused by an agent with tls_min_version = 1.2: $out"
s_out=$(openssl s_client -tls1_2 -connect "$ADDR:$PORT12" -CAfile "$CERTS/ca.crt" \
    -cert "$CERTS/manager.crt" -key "$CERTS/manager.key" </dev/null 2>/dev/null)
grep -qE 'Protocol *: TLSv1\.2' <<<"$s_out" || fail "the TLS 1.2 handshake did not negotiate TLS 1.2: $s_out"
out=$(acurl "$CERTS" manager "https://$ADDR:$PORT12/health")
[ "$(status_of "$out")" = 503 ] || fail "TLS 1.3 client refused by an agent with tls_min_version = 1.2: $out"
pass "tls_min_version = 1.2 accepts TLS 1.2 clients (and still TLS 1.3)"
stop_agent
