#!/usr/bin/env bash
# One signature check: secp256k1-kmp's JNI call against Schnorr.verify (FFM, parsed keys cached), keys repeating
# (20 events per author) and all new, the two calls alternating. Usage: bench/verify.sh [seconds per key set and
# call, default 10] [cache MB, default 8].
# Results go in BENCHMARKS.md, "Import", lever 5.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cp=$(bench/lib/test-classpath.sh)
exec "$(./tern java-home)/bin/java" -Xmx1g --enable-native-access=ALL-UNNAMED -cp "$cp" dev.tern.event.bench.VerifyBench "$@"
