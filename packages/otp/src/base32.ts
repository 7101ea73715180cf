/**
 * @module
 * Base32 (RFC 4648 §6), the encoding of shared secrets in otpauth:// URIs and authenticator
 * apps. Encoding and bit-level decoding are done by `@scure/base` through otplib's Base32
 * plugin; this module adds the strict syntax check: upper-case alphabet only, a length that
 * a whole number of bytes can have, and either no padding or exactly the right padding.
 */
import { ScureBase32Plugin } from 'otplib';
import { OtpError } from './errors.ts';

const plugin = /* @__PURE__ */ new ScureBase32Plugin();

/** Unpadded lengths (mod 8) that a whole number of bytes can have. */
const VALID_REMAINDERS = new Set([0, 2, 4, 5, 7]);

/**
 * Base32 of `bytes`, upper case, without `=` padding (the otpauth:// convention).
 * @throws {OtpError} `INVALID_ARGUMENT` when `bytes` is not a `Uint8Array`.
 */
export function encodeBase32(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) {
    throw new OtpError('INVALID_ARGUMENT', 'bytes: expected a Uint8Array', { context: { field: 'bytes' } });
  }
  return plugin.encode(bytes, { padding: false });
}

/**
 * Strict Base32 decoding: `A`–`Z` and `2`–`7` only (no lower case, spaces or hyphens), either
 * unpadded or padded with exactly the `=` needed to reach a multiple of 8 characters, and
 * unused trailing bits equal to zero (so every byte string has exactly one encoding).
 * @throws {OtpError} `INVALID_BASE32` (also when `text` is not a string)
 */
export function decodeBase32(text: string): Uint8Array {
  if (typeof text !== 'string') throw new OtpError('INVALID_BASE32', 'Base32: expected a string');
  const firstPad = text.indexOf('=');
  const body = firstPad === -1 ? text : text.slice(0, firstPad);
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 50 && c <= 55);
    if (!ok)
      throw new OtpError('INVALID_BASE32', `Base32: expected A-Z or 2-7 at offset ${i}`, {
        context: { offset: i },
      });
  }
  if (!VALID_REMAINDERS.has(body.length % 8)) {
    throw new OtpError('INVALID_BASE32', `Base32: ${body.length} characters cannot encode whole bytes`, {
      context: { length: body.length },
    });
  }
  if (firstPad !== -1) {
    const padding = text.slice(firstPad);
    const expected = (8 - (body.length % 8)) % 8;
    if (!/^=+$/.test(padding) || padding.length !== expected) {
      throw new OtpError(
        'INVALID_BASE32',
        `Base32: expected ${expected} padding characters, got ${padding.length}`,
        {
          context: { offset: firstPad, length: padding.length },
        },
      );
    }
  }
  try {
    return plugin.decode(body);
  } catch (cause) {
    throw new OtpError('INVALID_BASE32', 'Base32: unused trailing bits are not zero', {
      cause,
      context: { length: body.length },
    });
  }
}
