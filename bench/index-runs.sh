#!/usr/bin/env bash
# Issue 22, lever 1's ceiling: the cost per key of one index family's keys through the bulk-load path before lever 1
# (a vector memtable, then a flush that sorts and builds an L0 file) against sorted runs written in Java with SstFileWriter
# (bench/import/IndexRunCost.java), on the keys of a real import replayed in serial order. STORE is a store made by
# bench/import.sh (default bench/out/db-default), FAMILY the index family (default idx_tag, two thirds of the index
# keys), CHUNK the keys per flush (default 200000: what one flush of a 2.16M-event import at the default budget
# holds), EVENTS whose keys to replay (serials 1 to EVENTS, default 500000; the benchmark holds their keys on its heap).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
store=${STORE:-bench/out/db-default}
[ -d "$store" ] || { echo "no store at $store: run bench/import.sh first, or set STORE" >&2; exit 2; }
./tern version >/dev/null   # builds the jar if needed
echo "store: $store; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
"$(./tern java-home)/bin/java" -Xmx3g --enable-native-access=ALL-UNNAMED -cp target/tern.jar \
  bench/import/IndexRunCost.java "$store" "${FAMILY:-idx_tag}" "${CHUNK:-200000}" "${EVENTS:-500000}" "$here/bench/out"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
