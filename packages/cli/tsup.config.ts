import { defineConfig } from 'tsup';

// A Node command line: ESM only; bin.ts keeps its shebang. The @vneid packages stay external.
export default defineConfig({
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  platform: 'node',
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
});
