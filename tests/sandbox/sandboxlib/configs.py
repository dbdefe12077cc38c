"""The files `up` writes: each host's my.cnf and agent.cnf, D/app.cnf (our manager),
D/perl-app.cnf (Perl MHA 0.58) and D/env (a shell file for tests and benchmarks)."""

import os
import shlex

from . import layout
from .layout import AGENT_PORT, MYSQL_PORT
from .mysql import CLIENT


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def my_cnf(box, host):
    replica = host is not box.master
    lines = [
        "[mysqld]",
        f"datadir={host.path('data')}",
        f"socket={host.socket}",
        f"pid-file={host.mysqld_pid_file}",
        f"bind-address={host.address}",
        f"port={MYSQL_PORT}",
        f"log-error={host.error_log}",
        "user=root",
        "skip-name-resolve",
        f"server_id={host.server_id}",
        f"report_host={host.address}",
        f"report_port={MYSQL_PORT}",
        f"log-bin={host.binlog_dir}/mysql-bin",
        f"log-bin-index={host.binlog_dir}/mysql-bin.index",
        "binlog_format=ROW",
        "log_slave_updates=1",
        f"relay_log={host.relay_dir}/relay-bin",
        f"relay_log_index={host.relay_dir}/relay-bin.index",
        "relay_log_purge=0",
        f"read_only={1 if replica else 0}",
        "innodb_buffer_pool_size=32M",
        "innodb_log_file_size=16M",
        "# A SIGKILLed mysqld keeps what it wrote to the page cache: no fsync needed here.",
        "innodb_flush_log_at_trx_commit=2",
        "sync_binlog=0",
        "performance_schema=OFF",
        "max_connections=200",
    ] + semi_sync_lines(box, host) + [
        "# The agent's fence file lands here: a restarted fenced server comes up read_only.",
        f"!includedir {host.fence_dir}",
        "",
    ]
    return "\n".join(lines)


def semi_sync_lines(box, host):
    """MariaDB's built-in semi-sync (no plugin), by the role the host has at `up`: the master
    waits AFTER_SYNC for one replica's acknowledgement, at most the timeout; the replicas
    acknowledge. Only the master gets the master side: a failover must set it on its new master."""
    if not box.semi_sync:
        return []
    if host is box.master:
        return ["rpl_semi_sync_master_enabled=1",
                "rpl_semi_sync_master_wait_point=AFTER_SYNC",
                f"rpl_semi_sync_master_timeout={box.semi_sync_timeout}"]
    return ["rpl_semi_sync_slave_enabled=1"]


def credentials_cnf(user, password):
    return f"[client]\nuser={user}\npassword={password}\n"


def agent_section(host, certs):
    """agent.cnf's [agent] block (a DB host's agent and a binlog server's alike)."""
    return [
        "[agent]",
        f"listen = {host.address}:{AGENT_PORT}",
        f"tls_ca = {certs['ca']}",
        f"tls_cert = {certs['server_cert'](host)}",
        f"tls_key = {certs['server_key'](host)}",
        f"allow_manager = {certs['manager_name']}",
        f"allow_monitor = {certs['monitor_name']}",
        f"log_file = {host.path('agent.log')}",
        "log_level = info",
        f"workdir = {host.path('agent-work')}",
        "",
    ]


def agent_cnf(box, host, certs):
    return "\n".join(agent_section(host, certs) + [
        "[mysqld]",
        f"socket = {host.socket}",
        f"pid_file = {host.mysqld_pid_file}" if box.agent_pid_file else "# pid_file: learned",
        f"credentials_file = {host.path('agent-credentials.cnf')}",
        f"fence_file = {os.path.join(host.fence_dir, 'fence.cnf')}",
        f"binlog_dir = {host.binlog_dir}",
        f"binlog_index = {host.binlog_dir}/mysql-bin.index",
        f"relay_log_dir = {host.relay_dir}",
        f"relay_log_index = {host.relay_dir}/relay-bin.index",
        "",
        "[probe]",
        f"credentials_file = {host.path('probe-credentials.cnf')}",
        "",
    ])


def _server_default(box):
    return [
        "[server default]",
        f"user={layout.ADMIN_USER}",
        f"password={layout.ADMIN_PASSWORD}",
        f"repl_user={layout.REPL_USER}",
        f"repl_password={layout.REPL_PASSWORD}",
        "ping_interval=1",
    ]


