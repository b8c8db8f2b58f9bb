#!/usr/bin/env bash
# Soak test (not in CI): reliability/load.sh with 200 connections for 30 minutes (300,000 events published,
# then REQs only); its RSS line every 30 s shows whether memory stays flat.
set -euo pipefail
NAME=soak CONNS=${CONNS:-200} DURATION=${DURATION:-1800} EVENTS=${EVENTS:-300000} PORT=${PORT:-3397} \
  exec "$(dirname "${BASH_SOURCE[0]}")/load.sh"
