#!/bin/bash
# CPU of one router alone in a network namespace, per thread: N VRRPv3 instances (half IPv4, half
# IPv6, VRIDs from 1 on lan0; one instance is IPv4) as MASTER, or as BACKUP hearing a second router's adverts on the
# other end of the veth pair. Prints the whole process's CPU over the window and the busiest
# threads (utime+stime ticks from /proc/PID/task/*/stat, at 100 ticks a second; and the run time
# from /proc/PID/task/*/schedstat, exact to the ns, which is what the per-thread lines show).
#
#   thread-cpu.sh DIST|keepalived [master|backup] [INSTANCES] [ADVERT_INT] [SECONDS]
#
# DIST is a built distribution (distribution/app/target/vigil); "keepalived" runs Debian's
# keepalived on the same configuration. As backup, the master peer is a keepalived in a second
# namespace joined by a veth pair (so the peer's CPU is not the measured process's). Environment:
# WARM (seconds before the window, default 30), LATE (a second window of the same length LATE s
# after the first began), VIGIL_JAVA_OPTS (passed through), STRACE=1 (count
# the system calls of every thread over the window instead of timing it), PERF=FILE (perf record -g
# of the window, and the JIT's symbol map in /tmp/perf-PID.map). Run as root. The measured process and the peer are stopped by PID on exit.
set -u
what=$1; role=${2:-master}; count=${3:-510}; interval=${4:-1}; secs=${5:-60}
. "$(dirname "$0")/alone-in-a-namespace.sh"
peer=; peerns=
cleanupAll() {
  [ -n "$peer" ] && kill -TERM "$peer" 2>/dev/null
  cleanup
  [ -n "$peerns" ] && ip netns del "$peerns" 2>/dev/null
  true
}
trap cleanupAll EXIT

instance() { # name vrid priority address state
  printf 'vrrp_instance %s {\n interface lan0\n state %s\n virtual_router_id %s\n priority %s\n advert_int %s\n version 3\n virtual_ipaddress {\n  %s\n }\n}\n' \
    "$1" "$5" "$2" "$3" "$interval" "$4"
}
config() { # router_id priority state
  echo "global_defs {"; echo " router_id $1"; echo " vrrp_garp_master_delay 0"; echo "}"
  for v in $(seq 1 $(( (count + 1) / 2 ))); do
    instance "V4_$v" "$v" "$2" "198.51.100.$(( v % 250 + 1 ))/24" "$3"
  done
  for v in $(seq 1 $(( count / 2 ))); do
    instance "V6_$v" "$v" "$2" "$(printf '2001:db8::%x/64' "$v")" "$3"
  done
}

if [ "$role" = backup ]; then
  # the master peer: keepalived in a namespace of its own at the far end of a veth pair
  peerns=${ns}p
  ip netns add "$peerns"
  ip -n "$ns" link set lan1 netns "$peerns"
  ip -n "$peerns" link set lo up
  ip -n "$peerns" link set lan1 name lan0
  ip -n "$peerns" link set lan0 up
  ip -n "$peerns" addr add 192.0.2.2/24 dev lan0
  ip netns exec "$peerns" sysctl -qw net.ipv6.conf.lan0.accept_dad=0
  config peer 150 MASTER > "$work/peer.conf"
  # at realtime priority 1: on the shared host a peer kept from the CPU for a Master_Down_Interval (36 ms
  # at 0.01 s) makes the measured backup take over, and the window measures transitions
  ip netns exec "$peerns" chrt -r 1 keepalived -n -l -P -f "$work/peer.conf" -p "$work/peer.pid" -r "$work/peer.vrrp.pid" \
    > "$work/peer.log" 2>&1 &
  peer=$!
  config measured 100 BACKUP > "$work/k.conf"
else
  config measured 150 MASTER > "$work/k.conf"
fi

if [ "$what" = keepalived ]; then
  # -P: the VRRP child only (no checker process); the child does the work, so measure it
  ip netns exec "$ns" keepalived -n -l -P -f "$work/k.conf" -p "$work/k.pid" -r "$work/vrrp.pid" > "$work/out.log" 2>&1 &
  pid=$!
