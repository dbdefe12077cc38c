#!/usr/bin/python3
"""The manager's web page in headless Chromium, driven over the DevTools protocol (stdlib only).

  page_watch.py --url URL --api URL --app APP --clusters A,B --hosts H:P,… --new-master HOST
                --ready FILE --screenshot PNG [--timeout S]

1. Loads URL; once the page has rendered (its refresh counter moved), every cluster of
   --clusters must have its card and every host of --hosts must be in APP's tree; then it
   writes --ready (the test now kills the master).
2. Polls --api (APP's JSON) until it reports --new-master as the master, noting the page's
   refresh count then; the page must show --new-master as APP's master within two refreshes.
3. Saves a screenshot, and fails if the page logged any console error or exception.
"""

import argparse
import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request


class DevTools:
    """A minimal WebSocket client (RFC 6455, client frames masked) for one DevTools target."""

    def __init__(self, ws_url):
        rest = ws_url.split("://", 1)[1]
        hostport, path = rest.split("/", 1)
        host, port = hostport.rsplit(":", 1)
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /{path} HTTP/1.1\r\nHost: {hostport}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                           "Sec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("DevTools closed the WebSocket handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError(f"DevTools refused the WebSocket: {head[:200]!r}")
        self.next_id = 0
        self.events = []

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("DevTools closed the connection")
            data += chunk
        return data

    def _recv_message(self):
        payload = b""
        while True:
            b0, b1 = self._recv_exact(2)
            length = b1 & 0x7F
            if length == 126:
                length = struct.unpack(">H", self._recv_exact(2))[0]
            elif length == 127:
                length = struct.unpack(">Q", self._recv_exact(8))[0]
            data = self._recv_exact(length)
            opcode = b0 & 0x0F
            if opcode == 8:
                raise RuntimeError("DevTools closed the WebSocket")
            if opcode in (0, 1, 2):
                payload += data
                if b0 & 0x80:
                    return json.loads(payload)

    def _send(self, text):
        data = text.encode()
        header = bytes([0x81])
        if len(data) < 126:
            header += bytes([0x80 | len(data)])
        elif len(data) < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", len(data))
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", len(data))
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def call(self, method, **params):
        self.next_id += 1
        self._send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = self._recv_message()
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate {expression!r}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def console_errors(self):
        errors = []
        for e in self.events:
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                errors.append("console." + p["type"] + ": " +
                              " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                errors.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:400])
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                entry = p["entry"]
                errors.append(f"log: {entry.get('text')} {entry.get('url', '')}")
        return errors


def start_chromium(profile):
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if not binary:
        raise RuntimeError("chromium is not installed (scripts/install-deps)")
    argv = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--window-size=1280,900",
            f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"]
    # Its own session: the whole browser (it forks helpers) is ended by its process group.
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=open(os.path.join(profile, "chromium.err"), "w"),
                            start_new_session=True)
    port_file = os.path.join(profile, "DevToolsActivePort")
    deadline = time.time() + 30
    while time.time() < deadline:
        if os.path.exists(port_file):
            lines = open(port_file).read().split()
            if lines:
                return proc, int(lines[0])
        if proc.poll() is not None:
            raise RuntimeError("chromium exited: " + open(os.path.join(profile, "chromium.err")).read()[-2000:])
        time.sleep(0.1)
    raise RuntimeError("chromium did not open its DevTools port within 30 s")


def page_target(port):
    deadline = time.time() + 10
    while time.time() < deadline:
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5))
        pages = [t for t in targets if t.get("type") == "page"]
        if pages:
            return pages[0]["webSocketDebuggerUrl"]
        time.sleep(0.2)
    raise RuntimeError("chromium shows no page target")


def page_state(dev, app):
    return dev.evaluate(f"""(() => {{
        const stamp = document.getElementById('refreshed');
        const problem = document.getElementById('fetch-error');
        if (!stamp || !problem) return {{ refreshes: 0 }};  // still loading
        const card = document.getElementById({json.dumps('cluster-' + app)});
        const master = card && card.querySelector('li.server.master');
        return {{
            refreshes: Number(stamp.dataset.refreshes || 0),
            refreshed: stamp.textContent,
            clusters: [...document.querySelectorAll('section.cluster')].map(s => s.dataset.app),
            hosts: card ? [...card.querySelectorAll('li.server')].map(li => li.dataset.host) : [],
            master: master ? master.dataset.host : null,
            state: card ? card.dataset.state : null,
            error: problem.hidden ? null : problem.textContent,
        }};
    }})()""")


def wait_for(what, check, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise RuntimeError(f"timed out after {timeout} s waiting for {what}")


def api_master(api):
    try:
        cluster = json.load(urllib.request.urlopen(api, timeout=10))
    except OSError:
        return None
    masters = [s for s in cluster.get("servers", []) if s.get("role") == "master"]
    return masters[0]["hostname"] if len(masters) == 1 else None


def run(args, dev):
    dev.call("Runtime.enable")
    dev.call("Log.enable")
    dev.call("Page.enable")
    dev.call("Page.navigate", url=args.url)
    state = wait_for("the page's first refresh", lambda: (s := page_state(dev, args.app))["refreshes"] >= 1 and s, 30)
    print(f"page: {state['refreshed']}; clusters {state['clusters']}; {args.app} hosts {state['hosts']}, "
          f"master {state['master']}")
    missing = [c for c in args.clusters.split(",") if c not in state["clusters"]]
    missing += [h for h in args.hosts.split(",") if h not in state["hosts"]]
    if missing or state["error"]:
        raise RuntimeError(f"the page lacks {missing} (error: {state['error']})")
    if dev.console_errors():
        raise RuntimeError(f"console errors on load: {dev.console_errors()}")
    text = dev.evaluate("document.body.innerText")
    for wrong in ("[object", "undefined", "NaN"):
        if wrong in text:
            raise RuntimeError(f"the page shows {wrong!r}: {text}")
    with open(args.ready, "w") as f:
        f.write("ready\n")

    wait_for(f"the API to report {args.new_master} as {args.app}'s master",
             lambda: api_master(args.api) == args.new_master, args.timeout)
    at_api = page_state(dev, args.app)["refreshes"]
    shown = wait_for(f"the page to show {args.new_master} as master",
                     lambda: (s := page_state(dev, args.app)).get("master")
                     and s["master"].split(":")[0] == args.new_master and s, args.timeout)
    took = shown["refreshes"] - at_api
    print(f"page: the API said {args.new_master} at refresh {at_api}; the page showed it at refresh "
          f"{shown['refreshes']} ({took} refresh(es) later); hosts now {shown['hosts']}")
    shot = dev.call("Page.captureScreenshot", format="png")
    with open(args.screenshot, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    with open(os.path.splitext(args.screenshot)[0] + ".txt", "w") as f:
        f.write(dev.evaluate("document.body.innerText") or "")
    print(f"page: screenshot {args.screenshot}")
    if took > 2:
        raise RuntimeError(f"the new master took {took} refreshes to show (at most 2)")
    errors = dev.console_errors()
    if errors:
        raise RuntimeError(f"console errors: {errors}")
    print("page: no console error")


def main():
    p = argparse.ArgumentParser()
    for name in ("url", "api", "app", "clusters", "hosts", "new-master", "ready", "screenshot"):
        p.add_argument("--" + name, required=True)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    profile = tempfile.mkdtemp(prefix="mha-page-chromium.")
    proc = None
    try:
        proc, port = start_chromium(profile)
        run(args, DevTools(page_target(port)))
        return 0
    except RuntimeError as e:
        print(f"FAIL: page: {e}", file=sys.stderr)
        return 1
    finally:
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
