import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CredentialsError,
  checkPasscode,
  checkPassword,
  DEFAULT_PASSWORD_SPECIALS,
  type PasscodeRuleCode,
  type PasscodeWarningCode,
  type PasswordRuleCode,
} from '../../src/credentials/index.ts';

const codes = (r: { violations: { code: string }[] }): string[] => r.violations.map((v) => v.code);

describe('checkPassword (VNeID rule)', () => {
  const table: Array<[string, string, PasswordRuleCode[], string?]> = [
    ['valid', 'Abcdef1!', []],
    ['valid, 20 characters', 'Aa1!Aa1!Aa1!Aa1!Aa1!', []],
    ['valid, every default special', 'Ab1!@#$%^*()', []],
    [
      'empty',
      '',
      ['TOO_SHORT', 'MISSING_DIGIT', 'MISSING_UPPERCASE', 'MISSING_LOWERCASE', 'MISSING_SPECIAL'],
    ],
    ['7 characters', 'Abcde1!', ['TOO_SHORT']],
    ['21 characters', 'Aa1!Aa1!Aa1!Aa1!Aa1!A', ['TOO_LONG']],
    ['no digit', 'Abcdefg!', ['MISSING_DIGIT']],
    ['no upper case', 'abcdef1!', ['MISSING_UPPERCASE']],
    ['no lower case', 'ABCDEF1!', ['MISSING_LOWERCASE']],
    ['no special', 'Abcdefg1', ['MISSING_SPECIAL']],
    ['space', 'Abc def1!', ['DISALLOWED_CHARACTER']],
    ['underscore not in the default set', 'Abcdef1_', ['MISSING_SPECIAL', 'DISALLOWED_CHARACTER']],
    ['underscore allowed when configured', 'Abcdef1_', [], '!@#$%^*()_'],
    ['Vietnamese letters are not A–Z', 'Đăngnhập1!', ['MISSING_UPPERCASE', 'DISALLOWED_CHARACTER']],
    ['emoji counts as one character', 'Ab1!😀xyz', ['DISALLOWED_CHARACTER']],
    [
      'only specials, too long',
      '!'.repeat(25),
      ['TOO_LONG', 'MISSING_DIGIT', 'MISSING_UPPERCASE', 'MISSING_LOWERCASE'],
    ],
    ['custom set rejects a default special', 'Abcdef1!', ['MISSING_SPECIAL', 'DISALLOWED_CHARACTER'], '#'],
  ];

  it.each(table)('%s', (_name, pw, expected, specials) => {
    const r = checkPassword(pw, specials === undefined ? {} : { specials });
    expect(codes(r)).toEqual(expected);
    expect(r.ok).toBe(expected.length === 0);
    expect(r.warnings).toEqual([]);
    for (const v of r.violations) {
      expect(v.message.vi.length).toBeGreaterThan(0);
      expect(v.message.en.length).toBeGreaterThan(0);
      if (pw.length >= 3) {
        expect(v.message.vi).not.toContain(pw);
        expect(v.message.en).not.toContain(pw);
      }
    }
  });

  it('names the special set in its message', () => {
    const r = checkPassword('Abcdefg1');
    expect(r.violations[0]!.message.en).toContain(DEFAULT_PASSWORD_SPECIALS);
    expect(checkPassword('Abcdefg1', { specials: '-_' }).violations[0]!.message.vi).toContain('-_');
  });

  it('agrees with an independent statement of the rule (property)', () => {
    const ch = fc.constantFrom(...'aZ09!@#$%^*()_ -éĐ'.split(''), 'x', 'Y', '5');
    fc.assert(
      fc.property(fc.array(ch, { maxLength: 25 }), (arr) => {
        const pw = arr.join('');
        const got = new Set(codes(checkPassword(pw)));
        const n = [...pw].length;
        expect(got.has('TOO_SHORT')).toBe(n < 8);
        expect(got.has('TOO_LONG')).toBe(n > 20);
        expect(got.has('MISSING_DIGIT')).toBe(!/[0-9]/.test(pw));
        expect(got.has('MISSING_UPPERCASE')).toBe(!/[A-Z]/.test(pw));
        expect(got.has('MISSING_LOWERCASE')).toBe(!/[a-z]/.test(pw));
        expect(got.has('MISSING_SPECIAL')).toBe(!/[!@#$%^*()]/.test(pw));
        expect(got.has('DISALLOWED_CHARACTER')).toBe(/[^A-Za-z0-9!@#$%^*()]/.test(pw));
        expect(checkPassword(pw).ok).toBe(got.size === 0);
      }),
    );
  });

  it.each(['', 'a', 'ab1', ' ', '!\n', '€'])(
    'rejects the special set %j with INVALID_SPECIALS',
    (specials) => {
      let caught: unknown;
      try {
        checkPassword('Abcdef1!', { specials });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(CredentialsError);
      expect((caught as CredentialsError).code).toBe('INVALID_SPECIALS');
    },
  );

  it('treats a non-string as empty instead of throwing', () => {
    expect(checkPassword(undefined as unknown as string).ok).toBe(false);
  });
});

describe('checkPasscode', () => {
  const table: Array<[string, string, PasscodeRuleCode[], PasscodeWarningCode[], string?]> = [
    ['valid', '472913', [], []],
    ['valid with leading zero', '047291', [], []],
    ['5 digits', '47291', ['WRONG_LENGTH'], []],
    ['7 digits', '4729130', ['WRONG_LENGTH'], []],
    ['empty', '', ['WRONG_LENGTH'], []],
    ['letter', '47291a', ['NOT_DIGITS'], []],
    ['too short and a letter', '4a', ['WRONG_LENGTH', 'NOT_DIGITS'], []],
    ['space', '472 13', ['NOT_DIGITS'], []],
    ['full-width digits', '４７２９１３', ['NOT_DIGITS'], []],
    ['trailing newline', '472913\n', ['WRONG_LENGTH', 'NOT_DIGITS'], []],
    ['000000', '000000', [], ['REPEATED_DIGIT']],
    ['123456', '123456', [], ['SEQUENTIAL_DIGITS']],
    ['654321', '654321', [], ['SEQUENTIAL_DIGITS']],
    ['890123 (wraps)', '890123', [], ['SEQUENTIAL_DIGITS']],
    ['121212', '121212', [], ['REPEATED_PATTERN']],
    ['123123', '123123', [], ['REPEATED_PATTERN']],
    ['date of birth ddmmyy', '150190', [], ['DATE_OF_BIRTH'], '1990-01-15'],
    ['date of birth yymmdd', '900115', [], ['DATE_OF_BIRTH'], '1990-01-15'],
    ['not the date of birth', '150191', [], [], '1990-01-15'],
  ];
  it.each(table)('%s', (_name, code, violations, warnings, dateOfBirth) => {
    const r = checkPasscode(code, dateOfBirth === undefined ? {} : { dateOfBirth });
    expect(codes(r)).toEqual(violations);
    expect(r.warnings.map((w) => w.code)).toEqual(warnings);
    expect(r.ok).toBe(violations.length === 0);
    for (const m of [...r.violations, ...r.warnings]) {
      expect(m.message.vi).not.toContain(code || '\u0000');
      expect(m.message.en).not.toContain(code || '\u0000');
    }
  });

  it('accepts exactly the strings of six ASCII digits (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[0-9]{6}$/), fc.string({ maxLength: 8 })), (s) => {
        expect(checkPasscode(s).ok).toBe(/^[0-9]{6}$/.test(s));
      }),
    );
  });
});
