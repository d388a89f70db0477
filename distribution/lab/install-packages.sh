#!/usr/bin/env bash
# Installs what the network-namespace lab tests (distribution/lab) need from Debian:
# keepalived as the reference peer, tcpdump/tshark for captures, iproute2, nftables, ping,
# libpcap0.8 for driver-pcap (pcap4j loads libpcap.so.0.8 through JNA), curl and python3 for the
# vrrp_script test (a python3 -m http.server checked by curl), stress-ng for the soak benchmark, and rt-tests (cyclictest), which measures the
# machine's own scheduling stalls beside it; redis-server for the REDIS_CHECK example (distribution/examples); haproxy for the checker benchmark; conntrack (conntrack-tools) for the nftables
# load balancer, which deletes a dead real server's connections with conntrack -D; chromium (headless) for the status page test;
# debootstrap and systemd-container (systemd-nspawn) for the .deb install test (DebInstallLabIT boots a fresh bookworm).
# Run as root: installs missing packages (one apt-get update first). Without root: a note only,
# the lab tests then skip themselves (or fail under CI=true).
set -euo pipefail

packages=(keepalived tcpdump tshark iproute2 nftables iputils-ping libpcap0.8 curl python3 stress-ng rt-tests redis-server dnsmasq haproxy openssl conntrack chromium debootstrap systemd-container)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ ${#missing[@]} -eq 0 ]; then
    echo "lab packages: all present (${packages[*]})"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "lab packages: missing ${missing[*]}; not root, so nothing installed (the lab tests will be skipped)"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "lab packages: missing ${missing[*]}; no apt-get on this system, nothing installed"
    exit 0
fi

echo "lab packages: missing ${missing[*]}; running apt-get update and apt-get install"
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y "${packages[@]}"
echo "lab packages: installed ${missing[*]}"
