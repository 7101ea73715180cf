import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { CoreError } from '../../src/errors/index.ts';
import {
  centurySexDigit,
  decodeIdNumber,
  IdNumberError,
  isIdNumber,
  PROVINCE_CODES,
} from '../../src/id-number/index.ts';

interface Vector {
  id: string;
  kind: 'province' | 'country' | 'unknown';
  code: string;
  name: string | null;
  current: { name: string; kind: 'city' | 'province'; merged: boolean } | null;
  sex: 'male' | 'female';
  century: number;
  birthYear: number;
}

const { vectors } = loadVectors<Vector>(import.meta.url, 'structure');

describe('decodeIdNumber', () => {
  it.each(vectors)('$id → $kind $code, $sex, $birthYear', (v) => {
    const info = decodeIdNumber(v.id);
    expect(info).toEqual({
      idNumber: v.id,
      region: { kind: v.kind, code: v.code, name: v.name, current: v.current },
      sex: v.sex,
      century: v.century,
      birthYear: v.birthYear,
    });
  });

  it('has exactly the 63 province codes, all within 001–096, names NFC with diacritics', () => {
    const codes = Object.keys(PROVINCE_CODES);
    expect(codes).toHaveLength(63);
    expect(new Set(Object.values(PROVINCE_CODES)).size).toBe(63);
    for (const code of codes) {
      expect(code).toMatch(/^0[0-9]{2}$/);
      expect(Number(code)).toBeGreaterThanOrEqual(1);
      expect(Number(code)).toBeLessThanOrEqual(96);
      const name = PROVINCE_CODES[code]!;
      expect(name.normalize('NFC')).toBe(name);
      expect(decodeIdNumber(`${code}090000001`).region).toEqual({
        kind: 'province',
        code,
        name,
        current: expect.objectContaining({ name: expect.any(String) }),
      });
    }
  });

  it('decodes every 12-digit string without throwing and inverts centurySexDigit', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{12}$/), (id) => {
        const info = decodeIdNumber(id);
        expect(isIdNumber(id)).toBe(true);
        expect(info.birthYear - info.century).toBe(Number(id.slice(4, 6)));
        expect(centurySexDigit(info.birthYear, info.sex)).toBe(Number(id[3]));
        const n = Number(id.slice(0, 3));
        const expectedKind =
          PROVINCE_CODES[id.slice(0, 3)] !== undefined
            ? 'province'
            : n >= 101 && n <= 295
              ? 'country'
              : 'unknown';
        expect(info.region.kind).toBe(expectedKind);
      }),
    );
  });

  const invalid: Array<[string, unknown]> = [
    ['empty', ''],
    ['11 digits', '00109000000'],
    ['13 digits', '0010900000011'],
    ['letter', '00109000000A'],
    ['space', '001 90000001'],
    ['leading space', ' 00109000001'],
    ['full-width digits', '００１０９０００００１'],
    ['Arabic-Indic digit', `00109000000${String.fromCharCode(0x0661)}`],
    ['sign', '+01090000001'],
    ['not a string', 1090000001],
    ['null', null],
  ];

  it.each(invalid)('rejects %s with INVALID_ID_NUMBER and no digits in the message', (_label, input) => {
    let caught: unknown;
    try {
      decodeIdNumber(input as string);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(IdNumberError);
    expect(caught).toBeInstanceOf(CoreError);
    expect((caught as IdNumberError).code).toBe('INVALID_ID_NUMBER');
    if (typeof input === 'string' && input.length > 0) {
      expect((caught as Error).message).not.toContain(input);
      expect((caught as Error).message).not.toMatch(/[0-9]{4,}/);
    }
    expect(isIdNumber(input)).toBe(false);
  });

  it('centurySexDigit rejects years it cannot encode', () => {
    expect(() => centurySexDigit(1899, 'male')).toThrow(IdNumberError);
    expect(() => centurySexDigit(2400, 'female')).toThrow(IdNumberError);
    expect(centurySexDigit(2024, 'female')).toBe(3);
  });
});
