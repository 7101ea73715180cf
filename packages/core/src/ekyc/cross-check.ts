/**
 * @module
 * eKYC cross-check of what one card says through its different channels: the front/back QR
 * code (docs/field-evidence.md §1), the printed MRZ (ICAO Doc 9303 Part 5 TD1, read by OCR;
 * §3) and the chip's DG1 (the same MRZ, signed) and DG13 (the Vietnamese data group; §4). Each
 * field — ID number, name, date of birth, sex, expiry — is compared for every pair of sources
 * that carry it. Names with diacritics are compared with the MRZ through the ICAO 9303 Part 3
 * transliteration; dates are compared at the precision both sides have (the MRZ's `YYMMDD`
 * against the year's last two digits, never through a guessed century). Each source is also
 * checked against its own ID number, whose digits encode sex and birth year (Circular
 * 07/2016/TT-BCA; §2). The report names fields and sources only, never their values.
 * Inputs are plain structures (the results of `parseCccdQr`, `parseMrz`, and the `dg1` /
 * `dg13` of `@vneid/cccd-reader`'s `readCard` fit them), so this layer depends on no reader.
 */
import { optionsObject, readClock } from '../errors/arguments.ts';
import { CoreError, isCoreError } from '../errors/index.ts';
import { decodeIdNumber, isIdNumber } from '../id-number/index.ts';
import { type MrzSex, mrzNameCompatible, type ParseMrzOptions, parseMrz } from '../mrz/index.ts';

/** Codes of {@link EkycError}. */
export type EkycErrorCode =
  /** The input is not an object, has fewer than two sources, or a source has the wrong shape. */
  'INVALID_ARGUMENT';

/** Error thrown by the eKYC layer for unusable arguments (a disagreement is a report, never an error). */
export class EkycError extends CoreError<EkycErrorCode, { source?: CrossCheckSource }> {}

/** The QR fields compared (what `parseCccdQr` returns). */
export interface CrossCheckQr {
  /** 12 digits. */
  idNumber: string;
  /** Full name with diacritics. */
  fullName: string;
  /** ISO `YYYY-MM-DD`. */
  dateOfBirth: string;
  sex: 'male' | 'female';
}

/** The MRZ fields compared (what `parseMrz` returns). */
export interface CrossCheckMrz {
  /** The MRZ lines; the name field is read from them when present (to see truncation). */
  lines?: readonly string[];
  format?: 'TD1' | 'TD3';
  documentNumber: string;
  /** Raw `YYMMDD`, `<` for unknown parts. */
  dateOfBirth: string;
  /** Raw `YYMMDD`. */
  dateOfExpiry: string;
  noExpiry: boolean;
  sex: MrzSex;
  surname: string;
  givenNames: string;
  /** The Vietnamese reading of an `IDVNM` card; null for other documents. */
  vietnam: { idNumber: string; consistent: boolean } | null;
}

/** An MRZ as text (lines, one string, or DG1's 90 characters) or already parsed. */
export type CrossCheckMrzInput = string | readonly string[] | CrossCheckMrz;

/** The DG13 fields compared, as the card stores them (what `parseDg13` returns). */
export interface CrossCheckDg13 {
  idNumber?: string;
  fullName?: string;
  /** `dd/mm/yyyy`. */
  dateOfBirth?: string;
  /** `Nam` or `Nữ`. */
  sex?: string;
  /** `dd/mm/yyyy`, or text such as `Không thời hạn` for a card that does not expire. */
  expiryDate?: string;
}

/** What was read from the chip: DG1 (as `readCard` returns it, `{ mrz }`, or an MRZ) and DG13. */
export interface CrossCheckChip {
  dg1?: { mrz: CrossCheckMrz } | CrossCheckMrzInput;
  dg13?: CrossCheckDg13;
}

/** Input of {@link crossCheck}: at least two sources in all (the chip counts DG1 and DG13 apart). */
export interface CrossCheckInput {
  qr?: CrossCheckQr;
  mrz?: CrossCheckMrzInput;
  chip?: CrossCheckChip;
}

/** Options of {@link crossCheck}. */
export interface CrossCheckOptions {
  /** Clock passed to `parseMrz` when an MRZ is given as text (default `Date.now`). */
  now?: ParseMrzOptions['now'];
  /** Leading words of a full name that form the MRZ surname (default 1, Vietnamese names). */
  surnameWords?: number;
}

/** A channel the card's data came through. */
export type CrossCheckSource = 'qr' | 'mrz' | 'dg1' | 'dg13';

/** A compared field. */
export type CrossCheckField = 'idNumber' | 'name' | 'dateOfBirth' | 'sex' | 'dateOfExpiry';

