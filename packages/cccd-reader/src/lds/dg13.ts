/**
 * @module
 * DG13 of the Vietnamese CCCD / Căn cước chip (ICAO Doc 9303 Part 10 §4.7.13 leaves DG13's
 * content to the issuing state). Layout as read from cards:
 * `6D { SEQUENCE { INTEGER 1, OID 1.0.10646.1.0.8, SET { SEQUENCE { INTEGER n, value… } … } } }`.
 * Fields are keyed by their number `n`, never by position. 1–12 and 15–16 hold one string
 * (UTF8String or PrintableString); 13 holds the parents either nested
 * (`SEQUENCE { INTEGER 13, SEQUENCE { name }, SEQUENCE { name } }`) or flat
 * (`SEQUENCE { INTEGER 13, name, name }`); 14 holds the spouse the same way, or nothing
 * (`SEQUENCE { INTEGER 14 }` = no spouse). Unknown numbers are kept raw. Text is NFC, each
 * string decoded by its ASN.1 type (UTF8String as UTF-8, PrintableString as ASCII, T61String as
 * Latin-1; see lds-tlv.ts). The envelope (6D, SEQUENCE, version, OID, SET) must be well formed;
 * inside it one unreadable, malformed, duplicated or unknown field gives a per-field warning in
 * `warnings` (field number and code, never the value) and the other fields are kept.
 */
import { encodeInteger, encodeOid, encodeTlv, type Tlv } from '@vneid/core/tlv';
import { LdsError } from './lds-error.ts';
import {
  assertInput,
  childrenOf,
  decodeAsn1String,
  decodeFile,
  encodeText,
  guard,
  integerOf,
  isStringTag,
  oidOf,
  structure,
  TAG,
} from './lds-tlv.ts';

const FILE = 'DG13';
/** DG13's outer tag. */
export const DG13_TAG = 0x6d;
/** The OID DG13 carries after its version (ISO/IEC 10646 UTF-8 character set). */
export const DG13_OID = '1.0.10646.1.0.8';

/** How field 13 (parents) and 14 (spouse) wrap their names. */
export type Dg13FamilyLayout = 'nested' | 'flat';

/** Field numbers with a known meaning. */
export const DG13_FIELDS: Readonly<Record<number, string>> = {
  1: 'idNumber',
  2: 'fullName',
  3: 'dateOfBirth',
  4: 'sex',
  5: 'nationality',
  6: 'ethnicity',
  7: 'religion',
  8: 'placeOfOrigin',
  9: 'placeOfResidence',
  10: 'identifyingMarks',
  11: 'issueDate',
  12: 'expiryDate',
  13: 'parents',
  14: 'spouse',
  15: 'oldIdNumber',
  16: 'unknown16',
};

type TextKey =
  | 'idNumber'
  | 'fullName'
  | 'dateOfBirth'
  | 'sex'
  | 'nationality'
  | 'ethnicity'
  | 'religion'
  | 'placeOfOrigin'
  | 'placeOfResidence'
  | 'identifyingMarks'
  | 'issueDate'
  | 'expiryDate'
  | 'oldIdNumber'
  | 'unknown16';

const TEXT_FIELDS: readonly (readonly [number, TextKey])[] = [
  [1, 'idNumber'],
  [2, 'fullName'],
  [3, 'dateOfBirth'],
  [4, 'sex'],
  [5, 'nationality'],
  [6, 'ethnicity'],
  [7, 'religion'],
  [8, 'placeOfOrigin'],
  [9, 'placeOfResidence'],
  [10, 'identifyingMarks'],
  [11, 'issueDate'],
  [12, 'expiryDate'],
  [15, 'oldIdNumber'],
  [16, 'unknown16'],
];
const TEXT_KEY: ReadonlyMap<number, TextKey> = new Map(TEXT_FIELDS);
/** Fields real cards store as PrintableString. */
const PRINTABLE_FIELDS: ReadonlySet<number> = new Set([1, 3, 11, 15, 16]);

/** A DG13 field whose number this parser does not know, kept as read. */
export interface Dg13UnknownField {
  /** The field number. */
  field: number;
  /** The exact DER of each value after the INTEGER (usually one string). */
  values: Uint8Array[];
  /** The values as text when every one is a string type, otherwise null. */
  text: string[] | null;
}

