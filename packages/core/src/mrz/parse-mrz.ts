/**
 * @module
 * MRZ parsing: ICAO Doc 9303 Part 4 (TD3, passports: 2 lines × 44) and Part 5 (TD1, ID cards:
 * 3 lines × 30), with every check digit of Part 3, 4.9 verified. Vietnamese CCCD / Căn cước
 * cards are TD1 `IDVNM` documents whose 9-character document number is the last 9 digits of
 * the 12-digit personal ID; the full ID sits in the optional data as `<12 digits><<<check>`.
 * Both are returned and cross-checked (see docs/field-evidence.md §3).
 */
import { optionsObject, readClock } from '../errors/arguments.ts';
import { decodeIdNumber } from '../id-number/index.ts';
import { checkDigit, mrzCharValue } from './check-digit.ts';
import { assertMrzDate, birthCentury, expiryCentury, mrzDateToIso, NO_EXPIRY } from './mrz-date.ts';
import { MrzError, type MrzField, mrzArgumentError } from './mrz-error.ts';

/** Sex as written in the MRZ: `M`, `F`, or `<` / `X` (unspecified). */
export type MrzSex = 'male' | 'female' | 'unspecified';

/** The Vietnamese reading of an `IDVNM` TD1. */
export interface VietnamMrz {
  /** The full 12-digit personal ID number from the optional data. */
  idNumber: string;
  /** True when the 9-digit document number equals the last 9 digits of `idNumber`. */
  consistent: boolean;
  /** True when the ID number's birth year (YY) equals the MRZ date of birth's. */
  birthYearMatches: boolean;
  /** True/false when both the ID and the MRZ state a sex; null when the MRZ leaves it unspecified. */
  sexMatches: boolean | null;
}

/** A parsed, check-digit-verified MRZ. Field values have trailing `<` fillers removed. */
export interface MrzResult {
  format: 'TD1' | 'TD3';
  /** The normalised lines (the exact MRZ text). */
  lines: string[];
  /** Document code without fillers: `ID`, `I`, `P`, `PN`, … */
  documentCode: string;
  /** Issuing state or organisation (ICAO 9303 Part 3 codes), fillers removed: `VNM`, `D`, `UTO`. */
  issuingState: string;
  /** Document number, fillers removed; TD1 extended numbers (Part 5 note j) are joined. */
  documentNumber: string;
  /** TD1: optional data of line 1 (after an extended document number); TD3: personal number. */
  optionalData: string;
  /** TD1: optional data of line 2; TD3: always ''. */
  optionalData2: string;
  /** Raw `YYMMDD` (may hold `<` for unknown parts). */
  dateOfBirth: string;
  /** ISO `YYYY-MM-DD`, or null when the MRZ leaves part of the date unknown. */
  dateOfBirthIso: string | null;
  /** Raw `YYMMDD`. */
  dateOfExpiry: string;
  /** ISO `YYYY-MM-DD`, or null when {@link MrzResult.noExpiry}. */
  dateOfExpiryIso: string | null;
  /** True for `991231` (Vietnamese "no expiry") or an all-filler field. */
  noExpiry: boolean;
  sex: MrzSex;
  /** Nationality code, fillers removed. */
  nationality: string;
  /** Primary identifier, `<` read as space: `NGUYEN`. */
  surname: string;
  /** Secondary identifier, `<` read as space: `VAN AN`. */
  givenNames: string;
  /** Present for a Vietnamese `IDVNM` TD1; null otherwise. */
  vietnam: VietnamMrz | null;
}

/** Options of {@link parseMrz}. */
export interface ParseMrzOptions {
  /**
   * Clock used to choose the century of two-digit years (default `Date.now`): epoch
   * milliseconds or a `Date`. One that returns no valid time is an `INVALID_ARGUMENT` error.
   */
  now?: () => number | Date;
}

const stripFillers = (s: string): string => s.replace(/<+$/, '');
const nameText = (s: string): string => s.replace(/<+/g, ' ').trim();

function splitLines(text: string | readonly string[]): string[] {
  const raw = typeof text === 'string' ? text.split(/\r?\n/) : [...text];
  const lines = raw
    .map((l) => (typeof l === 'string' ? l.replace(/[ \t]+$/, '') : ''))
    .filter((l) => l !== '');
  if (lines.length === 1) {
    // DG1 stores the MRZ as one string without line breaks.
    const one = lines[0]!;
    if (one.length === 90) return [one.slice(0, 30), one.slice(30, 60), one.slice(60)];
    if (one.length === 88) return [one.slice(0, 44), one.slice(44)];
  }
  return lines;
}

function assertCharacters(lines: readonly string[]): void {
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l]!;
    for (let i = 0; i < line.length; i++) {
      if (mrzCharValue(line.charCodeAt(i)) < 0) {
        throw new MrzError('INVALID_CHARACTER', `Line ${l + 1}, position ${i + 1}: not an MRZ character`, {
          context: { line: l + 1, position: i + 1 },
        });
      }
    }
  }
}

