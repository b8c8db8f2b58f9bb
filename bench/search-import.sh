#!/usr/bin/env bash
# Search's cost in an import (issue 19: the import with search on at >= 85% of the rate with search off, in the same
# run): PAIRS pairs of imports of FILE into empty stores, search off and on, the order swapped every pair (off first,
# then on first) so that a drift of the machine during a pair does not always favour one side. Prints each import's
# rate (the report's events_per_second: the import phase, without the bulk load's finish), CPU, CPU per event, peak
# RSS (bench/lib/peak-rss.sh) and, from bench/lib/thread-cpu.sh where the import workers stopped, the index threads'
# CPU (indexer, helpers, Lucene's merges) over the workers' (the drift-resistant figure: the workers do the same work in
# every run) and the JIT's C2; then each pair's ratio (on / off) and their median.
# Env: FILE (default: the generated 2.16M-event file, bench/import.sh's), PAIRS (default 2), BENCH_TERN (the launcher
#      to run, default this checkout's ./tern: a frozen copy keeps a rebuild out of the timing), BENCH_OUT,
#      IMPORT_ARGS (more arguments for tern import, e.g. --memory 256), KEEP (1: keep each store as
#      BENCH_OUT/search-import/db-pairN-on|off, e.g. for `STORE=... bench/search.sh`; by default each is deleted).
# Run it under the machine's benchmark lock, nothing else running.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${BENCH_OUT:-$here/bench/out}/search-import
file=${FILE:-${BENCH_OUT:-$here/bench/out}/wot-2160000.jsonl}
tern=${BENCH_TERN:-$here/tern}
pairs=${PAIRS:-2}
mkdir -p "$out"
[ -s "$file" ] || { echo "no $file: run bench/import.sh once (it generates it) or set FILE" >&2; exit 2; }
"$tern" help >/dev/null # builds the jar first if the sources changed, outside the timing

# run LABEL on|off: one import; its figures go to $out/LABEL.*
run() {
  local label=$1 search=$2 db=$out/db-$1
  rm -rf "$db"
  echo "== $label: tern import --search $search ${IMPORT_ARGS:-} $file   ($(date -u +%H:%M:%S) UTC, load $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086
  "$tern" import --data-dir "$db" --search "$search" --progress-seconds 600 --report "$out/$label.json" ${IMPORT_ARGS:-} "$file" \
    >"$out/$label.log" 2>&1 &
  local pid=$! # the launcher execs the JVM
  "$here/bench/lib/peak-rss.sh" "$pid" >"$out/$label.rss" &
  "$here/bench/lib/thread-cpu.sh" "$pid" "$out/$label.threads" &
  wait "$pid" || { tail -20 "$out/$label.log" >&2; return 1; }
  wait
  local index=""
  [ -d "$db/search" ] && index=", index $(du -sm "$db/search" | cut -f1) MB"
  [ "${KEEP:-}" = 1 ] || rm -rf "$db"
  json() { sed -n "s/.*\"$1\" : \([0-9.]*\).*/\1/p" "$out/$label.json"; }
  printf '  %s events/s, %s s, CPU %s s (%s us per event), %s%s; load after %s\n' "$(json events_per_second)" \
    "$(json elapsed_seconds)" "$(json cpu_seconds)" "$(json cpu_us_per_event)" "$(cat "$out/$label.rss")" "$index" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
  grep -E 'bulk load finished|merged into one segment' "$out/$label.log" | sed 's/^.* - /  /' || true
  # thread groups' CPU at the last sample where the workers' CPU still grew (the import phase's end)
  awk '{ cpu[$1] = cpu[$1] " " $2 "=" $3; if ($2 ~ /^import-worker/) w[$1] += $3 }
       END { for (t in w) if (w[t] > best || (w[t] == best && t + 0 < at + 0)) { best = w[t]; at = t }
             n = split(cpu[at], kv, " ")
             for (i = 1; i <= n; i++) { split(kv[i], p, "="); g = p[1]; c = p[2]
               if (g ~ /^import-worker/) workers += c; else if (g ~ /^search-indexer/ || g ~ /^Lucene_Merge/) idx += c
               else if (g ~ /^C2_/) c2 += c }
             printf "  threads at the import phase'"'"'s end (%d s): workers %.1f s, index %.1f s (%.3f of the workers), C2 %.1f s\n",
               at, workers, idx, idx / workers, c2 }' "$out/$label.threads"
}

ratios=()
for ((p = 1; p <= pairs; p++)); do
  if ((p % 2)); then order="off on"; else order="on off"; fi
  for s in $order; do run "pair$p-$s" "$s"; done
  rate() { sed -n 's/.*"events_per_second" : \([0-9.]*\).*/\1/p' "$out/pair$p-$1.json"; }
  r=$(awk -v on="$(rate on)" -v off="$(rate off)" 'BEGIN { printf "%.1f", 100 * on / off }')
  ratios+=("$r")
  echo "pair $p ($order): search on at $r% of off"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END { m = NR % 2 ? r[(NR + 1) / 2] : (r[NR / 2] + r[NR / 2 + 1]) / 2
  printf "median of %d pairs: %.1f%% (target: at least 85%%)\n", NR, m }'
