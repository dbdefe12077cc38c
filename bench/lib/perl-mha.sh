# shellcheck shell=bash
# bench/lib/perl-mha.sh: runs Perl MHA 0.58 (Debian's mha4mysql-manager/-node) on a running
# sandbox, for the side-by-side benches. Source it; it sets no shell options and exports nothing.
# Needs `scripts/install-deps --bench` (mha4mysql-manager, mha4mysql-node, openssh-server).
# The facts behind it: shared/reference/perl-mha-on-mariadb.md.
#
# D is a sandbox directory (tests/sandbox/sandbox up --dir D): Perl MHA reads D/perl-app.cnf
# (hostname= per server, ssh_options with the key D/ssh/id_ed25519). Everything this library
# makes lives under D/perl-mha/ and nothing outside D is changed (/usr/share/perl5 and ~/.ssh
# stay untouched; /run/sshd is created if missing, sshd needs it):
#   D/perl-mha/lib/MHA/{NodeUtil,SlaveUtil}.pm  the packaged modules with the two MariaDB fixes,
#                        first on PERL5LIB for every masterha_* run here and, through the sshd's
#                        `SetEnv PERL5LIB=`, for the node tools MHA starts over SSH:
#                        1. parse_mysql_version/parse_mysql_major_version use only the first
#                           three/two numbers of the version ("10.11.19-MariaDB-0+deb12u1-log"
#                           made sprintf die: "Redundant argument in sprintf");
#                        2. check_if_super_read_only answers "off" when the server has no
#                           super_read_only (MariaDB: "Unknown system variable").
#   D/perl-mha/ssh/      host key, authorized_keys (D/ssh/id_ed25519.pub), known_hosts.
#   D/perl-mha/sshd/     per address: ADDR.conf, ADDR.pid (the sshd we started), ADDR.log.
#   D/perl-mha/out/      each command's output (check_repl.log, manager.out, switch.log, ...).
# One sshd per sandbox address (ListenAddress ADDR:22), so "host gone" for Perl MHA is
# perl_mha_sshd_stop plus the sandbox's kill-mysqld.
#
# Functions (stable names; all return non-zero with a message on stderr on failure):
#   perl_mha_setup D            patches the modules, makes the keys, starts one sshd per host of
#                               D/perl-app.cnf, waits until ssh to each works. Idempotent.
#   perl_mha_teardown D         stops the manager (if running) and every sshd we started, by the
#                               PIDs recorded under D/perl-mha (never by name). Safe to repeat.
#                               Call it BEFORE `sandbox down` (which removes D and the PID files).
#   perl_mha_sshd_stop D HOST   stops HOST's sshd (HOST: address as in perl-app.cnf).
#   perl_mha_sshd_start D HOST  starts it again (waits until ssh works).
#   perl_mha_run D CMD [ARGS..] runs CMD (e.g. masterha_check_ssh) with the patched PERL5LIB and
#                               --conf=D/perl-app.cnf appended; its output goes to stdout.
#   perl_mha_check_repl D [ARGS..]
#                               masterha_check_repl --conf=D/perl-app.cnf [ARGS]; prints the
#                               verdict "OK" or "NOT OK" on stdout (OK = exit 0 and "MySQL
#                               Replication Health is OK."), returns 0 for OK, 1 for NOT OK.
#                               Full output: D/perl-mha/out/check_repl.log.
#   perl_mha_manager_start D [ARGS..]
#                               starts masterha_manager --conf=D/perl-app.cnf [ARGS] in the
#                               background and returns once it monitors ("Ping(...) succeeded,
#                               waiting until MySQL doesn't respond.." in its manager_log), or
#                               non-zero if it exited first or took over 60 s. Its PID is in
#                               D/perl-mha/manager.pid, its log is D/perl-manager/manager.log.
#   perl_mha_manager_wait D [TIMEOUT_S]
#                               waits (default 120 s) until that manager exits (MHA's manager
#                               exits after a failover) and returns its exit code (0 = failover
#                               completed, 10 = partial, ...); 124 and the manager stopped on
#                               timeout. Works from any shell that can read D.
#   perl_mha_manager_stop D     stops a running manager (TERM, then KILL) by its PID.
#   perl_mha_switch_alive D NEW_MASTER_HOST [ARGS..]
#                               masterha_master_switch --master_state=alive
#                               --new_master_host=NEW_MASTER_HOST --new_master_port=3306
#                               --orig_master_is_new_slave --interactive=0 [ARGS] on D; returns
#                               its exit code (0 = switched). Output: D/perl-mha/out/switch.log.
# Variables it reads: PERL_MHA_SSH_PORT (default 22).

