#!/usr/bin/env bash
# System packages the test suite drives for real, installed with one apt-get run when missing
# (CI runs as root on Debian):
# - required: Debian's Chromium for the browser tests, and Debian's PostgreSQL server for the
#   sandbox suite and the OTP PostgreSQL store (test/support/postgres.ts starts a throw-away
#   cluster; nothing runs as a service), and Debian's redis-server for the OTP Redis store
#   (test/support/redis.ts starts a throw-away instance);
# - optional: pcsc-lite's daemon (pcscd), its headers (libpcsclite-dev, to build the optional npm
#   binding @pokusew/pcsclite with node-gyp) and vsmartcard's virtual reader driver
#   (vsmartcard-vpcd) for the PC/SC test, which skips with a warning where they cannot be had.
# When the binding is in node_modules but did not build (its headers were missing at install
# time, which pnpm tolerates because it is an optional dependency), it is rebuilt here.
set -euo pipefail
cd "$(dirname "$0")/.."
required=()
optional=()
command -v chromium >/dev/null 2>&1 || required+=(chromium)
# The sandbox suite runs against a real PostgreSQL server too (a throw-away cluster per run).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || required+=(postgresql)
# The OTP Redis store runs against a real redis-server (test/support/redis.ts starts a throw-away one).
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || required+=(redis-server)
[ -x /usr/sbin/pcscd ] || command -v pcscd >/dev/null 2>&1 || optional+=(pcscd)
[ -f /usr/include/PCSC/winscard.h ] || optional+=(libpcsclite-dev)
ls /usr/lib/pcsc/drivers/serial/libifdvpcd.so* >/dev/null 2>&1 || optional+=(vsmartcard-vpcd)
missing=("${required[@]}" "${optional[@]}")
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    if [ ${#required[@]} -gt 0 ]; then
      echo "system-deps: need ${required[*]} (install them with your package manager)" >&2
      exit 1
    fi
    echo "system-deps: ${optional[*]} missing (install them with your package manager); the PC/SC test will be skipped" >&2
  else
    echo "system-deps: installing ${missing[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # policy-rc.d may refuse to start pcscd's service: the PC/SC test starts its own pcscd.
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi
binding=node_modules/@pokusew/pcsclite
if [ -d "$binding" ] && ! node -e "require('./$binding')" >/dev/null 2>&1; then
  echo "system-deps: building the PC/SC binding @pokusew/pcsclite" >&2
  pnpm rebuild @pokusew/pcsclite >/dev/null
fi
