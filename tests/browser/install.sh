#!/usr/bin/env bash
# Installs what the browser tests need (tests/browser): Debian's Chromium and a font, axe-core and the Nu HTML
# Checker (npm ci from package-lock.json). Java 17 is expected on the machine (vnu.jar needs Java 11 or later).
#
# Idempotent and quick when done: apt-get runs only when chromium or the font is missing, npm ci only when the
# lockfile changed since the last install. Playwright (PyPI, requirements-dev.txt) drives /usr/bin/chromium;
# its own browser download is never used.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
STAMP="node_modules/.browser-tests-install-stamp"
PACKAGES=(chromium fonts-dejavu-core)

# On Debian; elsewhere, point NEWSROOM_CHROMIUM at a Chromium.
bash ../tools/install_debian_packages.sh "${PACKAGES[@]}"
CHROMIUM="${NEWSROOM_CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] || { echo "install.sh: no Chromium at $CHROMIUM (install chromium, or set NEWSROOM_CHROMIUM)" >&2; exit 1; }

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