perl_mha__die() { echo "perl-mha: $*" >&2; return 1; }

perl_mha__dir() { echo "$1/perl-mha"; }

# The hostname= values of D/perl-app.cnf, in config order.
perl_mha__hosts() {
    sed -n 's/^[[:space:]]*hostname[[:space:]]*=[[:space:]]*\([^[:space:]#]*\).*/\1/p' "$1/perl-app.cnf"
}

# PID from FILE if that process is alive and its command line contains MARK (so a recycled PID
# is never signalled).
perl_mha__owned_pid() {
    local file=$1 mark=$2 pid
    [ -s "$file" ] || return 1
    pid=$(cat "$file")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [ -r "/proc/$pid/cmdline" ] || return 1
    [ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1)" = Z ] && return 1
    { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | grep -qF -- "$mark" || return 1
    echo "$pid"
}

perl_mha__kill_pid_file() {
    local file=$1 mark=$2 pid
    pid=$(perl_mha__owned_pid "$file" "$mark") || { rm -f "$file"; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
        perl_mha__owned_pid "$file" "$mark" >/dev/null || break
        sleep 0.1
    done
    perl_mha__owned_pid "$file" "$mark" >/dev/null && kill -KILL "$pid" 2>/dev/null
    rm -f "$file"
    return 0
}

# Copies the packaged module FILE into LIB/MHA and applies the fix; fails if the packaged text
# is not what the fix expects (another MHA version).
perl_mha__patch_modules() {
    local lib=$1/MHA src=/usr/share/perl5/MHA
    mkdir -p "$lib" || return 1
    if [ ! -f "$src/NodeUtil.pm" ] || [ ! -f "$src/SlaveUtil.pm" ]; then
        perl_mha__die "no $src/NodeUtil.pm or SlaveUtil.pm: run scripts/install-deps --bench"
        return 1
    fi
    perl -0pe '
        s/my \$result = sprintf\( \x27%03d%03d%03d\x27, \$str =~ m\/\(\\d\+\)\/g \);/my \@n = ( \$str =~ m\/(\\d+)\/g );\n  my \$result = sprintf( \x27%03d%03d%03d\x27, \@n[ 0 .. 2 ] );  # bench fix: MariaDB has six numbers/ or die "parse_mysql_version not found\n";
        s/my \$result = sprintf\( \x27%03d%03d\x27, \$str =~ m\/\(\\d\+\)\/g \);/my \@n = ( \$str =~ m\/(\\d+)\/g );\n  my \$result = sprintf( \x27%03d%03d\x27, \@n[ 0 .. 1 ] );  # bench fix/ or die "parse_mysql_major_version not found\n";
    ' "$src/NodeUtil.pm" >"$lib/NodeUtil.pm.new" ||
        { perl_mha__die "cannot patch $src/NodeUtil.pm (not MHA 0.58?)"; return 1; }
    perl -0pe '
        s/  my \$sth = \$dbh->prepare\("SELECT \\\@\\\@global.super_read_only as Value"\);\n  \$sth->execute\(\);\n/  # bench fix: MariaDB has no super_read_only, which means "off".\n  my \$sth = \$dbh->prepare("SELECT \\\@\\\@global.super_read_only as Value");\n  my \$ok = eval { \$sth->execute(); 1 };\n  if ( !\$ok ) {\n    return ( 0, 0 ) if ( \$@ =~ m{Unknown system variable} );\n    die \$@;\n  }\n/ or die "check_if_super_read_only not found\n";
    ' "$src/SlaveUtil.pm" >"$lib/SlaveUtil.pm.new" ||
        { perl_mha__die "cannot patch $src/SlaveUtil.pm (not MHA 0.58?)"; return 1; }
    mv "$lib/NodeUtil.pm.new" "$lib/NodeUtil.pm" && mv "$lib/SlaveUtil.pm.new" "$lib/SlaveUtil.pm"
    PERL5LIB=$1 perl -e 'use MHA::NodeUtil; use MHA::SlaveUtil;
        MHA::NodeUtil::parse_mysql_version("10.11.19-MariaDB-0+deb12u1-log") eq "010011019" or die "bad\n"' ||
        { perl_mha__die "patched modules in $1 do not load"; return 1; }
}

perl_mha__ssh_opts() {
    local D=$1
    echo "-i $D/ssh/id_ed25519 -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=2 -o UserKnownHostsFile=$(perl_mha__dir "$D")/ssh/known_hosts -o StrictHostKeyChecking=yes -o LogLevel=ERROR -p ${PERL_MHA_SSH_PORT:-22}"
}

perl_mha_sshd_start() {
    local D=$1 host=$2 P conf pid
    P=$(perl_mha__dir "$D")
    conf=$P/sshd/$host.conf
    perl_mha__owned_pid "$P/sshd/$host.pid" "$conf" >/dev/null && return 0
    mkdir -p "$P/sshd" /run/sshd || return 1
    cat >"$conf" <<EOF
# Written by bench/lib/perl-mha.sh: the ssh endpoint of sandbox host $host for Perl MHA.
ListenAddress $host:${PERL_MHA_SSH_PORT:-22}
HostKey $P/ssh/host_ed25519
AuthorizedKeysFile $P/ssh/authorized_keys
PidFile none
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
PrintMotd no
LogLevel ERROR
# The node tools MHA runs over SSH load the patched modules first.
SetEnv PERL5LIB=$P/lib
Subsystem sftp internal-sftp
EOF
    /usr/sbin/sshd -D -f "$conf" -E "$P/sshd/$host.log" </dev/null >/dev/null 2>&1 &
    pid=$!
    echo "$pid" >"$P/sshd/$host.pid"
    # shellcheck disable=SC2046
    for _ in $(seq 1 100); do
        if ssh $(perl_mha__ssh_opts "$D") "root@$host" true 2>/dev/null; then
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            perl_mha__die "sshd for $host exited: $(tail -3 "$P/sshd/$host.log" 2>/dev/null)"
            return 1
        fi
        sleep 0.05
    done
    perl_mha__die "ssh to $host does not work: $(tail -3 "$P/sshd/$host.log" 2>/dev/null)"
}

perl_mha_sshd_stop() {
    local D=$1 host=$2 P
    P=$(perl_mha__dir "$D")
    perl_mha__kill_pid_file "$P/sshd/$host.pid" "$P/sshd/$host.conf"
}

perl_mha_setup() {
    local D=${1:?perl_mha_setup D} P host hosts tool
    [ -f "$D/perl-app.cnf" ] || { perl_mha__die "no $D/perl-app.cnf (is $D a sandbox?)"; return 1; }
    for tool in masterha_check_repl masterha_manager masterha_master_switch apply_diff_relay_logs; do
        command -v "$tool" >/dev/null ||
            { perl_mha__die "$tool not found: run scripts/install-deps --bench"; return 1; }
    done
    [ -x /usr/sbin/sshd ] || { perl_mha__die "/usr/sbin/sshd not found: run scripts/install-deps --bench"; return 1; }
    P=$(perl_mha__dir "$D")
    mkdir -p "$P/ssh" "$P/sshd" "$P/out" || return 1
    chmod 700 "$P/ssh"
    perl_mha__patch_modules "$P/lib" || return 1
    if [ ! -f "$D/ssh/id_ed25519" ]; then
        mkdir -p "$D/ssh" && chmod 700 "$D/ssh"
        ssh-keygen -q -t ed25519 -N "" -C mha-sandbox -f "$D/ssh/id_ed25519" || return 1
    fi
    [ -f "$P/ssh/host_ed25519" ] ||
        ssh-keygen -q -t ed25519 -N "" -C mha-bench-host -f "$P/ssh/host_ed25519" || return 1
    cp "$D/ssh/id_ed25519.pub" "$P/ssh/authorized_keys"
    hosts=$(perl_mha__hosts "$D")
    [ -n "$hosts" ] || { perl_mha__die "no hostname= in $D/perl-app.cnf"; return 1; }
    : >"$P/ssh/known_hosts"
    for host in $hosts; do
        if [ "${PERL_MHA_SSH_PORT:-22}" = 22 ]; then
            echo "$host $(cut -d' ' -f1-2 "$P/ssh/host_ed25519.pub")" >>"$P/ssh/known_hosts"
        else
            echo "[$host]:$PERL_MHA_SSH_PORT $(cut -d' ' -f1-2 "$P/ssh/host_ed25519.pub")" >>"$P/ssh/known_hosts"
        fi
    done
    for host in $hosts; do
        perl_mha_sshd_start "$D" "$host" || return 1
    done
}

perl_mha_teardown() {
    local D=${1:?perl_mha_teardown D} P f
    P=$(perl_mha__dir "$D")
    [ -d "$P" ] || return 0
    perl_mha_manager_stop "$D"
    for f in "$P"/sshd/*.pid; do
        [ -e "$f" ] || continue
        perl_mha__kill_pid_file "$f" "${f%.pid}.conf"
    done
    return 0
}

perl_mha_run() {
    local D=$1 P
    shift
    P=$(perl_mha__dir "$D")
    PERL5LIB="$P/lib${PERL5LIB:+:$PERL5LIB}" "$@" --conf="$D/perl-app.cnf"
}

perl_mha_check_repl() {
    local D=${1:?perl_mha_check_repl D} P rc=0
    shift
    P=$(perl_mha__dir "$D")
    mkdir -p "$P/out"
    PERL5LIB="$P/lib${PERL5LIB:+:$PERL5LIB}" masterha_check_repl --conf="$D/perl-app.cnf" "$@" \
        >"$P/out/check_repl.log" 2>&1 || rc=$?
    if [ $rc = 0 ] && grep -q "MySQL Replication Health is OK." "$P/out/check_repl.log"; then
        echo "OK"
        return 0
    fi
    echo "NOT OK"
    return 1
}

perl_mha_manager_start() {
    local D=${1:?perl_mha_manager_start D} P log
    shift
    P=$(perl_mha__dir "$D")
    log=$(sed -n 's/^[[:space:]]*manager_log[[:space:]]*=[[:space:]]*//p' "$D/perl-app.cnf" | head -1)
    [ -n "$log" ] || { perl_mha__die "no manager_log in $D/perl-app.cnf"; return 1; }
    if perl_mha__owned_pid "$P/manager.pid" "$D/perl-app.cnf" >/dev/null; then
        perl_mha__die "a Perl MHA manager already runs on $D"
        return 1
    fi
    mkdir -p "$P/out" "$(dirname "$log")"
    rm -f "$P/manager.rc" "$P/manager.pid"
    : >"$log"
    # The subshell records the exit code; the PID file names masterha_manager itself.
    (
        PERL5LIB="$P/lib${PERL5LIB:+:$PERL5LIB}" masterha_manager --conf="$D/perl-app.cnf" "$@" \
            >"$P/out/manager.out" 2>&1 </dev/null &
        echo $! >"$P/manager.pid"
        rc=0
        wait $! || rc=$?
        echo "$rc" >"$P/manager.rc"
    ) </dev/null >/dev/null 2>&1 &
    for _ in $(seq 1 1200); do
        grep -q "succeeded, waiting until MySQL doesn't respond" "$log" 2>/dev/null && return 0
        if [ -s "$P/manager.rc" ]; then
            perl_mha__die "masterha_manager exited ($(cat "$P/manager.rc")) before monitoring: $(grep -E '\[error\]' "$log" | tail -3)"
            return 1
        fi
        sleep 0.05
    done
    perl_mha__die "masterha_manager did not start monitoring within 60 s (log: $log)"
    perl_mha_manager_stop "$D"
    return 1
}

perl_mha_manager_wait() {
    local D=${1:?perl_mha_manager_wait D} timeout=${2:-120} P
    P=$(perl_mha__dir "$D")
    for _ in $(seq 1 $((timeout * 20))); do
        if [ -s "$P/manager.rc" ]; then
            rm -f "$P/manager.pid"
            return "$(cat "$P/manager.rc")"
        fi
        [ -e "$P/manager.pid" ] || [ -e "$P/manager.rc" ] || { perl_mha__die "no manager started on $D"; return 1; }
        sleep 0.05
    done
    perl_mha__die "masterha_manager still running after ${timeout} s: stopping it"
    perl_mha_manager_stop "$D"
    return 124
}

perl_mha_manager_stop() {
    local D=${1:?perl_mha_manager_stop D} P
    P=$(perl_mha__dir "$D")
    perl_mha__kill_pid_file "$P/manager.pid" "$D/perl-app.cnf"
}

perl_mha_switch_alive() {
    local D=${1:?perl_mha_switch_alive D NEW_MASTER_HOST} new=${2:?perl_mha_switch_alive D NEW_MASTER_HOST} P rc=0
    shift 2
    P=$(perl_mha__dir "$D")
    mkdir -p "$P/out"
    PERL5LIB="$P/lib${PERL5LIB:+:$PERL5LIB}" masterha_master_switch --conf="$D/perl-app.cnf" \
        --master_state=alive --new_master_host="$new" --new_master_port=3306 \
        --orig_master_is_new_slave --interactive=0 "$@" >"$P/out/switch.log" 2>&1 || rc=$?
    return $rc
}
