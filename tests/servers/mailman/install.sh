#!/usr/bin/env bash
# Installs GNU Mailman 3 (PyPI `mailman`, requirements.txt) for the email alert tests (tests/servers/mailman.py)
# into its own virtualenv, tests/servers/mailman/venv: Mailman's pins never meet the newsroom's.
#
# Idempotent: does nothing when the virtualenv was made from this requirements.txt and `mailman` runs.
# Needs Python 3.9 or later (python3.11 when present, else python3).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
VENV="$PWD/venv"
STAMP="$VENV/.mailman-install-stamp"
PYTHON="$(command -v python3.11 || command -v python3)"

want_stamp() { { sha256sum requirements.txt; "$PYTHON" --version; } | sha256sum | cut -d' ' -f1; }
check() { "$VENV/bin/mailman" --version >/dev/null 2>&1; }

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(want_stamp)" ] && check; then
  echo "install.sh: Mailman already installed ($("$VENV/bin/mailman" --version))"
  exit 0
fi

start=$(date +%s)
rm -rf "$VENV"
echo "install.sh: installing Mailman into $VENV"
"$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt
check || { echo "install.sh: mailman does not run after installing" >&2; exit 1; }
want_stamp >"$STAMP"
echo "install.sh: $("$VENV/bin/mailman" --version) installed in $(( $(date +%s) - start ))s"
