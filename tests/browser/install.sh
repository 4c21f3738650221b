#!/usr/bin/env bash
# Installs what the browser tests need (tests/browser): a Chromium and a font, axe-core and the Nu HTML Checker
# (npm ci from package-lock.json). Java 17 is expected on the machine (vnu.jar needs Java 11 or later).
#
# Idempotent and quick when done. The browser is the one find_chromium.py finds (NEWSROOM_CHROMIUM, then
# chromium, chromium-browser, google-chrome, google-chrome-stable on PATH): Debian's chromium is installed only
# when there is none. apt-get runs only for what is missing (with sudo in CI, see install_debian_packages.sh);
# npm ci only when the lockfile changed since the last install. Playwright (PyPI, requirements-dev.txt) drives
# that browser; its own browser download is never used.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
STAMP="node_modules/.browser-tests-install-stamp"
PACKAGES=(fonts-dejavu-core)

# A named browser is used or refused, never replaced: Debian's chromium only when none is named or found.
if [ -z "${NEWSROOM_CHROMIUM:-}" ] && ! python3 find_chromium.py >/dev/null 2>&1; then
  PACKAGES+=(chromium)
fi
bash ../tools/install_debian_packages.sh "${PACKAGES[@]}"
CHROMIUM="$(python3 find_chromium.py)" || exit 1 # it has said why and what to do
echo "install.sh: Chromium: $CHROMIUM"

want_stamp() { sha256sum package-lock.json | cut -d' ' -f1; }
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(want_stamp)" ] &&
  [ -f node_modules/axe-core/axe.min.js ] && [ -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
  echo "install.sh: browser test tools already installed"
  exit 0
fi
command -v npm >/dev/null || { echo "install.sh: npm is required (Node 20 or later)" >&2; exit 1; }
echo "install.sh: npm ci (axe-core, vnu-jar)"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
want_stamp >"$STAMP"
echo "install.sh: done"
