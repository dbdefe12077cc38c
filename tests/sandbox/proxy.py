#!/usr/bin/python3
"""The sandbox's TCP proxy: one listening address forwarded to one upstream.

It carries the manager's path to a mysqld (or to an agent), so the sandbox can cut that path
alone. SIGUSR1 partitions: connections are still accepted but nothing is forwarded in either
direction, established ones included (the peer sees timeouts, as with dropped packets).
SIGUSR2 heals: forwarding resumes. When the upstream closes (mysqld died) or refuses, the
client's side is closed at once, as the kernel would. The current state ("open" or
"partitioned") is written to --state-file.
"""

import argparse
import asyncio
import os
import signal
import sys


class Gate:
    """Open or partitioned; forwarding waits while partitioned."""

    def __init__(self, state_file):
        self.state_file = state_file
        self.event = asyncio.Event()
        self.event.set()

    def set_open(self, is_open):
        if is_open:
            self.event.set()
        else:
            self.event.clear()
        tmp = self.state_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("open\n" if is_open else "partitioned\n")
        os.replace(tmp, self.state_file)

    async def wait(self):
        await self.event.wait()


def close(writer, abort=False):
    if writer.transport.is_closing():
        return
    if abort:
        writer.transport.abort()
    else:
        writer.close()


async def pump(reader, writer, gate, peer_writer):
    """Copies reader -> writer chunk by chunk; any end closes both sides."""
    try:
        while True:
            data = await reader.read(65536)
            await gate.wait()  # partitioned: the chunk (or the EOF) is "in flight" until heal
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        close(writer)
        close(peer_writer)


async def handle(client_reader, client_writer, gate, upstream):
    await gate.wait()
    host, port = upstream
    try:
        up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(host, port), 5)
    except (OSError, asyncio.TimeoutError):
        close(client_writer, abort=True)  # upstream refuses: reset the client at once
        return
    await asyncio.gather(pump(client_reader, up_writer, gate, client_writer),
                         pump(up_reader, client_writer, gate, up_writer))


def split(address):
    host, _, port = address.rpartition(":")
    return host, int(port)


async def main(args):
    gate = Gate(args.state_file)
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, gate.set_open, False)
    loop.add_signal_handler(signal.SIGUSR2, gate.set_open, True)
    stop = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    host, port = split(args.listen)
    upstream = split(args.upstream)
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, gate, upstream), host, port, reuse_address=True, backlog=128)
    gate.set_open(True)  # the state file doubles as "listening" for whoever started us
    async with server:
        await stop.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", required=True, help="ADDRESS:PORT to accept on")
    parser.add_argument("--upstream", required=True, help="ADDRESS:PORT to forward to")
    parser.add_argument("--state-file", required=True)
    try:
        asyncio.run(main(parser.parse_args()))
    except OSError as e:
        print(f"proxy: {e}", file=sys.stderr)
        sys.exit(1)
