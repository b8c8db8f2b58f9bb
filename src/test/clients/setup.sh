#!/usr/bin/env bash
# Installs the real clients the end-to-end tests drive (nostr-tools, blossom-client-sdk, ws) from
# package-lock.json. CI runs this before `./tern test`; NodeClients skips without them on a developer
# machine and fails without them under CI=true.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
