#!/usr/bin/env bash
# Compiles the main and test classes and prints their classpath with the dependencies', for the benchmarks that
# run test-side classes (bench/event.sh, bench/store.sh). Maven's own output is shown only if it fails; the first
# run on a fresh clone downloads the dependency plugin (Maven runs online).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
command -v mvn >/dev/null || { echo "Maven (mvn) is needed (Debian/Ubuntu: sudo apt-get install maven)" >&2; exit 1; }
JAVA_HOME=$(./tern java-home); export JAVA_HOME
log=$(mktemp)
trap 'rm -f "$log"' EXIT
mvn -q -B -Dstyle.color=never test-compile >"$log" 2>&1 || { cat "$log" >&2; echo "bench: compiling the tests failed (Maven's output above)" >&2; exit 1; }
if [ ! -s target/cp.txt ]; then
  mvn -q -B -Dstyle.color=never dependency:build-classpath -Dmdep.outputFile=target/cp.txt >"$log" 2>&1 \
    || { cat "$log" >&2; echo "bench: resolving the classpath failed (Maven's output above)" >&2; exit 1; }
fi
echo "target/classes:target/test-classes:$(cat target/cp.txt)"
