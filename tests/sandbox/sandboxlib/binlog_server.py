"""`up --binlog-server`: MHA's binlog server (issue 32), one host beside the cluster at the
address after the last database host: `mariadb-binlog --read-from-remote-server --raw
--stop-never` streams the master's binlog into D/binlog1/binlog (the master's file names),
and an mha-agent with no mysqld serves that directory."""

import os

from . import agents, configs, layout, procs
from .layout import AGENT_PORT, MYSQL_PORT
from .mysql import CLIENT, SqlError, root_sql

BINLOG_TOOL = os.path.join(os.path.dirname(CLIENT), "mariadb-binlog")


def stream_pid_file(host):
    return host.path("stream.pid")


def start_stream(box, host):
    """The streaming process, from the master's first binlog on; the replication account
    comes from an option file (never on its command line)."""
    os.makedirs(host.binlog_dir, exist_ok=True)
    cnf = host.path("stream-credentials.cnf")
    configs.write(cnf, configs.credentials_cnf(layout.REPL_USER, layout.REPL_PASSWORD), 0o600)
    first = root_sql(box.master, "SHOW BINARY LOGS")[0][0]
    argv = [BINLOG_TOOL, f"--defaults-file={cnf}", "--read-from-remote-server", "--raw",
            "--stop-never", "--stop-never-slave-server-id=100",
            f"--host={box.master.address}", f"--port={MYSQL_PORT}",
            f"--result-file={host.binlog_dir}/", first]
    procs.spawn(argv, host.path("stream.out"), stream_pid_file(host))


def agent_cnf(host, certs):
    """No mysqld beside it: the socket names nothing, binlog_dir is what it serves."""
    return "\n".join(configs.agent_section(host, certs) + [
        "[mysqld]",
        f"socket = {host.path('no-mysqld.sock')}",
        f"binlog_dir = {host.binlog_dir}",
        "",
    ])


def start_agent(box, host, certs):
    configs.write(host.path("agent.cnf"), agent_cnf(host, certs))
    os.makedirs(host.path("agent-work"), exist_ok=True)
    argv = [agents.agent_binary(box), f"--conf={host.path('agent.cnf')}"]
    procs.spawn(argv, host.path("agent.out"), agents.pid_file(host))


def streamed(box, host):
    """The stream has caught up with the master's current binlog file."""
    try:
        current = root_sql(box.master, "SHOW MASTER STATUS")[0]
    except (IndexError, SqlError):  # not up yet
        return False
    path = os.path.join(host.binlog_dir, current[0])
    return os.path.exists(path) and os.path.getsize(path) >= int(current[1])
