#!/usr/bin/env bash
# Event-core micro-benchmark (parse+canonicalize+hash, verify, both; 1 and 2 threads).
# Usage: bench/event.sh [seconds per measurement, default 5]. Results go in BENCHMARKS.md "## Event core".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cp=$(bench/lib/test-classpath.sh)
exec "$(./tern java-home)/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$cp" dev.tern.event.bench.EventBench "$@"
