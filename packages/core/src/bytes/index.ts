/**
 * @module
 * Byte helpers: hex and base64 (RFC 4648) conversion, concatenation, constant-time equality
 * and strict UTF-8 decoding (WHATWG Encoding, `fatal: true`). Everything works on
 * `Uint8Array` and runs unchanged in browsers, React Native and Node.
 *
 * Byte arguments must be `Uint8Array` (a `Buffer` is one); text arguments must be strings.
 * Anything else — `undefined`, `null`, numbers, plain objects, plain arrays — is answered with
 * `BytesError` `INVALID_ARGUMENT`, never a `TypeError` from inside.
 */
import { BytesError } from '../errors/index.ts';

function bytesArg(value: unknown, name: string): void {
  if (!(value instanceof Uint8Array)) {
    throw new BytesError('INVALID_ARGUMENT', `Expected ${name} to be a Uint8Array`);
  }
}

function stringArg(value: unknown, name: string): void {
  if (typeof value !== 'string') {
    throw new BytesError('INVALID_ARGUMENT', `Expected ${name} to be a string`);
  }
}

const HEX = '0123456789abcdef';

/**
 * Lower-case hex of `bytes`.
 * @throws {BytesError} `INVALID_ARGUMENT` when `bytes` is not a `Uint8Array`.
 */
export function toHex(bytes: Uint8Array): string {
  bytesArg(bytes, 'bytes');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    out += HEX[b >> 4]! + HEX[b & 15]!;
  }
  return out;
}

function hexNibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}

/**
 * Parses hex (either case). Spaces, tabs, newlines and `:` between bytes are ignored so that
 * vectors copied from standards can be pasted as printed; anything else is rejected.
 * @throws {BytesError} `INVALID_HEX`; `INVALID_ARGUMENT` when `hex` is not a string.
 */
export function fromHex(hex: string): Uint8Array {
  stringArg(hex, 'hex');
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0) {
    throw new BytesError('INVALID_HEX', `Expected an even number of hex digits, got ${clean.length}`, {
      context: { length: clean.length },
    });
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = hexNibble(clean.charCodeAt(2 * i));
    const lo = hexNibble(clean.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new BytesError('INVALID_HEX', `Expected a hex digit at position ${2 * i + (hi < 0 ? 0 : 1)}`, {
        context: { offset: 2 * i },
      });
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64_LOOKUP = /* @__PURE__ */ (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) {
    t[B64.charCodeAt(i)] = i;
    t[B64URL.charCodeAt(i)] = i;
  }
  return t;
})();

/**
 * Base64 (RFC 4648 §4, padded) or base64url (§5, unpadded) of `bytes`.
 * @throws {BytesError} `INVALID_ARGUMENT` when `bytes` is not a `Uint8Array` or `options` not an object.
 */
export function toBase64(bytes: Uint8Array, options: { url?: boolean } = {}): string {
  bytesArg(bytes, 'bytes');
  if (typeof options !== 'object' || options === null) {
    throw new BytesError('INVALID_ARGUMENT', 'Expected options to be an object');
  }
  const url = options.url === true;
  const alphabet = url ? B64URL : B64;
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]! + alphabet[(n >> 6) & 63]! + alphabet[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
    out += alphabet[n >> 18]! + alphabet[(n >> 12) & 63]!;
    out += rest === 2 ? alphabet[(n >> 6) & 63]! : url ? '' : '=';
    out += url ? '' : '=';
  }
  return out;
}

/**
 * Strict base64 / base64url decoding: padding optional but, if present, correct; no
 * whitespace; the unused bits of the last character must be zero (canonical form).
 * @throws {BytesError} `INVALID_BASE64`; `INVALID_ARGUMENT` when `text` is not a string.
 */
export function fromBase64(text: string): Uint8Array {
  stringArg(text, 'text');
  let end = text.length;
  if (end % 4 === 0 && end > 0) {
    if (text[end - 1] === '=') end--;
    if (text[end - 1] === '=') end--;
  }
  const rem = end % 4;
  if (rem === 1) throw new BytesError('INVALID_BASE64', 'Base64 text has an impossible length');
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? B64_LOOKUP[c]! : -1;
    if (v < 0) {
      throw new BytesError('INVALID_BASE64', `Unexpected character at position ${i}`, {
        context: { offset: i },
      });
    }
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) {
    throw new BytesError('INVALID_BASE64', 'Base64 text is not canonical (non-zero padding bits)');
  }
  return out;
}

/**
 * Concatenates byte arrays into a new array.
 * @throws {BytesError} `INVALID_ARGUMENT` when a part is not a `Uint8Array`.
 */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) {
    bytesArg(p, 'every part');
    length += p.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/**
 * Compares two byte arrays in time that depends only on their lengths, never on where they
 * differ. Use it for MACs, hashes and one-time codes.
 * @throws {BytesError} `INVALID_ARGUMENT` when `a` or `b` is not a `Uint8Array`.
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  bytesArg(a, 'a');
  bytesArg(b, 'b');
  const n = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/**
 * Byte-wise equality (not constant time: for non-secret data).
 * @throws {BytesError} `INVALID_ARGUMENT` when `a` or `b` is not a `Uint8Array`.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  bytesArg(a, 'a');
  bytesArg(b, 'b');
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

let fatalDecoder: TextDecoder | undefined;
const encoder: TextEncoder = /* @__PURE__ */ new TextEncoder();

/**
 * Strict UTF-8 decoding: overlong forms, surrogates, truncated sequences and a leading
 * byte-order mark are all rejected.
 * @throws {BytesError} `INVALID_UTF8`; `INVALID_ARGUMENT` when `bytes` is not a `Uint8Array`.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  bytesArg(bytes, 'bytes');
  fatalDecoder ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    throw new BytesError('INVALID_UTF8', 'UTF-8 text starts with a byte-order mark');
  }
  try {
    return fatalDecoder.decode(bytes);
  } catch (cause) {
    throw new BytesError('INVALID_UTF8', 'Bytes are not valid UTF-8', { cause });
  }
}

/**
 * UTF-8 encoding of `text`.
 * @throws {BytesError} `INVALID_ARGUMENT` when `text` is not a string.
 */
export function encodeUtf8(text: string): Uint8Array {
  stringArg(text, 'text');
  return encoder.encode(text);
}

/**
 * Big-endian unsigned integer of up to 6 bytes.
 * @throws {BytesError} `INVALID_ARGUMENT` when `bytes` is not a `Uint8Array`, or `offset` and
 * `length` are not integers (0–6 for `length`) inside `bytes`.
 */
export function readUintBE(bytes: Uint8Array, offset: number, length: number): number {
  bytesArg(bytes, 'bytes');
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(length) ||
    offset < 0 ||
    length < 0 ||
    length > 6 ||
    offset + length > bytes.length
  ) {
    throw new BytesError(
      'INVALID_ARGUMENT',
      'Expected an integer offset and a length of 0-6 bytes inside bytes',
    );
  }
  let n = 0;
  for (let i = 0; i < length; i++) n = n * 256 + bytes[offset + i]!;
  return n;
}
