import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/challenge/index.ts',
    'src/store/index.ts',
    'src/verifier/index.ts',
    'src/store/pg/index.ts',
    'src/store/redis/index.ts',
    'src/testing/index.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
});
