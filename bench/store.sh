#!/usr/bin/env bash
# Store benchmark: write N generated events in batches of 1,000, then a query mix (p50/p99), DB size, peak RSS.
# Usage: bench/store.sh [events, default 1000000] [memory budget MB, default 512] [data dir, default a temp dir]
# Results go in BENCHMARKS.md "## Store".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -q -B test-compile
[ -s target/cp.txt ] || mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt
export MALLOC_ARENA_MAX=2
exec "$JAVA_HOME/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.tern.store.StoreBench "$@"
