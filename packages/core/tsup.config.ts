import { defineConfig } from 'tsup';

export default defineConfig({
  entry: [
    'src/index.ts',
    'src/bytes/index.ts',
    'src/tlv/index.ts',
    'src/errors/index.ts',
    'src/qr/index.ts',
    'src/scan/index.ts',
    'src/scan/node/index.ts',
    'src/id-number/index.ts',
    'src/mrz/index.ts',
    'src/credentials/index.ts',
    'src/ekyc/index.ts',
  ],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
  // The scanner's decoders are bundled (into lazily loaded chunks) so that the wasm copied to
  // dist/scan/ by scripts/copy-wasm.mjs always matches its JavaScript glue, and browsers can
  // load dist/ as self-contained ESM.
  noExternal: ['zxing-wasm', 'jsqr'],
});
