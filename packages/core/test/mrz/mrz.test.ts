import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadVectors } from '../../../../test/support/vectors.ts';
import { IdNumberError } from '../../src/id-number/index.ts';
import {
  type CardExpiryLaw,
  canFromIdNumber,
  checkDigit,
  expectedExpiry,
  formatMrz,
  formatVietnamTd1,
  MrzError,
  type MrzErrorCode,
  type MrzFields,
  type MrzResult,
  mrzKeyFromId,
  mrzKeyFromMrz,
  mrzKeySeed,
  parseMrz,
} from '../../src/mrz/index.ts';

const NOW = () => Date.UTC(2026, 0, 1);

function codeOf(fn: () => unknown): { code: string; context: object } | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof MrzError || e instanceof IdNumberError) return { code: e.code, context: e.context };
    throw e;
  }
  return undefined;
}

describe('checkDigit (ICAO 9303 Part 3, 4.9)', () => {
  const { vectors } = loadVectors<{ data: string; digit: number }>(import.meta.url, 'check-digits');
  it.each(vectors)('$data → $digit', ({ data, digit }) => {
    expect(checkDigit(data)).toBe(digit);
  });

  const mrzChar = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<'.split(''));
  const mrzString = fc.array(mrzChar, { maxLength: 50 }).map((a) => a.join(''));

  it('is a digit 0–9 and ignores trailing fillers', () => {
    fc.assert(
      fc.property(mrzString, fc.nat(10), (s, k) => {
        const d = checkDigit(s);
        expect(Number.isInteger(d) && d >= 0 && d <= 9).toBe(true);
        expect(checkDigit(s + '<'.repeat(k))).toBe(d);
        expect(checkDigit(s.replaceAll('<', '0'))).toBe(d);
      }),
    );
  });

  it('detects every single-digit substitution in numeric fields', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[0-9]{1,20}$/),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (s, at, delta) => {
          const i = at % s.length;
          const changed = s.slice(0, i) + String((Number(s[i]) + delta) % 10) + s.slice(i + 1);
          expect(checkDigit(changed)).not.toBe(checkDigit(s));
        },
      ),
    );
  });

  it('equals the 7-3-1 weighted sum computed independently', () => {
    fc.assert(
      fc.property(mrzString, (s) => {
        const values = [...s].map((c) => (c === '<' ? 0 : Number.parseInt(c, 36)));
        const sum = values.reduce((acc, v, i) => acc + v * [7, 3, 1][i % 3]!, 0);
        expect(checkDigit(s)).toBe(sum % 10);
      }),
    );
  });

  it.each(['a', ' ', 'é', '-', '\n'])('rejects %j with INVALID_CHARACTER', (c) => {
    expect(codeOf(() => checkDigit(`12${c}`))?.code).toBe('INVALID_CHARACTER');
  });
});

