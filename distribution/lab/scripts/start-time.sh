#!/usr/bin/env bash
# Issue 12's start-up budget: start to first advert, cold and warm, several layouts in one run, in turn,
# repeated. One VRRPv3 IPv4 instance at advert_int 0.01 started as BACKUP (priority 100) with no peer,
# alone in a network namespace of its own (alone-in-a-namespace.sh: nothing leaves it); start = launch
# of bin/vigil to the first VRRP packet tcpdump sees on the peer end of the veth (Master_Down_Interval,
# 0.04 s, included), then SIGTERM once it is MASTER. As root.
#   start-time.sh [-r REPEATS] VARIANT ...
# VARIANT is NAME@DIR[:cold|:warm]: the layout in DIR (default distribution/app/target/vigil) with its
# bundle cache in a scratch state directory (VIGIL_STATE_DIR) of its own, emptied before every start
# (:cold, a first start or one after an upgrade) or kept (:warm, the default; one untimed start fills
# it first). A layout without the kept cache (before it existed) ignores VIGIL_STATE_DIR: every start is
# cold. With TIMELINE=1, each start also logs -Dvigil.start.timeline's phases (JVM uptime), printed
# after the table for the run with the median start, with the process's CPU time (all threads) once the
# election core's start level is up: on a shared host a steadier figure than the start itself.
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
repeats=5
while getopts r: o; do
  case $o in
    r) repeats=$OPTARG ;;
    *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- "warm@$here/distribution/app/target/vigil:warm" "cold@$here/distribution/app/target/vigil:cold"
# shellcheck source=alone-in-a-namespace.sh
. "$(dirname "$0")/alone-in-a-namespace.sh"

conf=$work/keepalived.conf
printf 'global_defs {\n router_id jo\n}\nvrrp_instance VI_1 {\n interface lan0\n state BACKUP\n virtual_router_id 51\n priority 100\n advert_int 0.01\n version 3\n virtual_ipaddress {\n  203.0.113.1/24\n }\n}\n' > "$conf"
extra=
[ "${TIMELINE:-0}" = 1 ] && extra=-Dvigil.start.timeline=true

start_once() { # dist state log; sets start
  local dist=$1 state=$2 log=$3
  time_to_first_advert "$log" "VIGIL_STATE_DIR=$state" "VIGIL_EXTRA_JAVA_OPTS=$extra" -- \
      "$dist/bin/vigil" -n -l -f "$conf" -p "$work/vigil.pid"
  for _ in $(seq 1 100); do grep -q "Entering MASTER STATE" "$log" && break; sleep 0.05; done
  # the timeline is logged once the last start level (30, after the core) is reached
  if [ -n "$extra" ] && grep -q "Bundles" "$log"; then
    for _ in $(seq 1 100); do grep -q "Start timeline" "$log" && break; sleep 0.05; done
  fi
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

printf '%s\n' "VRRPv3 instance at 0.01 s, BACKUP start, no peer; start = launch to first advert (Master_Down 0.04 s included); run $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
declare -A S
names=()
for v in "$@"; do
  name=${v%%@*} rest=${v#*@} mode=warm
  case $rest in *:cold) mode=cold rest=${rest%:cold} ;; *:warm) rest=${rest%:warm} ;; esac
  names+=("$name")
  mkdir -p "$work/state-$name"
  if [ "$mode" = warm ]; then
    start_once "$rest" "$work/state-$name" "$work/fill-$name.log"
  fi
done
for i in $(seq 1 "$repeats"); do
  for v in "$@"; do
    name=${v%%@*} rest=${v#*@} mode=warm
    case $rest in *:cold) mode=cold rest=${rest%:cold} ;; *:warm) rest=${rest%:warm} ;; esac
    if [ "$mode" = cold ]; then
      rm -rf "$work/state-$name"; mkdir -p "$work/state-$name"
    fi
    start_once "$rest" "$work/state-$name" "$work/run-$name-$i.log"
    S[$name]+="$start "
    echo "$start $work/run-$name-$i.log" >> "$work/runs-$name"
  done
done
range() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {if (NR == 1) print a[1]; else printf "%s-%s (%s)\n", a[1], a[NR], a[int((NR+1)/2)]}'; }
printf '%-28s %s\n' "variant" "start s, min-max (median) of $repeats, variants interleaved"
for name in "${names[@]}"; do
  printf '%-28s %s\n' "$name" "$(echo "${S[$name]}" | range)"
done
if [ "${TIMELINE:-0}" = 1 ]; then
  echo "process CPU s (all threads) when the election core's start level (20) is up, min-max (median):"
  for name in "${names[@]}"; do
    printf '%-28s %s\n' "$name" "$(awk '{print $2}' "$work/runs-$name" | xargs grep -ho 'level 20 [0-9.]* (CPU [0-9.]*)' 2>/dev/null \
        | sed 's/.*CPU \([0-9.]*\))/\1/' | tr '\n' ' ' | range)"
  done
  for name in "${names[@]}"; do
    median=$(sort -n "$work/runs-$name" | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}')
    echo "== $name, median run: $(grep -h 'Start timeline' "$median" | sed 's/.*Start timeline/timeline/' || echo 'no timeline (layout without it)')"
  done
fi
