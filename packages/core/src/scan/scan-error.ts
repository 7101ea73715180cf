/**
 * @module
 * Errors of the QR image scanner (`@vneid/core/scan`). Messages describe the image or the
 * decoder, never the QR content (it is personal data).
 */
import { CoreError } from '../errors/index.ts';

/** Codes of {@link ScanError}. */
export type ScanErrorCode =
  /** The requested decoder could not be loaded (wasm missing, blocked, or not compilable). */
  | 'DECODER_UNAVAILABLE'
  /** The decoder threw while reading a frame. */
  | 'DECODER_FAILED'
  /** `{ data, width, height }` is not an RGBA or 8-bit grey image of that size. */
  | 'INVALID_IMAGE'
  /** An option has an unsupported value. */
  | 'INVALID_OPTIONS'
  /** A QR code was found but its bytes are not valid UTF-8 (so it is no CCCD QR). */
  | 'NOT_UTF8';

/** Structured, non-personal details of a {@link ScanError}. */
export interface ScanErrorContext {
  decoder?: 'zxing' | 'jsqr';
  width?: number;
  height?: number;
  length?: number;
  /** Byte length of the QR payload (for `NOT_UTF8`). */
  byteLength?: number;
}

/** Error thrown by {@link scanCccdQr}. */
export class ScanError extends CoreError<ScanErrorCode, ScanErrorContext> {}
