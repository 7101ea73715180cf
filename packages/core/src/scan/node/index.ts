/**
 * @module
 * `@vneid/core/scan/node`: the QR scanner for Node.js, which Node also gets for
 * `@vneid/core/scan` (the `node` export condition). Identical to the browser entry except
 * that the zxing-wasm binary is read from disk (Node's `fetch` cannot read `file:`
 * URLs): the copy shipped in this package's `dist/scan/`, else the one in the installed
 * `zxing-wasm` dependency. Never a CDN.
 */
/// <reference types="node" />
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { ScanImage } from '../image.ts';
import {
  assertScanOptions,
  type ScanCccdQrOptions,
  type ScanCccdQrResult,
  scanWithDefaults,
} from '../scanner.ts';

export type { ScanImage } from '../image.ts';
export { ScanError, type ScanErrorCode, type ScanErrorContext } from '../scan-error.ts';
export type { ScanCccdQrOptions, ScanCccdQrResult } from '../scanner.ts';
export type { WasmSource } from '../zxing-decoder.ts';

// ESM keeps import.meta.url; the CJS build has __filename instead.
const here: string = typeof __filename === 'string' ? pathToFileURL(__filename).href : import.meta.url;

let wasm: Promise<Uint8Array> | undefined;

/** Reads the zxing-wasm binary from this package (dist) or the zxing-wasm dependency. */
export function readZxingWasm(): Promise<Uint8Array> {
  wasm ??= readFile(new URL('../zxing_reader.wasm', here)).catch(() =>
    readFile(createRequire(here).resolve('zxing-wasm/reader/zxing_reader.wasm')),
  );
  return wasm;
}

/**
 * Finds and decodes the CCCD / Căn cước QR code in a frame (see `@vneid/core/scan`); the
 * wasm defaults to {@link readZxingWasm}.
 */
export async function scanCccdQr(
  image: ScanImage,
  options: ScanCccdQrOptions = {},
): Promise<ScanCccdQrResult | null> {
  assertScanOptions(options);
  if (options.wasm === undefined && options.decoder !== 'jsqr') {
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readZxingWasm();
    } catch {
      wasm = undefined;
    }
    if (bytes !== undefined) return scanWithDefaults(image, { ...options, wasm: bytes }, () => bytes);
  }
  return scanWithDefaults(image, options, () => new URL('../zxing_reader.wasm', here));
}
