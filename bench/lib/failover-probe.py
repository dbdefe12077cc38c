#!/usr/bin/python3
"""failover-probe: what bench/failover sees from outside during one failover.

  failover-probe --t0-file F --new-master ADDR --replica SOCKET [--replica SOCKET ..]
                 [--watch LOG=MARKER ..] [--stop-file S] [--timeout 120]

Started before the kill; waits for F (the kill's time, seconds since the epoch, written right
after `kill -KILL`), then polls every replica (one persistent `mariadb` client per SOCKET, so
polling costs no process starts) every 10 ms until each replicates from ADDR with both threads
running, and tails each LOG for the first line containing MARKER (arrival time; Perl MHA closes
its log after every line). Ends when everything was seen, when S exists, or at the timeout.
Prints one JSON object: {"repointed": seconds after t0 or null, "marks": {MARKER: seconds}}.
"""

import argparse
import json
import os
import subprocess
import sys
import time

EOP = "END-OF-POLL"


class Client:
    """A persistent mariadb client on a socket, answering SHOW SLAVE STATUS as a dict."""

    def __init__(self, socket):
        self.socket = socket
        self.proc = None

    def _start(self):
        self.proc = subprocess.Popen(
            ["mariadb", "--no-defaults", "-uroot", f"--socket={self.socket}", "-B", "-n"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, bufsize=1)

    def slave_status(self):
        try:
            if self.proc is None or self.proc.poll() is not None:
                self._start()
            self.proc.stdin.write(f"SHOW SLAVE STATUS; SELECT '{EOP}' AS eop;\n")
            self.proc.stdin.flush()
            lines = []
            while True:
                line = self.proc.stdout.readline()
                if not line:
                    self.proc = None
                    return None
                line = line.rstrip("\n")
                if line == EOP:
                    break
                lines.append(line)
            lines = [l for l in lines if l != "eop"]
            if len(lines) < 2:
                return {}
            return dict(zip(lines[0].split("\t"), lines[1].split("\t")))
        except (OSError, ValueError):
            self.proc = None
            return None

    def close(self):
        if self.proc and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--t0-file", required=True)
    ap.add_argument("--new-master", required=True)
    ap.add_argument("--replica", action="append", default=[])
    ap.add_argument("--watch", action="append", default=[])
    ap.add_argument("--stop-file")
    ap.add_argument("--timeout", type=float, default=120)
    a = ap.parse_args()

    clients = [Client(s) for s in a.replica]
    watches = []
    for w in a.watch:
        path, marker = w.split("=", 1)
        watches.append({"path": path, "marker": marker, "offset": 0, "partial": ""})

    start = time.time()
    while not os.path.exists(a.t0_file):
        if time.time() - start > a.timeout:
            print(json.dumps({"repointed": None, "marks": {}, "error": "no t0"}))
            return 1
        time.sleep(0.002)
    time.sleep(0.002)
    t0 = float(open(a.t0_file).read().strip())

    done = [False] * len(clients)
    repointed = None
    marks = {}
    while time.time() - t0 < a.timeout:
        now = time.time()
        for i, c in enumerate(clients):
            if done[i]:
                continue
            st = c.slave_status()
            if (st and st.get("Master_Host") == a.new_master and st.get("Slave_IO_Running") == "Yes"
                    and st.get("Slave_SQL_Running") == "Yes"):
                done[i] = True
        if clients and all(done) and repointed is None:
            repointed = now - t0
        for w in watches:
            if w["marker"] in marks:
                continue
            try:
                with open(w["path"], errors="replace") as f:
                    f.seek(w["offset"])
                    data = f.read()
                    w["offset"] = f.tell()
            except OSError:
                continue
            text = w["partial"] + data
            if w["marker"] in text:
                marks[w["marker"]] = now - t0
            w["partial"] = text[-len(w["marker"]):]
        if (repointed is not None or not clients) and len(marks) == len(watches):
            break
        if a.stop_file and os.path.exists(a.stop_file):
            break
        time.sleep(0.01)
    for c in clients:
        c.close()
    print(json.dumps({"repointed": repointed, "marks": marks}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
