#!/usr/bin/env bash
# Relay benchmarks: bench/relay.sh publish|query|fanout
#   publish: 50 connections publish pre-signed events (tern gen) as fast as OKs come back; prints the relay's and
#            the generator's CPU per event and the rate at which they would fill every core
#   query:   REQ latency mix on a store filled by tern gen + tern import
#   fanout:  1,000 live subscriptions, 1,000 events published, delivery latency
# Env: EVENTS (publish/query, default 200000), WINDOW (publish, default 4), PASSES (publish: times the file is sent,
#      default 1; later passes are all duplicates), WARMUP (publish: events of another seed published first, untimed,
#      so the timed run meets a relay whose JIT has compiled the write path, search's included; default 0), DURATION (query seconds, default 20),
#      RATE (fanout events/s, default 200), TERN_MEMORY_MB (default 512), COLD=1 (query: do not read the store
#      into the OS page cache before the timed run), WARMUP (query: untimed seconds first, default 5).
#      Work files go to bench/out/relay.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mode=${1:?usage: bench/relay.sh publish|query|fanout}
work=$here/bench/out/relay
mkdir -p "$work"
cd "$here"
./tern version >/dev/null   # builds the jar if needed
bench/lib/gnu-time.sh
java="$(./tern java-home)/bin/java"
# The load generator: the serial collector's young pauses stay well under a millisecond here, where G1's took
# about 5 ms and showed up in the query p99 as if they were the relay's.
bench=("$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp target/tern.jar)
events=${EVENTS:-200000}
port=${PORT:-3399}

gen_file() {
  local f=$work/events-$events.jsonl
  [ -s "$f" ] || ./tern gen --events "$events" --seed 1 --output "$f" >&2
  echo "$f"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

start_relay() {
  TERN_DATA_DIR=$1 TERN_PORT=$port TERN_CONNECTION_EVENTS_PER_SECOND=0 TERN_LOG_LEVEL=WARN ./tern serve >"$work/serve.log" 2>&1 &
  relay_pid=$!
  for _ in $(seq 1 200); do
    curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 $relay_pid 2>/dev/null || { cat "$work/serve.log"; exit 1; }
    sleep 0.1
  done
  echo "relay did not start" >&2; exit 1
}

stop_relay() { kill -TERM "$relay_pid"; wait "$relay_pid" || true; }

case "$mode" in
  publish)
    f=$(gen_file)
    data=$work/publish-data; rm -rf "$data"
    start_relay "$data"
    if [ "${WARMUP:-0}" -gt 0 ]; then
      w=$work/events-warmup-$WARMUP.jsonl
      [ -s "$w" ] || ./tern gen --events "$WARMUP" --seed 2 --output "$w" >&2
      "${bench[@]}" -Xmx2g bench/relay/RelayBench.java publish "$port" "$w" "${CONNS:-50}" "${WINDOW:-4}" | sed 's/^/warm-up: /'
    fi
    for pass in $(seq 1 "${PASSES:-1}"); do
      [ "$pass" -gt 1 ] && echo "pass $pass: the same events again, all stored already"
      r0=$(cpu_ticks "$relay_pid"); t0=$(date +%s.%N)
      /usr/bin/time -f "generator: %U s user + %S s system CPU, %e s wall" \
        "${bench[@]}" -Xmx2g bench/relay/RelayBench.java publish "$port" "$f" "${CONNS:-50}" "${WINDOW:-4}" | tee "$work/publish.out"
      r1=$(cpu_ticks "$relay_pid"); t1=$(date +%s.%N)
      echo "relay: $(( r1 - r0 )) ticks of CPU (1/100 s) over $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s wall (includes generator JVM start)"
      # the CPU-bound ceiling: the rate at which the relay's and the generator's CPU per event fill every core
      awk -v ticks=$(( r1 - r0 )) -v n="$(nproc)" '
        /^publish: [0-9]+ events over/ { events = $2 }
        /us per event/ { match($0, /[0-9.]+ us per event/); gen = substr($0, RSTART, RLENGTH) + 0 }
        END { relay = ticks * 1e4 / events
              printf "relay: %.0f us of CPU per event; with the generator'"'"'s %.1f, %d cores allow at most %.0f events/s\n", relay, gen, n, n * 1e6 / (relay + gen) }' \
        "$work/publish.out"
    done
    stop_relay ;;
  query)
    f=$(gen_file)
    data=$work/query-data-$events
    [ -d "$data" ] || TERN_DATA_DIR=$data ./tern import "$f" >&2
    start_relay "$data"
    "${bench[@]}" -Xmx1g bench/relay/RelayBench.java query "$port" "$f" "${DURATION:-20}" \
      $( [ -n "${COLD:-}" ] || echo "$data" )
    stop_relay ;;
  fanout)
    data=$work/fanout-data; rm -rf "$data"
    start_relay "$data"
    "${bench[@]}" -Xmx1g bench/relay/RelayBench.java fanout "$port" "${SUBS:-1000}" "${FANOUT_EVENTS:-1000}" "${RATE:-200}"
    stop_relay ;;
  *) echo "usage: bench/relay.sh publish|query|fanout" >&2; exit 2 ;;
esac