def app_cnf(box, certs):
    lines = _server_default(box) + (["durability=semi_sync"] if box.semi_sync else []) + [
        f"manager_workdir={box.path('manager')}",
        f"manager_log={box.path('manager', 'manager.log')}",
    ]
    if certs:
        lines += [f"agent_port={AGENT_PORT}", f"agent_ca={certs['ca']}",
                  f"agent_cert={certs['manager_cert']}", f"agent_key={certs['manager_key']}"]
    for host in box.hosts:
        lines += ["", f"[server{host.index}]", f"hostname={host.address}",
                  f"ip={host.proxy_address}", f"port={MYSQL_PORT}",
                  f"master_binlog_dir={host.binlog_dir}"]
        if certs and certs.get("agent_proxy"):
            lines.append(f"agent_host={host.agent_proxy_address}")
        if host.index == box.candidate:
            lines.append("candidate_master=1")
    if box.binlog_host:  # MHA's binlog server: its agent answers directly (no proxy)
        bs = box.binlog_host
        lines += ["", "[binlog1]", f"hostname={bs.address}", f"agent_host={bs.address}",
                  f"master_binlog_dir={bs.binlog_dir}"]
    return "\n".join(lines) + "\n"


def perl_app_cnf(box):
    key = box.path("ssh", "id_ed25519")
    options = f"-i {key} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
    lines = _server_default(box) + [
        f"manager_workdir={box.path('perl-manager')}",
        f"manager_log={box.path('perl-manager', 'manager.log')}",
        f"remote_workdir={box.path('perl-remote')}",
        "ssh_user=root",
        "ssh_port=22",
        f"ssh_options={options}",  # no quotes: Perl MHA pastes it into its ssh command
        "client_bindir=/usr/bin",
    ]
    for host in box.hosts:
        lines += ["", f"[server{host.index}]", f"hostname={host.address}",
                  f"port={MYSQL_PORT}", f"master_binlog_dir={host.binlog_dir}"]
        if host.index == box.candidate:
            lines.append("candidate_master=1")
    return "\n".join(lines) + "\n"


def env_file(box, certs):
    values = {
        "MHA_SANDBOX_DIR": box.directory,
        "MHA_BIN": box.bin_dir,
        "MHA_CONF": box.path("app.cnf"),
        "MHA_PERL_CONF": box.path("perl-app.cnf"),
        "MHA_HOSTS": " ".join(h.address for h in box.hosts),
        "MHA_PROXIES": " ".join(h.proxy_address for h in box.hosts),
        "MHA_AGENT_PROXIES": " ".join(h.agent_proxy_address for h in box.hosts),
        "MHA_SOCKETS": " ".join(h.socket for h in box.hosts),
        "MHA_PORT": str(MYSQL_PORT),
        "MHA_AGENT_PORT": str(AGENT_PORT),
        "MHA_GTID": "1" if box.gtid else "0",
        "MHA_SEMI_SYNC_TIMEOUT": str(box.semi_sync_timeout),  # ms; 0: no semi-sync
        "MHA_BINLOG_SERVER": box.binlog_host.address if box.binlog_host else "",
        "MHA_CA": certs["ca"] if certs else "",
        "MHA_CERT": certs["manager_cert"] if certs else "",
        "MHA_KEY": certs["manager_key"] if certs else "",
        "MHA_USER": layout.ADMIN_USER,
        "MHA_PASSWORD": layout.ADMIN_PASSWORD,
        "MHA_REPL_USER": layout.REPL_USER,
        "MHA_REPL_PASSWORD": layout.REPL_PASSWORD,
        "MHA_APP_USER": layout.APP_USER,
        "MHA_APP_PASSWORD": layout.APP_PASSWORD,
        "MHA_LOAD_TABLE": layout.LOAD_TABLE,
        "MHA_MYSQL": CLIENT,
        "MHA_SSH_KEY": box.path("ssh", "id_ed25519"),
    }
    lines = ["# Written by tests/sandbox/sandbox up; source it."]
    lines += [f"export {k}={shlex.quote(v)}" for k, v in values.items()]
    return "\n".join(lines) + "\n"


def write_cluster_files(box, certs):
    write(box.path("app.cnf"), app_cnf(box, certs), 0o600)
    write(box.path("perl-app.cnf"), perl_app_cnf(box), 0o600)
    write(box.path("env"), env_file(box, certs), 0o600)
    for sub in ("manager", "perl-manager", "perl-remote"):
        os.makedirs(box.path(sub), exist_ok=True)
