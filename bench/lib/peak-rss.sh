#!/usr/bin/env bash
# Usage: bench/lib/peak-rss.sh PID — samples the process's RSS every 0.2 s until it ends, then prints its peak split
# into anonymous pages (heap, native) and file pages (mmapped files: Lucene's index, the jar and libraries), which
# GNU time's single figure cannot tell apart.
pid=$1 peak=0 anon=0 file=0
while [ -r "/proc/$pid/status" ]; do
  read -r r a f < <(awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} /^RssFile/ {f = $2} END {print r + 0, a + 0, f + 0}' \
    "/proc/$pid/status" 2>/dev/null)
  if [ "${r:-0}" -gt "$peak" ]; then peak=$r anon=$a file=$f; fi
  sleep 0.2
done
echo "peak RSS $((peak / 1024)) MB (anon $((anon / 1024)) + file $((file / 1024)))"
