#!/usr/bin/env bash
# Usage: bench/lib/thread-cpu.sh PID OUT — samples the CPU time of each of the process's threads every second until
# it ends, then writes OUT: one line per sample and thread group (seconds since the start, group, CPU seconds so far).
# A group is the thread's name without its number (import-worker-0 and -1 are import-worker); RocksDB's own threads
# are rocksdb:high (flushes) and rocksdb:low (compactions), which a Java profiler does not see. A thread that ended
# keeps its last figure.
pid=$1 out=$2 raw=$2.raw start=$SECONDS
: >"$raw"
while [ -d "/proc/$pid/task" ]; do
  # comm may hold spaces: the fields after its closing parenthesis are counted from there
  awk -v t=$((SECONDS - start)) '{ c = $0; sub(/^[0-9]+ \(/, "", c); sub(/\) .*$/, "", c); sub(/[-_ ]?[0-9]+$/, "", c)
       gsub(/ /, "_", c); n = split(substr($0, index($0, ") ") + 2), f, " "); print t, $1, c, f[12] + f[13] }' \
    /proc/"$pid"/task/*/stat >>"$raw" 2>/dev/null
  sleep 1
done
awk -v hz="$(getconf CLK_TCK)" '
  { if ($1 != t && t != "") dump(); t = $1; last[$2] = $4; group[$2] = $3 }
  function dump(   g, id) { delete sum; for (id in last) sum[group[id]] += last[id]; for (g in sum) printf "%s %s %.1f\n", t, g, sum[g] / hz }
  END { dump() }' "$raw" >"$out"
rm -f "$raw"
