#!/usr/bin/env bash
# JVM setups for the appliance, by measurement (issue 8 item 3): every stop-the-world pause of the
# JVM (GC and other safepoints, from -Xlog:safepoint) while Vigil runs 510 VRRPv3 instances at 1 s
# plus one at 0.01 s as master, alone in a network namespace of its own (a veth pair, no peer:
# nothing leaves the namespace). Three windows per setup: start-up (JVM start to 20 s: class
# loading, 511 instances starting), steady (the next N seconds) and reload (a SIGHUP with an
# unchanged file, and the 10 s after it). Prints one row per JVM setup and window; as root.
#   distribution/lab/scripts/gc-pauses.sh [seconds per setup, default 60] [only setups matching this regex] \
#       > distribution/lab/results/gc-pauses.txt
set -euo pipefail
secs=${1:-60}
only=${2:-}
here=$(cd "$(dirname "$0")/../../.." && pwd)
dist=${VIGIL_DIST:-$here/distribution/app/target/vigil}
# shellcheck source=alone-in-a-namespace.sh
. "$(dirname "$0")/alone-in-a-namespace.sh"

conf=$work/keepalived.conf
instance() { # name vrid interval vip
  printf 'vrrp_instance %s {\n interface lan0\n state MASTER\n virtual_router_id %s\n priority 150\n advert_int %s\n version 3\n virtual_ipaddress {\n  %s\n }\n}\n' "$@"
}
{
  echo "global_defs {"; echo " router_id gc"; echo "}"
  instance FAST 1 0.01 203.0.113.1/24
  for v in $(seq 2 255); do
    instance "V4_$v" "$v" 1 "198.51.100.$v/24"
    instance "V6_$v" "$v" 1 "$(printf '2001:db8::%x/64' "$v")"
  done
} > "$conf"
# a bad file would run nothing and measure nothing
ip netns exec "$ns" "$dist/bin/vigil" -t -f "$conf" > /dev/null

base="-XX:-UsePerfData -Xss512k"
# the appliance's own default, as bin/vigil has it
default_opts=$(sed -n 's/^JAVA_OPTS=\${VIGIL_JAVA_OPTS:-"\(.*\)"}$/\1/p' "$dist/bin/vigil")
setups=(
  "appliance default: $default_opts|$default_opts"
  "serial, C1, fixed 96m, young 2m|-Xms96m -Xmx96m -Xmn2m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
  "serial, C1, fixed 96m, young 16m|-Xms96m -Xmx96m -Xmn16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
  "parallel, 1 thread, C1|-Xms96m -Xmx96m -Xmn4m -XX:+UseParallelGC -XX:ParallelGCThreads=1 -XX:TieredStopAtLevel=1"
  "G1, C1|-Xms64m -Xmx96m -XX:+UseG1GC -XX:MaxGCPauseMillis=1 -XX:TieredStopAtLevel=1"
  "Shenandoah, C1|-Xms64m -Xmx96m -XX:+UseShenandoahGC -XX:TieredStopAtLevel=1"
  "ZGC, C1|-Xms64m -Xmx96m -XX:+UseZGC -XX:TieredStopAtLevel=1"
)
printf '%s\n' "JVM stop-the-world pauses with 510 VRRPv3 instances at 1 s + 1 at 0.01 s, master (-Xlog:safepoint)"
printf '%s\n' "run $(date -u +%Y-%m-%dT%H:%M:%SZ), $("$dist/runtime/bin/java" -version 2>&1 | sed -n 1p), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(cat "$dist/BENCH-SOURCE" 2>/dev/null || echo "Vigil $(git -C "$here" rev-parse --short=12 HEAD)")"
printf '%s\n' "windows: start-up = JVM start to 20 s; steady = the next ${secs} s; reload = SIGHUP (same file) and the 10 s after it"
printf '%-70s %-8s %7s %5s %9s %9s %9s %7s %7s\n' "setup" "window" "pauses" "GCs" "max ms" "p99 ms" "total ms" "RSS MB" "CPU s"
uptime_of() { sed -n 's/^\[\([0-9.]*\)s\].*/\1/p' | tail -1; }
row() { # name window file-of-lines rss cpu
  sed -n 's/.*Total: \([0-9]*\) ns.*/\1/p' "$3" | sort -n > "$work/p"
  # collections: GenCollectForAllocation (serial, parallel), G1/Shenandoah/ZGC pauses
  local gcs n max p99 tot
  gcs=$(grep -c -E 'Safepoint "(GenCollect|G1|Shenandoah|ZMark|ZRelocate|CollectForMetadataAllocation|ParallelGC)' "$3" || true)
  n=$(wc -l < "$work/p")
  if [ "$n" -gt 0 ]; then
    max=$(tail -1 "$work/p"); p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/p"); tot=$(paste -sd+ "$work/p" | bc)
  else max=0; p99=0; tot=0; fi
  printf '%-70s %-8s %7d %5d %9.3f %9.3f %9.3f %7s %7s\n' "$1" "$2" "$n" "$gcs" "$(echo "$max/1000000" | bc -l)" \
      "$(echo "$p99/1000000" | bc -l)" "$(echo "$tot/1000000" | bc -l)" "$4" "$5"
}
for s in "${setups[@]}"; do
  name=${s%%|*}; opts=${s#*|}
  if [ -n "$only" ] && ! [[ $name =~ $only ]]; then continue; fi
  log=$work/safepoint-$RANDOM.log
  VIGIL_JAVA_OPTS="$opts $base -Xlog:safepoint:file=$log:uptime ${GC_EXTRA_LOG:-}" ip netns exec "$ns" "$dist/bin/vigil" -n -l -f "$conf" \
      -p "$work/vigil.pid" > "$work/out.log" 2>&1 &
  pid=$!
  sleep 20
  lines0=$(wc -l < "$log" 2>/dev/null || echo 0)
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  sleep "$secs"
  masters=$(grep -c "Entering MASTER STATE" "$work/out.log" || true)
  [ "$masters" -ge 509 ] || { echo "only $masters instances became master: see $work/out.log" >&2; exit 1; }
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  lines1=$(wc -l < "$log")
  kill -HUP "$pid"
  sleep 10
  # the reload's verdict: a second "applied" line (the first is the start)
  [ "$(grep -c ': applied - ' "$work/out.log")" -ge 2 ] || { echo "no reload verdict in $work/out.log" >&2; exit 1; }
  lines2=$(wc -l < "$log")
  # the window ends here: the shutdown's own pauses are not measured
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
  sed -n "1,${lines0}p" "$log" > "$work/w-start"
  sed -n "$((lines0 + 1)),${lines1}p" "$log" > "$work/w-steady"
  sed -n "$((lines1 + 1)),${lines2}p" "$log" > "$work/w-reload"
  row "$name" start-up "$work/w-start" "" ""
  row "" steady "$work/w-steady" "$rss" "$(printf '%.2f' "$(echo "($t1-$t0)/$(getconf CLK_TCK)" | bc -l)")"
  row "" reload "$work/w-reload" "" ""
done
echo "setup = JVM options; the appliance adds $base. pauses = safepoints in the window, of them GCs = collections; max/p99/total = their 'Total' (reaching + at safepoint). RSS and CPU: at the end of, and over, the steady window."