describe('parseMrz / formatMrz on specimens', () => {
  const { vectors } = loadVectors<{ name: string; lines: string[]; expected: Omit<MrzResult, 'lines'> }>(
    import.meta.url,
    'specimens',
  );

  it.each(vectors)('$name', ({ lines, expected }) => {
    const r = parseMrz(lines, { now: NOW });
    expect(r).toEqual({ ...expected, lines });
    // Same result from one string with newlines, CRLF, trailing blanks, or the DG1 form.
    expect(parseMrz(`${lines.join('\r\n')}\n`, { now: NOW })).toEqual(r);
    expect(parseMrz(lines.map((l) => `${l}  `).join('\n'), { now: NOW })).toEqual(r);
    expect(parseMrz(lines.join(''), { now: NOW })).toEqual(r);
    // formatMrz is the exact inverse.
    const dateOfExpiry = r.noExpiry ? null : r.dateOfExpiry;
    expect(formatMrz({ ...r, dateOfExpiry })).toEqual(lines);
    if (r.vietnam) {
      expect(
        formatVietnamTd1({
          idNumber: r.vietnam.idNumber,
          dateOfBirth: r.dateOfBirthIso!,
          sex: r.sex as 'male' | 'female',
          dateOfExpiry: r.dateOfExpiryIso,
          surname: r.surname,
          givenNames: r.givenNames,
        }),
      ).toEqual(lines);
    }
  });

  it('takes the Vietnamese birth century from the ID number, not the clock', () => {
    const lines = formatVietnamTd1({
      idNumber: '001225000001',
      dateOfBirth: '2025-06-01',
      sex: 'male',
      dateOfExpiry: '2039-06-01',
      surname: 'PHAM',
      givenNames: 'MINH',
    });
    // With a 2024 clock, a generic pivot would say 1925; the ID's century digit says 2000s.
    expect(parseMrz(lines, { now: () => Date.UTC(2024, 0, 1) }).dateOfBirthIso).toBe('2025-06-01');
  });

  it('reports an inconsistent Vietnamese document number, birth year and sex without throwing', () => {
    const opt = '001190012345<<';
    const lines = formatMrz({
      format: 'TD1',
      documentCode: 'ID',
      issuingState: 'VNM',
      documentNumber: '090012346',
      optionalData: opt + String(checkDigit(opt)),
      dateOfBirth: '1991-01-15',
      dateOfExpiry: '2031-01-15',
      sex: 'male',
      nationality: 'VNM',
      surname: 'NGUYEN',
      givenNames: 'VAN AN',
    });
    expect(parseMrz(lines, { now: NOW }).vietnam).toEqual({
      idNumber: '001190012345',
      consistent: false,
      birthYearMatches: false,
      sexMatches: false,
    });
  });

  it('reads unknown date parts and unspecified sex', () => {
    const lines = formatMrz({
      format: 'TD3',
      documentCode: 'P',
      issuingState: 'UTO',
      documentNumber: 'X1234567',
      dateOfBirth: '40<<<<',
      dateOfExpiry: '2031-02-03',
      sex: 'unspecified',
      nationality: 'UTO',
      surname: 'DOE',
      givenNames: '',
    });
    const r = parseMrz(lines, { now: NOW });
    expect([r.dateOfBirth, r.dateOfBirthIso, r.sex, r.givenNames, r.optionalData]).toEqual([
      '40<<<<',
      null,
      'unspecified',
      '',
      '',
    ]);
    expect(lines[1]!.slice(42, 43)).toBe('<');
  });
});

