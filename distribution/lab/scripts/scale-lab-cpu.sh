#!/bin/bash
# CPU of the master in ScaleBenchmark's lab, per thread, without the benchmark around it: 510 VRRPv3
# instances at 1 s (VRIDs 1-255 x IPv4 + IPv6 on lan0, /32 and /128 VIPs, every instance "state
# BACKUP", as ScaleBenchmark configures them), r1 priority 150 on a bridge with a backup r2 (priority 100,
# the same implementation unless PEER says otherwise), a client c1, lan1-3 on three more bridges, and
# tcpdump on br0. Prints per thread: CPU (sum_exec_runtime from /proc/PID/task/*/schedstat, exact),
# the user/system split (utime/stime ticks, sampled at the kernel's tick: a rough split only) and
# wake-ups (voluntary context switches); then adverts/s, per-stream gaps and bursts/s from the capture.
#
#   scale-lab-cpu.sh DIST|keepalived [SECONDS]
#
# Environment: PEER=same|keepalived|none (the backup), TCPDUMP=0 (no capture), WARM (seconds after the
# backup started, default 25), CRASH=1 (SIGSTOP + SIGKILL of the master after the window: per-stream wire
# gap over Master_Down_Interval of the backup's takeover), PERF=FILE (perf record -g of the master over the
# window; Vigil's JIT symbols in /tmp/perf-PID.map), STRACE=1 (system calls of the master instead).
# Run as root; documentation addresses only, everything in namespaces of its own, stopped by PID on exit.
set -u
what=$1; secs=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
P=vsl$$-
work=$(mktemp -d /tmp/vigil-scale-lab.XXXXXX)
pids=(); tpid=; bpid=
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 1
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for n in sw r1 r2 c1; do ip netns del "$P$n" 2>/dev/null; done
  true
}
trap cleanup EXIT

ip netns add "${P}sw"; ip -n "${P}sw" link set lo up
ip netns exec "${P}sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
for k in 0 1 2 3; do
  ip -n "${P}sw" link add br$k type bridge mcast_snooping 0 stp_state 0 forward_delay 0
  ip -n "${P}sw" link set br$k up
done
host() { # name last-octet lans
  ip netns add "$P$1"; ip -n "$P$1" link set lo up
  ip netns exec "$P$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
  for k in $(seq 0 $(( $3 - 1 ))); do
    ip link add lan$k netns "$P$1" type veth peer name p-$1-$k netns "${P}sw"
    ip netns exec "$P$1" sysctl -qw net.ipv6.conf.lan$k.accept_dad=0
    if [ $k = 0 ]; then
      ip -n "$P$1" addr add 192.0.2.$2/24 dev lan0; ip -n "$P$1" addr add 2001:db8::$2/64 dev lan0 nodad
    else
      ip -n "$P$1" addr add 192.0.2.$(( 16 * (k + 1) + $2 % 10 ))/28 dev lan$k
      ip -n "$P$1" addr add 2001:db8:$k::$2/64 dev lan$k nodad
    fi
    ip -n "$P$1" link set lan$k up
    ip -n "${P}sw" link set p-$1-$k master br$k up
  done
}
host r1 11 4; host r2 12 4; host c1 100 1

config() { # router_id priority: ScaleBenchmark.config for 510 instances
  printf 'global_defs {\n router_id %s\n}\n' "$1"
  for v in $(seq 1 255); do
    n=$(( v - 1 ))
    if [ $n -lt 254 ]; then v4="203.0.113.$(( n + 1 ))"; else v4="198.51.100.$(( n - 253 ))"; fi
    printf 'vrrp_instance V4_%s {\n state BACKUP\n interface lan0\n virtual_router_id %s\n priority %s\n version 3\n advert_int 1\n virtual_ipaddress {\n  %s/32 dev lan0\n }\n}\n' $v $v $2 $v4
    printf 'vrrp_instance V6_%s {\n state BACKUP\n interface lan0\n virtual_router_id %s\n priority %s\n version 3\n advert_int 1\n virtual_ipaddress {\n  2001:db8:100::%x/128 dev lan0\n }\n}\n' $v $v $2 $v
  done
}
start() { # impl host priority; prints the pid (Vigil: the JVM; keepalived: its parent)
  mkdir -p "$work/$2"
  config "$2" "$3" > "$work/$2/k.conf"
  if [ "$1" = keepalived ]; then
    ip netns exec "$P$2" keepalived -n -l -D -G -f "$work/$2/k.conf" -p "$work/$2/k.pid" -r "$work/$2/vrrp.pid" \
      -c "$work/$2/checkers.pid" -b "$work/$2/bfd.pid" > "$work/$2/out.log" 2>&1 &
  else
    ip netns exec "$P$2" "$1/bin/vigil" -n -l -D -f "$work/$2/k.conf" -p "$work/$2/k.pid" > "$work/$2/out.log" 2>&1 &
  fi
  echo $!
}
mpid=$(start "$what" r1 150); pids+=("$mpid")
sleep 8
case ${PEER:-same} in
  same) bpid=$(start "$what" r2 100);;
  keepalived) bpid=$(start keepalived r2 100);;
