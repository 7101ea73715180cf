/**
 * @module
 * The CCCD chip-card front QR (2021 – mid 2024, 7 fields) and the 2024 Căn cước back QR
 * (≥ 10 fields, the first 7 with the same meaning) — SPEC-NOTES §1. Fields are joined by `|`:
 * `ID12 | old CMND (9 digits or empty) | full name | DOB ddmmyyyy | Nam/Nữ | address |
 * issue date ddmmyyyy [| extra…]`. The payload is unsigned: a hint for pre-filling forms and
 * for deriving chip access keys, never proof of identity. Text fields come out NFC-normalised;
 * the ID number's sex and birth year are cross-checked against the fields and disagreements
 * reported as warnings. Every field is validated (the parser is strict with bounded memory):
 * lengths are bounded, names and addresses refuse control, invisible (bidi, zero-width) and
 * HTML-special characters, dates must be real, not in the future (injected clock, Vietnam
 * time), birth ≤ issue, and the issue date no earlier than the first card of its layout. The
 * QR carries no expiry date (SPEC-NOTES §1), and a card can be issued to a child, so there is
 * no age rule. This module is text only: it never pulls in an image decoder.
 */
import { decodeIdNumber } from '../id-number/index.ts';
import {
  CccdQrError,
  type CccdQrErrorCode,
  type CccdQrErrorContext,
  type CccdQrField,
  type QrWarning,
} from './cccd-qr-error.ts';

/** What the payload says about the card holder. */
export interface CccdQrFields {
  /** `cccd`: 7 fields (CCCD chip card); `can-cuoc`: ≥ 10 fields (2024 Căn cước card). */
  kind: 'cccd' | 'can-cuoc';
  /** The 12-digit personal ID number. */
  idNumber: string;
  /** The old 9-digit CMND number, or null when the field is empty. */
  oldIdNumber: string | null;
  /** Full name with diacritics, NFC. */
  fullName: string;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string;
  sex: 'male' | 'female';
  /** Permanent address (CCCD) or place of residence (Căn cước), NFC. */
  address: string;
  /** `YYYY-MM-DD`. */
  issueDate: string;
  /** Fields after the seventh, raw (NFC); their meaning is not published. Empty for `cccd`. */
  extra: string[];
}

/** A parsed payload plus what the parser noticed. */
export interface CccdQrData extends CccdQrFields {
  /** Cross-check mismatches and lenient-mode repairs; empty for a clean strict parse. */
  warnings: QrWarning[];
}

/** Options of {@link parseCccdQr}. */
export interface ParseCccdQrOptions {
  /**
   * `strict` (default) accepts only the documented layout. `lenient` also accepts
   * `dd/mm/yyyy` dates, white space around fields, and `NAM`/`nữ`/`Nu` spellings, each
   * reported as a warning.
   */
  mode?: 'strict' | 'lenient';
  /** Clock for the "date in the future" check, in ms since the epoch (default `Date.now`). */
  now?: () => number;
}

const SEPARATOR = '|';
const CCCD_FIELDS = 7;
const CAN_CUOC_MIN_FIELDS = 10;
/** Vietnam is UTC+7 all year: a card issued "today" there may be "tomorrow" in UTC. */
const VIETNAM_OFFSET_MS = 7 * 3600 * 1000;

const DIGITS_12 = /^[0-9]{12}$/;
const DIGITS_9 = /^[0-9]{9}$/;
const STRICT_DATE = /^([0-9]{2})([0-9]{2})([0-9]{4})$/;
const SLASH_DATE = /^([0-9]{2})\/([0-9]{2})\/([0-9]{4})$/;
const ISO_DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Characters that render as nothing or reorder text, so that what is shown differs from
 * what is compared: Unicode format characters (bidi embeddings, overrides and isolates,
 * U+061C, LRM/RLM, zero-width space/joiners, word joiner, BOM, soft hyphen, …), line and
 * paragraph separators, lone surrogates, private-use characters, and spaces other than
 * U+0020 (no-break, ideographic, …).
 */
