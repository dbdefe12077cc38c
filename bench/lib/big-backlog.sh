#!/usr/bin/env bash
# bench/failover --big-backlog (issue 25): one replica far behind. On a fresh 4-node sandbox,
# host3's and host4's SQL threads stop, the master writes ~MB megabytes of binlog (transactions
# of 10 rows of 200 bytes), every IO thread receives it, the master's mysqld is killed and
# mha-manager (knowing host1-3 only; agent_silence_timeout default) fails over to host2 and
# levels host3 from its own relay log. Then the same bytes, the dead master's binlog from
# host4's executed position, go through `mariadb-binlog FILE… | mariadb` into host4, which is at
# the same point as host3 was. Prints both throughputs in MB/s and their ratio (aim: >= 2x),
# the failover's duration and whether host3 ends with the new master's rows.
#
#   bench/failover --big-backlog [--mb N] [--gtid] [--base-ip A] [--bin DIR]
#
# --mb: backlog size (default 1000); --base-ip (default 127.0.43.11, also uses the .44/.45
# /24s); binaries from --bin, else $MHA_BIN, else build/bin.
# Last line: `big-backlog: levelling <x> MB/s, mariadb-binlog | mariadb <y> MB/s, <r>x`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mb=1000 mode=--no-gtid base=127.0.43.11 bin=${MHA_BIN:-$root/build/bin}
while [ $# -gt 0 ]; do
    case "$1" in
        --mb) mb=$2; shift 2 ;;
        --gtid|--no-gtid) mode=$1; shift ;;
        --base-ip) base=$2; shift 2 ;;
        --bin) bin=$2; shift 2 ;;
        -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
        *) echo "big-backlog: unknown argument: $1" >&2; exit 2 ;;
    esac
