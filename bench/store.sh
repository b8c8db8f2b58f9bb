#!/usr/bin/env bash
# Store benchmark: write N generated events in batches of 1,000, then a query mix (p50/p99), DB size, peak RSS.
# Usage: bench/store.sh [events, default 1000000] [memory budget MB, default 512] [data dir, default a temp dir]
# Results go in BENCHMARKS.md "## Store".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cp=$(bench/lib/test-classpath.sh)
export MALLOC_ARENA_MAX=2
exec "$(./tern java-home)/bin/java" -Xmx512m --enable-native-access=ALL-UNNAMED -cp "$cp" dev.tern.store.StoreBench "$@"
