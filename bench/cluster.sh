#!/usr/bin/env bash
# Cluster mode (issue 23) on this machine: three nats-servers in one JetStream cluster and tern nodes on loopback.
#   1. publish: bench/relay.sh's generator (50 connections, pre-signed events of tern gen) against a single node, then
#      against node A of a three-node cluster with node C stopped: events/s of each and their ratio;
#   2. catch-up: node C, started again, applies what it missed (the whole publish run): its rate;
#   3. lag: live subscriptions on node C, events published on node A at RATE/s: delivery latency p50/p99.
# Env: EVENTS (default 100000), RATE (default 200), SUBS (default 100), TERN_MEMORY_MB (per node, default 256).
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
events=${EVENTS:-100000}
memory=${TERN_MEMORY_MB:-256}
rm -rf "$work"; mkdir -p "$work"
f=$here/bench/out/relay/events-$events.jsonl
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
target=$(applied 3401)
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

echo "== 3. lag: ${SUBS:-100} live subscriptions on C, events published on A at ${RATE:-200}/s"
"${bench[@]}" -Xmx1g bench/relay/RelayBench.java fanout 3403 "${SUBS:-100}" "${FANOUT_EVENTS:-1000}" "${RATE:-200}" 3401
