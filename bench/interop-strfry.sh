#!/usr/bin/env bash
# NIP-77 interop with strfry (issue 18), both directions, on loopback. strfry is built by hand (Debian has no
# package; BENCHMARKS.md, "Sync (NIP-77)", names the commits and steps used): this script never builds or
# fetches it, it takes the binary:
#   STRFRY=/path/to/strfry bench/interop-strfry.sh
# One generated file (`tern gen --events BENCH_EVENTS --seed 2`, default 100,000) makes both sides, without
# the events holding U+007F (DEL; a quarter of them): strfry's id hash escapes it as \u007f (taocpp/json's
# writer), where NIP-01 and nostr-tools' JSON.stringify keep it verbatim, so strfry refuses them, valid as they
# are, with "invalid: bad event id" (the script prints how many it left out). strfry imports the lines
# n % 40 != 20 (then runs once as a relay, so its cron drops the expired and ephemeral events its import keeps),
# tern the lines n % 40 != 0: each side lacks 2.5% that the other has, replaceable versions and deletions among
# them. strfry's config (written here) lifts its limits to what tern accepts: events up to 1 MiB and 10,000 tags
# (follow lists), any age (the file's events are from 2022-2024; strfry refuses events over 3 years old by
# default). tern serve runs with --connection-events-per-second 0, as a relay an operator syncs into would:
# strfry sync neither authenticates nor retries a `rate-limited:` answer.
# Runs, each on fresh copies of both stores (what the two exports must show):
#   tern sync -> strfry relay, --direction both, on a stopped store     the id sets equal
#   POST /api/sync of a running tern serve -> strfry relay, both          the id sets equal
#   tern sync -> strfry relay, both, --filter FILTER                      equal within FILTER, the rest unchanged
#   strfry sync -> tern serve, --dir both                                 the id sets equal
#   strfry sync -> tern serve, --dir down / --dir up                      the receiver as after both, the sender unchanged
#   strfry sync -> tern serve, both, --filter FILTER                      equal within FILTER, the rest unchanged
# FILTER is {"authors": [the file's first 100 pubkeys in hex order]}: replaceable versions and deletions are
# their author's, so a filter by authors is closed under both and nothing outside it may change.
# Prints per run: events each side before and after, the differences, wall time, tern's report (rounds, bytes
# each way) or strfry's, and PASS or FAIL; exits 1 if any run failed. Stops every process it starts, by PID.
# BENCH_OUT (default bench/out): where the file, the stores and the logs go; BENCH_TERN: the launcher.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
strfry=${STRFRY:?set STRFRY to a strfry binary built by hand}
[ -x "$strfry" ] || { echo "STRFRY=$strfry is not an executable" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 2; }
tern=${BENCH_TERN:-$here/tern}
events=${BENCH_EVENTS:-100000}
work=${BENCH_OUT:-$here/bench/out}/interop-strfry
file=$work/wot-$events-seed2.jsonl
mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }  # what a failed run left
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# strfry's config for a store in $1, listening on port $2 (0: only for the command-line tools)
strfry_conf() {
  mkdir -p "$1/db"
  cat >"$1/strfry.conf" <<EOF
db = "$1/db/"
events {
    maxEventSize = 1048576
    rejectEventsOlderThanSeconds = 4000000000
    maxNumTags = 10000
}
relay {
    bind = "127.0.0.1"
    port = $2
    nofiles = 0
    maxWebsocketPayloadSize = 2097152
}
EOF
}
sf() { local dir=$1; shift; "$strfry" --config="$dir/strfry.conf" "$@"; }

# starts strfry relay on store $1 (a fresh port); sets strfry_pid and strfry_port
strfry_start() {
  strfry_port=$(free_port)
  strfry_conf "$1" "$strfry_port"
  rm -f "$1/relay.log"
  "$strfry" --config="$1/strfry.conf" relay >"$1/relay.log" 2>&1 &
  strfry_pid=$!
  pids+=("$strfry_pid")
  for _ in $(seq 1 600); do
    grep -q "Started websocket server" "$1/relay.log" && return 0
    kill -0 "$strfry_pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$1/relay.log" >&2
  echo "strfry relay did not start" >&2
  exit 1
}

# starts tern serve on store $1; sets tern_pid and tern_port
tern_start() {
  "$tern" serve --data-dir "$1" --listen 127.0.0.1 --port 0 --connection-events-per-second 0 \
    >"$1.serve.out" 2>"$1.serve.log" &
  tern_pid=$!
  pids+=("$tern_pid")
  tern_port=""
  for _ in $(seq 1 3000); do
    tern_port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\)).*/\1/p' "$1.serve.out" "$1.serve.log" | head -1)
    [ -n "$tern_port" ] && return 0
    kill -0 "$tern_pid" 2>/dev/null || break
    sleep 0.1
  done
  tail -20 "$1.serve.log" >&2
  echo "tern serve did not listen" >&2
  exit 1
}

