#!/usr/bin/env bash
# Quick start, step 1: everything a fresh machine with only Node and npm needs, then the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-pnpm.sh
pnpm install --frozen-lockfile
pnpm build
pnpm demo
