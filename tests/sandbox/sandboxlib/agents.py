"""Certificates (certs/mha-certs) and one mha-agent per host; /health over mutual TLS."""

import http.client
import json
import os
import signal
import ssl
import subprocess

from . import configs, layout, procs
from .layout import AGENT_PORT

SOURCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
MHA_CERTS = os.path.join(SOURCE_ROOT, "certs", "mha-certs")


def agent_binary(box):
    path = os.path.join(box.bin_dir, "mha-agent")
    return path if os.access(path, os.X_OK) else None


def cert_paths(box):
    d = box.cert_dir
    return {
        "ca": os.path.join(d, "ca.crt"),
        "manager_cert": os.path.join(d, "manager.crt"),
        "manager_key": os.path.join(d, "manager.key"),
        "manager_name": "mha-manager",
        "monitor_name": "mha-monitor",
        "server_cert": lambda h: os.path.join(d, f"agent-{h.name}.crt"),
        "server_key": lambda h: os.path.join(d, f"agent-{h.name}.key"),
        "agent_proxy": True,
    }


def make_certs(box):
    """Runs certs/mha-certs for this sandbox; each agent certificate names the host's own
    address and its agent-proxy address (the manager's path)."""
    argv = ["bash", MHA_CERTS, "--out", box.cert_dir, "--days", "30"]
    for h in box.hosts:
        argv += ["--agent", f"{h.name},{h.address},{h.agent_proxy_address}"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"mha-certs failed: {out.stderr.strip()}")
    return cert_paths(box)


def pid_file(host):
    return host.path("agent.pid")


def start(box, host, certs):
    configs.write(host.path("agent.cnf"), configs.agent_cnf(box, host, certs))
    configs.write(host.path("agent-credentials.cnf"),
                  configs.credentials_cnf(layout.ADMIN_USER, layout.ADMIN_PASSWORD), 0o600)
    # /v1/probe's SELECT 1 needs no privilege: the unprivileged app account will do
    configs.write(host.path("probe-credentials.cnf"),
                  configs.credentials_cnf(layout.APP_USER, layout.APP_PASSWORD), 0o600)
    os.makedirs(host.path("agent-work"), exist_ok=True)
    argv = [agent_binary(box), f"--conf={host.path('agent.cnf')}"]
    procs.spawn(argv, host.path("agent.out"), pid_file(host), cut_connect_env(box, host))


def cut_connect_file(host):
    return host.path("cut-connect")


def cut_connect_env(box, host):
    """The fault `partition HOST --from THIS` needs (libmha_cut_connect.so, when built)."""
    shim = os.path.join(box.bin_dir, "libmha_cut_connect.so")
    if not os.path.exists(shim):
        return None
    return {"LD_PRELOAD": shim, "MHA_CUT_CONNECT_FILE": cut_connect_file(host)}


def stop(box, host, sig=signal.SIGTERM):
    return procs.kill_owned(pid_file(host), box.directory, sig)


def running(box, host):
    return procs.owned_pid(pid_file(host), box.directory) is not None


def health(box, host, address=None, timeout=3.0):
    """(HTTP status, parsed JSON body) of GET /health, or (None, error text)."""
    certs = cert_paths(box)
    ctx = ssl.create_default_context(cafile=certs["ca"])
    ctx.load_cert_chain(certs["manager_cert"], certs["manager_key"])
    conn = http.client.HTTPSConnection(address or host.address, AGENT_PORT, context=ctx,
                                       timeout=timeout)
    try:
        conn.request("GET", "/health")
        resp = conn.getresponse()
        body = resp.read().decode(errors="replace")
        try:
            return resp.status, json.loads(body)
        except ValueError:
            return resp.status, body
    except (OSError, ssl.SSLError, http.client.HTTPException) as e:
        return None, str(e)
    finally:
        conn.close()