describe('format/parse round trip (property)', () => {
  const letters = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
  const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
  const word = (max: number) => fc.array(letters, { minLength: 1, maxLength: max }).map((a) => a.join(''));
  const code = (min: number, max: number) =>
    fc.array(letters, { minLength: min, maxLength: max }).map((a) => a.join(''));
  const alnums = (min: number, max: number) =>
    fc.array(alnum, { minLength: min, maxLength: max }).map((a) => a.join(''));
  const isoDate = fc
    .date({ min: new Date(Date.UTC(1930, 0, 1)), max: new Date(Date.UTC(2025, 11, 31)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const expiryDate = fc
    .date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2075, 11, 30)), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const base = {
    issuingState: code(1, 3),
    nationality: code(1, 3),
    dateOfBirth: isoDate,
    dateOfExpiry: fc.option(expiryDate, { nil: null }),
    sex: fc.constantFrom('male', 'female', 'unspecified') as fc.Arbitrary<'male' | 'female' | 'unspecified'>,
    surname: fc.array(word(6), { minLength: 1, maxLength: 2 }).map((a) => a.join(' ')),
    givenNames: fc.array(word(5), { maxLength: 2 }).map((a) => a.join(' ')),
  };
  const td1: fc.Arbitrary<MrzFields> = fc.record({
    ...base,
    format: fc.constant('TD1' as const),
    documentCode: fc.constantFrom('I', 'ID', 'IC', 'A', 'AC', 'C'),
    documentNumber: fc.oneof(alnums(1, 9), alnums(10, 13)),
    optionalData: alnums(0, 1),
    optionalData2: alnums(0, 11),
  });
  const td3: fc.Arbitrary<MrzFields> = fc.record({
    ...base,
    format: fc.constant('TD3' as const),
    documentCode: fc.constantFrom('P', 'PN', 'PD'),
    documentNumber: alnums(1, 9),
    optionalData: alnums(0, 14),
  });

  it('parse(format(x)) returns x (TD1 and TD3)', () => {
    fc.assert(
      fc.property(fc.oneof(td1, td3), (f) => {
        fc.pre(!(f.documentCode === 'ID' && f.issuingState === 'VNM'));
        const lines = formatMrz(f);
        const r = parseMrz(lines, { now: NOW });
        expect(r.format).toBe(f.format);
        expect(r.documentCode).toBe(f.documentCode);
        expect(r.issuingState).toBe(f.issuingState);
        expect(r.documentNumber).toBe(f.documentNumber);
        expect(r.optionalData).toBe(f.optionalData ?? '');
        expect(r.optionalData2).toBe(f.optionalData2 ?? '');
        expect(r.dateOfBirthIso).toBe(f.dateOfBirth);
        expect(r.noExpiry).toBe(f.dateOfExpiry === null || f.dateOfExpiry.endsWith('99-12-31'));
        if (!r.noExpiry) expect(r.dateOfExpiryIso).toBe(f.dateOfExpiry);
        expect(r.sex).toBe(f.sex);
        expect(r.nationality).toBe(f.nationality);
        expect(r.surname).toBe(f.surname);
        expect(r.givenNames).toBe(f.givenNames);
        expect(formatMrz({ ...r, dateOfExpiry: r.noExpiry ? null : r.dateOfExpiry })).toEqual(lines);
      }),
    );
  });

  it('Vietnamese TD1 round trip keeps the ID and stays consistent', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^0[0-9]{2}[0-3][0-9]{8}$/),
        fc.integer({ min: 1, max: 28 }),
        fc.integer({ min: 1, max: 12 }),
        (id, day, month) => {
          const century = Number(id[3]) < 2 ? 1900 : 2000;
          const year = century + Number(id.slice(4, 6));
          fc.pre(year <= 2025);
          const dob = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
          const sex = Number(id[3]) % 2 === 0 ? 'male' : 'female';
          const lines = formatVietnamTd1({
            idNumber: id,
            dateOfBirth: dob,
            sex,
            dateOfExpiry: null,
            surname: 'HO',
            givenNames: 'THI',
          });
          const r = parseMrz(lines, { now: NOW });
          expect(r.vietnam).toEqual({
            idNumber: id,
            consistent: true,
            birthYearMatches: true,
            sexMatches: true,
          });
          expect(r.documentNumber).toBe(id.slice(3));
          expect(r.dateOfBirthIso).toBe(dob);
        },
      ),
    );
  });

  it('any 90/88-character text gives a result or an MrzError, nothing else', () => {
    const chars = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ<<<<<a '.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.constant(90), fc.constant(88)), fc.infiniteStream(chars), (n, stream) => {
        const text = [...stream.take(n)].join('');
        try {
          parseMrz(text, { now: NOW });
        } catch (e) {
          expect(e).toBeInstanceOf(MrzError);
        }
      }),
    );
  });
});

