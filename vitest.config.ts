import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const packages = fileURLToPath(new URL('./packages', import.meta.url));

// Tests run against the TypeScript sources: `@vneid/<pkg>/<layer>` maps to
// `packages/<pkg>/src/<layer>/index.ts`. The browser test loads the built bundles instead.
// The identity half runs over real HTTP against the real sandbox: its suite once on embedded
// PGlite and once on a real PostgreSQL (a throw-away cluster started by the global setup); the
// client suite on PGlite.
const identity = [
  'packages/sandbox/test/**/*.test.ts',
  'packages/client/test/**/*.test.ts',
  'examples/login-with-vneid/**/*.test.ts',
  'examples/bank-ekyc/**/*.test.ts',
];
// The OTP stores on real servers: a throw-away PostgreSQL cluster and redis-server per run.
const otpServers = ['packages/otp/test/servers/**/*.test.ts'];
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@vneid\/([a-z-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@vneid\/([a-z-]+)\/(.+)$/, replacement: `${packages}/$1/src/$2/index.ts` },
    ],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'test/*.test.ts', 'examples/**/*.test.ts'],
          // An explicit exclude replaces vitest's defaults: keep them (node_modules holds
          // workspace symlinks, e.g. examples/node_modules/@vneid/*, whose tests must not run twice).
          exclude: [...configDefaults.exclude, ...identity, ...otpServers],
        },
      },
      {
        extends: true,
        test: { name: 'sandbox-pglite', include: identity, env: { VNEID_TEST_STORE: 'pglite' } },
      },
      {
        extends: true,
        test: {
          name: 'sandbox-postgres',
          include: ['packages/sandbox/test/**/*.test.ts'],
          env: { VNEID_TEST_STORE: 'postgres' },
          globalSetup: ['test/support/postgres-global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'otp-stores',
          include: otpServers,
          globalSetup: ['test/support/postgres-global-setup.ts', 'test/support/redis.ts'],
        },
      },
    ],
  },
});
