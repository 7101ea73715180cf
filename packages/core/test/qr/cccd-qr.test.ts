import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centurySexDigit } from '../../src/id-number/index.ts';
import {
  CccdQrError,
  type CccdQrErrorCode,
  type CccdQrFields,
  formatCccdQr,
  parseCccdQr,
} from '../../src/qr/index.ts';

// Synthetic people only (never a real person's data).
const NOW = () => Date.UTC(2026, 0, 15, 12);
const CCCD = '001090012345|123456789|Nguyễn Văn An|15031990|Nam|Số 1 Phố Huế, Hai Bà Trưng, Hà Nội|01072021';
const CAN_CUOC =
  '079301000123||Trần Thị Bình|02022001|Nữ|Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|20082024|Trần Văn Cường|Lê Thị Dung|';

function code(fn: () => unknown): CccdQrErrorCode | 'NO_ERROR' {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CccdQrError);
    return (e as CccdQrError).code;
  }
  return 'NO_ERROR';
}

describe('parseCccdQr', () => {
  it('parses the 7-field CCCD payload', () => {
    expect(parseCccdQr(CCCD, { now: NOW })).toEqual({
      kind: 'cccd',
      idNumber: '001090012345',
      oldIdNumber: '123456789',
      fullName: 'Nguyễn Văn An',
      dateOfBirth: '1990-03-15',
      sex: 'male',
      address: 'Số 1 Phố Huế, Hai Bà Trưng, Hà Nội',
      issueDate: '2021-07-01',
      extra: [],
      warnings: [],
    });
  });

  it('parses the ≥10-field Căn cước payload, keeping extras raw', () => {
    const d = parseCccdQr(CAN_CUOC, { now: NOW });
    expect(d.kind).toBe('can-cuoc');
    expect(d.oldIdNumber).toBeNull();
    expect(d.sex).toBe('female');
    expect(d.dateOfBirth).toBe('2001-02-02');
    expect(d.extra).toEqual(['Trần Văn Cường', 'Lê Thị Dung', '']);
    expect(d.warnings).toEqual([]);
  });

  it('accepts NFD input and returns NFC', () => {
    const nfd = CAN_CUOC.normalize('NFD');
    expect(nfd).not.toBe(CAN_CUOC);
    const d = parseCccdQr(nfd, { now: NOW });
    expect(d.sex).toBe('female');
    expect(d.fullName).toBe('Trần Thị Bình');
    expect(d.fullName).toBe(d.fullName.normalize('NFC'));
    expect(d.address.normalize('NFC')).toBe(d.address);
    expect(d.extra[0]).toBe('Trần Văn Cường');
  });

  it('reports sex and birth-year mismatches with the ID number as warnings', () => {
    // Digit 4 = 1 → female born 19xx, but the field says Nam; YY 90 vs 1991.
    const t = '001190012345||Nguyễn Văn An|15031991|Nam|Hà Nội|01072021';
    const codes = parseCccdQr(t, { now: NOW }).warnings.map((w) => w.code);
    expect(codes).toEqual(['SEX_MISMATCH', 'BIRTH_YEAR_MISMATCH']);
    const century = '001290012345||Nguyễn Văn An|15031990|Nam|Hà Nội|01072021'; // 2090 per the ID
    expect(parseCccdQr(century, { now: NOW }).warnings.map((w) => w.code)).toEqual(['BIRTH_YEAR_MISMATCH']);
  });

  it('warns about an unknown region code', () => {
    const t = '099090012345||Nguyễn Văn An|15031990|Nam|Hà Nội|01072021';
    expect(parseCccdQr(t, { now: NOW }).warnings.map((w) => w.code)).toEqual(['UNKNOWN_REGION_CODE']);
  });

  it('lenient mode accepts dd/mm/yyyy, white space and other sex spellings, with warnings', () => {
    const t = ' 001090012345| |Nguyễn Văn An |15/03/1990|NAM|Hà Nội|01/07/2021\n';
    const d = parseCccdQr(t, { mode: 'lenient', now: NOW });
    expect(d.dateOfBirth).toBe('1990-03-15');
    expect(d.issueDate).toBe('2021-07-01');
    expect(d.oldIdNumber).toBeNull();
    expect(d.fullName).toBe('Nguyễn Văn An');
    expect(d.sex).toBe('male');
    expect(d.warnings.map((w) => w.code)).toEqual([
      'TRIMMED_WHITESPACE',
      'TRIMMED_WHITESPACE',
      'NONSTANDARD_DATE_FORMAT',
      'NONSTANDARD_SEX',
      'NONSTANDARD_DATE_FORMAT',
    ]);
    expect(
      parseCccdQr(CCCD.replace('Nam', 'nu').replace('001090', '001190'), { mode: 'lenient', now: NOW }).sex,
    ).toBe('female');
  });

  it('the future check follows the injected clock in Vietnam time (UTC+7)', () => {
    const t = '001090012345||Nguyễn Văn An|15031990|Nam|Hà Nội|16012026';
    expect(code(() => parseCccdQr(t, { now: NOW }))).toBe('DATE_IN_FUTURE');
    // 2026-01-15 18:00 UTC is already 2026-01-16 01:00 in Vietnam.
    expect(code(() => parseCccdQr(t, { now: () => Date.UTC(2026, 0, 15, 18) }))).toBe('NO_ERROR');
    expect(code(() => parseCccdQr(t, { now: () => Date.UTC(2026, 0, 15, 16, 59) }))).toBe('DATE_IN_FUTURE');
  });

  const F = (over: Partial<Record<number, string>>, base = CCCD): string =>
    base
      .split('|')
      .map((f, i) => over[i] ?? f)
      .join('|');

  // Each row: input, mode, expected code.
  const invalid: [string, unknown, 'strict' | 'lenient', CccdQrErrorCode][] = [
    ['empty string', '', 'strict', 'EMPTY_INPUT'],
    ['not a string', 42, 'strict', 'EMPTY_INPUT'],
    ['only white space (lenient)', '  \n', 'lenient', 'EMPTY_INPUT'],
    ['one field', '001090012345', 'strict', 'WRONG_FIELD_COUNT'],
    ['8 fields', `${CCCD}|x`, 'strict', 'WRONG_FIELD_COUNT'],
    ['9 fields', `${CCCD}|x|y`, 'lenient', 'WRONG_FIELD_COUNT'],
    [
      '6-field layout without the CMND slot',
      '001090012345|Nguyễn Văn An|15031990|Nam|Hà Nội|01072021',
      'strict',
      'MISSING_OLD_ID_FIELD',
    ],
    [
      '6-field layout with slashes (lenient)',
      '001090012345|Nguyễn Văn An|15/03/1990|Nam|Hà Nội|01/07/2021',
      'lenient',
      'MISSING_OLD_ID_FIELD',
    ],
    [
      'other 6-field payload',
      '001090012345||Nguyễn Văn An|15031990|Nam|Hà Nội',
      'strict',
      'WRONG_FIELD_COUNT',
    ],
    ['ID with 11 digits', F({ 0: '00109001234' }), 'strict', 'INVALID_ID_NUMBER'],
    ['ID with 13 digits', F({ 0: '0010900123456' }), 'strict', 'INVALID_ID_NUMBER'],
    ['ID with a letter', F({ 0: '00109001234X' }), 'strict', 'INVALID_ID_NUMBER'],
    ['ID with full-width digits', F({ 0: '００１０９００１２３４５' }), 'strict', 'INVALID_ID_NUMBER'],
    ['CMND with 8 digits', F({ 1: '12345678' }), 'strict', 'INVALID_OLD_ID_NUMBER'],
    ['CMND with 12 digits', F({ 1: '001090012345' }), 'lenient', 'INVALID_OLD_ID_NUMBER'],
    ['CMND with a letter', F({ 1: '12345678A' }), 'strict', 'INVALID_OLD_ID_NUMBER'],
    ['empty name', F({ 2: '' }), 'strict', 'EMPTY_NAME'],
    ['name with digits', F({ 2: 'Nguyễn Văn 4n' }), 'strict', 'INVALID_NAME'],
    ['DOB with slashes (strict)', F({ 3: '15/03/1990' }), 'strict', 'INVALID_DATE_FORMAT'],
    ['DOB ISO', F({ 3: '1990-03-15' }), 'lenient', 'INVALID_DATE_FORMAT'],
    ['DOB 7 digits', F({ 3: '1503199' }), 'strict', 'INVALID_DATE_FORMAT'],
    ['DOB with dashes (lenient)', F({ 3: '15-03-1990' }), 'lenient', 'INVALID_DATE_FORMAT'],
    ['DOB 31/02', F({ 3: '31021990' }), 'strict', 'IMPOSSIBLE_DATE'],
    ['DOB 29/02 non-leap', F({ 3: '29021900' }), 'strict', 'IMPOSSIBLE_DATE'],
    ['DOB month 13', F({ 3: '01131990' }), 'strict', 'IMPOSSIBLE_DATE'],
    ['DOB day 00', F({ 3: '00031990' }), 'strict', 'IMPOSSIBLE_DATE'],
    ['DOB 31/04 (lenient)', F({ 3: '31/04/1990' }), 'lenient', 'IMPOSSIBLE_DATE'],
    ['DOB before 1900', F({ 3: '31121899' }), 'strict', 'IMPOSSIBLE_DATE'],
    ['issue 30/02', F({ 6: '30022021' }), 'strict', 'IMPOSSIBLE_DATE'],
    ['DOB in the future', F({ 3: '01012030' }), 'strict', 'DATE_IN_FUTURE'],
    ['issue in the future', F({ 6: '01012027' }), 'strict', 'DATE_IN_FUTURE'],
    ['issue before birth', F({ 6: '01011989' }), 'strict', 'ISSUE_BEFORE_BIRTH'],
    ['sex Male', F({ 4: 'Male' }), 'strict', 'INVALID_SEX'],
    ['sex NAM (strict)', F({ 4: 'NAM' }), 'strict', 'INVALID_SEX'],
    ['sex Nu (strict)', F({ 4: 'Nu' }), 'strict', 'INVALID_SEX'],
    ['sex empty', F({ 4: '' }), 'lenient', 'INVALID_SEX'],
    ['sex Nữa', F({ 4: 'Nữa' }), 'lenient', 'INVALID_SEX'],
    ['empty address', F({ 5: '' }), 'strict', 'EMPTY_ADDRESS'],
    ['white space address (lenient)', F({ 5: '  ' }), 'lenient', 'EMPTY_ADDRESS'],
    ['trailing space in name (strict)', F({ 2: 'Nguyễn Văn An ' }), 'strict', 'UNTRIMMED_FIELD'],
    ['trailing newline (strict)', `${CCCD}\n`, 'strict', 'INVALID_CHARACTER'],
    ['NUL in address', F({ 5: 'Hà\u0000Nội' }), 'lenient', 'INVALID_CHARACTER'],
    ['tab in name', F({ 2: 'Nguyễn\tAn' }), 'strict', 'INVALID_CHARACTER'],
  ];

  it.each(invalid)('rejects %s', (_name, input, mode, expected) => {
    expect(code(() => parseCccdQr(input as string, { mode, now: NOW }))).toBe(expected);
  });

  it('errors carry the field but never the value', () => {
    try {
      parseCccdQr(F({ 3: '31021990' }), { now: NOW });
      expect.unreachable();
    } catch (e) {
      const err = e as CccdQrError;
      expect(err.context).toMatchObject({ field: 'dateOfBirth', fieldIndex: 3 });
      expect(err.message).not.toContain('31021990');
      expect(err.message).not.toContain('Nguyễn');
    }
  });

  it('never throws anything but CccdQrError on arbitrary text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme' }),
        fc.constantFrom('strict', 'lenient') as fc.Arbitrary<'strict' | 'lenient'>,
        (s, mode) => {
          try {
            parseCccdQr(s, { mode, now: NOW });
          } catch (e) {
            expect(e).toBeInstanceOf(CccdQrError);
          }
        },
      ),
    );
  });
});

