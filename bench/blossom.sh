#!/usr/bin/env bash
# Blossom benchmark: bench/blossom.sh [all|big|small]
#   1. dd writes and reads a SIZE_MB file on this disk (the limit), then a SIZE_MB blob is uploaded to tern serve with
#      PUT /upload and downloaded with GET (MB/s each way) by Java's HttpClient (hashing as it reads), then deleted
#      and sent up and down again by curl (-T, and -o /dev/null), a client that costs little CPU; the relay's peak
#      RSS is read (VmHWM).
#   2. CLIENTS concurrent clients GET small images (20-80 KB) for DURATION seconds: requests/s and p99, from wrk
#      (CLIENTS keep-alive connections on 2 threads, a random image per request) when it is installed, and from
#      the Java client (virtual threads, one HttpClient).
# Env: SIZE_MB (default 1024), TERN_MEMORY_MB (default 256), CLIENTS (default 200), DURATION (seconds, default 20),
#      IMAGES (default 50). Work files go to bench/out/blossom.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$here/bench/out/blossom
mkdir -p "$work"
cd "$here"
./tern version >/dev/null   # builds the jar if needed
java="$(./tern java-home)/bin/java"
bench=("$java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xmx512m -cp target/tern.jar bench/blossom/BlossomBench.java)
size=${SIZE_MB:-1024}
port=${PORT:-3398}
export TERN_MEMORY_MB=${TERN_MEMORY_MB:-256}

mode=${1:-all}
if [ "$mode" != small ]; then
  echo "dd: write and read $size MB on this disk"
  dd if=/dev/zero of="$work/dd.bin" bs=1M count="$size" conv=fdatasync 2>&1 | tail -1 | sed 's/^/  write (fdatasync): /'
  dd if="$work/dd.bin" of=/dev/null bs=1M 2>&1 | tail -1 | sed 's/^/  read (page cache, as the relay reads a blob just written): /'
  rm -f "$work/dd.bin"
fi

blob=$work/blob-$size.bin
[ "$mode" = small ] || [ -s "$blob" ] || head -c "$((size * 1024 * 1024))" /dev/urandom > "$blob"

data=$work/data; rm -rf "$data"
TERN_DATA_DIR=$data TERN_PORT=$port TERN_LOG_LEVEL=WARN TERN_BLOSSOM_PUBLIC_UPLOADS=true \
  TERN_BLOSSOM_MAX_BLOB_BYTES=$((size * 1024 * 1024)) ./tern serve >"$work/serve.log" 2>&1 &
relay_pid=$!
trap 'kill -TERM $relay_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  kill -0 $relay_pid 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.1
done
# the JVM's pid: ./tern may exec it or run it as a child
jpid=$(pgrep -P "$relay_pid" java || echo "$relay_pid")

if [ "$mode" != small ]; then
  echo "tern serve --memory $TERN_MEMORY_MB: $size MB blob"
  "${bench[@]}" big "$port" "$blob" | sed 's/^/  /'
  sha=$(sha256sum "$blob" | cut -d' ' -f1)
  curl -fsS -X DELETE -H "Authorization: $("${bench[@]}" auth delete "$sha")" "http://127.0.0.1:$port/$sha"
  up_auth=$("${bench[@]}" auth upload "$sha")
  curl -fsS -o /dev/null -T "$blob" -H "Authorization: $up_auth" -H "X-SHA-256: $sha" -H "Content-Type: application/octet-stream" \
    -w '%{size_upload} %{time_total}\n' "http://127.0.0.1:$port/upload" |
    awk '{printf "  curl upload:   %.0f MB in %.2f s = %.1f MB/s\n", $1 / 1e6, $2, $1 / 1e6 / $2}'
  curl -fsS -o /dev/null -w '%{size_download} %{time_total}\n' "http://127.0.0.1:$port/$sha" |
    awk '{printf "  curl download: %.0f MB in %.2f s = %.1f MB/s (to /dev/null)\n", $1 / 1e6, $2, $1 / 1e6 / $2}'
  echo "  relay peak RSS: $(awk '/VmHWM/ {printf "%d MB", $2 / 1024}' "/proc/$jpid/status")"
fi
if [ "$mode" != big ]; then
  if command -v wrk >/dev/null; then
    "${bench[@]}" images "$port" "${IMAGES:-50}" "$work/paths.txt"
    cat > "$work/pick.lua" <<LUA
paths = {}
for line in io.lines("$work/paths.txt") do paths[#paths + 1] = line end
math.randomseed(os.time())
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
LUA
    echo "  wrk, ${CLIENTS:-200} connections, ${IMAGES:-50} images of 20-80 KB, ${DURATION:-20} s:"
    wrk -t2 -c"${CLIENTS:-200}" -d"${DURATION:-20}s" --latency --timeout 30s -s "$work/pick.lua" "http://127.0.0.1:$port" |
      grep -E "Requests/sec|Transfer/sec|50%|90%|99%|requests in|Socket errors|Non-2xx" | sed 's/^ */    /'
  fi
  "${bench[@]}" small "$port" "${IMAGES:-50}" "${CLIENTS:-200}" "${DURATION:-20}" | sed 's/^/  /'
fi
echo "  relay peak RSS after both: $(awk '/VmHWM/ {printf "%d MB", $2 / 1024}' "/proc/$jpid/status")"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
