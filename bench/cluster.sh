#!/usr/bin/env bash
# Cluster mode (issue 23) on this machine: three nats-servers in one JetStream cluster and tern nodes on loopback.
#   1. publish: bench/relay.sh's generator (50 connections, pre-signed events of tern gen) against a single node, then
#      against node A of a three-node cluster with node C stopped: events/s of each and their ratio;
#   2. catch-up: node C, started again, applies what it missed (the whole publish run): its rate;
#   3. lag: live subscriptions on node C, events published on node A at RATE/s: delivery latency p50/p99.
# `bench/cluster.sh import` instead uploads (POST /api/import) the first IMPORT_LINES lines of FILE to a single node,
# then to node A of three with C stopped (their rates and ratio), then times C's catch-up of that whole log
# (IMPORT_LINES=1000000: a node one million entries behind). `bench/cluster.sh catchup` fills the log with the first
# IMPORT_LINES lines of FILE directly (bench/cluster/LogFill.java, entries as nodes write them) and times a node
# started after catching up on all of it.
# Env: EVENTS (default 100000), RATE (default 200), SUBS (default 100), TERN_MEMORY_MB (per node, default 256),
#      IMPORT_LINES (default 1000000), FILE (default tern gen's events: EVENTS of them, IMPORT_LINES for import).
#      Needs Debian's nats-server (installed here if missing). Work files go to bench/out/cluster.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$here/bench/out/cluster
cd "$here"
command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || {
  echo "installing nats-server from Debian" >&2
  apt-get install -y -qq nats-server >/dev/null || { echo "bench/cluster.sh needs nats-server: apt-get install nats-server" >&2; exit 1; }
}
nats=$(command -v nats-server || echo /usr/sbin/nats-server)
./tern version >/dev/null   # builds the jar if needed
java="$(./tern java-home)/bin/java"
bench=("$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp target/tern.jar)
mode=${1:-publish}
case "$mode" in publish|import|catchup) ;; *) echo "usage: bench/cluster.sh [publish|import|catchup]" >&2; exit 2;; esac
events=${EVENTS:-100000}
[ "$mode" = publish ] || events=${IMPORT_LINES:-1000000}
memory=${TERN_MEMORY_MB:-256}
rm -rf "$work"; mkdir -p "$work"
f=${FILE:-$here/bench/out/relay/events-$events.jsonl}
mkdir -p "$(dirname "$f")"
[ -s "$f" ] || ./tern gen --events "$events" --seed 1 --output "$f" >&2

pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# three NATS servers: client ports 4301-4303, routes 6301-6303, monitoring 8301-8303
for i in 1 2 3; do
  routes=""
  for j in 1 2 3; do [ "$j" = "$i" ] || routes="$routes${routes:+, }nats-route://127.0.0.1:630$j"; done
  cat >"$work/n$i.conf" <<EOF
server_name: n$i
listen: 127.0.0.1:430$i
http: 127.0.0.1:830$i
max_payload: 8MB
jetstream { store_dir: "$work/n$i", max_memory_store: 64MB, max_file_store: 8GB }
cluster { name: tern-bench, listen: 127.0.0.1:630$i, routes: [ $routes ] }
EOF
  "$nats" -c "$work/n$i.conf" >"$work/n$i.log" 2>&1 &
  pids+=($!)
done
for i in 1 2 3; do
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:830$i/healthz" >/dev/null 2>&1 && break; sleep 0.2; done
  curl -fs "http://127.0.0.1:830$i/healthz" >/dev/null || { echo "nats-server n$i is not ready:" >&2; tail -3 "$work/n$i.log" >&2; exit 1; }
done
urls=nats://127.0.0.1:4301,nats://127.0.0.1:4302,nats://127.0.0.1:4303

# start_node NAME PORT [cluster]: a tern serve in the background, its PID in node_pid
start_node() {
  local extra=()
  [ "${3:-}" = cluster ] && extra=(--nats "$urls" --cluster-node "$1")
  TERN_LOG_LEVEL=WARN ./tern serve --data-dir "$work/$1" --port "$2" --memory "$memory" --search off \
    --connection-events-per-second 0 "${extra[@]}" >>"$work/$1.log" 2>&1 &
  node_pid=$!
  pids+=($node_pid)
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$2/healthz" >/dev/null 2>&1 && return 0
    kill -0 $node_pid 2>/dev/null || { cat "$work/$1.log"; exit 1; }
    sleep 0.1
  done
  echo "node $1 did not start" >&2; exit 1
}
applied() { curl -fs "http://127.0.0.1:$1/api/stats" | grep -o '"applied":[0-9]*' | cut -d: -f2; }
publish() { "${bench[@]}" -Xmx2g bench/relay/RelayBench.java publish "$1" "$f" "${CONNS:-50}" "${WINDOW:-4}" | tee "$work/publish-$2.out"; }
rate_of() { grep -o '[0-9]* events/s' "$work/publish-$1.out" | head -1 | cut -d' ' -f1; }

