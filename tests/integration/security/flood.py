#!/usr/bin/env python3
"""Bounded floods against an mha-agent, loopback only (the security suite).

  flood.py idle   --source A --target H:P --count N --seconds S
      N plain TCP connections that never speak TLS; reopened when the agent closes them.
  flood.py slowtls --source A --target H:P --count N --seconds S --ca F --cert F --key F
      N TLS clients (a valid certificate) that send a request header a line per second,
      never finishing it; reconnect when the agent closes them.
  flood.py silent --listen H:P --seconds S
      a TCP server that accepts and never answers (a MySQL that never greets a probe).

Prints one summary line: how many connections were opened and how many the agent closed.
"""
import argparse
import selectors
import socket
import ssl
import threading
import time


def parse_hostport(text):
    host, port = text.rsplit(":", 1)
    return host, int(port)


def connect(source, target):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind((source, 0))
    sock.settimeout(2)
    sock.connect(target)
    return sock


def idle(args):
    target, deadline = parse_hostport(args.target), time.monotonic() + args.seconds
    sel = selectors.DefaultSelector()
    opened = closed = 0
    while time.monotonic() < deadline:
        # At most 10 new connections a round: a bounded rate (~500/s), not a CPU burner.
        for _ in range(min(10, args.count - len(sel.get_map()))):
            try:
                sock = connect(args.source, target)
            except OSError:
                time.sleep(0.05)
                break
            sock.setblocking(False)
            sel.register(sock, selectors.EVENT_READ)
            opened += 1
        for key, _ in sel.select(timeout=0.1):
            try:
                data = key.fileobj.recv(4096)
            except OSError:
                data = b""
            if not data:
                sel.unregister(key.fileobj)
                key.fileobj.close()
                closed += 1
        time.sleep(0.02)
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    print(f"idle: opened {opened}, closed by the agent {closed}")


def slow_client(args, target, deadline, counts, lock):
    context = ssl.create_default_context(cafile=args.ca)
    context.check_hostname = False
    context.load_cert_chain(args.cert, args.key)
    while time.monotonic() < deadline:
        try:
            raw = connect(args.source, target)
            tls = context.wrap_socket(raw)
            with lock:
                counts["opened"] += 1
            tls.sendall(b"GET /health HTTP/1.1\r\nHost: agent\r\n")
            while time.monotonic() < deadline:
                time.sleep(1)
                tls.sendall(b"X-Slow: 1\r\n")
            tls.close()
        except (OSError, ssl.SSLError):
            with lock:
                counts["closed"] += 1
            time.sleep(0.5)


def slowtls(args):
    target, deadline = parse_hostport(args.target), time.monotonic() + args.seconds
    counts, lock = {"opened": 0, "closed": 0}, threading.Lock()
    threads = [threading.Thread(target=slow_client, args=(args, target, deadline, counts, lock))
               for _ in range(args.count)]
    for t in threads:
        t.start()
        time.sleep(0.01)
    for t in threads:
        t.join()
    print(f"slowtls: opened {counts['opened']}, closed by the agent {counts['closed']}")


def silent(args):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(parse_hostport(args.listen))
    server.listen(64)
    server.settimeout(0.2)
    held, deadline = [], time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        try:
            held.append(server.accept()[0])
        except socket.timeout:
            pass
    print(f"silent: held {len(held)} connection(s)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["idle", "slowtls", "silent"])
    parser.add_argument("--source", default="127.0.0.1")
    parser.add_argument("--target")
    parser.add_argument("--listen")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 120)  # bounded in time whatever the caller asks
    args.count = min(args.count, 500)      # and in count
    {"idle": idle, "slowtls": slowtls, "silent": silent}[args.mode](args)


if __name__ == "__main__":
    main()