/**
 * Outcome of one comparison. `unavailable`: one side does not carry the field (the QR has no
 * expiry; an MRZ may leave sex unspecified); `invalid`: a side carries it in a form that cannot
 * be read (a DG13 date that is not `dd/mm/yyyy`, an ID that is not 12 digits).
 */
export type CrossCheckStatus = 'match' | 'mismatch' | 'unavailable' | 'invalid';

/** How a match was reached, when not by plain equality. */
export type CrossCheckBasis =
  /** Equal values. */
  | 'equal'
  /** A name with diacritics transliterated to the MRZ form (ICAO 9303 Part 3, 6) and equal. */
  | 'transliterated'
  /** As `transliterated`, the MRZ's name being cut or shortened to fit its field. */
  | 'truncated'
  /** A full date against the MRZ's `YYMMDD` (the century is not compared). */
  | 'two-digit-year'
  /** Names equal once upper-cased (one source writes the name in capitals). */
  | 'case-insensitive';

/** One field compared between two sources. */
export interface CrossCheckComparison {
  field: CrossCheckField;
  sources: [CrossCheckSource, CrossCheckSource];
  status: CrossCheckStatus;
  /** For `match`: how. */
  basis?: CrossCheckBasis;
  /** For `invalid`: which side's value could not be read. */
  invalid?: CrossCheckSource[];
}

/** A source that disagrees with itself. */
export interface CrossCheckProblem {
  source: CrossCheckSource;
  code: /** The MRZ's 9-digit document number is not the last 9 digits of its 12-digit ID. */
    | 'MRZ_NUMBER_INCONSISTENT'
    /** The sex encoded in the ID number's 4th digit differs from the source's sex. */
    | 'ID_SEX_MISMATCH'
    /** The birth year encoded in the ID number differs from the source's date of birth. */
    | 'ID_BIRTH_YEAR_MISMATCH';
}

/** The comparisons of one field. */
export interface CrossCheckFieldReport {
  /** True when no comparison is a mismatch or invalid (and, for ID number, name and date of birth, at least one matched). */
  ok: boolean;
  comparisons: CrossCheckComparison[];
}

/** Result of {@link crossCheck}. */
export interface CrossCheckReport {
  /**
   * Strict: every comparison of every field is a match or unavailable, ID number, name and
   * date of birth each matched at least once, and no source disagrees with its own ID number.
   */
  ok: boolean;
  /** The sources that were given, in the order `qr`, `mrz`, `dg1`, `dg13`. */
  sources: CrossCheckSource[];
  fields: Record<CrossCheckField, CrossCheckFieldReport>;
  /** Every comparison, field by field, pair by pair. */
  comparisons: CrossCheckComparison[];
  problems: CrossCheckProblem[];
}

/** A value of one source, or the reason there is none. */
type Value<T> = { kind: 'value'; value: T } | { kind: 'absent' } | { kind: 'invalid' };

type NameValue = { form: 'full'; text: string } | { form: 'mrz'; field: string };
type DateValue = { form: 'full'; iso: string } | { form: 'yymmdd'; raw: string } | { form: 'none' };

interface Observed {
  source: CrossCheckSource;
  idNumber: Value<string>;
  name: Value<NameValue>;
  dateOfBirth: Value<DateValue>;
  sex: Value<'male' | 'female'>;
  dateOfExpiry: Value<DateValue>;
  mrzConsistent: boolean;
}

const ABSENT = { kind: 'absent' } as const;
const INVALID = { kind: 'invalid' } as const;
const value = <T>(v: T): Value<T> => ({ kind: 'value', value: v });

const FIELDS: readonly CrossCheckField[] = ['idNumber', 'name', 'dateOfBirth', 'sex', 'dateOfExpiry'];
/** Fields that must match at least once for the report to be ok. */
const REQUIRED: readonly CrossCheckField[] = ['idNumber', 'name', 'dateOfBirth'];

const fail = (message: string, source?: CrossCheckSource): EkycError =>
  new EkycError('INVALID_ARGUMENT', message, source === undefined ? {} : { context: { source } });

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isoDate(text: string): boolean {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return (
    d.getUTCFullYear() === Number(m[1]) &&
    d.getUTCMonth() === Number(m[2]) - 1 &&
    d.getUTCDate() === Number(m[3])
  );
}

/** DG13's `dd/mm/yyyy` as ISO, or null. */
function dg13Date(text: string): string | null {
  const m = /^([0-9]{2})\/([0-9]{2})\/([0-9]{4})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  return isoDate(iso) ? iso : null;
}

