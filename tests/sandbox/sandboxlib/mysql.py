"""SQL through Debian's `mariadb` client: root over the host's unix socket, or an account over
TCP. --no-defaults keeps /etc/mysql and ~/.my.cnf out."""

import shutil
import subprocess

CLIENT = shutil.which("mariadb") or shutil.which("mysql") or "/usr/bin/mariadb"


class SqlError(Exception):
    """A statement failed; the message carries the client's stderr (never a password)."""


def _run(argv, sql, timeout):
    try:
        out = subprocess.run(argv, input=sql, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise SqlError(f"timed out after {timeout}s")
    if out.returncode != 0:
        raise SqlError(out.stderr.strip() or f"mariadb client exit {out.returncode}")
    return out.stdout


def root_sql(host, sql, timeout=20):
    """Runs SQL as root over host's socket; returns rows as lists of strings."""
    argv = [CLIENT, "--no-defaults", "-uroot", f"--socket={host.socket}", "-N", "-B",
            "--connect-timeout=3"]
    return _rows(_run(argv, sql, timeout))


def tcp_sql(address, port, user, password, sql, timeout=10, database=None):
    argv = [CLIENT, "--no-defaults", f"-h{address}", f"-P{port}", f"-u{user}",
            "-N", "-B", "--connect-timeout=3"]
    if database:
        argv.append(f"-D{database}")
    env_password = {"MYSQL_PWD": password}
    try:
        out = subprocess.run(argv, input=sql, capture_output=True, text=True, timeout=timeout,
                             env=env_password)
    except subprocess.TimeoutExpired:
        raise SqlError(f"{address}:{port}: timed out after {timeout}s")
    if out.returncode != 0:
        raise SqlError(f"{address}:{port}: {out.stderr.strip()}")
    return _rows(out.stdout)


def _rows(text):
    return [line.split("\t") for line in text.splitlines()]


def answers(host):
    try:
        return root_sql(host, "SELECT 1", timeout=5) == [["1"]]
    except SqlError:
        return False


def slave_status(host):
    """SHOW SLAVE STATUS as a dict (empty when not a replica)."""
    argv = [CLIENT, "--no-defaults", "-uroot", f"--socket={host.socket}", "-B",
            "--connect-timeout=3"]
    text = _run(argv, "SHOW SLAVE STATUS", 10)
    lines = text.splitlines()
    if len(lines) < 2:
        return {}
    return dict(zip(lines[0].split("\t"), lines[1].split("\t")))


def variable(host, name):
    rows = root_sql(host, f"SELECT @@{name}")
    return rows[0][0] if rows else None


def semi_sync(host):
    """MariaDB's semi-sync variables and status counters of one server, by lower-case name
    (rpl_semi_sync_master_enabled, rpl_semi_sync_master_status, …)."""
    rows = root_sql(host, "SHOW GLOBAL VARIABLES LIKE 'rpl_semi_sync%'; "
                          "SHOW GLOBAL STATUS LIKE 'Rpl_semi_sync%'")
    return {r[0].lower(): r[1] for r in rows if len(r) == 2}
