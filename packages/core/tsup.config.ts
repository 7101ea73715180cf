import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/bytes/index.ts',
    'src/tlv/index.ts',
    'src/errors/index.ts',
    'src/qr/index.ts',
    'src/scan/index.ts',
    'src/id-number/index.ts',
    'src/mrz/index.ts',
    'src/credentials/index.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
});
