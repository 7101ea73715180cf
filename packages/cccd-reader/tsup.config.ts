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
    'src/react-native/index.ts',
    'src/pcsc/index.ts',
  ],
  // Optional native PC/SC binding, imported lazily by the pcsc entry: never bundled.
  external: ['@pokusew/pcsclite'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  splitting: true,
  treeshake: true,
});
