"""`up`, `down` and `status` of a whole sandbox."""

import glob
import os
import shutil
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

from . import agents, configs, procs, servers
from .layout import Sandbox
from .mysql import SqlError, answers, semi_sync, slave_status, variable

UP_TIMEOUT = 60.0


class UpError(Exception):
    """`up` failed; the message names the host and carries the failing log's tail."""


def _parallel(fn, items):
    with ThreadPoolExecutor(max_workers=max(1, len(items))) as pool:
        return list(pool.map(fn, items))


def _log_failure(what, path):
    return UpError(f"{what}; tail of {path}:\n{procs.tail(path)}")


def _replica_ready(host):
    try:
        st = slave_status(host)
    except SqlError:
        return False
    return st.get("Slave_IO_Running") == "Yes" and st.get("Slave_SQL_Running") == "Yes"


def _agent_ready(box, host):
    status, body = agents.health(box, host, timeout=2)
    return status == 200 and isinstance(body, dict) and \
        body.get("mysqld", {}).get("server_id") == host.server_id


def _semi_sync_ready(box, host):
    """With --semi-sync, the master has every replica connected as an acknowledger."""
    try:
        ss = semi_sync(host)
    except SqlError:
        return False
    return ss.get("rpl_semi_sync_master_status") == "ON" and \
        ss.get("rpl_semi_sync_master_clients") == str(len(box.replicas))


def ready(box):
    """Every server answers, every replica runs both threads, every agent (and proxy) is up."""
    if not all(answers(h) for h in box.hosts):
        return False
    if not all(_replica_ready(h) for h in box.replicas):
        return False
    if box.semi_sync and not _semi_sync_ready(box, box.master):
        return False
    if not all(servers.proxies_ready(box, h) for h in box.hosts):
        return False
    return not box.agents or all(_agent_ready(box, h) for h in box.hosts)


def _wait(check, hosts, deadline, what, log_of, gone=lambda h: False):
    """Polls check(host) until every host passes; fails at the deadline, or at once when
    gone(host) says the process it waits for has exited."""
    pending = list(hosts)
    while pending and time.monotonic() < deadline:
        pending = [h for h in pending if not check(h)]
        for h in pending:
            if gone(h) and not check(h):
                raise _log_failure(f"{h.address}: {what} (its process exited)", log_of(h))
        if pending:
            time.sleep(0.1)
    if pending:
        h = pending[0]
        raise _log_failure(f"{h.address}: {what} within {UP_TIMEOUT:.0f}s", log_of(h))


def _reuse_existing(box):
    """`up` on a D that already holds a sandbox: fine when it is the same and healthy,
    else the stale one is stopped and a fresh one started."""
    if not os.path.exists(box.state_file):
        if os.path.isdir(box.directory) and os.listdir(box.directory):
            raise UpError(f"{box.directory} exists, is not empty and holds no sandbox")
        return False
    old = Sandbox.load(box.directory)
    same = ((old.nodes, old.base_ip, old.gtid, old.agent_pid_file, old.semi_sync_timeout) ==
            (box.nodes, box.base_ip, box.gtid, box.agent_pid_file, box.semi_sync_timeout))
    if same and ready(old):
        print(f"sandbox: {box.directory} is already up")
        return True
    print(f"sandbox: {box.directory} holds a stale or different sandbox: replacing it")
    down(box.directory, quiet=True)
    return False


def up(box):
    if _reuse_existing(box):
        return
    os.makedirs(box.directory, exist_ok=True)
    box.save()  # first: `down` can always find what a half-finished `up` started
    deadline = time.monotonic() + UP_TIMEOUT
    template = servers.ensure_template()
    for h in box.hosts:
        servers.lay_out(box, h, template)
    for h in box.hosts:
        servers.start_mysqld(box, h)
    for h in box.hosts:
        servers.start_proxies(box, h)
    if agents.agent_binary(box) and os.path.exists(agents.MHA_CERTS):
        box.agents, box.cert_dir = True, box.path("certs")
        box.save()
        certs = agents.make_certs(box)
    else:
        certs = None
        print(f"sandbox: no mha-agent in {box.bin_dir} (or no certs/mha-certs): "
              "starting without agents")
    _wait(answers, box.hosts, deadline, "mariadbd does not answer", lambda h: h.error_log,
          gone=lambda h: servers.mysqld_pid(box, h) is None)
    _parallel(servers.create_accounts, box.hosts)
    _parallel(lambda h: servers.start_replication(box, h), box.replicas)
    if certs:
        for h in box.hosts:
            agents.start(box, h, certs)
    configs.write_cluster_files(box, certs)
    _make_ssh_key(box)
    _wait(_replica_ready, box.replicas, deadline, "replication threads not running",
          lambda h: h.error_log)
    if box.semi_sync:
        _wait(lambda h: _semi_sync_ready(box, h), [box.master], deadline,
              f"semi-sync: not every replica ({len(box.replicas)}) is connected as an "
              "acknowledger (Rpl_semi_sync_master_clients)", lambda h: h.error_log)
    for kind in ("mysql", "agent"):
        _wait(lambda h, k=kind: servers.proxy_ready(h, k), box.hosts, deadline,
              f"the {kind} proxy is not listening", lambda h, k=kind: h.path(f"proxy-{k}.log"),
              gone=lambda h, k=kind: servers.proxy_state(box, h, k) == "down")
    if certs:
        _wait(lambda h: _agent_ready(box, h), box.hosts, deadline,
              "agent does not answer /health with its server_id", _agent_log,
              gone=lambda h: not agents.running(box, h))
    semi = f", semi-sync AFTER_SYNC timeout {box.semi_sync_timeout} ms" if box.semi_sync else ""
    print(f"sandbox: up: {box.nodes} nodes ({'gtid' if box.gtid else 'file/position'}{semi}), "
          f"master {box.master.address}; source {box.path('env')}")


