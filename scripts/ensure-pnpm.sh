#!/usr/bin/env bash
# Installs the pinned pnpm with npm when it is missing or another version (corepack does not
# work offline and pnpm 11 fails on Node 20).
set -euo pipefail
want=10.34.9
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  npm install --global --no-fund --no-audit "pnpm@$want" >/dev/null
fi
