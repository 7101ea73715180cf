import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateNumericCode } from '../../src/challenge/index.ts';

/** Yields 0, 1, …, 255, 0, 1, … */
function cyclingRandom(): (n: number) => Uint8Array {
  let next = 0;
  return (n) => Uint8Array.from({ length: n }, () => next++ & 255);
}

describe('generateNumericCode', () => {
  it('is exactly uniform: over a full byte cycle every digit appears 25 times', () => {
    const code = generateNumericCode(250, cyclingRandom());
    const counts = Array.from({ length: 10 }, (_, d) => [...code].filter((c) => c === String(d)).length);
    expect(counts).toEqual(Array(10).fill(25));
  });

  it('rejects bytes 250–255 instead of folding them onto 0–5', () => {
    const bytes = [250, 251, 252, 253, 254, 255, 9, 13, 249, 0, 7, 11, 99, 100];
    let i = 0;
    const random = (n: number) => Uint8Array.from({ length: n }, () => bytes[i++ % bytes.length]!);
    expect(generateNumericCode(8, random)).toBe('93907190');
  });

  it('always returns `length` ASCII digits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        (length, pool) => {
          let i = 0;
          const random = (n: number) => Uint8Array.from({ length: n }, () => pool[i++ % 64]! % 250);
          expect(generateNumericCode(length, random)).toMatch(new RegExp(`^[0-9]{${length}}$`));
        },
      ),
    );
  });

  it('reports a broken source', () => {
    expect(() => generateNumericCode(6, (n) => new Uint8Array(n).fill(250))).toThrow(
      expect.objectContaining({ code: 'RANDOM_FAILED' }),
    );
    expect(() => generateNumericCode(6, () => new Uint8Array(1))).toThrow(
      expect.objectContaining({ code: 'RANDOM_FAILED' }),
    );
  });
});
