#!/usr/bin/env bash
# Sync benchmark (NIP-77): two stores made from one generated file, each lacking a different 1% of it (lines with
# n % 100 == 0 are missing from A, n % 100 == 50 from B). `tern serve` runs on B; `tern sync --direction both`
# runs on A under /usr/bin/time -v. Prints wall time, rounds, what each side lacked, bytes each way (all of it,
# and the negentropy messages alone, whose ratio to the differences x 32 bytes shows how close reconciliation
# comes to sending just the differing ids, hex-encoded: 2.0 would be exactly that), and the peak RSS of both.
# BENCH_EVENTS (default 200000) sets the file's size; BENCH_MEMORY (default 512) both processes' --memory.
# BENCH_SYNC_ARGS: more arguments for tern sync (e.g. --dry-run, to time the reconciliation alone).
# BENCH_STORE_A and BENCH_STORE_B: stores prepared otherwise (copied for each run, never written), instead of the
# two imports (for example one import plus a small import of different lines into each copy).
# BENCH_AUTH (default 1): the operator syncing their own relays: the relay lists a key in TERN_ADMINS and the sync
# authenticates with it (NIP-42), which exempts its uploads from the relay's event rates; 0: an anonymous sync.
# BENCH_SERVE_ARGS: more arguments for tern serve. BENCH_TERN: the launcher to run (default this checkout's ./tern),
# to time another build on the same stores.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${BENCH_OUT:-$here/bench/out}
events=${BENCH_EVENTS:-200000}
memory=${BENCH_MEMORY:-512}
file=$out/wot-$events.jsonl
tern=${BENCH_TERN:-$here/tern}
# secret key 1 and its public key (the curve's generator): a fixed operator key for the benchmark only
sync_key=0000000000000000000000000000000000000000000000000000000000000001
sync_pub=79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798
serve_auth=() sync_auth=()
if [ "${BENCH_AUTH:-1}" = 1 ]; then serve_auth=(--admins "$sync_pub"); sync_auth=(--auth-key "$sync_key"); fi
work=$out/sync
mkdir -p "$out" "$work"

"$here/bench/lib/gnu-time.sh"
store_a=${BENCH_STORE_A:-$work/a-$events}
store_b=${BENCH_STORE_B:-$work/b-$events}
if [ ! -d "$store_a" ] || [ ! -d "$store_b" ]; then
  if [ ! -s "$file" ]; then
    echo "generating $file ..." >&2
    "$tern" gen --events "$events" --seed 1 -o "$file.tmp"
    mv "$file.tmp" "$file"
  fi
  rm -rf "$work/a-$events" "$work/b-$events"
  awk 'NR % 100 != 0' "$file" >"$work/a.jsonl"
  awk 'NR % 100 != 50' "$file" >"$work/b.jsonl"
  echo "importing the two stores (unverified: the file is our own) ..." >&2
  "$tern" import --no-verify --data-dir "$work/a-$events" --memory "$memory" "$work/a.jsonl" >/dev/null 2>"$work/import-a.log"
  "$tern" import --no-verify --data-dir "$work/b-$events" --memory "$memory" "$work/b.jsonl" >/dev/null 2>"$work/import-b.log"
  rm -f "$work/a.jsonl" "$work/b.jsonl"
fi
# each run syncs copies, so the stores stay 1% apart for the next run
rm -rf "$work/a" "$work/b"
cp -r "$store_a" "$work/a"
cp -r "$store_b" "$work/b"

"$tern" serve --data-dir "$work/b" --listen 127.0.0.1 --port 0 --memory "$memory" "${serve_auth[@]}" ${BENCH_SERVE_ARGS:-} >"$work/serve.out" 2>"$work/serve.log" &
serve=$!
trap 'kill "$serve" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 1 3000); do
  port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\)).*/\1/p' "$work/serve.out" "$work/serve.log" | head -1)
  [ -n "$port" ] && break
  kill -0 "$serve" 2>/dev/null || { tail -20 "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$port" ] || { echo "tern serve did not listen within 300 s" >&2; exit 1; }

# the relay's peak resident memory, anonymous and file-backed apart (Lucene's mmapped index files are page cache the
# kernel may drop, but count in RSS while mapped)
serve_java=$(pgrep -P "$serve" java || echo "$serve")
( while kill -0 "$serve_java" 2>/dev/null; do
    awk '/RssAnon|RssFile/ {printf "%s %d ", $1, $2 / 1024} END {print ""}' "/proc/$serve_java/status" 2>/dev/null
    sleep 0.5
  done ) >"$work/serve-rss.txt" &
echo "== $tern sync ws://127.0.0.1:$port --direction both --memory $memory ${sync_auth[*]:+(authenticated as an admin) }($events events, load before: $(cut -d' ' -f1-3 /proc/loadavg))" >&2
/usr/bin/time -v "$tern" sync "ws://127.0.0.1:$port/" --data-dir "$work/a" --memory "$memory" --direction both \
  "${sync_auth[@]}" ${BENCH_SYNC_ARGS:-} >"$work/sync.out" 2>"$work/sync.log" || { cat "$work/sync.out"; tail -20 "$work/sync.log" >&2; exit 1; }
server_rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$serve_java/status" 2>/dev/null || echo "?")
kill "$serve"
wait "$serve" 2>/dev/null || true
trap - EXIT

cat "$work/sync.out"
num() { sed -n "s/^  $1  *\([0-9,]*\)$/\1/p" "$work/sync.out" | tr -d ','; }
have=$(num "only here (have)"); need=$(num "only there (need)")
negsent=$(num "negentropy bytes sent"); negrecv=$(num "negentropy bytes received")
sent=$(num "bytes sent"); recv=$(num "bytes received"); rounds=$(num "negentropy rounds")
server_split=$(awk '{if ($2 > a) a = $2; if ($4 > f) f = $4} END {printf "anon %d, file %d", a, f}' "$work/serve-rss.txt")
wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/sync.log")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/sync.log")
awk -v e="$events" -v m="$memory" -v w="$wall" -v r="$rounds" -v h="$have" -v n="$need" -v s="$sent" -v rv="$recv" \
  -v ns="$negsent" -v nr="$negrecv" -v crss="$((rss / 1024))" -v srss="$server_rss" -v peaks="$server_split" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  printf "sync %d events, --memory %d: wall %s, %d rounds, have %d, need %d; bytes sent %d, received %d; negentropy sent %d, received %d: %.2f x (differences x 32 bytes); peak RSS client %d MB, server %s MB (peaks: %s MB); load after %s\n",
    e, m, w, r, h, n, s, rv, ns, nr, (ns + nr) / ((h + n) * 32), crss, srss, peaks, load }'