const INVISIBLE = /[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/u;
/** HTML-special characters: none belongs in a name or an address, all are injection vectors. */
const MARKUP = /[<>&"'`]/;
const WHITESPACE_EDGE = /^\s|\s$/;
/** Words of letters (with combining marks) separated by one space or one hyphen. */
const NAME = /^[\p{L}\p{M}]+(?:[ -][\p{L}\p{M}]+)*$/u;
/** A QR code (version 40, byte mode, level L) holds at most 2953 bytes: no longer text exists. */
const MAX_INPUT_LENGTH = 2953;
/** More fields than any known layout (7 or ≥ 10) by a wide margin. */
const MAX_FIELDS = 32;
const MAX_NAME_LENGTH = 100;
const MAX_TEXT_LENGTH = 255;
/** The first CCCD cards were issued on 1 January 2016 (Law on Citizen Identification 2014). */
const FIRST_CCCD_ISSUE = '2016-01-01';
/** The Căn cước card (≥ 10-field QR) exists from 1 July 2024 (Law on Identification 2023). */
const FIRST_CAN_CUOC_ISSUE = '2024-07-01';

interface ParseInternal {
  mode: 'strict' | 'lenient';
  /** Today's date in Vietnam as `YYYY-MM-DD`, or null to skip the future check. */
  today: string | null;
}

function fail(code: CccdQrErrorCode, message: string, context: CccdQrErrorContext): never {
  throw new CccdQrError(code, message, { context });
}

const FIELD_NAMES: readonly CccdQrField[] = [
  'idNumber',
  'oldIdNumber',
  'fullName',
  'dateOfBirth',
  'sex',
  'address',
  'issueDate',
];

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** Checks that y-m-d is a real calendar date from 1900 on; returns `YYYY-MM-DD`. */
function toIsoDate(y: number, m: number, d: number, field: CccdQrField, fieldIndex: number): string {
  if (y < 1900 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) {
    fail('IMPOSSIBLE_DATE', `The ${field} field is not a calendar date from 1900 on`, { field, fieldIndex });
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function parseDate(
  raw: string,
  field: CccdQrField,
  fieldIndex: number,
  opts: ParseInternal,
  warnings: QrWarning[],
): string {
  let m = STRICT_DATE.exec(raw);
  if (m === null && opts.mode === 'lenient') {
    m = SLASH_DATE.exec(raw);
    if (m !== null) {
      warnings.push({
        code: 'NONSTANDARD_DATE_FORMAT',
        message: `The ${field} field uses dd/mm/yyyy instead of ddmmyyyy`,
        field,
      });
    }
  }
  if (m === null) {
    fail(
      'INVALID_DATE_FORMAT',
      opts.mode === 'strict'
        ? `Expected the ${field} field as 8 digits ddmmyyyy`
        : `Expected the ${field} field as ddmmyyyy or dd/mm/yyyy`,
      { field, fieldIndex, length: raw.length, mode: opts.mode },
    );
  }
  const iso = toIsoDate(Number(m[3]), Number(m[2]), Number(m[1]), field, fieldIndex);
  if (opts.today !== null && iso > opts.today) {
    fail('DATE_IN_FUTURE', `The ${field} field is later than today`, { field, fieldIndex });
  }
  return iso;
}

function parseSex(raw: string, opts: ParseInternal, warnings: QrWarning[]): 'male' | 'female' {
  // `raw` is already NFC, so an NFD `Nữ` arrives here as the single code point U+1EEF.
  if (raw === 'Nam') return 'male';
  if (raw === 'Nữ') return 'female';
  if (opts.mode === 'lenient') {
    const folded = raw.toLowerCase();
    const sex = folded === 'nam' ? 'male' : folded === 'nữ' || folded === 'nu' ? 'female' : null;
    if (sex !== null) {
      warnings.push({
        code: 'NONSTANDARD_SEX',
        message: 'The sex field is not spelled Nam or Nữ',
        field: 'sex',
      });
      return sex;
    }
  }
  return fail('INVALID_SEX', `Expected the sex field as Nam or Nữ`, {
    field: 'sex',
    fieldIndex: 4,
    length: raw.length,
    mode: opts.mode,
  });
}

function todayInVietnam(nowMs: number): string {
  return new Date(nowMs + VIETNAM_OFFSET_MS).toISOString().slice(0, 10);
}

/** Cross-checks the ID number against the fields; pushes warnings. */
function crossCheck(fields: CccdQrFields, warnings: QrWarning[]): void {
  const info = decodeIdNumber(fields.idNumber);
  if (info.sex !== fields.sex) {
    warnings.push({
      code: 'SEX_MISMATCH',
      message: "The ID number's century-and-sex digit disagrees with the sex field",
      field: 'sex',
    });
  }
  if (String(info.birthYear) !== fields.dateOfBirth.slice(0, 4)) {
    warnings.push({
      code: 'BIRTH_YEAR_MISMATCH',
      message: "The ID number's century digit and year disagree with the date of birth",
      field: 'dateOfBirth',
    });
  }
  if (info.region.kind === 'unknown') {
    warnings.push({
      code: 'UNKNOWN_REGION_CODE',
      message: "The ID number's first three digits are not in the province or country code list",
      field: 'idNumber',
    });
  }
}

/** Refuses control, invisible and HTML-special characters in any field. */
function checkCharacters(part: string, field: CccdQrField, fieldIndex: number): void {
  const classes = [
    [CONTROL, 'control', 'a control character'],
    [INVISIBLE, 'invisible', 'an invisible or direction-changing character'],
    [MARKUP, 'markup', 'an HTML-special character'],
  ] as const;
  for (const [re, characterClass, what] of classes) {
    const m = re.exec(part);
    if (m !== null) {
      fail('INVALID_CHARACTER', `The ${field} field contains ${what}`, {
        field,
        fieldIndex,
        offset: m.index,
        characterClass,
      });
    }
  }
}

function checkLength(part: string, field: CccdQrField, fieldIndex: number, maxLength: number): void {
  if (part.length > maxLength) {
    fail('FIELD_TOO_LONG', `Expected the ${field} field to have at most ${maxLength} characters`, {
      field,
      fieldIndex,
      length: part.length,
      maxLength,
    });
  }
}

function parseInternal(input: unknown, opts: ParseInternal): CccdQrData {
  if (typeof input !== 'string' || input.length === 0) {
    fail('EMPTY_INPUT', 'Expected the QR payload as a non-empty string', { mode: opts.mode });
  }
  const warnings: QrWarning[] = [];
  // NFC never lengthens Vietnamese text, but bound the work before normalising anything.
  if (input.length > 2 * MAX_INPUT_LENGTH) {
    fail('INPUT_TOO_LONG', `Expected at most ${MAX_INPUT_LENGTH} characters (the capacity of a QR code)`, {
      length: input.length,
      maxLength: MAX_INPUT_LENGTH,
    });
  }
  let text = input.normalize('NFC');
  if (opts.mode === 'lenient') {
    const trimmed = text.trim();
    if (trimmed !== text) {
      warnings.push({ code: 'TRIMMED_WHITESPACE', message: 'White space around the payload was removed' });
      text = trimmed;
    }
    if (text.length === 0)
      fail('EMPTY_INPUT', 'Expected the QR payload as a non-empty string', { mode: opts.mode });
  }
  if (text.length > MAX_INPUT_LENGTH) {
    fail('INPUT_TOO_LONG', `Expected at most ${MAX_INPUT_LENGTH} characters (the capacity of a QR code)`, {
      length: text.length,
      maxLength: MAX_INPUT_LENGTH,
    });
  }
  const parts = text.split(SEPARATOR, MAX_FIELDS + 1);
  const n = parts.length;
  if (n > MAX_FIELDS) {
    fail('INPUT_TOO_LONG', `Expected at most ${MAX_FIELDS} fields separated by |`, {
      maxLength: MAX_FIELDS,
    });
  }
  if (n === 6 && DIGITS_12.test(parts[0] ?? '') && !DIGITS_9.test(parts[1] ?? '') && parts[1] !== '') {
    const looksLikeDate = STRICT_DATE.test(parts[2] ?? '') || SLASH_DATE.test(parts[2] ?? '');
    if (looksLikeDate) {
      fail(
        'MISSING_OLD_ID_FIELD',
        'Got 6 fields with the name second: the old-CMND field (may be empty) is missing',
        {
          fieldCount: n,
        },
      );
    }
  }
  if (n !== CCCD_FIELDS && n < CAN_CUOC_MIN_FIELDS) {
    fail('WRONG_FIELD_COUNT', `Expected 7 (CCCD) or at least 10 (Căn cước) fields separated by |, got ${n}`, {
      fieldCount: n,
    });
  }
  let trimmedAny = false;
  for (let i = 0; i < n; i++) {
    let part = parts[i] as string;
    const field = FIELD_NAMES[i] ?? 'extra';
    checkCharacters(part, field, i);
    if (WHITESPACE_EDGE.test(part)) {
      if (opts.mode === 'strict') {
        fail('UNTRIMMED_FIELD', `The ${field} field has white space at its start or end`, {
          field,
          fieldIndex: i,
          mode: opts.mode,
        });
      }
      part = part.trim();
      parts[i] = part;
      trimmedAny = true;
    }
  }
  if (trimmedAny) {
    warnings.push({
      code: 'TRIMMED_WHITESPACE',
      message: 'White space around one or more fields was removed',
    });
  }
  const [idNumber, oldId, fullName, dob, sexRaw, address, issue] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!DIGITS_12.test(idNumber)) {
    fail('INVALID_ID_NUMBER', 'Expected the ID number field as 12 ASCII digits', {
      field: 'idNumber',
      fieldIndex: 0,
      length: idNumber.length,
    });
  }
  if (oldId !== '' && !DIGITS_9.test(oldId)) {
    fail('INVALID_OLD_ID_NUMBER', 'Expected the old CMND field as 9 ASCII digits or empty', {
      field: 'oldIdNumber',
      fieldIndex: 1,
      length: oldId.length,
    });
  }
  if (fullName === '')
    fail('EMPTY_NAME', 'The full name field is empty', { field: 'fullName', fieldIndex: 2 });
  checkLength(fullName, 'fullName', 2, MAX_NAME_LENGTH);
  if (!NAME.test(fullName)) {
    fail(
      'INVALID_NAME',
      'Expected the full name field as words of letters separated by single spaces or hyphens',
      { field: 'fullName', fieldIndex: 2, length: fullName.length },
    );
  }
  const dateOfBirth = parseDate(dob, 'dateOfBirth', 3, opts, warnings);
  const sex = parseSex(sexRaw, opts, warnings);
  if (address === '')
    fail('EMPTY_ADDRESS', 'The address field is empty', { field: 'address', fieldIndex: 5 });
  checkLength(address, 'address', 5, MAX_TEXT_LENGTH);
  for (let i = CCCD_FIELDS; i < n; i++) checkLength(parts[i] as string, 'extra', i, MAX_TEXT_LENGTH);
  const issueDate = parseDate(issue, 'issueDate', 6, opts, warnings);
  if (issueDate < dateOfBirth) {
    fail('ISSUE_BEFORE_BIRTH', 'The issue date is before the date of birth', {
      field: 'issueDate',
      fieldIndex: 6,
    });
  }
  const kind = n === CCCD_FIELDS ? 'cccd' : 'can-cuoc';
  const firstIssue = kind === 'cccd' ? FIRST_CCCD_ISSUE : FIRST_CAN_CUOC_ISSUE;
  if (issueDate < firstIssue) {
    fail(
      'IMPLAUSIBLE_DATE',
      `The issue date is before ${firstIssue}, when the first card of the ${kind} layout was issued`,
      { field: 'issueDate', fieldIndex: 6, fieldCount: n },
    );
  }
  const fields: CccdQrFields = {
    kind,
    idNumber,
    oldIdNumber: oldId === '' ? null : oldId,
    fullName,
    dateOfBirth,
    sex,
    address,
    issueDate,
    extra: parts.slice(CCCD_FIELDS),
  };
  crossCheck(fields, warnings);
  return { ...fields, warnings };
}

/**
 * Parses the text of a CCCD (7 fields) or Căn cước (≥ 10 fields) QR code.
 *
 * Accepts NFC or NFD input (e.g. `Nữ` either way) and returns NFC text. Mismatches between
 * the ID number's sex / birth year and the fields are reported in `warnings`, not thrown.
 *
 * @throws {CccdQrError} with a precise code: `EMPTY_INPUT`, `WRONG_FIELD_COUNT`,
 * `MISSING_OLD_ID_FIELD`, `INVALID_ID_NUMBER`, `INVALID_OLD_ID_NUMBER`, `EMPTY_NAME`,
 * `INVALID_NAME`, `EMPTY_ADDRESS`, `INVALID_DATE_FORMAT`, `IMPOSSIBLE_DATE`, `DATE_IN_FUTURE`,
 * `ISSUE_BEFORE_BIRTH`, `IMPLAUSIBLE_DATE`, `INVALID_SEX`, `UNTRIMMED_FIELD`,
 * `INVALID_CHARACTER` (control, invisible/bidi/zero-width or HTML-special characters),
 * `FIELD_TOO_LONG`, `INPUT_TOO_LONG`; `INVALID_ARGUMENT` when `options` is not an object,
 * `mode` is not `strict` / `lenient`, or `now` is not a function returning a finite number of
 * milliseconds. The error's `context.field` names the field, its message never holds the value.
 */
export function parseCccdQr(text: string, options: ParseCccdQrOptions = {}): CccdQrData {
  if (typeof options !== 'object' || options === null) {
    throw new CccdQrError('INVALID_ARGUMENT', 'Expected options to be an object');
  }
  const mode = options.mode ?? 'strict';
  if (mode !== 'strict' && mode !== 'lenient') {
    throw new CccdQrError('INVALID_ARGUMENT', "Expected options.mode to be 'strict' or 'lenient'");
  }
  const now = options.now ?? Date.now;
  const nowMs: unknown = typeof now === 'function' ? now() : undefined;
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) {
    throw new CccdQrError('INVALID_ARGUMENT', 'Expected options.now to return milliseconds since 1970');
  }
  return parseInternal(text, { mode, today: todayInVietnam(nowMs) });
}

function formatDate(iso: string, field: CccdQrField, fieldIndex: number): string {
  const m = typeof iso === 'string' ? ISO_DATE.exec(iso) : null;
  if (m === null) {
    fail('INVALID_DATE_FORMAT', `Expected ${field} as YYYY-MM-DD`, { field, fieldIndex });
  }
  toIsoDate(Number(m[1]), Number(m[2]), Number(m[3]), field, fieldIndex);
  return `${m[3]}${m[2]}${m[1]}`;
}

/**
 * Builds the QR text for `data` — the exact inverse of {@link parseCccdQr} for strict,
 * NFC payloads: `parseCccdQr(formatCccdQr(d))` gives back `d`'s fields and
 * `formatCccdQr(parseCccdQr(t))` gives back `t`. Text is NFC-normalised; `warnings` are
 * ignored. The result is validated with the strict parser (except the clock check).
 *
 * @throws {CccdQrError} `INVALID_KIND` when `kind` is not `cccd` / `can-cuoc`, `KIND_MISMATCH` when `kind` disagrees with `extra.length` (cccd: 0,
 * can-cuoc: ≥ 3), `INVALID_CHARACTER` for a `|` in a field, `INVALID_DATE_FORMAT` for dates
 * that are not `YYYY-MM-DD`, and any code of the strict parser; `INVALID_ARGUMENT` when `data`
 * is not an object or `extra` is not an array.
 */
export function formatCccdQr(data: CccdQrFields): string {
  if (typeof data !== 'object' || data === null) {
    throw new CccdQrError('INVALID_ARGUMENT', 'Expected the QR fields to be an object');
  }
  const extra = data.extra ?? [];
  if (!Array.isArray(extra)) {
    throw new CccdQrError('INVALID_ARGUMENT', 'Expected extra to be an array of strings', {
      context: { field: 'extra' },
    });
  }
  if (data.kind !== 'cccd' && data.kind !== 'can-cuoc') {
    fail('INVALID_KIND', "Expected kind to be 'cccd' or 'can-cuoc'", { field: 'kind' });
  }
  if (data.kind === 'cccd' ? extra.length !== 0 : extra.length < CAN_CUOC_MIN_FIELDS - CCCD_FIELDS) {
    fail('KIND_MISMATCH', `A ${data.kind} payload cannot have ${extra.length} extra fields`, {
      field: 'kind',
      fieldCount: CCCD_FIELDS + extra.length,
    });
  }
  const sex = data.sex === 'male' ? 'Nam' : data.sex === 'female' ? 'Nữ' : null;
  if (sex === null)
    fail('INVALID_SEX', "Expected sex as 'male' or 'female'", { field: 'sex', fieldIndex: 4 });
  const parts = [
    data.idNumber,
    data.oldIdNumber ?? '',
    data.fullName,
    formatDate(data.dateOfBirth, 'dateOfBirth', 3),
    sex,
    data.address,
    formatDate(data.issueDate, 'issueDate', 6),
    ...extra,
  ].map((p, i) => {
    if (typeof p !== 'string') {
      fail('INVALID_CHARACTER', `The ${FIELD_NAMES[i] ?? 'extra'} field is not a string`, {
        field: FIELD_NAMES[i] ?? 'extra',
        fieldIndex: i,
      });
    }
    const offset = p.indexOf(SEPARATOR);
    if (offset >= 0) {
      fail('INVALID_CHARACTER', `The ${FIELD_NAMES[i] ?? 'extra'} field contains the | separator`, {
        field: FIELD_NAMES[i] ?? 'extra',
        fieldIndex: i,
        offset,
        characterClass: 'separator',
      });
    }
    return p.normalize('NFC');
  });
  if (data.oldIdNumber === '') {
    fail('INVALID_OLD_ID_NUMBER', 'Use null, not an empty string, for a missing old CMND', {
      field: 'oldIdNumber',
      fieldIndex: 1,
    });
  }
  const text = parts.join(SEPARATOR);
  parseInternal(text, { mode: 'strict', today: null });
  return text;
}
