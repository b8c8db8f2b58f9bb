#!/usr/bin/env bash
# Import benchmark: 2.16 M WoT-like events (about 2.7 GB JSONL) into an empty store, verified, with the
# default budget and then with --memory 256, under /usr/bin/time -v. The generated file is cached in
# bench/out/ (gitignored). Prints events/s, MB/s, wall time, peak RSS, DB size and the rate of each tenth, and the
# import's CPU per event with the rate it allows when every core is busy (the CPU-bound ceiling of the code).
# First it runs the event core (bench/event.sh) and prints each import's ratio to its 2-thread full-check rate
# (parse + canonicalize + hash + verify), the figure issue 22's targets are stated against. Each import's CPU is
# also split by thread (bench/lib/thread-cpu.sh), RocksDB's flushes and compactions among them.
# Env: FILE (import this file instead of the generated one), LINES (import only the first LINES lines of the
#      file, cached as its own file; default all),
#      RUNS (which imports, default "default mem256"; also "noverify": default budget with --no-verify; "upload":
#      POST /api/import into a running relay, compared with the default run before it; UPLOAD_PORT, default 3391),
#      EVENT_SECONDS (bench/event.sh's seconds per measurement, default 2).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${BENCH_OUT:-$here/bench/out}
events=${BENCH_EVENTS:-2160000}
file=${FILE:-$out/wot-$events.jsonl}
mkdir -p "$out"

"$here/bench/lib/gnu-time.sh"

if [ ! -s "$file" ]; then
  echo "generating $file ..." >&2
  "$here/tern" gen --events "$events" --seed 1 -o "$file.tmp"
  mv "$file.tmp" "$file"
fi
if [ -n "${LINES:-}" ]; then
  part=$out/$(basename "$file" .jsonl)-head$LINES.jsonl
  [ -s "$part" ] || { head -n "$LINES" "$file" >"$part.tmp" && mv "$part.tmp" "$part"; }
  file=$part
fi
size=$(stat -L -c %s "$file")

echo "event core: bench/event.sh ${EVENT_SECONDS:-2}   (load before: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
# shown as it ran, then read (tee to /dev/stderr would write over stderr when it is a file)
event_core=$("$here/bench/event.sh" "${EVENT_SECONDS:-2}")
echo "$event_core" >&2
core=$(awk '$1 == "parse+canonicalize+hash+verify" && $2 == 2 { print $3 }' <<<"$event_core")
[ -n "$core" ] || { echo "bench/event.sh printed no 2-thread full-check rate" >&2; exit 1; }
echo "event core, 2-thread full check: $core events/s"

run() {
  local label=$1; shift
  local db=$out/db-$label log=$out/import-$label.log
  rm -rf "$db"
  echo "== $label: tern import $* $file   (load before: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  /usr/bin/time -v "$here/tern" import --data-dir "$db" --progress-seconds 10 --report "$out/report-$label.json" "$@" "$file" \
    >"$out/import-$label.out" 2>"$log" &
  local timed=$! tern=""
  until [ -n "$tern" ] || ! kill -0 "$timed" 2>/dev/null; do tern=$(pgrep -P "$timed" || true); done
  [ -n "$tern" ] && "$here/bench/lib/thread-cpu.sh" "$tern" "$out/threads-$label" &
  wait "$timed" || { tail -20 "$log" >&2; return 1; }
  wait
  local wall rss dbsize
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
  dbsize=$(du -sm "$db" | cut -f1)
  printf '%s: %s events/s, %s MB/s (import phase), wall %s (incl. JVM start and final compaction), peak RSS %d MB, DB %d MB, load after: %s\n' \
    "$label" "$(sed -n 's/.*"events_per_second" : //p' "$out/report-$label.json" | tr -d ',')" \
    "$(sed -n 's/.*"mb_per_second" : //p' "$out/report-$label.json" | tr -d ',')" "$wall" $((rss / 1024)) "$dbsize" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  awk -v l="$label" -v r="$(sed -n 's/.*"events_per_second" : //p' "$out/report-$label.json" | tr -d ',')" -v c="$core" \
    'BEGIN { printf "  %s: %.1f%% of the event core'"'"'s 2-thread full-check rate (%s events/s)\n", l, 100 * r / c, c }'
  local cpu
  cpu=$(sed -n 's/.*"cpu_us_per_event" : //p' "$out/report-$label.json" | tr -d ',')
  [ -n "$cpu" ] && [ "$cpu" != null ] && awk -v l="$label" -v c="$cpu" -v n="$(nproc)" \
    'BEGIN { printf "  %s CPU %s us per event (whole process, import phase): %d cores allow at most %.0f events/s\n", l, c, n, n * 1e6 / c }'
  grep -o 'tenth [0-9]*/10 of the input: [0-9,]* events/s' "$log" | sed "s/^/  $label /"
  grep -E 'bulk load finished' "$log" | sed "s/^.* - /  $label /"
  # where the CPU went, by thread: the import's workers, the store's writer, RocksDB's flushes (rocksdb:high) and
  # compactions (rocksdb:low), search, the JIT
  cpu_by_thread "$label"
}

