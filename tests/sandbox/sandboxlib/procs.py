"""Processes the sandbox starts: detached, recorded by PID, and only ever killed by that PID
after checking that the PID still belongs to this sandbox (its command line names D)."""

import os
import signal
import subprocess
import time


def read_pid(pid_file):
    try:
        with open(pid_file) as f:
            return int(f.read().strip() or 0) or None
    except (OSError, ValueError):
        return None


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def process_state(pid):
    """'R', 'S', 'T' (stopped), 'Z' … from /proc, or None when there is no such process."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


def owned_pid(pid_file, marker):
    """The PID in pid_file if that process is alive (not a zombie) and its command line
    contains marker (the sandbox directory), else None."""
    pid = read_pid(pid_file)
    if pid is None:
        return None
    state = process_state(pid)
    if state is None or state == "Z" or marker not in cmdline(pid):
        return None
    return pid


_spawning = False
_interrupted = False


def on_interrupt(signum, frame):
    """SIGINT/SIGTERM handler for `up`: a KeyboardInterrupt, held back while spawn() runs so
    that every process started has its PID recorded (and `up` or `down` can stop it)."""
    global _interrupted
    if _spawning:
        _interrupted = True
        return
    raise KeyboardInterrupt


def spawn(argv, log_path, pid_file=None, env=None):
    """Starts argv detached (own session, stdin closed, output to log_path); records its PID.
    `env`: extra environment variables."""
    global _spawning, _interrupted
    _spawning = True
    try:
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                    start_new_session=True, close_fds=True,
                                    env={**os.environ, **env} if env else None)
        if pid_file:
            with open(pid_file, "w") as f:
                f.write(f"{proc.pid}\n")
    finally:
        _spawning = False
    if _interrupted:
        _interrupted = False
        raise KeyboardInterrupt
    return proc


def _argv(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
    except OSError:
        return []


def started_for(directory, programs):
    """PIDs of running processes of this sandbox found by their command line: one of
    `programs` (basenames; for python, the script's) with an argument naming a file under
    directory/host*. The safety net of `down` for a process whose `up` died before it
    recorded the PID."""
    prefix = os.path.join(directory, "host")
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        argv = _argv(entry)
        if not argv:
            continue
        program = os.path.basename(argv[0])
        if program.startswith("python") and len(argv) > 1:
            program = os.path.basename(argv[1])
        if program not in programs:
            continue
        if any(a.rpartition("=")[2].startswith(prefix) for a in argv[1:]):
            state = process_state(int(entry))
            if state not in (None, "Z"):
                found.append(int(entry))
    return found


def signal_owned(pid_file, marker, sig):
    pid = owned_pid(pid_file, marker)
    if pid is None:
        return None
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return None
    return pid


def wait_gone(pid, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = process_state(pid)
        if state is None or state == "Z":
            return True
        time.sleep(0.02)
    return False


def kill_owned(pid_file, marker, sig=signal.SIGKILL, timeout=10.0):
    """Signals the owned process and waits until it is gone. Returns its PID or None."""
    pid = signal_owned(pid_file, marker, sig)
    if pid is None:
        return None
    if sig != signal.SIGKILL and process_state(pid) == "T":
        os.kill(pid, signal.SIGCONT)  # a frozen process cannot act on SIGTERM
    if not wait_gone(pid, timeout) and sig != signal.SIGKILL:
        os.kill(pid, signal.SIGKILL)
        wait_gone(pid, 5.0)
    return pid


def tail(path, lines=25):
    try:
        with open(path, errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return f"(no {path})\n"
