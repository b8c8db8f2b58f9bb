#!/usr/bin/env bash
# Installs what the browser test needs: Debian's Chromium (only when missing) and playwright-core
# from package-lock.json. CI runs this before `./tern test`; BrowserImportTest skips without them
# on a developer machine and fails without them under CI=true.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
