"""Each host's mariadbd and its two proxies: lay out, start, wait for, stop."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from . import configs, layout, procs
from .layout import AGENT_PORT, MYSQL_PORT
from .mysql import SqlError, answers, root_sql

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROXY = os.path.join(HERE, "proxy.py")
MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
TEMPLATE = os.environ.get("MHA_SANDBOX_TEMPLATE", "/var/tmp/mha-sandbox-template")


def ensure_template():
    """The datadir template, made once by mariadb-install-db with the sandbox's small redo
    log (16M, not the default 96M: `up` copies it once per host)."""
    data = os.path.join(TEMPLATE, "data")
    if os.path.exists(os.path.join(TEMPLATE, ".complete")):
        return data
    os.makedirs(os.path.dirname(TEMPLATE), exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=os.path.basename(TEMPLATE) + ".", dir=os.path.dirname(TEMPLATE))
    argv = ["mariadb-install-db", "--no-defaults", f"--datadir={tmp}/data", "--user=root",
            "--auth-root-authentication-method=normal", "--skip-test-db",
            "--innodb-log-file-size=16M", "--innodb-buffer-pool-size=32M"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"mariadb-install-db: {out.stdout[-2000:]}{out.stderr[-2000:]}")
    open(os.path.join(tmp, ".complete"), "w").close()
    try:
        os.rename(tmp, TEMPLATE)  # another sandbox may have made it meanwhile: first one wins
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
    return data


def lay_out(box, host, template):
    for sub in ("binlog", "relay", "fence.d", "agent-work"):
        os.makedirs(host.path(sub), exist_ok=True)
    if not os.path.isdir(host.path("data")):
        subprocess.run(["cp", "-a", template, host.path("data")], check=True)
    configs.write(host.my_cnf, configs.my_cnf(box, host))


def start_mysqld(box, host):
    """Starts mariadbd with its own config first; the spawned PID is mariadbd's own (it does
    not fork), so it is recorded at once and a half-started server can still be stopped."""
    argv = [MARIADBD, f"--defaults-file={host.my_cnf}"]
    procs.spawn(argv, host.path("mysqld.out"), host.mysqld_pid_file)


def mysqld_pid(box, host):
    return procs.owned_pid(host.mysqld_pid_file, box.directory)


def wait_answering(box, host, deadline):
    while time.monotonic() < deadline:
        if answers(host):
            return True
        if mysqld_pid(box, host) is None:
            # exited: mariadbd removes its pid file on a clean stop, not on a failed start
            time.sleep(0.2)
            if mysqld_pid(box, host) is None and not answers(host):
                return False
        time.sleep(0.1)
    return False


def proxy_files(host, kind):
    return host.path(f"proxy-{kind}.pid"), host.path(f"proxy-{kind}.state")


def start_proxies(box, host):
    """The manager's SQL path (proxy address :3306) and agent path (agent-proxy address :7443)."""
    routes = {"mysql": (host.proxy_address, host.address, MYSQL_PORT),
              "agent": (host.agent_proxy_address, host.address, AGENT_PORT)}
    for kind, (listen, upstream, port) in routes.items():
        pid_file, state_file = proxy_files(host, kind)
        if procs.owned_pid(pid_file, box.directory):
            continue
        if os.path.exists(state_file):
            os.unlink(state_file)
        argv = [sys.executable, PROXY, "--listen", f"{listen}:{port}",
                "--upstream", f"{upstream}:{port}", "--state-file", state_file]
        procs.spawn(argv, host.path(f"proxy-{kind}.log"), pid_file)


def proxy_ready(host, kind):
    """The proxy writes its state file once it listens."""
    return os.path.exists(proxy_files(host, kind)[1])


def proxies_ready(box, host):
    return all(proxy_ready(host, kind) for kind in ("mysql", "agent"))