// --- Round trip -------------------------------------------------------------------------

const pad = (n: number, w: number): string => String(n).padStart(w, '0');
const nameWord = fc.constantFrom(
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Thị',
  'Văn',
  'Ngọc',
  'Hương',
  'Đức',
  'Anh',
  'Ữ',
);
const textField = fc
  .array(fc.oneof(nameWord, fc.constantFrom('Số', '12', ',', 'Phường', 'Quận', 'Hà Nội', 'TP.', '/')), {
    minLength: 1,
    maxLength: 6,
  })
  .map((ws) => ws.join(' '));
const isoDate = (minYear: number, maxYear: number): fc.Arbitrary<string> =>
  fc
    .date({
      min: new Date(Date.UTC(minYear, 0, 1)),
      max: new Date(Date.UTC(maxYear, 11, 31)),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

const fieldsArb: fc.Arbitrary<CccdQrFields> = fc
  .record({
    kind: fc.constantFrom('cccd', 'can-cuoc') as fc.Arbitrary<'cccd' | 'can-cuoc'>,
    region: fc.constantFrom('001', '079', '048', '096', '101', '295'),
    serial: fc.integer({ min: 0, max: 999_999 }),
    oldIdNumber: fc.option(fc.integer({ min: 0, max: 999_999_999 }).map((n) => pad(n, 9))),
    fullName: fc.array(nameWord, { minLength: 1, maxLength: 5 }).map((ws) => ws.join(' ')),
    dateOfBirth: isoDate(1900, 2019),
    sex: fc.constantFrom('male', 'female') as fc.Arbitrary<'male' | 'female'>,
    address: textField,
    extraCount: fc.integer({ min: 3, max: 6 }),
    extraValues: fc.array(fc.oneof(fc.constant(''), textField), { minLength: 6, maxLength: 6 }),
  })
  .chain((r) =>
    // Issued after birth, and no earlier than the first card of its layout (2016 CCCD, 2024-07 Căn cước).
    fc
      .date({
        min: new Date(
          Math.max(
            Date.parse(r.dateOfBirth) + 86_400_000,
            Date.parse(r.kind === 'cccd' ? '2016-01-01' : '2024-07-01'),
          ),
        ),
        max: new Date(Date.UTC(2025, 11, 31)),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10))
      .map((issueDate) => {
        const year = Number(r.dateOfBirth.slice(0, 4));
        const id = `${r.region}${centurySexDigit(year, r.sex)}${pad(year % 100, 2)}${pad(r.serial, 6)}`;
        return {
          kind: r.kind,
          idNumber: id,
          oldIdNumber: r.oldIdNumber,
          fullName: r.fullName,
          dateOfBirth: r.dateOfBirth,
          sex: r.sex,
          address: r.address,
          issueDate,
          extra: r.kind === 'cccd' ? [] : r.extraValues.slice(0, r.extraCount),
        };
      }),
  );

describe('formatCccdQr', () => {
  it('formats the sample payloads exactly', () => {
    expect(formatCccdQr(parseCccdQr(CCCD, { now: NOW }))).toBe(CCCD);
    expect(formatCccdQr(parseCccdQr(CAN_CUOC, { now: NOW }))).toBe(CAN_CUOC);
    expect(formatCccdQr(parseCccdQr(CAN_CUOC.normalize('NFD'), { now: NOW }))).toBe(CAN_CUOC);
  });

  it('parse ∘ format is the identity on fields (no warnings for consistent data)', () => {
    fc.assert(
      fc.property(fieldsArb, (fields) => {
        const text = formatCccdQr(fields);
        expect(parseCccdQr(text, { now: NOW })).toEqual({ ...fields, warnings: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('format ∘ parse is the identity on strict NFC payloads', () => {
    fc.assert(
      fc.property(fieldsArb, (fields) => {
        const text = formatCccdQr(fields);
        expect(formatCccdQr(parseCccdQr(text, { now: NOW }))).toBe(text);
        expect(formatCccdQr(parseCccdQr(text.normalize('NFD'), { now: NOW }))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  const base = parseCccdQr(CCCD, { now: NOW });
  const invalid: [string, CccdQrFields, CccdQrErrorCode][] = [
    ['cccd with extras', { ...base, extra: ['a', 'b', 'c'] }, 'KIND_MISMATCH'],
    ['can-cuoc with 2 extras', { ...base, kind: 'can-cuoc', extra: ['a', 'b'] }, 'KIND_MISMATCH'],
    ['| in the name', { ...base, fullName: 'Nguyễn|An' }, 'INVALID_CHARACTER'],
    ['| in an extra', { ...base, kind: 'can-cuoc', extra: ['a', 'b|c', 'd'] }, 'INVALID_CHARACTER'],
    ['dd/mm/yyyy date', { ...base, dateOfBirth: '15/03/1990' }, 'INVALID_DATE_FORMAT'],
    ['impossible ISO date', { ...base, issueDate: '2021-02-29' }, 'IMPOSSIBLE_DATE'],
    ['bad sex', { ...base, sex: 'x' as 'male' }, 'INVALID_SEX'],
    ['empty-string CMND', { ...base, oldIdNumber: '' }, 'INVALID_OLD_ID_NUMBER'],
    ['bad ID', { ...base, idNumber: '12345' }, 'INVALID_ID_NUMBER'],
    ['empty name', { ...base, fullName: '' }, 'EMPTY_NAME'],
    ['untrimmed address', { ...base, address: ' Hà Nội' }, 'UNTRIMMED_FIELD'],
  ];
  it.each(invalid)('rejects %s', (_name, data, expected) => {
    expect(code(() => formatCccdQr(data))).toBe(expected);
  });
});