/** DG13's expiry text meaning "does not expire" (`Không thời hạn`, any case or normalisation). */
function isNoExpiryText(text: string): boolean {
  return /^không\s+thời\s+hạn$/u.test(text.normalize('NFC').trim().toLocaleLowerCase('vi'));
}

function observeQr(qr: unknown): Observed {
  if (!isObject(qr)) throw fail('Expected qr to be the parsed QR fields (an object)', 'qr');
  const str = (k: string): unknown => qr[k];
  const id = str('idNumber');
  const name = str('fullName');
  const dob = str('dateOfBirth');
  const sex = str('sex');
  return {
    source: 'qr',
    idNumber: id === undefined ? ABSENT : isIdNumber(id) ? value(id) : INVALID,
    name:
      name === undefined
        ? ABSENT
        : typeof name === 'string' && name.trim() !== ''
          ? value({ form: 'full', text: name })
          : INVALID,
    dateOfBirth:
      dob === undefined
        ? ABSENT
        : typeof dob === 'string' && isoDate(dob)
          ? value({ form: 'full', iso: dob })
          : INVALID,
    sex: sex === undefined ? ABSENT : sex === 'male' || sex === 'female' ? value(sex) : INVALID,
    dateOfExpiry: ABSENT, // the QR has no expiry (docs/field-evidence.md §1)
    mrzConsistent: true,
  };
}

function toMrz(input: unknown, source: 'mrz' | 'dg1', options: CrossCheckOptions): CrossCheckMrz {
  if (typeof input === 'string' || Array.isArray(input)) {
    return parseMrz(
      input as string | readonly string[],
      options.now === undefined ? {} : { now: options.now },
    );
  }
  if (
    !isObject(input) ||
    typeof input.documentNumber !== 'string' ||
    typeof input.dateOfBirth !== 'string' ||
    typeof input.dateOfExpiry !== 'string' ||
    typeof input.surname !== 'string' ||
    typeof input.givenNames !== 'string'
  ) {
    throw fail(`Expected ${source} to be MRZ text or a parsed MRZ`, source);
  }
  return input as unknown as CrossCheckMrz;
}

/** The MRZ's name field as written (from its lines when present, to keep truncation visible). */
function mrzNameField(mrz: CrossCheckMrz): string {
  const lines = mrz.lines;
  if (Array.isArray(lines)) {
    if (lines.length === 3 && typeof lines[2] === 'string' && lines[2].length === 30) return lines[2];
    if (lines.length === 2 && typeof lines[0] === 'string' && lines[0].length === 44)
      return lines[0].slice(5);
  }
  const s = mrz.surname.trim().replace(/\s+/g, '<');
  const g = mrz.givenNames.trim().replace(/\s+/g, '<');
  return g === '' ? s : `${s}<<${g}`;
}

function observeMrz(input: unknown, source: 'mrz' | 'dg1', options: CrossCheckOptions): Observed {
  const mrz = toMrz(input, source, options);
  const vn = isObject(mrz.vietnam) ? mrz.vietnam : null;
  const id = vn?.idNumber;
  const dob = mrz.dateOfBirth;
  const exp = mrz.dateOfExpiry;
  const yymmdd = (raw: string): boolean => /^[0-9<]{6}$/.test(raw) && /^[0-9]{2}/.test(raw);
  return {
    source,
    idNumber: vn === null ? ABSENT : isIdNumber(id) ? value(id) : INVALID,
    name: value({ form: 'mrz', field: mrzNameField(mrz) }),
    dateOfBirth: yymmdd(dob) ? value({ form: 'yymmdd', raw: dob }) : dob === '<<<<<<' ? ABSENT : INVALID,
    sex:
      mrz.sex === 'male' || mrz.sex === 'female'
        ? value(mrz.sex)
        : mrz.sex === 'unspecified'
          ? ABSENT
          : INVALID,
    dateOfExpiry:
      mrz.noExpiry === true
        ? value({ form: 'none' })
        : yymmdd(exp)
          ? value({ form: 'yymmdd', raw: exp })
          : INVALID,
    mrzConsistent: vn === null || vn.consistent !== false,
  };
}