def proxy_state(box, host, kind="mysql"):
    pid_file, state_file = proxy_files(host, kind)
    if procs.owned_pid(pid_file, box.directory) is None:
        return "down"
    try:
        with open(state_file) as f:
            return f.read().strip()
    except OSError:
        return "starting"


def set_partition(box, host, kind, partitioned):
    pid_file, state_file = proxy_files(host, kind)
    sig = signal.SIGUSR1 if partitioned else signal.SIGUSR2
    if procs.signal_owned(pid_file, box.directory, sig) is None:
        raise RuntimeError(f"{host.address}: the {kind} proxy is not running")
    want = "partitioned" if partitioned else "open"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if proxy_state(box, host, kind) == want:
            return
        time.sleep(0.02)
    raise RuntimeError(f"{host.address}: the {kind} proxy did not become {want}")


def stop_proxies(box, host):
    for kind in ("mysql", "agent"):
        procs.kill_owned(proxy_files(host, kind)[0], box.directory, signal.SIGKILL)


def create_accounts(host):
    """Accounts and the load schema, identical on every server and kept out of the binlog,
    so replication starts from an empty binlog. `app` gets DML on the load schema only:
    read_only must stop it (no READ ONLY ADMIN, no SUPER)."""
    admin = f"'{layout.ADMIN_PASSWORD}'"
    statements = ["SET SESSION sql_log_bin=0"]
    for origin in ("127.%", "localhost"):
        statements += [
            f"CREATE USER IF NOT EXISTS '{layout.ADMIN_USER}'@'{origin}' IDENTIFIED BY {admin}",
            f"GRANT ALL PRIVILEGES ON *.* TO '{layout.ADMIN_USER}'@'{origin}' WITH GRANT OPTION",
            f"CREATE USER IF NOT EXISTS '{layout.APP_USER}'@'{origin}' "
            f"IDENTIFIED BY '{layout.APP_PASSWORD}'",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON {layout.LOAD_SCHEMA}.* "
            f"TO '{layout.APP_USER}'@'{origin}'",
        ]
    statements += [
        f"CREATE USER IF NOT EXISTS '{layout.REPL_USER}'@'127.%' "
        f"IDENTIFIED BY '{layout.REPL_PASSWORD}'",
        f"GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '{layout.REPL_USER}'@'127.%'",
        f"CREATE DATABASE IF NOT EXISTS {layout.LOAD_SCHEMA}",
        f"CREATE TABLE IF NOT EXISTS {layout.LOAD_TABLE} (id BIGINT NOT NULL PRIMARY KEY, "
        "writer VARCHAR(64) NOT NULL, written_at TIMESTAMP(6) NOT NULL "
        "DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB",
    ]
    root_sql(host, ";\n".join(statements) + ";")


def start_replication(box, host):
    """CHANGE MASTER TO the first host at its current coordinates, MASTER_USE_GTID said
    explicitly (10.10+ may otherwise switch to GTID on its own)."""
    master = box.master
    common = (f"MASTER_HOST='{master.address}', MASTER_PORT={MYSQL_PORT}, "
              f"MASTER_USER='{layout.REPL_USER}', MASTER_PASSWORD='{layout.REPL_PASSWORD}', "
              "MASTER_CONNECT_RETRY=1")
    if box.gtid:
        pos = root_sql(master, "SELECT @@GLOBAL.gtid_binlog_pos")[0][0]
        sql = (f"SET GLOBAL gtid_slave_pos='{pos}'; CHANGE MASTER TO {common}, "
               "MASTER_USE_GTID=slave_pos; START SLAVE;")
    else:
        rows = root_sql(master, "SHOW MASTER STATUS")
        if not rows:
            raise SqlError(f"{master.address}: SHOW MASTER STATUS is empty (no binlog?)")
        log_file, log_pos = rows[0][0], rows[0][1]
        sql = (f"CHANGE MASTER TO {common}, MASTER_LOG_FILE='{log_file}', "
               f"MASTER_LOG_POS={log_pos}, MASTER_USE_GTID=no; START SLAVE;")
    root_sql(host, sql)
