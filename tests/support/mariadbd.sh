# Sourced by test scripts: start and stop a plain mariadbd (Debian's MariaDB 10.11) with its
# own datadir and --defaults-file first (nothing from /etc/mysql leaks in). Loopback only.
#
#   mariadbd_start DIR ADDRESS [PORT] [EXTRA_CNF_LINES]  -> socket DIR/mysqld.sock, pid DIR/mysqld.pid
#   mariadbd_stop DIR                                   -> SIGTERM (then SIGKILL) by PID
#   mariadbd_sql DIR "SQL"                              -> runs SQL as root over the socket
# The template datadir made by mariadb-install-db is cached in ${MHA_MARIADB_TEMPLATE:-/var/tmp/mha-mariadb-template}.

MHA_MARIADB_TEMPLATE=${MHA_MARIADB_TEMPLATE:-/var/tmp/mha-mariadb-template}

mariadbd_template() {
    if [ -f "$MHA_MARIADB_TEMPLATE/.complete" ]; then
        return 0
    fi
    local tmp
    tmp=$(mktemp -d "${MHA_MARIADB_TEMPLATE}.XXXXXX")
    mariadb-install-db --no-defaults --datadir="$tmp/data" --user=root --auth-root-authentication-method=normal \
        --skip-test-db >"$tmp/install.log" 2>&1 || { cat "$tmp/install.log" >&2; rm -rf "$tmp"; return 1; }
    touch "$tmp/.complete"
    # Another test may have made it meanwhile: first one wins.
    mv -T "$tmp" "$MHA_MARIADB_TEMPLATE" 2>/dev/null || rm -rf "$tmp"
}

mariadbd_start() {
    local dir=$1 addr=$2 port=${3:-3306} extra=${4:-}
    mariadbd_template || return 1
    mkdir -p "$dir"
    rm -rf "$dir/data"
    cp -a "$MHA_MARIADB_TEMPLATE/data" "$dir/data"
    cat >"$dir/my.cnf" <<CNF
[mysqld]
datadir=$dir/data
socket=$dir/mysqld.sock
pid-file=$dir/mysqld.pid
bind-address=$addr
port=$port
log-error=$dir/error.log
user=root
skip-name-resolve
innodb_buffer_pool_size=32M
innodb_log_file_size=16M
performance_schema=OFF
$extra
CNF
    mariadbd --defaults-file="$dir/my.cnf" >/dev/null 2>&1 &
    local i
    for i in $(seq 1 200); do
        if mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" -e 'SELECT 1' >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    echo "mariadbd in $dir did not start; tail of its log:" >&2
    tail -n 20 "$dir/error.log" >&2
    return 1
}

mariadbd_sql() {
    local dir=$1
    shift
    mariadb --no-defaults -uroot --socket="$dir/mysqld.sock" -N -B -e "$*"
}

mariadbd_stop() {
    local dir=$1 pid i
    [ -f "$dir/mysqld.pid" ] || return 0
    pid=$(cat "$dir/mysqld.pid")
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
}
