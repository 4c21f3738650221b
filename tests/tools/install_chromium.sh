#!/usr/bin/env bash
# Debian's Chromium for the browser tests (Playwright drives it; its own browser download cannot work here).
# Idempotent: does nothing when /usr/bin/chromium is already installed (the issue-8 browser tests may install it too).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install_chromium: /usr/bin/chromium is missing; run as root: apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q chromium
