/**
 * @module
 * Errors of the MRZ layer (ICAO Doc 9303 Parts 3–5). Messages name the field and position that
 * failed, never the field's content: an MRZ carries names, numbers and dates of birth.
 */
import { CoreError } from '../errors/index.ts';

/** Codes of {@link MrzError}. */
export type MrzErrorCode =
  /** Not 3 × 30 (TD1) or 2 × 44 (TD3) characters, or an unsupported layout (TD2, visas). */
  | 'UNKNOWN_FORMAT'
  /** A character outside `A–Z 0–9 <` (or a letter/digit where the field forbids it). */
  | 'INVALID_CHARACTER'
  /** A check digit does not match its field; `context.field` names the first, `fields` all. */
  | 'BAD_CHECK_DIGIT'
  /** A date that is not YYMMDD or not a calendar date. */
  | 'INVALID_DATE'
  /** A sex field other than `M`, `F`, `X` or `<`. */
  | 'INVALID_SEX'
  /** A document code that does not fit the format (TD1: A, C, I; TD3: P). */
  | 'INVALID_DOCUMENT_CODE'
  /** An `IDVNM` TD1 whose optional data is not the 12-digit ID + `<<` + check digit. */
  | 'INVALID_VIETNAM_LAYOUT'
  /** A value too long for its field when formatting. */
  | 'FIELD_TOO_LONG'
  /** Any other malformed input to a formatter or key helper. */
  | 'INVALID_FIELD'
  /**
   * An options argument that is not an object, an option of the wrong type, or a clock
   * (`now`) that returns no valid time (NaN, an invalid `Date`, …).
   */
  | 'INVALID_ARGUMENT';

/** Names of MRZ fields, used in error contexts. */
export type MrzField =
  | 'documentCode'
  | 'issuingState'
  | 'documentNumber'
  | 'optionalData'
  | 'optionalData2'
  | 'dateOfBirth'
  | 'sex'
  | 'dateOfExpiry'
  | 'nationality'
  | 'personalNumber'
  | 'composite'
  | 'name'
  | 'vietnamIdNumber'
  | 'issueDate';

/** Structured details of an {@link MrzError}; never the field contents. */
export interface MrzErrorContext {
  field?: MrzField;
  /** Every field whose check digit failed (BAD_CHECK_DIGIT). */
  fields?: MrzField[];
  /** 1-based line number. */
  line?: number;
  /** 1-based character position within the line. */
  position?: number;
  /** Number of lines, or a length. */
  lines?: number;
  length?: number;
}

/** Error thrown by the MRZ layer. */
export class MrzError extends CoreError<MrzErrorCode, MrzErrorContext> {}

/** The MRZ layer's `INVALID_ARGUMENT` error (for the option checks of `errors/arguments.ts`). */
export const mrzArgumentError = (message: string): MrzError => new MrzError('INVALID_ARGUMENT', message);
