#!/bin/bash
# Regenerates golden binlogs with real mariadbd (127.0.4.1-3, tests/data/binlog/make-golden)
# and checks: mha-binlog-scan counts every file's events as mariadb-binlog does; a stream our
# writer builds from the relay logs is accepted by mariadb-binlog, event for event, and
# applied in one run to a fresh mariadbd (127.0.4.4) it yields the master's rows.
set -euo pipefail
: "${MHA_BIN:?}" "${MHA_SOURCE:?}"
source "$MHA_SOURCE/tests/support/mariadbd.sh"
out=$(mktemp -d /tmp/mha-binlog-live.XXXXXX)
trap 'mariadbd_stop "$out/apply" || true; rm -rf "$out"' EXIT
bash "$MHA_SOURCE/tests/data/binlog/make-golden" "$out" >/dev/null

fail=0
while read -r file expected; do
    got=$("$MHA_BIN/mha-binlog-scan" "$out/$file" | sed -n 's/^1 files, \([0-9]*\) events.*/\1/p')
    if [ "$got" != "$expected" ]; then
        echo "FAIL $file: mha-binlog-scan $got events, mariadb-binlog $expected" >&2
        fail=1
    fi
done <"$out/counts.txt"

for alg in crc32 none; do
    "$MHA_BIN/mha-binlog-scan" --write "$out/stream-$alg" --checksum "$alg" \
        "$out/replica-relay-bin.index" >/dev/null
    written=$("$MHA_BIN/mha-binlog-scan" "$out/stream-$alg" | sed -n 's/^1 files, \([0-9]*\) events.*/\1/p')
    decoded=$(mariadb-binlog "$out/stream-$alg" | grep -c '^# at ')
    if [ "$written" != "$decoded" ] || [ "$decoded" -lt 20 ]; then
        echo "FAIL writer ($alg): we read $written events, mariadb-binlog $decoded" >&2
        fail=1
    fi
    if mariadb-binlog "$out/stream-$alg" 2>&1 >/dev/null | grep -qi 'error\|warning'; then
        echo "FAIL writer ($alg): mariadb-binlog complained" >&2
        mariadb-binlog "$out/stream-$alg" 2>&1 >/dev/null | head -5 >&2
        fail=1
    fi
done
mariadbd_start "$out/apply" 127.0.4.4 3306
mariadb-binlog "$out/stream-crc32" | mariadb --no-defaults -uroot --socket="$out/apply/mysqld.sock"
rows=$(mariadbd_sql "$out/apply" "SELECT id, name, qty, IFNULL(note, '-') FROM shop.item ORDER BY id" |
    tr '\t\n' ' ;')
want="1 apple 9 x;3 plum 7 x;5 lemon 0 x;10 fig 1 -;11 kiwi 2 -;"
if [ "$rows" != "$want" ]; then
    echo "FAIL writer stream applied: got '$rows', want '$want'" >&2
    fail=1
fi

[ "$fail" = 0 ] && echo "binlog golden live: ok"
exit "$fail"
