#!/usr/bin/env python3
"""Real servers for the checker benchmark: N TCP listeners on ADDRESS:BASE..BASE+N-1 in one process.
Each accepted connection is closed at once (a health check only connects). Every second it prints
"accepts EPOCH_US COUNT" (connections accepted in that second). On stdin, "close I J K ..." closes
the listeners with those indexes (later connects get a reset) and prints "closed EPOCH_US I J K".
Usage: listeners.py ADDRESS BASE N"""
import asyncio
import resource
import sys
import time


def now_us():
    return int(time.time() * 1_000_000)


async def main(address, base, n):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    accepted = 0

    async def handle(reader, writer):
        nonlocal accepted
        accepted += 1
        writer.close()

    servers = []
    for i in range(n):
        servers.append(await asyncio.start_server(handle, address, base + i, backlog=64, reuse_address=True))
    print("ready", now_us(), n, flush=True)

    async def report():
        nonlocal accepted
        while True:
            await asyncio.sleep(1)
            print("accepts", now_us(), accepted, flush=True)
            accepted = 0

    async def commands():
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                await asyncio.sleep(3600)
                continue
            words = line.decode().split()
            if words and words[0] == "close":
                idx = [int(w) for w in words[1:]]
                for i in idx:
                    servers[i].close()
                print("closed", now_us(), " ".join(words[1:]), flush=True)

    await asyncio.gather(report(), commands())


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