/** The fields of DG13 (what {@link buildDg13} takes; absent = the card does not have it). */
export interface Dg13Fields {
  /** 1: the 12-digit personal ID number. */
  idNumber?: string;
  /** 2: full name. */
  fullName?: string;
  /** 3: date of birth as on the card (`dd/mm/yyyy`). */
  dateOfBirth?: string;
  /** 4: sex as on the card (`Nam`, `Nữ`). */
  sex?: string;
  /** 5: nationality (`Việt Nam`). */
  nationality?: string;
  /** 6: ethnicity. */
  ethnicity?: string;
  /** 7: religion. */
  religion?: string;
  /** 8: place of origin (quê quán). */
  placeOfOrigin?: string;
  /** 9: place of residence (nơi thường trú). */
  placeOfResidence?: string;
  /** 10: identifying marks (đặc điểm nhận dạng). */
  identifyingMarks?: string;
  /** 11: issue date as on the card (`dd/mm/yyyy`). */
  issueDate?: string;
  /** 12: expiry date as on the card: `dd/mm/yyyy` or text such as `Không thời hạn`. */
  expiryDate?: string;
  /** 13: father's name (null: field present, name empty). */
  fatherName?: string | null;
  /** 13: mother's name (null: field present, name empty). */
  motherName?: string | null;
  /** 14: spouse's name; null when the field is present without a value (no spouse). */
  spouseName?: string | null;
  /** 15: old 9-digit CMND number. */
  oldIdNumber?: string;
  /** 16: a 16-character code of unknown meaning, as text. */
  unknown16?: string;
  /** Fields with other numbers, as read (or to write). */
  unknownFields?: Dg13UnknownField[];
}

/**
 * Codes of a {@link Dg13Warning}: `LDS_INVALID_FIELD` (a shape the field number does not allow,
 * or an entry with no readable number; dropped), `LDS_INVALID_TEXT` (a value that is not a
 * string or not valid in its string type; dropped), `LDS_DUPLICATE_FIELD` (a number stored more
 * than once; every copy dropped), `LDS_UNKNOWN_FIELD` (a number without a known meaning; kept in
 * `unknownFields`), `LDS_TEXT_OUTSIDE_CHARSET` (a PrintableString with ASCII characters outside
 * its set; kept).
 */
export type Dg13WarningCode =
  | 'LDS_INVALID_FIELD'
  | 'LDS_INVALID_TEXT'
  | 'LDS_DUPLICATE_FIELD'
  | 'LDS_UNKNOWN_FIELD'
  | 'LDS_TEXT_OUTSIDE_CHARSET';

/** One problem of one DG13 field (never the field's value: DG13 is personal data). */
export interface Dg13Warning {
  /** The field number; null when the entry has no readable number. */
  field: number | null;
  code: Dg13WarningCode;
  /** Offset of the field's SEQUENCE in the file. */
  offset: number;
}

/** Parsed DG13. */
export interface Dg13 extends Dg13Fields {
  /** The file exactly as read (hash these bytes). */
  raw: Uint8Array;
  /** The version INTEGER (1 on every card seen). */
  version: number;
  /** The OID after the version (`1.0.10646.1.0.8`). */
  oid: string;
  /** ISO `YYYY-MM-DD` of {@link Dg13Fields.dateOfBirth}, or null when not a full date. */
  dateOfBirthIso?: string | null;
  /** ISO date of {@link Dg13Fields.issueDate}, or null. */
  issueDateIso?: string | null;
  /** ISO date of {@link Dg13Fields.expiryDate}, or null (e.g. `Không thời hạn`). */
  expiryDateIso?: string | null;
  /** How field 13 wrapped the names (absent when there is no field 13). */
  parentsLayout?: Dg13FamilyLayout;
  /** Field numbers in the order the card stored them. */
  fieldOrder: number[];
  unknownFields: Dg13UnknownField[];
  /** Per-field problems, in file order; empty for a clean file. */
  warnings: Dg13Warning[];
}

/** Options of {@link buildDg13}. */
export interface BuildDg13Options {
  /** How to wrap the parents' and spouse's names (default `nested`, as cards do). */
  parentsLayout?: Dg13FamilyLayout;
  /** DG13 version (default 1). */
  version?: number;
}

/** `dd/mm/yyyy` → `yyyy-mm-dd` when it is a real calendar date, otherwise null. */
export function dg13DateToIso(text: string): string | null {
  assertInput(typeof text === 'string', FILE, 'a date string (dd/mm/yyyy)');
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days || year < 1) return null;
  return `${m[3]}-${m[2]}-${m[1]}`;
}

/** A per-field failure while reading one field (turned into a {@link Dg13Warning}). */
class FieldProblem {
  constructor(readonly code: 'LDS_INVALID_FIELD' | 'LDS_INVALID_TEXT') {}
}

/** Reads the text of one value; `LDS_TEXT_OUTSIDE_CHARSET` goes to `notes`. */
function fieldText(value: Tlv, notes: Dg13WarningCode[]): string {
  if (!isStringTag(value.tag) || value.children !== undefined) throw new FieldProblem('LDS_INVALID_TEXT');
  const decoded = decodeAsn1String(value.tag, value.value);
  if (decoded === null) throw new FieldProblem('LDS_INVALID_TEXT');
  if (decoded.outsideSet) notes.push('LDS_TEXT_OUTSIDE_CHARSET');
  return decoded.text;
}

