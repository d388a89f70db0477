#!/usr/bin/env bash
# Issue 12: what a JVM option (or another build of the appliance) saves, every variant in one run, in
# turn, repeated. One VRRPv3 IPv4 instance at advert_int 0.01 started as BACKUP (priority 100) with no
# peer, alone in a network namespace of its own (a veth pair: nothing leaves the namespace): start to
# its first advert (launch to the first VRRP packet tcpdump sees on the peer end of the veth,
# Master_Down_Interval 0.04 s included), then HOLD seconds (default 5) after MASTER the RSS and threads
# from /proc, and the CPU over the next 10 s (utime+stime, % of one core). "start CPU" is the CPU time
# the process had used when its first advert was seen (polled every 50 ms): on a shared host it
# varies less than the start time itself. A longer HOLD shows what
# stays once the JIT compiled what it will. With NMT=1, one more run per variant with
# -XX:NativeMemoryTracking=summary prints NMT's committed memory per category; with BREAKDOWN=1, the
# first run of each variant also says where its RSS is (rss-breakdown.sh). As root.
#   jvm-options.sh [-d DIST] [-r REPEATS] 'NAME=OPTIONS' ...
# OPTIONS replace the appliance's default JVM options; an empty OPTIONS keeps the defaults of that
# layout's bin/vigil. A NAME of the form LABEL@DIR runs the layout in DIR instead of DIST (a build of
# another revision beside this one).
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
dist=$here/distribution/app/target/vigil
repeats=3
while getopts d:r: o; do
  case $o in
    d) dist=$OPTARG ;;
    r) repeats=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
default_dist=$dist
[ $# -gt 0 ] || set -- "defaults="
# shellcheck source=alone-in-a-namespace.sh
. "$(dirname "$0")/alone-in-a-namespace.sh"

conf=$work/keepalived.conf
printf 'global_defs {\n router_id jo\n}\nvrrp_instance VI_1 {\n interface lan0\n state BACKUP\n virtual_router_id 51\n priority 100\n advert_int 0.01\n version 3\n virtual_ipaddress {\n  203.0.113.1/24\n }\n}\n' > "$conf"
hz=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # options; sets start startcpu rss threads cpu, leaves the daemon stopped
  local opts=$1 extra=${2:-}
  time_to_first_advert "$work/out.log" "VIGIL_JAVA_OPTS=$opts $extra" -- "$dist/bin/vigil" -n -l -f "$conf" -p "$work/vigil.pid"
  # CPU the JVM had used by its first advert (less noisy than the wall clock on a shared host)
  startcpu=$(awk -v t="$(cpu_ticks "$pid" 2>/dev/null || echo 0)" -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}')
  for _ in $(seq 1 100); do grep -q "Entering MASTER STATE" "$work/out.log" && break; sleep 0.1; done
  sleep "${HOLD:-5}"
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")
  threads=$(ls "/proc/$pid/task" | wc -l)
  if [ "${BREAKDOWN:-0}" = 1 ] && [ -n "${breakdown_to:-}" ]; then
    "$(dirname "$0")/rss-breakdown.sh" "$pid" > "$breakdown_to"
  fi
  local c0 c1
  c0=$(cpu_ticks "$pid")
  sleep 10
  c1=$(cpu_ticks "$pid")
  cpu=$(awk -v a="$c0" -v b="$c1" -v hz="$hz" 'BEGIN {printf "%.2f", (b - a) * 100 / hz / 10}')
}
stop() {
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

printf '%s\n' "VRRPv3 instance at 0.01 s, BACKUP start, no peer, measured ${HOLD:-5} s after MASTER; run $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %-22s %-22s %-22s %-8s %-16s\n' "variant" "RSS MB" "start s" "start CPU s" "threads" "CPU % (master)"
declare -A R S U T C
names=()
for v in "$@"; do n=${v%%=*}; names+=("${n%%@*}"); done
for i in $(seq 1 "$repeats"); do
  for v in "$@"; do
    name=${v%%=*} opts=${v#*=}
    dist=$default_dist
    case $name in *@*) dist=${name#*@} name=${name%%@*} ;; esac
    [ -n "$opts" ] || opts=$(sed -n 's/^JAVA_OPTS=\${VIGIL_JAVA_OPTS:-"\(.*\)"}$/\1/p' "$dist/bin/vigil")
    breakdown_to=
    [ "$i" = 1 ] && breakdown_to=$work/breakdown.$(echo "$name" | tr -c 'A-Za-z0-9.\n-' _)
    run "$opts"
    stop
    R[$name]+="$rss " S[$name]+="$start " U[$name]+="$startcpu " T[$name]=$threads C[$name]+="$cpu "
  done
done
range() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {if (NR == 1) print a[1]; else printf "%s-%s (%s)\n", a[1], a[NR], a[int((NR+1)/2)]}'; }
for name in "${names[@]}"; do
  printf '%-28s %-22s %-22s %-22s %-8s %-16s\n' "$name" "$(echo "${R[$name]}" | range)" "$(echo "${S[$name]}" | range)" \
      "$(echo "${U[$name]}" | range)" \
      "${T[$name]}" "$(echo "${C[$name]}" | range)"
done
echo "ranges: min-max (median) of $repeats runs, variants interleaved"
if [ "${BREAKDOWN:-0}" = 1 ]; then
  echo "== where the RSS is (MB, first run of each variant, rss-breakdown.sh)"
  python3 - "${names[@]}" <<PY
import sys, re
names = sys.argv[1:]
cols = {n: dict((l[9:].strip(), l[:8].strip()) for l in open("$work/breakdown." + re.sub(r"[^A-Za-z0-9.-]", "_", n)))
        for n in names}
rows = []
for n in names:
    rows += [k for k in cols[n] if k not in rows]
print(f"{'':58}" + "".join(f" {n[:20]:>20}" for n in names))
for r in rows:
    print(f"{r[:58]:58}" + "".join(f" {cols[n].get(r, '-'):>20}" for n in names))
PY
fi
if [ "${NMT:-0}" = 1 ]; then
  for v in "$@"; do
    name=${v%%=*} opts=${v#*=}
    dist=$default_dist
    case $name in *@*) dist=${name#*@} name=${name%%@*} ;; esac
    [ -n "$opts" ] || opts=$(sed -n 's/^JAVA_OPTS=\${VIGIL_JAVA_OPTS:-"\(.*\)"}$/\1/p' "$dist/bin/vigil")
    run "$opts" "-XX:NativeMemoryTracking=summary"
    echo "== NMT, $name (committed KB; RSS $rss MB with NMT on)"
    jcmd "$pid" VM.native_memory summary scale=KB | awk '/^Total:/ || /^-/ {print}'
    stop
  done
fi
