/**
 * @module
 * `@vneid/core/scan`: finds the CCCD / Căn cước QR code in a camera frame (`ImageData`-like
 * RGBA or 8-bit grey) and parses it (SPEC-NOTES §1). zxing-wasm is the default decoder, its
 * `.wasm` loaded lazily from this package (`zxing_reader.wasm` beside this file), never from
 * a CDN; jsQR is the pure-JS fallback. In Node, `@vneid/core/scan` resolves (export condition
 * `node`) to `@vneid/core/scan/node`, which reads the wasm from disk, so Node gets zxing-wasm
 * too; this file is what browsers and bundlers for the web get.
 */
import type { ScanImage } from './image.ts';
import { type ScanCccdQrOptions, type ScanCccdQrResult, scanWithDefaults } from './scanner.ts';
import type { WasmSource } from './zxing-decoder.ts';

export type { ScanImage } from './image.ts';
export { ScanError, type ScanErrorCode, type ScanErrorContext } from './scan-error.ts';
export type { ScanCccdQrOptions, ScanCccdQrResult } from './scanner.ts';
export type { WasmSource } from './zxing-decoder.ts';

/** The wasm shipped beside this module (bundlers recognise this pattern and emit the file). */
function defaultWasm(): WasmSource {
  return new URL('./zxing_reader.wasm', import.meta.url);
}

/**
 * Finds and decodes the CCCD / Căn cước QR code in a frame.
 *
 * Returns null when no QR code is found; otherwise `{ text, card, decoder }` where `card`
 * is the parsed payload or the `CccdQrError` (from `@vneid/core/qr`) explaining why the text is not a valid
 * one (a frame can show some other QR code).
 *
 * @throws {ScanError} `INVALID_IMAGE`, `DECODER_UNAVAILABLE`, `DECODER_FAILED`, `NOT_UTF8`,
 * `INVALID_OPTIONS`.
 */
export function scanCccdQr(
  image: ScanImage,
  options: ScanCccdQrOptions = {},
): Promise<ScanCccdQrResult | null> {
  return scanWithDefaults(image, options, defaultWasm);
}
