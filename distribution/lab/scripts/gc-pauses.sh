#!/usr/bin/env bash
# JVM setups for the appliance, by measurement (issue 8 item 3): every stop-the-world pause of the
# JVM (GC and other safepoints, from -Xlog:safepoint) while Vigil runs 510 VRRPv3 instances at 1 s
# plus one at 0.01 s as master, alone in a network namespace of its own (a veth pair, no peer:
# nothing leaves the namespace). Prints one row per JVM setup; as root.
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
setups=(
  "serial, C1, fixed 96m, young 16m (default)|-Xms96m -Xmx96m -Xmn16m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
  "serial, C1, growing 8m-96m (the old default)|-Xms8m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"
  "serial, tiered|-Xms32m -Xmx96m -XX:+UseSerialGC"
  "serial, tiered, pre-touched 32m young 16m|-Xms64m -Xmx64m -Xmn16m -XX:+UseSerialGC -XX:+AlwaysPreTouch"
  "parallel, 1 thread|-Xms64m -Xmx64m -XX:+UseParallelGC -XX:ParallelGCThreads=1 -XX:+AlwaysPreTouch"
  "G1|-Xms64m -Xmx64m -XX:+UseG1GC -XX:MaxGCPauseMillis=1 -XX:+AlwaysPreTouch"
  "Shenandoah|-Xms64m -Xmx64m -XX:+UseShenandoahGC -XX:+AlwaysPreTouch"
  "ZGC|-Xms64m -Xmx64m -XX:+UseZGC -XX:+AlwaysPreTouch"
)
printf '%s\n' "JVM stop-the-world pauses with 510 VRRPv3 instances at 1 s + 1 at 0.01 s, master, ${secs} s after start-up (-Xlog:safepoint)"
printf '%s\n' "run $(date -u +%Y-%m-%dT%H:%M:%SZ), $(java -version 2>&1 | sed -n 1p), $(nproc) cores, Vigil $(git -C "$here" rev-parse --short=12 HEAD)"
printf '%-46s %8s %8s %10s %10s %10s %8s %8s\n' "setup" "pauses" "GCs" "max ms" "p99 ms" "total ms" "RSS MB" "CPU s"
for s in "${setups[@]}"; do
  name=${s%%|*}; opts=${s#*|}
  if [ -n "$only" ] && ! [[ $name =~ $only ]]; then continue; fi
  log=$work/safepoint-$RANDOM.log
  VIGIL_JAVA_OPTS="$opts $base -Xlog:safepoint:file=$log" ip netns exec "$ns" "$dist/bin/vigil" -n -l -f "$conf" \
      -p "$work/vigil.pid" > "$work/out.log" 2>&1 &
  pid=$!
  # measure from 20 s on: start-up (class loading, JIT, 511 instances starting) is not the steady state
  sleep 20
  : > "$log.mark"; lines0=$(wc -l < "$log" 2>/dev/null || echo 0)
  t0=$(awk '{print $14+$15}' /proc/$pid/stat)
  sleep "$secs"
  masters=$(grep -c "Entering MASTER STATE" "$work/out.log" || true)
  [ "$masters" -ge 509 ] || { echo "only $masters instances became master: see $work/out.log" >&2; exit 1; }
  t1=$(awk '{print $14+$15}' /proc/$pid/stat)
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  # the window ends here: the shutdown's own collections are not the steady state
  lines1=$(wc -l < "$log")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
  # lines like: Safepoint "Cleanup", Time since last: ..., Reaching safepoint: 1234 ns, At safepoint: 5678 ns, Total: 6912 ns
  sed -n "$((lines0 + 1)),${lines1}p" "$log" > "$work/window"
  sed -n 's/.*Total: \([0-9]*\) ns.*/\1/p' "$work/window" | sort -n > "$work/p"
  # collections: GenCollectForAllocation (serial, parallel), G1/Shenandoah/ZGC pauses
  gcs=$(grep -c -E 'Safepoint "(GenCollect|G1|Shenandoah|ZMark|ZRelocate|CollectForMetadataAllocation|ParallelGC)' "$work/window" || true)
  n=$(wc -l < "$work/p")
  if [ "$n" -gt 0 ]; then
    max=$(tail -1 "$work/p"); p99=$(sed -n "$(( (n * 99 + 99) / 100 ))p" "$work/p"); tot=$(paste -sd+ "$work/p" | bc)
  else max=0; p99=0; tot=0; fi
  printf '%-46s %8d %8d %10.3f %10.3f %10.3f %8d %8.2f\n' "$name" "$n" "$gcs" "$(echo "$max/1000000" | bc -l)" \
      "$(echo "$p99/1000000" | bc -l)" "$(echo "$tot/1000000" | bc -l)" "$rss" "$(echo "($t1-$t0)/$(getconf CLK_TCK)" | bc -l)"
done
echo "setup = JVM options; the appliance adds $base. pauses = safepoints in the window (from 20 s after start to before the stop), of them GC = collections; max/p99/total = their 'Total' (reaching + at safepoint)."