# upload PORT NAME: POST /api/import of $upload_file, waits for its end; its report in $work/import-NAME.json
upload() {
  local id
  id=$(curl -fs -F "file=@$upload_file" "http://127.0.0.1:$1/api/import" | grep -o '"id":"[^"]*"' | cut -d'"' -f4)
  until curl -fs "http://127.0.0.1:$1/api/import/$id" >"$work/import-$2.json" && grep -qE '"state":"(complete|failed|truncated)"' "$work/import-$2.json"; do
    sleep 1
  done
  grep -o '"events_per_second":[0-9.]*' "$work/import-$2.json" | tail -1 | cut -d: -f2
}

# catch_up [SEQUENCE]: starts node C and waits until it applied the log up to SEQUENCE (default what node A applied)
catch_up() {
  local target t0 t1 stats
  target=${1:-$(applied 3401)}
  t0=$(date +%s.%N)
  start_node c 3403 cluster
  until [ "$(applied 3403)" = "$target" ]; do
    stats=$(curl -fs http://127.0.0.1:3403/api/stats || true)  # not piped into grep -q: pipefail would hide the match
    if echo "$stats" | grep -qE '"state":"(failed|behind)"'; then
      echo "node C stopped applying:" >&2; grep -E "ERROR|Exception" "$work/c.log" | head -5 >&2; exit 1
    fi
    sleep 0.2
  done
  t1=$(date +%s.%N)
  awk -v n="$target" -v a="$t0" -v b="$t1" 'BEGIN { printf "catch-up: %d log entries in %.1f s (start included): %.0f entries/s\n", n, b - a, n / (b - a) }'
  echo "node C peak RSS: $(grep VmHWM /proc/$node_pid/status | awk '{ printf "%d MB", $2 / 1024 }') (--memory $memory)"
}

if [ "$mode" = catchup ]; then
  lines=${IMPORT_LINES:-1000000}
  start_node a 3401 cluster; a=$node_pid   # makes the stream as a node does
  kill -TERM "$a"; wait "$a" 2>/dev/null || true
  head -n "$lines" "$f" >"$work/fill.jsonl"
  echo "== catch-up: the log filled with $(wc -l <"$work/fill.jsonl") lines of $f, then node C started"
  "${bench[@]}" -Xmx512m bench/cluster/LogFill.java nats://127.0.0.1:4301 tern "$work/fill.jsonl" | tee "$work/fill.out"
  catch_up "$(grep -o 'last sequence [0-9]*' "$work/fill.out" | cut -d' ' -f3)"
  exit 0
fi

if [ "$mode" = import ]; then
  lines=${IMPORT_LINES:-1000000}
  upload_file=$work/import.jsonl
  head -n "$lines" "$f" >"$upload_file"
  echo "== import: $(wc -l <"$upload_file") lines uploaded to one node, then to node A of three (C stopped)"
  start_node single 3404; single=$node_pid
  s=$(upload 3404 single)
  kill -TERM "$single"; wait "$single" 2>/dev/null || true
  start_node a 3401 cluster
  start_node b 3402 cluster
  start_node c 3403 cluster; c=$node_pid
  kill -TERM "$c"; wait "$c" 2>/dev/null || true
  k=$(upload 3401 cluster)
  awk -v s="$s" -v k="$k" 'BEGIN { printf "import: single node %d events/s, node A of three %d events/s: %.0f%%\n", s, k, 100 * k / s }'
  echo "== catch-up: node C applies the whole log ($(applied 3401) entries)"
  catch_up
  exit 0
fi

echo "== 1. publish: one node, then node A of three (C stopped)"
start_node single 3404; single=$node_pid
publish 3404 single
kill -TERM "$single"; wait "$single" 2>/dev/null || true
start_node a 3401 cluster
start_node b 3402 cluster
start_node c 3403 cluster; c=$node_pid
kill -TERM "$c"; wait "$c" 2>/dev/null || true
publish 3401 cluster
s=$(rate_of single); k=$(rate_of cluster)
awk -v s="$s" -v k="$k" 'BEGIN { printf "publish: single node %d events/s, cluster of three %d events/s: %.0f%%\n", s, k, 100 * k / s }'

echo "== 2. catch-up: node C applies what it missed"
catch_up

echo "== 3. lag: ${SUBS:-100} live subscriptions on C, events published on A at ${RATE:-200}/s"
"${bench[@]}" -Xmx1g bench/relay/RelayBench.java fanout 3403 "${SUBS:-100}" "${FANOUT_EVENTS:-1000}" "${RATE:-200}" 3401
