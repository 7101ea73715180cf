import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { largestProtectedRead, oddInsLength, protectedLength } from '../../src/emulator/index.ts';

describe('secure-messaging response sizes', () => {
  it('short protected READ BINARY: 223 plain bytes with AES, 231 with 3DES (the chunk sizes readers use)', () => {
    expect(largestProtectedRead(256, 16, false)).toBe(223);
    expect(largestProtectedRead(256, 8, false)).toBe(231);
    // 223 bytes → 224 padded → 87 81 E1 01‖224 (228) + 99 02 SW (4) + 8E 08 MAC (10) = 242.
    expect(protectedLength(223, 16, false)).toBe(242);
    expect(protectedLength(0, 16, false)).toBe(14);
    expect(oddInsLength(100)).toBe(102);
    expect(oddInsLength(200)).toBe(203);
  });

  it('the largest read is maximal: it fits, one more byte does not (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 40, max: 65536 }),
        fc.constantFrom(8, 16),
        fc.boolean(),
        (capacity, block, odd) => {
          const n = largestProtectedRead(capacity, block, odd);
          const total = (k: number): number => protectedLength(odd ? oddInsLength(k) : k, block, odd);
          expect(total(n)).toBeLessThanOrEqual(capacity);
          expect(total(n + 1)).toBeGreaterThan(capacity);
        },
      ),
      { numRuns: 200 },
    );
  });
});
