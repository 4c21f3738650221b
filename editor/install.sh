#!/usr/bin/env bash
# Installs the browser editor (editor/): Decap CMS, whose files the internal edition copies to /admin/, and
# decap-server, the local git proxy `invoke edit` starts. Both from npm, exactly as package-lock.json pins them
# (npm ci); nothing is fetched from a CDN.
#
# Idempotent and quick when done: npm ci runs only when the lockfile changed since the last install.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
STAMP="node_modules/.editor-install-stamp"

want_stamp() { sha256sum package-lock.json | cut -d' ' -f1; }
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(want_stamp)" ] &&
  [ -f node_modules/decap-cms/dist/decap-cms.js ] && [ -f node_modules/decap-server/dist/index.js ]; then
  echo "editor/install.sh: editor already installed"
  exit 0
fi
command -v npm >/dev/null || { echo "editor/install.sh: npm is required (Node 20 or later)" >&2; exit 1; }
echo "editor/install.sh: npm ci (decap-cms, decap-server)"
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
want_stamp >"$STAMP"
echo "editor/install.sh: done"
