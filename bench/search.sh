#!/usr/bin/env bash
# NIP-50 search benchmark: a generated file (tern gen, EVENTS events, default 2160000; symlink an existing one, or a
# prefix of one, to bench/out/search/events-N.jsonl to skip generating it) imported with search off and then on, back
# to back in the same run, with each one's peak RSS split into anonymous and file pages; the index's size; `tern
# reindex`'s rate and peak RSS; search latency p50/p99 for one word, two words and a phrase with limit 20, alone and
# with authors or kinds (bench/search/SearchBench.java, in process; ROUNDS per shape, default 500, on THREADS threads
# at once, default 1). STORE=DIR runs the latency part alone on that store and its index (a copy: the bench may
# remove hits the store has dropped). The bench runs compiled beforehand, under the relay's JVM flags at
# TERN_MEMORY_MB (default 512): the source launcher's in-process compiler filled the metaspace, a full collection
# during timing, and the default flags are not the relay's heap.
# Work files go to bench/out/search.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$here/bench/out/search
events=${EVENTS:-2160000}
mkdir -p "$work"
cd "$here"
./tern version >/dev/null   # builds the jar if needed
java="$(./tern java-home)/bin/java"
"$(./tern java-home)/bin/javac" -nowarn -cp target/tern.jar -d "$work/classes" bench/search/SearchBench.java
# shellcheck disable=SC2046
latency() { MALLOC_ARENA_MAX=2 "$java" $(./tern jvm-flags serve) -cp "target/tern.jar:$work/classes" SearchBench "$1" "${ROUNDS:-500}" "${THREADS:-1}"; }
if [ -n "${STORE:-}" ]; then
  echo "store: $STORE; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
  latency "$STORE"
  exit
fi
file=$work/events-$events.jsonl
[ -s "$file" ] || ./tern gen --events "$events" --seed 1 --output "$file" >&2
echo "input: $file, $events events, $(($(stat -c %s "$file") / 1000000)) MB; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

import() {
  local label=$1 search=$2 db=$work/db-$1
  rm -rf "$db"
  ./tern import --data-dir "$db" --search "$search" --progress-seconds 60 \
    --report "$work/report-$label.json" "$file" >"$work/import-$label.out" 2>"$work/import-$label.log" &
  bench/lib/peak-rss.sh $! >"$work/rss-$label"
  wait $! || { tail -20 "$work/import-$label.log" >&2; exit 1; }
  sed -n 's/.*"events_per_second" : //p' "$work/report-$label.json" | tr -d ','
}
off=$(import off off)
on=$(import on on)
awk -v off="$off" -v on="$on" 'BEGIN { printf "import: search off %s events/s, search on %s events/s (%.0f%%)\n", off, on, 100 * on / off }'
echo "import: search off $(cat "$work/rss-off"); search on $(cat "$work/rss-on")"
echo "store $(du -sm "$work/db-on" --exclude=search | cut -f1) MB, search index $(du -sm "$work/db-on/search" | cut -f1) MB"
./tern reindex --data-dir "$work/db-on" >"$work/reindex.log" 2>&1 &
bench/lib/peak-rss.sh $! >"$work/rss-reindex"
wait $!
grep '^reindexed' "$work/reindex.log" | sed 's/^reindexed/reindex: reindexed/'
echo "reindex: $(cat "$work/rss-reindex")"
latency "$work/db-on" 2>"$work/bench.log"
