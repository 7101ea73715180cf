/**
 * @module
 * The vitest configuration of the mutation run (`pnpm mutation`, Stryker): the unit tests of
 * `@vneid/core`'s text layers (errors, id-number, mrz, credentials, ekyc) against the sources,
 * with the same `@vneid/*` aliases as the main configuration. Property tests run with their
 * usual number of cases.
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
    include: [
      'packages/core/test/errors/**/*.test.ts',
      'packages/core/test/id-number/**/*.test.ts',
      'packages/core/test/mrz/**/*.test.ts',
      'packages/core/test/credentials/**/*.test.ts',
      'packages/core/test/ekyc/**/*.test.ts',
    ],
    // Needs @vneid/cccd-reader, which the mutation sandbox does not copy.
    exclude: ['packages/core/test/ekyc/cross-check-reader.test.ts'],
  },
});
