import { describe, expect, it } from 'vitest';
import { formatMrz, formatVietnamTd1, MrzError } from '../../src/mrz/index.ts';

// Callers from plain JavaScript (or JSON input) must get a typed MrzError naming the field, never a
// TypeError from deep inside the formatter.
const td1 = {
  format: 'TD1',
  documentCode: 'ID',
  issuingState: 'VNM',
  documentNumber: '099012345',
  dateOfBirth: '1999-01-01',
  sex: 'male',
  dateOfExpiry: '2039-01-01',
  nationality: 'VNM',
  surname: 'NGUYEN',
  givenNames: 'VAN AN',
} as const;

function errorOf(fn: () => unknown): MrzError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MrzError) return e;
    throw e;
  }
  throw new Error('expected an MrzError');
}

describe('formatMrz / formatVietnamTd1 on malformed input', () => {
  it('formats the well-formed fields (control)', () => {
    expect(formatMrz(td1)).toHaveLength(3);
  });

  it.each([
    ['surname missing', { ...td1, surname: undefined }, 'name'],
    ['givenNames a number', { ...td1, givenNames: 7 }, 'name'],
    ['documentNumber null', { ...td1, documentNumber: null }, 'documentNumber'],
    ['dateOfBirth missing', { ...td1, dateOfBirth: undefined }, 'dateOfBirth'],
  ])('%s → INVALID_FIELD', (_name, fields, field) => {
    const e = errorOf(() => formatMrz(fields as unknown as Parameters<typeof formatMrz>[0]));
    expect(e.code).toBe('INVALID_FIELD');
    expect(e.context.field).toBe(field);
  });

  it('rejects a non-object', () => {
    expect(errorOf(() => formatMrz(null as unknown as Parameters<typeof formatMrz>[0])).code).toBe(
      'INVALID_FIELD',
    );
    expect(
      errorOf(() => formatVietnamTd1(undefined as unknown as Parameters<typeof formatVietnamTd1>[0])).code,
    ).toBe('INVALID_FIELD');
  });

  it('formatVietnamTd1 names the missing name field', () => {
    const e = errorOf(() =>
      formatVietnamTd1({
        idNumber: '001099012345',
        dateOfBirth: '1999-01-01',
        sex: 'male',
        dateOfExpiry: null,
        givenNames: 'AN',
      } as unknown as Parameters<typeof formatVietnamTd1>[0]),
    );
    expect([e.code, e.context.field]).toEqual(['INVALID_FIELD', 'name']);
  });
});
