#!/usr/bin/env bash
# Event-core micro-benchmark (parse+canonicalize+hash, verify, both; 1 and 2 threads).
# Usage: bench/event.sh [seconds per measurement, default 5]. Results go in BENCHMARKS.md "## Event core".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -q -B test-compile
[ -s target/cp.txt ] || mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/cp.txt
exec "$JAVA_HOME/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED \
  -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.tern.event.bench.EventBench "$@"
