/**
 * `unpadIso9797Lenient`: ISO/IEC 9797-1 padding method 2 (ICAO Doc 9303 Part 11 §9.8.3: `80`
 * then `00`s) removed without block-length checks, as PACE Chip Authentication Mapping data
 * needs it.
 */
import { toHex } from '@vneid/core/bytes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { padIso9797, unpadIso9797, unpadIso9797Lenient } from '../../src/crypto/index.ts';

const hex = (b: Uint8Array | undefined): string | undefined => (b === undefined ? undefined : toHex(b));
const unpad = (...bytes: number[]): string | undefined => hex(unpadIso9797Lenient(Uint8Array.from(bytes)));

describe('unpadIso9797Lenient', () => {
  it('80 alone and 80 00 00 are padding of nothing', () => {
    expect(unpad(0x80)).toBe('');
    expect(unpad(0x80, 0x00, 0x00)).toBe('');
  });

  it('strips the 80 and every 00 after it, regardless of block length', () => {
    expect(unpad(0x01, 0x02, 0x80)).toBe('0102');
    expect(unpad(0x01, 0x02, 0x80, 0x00, 0x00)).toBe('0102');
    // 18 zero bytes: longer than any block, still accepted (the strict form refuses it).
    const long = [0xaa, 0x80, ...new Array(18).fill(0)];
    expect(unpad(...long)).toBe('aa');
    expect(unpadIso9797(Uint8Array.from(long), 16)).toBeUndefined();
  });

  it('only the last 80 marks the padding; data may contain 80 and 00', () => {
    expect(unpad(0x80, 0x00, 0x80)).toBe('8000');
    expect(unpad(0x00, 0x80, 0x01, 0x80, 0x00)).toBe('008001');
  });

  it('no marker: undefined', () => {
    expect(unpad(0x01, 0x02, 0x03)).toBeUndefined();
    expect(unpad(0x01, 0x81, 0x00)).toBeUndefined();
    expect(unpad()).toBeUndefined();
  });

  it('all zeros: undefined', () => {
    expect(unpad(0x00)).toBeUndefined();
    expect(unpad(0x00, 0x00, 0x00, 0x00)).toBeUndefined();
    expect(unpadIso9797Lenient(new Uint8Array(16))).toBeUndefined();
  });

  it('property: unpad(pad(x)) == x for block lengths 8 and 16, and agrees with the strict form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(8, 16), (x, block) => {
        const padded = padIso9797(x, block);
        expect(padded.length % block).toBe(0);
        expect(hex(unpadIso9797Lenient(padded))).toBe(toHex(x));
        expect(hex(unpadIso9797(padded, block))).toBe(toHex(x));
      }),
    );
  });

  it('property: any x ‖ 80 ‖ 00ⁿ gives back x', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 40 }), (x, n) => {
        const padded = Uint8Array.from([...x, 0x80, ...new Array(n).fill(0)]);
        expect(hex(unpadIso9797Lenient(padded))).toBe(toHex(x));
      }),
    );
  });
});