/** One name inside field 13/14: a string (flat) or a SEQUENCE holding 0 or 1 string (nested). */
function readName(value: Tlv, notes: Dg13WarningCode[]): { name: string | null; layout: Dg13FamilyLayout } {
  if (isStringTag(value.tag)) return { name: fieldText(value, notes), layout: 'flat' };
  if (value.tag === TAG.SEQUENCE && value.children !== undefined) {
    if (value.children.length === 0) return { name: null, layout: 'nested' };
    const [only] = value.children;
    if (value.children.length !== 1 || only === undefined || !isStringTag(only.tag)) {
      throw new FieldProblem('LDS_INVALID_FIELD');
    }
    return { name: fieldText(only, notes), layout: 'nested' };
  }
  throw new FieldProblem('LDS_INVALID_FIELD');
}

/** The field number of one entry of the SET, or null when it has none readable. */
function fieldNumber(entry: Tlv): number | null {
  if (entry.tag !== TAG.SEQUENCE || entry.children === undefined) return null;
  const first = entry.children[0];
  if (first === undefined || first.tag !== TAG.INTEGER || first.children !== undefined) return null;
  const v = first.value;
  // A small non-negative DER INTEGER (at most 6 bytes, no sign bit, no redundant leading 00).
  if (
    v.length === 0 ||
    v.length > 6 ||
    (v[0] as number) >= 0x80 ||
    (v.length > 1 && v[0] === 0 && (v[1] as number) < 0x80)
  ) {
    return null;
  }
  let n = 0;
  for (const byte of v) n = n * 256 + byte;
  return n;
}

/** Reads one field into `result`, all or nothing. */
function readField(result: Dg13, field: number, values: readonly Tlv[], notes: Dg13WarningCode[]): void {
  const key = TEXT_KEY.get(field);
  if (key !== undefined) {
    if (values.length > 1) throw new FieldProblem('LDS_INVALID_FIELD');
    const [value] = values;
    result[key] = value === undefined ? '' : fieldText(value, notes);
  } else if (field === 13) {
    if (values.length !== 2) throw new FieldProblem('LDS_INVALID_FIELD');
    const father = readName(values[0] as Tlv, notes);
    const mother = readName(values[1] as Tlv, notes);
    if (father.layout !== mother.layout) throw new FieldProblem('LDS_INVALID_FIELD');
    result.fatherName = father.name;
    result.motherName = mother.name;
    result.parentsLayout = father.layout;
  } else if (field === 14) {
    if (values.length > 1) throw new FieldProblem('LDS_INVALID_FIELD');
    const [value] = values;
    result.spouseName = value === undefined ? null : readName(value, notes).name;
  } else {
    notes.push('LDS_UNKNOWN_FIELD');
    const texts: string[] = [];
    for (const v of values) {
      const decoded =
        isStringTag(v.tag) && v.children === undefined ? decodeAsn1String(v.tag, v.value) : null;
      if (decoded === null) break;
      texts.push(decoded.text);
    }
    result.unknownFields.push({
      field,
      values: values.map((v) => v.raw),
      text: texts.length === values.length ? texts : null,
    });
  }
}

/**
 * Parses DG13 of a Vietnamese CCCD. Only field numbers decide meaning; order is recorded in
 * `fieldOrder`. Unknown numbers land in `unknownFields` with their exact bytes. A field that
 * cannot be read is left out and reported in `warnings`; the other fields are kept.
 * @throws {LdsError} `LDS_INVALID_INPUT`, `LDS_INVALID_TLV`, `LDS_UNEXPECTED_TAG`,
 *   `LDS_TRAILING_BYTES`, `LDS_INVALID_STRUCTURE` (the envelope around the fields)
 */