# cpu_by_thread LABEL: the eight threads (by name, numbers dropped) that took the most CPU in bench/lib/thread-cpu.sh's file
cpu_by_thread() {
  if [ -s "$out/threads-$1" ]; then
    echo "  $1 CPU seconds by thread: $(awk '{ cpu[$2] = $3 } END { for (g in cpu) print cpu[g], g }' "$out/threads-$1" |
      sort -rn | head -8 | awk '{ printf "%s%s %s", (NR > 1 ? ", " : ""), $2, $1 }')"
  fi
}

# upload: the same file through POST /api/import into a `tern serve` of the default budget on a loopback port, a fresh
# store, waiting for the import's end; prints the status's rate, the upload's wall time and its ratio to the offline
# import's (the default run, when it ran before it). The relay's search follows TERN_SEARCH, as the import's does.
upload() {
  local db=$out/db-upload log=$out/serve-upload.log port=${UPLOAD_PORT:-3391} relay id t0 t1 state wall rate
  rm -rf "$db"
  echo "== upload: POST /api/import $file   (load before: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  "$here/tern" serve --data-dir "$db" --port "$port" >"$log" 2>&1 &
  relay=$!
  until curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; do
    kill -0 "$relay" 2>/dev/null || { tail -20 "$log" >&2; return 1; }
    sleep 0.2
  done
  "$here/bench/lib/peak-rss.sh" "$relay" >"$out/rss-upload" &
  "$here/bench/lib/thread-cpu.sh" "$relay" "$out/threads-upload" &
  t0=$(date +%s.%N)
  id=$(curl -fs -F "file=@$file" "http://127.0.0.1:$port/api/import" | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
  until curl -fs "http://127.0.0.1:$port/api/import/$id" >"$out/report-upload.json" \
      && state=$(grep -oE '"state":"(complete|failed|truncated)"' "$out/report-upload.json"); do
    sleep 1
  done
  t1=$(date +%s.%N)
  kill "$relay"; wait "$relay" || true; wait
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
  rate=$(grep -o '"events_per_second":[0-9.]*' "$out/report-upload.json" | tail -1 | cut -d: -f2)
  printf 'upload: %s events/s (the status'"'"'s), wall %.1f s from the upload'"'"'s start to its %s, relay %s, load after: %s\n' \
    "$rate" "$wall" "${state#*:}" "$(cat "$out/rss-upload")" "$(cut -d' ' -f1-3 /proc/loadavg)"
  cpu_by_thread upload
  if [ -s "$out/import-default.log" ]; then
    local offline
    offline=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$out/import-default.log" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    awk -v o="$offline" -v u="$wall" -v upload_rate="$rate" \
      -v offline_rate="$(sed -n 's/.*"events_per_second" : //p' "$out/report-default.json" | tr -d ',')" \
      'BEGIN { printf "  upload: %.1f%% as fast as the offline import by wall time (its %.1f s: JVM start and end of the load included), %.1f%% by the rates of the import phases\n", 100 * o / u, o, 100 * upload_rate / offline_rate }'
  fi
}

echo "input: $file, $(wc -l <"$file") lines, $((size / 1000000)) MB; machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GB" >&2
for label in ${RUNS:-default mem256}; do
  case $label in
    default) run default ;;
    mem256) run mem256 --memory 256 ;;
    noverify) run noverify --no-verify ;;
    upload) upload ;;
    *) echo "unknown run '$label' (default, mem256, noverify, upload)" >&2; exit 2 ;;
  esac
done
