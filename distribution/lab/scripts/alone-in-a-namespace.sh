# Sourced by the lab's measurement scripts: a network namespace of their own, $ns, with a veth
# pair lan0/lan1 and no peer (nothing leaves it), lan0 192.0.2.1/24; $work a scratch folder; the
# process whose id the script puts in $pid is stopped, and the namespace removed, on exit.
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
