/**
 * @module
 * Small non-negative INTEGER contents (ITU-T X.690 §8.3, DER minimal two's complement), as
 * used for versions, algorithm parameter IDs and DG13 field numbers. Values up to
 * `Number.MAX_SAFE_INTEGER`; negative numbers and non-minimal encodings are rejected.
 */
import { TlvError } from './tlv-error.ts';

/**
 * Value of INTEGER contents that encode a non-negative safe integer.
 * @throws {TlvError} `TLV_INVALID_VALUE` when empty, negative, non-minimal or above 2^53 − 1;
 * `TLV_INVALID_INPUT` when `bytes` is not a `Uint8Array`.
 */
export function decodeInteger(bytes: Uint8Array): number {
  if (!(bytes instanceof Uint8Array)) throw new TlvError('TLV_INVALID_INPUT', 'Expected a Uint8Array');
  if (bytes.length === 0) throw new TlvError('TLV_INVALID_VALUE', 'An INTEGER cannot be empty');
  const b0 = bytes[0]!;
  if (b0 & 0x80) throw new TlvError('TLV_INVALID_VALUE', 'Expected a non-negative INTEGER');
  if (bytes.length > 1 && b0 === 0 && (bytes[1]! & 0x80) === 0) {
    throw new TlvError('TLV_INVALID_VALUE', 'INTEGER is not in its shortest form');
  }
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    n = n * 256 + bytes[i]!;
    if (n > Number.MAX_SAFE_INTEGER)
      throw new TlvError('TLV_INVALID_VALUE', 'INTEGER is larger than 2^53 - 1');
  }
  return n;
}

/**
 * Minimal INTEGER contents of a non-negative safe integer (`0` → `00`, `128` → `00 80`).
 * @throws {TlvError} `TLV_INVALID_VALUE`
 */
export function encodeInteger(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TlvError('TLV_INVALID_VALUE', 'Expected a non-negative safe integer');
  }
  const out: number[] = [];
  let v = n;
  do {
    out.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (out[0]! & 0x80) out.unshift(0);
  return Uint8Array.from(out);
}
