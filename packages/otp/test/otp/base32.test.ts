import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { decodeBase32, encodeBase32, generateOtpSecret } from '../../src/index.ts';
import { ascii, seededRandom } from '../support.ts';

const file = loadVectors<{ ascii: string; base32: string }>(import.meta.url, 'rfc4648-base32');

describe(`Base32: ${file.source}`, () => {
  it.each(file.vectors)('"$ascii" ↔ $base32', (v) => {
    const bytes = ascii(v.ascii);
    expect(encodeBase32(bytes)).toBe(v.base32.replace(/=+$/, ''));
    expect(decodeBase32(v.base32)).toEqual(bytes);
    expect(decodeBase32(v.base32.replace(/=+$/, ''))).toEqual(bytes);
  });

  it('round-trips any bytes, padded or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        const text = encodeBase32(bytes);
        expect(text).toMatch(/^[A-Z2-7]*$/);
        expect(decodeBase32(text)).toEqual(bytes);
        expect(decodeBase32(text.padEnd(Math.ceil(text.length / 8) * 8, '='))).toEqual(bytes);
      }),
    );
  });

  const invalid = [
    ['lower case', 'mzxw6ytb'],
    ['digit 1', 'MZXW1YTB'],
    ['digit 8', 'MZXW8YTB'],
    ['space', 'MZXW 6YTB'],
    ['hyphen', 'MZXW-6YTB'],
    ['too little padding', 'MZXW6=='],
    ['too much padding', 'MZXW6===='],
    ['padding on a full block', 'MZXW6YTB========'],
    ['data after padding', 'MZ=XW6=='],
    ['1 character', 'M'],
    ['3 characters', 'MZX'],
    ['6 characters', 'MZXW6Y'],
    ['non-zero trailing bits', 'MZXW7'],
    ['non-zero trailing bits (2 chars)', 'MZ'],
    ['non-ASCII letter', 'MZXWĐYTB'],
  ] as const;
  it.each(invalid)('rejects %s with INVALID_BASE32', (_name, text) => {
    expect(() => decodeBase32(text)).toThrow(expect.objectContaining({ code: 'INVALID_BASE32' }));
  });
});

describe('generateOtpSecret', () => {
  it('draws 20 bytes by default from the injected source', () => {
    const a = generateOtpSecret({ random: seededRandom(7) });
    expect(a).toHaveLength(20);
    expect(a).toEqual(seededRandom(7)(20));
    expect(generateOtpSecret({ bytes: 64 })).toHaveLength(64);
    expect(generateOtpSecret()).not.toEqual(generateOtpSecret());
  });
  it('rejects sizes outside 16–64 and broken sources', () => {
    expect(() => generateOtpSecret({ bytes: 15 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => generateOtpSecret({ bytes: 65 })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => generateOtpSecret({ random: (n) => new Uint8Array(n - 1) })).toThrow(
      expect.objectContaining({ code: 'RANDOM_FAILED' }),
    );
  });
});
