#!/usr/bin/env python3
"""Real servers for the checker benchmark: N TCP listeners on ADDRESS:BASE..BASE+N-1 in one process.
Each accepted connection is closed at once (a health check only connects), accepting in batches
from a selector so one process keeps up with 10,000 checks a second. Every second it prints
"accepts EPOCH_US COUNT". On stdin, "close I J K ..." closes the listeners with those indexes (later
connects get a reset) and prints "closed EPOCH_US I J K". Usage: listeners.py ADDRESS BASE N"""
import resource
import selectors
import socket
import sys
import time


def now_us():
    return int(time.time() * 1_000_000)


def main(address, base, n):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    sel = selectors.DefaultSelector()
    listeners = []
    for i in range(n):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((address, base + i))
        s.listen(1024)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, i)
        listeners.append(s)
    sel.register(sys.stdin, selectors.EVENT_READ, -1)
    print("ready", now_us(), n, flush=True)
    accepted = 0
    next_report = time.monotonic() + 1
    while True:
        for key, _ in sel.select(timeout=max(0.0, next_report - time.monotonic())):
            if key.data == -1:
                line = sys.stdin.readline()
                if not line:
                    sel.unregister(sys.stdin)
                    continue
                words = line.split()
                if words and words[0] == "close":
                    for w in words[1:]:
                        s = listeners[int(w)]
                        sel.unregister(s)
                        s.close()
                    print("closed", now_us(), " ".join(words[1:]), flush=True)
                continue
            s = key.fileobj
            while True:
                try:
                    c, _ = s.accept()
                except (BlockingIOError, InterruptedError):
                    break
                except OSError:
                    break
                c.close()
                accepted += 1
        if time.monotonic() >= next_report:
            print("accepts", now_us(), accepted, flush=True)
            accepted = 0
            next_report += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
