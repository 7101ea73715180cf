#!/usr/bin/env bash
# System packages the test suite drives for real: Debian's Chromium for the browser tests.
# Installed with apt-get when missing (CI runs as root on Debian).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "system-deps: need ${missing[*]} (install them with your package manager)" >&2
    exit 1
  fi
  echo "system-deps: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
