#!/usr/bin/env python3
"""Samples MHA status files every 50 ms for SECONDS: prints, per file, the longest time between
two good pings (the manager touches the file after each) and every state other than PING_OK.

usage: ping_gaps.py SECONDS FILE...   exit 0; the caller judges the figures."""
import os
import sys
import time

seconds = float(sys.argv[1])
files = sys.argv[2:]
last_change = {}
last_mtime = {}
longest = {f: 0.0 for f in files}
bad = {f: set() for f in files}
end = time.monotonic() + seconds
while time.monotonic() < end:
    now = time.monotonic()
    for f in files:
        try:
            st = os.stat(f)
            with open(f) as fh:
                state = fh.read().split("\t")
        except OSError as e:
            bad[f].add("unreadable: %s" % e.strerror)
            continue
        if len(state) < 2 or state[1] != "PING_OK":
            bad[f].add(state[1] if len(state) > 1 else "garbled")
        if last_mtime.get(f) != st.st_mtime_ns:
            if f in last_change:
                longest[f] = max(longest[f], now - last_change[f])
            last_mtime[f] = st.st_mtime_ns
            last_change[f] = now
        elif f in last_change:
            longest[f] = max(longest[f], now - last_change[f])
    time.sleep(0.05)
for f in files:
    print("%s longest_gap=%.2f states_other_than_ping_ok=%s" % (f, longest[f], ",".join(sorted(bad[f])) or "none"))
