/**
 * @module
 * The vitest configuration of the otp mutation run (`pnpm mutation:otp`, Stryker): the unit
 * tests of `@vneid/otp` against the sources, with the same `@vneid/*` aliases as the main
 * configuration. The tests against real PostgreSQL / Redis servers (`test/servers`) are not
 * run: their stores are not mutated. Nor is `runtime.test.ts`, which reads the source text
 * (Stryker's instrumented copy refers to the global `process`).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('../packages', import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vneid\/([a-z-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@vneid\/([a-z-]+)\/(.+)$/, replacement: `${packages}/$1/src/$2/index.ts` },
    ],
  },
  test: {
    testTimeout: 30_000,
    include: ['packages/otp/test/**/*.test.ts'],
    exclude: ['packages/otp/test/servers/**', 'packages/otp/test/otp/runtime.test.ts'],
  },
});