function parseSex(c: string): MrzSex {
  if (c === 'M') return 'male';
  if (c === 'F') return 'female';
  if (c === '<' || c === 'X') return 'unspecified';
  throw new MrzError('INVALID_SEX', 'The sex field is not M, F, X or <', { context: { field: 'sex' } });
}

function parseName(field: string, line: number): { surname: string; givenNames: string } {
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      throw new MrzError('INVALID_CHARACTER', `Line ${line}: a digit in the name field`, {
        context: { field: 'name', line, position: i + 1 },
      });
    }
  }
  const sep = field.indexOf('<<');
  if (sep < 0) return { surname: nameText(field), givenNames: '' };
  return { surname: nameText(field.slice(0, sep)), givenNames: nameText(field.slice(sep + 2)) };
}

class CheckDigits {
  readonly failed: MrzField[] = [];
  verify(field: MrzField, data: string, digit: string): void {
    if (digit !== String(checkDigit(data, field))) this.failed.push(field);
  }
  /** Optional fields (TD3 personal number) may carry `<` as check digit when all filler. */
  verifyOptional(field: MrzField, data: string, digit: string): void {
    if (digit === '<' && /^<*$/.test(data)) return;
    this.verify(field, data, digit);
  }
  throwIfFailed(): void {
    const first = this.failed[0];
    if (first === undefined) return;
    throw new MrzError(
      'BAD_CHECK_DIGIT',
      `Check digit mismatch in ${this.failed.length === 1 ? 'field' : 'fields'} ${this.failed.join(', ')}`,
      { context: { field: first, fields: [...this.failed] } },
    );
  }
}

interface Common {
  documentCode: string;
  issuingState: string;
  dateOfBirth: string;
  sexChar: string;
  dateOfExpiry: string;
  nationality: string;
}

function finish(
  format: 'TD1' | 'TD3',
  lines: string[],
  c: Common,
  rest: Pick<MrzResult, 'documentNumber' | 'optionalData' | 'optionalData2' | 'surname' | 'givenNames'>,
  vietnamId: string | null,
  nowYear: number,
): MrzResult {
  assertMrzDate(c.dateOfBirth, 'dateOfBirth');
  assertMrzDate(c.dateOfExpiry, 'dateOfExpiry');
  const sex = parseSex(c.sexChar);
  const yy = Number(c.dateOfBirth.slice(0, 2));
  let century = birthCentury(yy, nowYear);
  let vietnam: VietnamMrz | null = null;
  if (vietnamId !== null) {
    const info = decodeIdNumber(vietnamId);
    const birthYearMatches = info.birthYear % 100 === yy;
    if (birthYearMatches) century = info.century;
    vietnam = {
      idNumber: vietnamId,
      consistent: vietnamId.slice(3) === rest.documentNumber,
      birthYearMatches,
      sexMatches: sex === 'unspecified' ? null : sex === info.sex,
    };
  }
  const noExpiry = c.dateOfExpiry === NO_EXPIRY || c.dateOfExpiry === '<<<<<<';
  const expYy = Number(c.dateOfExpiry.slice(0, 2));
  return {
    format,
    lines,
    documentCode: c.documentCode,
    issuingState: c.issuingState,
    ...rest,
    dateOfBirth: c.dateOfBirth,
    dateOfBirthIso: mrzDateToIso(c.dateOfBirth, century),
    dateOfExpiry: c.dateOfExpiry,
    dateOfExpiryIso: noExpiry ? null : mrzDateToIso(c.dateOfExpiry, expiryCentury(expYy, nowYear)),
    noExpiry,
    sex,
    nationality: c.nationality,
    vietnam,
  };
}

function parseTd1(lines: string[], nowYear: number): MrzResult {
  const [l1, l2, l3] = lines as [string, string, string];
  const documentCode = stripFillers(l1.slice(0, 2));
  if (!/^[ACI]/.test(documentCode)) {
    throw new MrzError('INVALID_DOCUMENT_CODE', 'A TD1 document code starts with A, C or I', {
      context: { field: 'documentCode', line: 1, position: 1 },
    });
  }
  const checks = new CheckDigits();
  let documentNumber: string;
  let optionalData: string;
  if (l1[14] === '<' && l1[5] !== '<' && /[^<]/.test(l1.slice(15, 30))) {
    // Extended document number (Part 5, note j): the rest continues in the optional data and
    // ends with its check digit just before the first filler.
    const opt = l1.slice(15, 30);
    const end = opt.indexOf('<');
    const tail = end < 0 ? opt : opt.slice(0, end);
    if (tail.length < 2) {
      throw new MrzError('BAD_CHECK_DIGIT', 'Extended document number has no check digit', {
        context: { field: 'documentNumber', fields: ['documentNumber'] },
      });
    }
    documentNumber = l1.slice(5, 14) + tail.slice(0, -1);
    checks.verify('documentNumber', documentNumber, tail.slice(-1));
    optionalData = stripFillers(opt.slice(tail.length + 1));
  } else {
    documentNumber = stripFillers(l1.slice(5, 14));
    checks.verify('documentNumber', l1.slice(5, 14), l1[14]!);
    optionalData = stripFillers(l1.slice(15, 30));
  }
  checks.verify('dateOfBirth', l2.slice(0, 6), l2[6]!);
  checks.verify('dateOfExpiry', l2.slice(8, 14), l2[14]!);
  checks.verify('composite', l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29), l2[29]!);

  let vietnamId: string | null = null;
  const issuingState = stripFillers(l1.slice(2, 5));
  if (documentCode === 'ID' && issuingState === 'VNM') {
    const opt = l1.slice(15, 30);
    if (!/^[0-9]{12}<<[0-9]$/.test(opt) || !/^[0-9]{9}$/.test(l1.slice(5, 14))) {
      throw new MrzError(
        'INVALID_VIETNAM_LAYOUT',
        'An IDVNM card carries a 9-digit document number and the 12-digit ID + << + check digit',
        { context: { field: 'vietnamIdNumber', line: 1, position: 16 } },
      );
    }
    checks.verify('vietnamIdNumber', opt.slice(0, 14), opt[14]!);
    vietnamId = opt.slice(0, 12);
  }
  checks.throwIfFailed();
  return finish(
    'TD1',
    lines,
    {
      documentCode,
      issuingState,
      dateOfBirth: l2.slice(0, 6),
      sexChar: l2[7]!,
      dateOfExpiry: l2.slice(8, 14),
      nationality: stripFillers(l2.slice(15, 18)),
    },
    { documentNumber, optionalData, optionalData2: stripFillers(l2.slice(18, 29)), ...parseName(l3, 3) },
    vietnamId,
    nowYear,
  );
}