function observeDg13(dg13: unknown): Observed {
  if (!isObject(dg13)) throw fail('Expected chip.dg13 to be the parsed DG13 fields (an object)', 'dg13');
  const text = (k: string): Value<string> => {
    const v = dg13[k];
    if (v === undefined || v === null) return ABSENT;
    return typeof v === 'string' ? value(v) : INVALID;
  };
  const map = <A, B>(v: Value<A>, f: (a: A) => B | null): Value<B> =>
    v.kind !== 'value' ? v : ((b) => (b === null ? INVALID : value(b)))(f(v.value));
  return {
    source: 'dg13',
    idNumber: map(text('idNumber'), (s) => (isIdNumber(s.trim()) ? s.trim() : null)),
    name: map(text('fullName'), (s): NameValue | null =>
      s.trim() === '' ? null : { form: 'full', text: s },
    ),
    dateOfBirth: map(text('dateOfBirth'), (s): DateValue | null => {
      const iso = dg13Date(s);
      return iso === null ? null : { form: 'full', iso };
    }),
    sex: map(text('sex'), (s) => {
      const t = s.normalize('NFC').trim().toLocaleLowerCase('vi');
      return t === 'nam' ? 'male' : t === 'nữ' ? 'female' : null;
    }),
    dateOfExpiry: map(text('expiryDate'), (s): DateValue | null => {
      if (isNoExpiryText(s)) return { form: 'none' };
      const iso = dg13Date(s);
      return iso === null ? null : { form: 'full', iso };
    }),
    mrzConsistent: true,
  };
}

const toYymmdd = (iso: string): string => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);

/** Two `YYMMDD` values (`<` for unknown parts) agree where both are known. */
function yymmddAgrees(a: string, b: string): boolean {
  for (let i = 0; i < 6; i++) if (a[i] !== '<' && b[i] !== '<' && a[i] !== b[i]) return false;
  return true;
}

function compareDates(a: DateValue, b: DateValue): { equal: boolean; basis: CrossCheckBasis } {
  if (a.form === 'none' || b.form === 'none') return { equal: a.form === b.form, basis: 'equal' };
  if (a.form === 'full' && b.form === 'full') return { equal: a.iso === b.iso, basis: 'equal' };
  if (a.form === 'yymmdd' && b.form === 'yymmdd') {
    return { equal: yymmddAgrees(a.raw, b.raw), basis: 'equal' };
  }
  const raw = a.form === 'yymmdd' ? a.raw : (b as { raw: string }).raw;
  const iso = a.form === 'full' ? a.iso : (b as { iso: string }).iso;
  return { equal: yymmddAgrees(raw, toYymmdd(iso)), basis: 'two-digit-year' };
}

const canonicalFull = (s: string): string => s.normalize('NFC').trim().replace(/\s+/gu, ' ');

function compareNames(
  a: NameValue,
  b: NameValue,
  surnameWords: number,
): { equal: boolean; basis: CrossCheckBasis } {
  if (a.form === 'full' && b.form === 'full') {
    const x = canonicalFull(a.text);
    const y = canonicalFull(b.text);
    if (x === y) return { equal: true, basis: 'equal' };
    return { equal: x.toLocaleUpperCase('vi') === y.toLocaleUpperCase('vi'), basis: 'case-insensitive' };
  }
  if (a.form === 'mrz' && b.form === 'mrz') {
    return { equal: a.field.replace(/<+$/, '') === b.field.replace(/<+$/, ''), basis: 'equal' };
  }
  const field = a.form === 'mrz' ? a.field : (b as { field: string }).field;
  const full = a.form === 'full' ? a.text : (b as { text: string }).text;
  let result: ReturnType<typeof mrzNameCompatible>;
  try {
    result = mrzNameCompatible(field, full, { surnameWords });
  } catch (e) {
    // A name with a letter that has no MRZ form cannot equal an MRZ name.
    if (isCoreError(e, ['INVALID_CHARACTER', 'INVALID_FIELD']))
      return { equal: false, basis: 'transliterated' };
    throw e;
  }
  return {
    equal: result !== 'mismatch',
    basis: result === 'truncated-match' ? 'truncated' : 'transliterated',
  };
}

function compare(
  field: CrossCheckField,
  a: Observed,
  b: Observed,
  surnameWords: number,
): CrossCheckComparison {
  const va = a[field] as Value<unknown>;
  const vb = b[field] as Value<unknown>;
  const sources: [CrossCheckSource, CrossCheckSource] = [a.source, b.source];
  const invalid = [va.kind === 'invalid' ? a.source : null, vb.kind === 'invalid' ? b.source : null].filter(
    (s): s is CrossCheckSource => s !== null,
  );
  if (invalid.length > 0) return { field, sources, status: 'invalid', invalid };
  if (va.kind !== 'value' || vb.kind !== 'value') return { field, sources, status: 'unavailable' };
  let outcome: { equal: boolean; basis: CrossCheckBasis };
  if (field === 'name') outcome = compareNames(va.value as NameValue, vb.value as NameValue, surnameWords);
  else if (field === 'dateOfBirth' || field === 'dateOfExpiry') {
    outcome = compareDates(va.value as DateValue, vb.value as DateValue);
  } else outcome = { equal: va.value === vb.value, basis: 'equal' };
  return outcome.equal
    ? { field, sources, status: 'match', basis: outcome.basis }
    : { field, sources, status: 'mismatch' };
}

