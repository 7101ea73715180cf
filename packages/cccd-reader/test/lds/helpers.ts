/**
 * Shared pieces of the LDS parser tests (ICAO Doc 9303 Part 10): the error code a parser throws,
 * and short writers for the BER-TLV structures the tests build by hand.
 */
import { encodeInteger, encodeOid, encodeTlv } from '@vneid/core/tlv';
import { expect } from 'vitest';
import { LdsError } from '../../src/lds/index.ts';

/** The `code` of the LdsError `fn` throws (anything else fails the test), or undefined when it returns. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LdsError);
    return (e as LdsError).code;
  }
  return undefined;
}

/** A constructed TLV of `tag` holding `parts`. */
export const T = (tag: number, ...parts: Uint8Array[]): Uint8Array => encodeTlv(tag, parts);
/** A primitive TLV of `tag` with `value`. */
export const P = (tag: number, value: Uint8Array): Uint8Array => encodeTlv(tag, value);
/** A DER OBJECT IDENTIFIER. */
export const oid = (o: string): Uint8Array => P(0x06, encodeOid(o));
/** A DER INTEGER. */
export const int = (n: number): Uint8Array => P(0x02, encodeInteger(n));
