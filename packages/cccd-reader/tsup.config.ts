import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/transport/index.ts',
    'src/sm/index.ts',
    'src/protocols/index.ts',
    'src/reading/index.ts',
    'src/lds/index.ts',
    'src/pa/index.ts',
    'src/emulator/index.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
});
