# Sourced by the lab's measurement scripts: a network namespace of their own, $ns, with a veth
# pair lan0/lan1 and no peer (nothing leaves it), lan0 192.0.2.1/24; $work a scratch folder; the
# process whose id the script puts in $pid is stopped, and the namespace removed, on exit;
# time_to_first_advert (below) launches a daemon there and times its first advert.
work=$(mktemp -d /tmp/vigil-lab.XXXXXX)
ns=vlab$$
pid=
cleanup() {
  [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null && sleep 1 && kill -KILL "$pid" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip -n "$ns" link add lan0 type veth peer name lan1
ip -n "$ns" link set lo up
ip -n "$ns" link set lan0 up
ip -n "$ns" link set lan1 up
ip -n "$ns" addr add 192.0.2.1/24 dev lan0
ip netns exec "$ns" sysctl -qw net.ipv6.conf.lan0.accept_dad=0
# Launches a daemon in the namespace and times it: environment assignments, then --, then the command
# (run under ip netns exec, output to LOG, in the background); sets $pid and $start, the seconds (3
# decimals) from the launch to the first VRRP packet tcpdump sees on lan1.
#   time_to_first_advert LOG [NAME=VALUE ...] -- COMMAND [ARG ...]
time_to_first_advert() {
  local log=$1 t0 first cap assigns=()
  shift
  while [ "$1" != -- ]; do assigns+=("$1"); shift; done
  shift
  rm -f "$work/cap.txt"
  ip netns exec "$ns" tcpdump -i lan1 -n -tt -c 1 --immediate-mode 'ip proto 112' > "$work/cap.txt" 2>/dev/null &
  cap=$!
  sleep 0.5
  t0=$(date +%s.%N)
  env "${assigns[@]}" ip netns exec "$ns" "$@" > "$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1500); do [ -s "$work/cap.txt" ] && break; sleep 0.01; done
  wait "$cap" 2>/dev/null || true
  first=$(awk '{print $1; exit}' "$work/cap.txt")
  [ -n "$first" ] || { echo "no advert: see $log" >&2; exit 1; }
  start=$(awk -v a="$t0" -v b="$first" 'BEGIN {printf "%.3f", b - a}')
}
