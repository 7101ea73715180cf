import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages', import.meta.url));

// Tests run against the TypeScript sources: `@vneid/<pkg>/<layer>` maps to
// `packages/<pkg>/src/<layer>/index.ts`. The browser test loads the built bundles instead.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vneid\/([a-z-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@vneid\/([a-z-]+)\/(.+)$/, replacement: `${packages}/$1/src/$2/index.ts` },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