function parseTd3(lines: string[], nowYear: number): MrzResult {
  const [l1, l2] = lines as [string, string];
  const documentCode = stripFillers(l1.slice(0, 2));
  if (!documentCode.startsWith('P')) {
    throw new MrzError(
      'INVALID_DOCUMENT_CODE',
      'A TD3 document code starts with P (MRV-A visas are not supported)',
      {
        context: { field: 'documentCode', line: 1, position: 1 },
      },
    );
  }
  const checks = new CheckDigits();
  checks.verify('documentNumber', l2.slice(0, 9), l2[9]!);
  checks.verify('dateOfBirth', l2.slice(13, 19), l2[19]!);
  checks.verify('dateOfExpiry', l2.slice(21, 27), l2[27]!);
  checks.verifyOptional('personalNumber', l2.slice(28, 42), l2[42]!);
  checks.verify('composite', l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43), l2[43]!);
  checks.throwIfFailed();
  return finish(
    'TD3',
    lines,
    {
      documentCode,
      issuingState: stripFillers(l1.slice(2, 5)),
      dateOfBirth: l2.slice(13, 19),
      sexChar: l2[20]!,
      dateOfExpiry: l2.slice(21, 27),
      nationality: stripFillers(l2.slice(10, 13)),
    },
    {
      documentNumber: stripFillers(l2.slice(0, 9)),
      optionalData: stripFillers(l2.slice(28, 42)),
      optionalData2: '',
      ...parseName(l1.slice(5, 44), 1),
    },
    null,
    nowYear,
  );
}

/**
 * Parses a TD1 (3 × 30) or TD3 (2 × 44) MRZ and verifies every check digit.
 *
 * `text` is the MRZ as lines (array, or one string with `\n` / `\r\n` breaks; trailing spaces
 * and blank lines are ignored) or as the single 90/88-character string stored in DG1.
 * @throws {MrzError} `UNKNOWN_FORMAT`, `INVALID_CHARACTER`, `BAD_CHECK_DIGIT`, `INVALID_DATE`,
 *   `INVALID_SEX`, `INVALID_DOCUMENT_CODE`, `INVALID_VIETNAM_LAYOUT`; `INVALID_ARGUMENT` when
 *   `options` is not an object or `options.now` is not a clock returning a valid time.
 */
export function parseMrz(text: string | readonly string[], options?: ParseMrzOptions): MrzResult {
  const opts = optionsObject(options, mrzArgumentError);
  const nowYear = new Date(readClock(opts.now, 'options.now', mrzArgumentError)).getUTCFullYear();
  if (typeof text !== 'string' && !Array.isArray(text)) {
    throw new MrzError('UNKNOWN_FORMAT', 'Expected the MRZ as a string or an array of lines');
  }
  const lines = splitLines(text);
  const lengths = lines.map((l) => l.length);
  const isTd1 = lines.length === 3 && lengths.every((n) => n === 30);
  const isTd3 = lines.length === 2 && lengths.every((n) => n === 44);
  if (!isTd1 && !isTd3) {
    const td2 = lines.length === 2 && lengths.every((n) => n === 36);
    throw new MrzError(
      'UNKNOWN_FORMAT',
      td2
        ? 'TD2 (2 × 36) MRZs are not supported'
        : `Expected 3 lines of 30 (TD1) or 2 lines of 44 (TD3), got ${lines.length} line(s) of ${lengths.join('/') || 0}`,
      { context: { lines: lines.length } },
    );
  }
  assertCharacters(lines);
  return isTd1 ? parseTd1(lines, nowYear) : parseTd3(lines, nowYear);
}
