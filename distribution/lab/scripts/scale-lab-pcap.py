#!/usr/bin/env python3
"""Reads scale-lab-cpu.sh's capture: adverts/s, per-stream gaps and bursts/s of the master (priority 150);
with "crash", per stream the wire gap from the master's last advert to the backup's (priority 100) first,
minus Master_Down_Interval for priority 100 at 1 s (3 + 156/256 s)."""
import collections
import re
import subprocess
import sys

out = subprocess.run(["tcpdump", "-r", sys.argv[1], "-tt", "-n"], capture_output=True, text=True).stdout
line = re.compile(r"(\d+\.\d+) IP6? (\S+) > \S+ VRRPv3, Advertisement, vrid (\d+), prio (\d+)")
master = collections.defaultdict(list)
backup = collections.defaultdict(list)
for l in out.splitlines():
    m = line.match(l)
    if m:
        key = (6 if ":" in m.group(2) else 4, int(m.group(3)))
        (master if m.group(4) == "150" else backup if m.group(4) == "100" else {}).setdefault(key, []).append(float(m.group(1)))
times = sorted(t for v in master.values() for t in v)
crash = len(sys.argv) > 2
end = times[-1]
start = times[0]
gaps = sorted(max(b - a for a, b in zip(v, v[1:])) for v in master.values() if len(v) > 1)
bursts = 1 + sum(1 for a, b in zip(times, times[1:]) if b - a > 0.005)
print(f"capture: {len(master)} streams, {len(times) / (end - start):.1f} adverts/s, per-stream max gap median "
      f"{gaps[len(gaps) // 2]:.3f} s, max {gaps[-1]:.3f} s, {sum(g > 1.5 for g in gaps)} over 1.5 s, "
      f"{bursts / (end - start):.1f} bursts/s, {end - start:.0f} s")
if crash:
    floor = 3 + 156 / 256
    over = sorted((min(t for t in backup.get(k, []) if t > v[-1]) - v[-1] - floor) * 1000
                  for k, v in master.items() if any(t > v[-1] for t in backup.get(k, [])))
    print(f"crash: {len(over)}/{len(master)} streams taken over, gap - floor ms: min {over[0]:.1f}, median "
          f"{over[len(over) // 2]:.1f}, p90 {over[int(len(over) * 0.9)]:.1f}, max {over[-1]:.1f}")
