import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/sso/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
});
