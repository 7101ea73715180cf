#!/usr/bin/env bash
# Quick start, step 2: the whole test suite (unit, property, interop, emulator end-to-end and
# real headless Chromium). Installs what it drives, builds the bundles the browser loads.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-pnpm.sh
bash scripts/system-deps.sh
[ -d node_modules ] || pnpm install --frozen-lockfile
pnpm build >/dev/null
pnpm exec vitest run "$@"