stop() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  local left=() p
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || left+=("$p"); done
  pids=("${left[@]}")
}

# sorted ids of an export on stdin: all, or inside ($1 = in) or outside ($1 = out) the filter's authors
ids() {
  case ${1:-all} in
    all) jq -r .id ;;
    in) jq -r --argjson a "$(jq -c .authors <<<"$filter")" 'select(.pubkey as $p | $a | index($p)) | .id' ;;
    out) jq -r --argjson a "$(jq -c .authors <<<"$filter")" 'select(.pubkey as $p | $a | index($p) | not) | .id' ;;
  esac | LC_ALL=C sort
}
strfry_ids() { sf "$1" export 2>/dev/null | ids "${2:-}"; }
tern_ids() { "$tern" export --data-dir "$1" 2>/dev/null | ids "${2:-}"; }

failures=0 runs=0
# verdict NAME EXPECTED_A ACTUAL_A [EXPECTED_B ACTUAL_B]: PASS when each pair of id lists is equal
verdict() {
  local name=$1 ok=1; shift
  runs=$((runs + 1))
  while [ $# -ge 2 ]; do
    local only_exp only_act
    only_exp=$(LC_ALL=C comm -23 "$1" "$2" | wc -l); only_act=$(LC_ALL=C comm -13 "$1" "$2" | wc -l)
    printf '  compare %s with %s: %d only in the first, %d only in the second\n' "$(basename "$1")" "$(basename "$2")" "$only_exp" "$only_act"
    [ "$only_exp" = 0 ] && [ "$only_act" = 0 ] || ok=0
    shift 2
  done
  if [ $ok = 1 ]; then echo "  $name: PASS"; else echo "  $name: FAIL"; failures=$((failures + 1)); fi
}

# tern's report figures, from a report's text in $1
tern_figures() {
  awk '/items here|items there|only here|only there|negentropy rounds|negentropy bytes|^  bytes |uploaded|refused|fetched|events stored|superseded|deleted before|elapsed/' "$1"
}
# strfry sync's figures, from its log in $1: what it found, moved and was refused (by prefix), bytes each way
strfry_figures() {
  sed -n 's/.*\(Set reconcile complete.*\)/  \1/p' "$1"
  awk '/\]INFO\| UP: / {up += $(NF - 3)} /\]INFO\| DOWN: / {down += $(NF - 3)}
    END {printf "  events uploaded %d, fetched %d\n", up, down}' "$1"
  awk '/\| Writer: added: / {a += $(NF - 6); r += $(NF - 2); d += $NF}
    END {if (a + r + d) printf "  strfry writer: added %d, replaced %d, deleted %d\n", a, r, d}' "$1"
  sed -n 's/.*Unable to upload event [0-9a-f]*: \([a-z-]*:\).*/\1/p' "$1" | sort | uniq -c | awk '{printf "  refused by tern: %s %d\n", $2, $1}'
  sed -n 's/.*\(Sync transfer stats.*\)/  \1/p' "$1"
}

# --- the two base stores, made once
if [ ! -s "$file" ]; then
  "$tern" gen --events "$events" --seed 2 -o "$file.tmp" 2>/dev/null
  LC_ALL=C grep -c $'\x7f' "$file.tmp" >"$file.del-count" || true
  LC_ALL=C grep -v $'\x7f' "$file.tmp" >"$file"
  rm "$file.tmp"
fi
echo "events with U+007F left out (strfry refuses them: bad event id): $(cat "$file.del-count"); events used: $(wc -l <"$file")"
filter=$(jq -r .pubkey "$file" | LC_ALL=C sort -u | awk "NR <= 100" | jq -R . | jq -sc '{authors: .}')
if [ ! -d "$work/strfry-base/db" ] || [ ! -d "$work/tern-base" ]; then
  rm -rf "$work/strfry-base" "$work/tern-base"
  strfry_conf "$work/strfry-base" 0
  awk 'NR % 40 != 20' "$file" | sf "$work/strfry-base" import 2>"$work/strfry-import.log"
  # strfry's import keeps expired and ephemeral events; the relay's cron (every 9 s) deletes them
  strfry_start "$work/strfry-base"
  for _ in $(seq 1 300); do grep -q "Deleted .* events" "$work/strfry-base/relay.log" && break; sleep 0.1; done
  stop "$strfry_pid"
  awk 'NR % 40 != 0' "$file" >"$work/t.jsonl"
  "$tern" import --data-dir "$work/tern-base" "$work/t.jsonl" >"$work/tern-import.out" 2>"$work/tern-import.log"
  rm -f "$work/t.jsonl"
fi

fresh() {
  rm -rf "$work/s" "$work/t" "$work/t.serve.out" "$work/t.serve.log"
  cp -r "$work/strfry-base" "$work/s"
  cp -r "$work/tern-base" "$work/t"
  strfry_conf "$work/s" 0
  strfry_ids "$work/s" >"$work/s.before"
  tern_ids "$work/t" >"$work/t.before"
}
counts() {
  printf '  events before: strfry %d, tern %d; after: strfry %d, tern %d; wall %s s\n' \
    "$(wc -l <"$work/s.before")" "$(wc -l <"$work/t.before")" "$(wc -l <"$work/s.after")" "$(wc -l <"$work/t.after")" "$1"
}
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }
after_all() { strfry_ids "$work/s" >"$work/s.after"; tern_ids "$work/t" >"$work/t.after"; }
# both stores' ids inside and outside the filter, tagged $1 (before, after)
filter_sets() {
  strfry_ids "$work/s" in >"$work/s.$1.in"; strfry_ids "$work/s" out >"$work/s.$1.out"
  tern_ids "$work/t" in >"$work/t.$1.in"; tern_ids "$work/t" out >"$work/t.$1.out"
}

