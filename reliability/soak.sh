#!/usr/bin/env bash
# Soak test (not in CI): the load of reliability/load.sh (CONNS, default 200 connections) for DURATION seconds
# (default 1800 = 30 minutes; the EVENTS events of a generated file, default 300000, are published, then
# REQs only), printing the relay's RSS every 30 s and its peak RSS (VmHWM) at the end.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$here/bench/out/reliability
mkdir -p "$work"
cd "$here"
./tern version >/dev/null
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
conns=${CONNS:-200}
duration=${DURATION:-1800}
events=${EVENTS:-300000}
budget=${TERN_MEMORY_MB:-512}
port=${PORT:-3397}

input=$work/events-$events.jsonl
[ -s "$input" ] || ./tern gen --events "$events" --seed 3 --output "$input" >&2
data=$work/soak-data; rm -rf "$data"
TERN_DATA_DIR=$data TERN_PORT=$port TERN_MEMORY_MB=$budget TERN_EVENT_RATE=0 TERN_LOG_LEVEL=WARN \
  TERN_MAX_CONNECTIONS_PER_IP=$(( conns + 100 )) ./tern serve >"$work/soak-serve.log" 2>&1 &
relay=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 $relay 2>/dev/null || { cat "$work/soak-serve.log"; exit 1; }
  sleep 0.1
done
"$java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp target/tern.jar bench/relay/RelayBench.java mixed "$port" "$input" "$conns" "$duration" \
  >"$work/soak-load.log" 2>&1 &
load=$!
trap 'kill $load 2>/dev/null || true; kill -TERM $relay 2>/dev/null || true; wait $relay 2>/dev/null || true' EXIT
start=$(date +%s)
while kill -0 $load 2>/dev/null; do
  sleep 30
  kill -0 $relay 2>/dev/null || { echo "relay died"; cat "$work/soak-serve.log"; exit 1; }
  echo "$(( $(date +%s) - start )) s: RSS $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$relay/status") MB"
done
wait $load
cat "$work/soak-load.log"
echo "relay: peak RSS (VmHWM) $(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$relay/status") MB, memory budget $budget MB"