describe('parseMrz invalid inputs', () => {
  const td1 = [
    'I<UTOD231458907<<<<<<<<<<<<<<<',
    '7408122F1204159UTO<<<<<<<<<<<6',
    'ERIKSSON<<ANNA<MARIA<<<<<<<<<<',
  ];
  const td3 = [
    'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
    'L898902C36UTO7408122F1204159ZE184226B<<<<<10',
  ];
  const vn = [
    'IDVNM0900123450001090012345<<1',
    '9001158M3001156VNM<<<<<<<<<<<8',
    'NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<',
  ];
  const set = (s: string, i: number, c: string): string => s.slice(0, i) + c + s.slice(i + 1);
  /** Rewrites a TD1 line 2 so that its own and the composite check digits are right again. */
  const fixTd1 = (l1: string, l2: string): string[] => {
    let x = set(l2, 6, String(checkDigit(l2.slice(0, 6))));
    x = set(x, 14, String(checkDigit(x.slice(8, 14))));
    x = set(x, 29, String(checkDigit(l1.slice(5, 30) + x.slice(0, 7) + x.slice(8, 15) + x.slice(18, 29))));
    return [l1, x];
  };

  const cases: Array<[string, string | string[], MrzErrorCode, Record<string, unknown>?]> = [
    ['empty', '', 'UNKNOWN_FORMAT'],
    ['two TD1 lines', td1.slice(0, 2), 'UNKNOWN_FORMAT'],
    ['TD1 line too short', [td1[0]!.slice(0, 29), td1[1]!, td1[2]!], 'UNKNOWN_FORMAT'],
    ['TD3 line too long', [`${td3[0]}<`, td3[1]!], 'UNKNOWN_FORMAT'],
    [
      'TD2 shape',
      ['I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<', 'D231458907UTO7408122F1204159<<<<<<<6'],
      'UNKNOWN_FORMAT',
    ],
    ['89 characters', td3.join('').slice(1), 'UNKNOWN_FORMAT'],
    ['lower case', [td1[0]!, td1[1]!, td1[2]!.toLowerCase()], 'INVALID_CHARACTER', { line: 3, position: 1 }],
    ['space inside', [set(td1[0]!, 2, ' '), td1[1]!, td1[2]!], 'INVALID_CHARACTER', { line: 1, position: 3 }],
    ['digit in name', [td1[0]!, td1[1]!, set(td1[2]!, 0, '3')], 'INVALID_CHARACTER', { field: 'name' }],
    [
      'TD1 document number',
      [set(td1[0]!, 14, '8'), td1[1]!, td1[2]!],
      'BAD_CHECK_DIGIT',
      { field: 'documentNumber' },
    ],
    [
      'TD1 date of birth',
      [td1[0]!, set(td1[1]!, 6, '3'), td1[2]!],
      'BAD_CHECK_DIGIT',
      { field: 'dateOfBirth' },
    ],
    ['TD1 expiry', [td1[0]!, set(td1[1]!, 14, '0'), td1[2]!], 'BAD_CHECK_DIGIT', { field: 'dateOfExpiry' }],
    ['TD1 composite', [td1[0]!, set(td1[1]!, 29, '7'), td1[2]!], 'BAD_CHECK_DIGIT', { field: 'composite' }],
    [
      'TD1 two digits at once',
      [td1[0]!, set(set(td1[1]!, 6, '3'), 29, '7'), td1[2]!],
      'BAD_CHECK_DIGIT',
      { field: 'dateOfBirth', fields: ['dateOfBirth', 'composite'] },
    ],
    ['TD1 extended number, no check digit', [set(td1[0]!, 14, '<'), td1[1]!, td1[2]!], 'BAD_CHECK_DIGIT'],
    ['TD3 document number', [td3[0]!, set(td3[1]!, 9, '5')], 'BAD_CHECK_DIGIT', { field: 'documentNumber' }],
    ['TD3 date of birth', [td3[0]!, set(td3[1]!, 19, '1')], 'BAD_CHECK_DIGIT', { field: 'dateOfBirth' }],
    ['TD3 expiry', [td3[0]!, set(td3[1]!, 27, '1')], 'BAD_CHECK_DIGIT', { field: 'dateOfExpiry' }],
    ['TD3 personal number', [td3[0]!, set(td3[1]!, 42, '2')], 'BAD_CHECK_DIGIT', { field: 'personalNumber' }],
    ['TD3 composite', [td3[0]!, set(td3[1]!, 43, '1')], 'BAD_CHECK_DIGIT', { field: 'composite' }],
    [
      'VN ID check digit',
      [set(vn[0]!, 29, '2'), vn[1]!, vn[2]!],
      'BAD_CHECK_DIGIT',
      { fields: ['composite', 'vietnamIdNumber'] },
    ],
    [
      'TD1 month 13',
      fixTd1(td1[0]!, set(td1[1]!, 2, '1')).concat(td1[2]!),
      'INVALID_DATE',
      { field: 'dateOfBirth' },
    ],
    [
      'TD1 30 February',
      fixTd1(td1[0]!, `${'740230'}${td1[1]!.slice(6)}`).concat(td1[2]!),
      'INVALID_DATE',
      { field: 'dateOfBirth' },
    ],
    [
      'TD1 expiry day 00',
      fixTd1(td1[0]!, `${td1[1]!.slice(0, 8)}120400${td1[1]!.slice(14)}`).concat(td1[2]!),
      'INVALID_DATE',
      { field: 'dateOfExpiry' },
    ],
    ['TD1 sex Q', fixTd1(td1[0]!, set(td1[1]!, 7, 'Q')).concat(td1[2]!), 'INVALID_SEX', { field: 'sex' }],
    ['TD1 document code P', [set(td1[0]!, 0, 'P'), td1[1]!, td1[2]!], 'INVALID_DOCUMENT_CODE'],
    ['TD3 document code V (visa)', [set(td3[0]!, 0, 'V'), td3[1]!], 'INVALID_DOCUMENT_CODE'],
    [
      'IDVNM without the 12-digit ID',
      ['IDVNM090012345000000000000000<0', vn[1]!, vn[2]!].map((l) => l.slice(0, 30)),
      'INVALID_VIETNAM_LAYOUT',
    ],
  ];

  it.each(cases)('%s → %s', (_name, input, code, context) => {
    const got = codeOf(() => parseMrz(input, { now: NOW }));
    expect(got?.code).toBe(code);
    if (context) expect(got?.context).toMatchObject(context);
  });

  it('never puts field contents in messages', () => {
    try {
      parseMrz([vn[0]!, set(vn[1]!, 6, '0'), vn[2]!]);
      expect.unreachable();
    } catch (e) {
      const msg = (e as Error).message;
      for (const secret of ['NGUYEN', '900115', '001090012345', '090012345'])
        expect(msg).not.toContain(secret);
    }
  });

  it('rejects a non-string input', () => {
    expect(codeOf(() => parseMrz(42 as unknown as string))?.code).toBe('UNKNOWN_FORMAT');
  });
});

