import { defineConfig } from 'tsup';

// A Node server: ESM only (oidc-provider is ESM only), the CLI keeps its shebang.
export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  platform: 'node',
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