echo "== interop with $strfry ($events events; load $(cut -d' ' -f1-3 /proc/loadavg))"

# --- tern as the client of strfry relay
echo "-- tern sync ws://strfry --direction both (stopped store)"
fresh; strfry_start "$work/s"
t0=$(now)
"$tern" sync "ws://127.0.0.1:$strfry_port/" --data-dir "$work/t" --direction both >"$work/sync1.out" 2>"$work/sync1.log" || true
t1=$(now); stop "$strfry_pid"
tern_figures "$work/sync1.out"; after_all; counts "$(secs "$t0" "$t1")"
verdict "tern sync both" "$work/s.after" "$work/t.after"

echo "-- POST /api/sync?url=ws://strfry&direction=both on a running tern serve"
fresh; strfry_start "$work/s"; tern_start "$work/t"
t0=$(now)
curl -sf -X POST "http://127.0.0.1:$tern_port/api/sync?url=ws://127.0.0.1:$strfry_port/&direction=both" -d '' >/dev/null
state=running
while [ "$state" = running ]; do
  curl -sf "http://127.0.0.1:$tern_port/api/sync" >"$work/sync2.json"
  state=$(jq -r .state "$work/sync2.json")
  [ "$state" = running ] && sleep 0.5
done
t1=$(now); stop "$tern_pid"; stop "$strfry_pid"
jq -r '.report // .' "$work/sync2.json" >"$work/sync2.out"
tern_figures "$work/sync2.out"
after_all; counts "$(secs "$t0" "$t1")"
verdict "api sync both ($state)" "$work/s.after" "$work/t.after"

echo "-- tern sync ws://strfry --direction both --filter {authors: 100}"
fresh; filter_sets before; strfry_start "$work/s"
t0=$(now)
"$tern" sync "ws://127.0.0.1:$strfry_port/" --data-dir "$work/t" --direction both --filter "$filter" >"$work/sync3.out" 2>"$work/sync3.log" || true
t1=$(now); stop "$strfry_pid"
tern_figures "$work/sync3.out"; after_all; counts "$(secs "$t0" "$t1")"
filter_sets after
verdict "tern sync both, filter" "$work/s.after.in" "$work/t.after.in" "$work/s.before.out" "$work/s.after.out" "$work/t.before.out" "$work/t.after.out"

# --- strfry sync against tern serve
for dir in both down up filter; do
  echo "-- strfry sync ws://tern --dir $dir"
  fresh
  [ "$dir" = filter ] && filter_sets before
  tern_start "$work/t"
  args=(--dir "${dir/filter/both}")
  [ "$dir" = filter ] && args+=(--filter "$filter")
  t0=$(now)
  sf "$work/s" sync "ws://127.0.0.1:$tern_port/" "${args[@]}" >"$work/strfry-sync-$dir.out" 2>"$work/strfry-sync-$dir.log" || true
  t1=$(now); stop "$tern_pid"
  strfry_figures "$work/strfry-sync-$dir.log"
  grep -E "\]ERR|NEG-ERR" "$work/strfry-sync-$dir.log" | head -3 || true
  after_all; counts "$(secs "$t0" "$t1")"
  case $dir in
    both) verdict "strfry sync both" "$work/s.after" "$work/t.after"; cp "$work/s.after" "$work/reference" ;;
    down) verdict "strfry sync down" "$work/reference" "$work/s.after" "$work/t.before" "$work/t.after" ;;
    up) verdict "strfry sync up" "$work/reference" "$work/t.after" "$work/s.before" "$work/s.after" ;;
    filter)
      filter_sets after
      verdict "strfry sync both, filter" "$work/s.after.in" "$work/t.after.in" "$work/s.before.out" "$work/s.after.out" "$work/t.before.out" "$work/t.after.out" ;;
  esac
done
rm -rf "$work/s" "$work/t"
echo "== $failures of $runs runs failed"
[ "$failures" = 0 ]
