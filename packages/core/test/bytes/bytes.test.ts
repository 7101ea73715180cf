import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import {
  concatBytes,
  constantTimeEqual,
  decodeUtf8,
  encodeUtf8,
  equalBytes,
  fromBase64,
  fromHex,
  readUintBE,
  toBase64,
  toHex,
} from '../../src/bytes/index.ts';
import { BytesError, CoreError } from '../../src/errors/index.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof BytesError) return e.code;
    throw e;
  }
  return undefined;
}

describe('hex and base64 (RFC 4648 §10)', () => {
  const { vectors } = loadVectors<{ text: string; base64: string; base64url: string; base16: string }>(
    import.meta.url,
    'rfc4648',
  );
  it.each(vectors)('$text', ({ text, base64, base64url, base16 }) => {
    const bytes = encodeUtf8(text);
    expect(toBase64(bytes)).toBe(base64);
    expect(toBase64(bytes, { url: true })).toBe(base64url);
    expect(toHex(bytes)).toBe(base16.toLowerCase());
    expect(decodeUtf8(fromBase64(base64))).toBe(text);
    expect(decodeUtf8(fromBase64(base64url))).toBe(text);
    expect(decodeUtf8(fromHex(base16))).toBe(text);
    expect(decodeUtf8(fromHex(base16.toLowerCase()))).toBe(text);
  });

  it('round-trips any bytes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(fromHex(toHex(bytes))).toEqual(bytes);
        expect(fromBase64(toBase64(bytes))).toEqual(bytes);
        expect(fromBase64(toBase64(bytes, { url: true }))).toEqual(bytes);
        expect(toBase64(bytes).length % 4).toBe(0);
        expect(toBase64(bytes, { url: true })).not.toMatch(/[+/=]/);
      }),
    );
  });

  it('reads hex as printed in standards (spaces, newlines, colons, upper case)', () => {
    expect(toHex(fromHex('DE AD:be\nef\t00'))).toBe('deadbeef00');
  });

  const invalidHex: Array<[string, string]> = [
    ['odd length', 'abc'],
    ['non-hex letter', 'zz'],
    ['0x prefix', '0x00'],
    ['minus', '-1'],
    ['full-width digit', '０0'],
  ];
  it.each(invalidHex)('fromHex rejects %s with INVALID_HEX', (_name, text) => {
    expect(codeOf(() => fromHex(text))).toBe('INVALID_HEX');
  });

  const invalidBase64: Array<[string, string]> = [
    ['impossible length (1 mod 4)', 'Zm9vY'],
    ['padding in the middle', 'Zg==Zg=='],
    ['one pad on a 3-character group', 'Zg='],
    ['three pads', 'Z==='],
    ['only pads', '===='],
    ['too many pads', 'Zm8=='],
    ['whitespace', 'Zm9v Zm9v'],
    ['newline', 'Zm9v\nZm9v'],
    ['non-alphabet character', 'Zm9v*A=='],
    ['non-ASCII', 'Zm9vé'],
    ['non-canonical trailing bits (Zh==)', 'Zh=='],
    ['non-canonical trailing bits (Zm9=)', 'Zm9='],
  ];
  it.each(invalidBase64)('fromBase64 rejects %s with INVALID_BASE64', (_name, text) => {
    expect(codeOf(() => fromBase64(text))).toBe('INVALID_BASE64');
  });
});

describe('strict UTF-8', () => {
  const { vectors } = loadVectors<{ name: string; hex: string; text?: string; invalid?: boolean }>(
    import.meta.url,
    'utf8',
  );
  it.each(vectors)('$name', ({ hex, text, invalid }) => {
    const bytes = fromHex(hex);
    if (invalid) {
      expect(codeOf(() => decodeUtf8(bytes))).toBe('INVALID_UTF8');
    } else {
      expect(decodeUtf8(bytes)).toBe(text);
      expect(toHex(encodeUtf8(text!))).toBe(toHex(bytes));
    }
  });

  it('round-trips any well-formed string not starting with U+FEFF (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        fc.pre(!s.startsWith('\ufeff'));
        expect(decodeUtf8(encodeUtf8(s))).toBe(s);
      }),
    );
  });

  it('random bytes decode or throw BytesError INVALID_UTF8, never another error', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
        try {
          const s = decodeUtf8(bytes);
          expect(toHex(encodeUtf8(s))).toBe(toHex(bytes));
        } catch (e) {
          expect(e).toBeInstanceOf(BytesError);
          expect(e).toBeInstanceOf(CoreError);
          expect((e as BytesError).code).toBe('INVALID_UTF8');
        }
      }),
    );
  });
});

describe('equality, concatenation, integers', () => {
  it('constantTimeEqual agrees with equalBytes (property)', () => {
    const small = fc.uint8Array({ maxLength: 8, max: 3 });
    fc.assert(
      fc.property(small, small, (a, b) => {
        expect(constantTimeEqual(a, b)).toBe(equalBytes(a, b));
        expect(constantTimeEqual(a, a.slice())).toBe(true);
      }),
    );
  });

  const cases: Array<[string, string, string, boolean]> = [
    ['equal', '00112233', '00112233', true],
    ['both empty', '', '', true],
    ['differ in the first byte', '00112233', '01112233', false],
    ['differ in the last byte', '00112233', '00112234', false],
    ['prefix', '001122', '00112233', false],
    ['empty vs zero byte', '', '00', false],
    ['zero-padded', '0011', '001100', false],
  ];
  it.each(cases)('constantTimeEqual: %s', (_name, a, b, expected) => {
    expect(constantTimeEqual(fromHex(a), fromHex(b))).toBe(expected);
    expect(constantTimeEqual(fromHex(b), fromHex(a))).toBe(expected);
    expect(equalBytes(fromHex(a), fromHex(b))).toBe(expected);
  });

  it('concatBytes joins in order into a new array', () => {
    const a = fromHex('0102');
    const out = concatBytes(a, new Uint8Array(0), fromHex('03'));
    expect(toHex(out)).toBe('010203');
    out[0] = 9;
    expect(a[0]).toBe(1);
    expect(concatBytes().length).toBe(0);
  });

  it('readUintBE reads big-endian integers up to 6 bytes', () => {
    const b = fromHex('00ffffffffffff01');
    expect(readUintBE(b, 1, 6)).toBe(2 ** 48 - 1);
    expect(readUintBE(b, 0, 2)).toBe(0xff);
    expect(readUintBE(b, 7, 1)).toBe(1);
    expect(readUintBE(b, 3, 0)).toBe(0);
  });
});
