#!/usr/bin/env bash
# REQ latency as node.js clients see it (issue 17): a `ws` client (bench/reads/reads.mjs) sends the five query
# types of the issue, one REQ at a time, offering permessage-deflate (as browsers and node do) and not, with one
# client and then CLIENTS clients at once; p50/p99 from REQ sent to EOSE received, by query type.
# The store is read into the OS page cache before the relay starts.
# With URL it reads from another relay already running (strfry, for a same-machine baseline) instead of tern serve.
# Env: EVENTS  the size of the generated file and store when FILE and STORE are not given (default 2160000): the file
#              is bench/out/wot-EVENTS.jsonl (tern gen --seed 1, shared with bench/import.sh and bench/sync.sh), the
#              store bench/out/reads/store-EVENTS (tern import of it), each made once
#      FILE    the events file the store holds, for the picked authors/#p/ids, instead of the generated one
#      STORE   a store holding FILE, copied once into bench/out/reads/store-NAME (never written) and its search index
#              rebuilt there (tern reindex), instead of the import
#              (on the lead's machine: STORE=/work/benchout/db-default FILE=/work/benchout/wot-2160000.jsonl)
#      MEMORY  budgets (MB) to run, one relay each (default "512 256")
#      RUNS    deflate:clients pairs (default "on:1 off:1 on:50 off:50")
#      PER_TYPE timed REQs of each type (default 400); WARMUP untimed REQs of each type per client (default 20,
#               and 2 per client when several run at once)
#      TERN    the launcher to run (default ./tern; another checkout's for before/after runs)
#      TYPES   the query types to run, by number (default "1,2,3,4,5"; 6 a REQ that reads nothing, 7 one the event loop
#              answers alone; see bench/reads/reads.mjs)
#      TERN_JAVA_OPTS passed on to the relay's JVM
#      URL     a relay already running (ws://...) to read from instead of tern serve, e.g. `strfry relay` holding
#              FILE (give FILE: it names the picks); no store is prepared, MEMORY is ignored
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$here/bench/out/reads
mkdir -p "$work"
cd "$here"
tern=${TERN:-./tern}
events=${EVENTS:-2160000}
port=${PORT:-3412}
per_type=${PER_TYPE:-400}

command -v node >/dev/null && command -v npm >/dev/null \
  || { echo "bench/reads.sh needs node.js and npm (Debian/Ubuntu: sudo apt-get install nodejs npm)" >&2; exit 1; }
[ -d bench/reads/node_modules/ws ] || (cd bench/reads && npm install --no-audit --no-fund --loglevel=error >&2)
[ -z "${URL:-}" ] || [ -n "${FILE:-}" ] || { echo "URL=$URL needs FILE, the events that relay holds" >&2; exit 1; }
"$tern" version >/dev/null   # builds the jar if needed, before anything is timed
if [ -n "${FILE:-}" ]; then
  file=$FILE
  [ -s "$file" ] || { echo "FILE=$file: no such file" >&2; exit 1; }
else
  file=$here/bench/out/wot-$events.jsonl
  if [ ! -s "$file" ]; then
    echo "generating $file ..." >&2
    "$tern" gen --events "$events" --seed 1 -o "$file.tmp" && mv "$file.tmp" "$file"
  fi
fi
if [ -n "${URL:-}" ]; then
  store=""
elif [ -n "${STORE:-}" ]; then
  [ -d "$STORE" ] || { echo "STORE=$STORE: no such store" >&2; exit 1; }
  store=$work/store-$(basename "$STORE")
  if [ ! -d "$store" ]; then
    cp -r "$STORE" "$store.tmp"
    # A store written by an older tern may hold a search index of an older format, which the relay would rebuild in
    # the background for minutes, on the cores the timed REQs need: it is rebuilt here, untimed.
    "$tern" reindex --data-dir "$store.tmp" >/dev/null 2>"$work/reindex.log" || { tail -20 "$work/reindex.log" >&2; exit 1; }
    mv "$store.tmp" "$store"
  fi
else
  store=$work/store-$(basename "$file" .jsonl)
  if [ ! -d "$store" ]; then
    echo "importing $file into $store ..." >&2
    rm -rf "$store.tmp"
    "$tern" import --data-dir "$store.tmp" --no-verify "$file" >/dev/null 2>"$work/import.log" \
      || { tail -20 "$work/import.log" >&2; exit 1; }
    mv "$store.tmp" "$store"
  fi
fi
picks=$work/picks-$(basename "$file" .jsonl).json
[ -s "$picks" ] || node bench/reads/picks.mjs "$file" "$picks"

run_clients() {   # $1: the relay's port or URL
  for run in ${RUNS:-on:1 off:1 on:50 off:50}; do
    clients=${run#*:}
    warmup=${WARMUP:-$([ "$clients" -gt 1 ] && echo 2 || echo 20)}
    node bench/reads/reads.mjs "$1" "$picks" "${run%%:*}" "$clients" "$per_type" "$warmup"
  done
}
if [ -n "${URL:-}" ]; then
  echo "== $URL, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
  run_clients "$URL"
  exit 0
fi
for memory in ${MEMORY:-512 256}; do
  find "$store" -type f -exec cat {} + >/dev/null   # the store in the page cache, as on a server whose free memory holds it
  TERN_DATA_DIR=$store TERN_PORT=$port TERN_LOG_LEVEL=WARN "$tern" serve --memory "$memory" >"$work/serve.log" 2>&1 &
  relay=$!
  trap 'kill -TERM $relay 2>/dev/null || true' EXIT   # a client that fails (set -e) must not leave the relay running
  for _ in $(seq 1 600); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    kill -0 $relay 2>/dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 0.1
  done
  echo "== tern serve --memory $memory ($tern), store $(du -sh "$store" | cut -f1), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
  run_clients "$port"
  echo "relay peak RSS $(awk '/VmHWM/ {printf "%d MB", $2 / 1024}' /proc/$relay/status)"
  kill -TERM $relay; wait $relay || true
done
