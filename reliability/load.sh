#!/usr/bin/env bash
# Load test (not in CI): CONNS (default 1000) WebSocket connections on loopback, each alternating an EVENT
# (waits for OK) and a REQ by author (waits for EOSE), for DURATION seconds (default 60); the EVENTS events
# of a generated file (default 100000) are published, then REQs only. Prints the relay's RSS every 30 s,
# throughput, latency percentiles and the relay's peak RSS (VmHWM) against its memory budget
# (TERN_MEMORY_MB, default 512). reliability/soak.sh runs it for 30 minutes. Work files go to
# bench/out/reliability.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$here/bench/out/reliability
name=${NAME:-load}
mkdir -p "$work"
cd "$here"
./tern version >/dev/null   # builds the jar if needed
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
conns=${CONNS:-1000}
duration=${DURATION:-60}
events=${EVENTS:-100000}
budget=${TERN_MEMORY_MB:-512}
port=${PORT:-3398}

input=$work/events-$events.jsonl
[ -s "$input" ] || ./tern gen --events "$events" --seed 3 --output "$input" >&2
data=$work/$name-data; rm -rf "$data"
TERN_DATA_DIR=$data TERN_PORT=$port TERN_MEMORY_MB=$budget TERN_CONNECTION_EVENTS_PER_SECOND=0 TERN_LOG_LEVEL=WARN \
  TERN_IP_MAX_CONNECTIONS=$(( conns + 100 )) ./tern serve >"$work/$name-serve.log" 2>&1 &
relay=$!
load=""
trap 'kill $load 2>/dev/null || true; kill -TERM $relay 2>/dev/null || true; wait $relay 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 $relay 2>/dev/null || { cat "$work/$name-serve.log"; exit 1; }
  sleep 0.1
done

"$java" --enable-native-access=ALL-UNNAMED -Xmx1g -cp target/tern.jar bench/relay/RelayBench.java mixed "$port" "$input" "$conns" "$duration" \
  >"$work/$name-load.log" 2>&1 &
load=$!
start=$(date +%s)
while kill -0 $load 2>/dev/null; do
  sleep 30
  kill -0 $relay 2>/dev/null || { echo "relay died"; cat "$work/$name-serve.log"; exit 1; }
  echo "$(( $(date +%s) - start )) s: RSS $(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$relay/status") MB"
done
wait $load
cat "$work/$name-load.log"
hwm=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$relay/status")
echo "relay: peak RSS (VmHWM) $hwm MB, memory budget $budget MB: $([ "$hwm" -le "$budget" ] && echo within || echo OVER) budget"
curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && echo "relay: healthy after the load"
