#!/usr/bin/env bash
# Issue 12: where a running Vigil's RSS is, MB per part, from /proc/PID/smaps, with the Java heap's and
# the code cache's bounds from jcmd (the host JDK's: the release the bundled runtime was linked from).
#   rss-breakdown.sh PID
set -euo pipefail
pid=$1
heap=$(jcmd "$pid" GC.heap_info | grep -o '0x[0-9a-f]*' | sed -n '1p;$p' | tr '\n' ' ')
code=$(jcmd "$pid" Compiler.codecache | awk '/bounds/ {gsub(/[][,]/, ""); print $2, $4; exit}')
python3 - "$pid" $heap $code <<'PY'
import re, sys
pid, hlo, hhi, clo, chi = sys.argv[1], *(int(a, 16) for a in sys.argv[2:6])
parts, total, lo, name, size = {}, 0, 0, "", 0
for line in open(f"/proc/{pid}/smaps"):
    m = re.match(r"([0-9a-f]+)-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)", line)
    if m:
        lo, name = int(m.group(1), 16), m.group(2).strip()
    elif line.startswith("Size:"):
        size = int(line.split()[1])
    elif line.startswith("Rss:"):
        rss = int(line.split()[1])
        if name.endswith(".jsa"):
            k = "CDS archives (runtime's classes.jsa, lib/vigil.jsa)"
        elif name.endswith("libjvm.so"):
            k = "libjvm.so"
        elif name and not name.startswith("["):
            k = "other files (libc, lib/modules, jars, libjffi...)"
        elif hlo <= lo < hhi:
            k = "Java heap"
        elif clo <= lo < chi:
            k = "code cache"
        elif 1000 <= size <= 1100:
            k = "thread stacks (1 MB mappings)"
        else:
            k = "other anonymous (metaspace, malloc: symbols, JIT, GC...)"
        parts[k] = parts.get(k, 0) + rss
        total += rss
for k, v in sorted(parts.items(), key=lambda kv: -kv[1]):
    print(f"{v / 1024:7.1f}  {k}")
print(f"{total / 1024:7.1f}  total (MB)")
PY