done
[[ "$mb" =~ ^[1-9][0-9]*$ ]] || { echo "big-backlog: --mb must be a positive number" >&2; exit 2; }
bin=$(cd "$bin" && pwd)
work=$(mktemp -d /tmp/mha-bench-backlog.XXXXXX)
D=$work/sandbox
manager_pid=""
cleanup() {
    if [ -n "$manager_pid" ] && kill -0 "$manager_pid" 2>/dev/null; then kill "$manager_pid"; fi
    "$root/tests/sandbox/sandbox" down --dir "$D" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
q() { mariadb --no-defaults -uroot --socket="$D/host$1/mysqld.sock" -N -B -e "$2"; }
field() { mariadb --no-defaults -uroot --socket="$D/host$1/mysqld.sock" -e 'SHOW SLAVE STATUS\G' | awk -v f="$2:" '$1 == f {print $2}'; }
now() { date +%s.%N; }

"$root/tests/sandbox/sandbox" up --dir "$D" --nodes 4 "$mode" --base-ip "$base" --bin "$bin" >/dev/null
q 1 "CREATE DATABASE t; CREATE TABLE t.big (id BIGINT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(255))"
q 1 "CREATE PROCEDURE t.fill(n INT) BEGIN DECLARE i INT DEFAULT 0; WHILE i < n DO
     INSERT INTO t.big (v) SELECT REPEAT('x', 200) FROM seq_1_to_10; SET i = i + 1; END WHILE; END" 2>/dev/null ||
mariadb --no-defaults -uroot --socket="$D/host1/mysqld.sock" <<'SQL'
USE t;
DELIMITER ;;
CREATE PROCEDURE fill(n INT) BEGIN DECLARE i INT DEFAULT 0; WHILE i < n DO
  INSERT INTO t.big (v) SELECT REPEAT('x', 200) FROM seq_1_to_10; SET i = i + 1; END WHILE; END;;
DELIMITER ;
SQL
sleep 1
# The manager knows host1-3; host4 keeps the pre-backlog state for the baseline. It starts
# while every replica is healthy (its start-up check refuses a stopped SQL thread, as MHA's).
python3 - "$D/app.cnf" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
open(sys.argv[1], "w").write(re.sub(r"\n\[server4\]\n(?:[^\[]*)", "\n", text))
PY
mkdir -p "$D/manager"
"$bin/mha-manager" --conf="$D/app.cnf" >"$work/manager.out" 2>&1 &
manager_pid=$!
for _ in $(seq 1 300); do "$bin/masterha_check_status" --conf="$D/app.cnf" >/dev/null 2>&1 && break; sleep 0.1; done
q 3 "STOP SLAVE SQL_THREAD"; q 4 "STOP SLAVE SQL_THREAD"
start_file=$(field 4 Relay_Master_Log_File) start_pos=$(field 4 Exec_Master_Log_Pos)
echo "big-backlog: writing ~$mb MB of binlog on the master (host3 and host4 SQL threads stopped)"
t=$(now)
# ~2.3 KB of binlog per transaction of 10 rows.
q 1 "USE t; CALL fill($((mb * 1000 / 23 * 10)))"
echo "big-backlog: written in $(awk -v a="$t" -v b="$(now)" 'BEGIN{printf "%.0f", b - a}') s: $(q 1 'SHOW MASTER STATUS' | awk '{print $1, $2}')"
want=$(q 1 "SHOW MASTER STATUS" | awk '{print $2}')
for _ in $(seq 1 600); do
    [ "$(field 3 Read_Master_Log_Pos)" = "$want" ] && [ "$(field 4 Read_Master_Log_Pos)" = "$want" ] &&
        [ "$(field 2 Exec_Master_Log_Pos)" = "$want" ] && break
    sleep 0.5
done
q 4 "STOP SLAVE"
killed=$(now)
"$root/tests/sandbox/sandbox" kill-mysqld --dir "$D" 1 >/dev/null
rc=0
wait "$manager_pid" || rc=$?
manager_pid=""
done_at=$(now)
log=$D/manager/manager.log
grep "applying (its SQL thread" "$log" | sed -n '1p;$p' || true
[ "$rc" = 0 ] || grep -E "\[error\]|failed" "$log" | tail -5 || true
# Levelled bytes: what the SQL thread executed plus the stream mysqlbinlog applied (GTID
# mode: the stream alone, MariaDB drops the relay logs when the SQL thread starts alone).
by_sql=$(grep -o "the SQL thread executed [0-9.]* MB" "$D/host3/agent.log" | tail -1 | awk '{print $5}' || true)
by_stream=$(grep -o "segments, [0-9.]* MB)" "$D/host3/agent.log" | tail -1 | tr -d ')' | awk '{print $2}' || true)
executed=$(awk -v a="${by_sql:-0}" -v b="${by_stream:-0}" 'BEGIN{printf "%.1f", a + b}')
echo "big-backlog: host3: ${by_sql:-0} MB by its SQL thread, ${by_stream:-0} MB through mysqlbinlog"
seconds=$(grep -o "apply ended: HTTP 200 after [0-9.]* s" "$D/host3/agent.log" | tail -1 | awk '{print $6}' || true)
same=no
[ "$rc" = 0 ] && [ "$(q 2 'CHECKSUM TABLE t.big')" = "$(q 3 'CHECKSUM TABLE t.big')" ] && same=yes
echo "big-backlog: failover exit $rc in $(awk -v a="$killed" -v b="$done_at" 'BEGIN{printf "%.1f", b - a}') s; host3 levelled ${executed:-?} MB in ${seconds:-?} s; host3 = new master: $same"

# The baseline: the same master events into host4 (stopped at the same position).
files=()
for f in $(awk '{print}' "$D/host1/binlog/mysql-bin.index"); do
    f=$D/host1/binlog/$(basename "$f")
    [[ "$(basename "$f")" < "$start_file" ]] || files+=("$f")
done
bytes=$(( $(stat -c %s "${files[@]}" | paste -sd+ | bc) - start_pos ))
t=$(now)
mariadb-binlog --skip-gtid-strict-mode --start-position="$start_pos" "${files[@]}" |
    mariadb --no-defaults -uroot --socket="$D/host4/mysqld.sock"
base_s=$(awk -v a="$t" -v b="$(now)" 'BEGIN{printf "%.2f", b - a}')
base_ok=no
[ "$(q 2 'CHECKSUM TABLE t.big')" = "$(q 4 'CHECKSUM TABLE t.big')" ] && base_ok=yes
echo "big-backlog: mariadb-binlog | mariadb applied $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b / 1e6}') MB in $base_s s (host4 = new master: $base_ok)"
ours=$(awk -v m="${executed:-0}" -v s="${seconds:-0}" 'BEGIN{printf "%.1f", (s > 0 ? m / s : 0)}')
theirs=$(awk -v b="$bytes" -v s="$base_s" 'BEGIN{printf "%.1f", b / 1e6 / s}')
echo "big-backlog: levelling $ours MB/s, mariadb-binlog | mariadb $theirs MB/s, $(awk -v a="$ours" -v b="$theirs" 'BEGIN{printf "%.1f", (b > 0 ? a / b : 0)}')x"