export function parseDg13(bytes: Uint8Array): Dg13 {
  const root = decodeFile(bytes, FILE, DG13_TAG);
  const top = childrenOf(root, DG13_TAG, FILE, 'DG13');
  structure(top.length === 1, FILE, `expected one SEQUENCE inside 6D, got ${top.length} element(s)`);
  const body = childrenOf(top[0], TAG.SEQUENCE, FILE, 'the DG13 SEQUENCE');
  structure(body.length === 3, FILE, `expected version, OID and SET, got ${body.length} element(s)`);
  const version = integerOf(body[0], FILE, 'the version');
  const oid = oidOf(body[1], FILE, 'the OID');
  const set = body[2];
  structure(
    set !== undefined && (set.tag === TAG.SET || set.tag === TAG.SEQUENCE) && set.children !== undefined,
    FILE,
    'expected a SET of fields',
    { tag: set?.tag },
  );

  const result: Dg13 = { raw: bytes, version, oid, fieldOrder: [], unknownFields: [], warnings: [] };
  const numbered: Array<[number, Tlv]> = [];
  const count = new Map<number, number>();
  for (const entry of set.children) {
    const field = fieldNumber(entry);
    if (field === null) {
      result.warnings.push({ field: null, code: 'LDS_INVALID_FIELD', offset: entry.offset });
      continue;
    }
    result.fieldOrder.push(field);
    numbered.push([field, entry]);
    count.set(field, (count.get(field) ?? 0) + 1);
  }
  for (const [field, entry] of numbered) {
    if ((count.get(field) as number) > 1) {
      // Ambiguous: which copy is the card's value? Neither is used.
      result.warnings.push({ field, code: 'LDS_DUPLICATE_FIELD', offset: entry.offset });
      continue;
    }
    const notes: Dg13WarningCode[] = [];
    try {
      readField(result, field, (entry.children as Tlv[]).slice(1), notes);
    } catch (problem) {
      if (!(problem instanceof FieldProblem)) throw problem;
      notes.length = 0;
      notes.push(problem.code);
    }
    for (const code of notes) result.warnings.push({ field, code, offset: entry.offset });
  }
  if (result.dateOfBirth !== undefined) result.dateOfBirthIso = dg13DateToIso(result.dateOfBirth);
  if (result.issueDate !== undefined) result.issueDateIso = dg13DateToIso(result.issueDate);
  if (result.expiryDate !== undefined) result.expiryDateIso = dg13DateToIso(result.expiryDate);
  return result;
}

function nameTlv(name: string | null | undefined, layout: Dg13FamilyLayout): Uint8Array {
  if (layout === 'flat') return encodeText(name ?? '');
  return encodeTlv(TAG.SEQUENCE, name === null || name === undefined ? [] : [encodeText(name)]);
}

/**
 * Builds DG13 from its fields, in field-number order (unknown fields sorted in), with the
 * string types real cards use (PrintableString for numbers and `dd/mm/yyyy` dates when they
 * fit, UTF8String otherwise). `parseDg13(buildDg13(f))` gives back `f`.
 * @throws {LdsError} `LDS_INVALID_INPUT` (a field number below 1 or a duplicate unknown field)
 */
export function buildDg13(fields: Dg13Fields, options: BuildDg13Options = {}): Uint8Array {
  assertInput(typeof fields === 'object' && fields !== null, FILE, 'an object of DG13 fields');
  assertInput(typeof options === 'object' && options !== null, FILE, 'an options object when given');
  const layout = options.parentsLayout ?? 'nested';
  const entries: Array<[number, Uint8Array]> = [];
  const field = (n: number, values: Uint8Array[]): void => {
    entries.push([n, encodeTlv(TAG.SEQUENCE, [encodeTlv(TAG.INTEGER, encodeInteger(n)), ...values])]);
  };
  for (const [n, key] of TEXT_FIELDS) {
    const value = fields[key];
    if (value !== undefined) field(n, [encodeText(value, PRINTABLE_FIELDS.has(n))]);
  }
  if (fields.fatherName !== undefined || fields.motherName !== undefined) {
    field(13, [nameTlv(fields.fatherName, layout), nameTlv(fields.motherName, layout)]);
  }
  if (fields.spouseName !== undefined) {
    field(14, fields.spouseName === null ? [] : [nameTlv(fields.spouseName, layout)]);
  }
  const used = new Set(entries.map(([n]) => n));
  for (const unknown of fields.unknownFields ?? []) {
    if (
      !Number.isSafeInteger(unknown.field) ||
      unknown.field < 0 ||
      used.has(unknown.field) ||
      TEXT_KEY.has(unknown.field) ||
      unknown.field === 13 ||
      unknown.field === 14
    ) {
      throw new LdsError(
        'LDS_INVALID_INPUT',
        'DG13: an unknown field has a known, duplicate or invalid number',
        {
          context: { file: FILE, field: unknown.field },
        },
      );
    }
    used.add(unknown.field);
    field(unknown.field, unknown.values);
  }
  entries.sort((a, b) => a[0] - b[0]);
  return guard(FILE, () =>
    encodeTlv(DG13_TAG, [
      encodeTlv(TAG.SEQUENCE, [
        encodeTlv(TAG.INTEGER, encodeInteger(options.version ?? 1)),
        encodeTlv(TAG.OID, encodeOid(DG13_OID)),
        encodeTlv(
          TAG.SET,
          entries.map(([, tlv]) => tlv),
        ),
      ]),
    ]),
  );
}
