"""Fault injection on one host: crash, restart, dead machine, stopped replication, hung
server, and partitions of the manager's paths."""

import os
import signal
import time

from . import agents, layout, procs, servers
from .mysql import root_sql


def kill_mysqld(box, host):
    pid = procs.kill_owned(host.mysqld_pid_file, box.directory, signal.SIGKILL)
    if pid is None:
        raise RuntimeError(f"{host.address}: mysqld is not running")
    print(f"sandbox: killed mysqld of {host.address} (pid {pid}, SIGKILL)")


def start_mysqld(box, host, timeout=30.0):
    """Restarts mysqld with its own config, as systemd would (replicas resume replicating)."""
    if servers.mysqld_pid(box, host) is not None:
        raise RuntimeError(f"{host.address}: mysqld is already running")
    servers.start_mysqld(box, host)
    if not servers.wait_answering(box, host, time.monotonic() + timeout):
        raise RuntimeError(f"{host.address}: mysqld did not come back; tail of "
                           f"{host.error_log}:\n{procs.tail(host.error_log)}")
    print(f"sandbox: started mysqld of {host.address}")


def kill_host(box, host):
    """A dead machine: its agent, its proxies and its mysqld, all SIGKILLed."""
    agents.stop(box, host, signal.SIGKILL)
    servers.stop_proxies(box, host)
    procs.kill_owned(host.mysqld_pid_file, box.directory, signal.SIGKILL)
    print(f"sandbox: killed host {host.address} (mysqld, agent, proxies)")


def kill_agent(box, host):
    """The agent alone dies (crashed, or being upgraded): mysqld goes on. start-host brings
    it back."""
    if not agents.running(box, host):
        raise RuntimeError(f"{host.address}: the agent is not running")
    agents.stop(box, host, signal.SIGKILL)
    print(f"sandbox: killed the agent of {host.address}")


def start_host(box, host, timeout=30.0):
    """Brings a killed host back: proxies, mysqld, agent."""
    servers.start_proxies(box, host)
    if servers.mysqld_pid(box, host) is None:
        start_mysqld(box, host, timeout)
    if box.agents and not agents.running(box, host):
        agents.start(box, host, agents.cert_paths(box))
        deadline = time.monotonic() + timeout
        while agents.health(box, host, timeout=2)[0] is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{host.address}: agent did not come back; tail of "
                                   f"agent.log:\n{procs.tail(host.path('agent.log'))}")
            time.sleep(0.1)
    print(f"sandbox: host {host.address} is back")


def stop_replica(box, host, which):
    thread = {"io": " IO_THREAD", "sql": " SQL_THREAD", "both": ""}[which]
    root_sql(host, f"STOP SLAVE{thread}")
    print(f"sandbox: {host.address}: STOP SLAVE{thread}")


def freeze(box, host, frozen):
    sig = signal.SIGSTOP if frozen else signal.SIGCONT
    pid = procs.signal_owned(host.mysqld_pid_file, box.directory, sig)
    if pid is None:
        raise RuntimeError(f"{host.address}: mysqld is not running")
    print(f"sandbox: {'froze' if frozen else 'thawed'} mysqld of {host.address} (pid {pid})")


def partition_from(box, host, other, partitioned):
    """OTHER's agent can no longer open connections to HOST's mysqld (its probes time out);
    replication and every other path stay."""
    path = agents.cut_connect_file(other)
    if agents.cut_connect_env(box, other) is None:
        raise RuntimeError("no libmha_cut_connect.so in the bin dir: build it")
    if not agents.running(box, other):
        raise RuntimeError(f"{other.address}: its agent is not running")
    endpoint = f"{host.address}:{layout.MYSQL_PORT}"
    try:
        with open(path) as f:
            lines = [line.strip() for line in f if line.strip()]
    except FileNotFoundError:
        lines = []
    lines = [line for line in lines if line != endpoint] + ([endpoint] if partitioned else [])
    with open(path + ".tmp", "w") as f:
        f.write("".join(line + "\n" for line in lines))
    os.replace(path + ".tmp", path)
    print(f"sandbox: {other.address}'s agent -> {host.address}'s mysqld: "
          f"{'partitioned' if partitioned else 'healed'}")


def partition(box, host, agent_path, partitioned):
    kind = "agent" if agent_path else "mysql"
    servers.set_partition(box, host, kind, partitioned)
    path = "manager->agent" if agent_path else "manager->mysqld"
    print(f"sandbox: {host.address}: {path} path {'partitioned' if partitioned else 'healed'}")
