#!/bin/sh
# Package time: the AppCDS archive lib/vigil.jsa, written by a training run of the built layout with its
# bundled runtime: the daemon on the simulated LAN (no root, no real interface) with the sample
# configuration until its instance is MASTER, then SIGTERM; the JVM writes the classes it loaded (the
# launcher's, Felix's, and the bundles' own, which CDS keeps for any class loader) at exit.
# bin/vigil uses the archive with the bundled runtime only (another JVM cannot map it).
#   cds.sh LAYOUT_DIR ARCHIVE
set -eu
home=$1 archive=$2
java=$home/runtime/bin/java
[ -x "$java" ] || { echo "cds: no bundled runtime in $home" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$archive")"
rm -f "$archive"
port=$(( 20000 + $$ % 20000 ))
# The same JVM options as bin/vigil, so that the archive matches what runs. The bundle cache of the
# training run stays in the scratch folder, out of the layout.
VIGIL_STATE_DIR="$work/state" VIGIL_CDS_TRAINING="-XX:ArchiveClassesAtExit=$archive" "$home/bin/vigil" -n -l -f "$home/etc/keepalived.conf" \
    -p "$work/vigil.pid" --sim-lan "$port" --sim-node training --sim-interface "lan0 192.0.2.11/24" \
    >"$work/log" 2>&1 &
pid=$!
i=0
until grep -q 'Entering MASTER STATE' "$work/log" 2>/dev/null; do # the log may not be there yet
    i=$((i + 1))
    if [ $i -gt 600 ] || ! kill -0 $pid 2>/dev/null; then
        echo "cds: the training run did not become MASTER in 60 s:" >&2
        cat "$work/log" >&2
        kill -TERM $pid 2>/dev/null || true
        exit 1
    fi
    sleep 0.1
done
kill -TERM $pid
wait $pid || true
[ -s "$archive" ] || { echo "cds: no archive written:" >&2; cat "$work/log" >&2; exit 1; }
cp "$archive" "$home/lib/vigil.jsa"
echo "cds: $archive, $(du -k "$archive" | cut -f1) kB"
