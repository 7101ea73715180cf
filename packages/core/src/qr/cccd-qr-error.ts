/**
 * @module
 * Errors and warnings of the CCCD / Căn cước QR layer (SPEC-NOTES §1). Every rejection of a
 * QR payload is a {@link CccdQrError} with a stable `code`; messages name the field and what
 * was expected, never the value (the payload is personal data).
 */
import { CoreError } from '../errors/index.ts';

/** The seven known fields of the QR, in order. */
export type CccdQrField =
  | 'idNumber'
  | 'oldIdNumber'
  | 'fullName'
  | 'dateOfBirth'
  | 'sex'
  | 'address'
  | 'issueDate'
  | 'extra'
  | 'kind';

/** Codes of {@link CccdQrError}. */
export type CccdQrErrorCode =
  /** The input is not a string, or is empty. */
  | 'EMPTY_INPUT'
  /** Not 7 (CCCD) or ≥ 10 (Căn cước) `|`-separated fields. */
  | 'WRONG_FIELD_COUNT'
  /** 6 fields shaped like the wrong "example" layout that drops the old-CMND slot. */
  | 'MISSING_OLD_ID_FIELD'
  /** The ID number is not 12 ASCII digits. */
  | 'INVALID_ID_NUMBER'
  /** The old CMND field is neither empty nor 9 ASCII digits. */
  | 'INVALID_OLD_ID_NUMBER'
  /** The name is empty (after NFC). */
  | 'EMPTY_NAME'
  /** The name is not words of letters (with diacritics) separated by single spaces or hyphens. */
  | 'INVALID_NAME'
  /** The address is empty. */
  | 'EMPTY_ADDRESS'
  /** A date is not `ddmmyyyy` (strict) or `ddmmyyyy` / `dd/mm/yyyy` (lenient); in formatting, not `YYYY-MM-DD`. */
  | 'INVALID_DATE_FORMAT'
  /** A well-formed date that does not exist (31/02, month 13, year before 1900). */
  | 'IMPOSSIBLE_DATE'
  /** A date later than today (Vietnam time) according to the injected clock. */
  | 'DATE_IN_FUTURE'
  /** The issue date is before the date of birth. */
  | 'ISSUE_BEFORE_BIRTH'
  /** The sex field is not `Nam` / `Nữ` (lenient: any case, `Nu` without the diacritic). */
  | 'INVALID_SEX'
  /** A field has leading or trailing white space (strict mode). */
  | 'UNTRIMMED_FIELD'
  /**
   * A field contains a control character, an invisible format character (bidi controls,
   * zero-width characters, BOM, soft hyphen, lone surrogates, private use, non-ASCII spaces),
   * an HTML-special character (`<>&"'` and the backtick), or, when formatting, the `|`
   * separator. `context.characterClass` says which.
   */
  | 'INVALID_CHARACTER'
  /** The payload is longer than a QR code can hold (2953 bytes), or has more than 32 fields. */
  | 'INPUT_TOO_LONG'
  /** A text field is longer than its bound (name 100, address and extra fields 255 characters). */
  | 'FIELD_TOO_LONG'
  /**
   * A calendar date that no card can carry: an issue date before 2016-01-01 (the first CCCD)
   * or, on the ≥ 10-field Căn cước layout, before 2024-07-01 (Law on Identification 2023).
   */
  | 'IMPLAUSIBLE_DATE'
  /** Formatting: `kind` is neither `cccd` nor `can-cuoc`. */
  | 'INVALID_KIND'
  /** Formatting: `kind` disagrees with the number of extra fields (cccd: 0, can-cuoc: ≥ 3). */
  | 'KIND_MISMATCH'
  /**
   * An argument or option has the wrong type or an unknown value (text not a string, data or
   * options not an object, `mode` not `strict` / `lenient`, `now` not a clock).
   */
  | 'INVALID_ARGUMENT';

/** Structured, non-personal details of a {@link CccdQrError}. */
export interface CccdQrErrorContext {
  /** Which field failed. */
  field?: CccdQrField;
  /** Zero-based index of the failing field in the payload. */
  fieldIndex?: number;
  /** Number of fields found. */
  fieldCount?: number;
  /** Length of the failing field, in UTF-16 code units. */
  length?: number;
  /** Offset of the failing character inside the field. */
  offset?: number;
  /** Parse mode in force. */
  mode?: 'strict' | 'lenient';
  /** Maximum length of the failing field or payload (for `FIELD_TOO_LONG`, `INPUT_TOO_LONG`). */
  maxLength?: number;
  /** What kind of character was refused (for `INVALID_CHARACTER`). */
  characterClass?: 'control' | 'invisible' | 'markup' | 'separator';
}

/** A rejected CCCD / Căn cước QR payload. */
export class CccdQrError extends CoreError<CccdQrErrorCode, CccdQrErrorContext> {}

/** Codes of {@link QrWarning}. */
export type QrWarningCode =
  /** The sex digit of the ID number disagrees with the sex field. */
  | 'SEX_MISMATCH'
  /** The century digit + YY of the ID number disagree with the year of birth. */
  | 'BIRTH_YEAR_MISMATCH'
  /** The ID's first three digits are not in the province / country code list. */
  | 'UNKNOWN_REGION_CODE'
  /** Lenient mode accepted a `dd/mm/yyyy` date. */
  | 'NONSTANDARD_DATE_FORMAT'
  /** Lenient mode trimmed white space around a field or the payload. */
  | 'TRIMMED_WHITESPACE'
  /** Lenient mode accepted the sex field in another spelling (case, missing diacritic). */
  | 'NONSTANDARD_SEX';

/** Something accepted but worth showing: the payload is only a hint, never proof. */
export interface QrWarning {
  code: QrWarningCode;
  /** English explanation without personal data. */
  message: string;
  /** The field concerned, if one. */
  field?: CccdQrField;
}
