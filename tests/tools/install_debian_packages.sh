#!/usr/bin/env bash
# Installs the Debian packages named as arguments when any is missing (as root, with apt-get); does nothing
# when all are installed. Used by `invoke test` for the programs the tests run for real (Chromium, rsync…).
set -euo pipefail

missing=()
if command -v dpkg-query >/dev/null; then
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
fi
[ "${#missing[@]}" -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "install_debian_packages: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install_debian_packages: missing: ${missing[*]} (run as root: apt-get install -y ${missing[*]})" >&2
  exit 1
fi