describe('formatMrz invalid inputs', () => {
  const ok: MrzFields = {
    format: 'TD3',
    documentCode: 'P',
    issuingState: 'UTO',
    documentNumber: 'L898902C3',
    dateOfBirth: '1974-08-12',
    dateOfExpiry: '2012-04-15',
    sex: 'female',
    nationality: 'UTO',
    surname: 'ERIKSSON',
    givenNames: 'ANNA MARIA',
  };
  const cases: Array<[string, Partial<MrzFields>, MrzErrorCode]> = [
    ['document number too long for TD3', { documentNumber: 'L898902C34' }, 'FIELD_TOO_LONG'],
    ['lower-case state', { issuingState: 'uto' }, 'INVALID_CHARACTER'],
    ['diacritics in name', { surname: 'NGUYỄN' }, 'INVALID_CHARACTER'],
    ['digit in name', { givenNames: 'ANNA 2' }, 'INVALID_CHARACTER'],
    ['name too long', { surname: 'A'.repeat(38) }, 'FIELD_TOO_LONG'],
    ['bad ISO date', { dateOfBirth: '1974-02-30' }, 'INVALID_DATE'],
    ['slashed date', { dateOfExpiry: '15/04/2012' }, 'INVALID_DATE'],
    ['bad sex', { sex: 'other' as 'male' }, 'INVALID_SEX'],
    ['optionalData2 on TD3', { optionalData2: 'X' }, 'FIELD_TOO_LONG'],
    [
      'TD1 optional data too long',
      { format: 'TD1', documentCode: 'I', optionalData: 'A'.repeat(16) },
      'FIELD_TOO_LONG',
    ],
    ['unknown format', { format: 'TD2' as 'TD1' }, 'UNKNOWN_FORMAT'],
  ];
  it.each(cases)('%s → %s', (_name, patch, code) => {
    expect(codeOf(() => formatMrz({ ...ok, ...patch }))?.code).toBe(code);
  });

  it('truncates a long name only when asked', () => {
    const lines = formatMrz({ ...ok, surname: 'A'.repeat(38) }, { truncateName: true });
    expect(lines[0]).toBe(`P<UTO${'A'.repeat(38)}<`);
  });
});

