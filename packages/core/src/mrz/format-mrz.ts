/**
 * @module
 * MRZ formatting, the inverse of {@link parseMrz}: ICAO Doc 9303 Part 4 (TD3) and Part 5
 * (TD1) field layouts with the check digits of Part 3, 4.9. Used for round-trip tests, for
 * the software chip's DG1 and for demos with synthetic people. `formatVietnamTd1` writes the
 * Vietnamese CCCD layout (docs/field-evidence.md §3).
 */
import { optionalBoolean, optionsObject } from '../errors/arguments.ts';
import { assertIdNumber } from '../id-number/index.ts';
import { checkDigitChar, mrzCharValue } from './check-digit.ts';
import { NO_EXPIRY, toMrzDate } from './mrz-date.ts';
import { MrzError, type MrzField, mrzArgumentError } from './mrz-error.ts';
import type { MrzSex } from './parse-mrz.ts';

/** Input of {@link formatMrz}. Dates are `YYMMDD` or ISO `YYYY-MM-DD`. */
export interface MrzFields {
  format: 'TD1' | 'TD3';
  documentCode: string;
  issuingState: string;
  documentNumber: string;
  /** TD1 line-1 optional data, or TD3 personal number (≤ 14). Default empty. */
  optionalData?: string;
  /** TD1 line-2 optional data (≤ 11). Default empty; must be empty for TD3. */
  optionalData2?: string;
  dateOfBirth: string;
  /** Null writes `991231` (no expiry). */
  dateOfExpiry: string | null;
  sex: MrzSex;
  nationality: string;
  surname: string;
  givenNames: string;
}

/** Options of {@link formatMrz}. */
export interface FormatMrzOptions {
  /** Cut a name that does not fit at the field's end instead of throwing (default false). */
  truncateName?: boolean;
}

function field(value: string, length: number, name: MrzField, allowSpaces = false): string {
  const v = allowSpaces ? value.trim().replace(/[ ]+/g, '<') : value;
  for (let i = 0; i < v.length; i++) {
    if (mrzCharValue(v.charCodeAt(i)) < 0) {
      throw new MrzError('INVALID_CHARACTER', `The ${name} has a character outside 0-9, A-Z, <`, {
        context: { field: name, position: i + 1 },
      });
    }
  }
  if (v.length > length) {
    throw new MrzError(
      'FIELD_TOO_LONG',
      `The ${name} has ${v.length} characters; the field holds ${length}`,
      {
        context: { field: name, length: v.length },
      },
    );
  }
  return v.padEnd(length, '<');
}

function nameField(surname: string, givenNames: string, length: number, truncate: boolean): string {
  const s = surname.trim().replace(/[ ]+/g, '<');
  const g = givenNames.trim().replace(/[ ]+/g, '<');
  if (/[0-9]/.test(s + g)) {
    throw new MrzError('INVALID_CHARACTER', 'A name has a digit', { context: { field: 'name' } });
  }
  let text = g === '' ? s : `${s}<<${g}`;
  if (text.length > length) {
    if (!truncate) {
      throw new MrzError(
        'FIELD_TOO_LONG',
        `The name has ${text.length} characters; the field holds ${length}`,
        {
          context: { field: 'name', length: text.length },
        },
      );
    }
    text = text.slice(0, length);
  }
  return field(text, length, 'name');
}

function formatOptions(options: FormatMrzOptions | undefined): FormatMrzOptions {
  const opts = optionsObject(options, mrzArgumentError);
  optionalBoolean(opts.truncateName, 'options.truncateName', mrzArgumentError);
  return opts;
}

/** Callers without TypeScript get a typed error, not a TypeError, for a missing or non-string field. */
function requireStrings(fields: unknown, names: readonly string[]): void {
  if (typeof fields !== 'object' || fields === null) {
    throw new MrzError('INVALID_FIELD', 'The MRZ fields must be an object');
  }
  for (const name of names) {
    if (typeof (fields as Record<string, unknown>)[name] !== 'string') {
      const field: MrzField = name === 'surname' || name === 'givenNames' ? 'name' : (name as MrzField);
      throw new MrzError('INVALID_FIELD', `The ${name} must be a string`, { context: { field } });
    }
  }
}

function sexChar(sex: MrzSex): string {
  if (sex === 'male') return 'M';
  if (sex === 'female') return 'F';
  if (sex === 'unspecified') return '<';
  throw new MrzError('INVALID_SEX', 'Sex must be male, female or unspecified', { context: { field: 'sex' } });
}

/**
 * Writes the MRZ lines for `fields` (TD1: 3 × 30, TD3: 2 × 44), computing every check digit.
 * TD1 document numbers longer than 9 characters use the extended form (Part 5, note j).
 * @throws {MrzError} `INVALID_CHARACTER`, `FIELD_TOO_LONG`, `INVALID_DATE`, `INVALID_SEX`;
 *   `INVALID_ARGUMENT` when `options` is not an object or `options.truncateName` not a boolean.
 */
