#!/usr/bin/env bash
# Installs the Debian packages named as arguments when any is missing, with apt-get; does nothing when all are
# installed. Used by `invoke test` for the programs the tests run for real (Chromium, rsync…).
#
# As root, it installs. As another user (GitHub's hosted runners run as `runner`, with passwordless sudo), it
# uses sudo only in CI (CI=true, which GitHub Actions sets) and only if sudo needs no password; anywhere else it
# prints the one command to run and exits 1, so a developer's machine is never changed behind their back.
set -euo pipefail

missing=()
if command -v dpkg-query >/dev/null; then
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
fi
[ "${#missing[@]}" -eq 0 ] && exit 0

install() {
  echo "install_debian_packages: ${*:+$* }apt-get install ${missing[*]}"
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "$@" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
if ! command -v apt-get >/dev/null; then
  echo "install_debian_packages: missing: ${missing[*]} (no apt-get here: install them with this system's package manager)" >&2
  exit 1
elif [ "$(id -u)" = 0 ]; then
  install
elif [ "${CI:-}" = true ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  install sudo
else
  echo "install_debian_packages: missing: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
