"""Where everything of one sandbox lives: addresses, paths and the state file D/sandbox.json."""

import ipaddress
import json
import os
from dataclasses import asdict, dataclass, field

MYSQL_PORT = 3306
AGENT_PORT = 7443
PROXY_OFFSET = 1        # third octet + 1: the manager's SQL path (127.0.0.11 -> 127.0.1.11)
AGENT_PROXY_OFFSET = 2  # third octet + 2: the manager's agent path (127.0.0.11 -> 127.0.2.11)
LOAD_SCHEMA = "mha_load"
LOAD_TABLE = "mha_load.writes"

# Fixed sandbox-only secrets: the sandbox is a loopback test rig, nothing else uses them.
ADMIN_USER, ADMIN_PASSWORD = "mha", "mha-admin-secret"
REPL_USER, REPL_PASSWORD = "repl", "mha-repl-secret"
APP_USER, APP_PASSWORD = "app", "mha-app-secret"


def offset_address(address, offset):
    """127.0.0.11 with offset 1 -> 127.0.1.11 (third octet moves, so sandboxes never collide)."""
    octets = address.split(".")
    octets[2] = str(int(octets[2]) + offset)
    if int(octets[2]) > 255:
        raise ValueError(f"address {address}: third octet + {offset} leaves 0..255")
    return ".".join(octets)


@dataclass
class Host:
    """One database host of the sandbox: mysqld, its proxies and its agent."""
    index: int
    address: str
    directory: str

    @property
    def name(self):
        return f"host{self.index}"

    @property
    def server_id(self):
        return self.index

    @property
    def proxy_address(self):
        return offset_address(self.address, PROXY_OFFSET)

    @property
    def agent_proxy_address(self):
        return offset_address(self.address, AGENT_PROXY_OFFSET)

    def path(self, *parts):
        return os.path.join(self.directory, *parts)

    @property
    def socket(self):
        return self.path("mysqld.sock")

    @property
    def mysqld_pid_file(self):
        return self.path("mysqld.pid")

    @property
    def my_cnf(self):
        return self.path("my.cnf")

    @property
    def error_log(self):
        return self.path("error.log")

    @property
    def binlog_dir(self):
        return self.path("binlog")

    @property
    def relay_dir(self):
        return self.path("relay")

    @property
    def fence_dir(self):
        return self.path("fence.d")


@dataclass
class Sandbox:
    """The whole sandbox as `up` laid it out; saved in D/sandbox.json."""
    directory: str
    nodes: int
    base_ip: str
    gtid: bool
    candidate: int
    bin_dir: str
    agents: bool = False
    agent_pid_file: bool = True  # False: agent.cnf without pid_file (the agent learns it)
    cert_dir: str = ""
    semi_sync_timeout: int = 0  # ms; 0: no semi-sync (asynchronous replication)
    hosts: list = field(default_factory=list)

    @staticmethod
    def plan(directory, nodes, base_ip, gtid, candidate, bin_dir, agent_pid_file=True,
             semi_sync_timeout=0):
        directory = os.path.abspath(directory)
        box = Sandbox(directory, nodes, base_ip, gtid, candidate, bin_dir,
                      agent_pid_file=agent_pid_file, semi_sync_timeout=semi_sync_timeout)
        first = ipaddress.IPv4Address(base_ip)
        if not first.is_loopback:
            raise ValueError(f"--base-ip {base_ip}: the sandbox uses loopback addresses only")
        for i in range(1, nodes + 1):
            address = str(first + (i - 1))
            box.hosts.append(Host(i, address, os.path.join(directory, f"host{i}")))
        return box

    @property
    def state_file(self):
        return os.path.join(self.directory, "sandbox.json")

    def path(self, *parts):
        return os.path.join(self.directory, *parts)

    @property
    def semi_sync(self):
        return self.semi_sync_timeout > 0

    @property
    def master(self):
        return self.hosts[0]

    @property
    def replicas(self):
        return self.hosts[1:]

    def save(self):
        data = asdict(self)
        tmp = self.state_file + ".tmp"
        with open(tmp, "w") as f:
            json.dump(data, f, indent=2)
        os.replace(tmp, self.state_file)

    @staticmethod
    def load(directory):
        path = os.path.join(os.path.abspath(directory), "sandbox.json")
        with open(path) as f:
            data = json.load(f)
        hosts = [Host(**h) for h in data.pop("hosts")]
        box = Sandbox(**data)
        box.hosts = hosts
        return box

    def host(self, selector):
        """A host by index (2), name (host2), address (127.0.0.12) or proxy address."""
        for h in self.hosts:
            if selector in (str(h.index), h.name, h.address, h.proxy_address):
                return h
        known = ", ".join(h.address for h in self.hosts)
        raise ValueError(f"unknown host {selector!r} (hosts: {known}, or 1..{self.nodes})")
