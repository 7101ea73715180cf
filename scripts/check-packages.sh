#!/usr/bin/env bash
# Publishing checks for every package: publint --strict and Are The Types Wrong (node16 and
# bundler resolution; node10 cannot resolve subpath exports by design).
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in packages/*/; do
  [ -f "$dir/package.json" ] || continue
  (cd "$dir" && pnpm exec publint --strict && pnpm exec attw --pack . --profile node16 --format ascii)
done