export function formatMrz(fields: MrzFields, options?: FormatMrzOptions): string[] {
  const opts = formatOptions(options);
  requireStrings(fields, [
    'documentCode',
    'issuingState',
    'documentNumber',
    'dateOfBirth',
    'nationality',
    'surname',
    'givenNames',
  ]);
  const dob = fields.dateOfBirth.includes('<')
    ? field(fields.dateOfBirth, 6, 'dateOfBirth')
    : toMrzDate(fields.dateOfBirth, 'dateOfBirth');
  const exp = fields.dateOfExpiry === null ? NO_EXPIRY : toMrzDate(fields.dateOfExpiry, 'dateOfExpiry');
  const sex = sexChar(fields.sex);
  const code = field(fields.documentCode, 2, 'documentCode');
  const state = field(fields.issuingState, 3, 'issuingState');
  const nat = field(fields.nationality, 3, 'nationality');
  const dobCd = dob + checkDigitChar(dob);
  const expCd = exp + checkDigitChar(exp);
  const truncate = opts.truncateName === true;

  if (fields.format === 'TD1') {
    let docPart: string;
    const doc = fields.documentNumber;
    if (doc.length > 9) {
      const extended = `${doc.slice(9)}${checkDigitChar(doc, 'documentNumber')}`;
      const opt = fields.optionalData ?? '';
      docPart = `${field(doc.slice(0, 9), 9, 'documentNumber')}<${field(
        opt === '' ? extended : `${extended}<${opt}`,
        15,
        'optionalData',
      )}`;
    } else {
      const d = field(doc, 9, 'documentNumber');
      docPart = d + checkDigitChar(d) + field(fields.optionalData ?? '', 15, 'optionalData');
    }
    const l1 = code + state + docPart;
    const l2head = `${dobCd}${sex}${expCd}${nat}${field(fields.optionalData2 ?? '', 11, 'optionalData2')}`;
    const composite = checkDigitChar(
      l1.slice(5, 30) + l2head.slice(0, 7) + l2head.slice(8, 15) + l2head.slice(18, 29),
    );
    return [l1, l2head + composite, nameField(fields.surname, fields.givenNames, 30, truncate)];
  }
  if (fields.format !== 'TD3') {
    throw new MrzError('UNKNOWN_FORMAT', 'Only TD1 and TD3 can be formatted');
  }
  if ((fields.optionalData2 ?? '') !== '') {
    throw new MrzError('FIELD_TOO_LONG', 'TD3 has no second optional data field', {
      context: { field: 'optionalData2' },
    });
  }
  const l1 = code + state + nameField(fields.surname, fields.givenNames, 39, truncate);
  const doc = field(fields.documentNumber, 9, 'documentNumber');
  const personal = field(fields.optionalData ?? '', 14, 'personalNumber');
  const personalCd = /^<*$/.test(personal) ? '<' : checkDigitChar(personal);
  const body = `${doc}${checkDigitChar(doc)}${nat}${dobCd}${sex}${expCd}${personal}${personalCd}`;
  const composite = checkDigitChar(body.slice(0, 10) + body.slice(13, 20) + body.slice(21, 43));
  return [l1, body + composite];
}

/** Input of {@link formatVietnamTd1}. */
export interface VietnamTd1Fields {
  /** The 12-digit personal ID number. */
  idNumber: string;
  /** `YYYY-MM-DD` or `YYMMDD`. */
  dateOfBirth: string;
  sex: 'male' | 'female';
  /** `YYYY-MM-DD`, `YYMMDD`, or null for "no expiry" (`991231`). */
  dateOfExpiry: string | null;
  /** Without diacritics, upper case (e.g. `NGUYEN`). */
  surname: string;
  givenNames: string;
}

/**
 * Writes the MRZ of a Vietnamese CCCD / Căn cước card: `IDVNM` + last 9 digits of the ID +
 * check digit + the 12-digit ID + `<<` + its check digit; nationality `VNM`.
 * @throws {IdNumberError} `INVALID_ID_NUMBER`
 * @throws {MrzError} as {@link formatMrz}
 */
export function formatVietnamTd1(fields: VietnamTd1Fields, options?: FormatMrzOptions): string[] {
  const opts = formatOptions(options);
  requireStrings(fields, ['dateOfBirth', 'surname', 'givenNames']);
  assertIdNumber(fields.idNumber);
  const opt = `${fields.idNumber}<<`;
  return formatMrz(
    {
      format: 'TD1',
      documentCode: 'ID',
      issuingState: 'VNM',
      documentNumber: fields.idNumber.slice(3),
      optionalData: opt + checkDigitChar(opt),
      dateOfBirth: fields.dateOfBirth,
      dateOfExpiry: fields.dateOfExpiry,
      sex: fields.sex,
      nationality: 'VNM',
      surname: fields.surname,
      givenNames: fields.givenNames,
    },
    opts,
  );
}
