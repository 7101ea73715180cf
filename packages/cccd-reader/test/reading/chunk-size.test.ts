import { encodeTlv } from '@vneid/core/tlv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxPlainChunk, shrinkChunk, smResponseLength, tlvTotalLength } from '../../src/reading/index.ts';

/**
 * The response data field of a secure-messaging READ BINARY as ICAO Doc 9303 Part 11 §9.8.5
 * builds it, with the bytes themselves (zeros): DO'87 = 01 ‖ data padded by ISO/IEC 9797-1
 * method 2 to the block, DO'99 = SW, DO'8E = 8-byte MAC. Independent of the code under test.
 */
function wrappedLength(n: number, block: number): number {
  const parts: Uint8Array[] = [];
  if (n > 0) {
    const padded = new Uint8Array(Math.ceil((n + 1) / block) * block);
    parts.push(encodeTlv(0x87, Uint8Array.of(0x01, ...padded)));
  }
  parts.push(encodeTlv(0x99, Uint8Array.of(0x90, 0x00)), encodeTlv(0x8e, new Uint8Array(8)));
  return parts.reduce((a, p) => a + p.length, 0);
}

const oddLength = (n: number): number => encodeTlv(0x53, new Uint8Array(n)).length;

describe('chunk sizes', () => {
  it('short response: 223 plain bytes with AES SM, 231 with 3DES, 256 plain', () => {
    expect(maxPlainChunk(256, 'aes', false)).toBe(0xdf);
    expect(wrappedLength(0xdf, 16)).toBe(242);
    expect(wrappedLength(0xe0, 16)).toBe(258);
    expect(maxPlainChunk(256, '3des', false)).toBe(0xe7);
    expect(wrappedLength(0xe7, 8)).toBe(250);
    expect(wrappedLength(0xe8, 8)).toBe(258);
    expect(maxPlainChunk(256, 'none', false)).toBe(256);
  });

  it('odd INS: the DO53 wrapper takes 3 bytes of a short response', () => {
    expect(maxPlainChunk(256, 'none', true)).toBe(253);
    expect(maxPlainChunk(256, 'aes', true)).toBe(220);
    expect(maxPlainChunk(256, '3des', true)).toBe(228);
  });

  it('matches the largest n whose real wrapped response fits, for any budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 65536 }),
        fc.constantFrom<'aes' | '3des' | 'none'>('aes', '3des', 'none'),
        fc.boolean(),
        (limit, sm, odd) => {
          const size = (n: number): number => {
            const inner = odd ? oddLength(n) : n;
            return sm === 'none' ? inner : wrappedLength(inner, sm === 'aes' ? 16 : 8);
          };
          const n = maxPlainChunk(limit, sm, odd);
          expect(size(n)).toBeLessThanOrEqual(limit);
          expect(size(n + 1)).toBeGreaterThan(limit);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('smResponseLength equals the constructed length', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom<8 | 16>(8, 16), (n, block) => {
        expect(smResponseLength(n, block)).toBe(wrappedLength(n, block));
      }),
    );
  });

  it('shrinks through the steps and stops', () => {
    const seen: number[] = [];
    for (let n: number | undefined = 256; n !== undefined; n = shrinkChunk(n)) seen.push(n);
    expect(seen).toEqual([256, 0xe7, 0xdf, 0xc0, 0xa0, 0x80, 0x40, 0x20, 0x10, 0x08, 0x01]);
  });
});

describe('tlvTotalLength', () => {
  it('knows the total from the first bytes of any TLV', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x60, 0x61, 0x75, 0x77, 0x31, 0x5f1f, 0x7f61),
        fc.integer({ min: 0, max: 70_000 }),
        (tag, size) => {
          const tlv = encodeTlv(tag, new Uint8Array(size));
          expect(tlvTotalLength(tlv.subarray(0, 6))).toBe(tlv.length);
          const header = tlv.length - size;
          expect(tlvTotalLength(tlv.subarray(0, header - 1))).toBe('incomplete');
        },
      ),
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), (b) => {
        const r = tlvTotalLength(b);
        expect(r === 'incomplete' || r === 'invalid' || (typeof r === 'number' && r >= 2)).toBe(true);
      }),
    );
  });

  it('rejects indefinite and over-long length fields', () => {
    expect(tlvTotalLength(Uint8Array.of(0x61, 0x80, 0, 0))).toBe('invalid');
    expect(tlvTotalLength(Uint8Array.of(0x61, 0x84, 0, 0, 0, 1))).toBe('invalid');
    expect(tlvTotalLength(Uint8Array.of(0x00, 0x01))).toBe('invalid');
  });
});
