/**
 * Edges of the ID-number layer that the mutation run (pnpm mutation) found untested: the type
 * guard with a non-string, the region code's exact shape, the century bounds, and the errors'
 * codes, messages and contexts.
 */
import { describe, expect, it } from 'vitest';
import { isCoreError } from '../../src/errors/index.ts';
import { assertIdNumber, centurySexDigit, decodeRegionCode, isIdNumber } from '../../src/id-number/index.ts';

function caught(fn: () => unknown): { code: string; message: string; context: Record<string, unknown> } {
  try {
    fn();
  } catch (e) {
    if (isCoreError(e)) return e as never;
    throw e;
  }
  throw new Error('expected a throw');
}

describe('ID-number edges', () => {
  it('isIdNumber is false for non-strings that stringify to 12 digits', () => {
    expect(isIdNumber(['001099012345'])).toBe(false);
    expect(isIdNumber({ toString: () => '001099012345' })).toBe(false);
    expect(isIdNumber(1099012345)).toBe(false);
    expect(isIdNumber('001099012345')).toBe(true);
  });

  it('decodeRegionCode takes exactly three digits for a country code', () => {
    expect(decodeRegionCode('101').kind).toBe('country');
    expect(decodeRegionCode('295').kind).toBe('country');
    for (const code of ['0101', '101 ', ' 101', '1010', '10', '1e2']) {
      expect(decodeRegionCode(code).kind, JSON.stringify(code)).toBe('unknown');
    }
  });

  it('decodeRegionCode rejects a non-string with INVALID_ID_NUMBER', () => {
    for (const code of [101, null, undefined, ['101']]) {
      const e = caught(() => decodeRegionCode(code as never));
      expect(e.code).toBe('INVALID_ID_NUMBER');
      expect(e.message).toMatch(/three digits/);
    }
  });

  it('centurySexDigit encodes the first and last year it can, and names the range otherwise', () => {
    expect(centurySexDigit(1900, 'male')).toBe(0);
    expect(centurySexDigit(2399, 'female')).toBe(9);
    for (const year of [1899, 2400, 1990.5, Number.NaN]) {
      const e = caught(() => centurySexDigit(year, 'male'));
      expect(e.code).toBe('INVALID_ID_NUMBER');
      expect(e.message).toMatch(/1900–2399/);
    }
  });

  it('assertIdNumber says what was expected and where, in message and context, never the input', () => {
    const wrongType = caught(() => assertIdNumber(42));
    expect(wrongType.code).toBe('INVALID_ID_NUMBER');
    expect(wrongType.message).toMatch(/as a string, got number/);

    const short = caught(() => assertIdNumber('00109901234'));
    expect(short.message).toMatch(/Expected 12 digits, got 11 characters/);
    expect(short.context).toEqual({ length: 11 });

    const letter = caught(() => assertIdNumber('00109901x345'));
    expect(letter.message).toMatch(/ASCII digit at position 8/);
    expect(letter.context).toEqual({ offset: 8, length: 12 });
    expect(letter.message).not.toContain('00109901');
  });
});