else
  ip netns exec "$ns" "$what/bin/vigil" -n -l -f "$work/k.conf" -p "$work/k.pid" > "$work/out.log" 2>&1 &
  pid=$!
fi
sleep "${WARM:-30}"

# the process tree's tasks: keepalived's parent and its VRRP child, Vigil's one JVM
tasks() { for p in $pid $(pgrep -P "$pid"); do ls -d /proc/$p/task/* 2>/dev/null; done; }
# utime+stime: fields 14 and 15 of stat, counted after the command name, which may hold spaces
snap() { for t in $(tasks); do [ -r "$t/stat" ] && echo "$(tr ' ' '_' < "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}')"; done; }
# schedstat's first field: the thread's run time on a CPU, in ns (not sampled at the tick)
snapNs() { for t in $(tasks); do [ -r "$t/schedstat" ] && echo "$(tr ' ' '_' < "$t/comm") $(cut -d' ' -f1 "$t/schedstat")"; done; }
sum() { awk '{a[$1]+=$2} END {for (k in a) print k, a[k]}' "$1" | sort; }

if [ -n "${STRACE:-}" ]; then
  args=(); for t in $(tasks); do args+=(-p "$(basename "$t")"); done
  timeout -s INT "$secs" strace -c -f "${args[@]}" -o "$work/strace.txt" 2>/dev/null
  head -25 "$work/strace.txt"
  exit 0
fi
report() { # label a b: the window's CPU from the tick counts and from schedstat's run time (ns, exact)
  # per thread name; a name whose threads ended in the window (Felix's resolver, process reaper) counts 0, not minus
  total=$(join <(sum "$2") <(sum "$3") | awk '{if ($3>$2) t+=$3-$2} END {print t+0}')
  ns=$(join <(sum "$2.ns") <(sum "$3.ns") | awk '{if ($3>$2) t+=$3-$2} END {printf "%d", t}')
  state=$(grep -c "Entering $( [ "$role" = backup ] && echo BACKUP || echo MASTER)" "$work/out.log")
  printf '%s %s %s x %s s%s: %s ticks in %s s = %s s CPU/min = %s %% of a core; run time %s %% (%s entered %s, %s threads)\n' \
    "$(basename "$what")" "$role" "$count" "$interval" "$1" "$total" "$secs" \
    "$(echo "scale=3; $total/100*60/$secs" | bc)" "$(echo "scale=2; $total/$secs" | bc)" \
    "$(echo "scale=2; $ns/10000000/$secs" | bc)" "$state" "$role" "$(tasks | wc -l)"
  join <(sum "$2.ns") <(sum "$3.ns") | awk -v s="$secs" '{d=$3-$2; if (d>0) printf "  %6.3f %% %s\n", d/s/1e7, $1}' | sort -rn | head -"${TOP:-8}"
}
snapAll() { snap > "$1"; snapNs > "$1.ns"; }
started=$(date +%s)
snapAll "$work/a"
if [ -n "${PERF:-}" ]; then
  perf record -F 999 -g -o "$PERF" -p "$pid" -- sleep "$secs" > /dev/null 2>&1
  # the JIT's symbols for perf report (/tmp/perf-PID.map); needs -XX:+PreserveFramePointer for stacks
  [ "$what" != keepalived ] && "${JCMD:-jcmd}" "$pid" Compiler.perfmap > /dev/null
else
  sleep "$secs"
fi
snapAll "$work/b"
report " (window from ${WARM:-30} s)" "$work/a" "$work/b"
if [ -n "${LATE:-}" ]; then
  # a second window LATE s after the first began (the JIT's late compilations, on-stack replacement)
  sleep $(( LATE - ($(date +%s) - started) > 0 ? LATE - ($(date +%s) - started) : 0 ))
  snapAll "$work/c"
  sleep "$secs"
  snapAll "$work/d"
  report " (window from $(( ${WARM:-30} + LATE )) s)" "$work/c" "$work/d"
fi
