/**
 * @module
 * How many plain bytes one READ BINARY may ask for so that the whole response fits a budget.
 *
 * - Short length: the response data field holds at most 256 bytes (ISO/IEC 7816-4 §5.1).
 * - Secure messaging (ICAO Doc 9303 Part 11 §9.8.5) wraps n plain bytes as DO'87 (tag,
 *   length, padding-content indicator 01, data padded with ISO/IEC 9797-1 method 2 to the
 *   block size) + DO'99 (4 bytes) + DO'8E (10 bytes). With AES (16-byte blocks, PACE) 223 =
 *   0xDF plain bytes fit a short response (`87 81 E1 01 ‖ 224 ‖ 99 02 ‖ 8E 08` = 242; 224
 *   bytes would pad to 240 and need 258); with 3DES (8-byte blocks, BAC) 231 = 0xE7 fit
 *   (`87 81 E9 01 ‖ 232 ‖ …` = 250). When the cipher is unknown, count with AES: never too much.
 * - Odd-INS READ BINARY (B1) wraps the data in DO'53, 2–4 more bytes.
 * - Extended length: the default budget is 4096 bytes of response data. The standard allows
 *   65536, but chips' I/O buffers for extended APDUs are commonly a few KB, phone NFC stacks
 *   time out on long frames (4 KB ≈ 80 ms at 424 kbit/s), and a lost connection re-reads at
 *   most one chunk; a 15 KB DG2 then takes 4 APDUs instead of 66. Callers may raise it.
 */

/** Response data bytes in a short response APDU. */
export const SHORT_RESPONSE_LIMIT = 256;
/** Default response budget for extended-length READ BINARY (see the module note). */
export const DEFAULT_EXTENDED_RESPONSE_LIMIT = 4096;
/** Largest response budget (Ne = 65536). */
export const MAX_EXTENDED_RESPONSE_LIMIT = 65536;

/** Bytes of a BER length field for `n`. */
export function berLengthSize(n: number): number {
  if (n < 0x80) return 1;
  if (n < 0x100) return 2;
  if (n < 0x10000) return 3;
  return 4;
}

/** Secure messaging of a session, as far as chunk sizes go. */
export type SecureMessagingKind = 'none' | 'aes' | '3des';

/** Size of a response data field carrying `n` plain bytes in DO'87 + DO'99 + DO'8E. */
export function smResponseLength(n: number, blockSize: 8 | 16 = 16): number {
  if (n === 0) return 4 + 10;
  const v = 1 + (Math.floor(n / blockSize) + 1) * blockSize;
  return 1 + berLengthSize(v) + v + 4 + 10;
}

/** Size of an odd-INS response data field carrying `n` bytes in DO'53. */
export function oddInsResponseLength(n: number): number {
  return 1 + berLengthSize(n) + n;
}

const cache = new Map<string, number>();

/**
 * The largest number of plain file bytes one READ BINARY can return within `limit` bytes of
 * response data, with or without secure messaging, with even (B0) or odd (B1) INS.
 */
export function maxPlainChunk(limit: number, secureMessaging: SecureMessagingKind, oddIns: boolean): number {
  const key = `${limit}/${secureMessaging}/${oddIns}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const size = (n: number): number => {
    const inner = oddIns ? oddInsResponseLength(n) : n;
    if (secureMessaging === 'none') return inner;
    return smResponseLength(inner, secureMessaging === 'aes' ? 16 : 8);
  };
  // size() is monotonic: binary search for the largest n with size(n) ≤ limit.
  let lo = 0;
  let hi = limit;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(mid) <= limit) lo = mid;
    else hi = mid - 1;
  }
  cache.set(key, lo);
  return lo;
}

/** The Le to send for `n` plain bytes: the DO'53 wrapper counts for odd INS (SM adds its own). */
export function leFor(n: number, oddIns: boolean): number {
  return oddIns ? oddInsResponseLength(n) : n;
}

/** Short chunk sizes tried in turn after a 6700 (wrong length). */
export const SHRINK_STEPS: readonly number[] = [0xe7, 0xdf, 0xc0, 0xa0, 0x80, 0x40, 0x20, 0x10, 0x08, 0x01];

/** The next smaller chunk size after `n` was refused, or undefined when none is left. */
export function shrinkChunk(n: number): number | undefined {
  return SHRINK_STEPS.find((s) => s < n);
}