/** A source against its own ID number (sex digit and birth year). */
function selfProblems(o: Observed): CrossCheckProblem[] {
  const problems: CrossCheckProblem[] = [];
  if (!o.mrzConsistent) problems.push({ source: o.source, code: 'MRZ_NUMBER_INCONSISTENT' });
  if (o.idNumber.kind !== 'value') return problems;
  const info = decodeIdNumber(o.idNumber.value);
  if (o.sex.kind === 'value' && o.sex.value !== info.sex)
    problems.push({ source: o.source, code: 'ID_SEX_MISMATCH' });
  const dob = o.dateOfBirth.kind === 'value' ? o.dateOfBirth.value : null;
  if (dob !== null && dob.form !== 'none') {
    const agrees =
      dob.form === 'full'
        ? Number(dob.iso.slice(0, 4)) === info.birthYear
        : dob.raw.slice(0, 2) === String(info.birthYear % 100).padStart(2, '0');
    if (!agrees) problems.push({ source: o.source, code: 'ID_BIRTH_YEAR_MISMATCH' });
  }
  return problems;
}

/**
 * Cross-checks the QR code, the printed MRZ and the chip's DG1/DG13 of one card, field by
 * field (ID number, name, date of birth, sex, expiry) and pair by pair, and reports every
 * agreement and mismatch with a strict `ok`. Give at least two sources. An MRZ given as text
 * is parsed (and its check digits verified) first. Never throws for data that disagrees: that
 * is the report.
 * @throws {EkycError} `INVALID_ARGUMENT` when `input` or `options` is not an object, fewer
 *   than two sources are given, or a source has the wrong shape.
 * @throws {MrzError} from `parseMrz` when an MRZ given as text does not parse.
 */
export function crossCheck(input: CrossCheckInput, options?: CrossCheckOptions): CrossCheckReport {
  const opts = { ...optionsObject(options, (m) => fail(m)) };
  const surnameWords = opts.surnameWords === undefined ? 1 : opts.surnameWords;
  if (!(Number.isInteger(surnameWords) && surnameWords >= 1 && surnameWords <= 10)) {
    throw fail('Expected options.surnameWords to be an integer from 1 to 10');
  }
  if (opts.now !== undefined) {
    // Read the clock once, up front: a bad clock is an error even when no MRZ needs it.
    const ms = readClock(opts.now, 'options.now', (m) => fail(m));
    opts.now = () => ms;
  }
  if (!isObject(input)) throw fail('Expected { qr, mrz, chip } (an object)');
  const observed: Observed[] = [];
  if (input.qr !== undefined) observed.push(observeQr(input.qr));
  if (input.mrz !== undefined) observed.push(observeMrz(input.mrz, 'mrz', opts));
  if (input.chip !== undefined) {
    const chip = input.chip as unknown;
    if (!isObject(chip)) throw fail('Expected chip to be { dg1, dg13 } (an object)', 'dg1');
    const dg1 = chip.dg1;
    if (dg1 !== undefined) {
      const mrz = isObject(dg1) && isObject(dg1.mrz) ? dg1.mrz : dg1;
      observed.push(observeMrz(mrz, 'dg1', opts));
    }
    if (chip.dg13 !== undefined) observed.push(observeDg13(chip.dg13));
  }
  if (observed.length < 2) {
    throw fail(`Expected at least two sources (qr, mrz, chip.dg1, chip.dg13), got ${observed.length}`);
  }
  const comparisons: CrossCheckComparison[] = [];
  const fields = {} as Record<CrossCheckField, CrossCheckFieldReport>;
  for (const field of FIELDS) {
    const list: CrossCheckComparison[] = [];
    for (let i = 0; i < observed.length; i++) {
      for (let j = i + 1; j < observed.length; j++)
        list.push(compare(field, observed[i]!, observed[j]!, surnameWords));
    }
    const clean = list.every((c) => c.status === 'match' || c.status === 'unavailable');
    const matched = list.some((c) => c.status === 'match');
    fields[field] = { ok: clean && (matched || !REQUIRED.includes(field)), comparisons: list };
    comparisons.push(...list);
  }
  const problems = observed.flatMap(selfProblems);
  return {
    ok: FIELDS.every((f) => fields[f].ok) && problems.length === 0,
    sources: observed.map((o) => o.source),
    fields,
    comparisons,
    problems,
  };
}
