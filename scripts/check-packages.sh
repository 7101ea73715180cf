#!/usr/bin/env bash
# Publishing checks for every package: publint --strict and Are The Types Wrong (node16 and
# bundler resolution; node10 cannot resolve subpath exports by design).
set -euo pipefail
cd "$(dirname "$0")/.."
for dir in packages/*/; do
  [ -f "$dir/package.json" ] || continue
  extra=()
  # The sandbox is a Node server and ESM only (oidc-provider is); its openapi.yaml export is data.
  [ "$dir" = packages/sandbox/ ] && extra=(--ignore-rules cjs-resolves-to-esm --exclude-entrypoints ./openapi.yaml)
  # The CLI is a Node command line, ESM only like the sandbox.
  [ "$dir" = packages/cli/ ] && extra=(--ignore-rules cjs-resolves-to-esm)
  (cd "$dir" && pnpm exec publint --strict && pnpm exec attw --pack . --profile node16 --format ascii "${extra[@]}")
done