describe('access keys', () => {
  const { vectors } = loadVectors<{
    documentNumber: string;
    dateOfBirth: string;
    dateOfExpiry: string;
    mrzInformation: string;
  }>(import.meta.url, 'mrz-information');
  it.each(vectors)('mrzKeySeed($documentNumber) = $mrzInformation', (v) => {
    expect(mrzKeySeed(v)).toBe(v.mrzInformation);
  });

  it('derives the CAN and both MRZ key forms from the ID', () => {
    expect(canFromIdNumber('001090012345')).toBe('012345');
    const input = { idNumber: '001090012345', dateOfBirth: '1990-01-15', dateOfExpiry: '2030-01-15' };
    expect(mrzKeyFromId(input, '12-digit')).toEqual({
      documentNumber: '001090012345',
      dateOfBirth: '900115',
      dateOfExpiry: '300115',
    });
    expect(mrzKeyFromId({ ...input, dateOfBirth: '900115' }, '9-digit')).toEqual({
      documentNumber: '090012345',
      dateOfBirth: '900115',
      dateOfExpiry: '300115',
    });
    expect(mrzKeyFromId({ ...input, dateOfExpiry: null }, '9-digit').dateOfExpiry).toBe('991231');
  });

  it('the 9-digit key seed equals the MRZ text of a formatted card', () => {
    const lines = formatVietnamTd1({
      idNumber: '001090012345',
      dateOfBirth: '1990-01-15',
      sex: 'male',
      dateOfExpiry: '2030-01-15',
      surname: 'NGUYEN',
      givenNames: 'VAN AN',
    });
    const seed = mrzKeySeed(
      mrzKeyFromId({ idNumber: '001090012345', dateOfBirth: '900115', dateOfExpiry: '300115' }, '9-digit'),
    );
    expect(seed).toBe(lines[0]!.slice(5, 15) + lines[1]!.slice(0, 7) + lines[1]!.slice(8, 15));
    expect(mrzKeySeed(mrzKeyFromMrz(parseMrz(lines)))).toBe(seed);
  });

  it('mrzKeyFromMrz keeps a TD1 extended document number whole', () => {
    const r = parseMrz([
      'I<UTOD23145890<7349<<<<<<<<<<<',
      '3407127M9507122UTO<<<<<<<<<<<2',
      'STEVENSON<<PETER<JOHN<<<<<<<<<',
    ]);
    expect(mrzKeySeed(mrzKeyFromMrz(r))).toBe('D23145890734934071279507122');
    expect(
      codeOf(() => mrzKeyFromMrz({ documentNumber: 'X', dateOfBirth: '40<<<<', dateOfExpiry: '300101' }))
        ?.code,
    ).toBe('INVALID_DATE');
  });

  const invalid: Array<[string, () => unknown, string]> = [
    ['CAN from 11 digits', () => canFromIdNumber('00109001234'), 'INVALID_ID_NUMBER'],
    [
      'key from a bad ID',
      () =>
        mrzKeyFromId({ idNumber: 'A01090012345', dateOfBirth: '900115', dateOfExpiry: '300115' }, '9-digit'),
      'INVALID_ID_NUMBER',
    ],
    [
      'key with a bad date',
      () =>
        mrzKeyFromId({ idNumber: '001090012345', dateOfBirth: '901315', dateOfExpiry: '300115' }, '9-digit'),
      'INVALID_DATE',
    ],
    [
      'key with an unknown form',
      () =>
        mrzKeyFromId(
          { idNumber: '001090012345', dateOfBirth: '900115', dateOfExpiry: '300115' },
          'x' as '9-digit',
        ),
      'INVALID_FIELD',
    ],
    [
      'seed with an empty number',
      () => mrzKeySeed({ documentNumber: '', dateOfBirth: '900115', dateOfExpiry: '300115' }),
      'INVALID_FIELD',
    ],
    [
      'seed with a lower-case number',
      () => mrzKeySeed({ documentNumber: 'l898902c', dateOfBirth: '690806', dateOfExpiry: '940623' }),
      'INVALID_FIELD',
    ],
    [
      'seed with a short date',
      () => mrzKeySeed({ documentNumber: 'L898902C', dateOfBirth: '69086', dateOfExpiry: '940623' }),
      'INVALID_DATE',
    ],
  ];
  it.each(invalid)('%s', (_name, fn, code) => {
    expect(codeOf(fn)?.code).toBe(code);
  });
});

describe('expectedExpiry (Vietnamese card validity)', () => {
  const { vectors } = loadVectors<{
    dateOfBirth: string;
    issueDate: string;
    law: CardExpiryLaw;
    expiry: string | null;
    why: string;
  }>(import.meta.url, 'card-expiry');
  it.each(vectors)('$why', (v) => {
    expect(expectedExpiry(v.dateOfBirth, v.issueDate, { law: v.law })).toBe(v.expiry);
  });

  it('rejects dates that are not ISO calendar dates', () => {
    expect(codeOf(() => expectedExpiry('1990-02-30', '2021-01-01'))?.code).toBe('INVALID_DATE');
    expect(codeOf(() => expectedExpiry('1990-01-01', '01/01/2021'))?.context).toEqual({ field: 'issueDate' });
  });
});
