#!/usr/bin/env bash
# Issue 12, one native bundle: what the appliance's classes cost. One VRRPv3 IPv4 instance at
# advert_int 0.01 as master, alone in a network namespace of its own (a veth pair, no peer: nothing
# leaves the namespace), for each appliance given: RSS, threads and the copies of jffi's stub mapped,
# 10 s after MASTER with the appliance's own JVM options; then, in a second run with
# -XX:NativeMemoryTracking=summary, NMT's class metadata (committed, and the metaspace in use) and the
# number of loaded classes. Prints one row per appliance; as root. jcmd comes from the host's JDK,
# which must be the release the bundled runtime was linked from.
#   distribution/lab/scripts/class-metadata.sh [DIST ...]   (default: distribution/app/target/vigil)
set -euo pipefail
here=$(cd "$(dirname "$0")/../../.." && pwd)
dists=("$@")
[ ${#dists[@]} -gt 0 ] || dists=("$here/distribution/app/target/vigil")
# shellcheck source=alone-in-a-namespace.sh
. "$(dirname "$0")/alone-in-a-namespace.sh"

conf=$work/keepalived.conf
printf 'global_defs {\n router_id cm\n}\nvrrp_instance VI_1 {\n interface lan0\n state MASTER\n virtual_router_id 51\n priority 150\n advert_int 0.01\n version 3\n virtual_ipaddress {\n  203.0.113.1/24\n }\n}\n' > "$conf"

start() { # dist extra-JVM-options: runs until 10 s after MASTER, leaves $pid running
  local dist=$1 extra=$2 defaults
  defaults=$(sed -n 's/^JAVA_OPTS=\${VIGIL_JAVA_OPTS:-"\(.*\)"}$/\1/p' "$dist/bin/vigil")
  [ -n "$defaults" ] || { echo "no default JVM options in $dist/bin/vigil" >&2; exit 1; }
  VIGIL_JAVA_OPTS="$defaults $extra" ip netns exec "$ns" "$dist/bin/vigil" -n -l -f "$conf" \
      -p "$work/vigil.pid" > "$work/out.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do grep -q "Entering MASTER STATE" "$work/out.log" && break; sleep 0.1; done
  grep -q "Entering MASTER STATE" "$work/out.log" || { echo "no MASTER from $dist: see $work/out.log" >&2; exit 1; }
  sleep 10
}
stop() {
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

printf '%s\n' "One VRRPv3 instance at 0.01 s, master, 10 s after MASTER; run $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) cores"
printf '%-44s %8s %8s %6s %14s %14s %9s\n' "appliance" "RSS MB" "threads" "jffi" "metaspace MB" "in use MB" "classes"
for dist in "${dists[@]}"; do
  start "$dist" ""
  rss=$(awk '/VmRSS/ {printf "%.1f", $2/1024}' /proc/$pid/status)
  threads=$(ls /proc/$pid/task | wc -l)
  # each class loader that loads jffi extracts and maps its own copy of the stub
  jffi=$(grep -o '/[^ ]*jffi[^ ]*' /proc/$pid/maps | sort -u | wc -l || true)
  stop
  start "$dist" "-XX:NativeMemoryTracking=summary"
  jcmd "$pid" VM.native_memory summary scale=KB > "$work/nmt.txt"
  stop
  # -  Class (reserved=..., committed=...)
  #          (classes #5733)
  #          (  Metadata:   )  (    reserved=65536KB, committed=4992KB)  (    used=4578KB)
  #          (  Class space:)  (    reserved=1048576KB, committed=1088KB)  (    used=856KB)
  # (classes mapped from the CDS archives are counted, their metadata lives in the mapped archive)
  classes=$(awk '/\(classes #/ {sub(/.*#/, ""); sub(/\).*/, ""); print; exit}' "$work/nmt.txt")
  class=$(awk '/- +Class \(/ {c=1} c && /\( +reserved=.*committed=/ {sub(/.*committed=/, ""); sub(/KB.*/, ""); s += $0} /- +Thread \(/ {c=0} END {printf "%.1f", s/1024}' "$work/nmt.txt")
  used=$(awk '/- +Class \(/ {c=1} c && /used=/ {sub(/.*used=/, ""); sub(/KB.*/, ""); s += $0} /- +Thread \(/ {c=0} END {printf "%.1f", s/1024}' "$work/nmt.txt")
  name=$(basename "$(cd "$dist/.." && pwd)")/$(basename "$dist")
  printf '%-44s %8s %8s %6s %14s %14s %9s\n' "$name" "$rss" "$threads" "$jffi" "$class" "$used" "$classes"
done
echo "RSS, threads, jffi (copies of jffi's stub mapped) from /proc in the first run; metaspace MB (committed) and in use MB (used), metadata plus class space, and classes (loaded, CDS-mapped ones included) from jcmd VM.native_memory summary in a second run with -XX:NativeMemoryTracking=summary."
