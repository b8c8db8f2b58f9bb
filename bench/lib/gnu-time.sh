#!/usr/bin/env bash
# Installs GNU time (/usr/bin/time, for peak RSS and wall time) if it is missing, or says how in one line.
[ -x /usr/bin/time ] && exit 0
echo "installing GNU time ..." >&2
apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y time >/dev/null 2>&1; } \
  || { echo "bench: GNU time (/usr/bin/time) is needed and could not be installed: sudo apt-get install time" >&2; exit 1; }