def _agent_log(host):
    log = host.path("agent.log")
    return log if os.path.exists(log) and os.path.getsize(log) else host.path("agent.out")


def _make_ssh_key(box):
    key = box.path("ssh", "id_ed25519")
    if os.path.exists(key) or not shutil.which("ssh-keygen"):
        return
    os.makedirs(os.path.dirname(key), mode=0o700, exist_ok=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "mha-sandbox",
                    "-f", key], check=True, capture_output=True)


def _pid_files(directory):
    # agents first, then proxies, then servers: nothing is left talking to a dead mysqld
    found = []
    for pattern in ("agent.pid", "proxy-*.pid", "mysqld.pid"):
        found += sorted(glob.glob(os.path.join(directory, "host*", pattern)))
    return found


def stop_all(directory):
    """SIGKILLs every process this sandbox recorded, then any of its programs still running
    with a path under D (started by an `up` that was killed before it recorded the PID)."""
    stopped = 0
    for pid_file in _pid_files(directory):
        if procs.kill_owned(pid_file, directory, signal.SIGKILL) is not None:
            stopped += 1
    for pid in procs.started_for(directory, ("mha-agent", "proxy.py", "mariadbd")):
        what = procs.cmdline(pid)
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
        procs.wait_gone(pid, 10.0)
        print(f"sandbox: stopped pid {pid}, which had no pid file: {what}")
        stopped += 1
    return stopped


def _remove_tree(directory, attempts=5):
    """rmtree, retried: after an interrupted `up`, one of its helpers (cp of a datadir,
    mha-certs) may still be writing into D for a moment."""
    for attempt in range(attempts):
        try:
            shutil.rmtree(directory)
            return
        except OSError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def down(directory, quiet=False):
    directory = os.path.abspath(directory)
    if not os.path.isdir(directory):
        if not quiet:
            print(f"sandbox: {directory} does not exist: nothing to stop")
        return
    if not os.listdir(directory):
        os.rmdir(directory)  # `up` stopped right after creating it
        if not quiet:
            print(f"sandbox: down: removed the empty {directory}")
        return
    looks_ours = os.path.exists(os.path.join(directory, "sandbox.json")) or \
        glob.glob(os.path.join(directory, "host*", "my.cnf"))
    if not looks_ours:
        raise UpError(f"{directory} is not a sandbox directory: not touching it")
    stopped = stop_all(directory)
    _remove_tree(directory)
    if not quiet:
        print(f"sandbox: down: stopped {stopped} processes, removed {directory}")


def _host_line(box, h):
    pid = servers.mysqld_pid(box, h)
    state = procs.process_state(pid) if pid else None
    if state is None:
        mysqld = "down"
    elif state == "T":
        mysqld = "frozen"
    else:
        mysqld = "running" if answers(h) else "not answering"
    role, repl = "-", ""
    if mysqld == "running":
        st = slave_status(h)
        ro = variable(h, "read_only") == "1"
        role = ("replica" if st else "master") + (" read_only" if ro else " writable")
        if st:
            repl = (f" source={st.get('Master_Host')} io={st.get('Slave_IO_Running')}"
                    f" sql={st.get('Slave_SQL_Running')} gtid={st.get('Using_Gtid')}")
        repl += _semi_sync_text(h)
    agent = "none"
    if box.agents:
        code, _ = agents.health(box, h, timeout=2) if agents.running(box, h) else (None, "")
        agent = "down" if not agents.running(box, h) else f"health={code}"
    proxies = (f"proxy={servers.proxy_state(box, h, 'mysql')}"
               f" agent-proxy={servers.proxy_state(box, h, 'agent')}")
    return f"{h.name} {h.address} mysqld={mysqld} {role}{repl} agent={agent} {proxies}"


def _semi_sync_text(host):
    """E.g. " semi-sync: master=ON(AFTER_SYNC, 10000ms) status=ON clients=2"; empty
    when neither side is enabled."""
    ss = semi_sync(host)
    on = ss.get("rpl_semi_sync_master_enabled") == "ON"
    replica_on = ss.get("rpl_semi_sync_slave_enabled") == "ON"
    if not on and not replica_on:
        return ""
    text = " semi-sync:"
    if on:
        text += (f" master=ON({ss.get('rpl_semi_sync_master_wait_point')}, "
                 f"{ss.get('rpl_semi_sync_master_timeout')}ms)"
                 f" status={ss.get('rpl_semi_sync_master_status')}"
                 f" clients={ss.get('rpl_semi_sync_master_clients')}")
    if replica_on:
        text += f" replica=ON(status={ss.get('rpl_semi_sync_slave_status')})"
    return text


def status(directory):
    box = Sandbox.load(directory)
    semi = f", semi-sync (timeout {box.semi_sync_timeout} ms)" if box.semi_sync else ""
    print(f"sandbox {box.directory}: {box.nodes} nodes, "
          f"{'gtid' if box.gtid else 'file/position'}{semi}, candidate host{box.candidate}")
    for h in box.hosts:
        print(_host_line(box, h))
