#!/bin/sh
# Package time: the appliance's own Java runtime, jlinked from the build's JDK with only the modules
# Vigil loads (distribution/app/pom.xml, vigil.runtime.modules, says why each is there).
#   runtime.sh JDK_HOME MODULES OUTPUT
set -eu
jdk=$1 modules=$2 out=$3
rm -rf "$out"
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
    --generate-cds-archive --output "$out"
# Not needed at run time: the archive for heaps over 32 GB, and the tools besides java.
rm -f "$out/lib/server/classes_nocoops.jsa" "$out/bin/keytool" "$out/bin/rmiregistry"
echo "runtime: $("$out/bin/java" -version 2>&1 | head -1), modules $modules, $(du -sh "$out" | cut -f1)"
