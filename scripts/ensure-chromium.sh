#!/usr/bin/env bash
# Browser tests need Debian's Chromium (Playwright cannot download its own browser here).
# As root (CI) it is installed when missing; otherwise the browser tests skip locally
# with a message, and fail in CI (CI=true).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "chromium is missing and cannot be installed without root: browser tests will skip (and fail when CI=true)." >&2