esac
[ -n "$bpid" ] && pids+=("$bpid")
if [ "${TCPDUMP:-1}" = 1 ]; then
  ip netns exec "${P}sw" tcpdump -i br0 -B 65536 -s 96 -w "$work/cap.pcap" 'ip proto 112 or ip6 proto 112' > /dev/null 2>&1 &
  tpid=$!; pids+=("$tpid")
fi
sleep "${WARM:-25}"

# the process tree's tasks (keepalived: parent and children)
tasks() { for p in $1 $(pgrep -P "$1"); do ls -d /proc/$p/task/* 2>/dev/null; done; }
# per task: comm utime stime runtime-ns voluntary-switches
snap() {
  for t in $(tasks "$1"); do
    [ -r "$t/stat" ] && echo "$(tr ' ' '_' < "$t/comm") $(sed 's/.*) //' "$t/stat" | awk '{print $12, $13}') \
      $(awk '{print $1}' "$t/schedstat") $(awk '/^voluntary_ctxt/ {print $2}' "$t/status")"
  done
}
sum() { awk '{u[$1]+=$2; s[$1]+=$3; r[$1]+=$4; v[$1]+=$5} END {for (k in u) print k, u[k], s[k], r[k], v[k]}' "$1" | sort; }
report() { # before after label
  join <(sum "$1") <(sum "$2") | awk -v secs="$secs" -v lbl="$3" '{du=$6-$2; ds=$7-$3; dr=$8-$4; dv=$9-$5; U+=du; S+=ds; R+=dr
      if (dr > 1e6) l[$1]=du" "ds" "dr" "dv}
    END {printf "%s: %.3f s CPU/min (ticks: user %.2f, sys %.2f)\n", lbl, R/1e9*60/secs, U/100*60/secs, S/100*60/secs
      for (k in l) {split(l[k], a, " "); printf "   %-18s %.3f s/min (user %.2f sys %.2f) wake-ups/s %.1f\n", k, a[3]/1e9*60/secs, a[1]/100*60/secs, a[2]/100*60/secs, a[4]/secs}}'
}
target=$mpid; [ "$what" = keepalived ] && target=$(cat "$work/r1/vrrp.pid")
snap "$mpid" > "$work/m0"; [ -n "$bpid" ] && snap "$bpid" > "$work/b0"
if [ -n "${PERF:-}" ]; then
  perf record -e cpu-clock -F 999 -g -o "$PERF" -p "$target" -- sleep "$secs" > /dev/null 2>&1
  [ "$what" != keepalived ] && "${JCMD:-jcmd}" "$mpid" Compiler.perfmap > /dev/null
elif [ -n "${STRACE:-}" ]; then
  args=(); for t in $(tasks "$mpid"); do args+=(-p "$(basename "$t")"); done
  timeout -s INT "$secs" strace -c -f "${args[@]}" -o "$work/strace.txt" 2>/dev/null; head -25 "$work/strace.txt"
else
  sleep "$secs"
fi
snap "$mpid" > "$work/m1"; [ -n "$bpid" ] && snap "$bpid" > "$work/b1"
report "$work/m0" "$work/m1" "master $(basename "$what") (peer ${PEER:-same}, tcpdump ${TCPDUMP:-1}) over $secs s"
[ -n "$bpid" ] && report "$work/b0" "$work/b1" "backup"
entries() { grep -c 'Entering MASTER' "$1" 2>/dev/null || true; }
echo "MASTER entries: master $(entries "$work/r1/out.log"), backup $( [ -n "$bpid" ] && entries "$work/r2/out.log")"
if [ -n "$tpid" ]; then
  if [ -n "${CRASH:-}" ] && [ -n "$bpid" ]; then
    kill -STOP "$target" "$mpid"; kill -KILL "$target" "$mpid"; sleep 6
  fi
  kill -INT "$tpid"; wait "$tpid" 2>/dev/null
  python3 "$here/scale-lab-pcap.py" "$work/cap.pcap" ${CRASH:+crash}
fi
