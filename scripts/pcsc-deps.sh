#!/usr/bin/env bash
# System packages the PC/SC test drives for real: pcsc-lite's daemon (pcscd), its headers
# (libpcsclite-dev, to build the optional npm binding @pokusew/pcsclite with node-gyp) and
# vsmartcard's virtual reader driver (vsmartcard-vpcd). Installed with apt-get when missing
# (CI runs as root on Debian); elsewhere the PC/SC test skips with a warning, so this never fails.
# When the binding is in node_modules but did not build (its headers were missing at install
# time, which pnpm tolerates because it is an optional dependency), it is rebuilt here.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
[ -x /usr/sbin/pcscd ] || command -v pcscd >/dev/null 2>&1 || missing+=(pcscd)
[ -f /usr/include/PCSC/winscard.h ] || missing+=(libpcsclite-dev)
ls /usr/lib/pcsc/drivers/serial/libifdvpcd.so* >/dev/null 2>&1 || missing+=(vsmartcard-vpcd)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "pcsc-deps: ${missing[*]} missing (install them with your package manager); the PC/SC test will be skipped" >&2
    exit 0
  fi
  echo "pcsc-deps: installing ${missing[*]} with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d may refuse to start the service: the test starts its own pcscd.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
binding=node_modules/@pokusew/pcsclite
if [ -d "$binding" ] && ! node -e "require('./$binding')" >/dev/null 2>&1; then
  echo "pcsc-deps: building the PC/SC binding @pokusew/pcsclite" >&2
  pnpm rebuild @pokusew/pcsclite >/dev/null
fi
