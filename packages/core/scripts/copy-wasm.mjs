/**
 * Build step: copies zxing-wasm's reader binary next to the built scan entry
 * (dist/scan/zxing_reader.wasm), where `@vneid/core/scan` locates it with
 * `new URL('./zxing_reader.wasm', import.meta.url)` and `@vneid/core/scan/node` reads it.
 * The JavaScript glue is bundled into dist by tsup, so the two always come from the same
 * zxing-wasm version.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const source = require.resolve('zxing-wasm/reader/zxing_reader.wasm');
const target = new URL('../dist/scan/zxing_reader.wasm', import.meta.url);
mkdirSync(new URL('.', target), { recursive: true });
copyFileSync(source, target);
console.log('copied zxing_reader.wasm to dist/scan/');
